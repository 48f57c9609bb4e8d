"""The order of a report's parts: one function, which the notebooks and every writer follow.

A report reads as its paper: the cover (the cover block, Summary and Recommendations, and the contents
list), each numbered section in turn, then the appendix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from finlib.report.model import Report
from finlib.report.paper import PaperSection


class Part(StrEnum):
    COVER = "cover"
    SECTION = "section"
    APPENDIX = "appendix"


@dataclass(frozen=True)
class Section:
    """One part of a report, in reading order (``section`` for a numbered section of its paper)."""

    part: Part
    section: PaperSection | None = None


def order(report: Report) -> list[Section]:
    """The cover, each numbered section of the paper (see :mod:`finlib.report.arrange` for their order),
    and the appendix."""
    assert report.paper is not None, "a report is arranged as a paper when it is built"
    return [Section(Part.COVER), *(Section(Part.SECTION, s) for s in report.paper.sections), Section(Part.APPENDIX)]
