"""The order of a report's parts: one function, which the notebooks and every writer follow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from finlib.report.model import DirectorateSection, Report


class Part(StrEnum):
    HEADER = "header"
    AUTHORITY = "authority"
    DIRECTORATE = "directorate"
    APPENDIX = "appendix"


@dataclass(frozen=True)
class Section:
    """One part of a report, in reading order (``directorate`` for a directorate's section)."""

    part: Part
    directorate: DirectorateSection | None = None


def order(report: Report) -> list[Section]:
    """The Cabinet report reads authority first, then each directorate; a committee's extract reads its
    directorates first, then the authority section when it has the overview; the appendix ends both."""
    directorates = [Section(Part.DIRECTORATE, s) for s in report.sections]
    authority = [Section(Part.AUTHORITY)] if report.authority_summary else []
    body = [*authority, *directorates] if report.committee is None else [*directorates, *authority]
    return [Section(Part.HEADER), *body, Section(Part.APPENDIX)]
