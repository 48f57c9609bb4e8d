"""The reports of a monthly pack: which notebook, with which parameters, written under which name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finlib.config import NOTEBOOKS
from finlib.core.period import Period
from finlib.core.settings import Committee
from finlib.render.files import RESTRICTED_SUFFIX

if TYPE_CHECKING:
    from finlib.pack.handoff import HandOff


@dataclass(frozen=True)
class Job:
    """One report to produce: which notebook, with which parameters, written as ``<name>.<suffix>``."""

    name: str
    notebook: Path
    parameters: dict[str, Any]
    title: str


@dataclass(frozen=True)
class Outcome:
    job: Job
    written: dict[str, Path] = field(default_factory=dict)  # by exporter name: html, pdf
    record: Path | None = None  # the executed notebook
    seconds: float = 0.0
    error: str | None = None  # what failed, with the cell and the error
    cannot_write: bool = False  # the output folder refused a file (read-only, full, not permitted)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def html(self) -> Path | None:
        return self.written.get("html")


@dataclass(frozen=True)
class PackResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def plan(
    data: Path,
    period: Period | str,
    committees: Mapping[str, Committee],
    last_reported: Period | str | None = None,
    only: str | None = None,
    prepared: HandOff | Mapping[str | None, HandOff] | None = None,
    restricted: bool = False,
    dashboards: Sequence[str] = (),
    papers: bool = True,
) -> list[Job]:
    """The Cabinet report and one extract per committee (or just the committee ``only``), then the
    Performance Dashboard of each of ``dashboards`` (``cabinet`` or a committee's key), as
    ``<key>-dashboard``; with ``papers=False``, the dashboards alone.

    ``restricted``: the officers' version, written as ``<name>.restricted.html`` so that it never
    takes the place of a public report.  ``prepared``: the report model built once for this run
    (:mod:`finlib.pack.handoff`), which every notebook renders instead of computing the position again,
    once it has checked the file's SHA-256: one for every report, or one each by the report's key
    (``None`` for the Cabinet report, else the committee's), each holding only what its notebook shows.
    """
    period = Period.parse(period)
    common = {
        "data": str(Path(data).resolve()),
        "period": str(period),
        "last_reported": str(last_reported) if last_reported is not None else None,
        "restricted": restricted,
    }

    def handed(key: str | None) -> dict[str, str | None]:
        found = prepared.get(key) if isinstance(prepared, Mapping) else prepared
        return {"prepared": str(found.path) if found else None, "prepared_sha256": found.sha256 if found else None}

    suffix, mark = (RESTRICTED_SUFFIX, "RESTRICTED – ") if restricted else ("", "")
    jobs = []
    if papers and only is None:
        title = f"{mark}Cabinet: budget monitoring {period.label}"
        jobs.append(Job(f"cabinet{suffix}", NOTEBOOKS / "cabinet.ipynb", {**common, **handed(None)}, title))
    for key, committee in committees.items():
        if papers and (only is None or key == only):
            title = f"{mark}{committee.name}: budget monitoring {period.label}"
            parameters = {**common, **handed(key), "committee": key}
            jobs.append(Job(f"{key}{suffix}", NOTEBOOKS / "committee.ipynb", parameters, title))
    for key in dashboards:
        name = "Cabinet" if key == "cabinet" else committees[key].name
        parameters = {"data": common["data"], "period": common["period"], "committee": key}
        title = f"{mark}{name}: Performance Dashboard {period.label}"
        jobs.append(Job(f"{key}-dashboard{suffix}", NOTEBOOKS / "dashboard.ipynb", parameters, title))
    return jobs
