"""The monthly pack: one library call from a data set and a period to every committee's report.

:func:`monthly_pack` checks the inputs once, builds the report model and its charts once, hands them
to every notebook, runs the notebooks in a pool of warm kernels (:mod:`finlib.pack.pool`), writes each
report by every exporter (:mod:`finlib.pack.exporters`) and the business partner's working files.  The
``finlib report`` command and the tests both run this call.  The pool starts before pandas is imported,
so its kernels warm up while the inputs are checked: this module imports nothing heavy at load time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from finlib.core.period import Period
from finlib.pack.exporters import DEFAULT, HTML, PDF, WITH_PDF, Exporter, HtmlExporter, PdfExporter
from finlib.pack.jobs import Job, Outcome, PackResult, plan
from finlib.pack.pool import Pool, run_job, run_pack
from finlib.targets import check_target

if TYPE_CHECKING:
    from finlib.core.commentary import Missing

__all__ = [
    "DEFAULT",
    "HTML",
    "PDF",
    "WITH_PDF",
    "Exporter",
    "HtmlExporter",
    "Job",
    "Outcome",
    "PackResult",
    "PackRun",
    "PdfExporter",
    "Pool",
    "monthly_pack",
    "plan",
    "run_job",
    "run_pack",
]


@dataclass(frozen=True)
class PackRun:
    """What a monthly pack run produced, and what its business partner should look at."""

    result: PackResult
    working: Path  # the folder of the working files
    missing: list[Missing] = field(default_factory=list)  # explanations the commentary rules still need
    capital_warnings: list[str] = field(default_factory=list)
    unnamed: int = 0  # more missing explanations or warnings that concern exempt items (a public run)
    notes: list[str] = field(default_factory=list)  # what the run did not do, and why
    unassigned: list[str] = field(default_factory=list)  # headings in no committee's remit

    @property
    def failed(self) -> list[Outcome]:
        return self.result.failed


def working_folder(out: Path, restricted: bool) -> Path:
    """Where the working files go: ``working/``, or ``working.restricted/`` beside an officers' pack."""
    return out / ("working.restricted" if restricted else "working")


#: Reports one worker takes before a second pays for itself: measured with ``benchmarks/pack.py`` on 2 cores,
#: the sample's 12 (6 papers and 6 dashboards) ran as fast on one worker as on two (5.3–5.6 s each way),
#: 30 reports took 9.5 s on one and 7.8 s on two, 101 took 19.2 s and 14.0 s.  A worker and its kernel
#: hold about 300 MB.
REPORTS_PER_WORKER = 12


def pick_workers(asked: int | None, reports: int) -> int:
    """How many workers the pack starts: as many as asked (``--workers``), else one for every
    :data:`REPORTS_PER_WORKER` reports up to one per core; never more than there are reports."""
    chosen = asked or min(os.cpu_count() or 1, -(-reports // REPORTS_PER_WORKER))
    return max(1, min(chosen, reports))


def most_reports(data: Path, period: Period, restricted: bool) -> int:
    """How many reports the pack can have at most, read before the inputs are checked, so that no more
    workers start than there are reports: the Cabinet report and one per committee of the committees
    file (its keys counted without building what it says), and as many dashboards with ``kpis.csv``.
    Without a committees file that can be read, the Cabinet report's alone (or no bound, when in doubt)."""
    import yaml

    year = data / str(period.financial_year)
    path = next((p for p in (year / "committees.yaml", data / "committees.yaml") if p.is_file()), None)
    committees = 0
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                document = yaml.compose(handle)  # nodes only: an alias is not expanded
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return sys.maxsize  # the checks to come say what is wrong with it
        if isinstance(document, yaml.MappingNode):
            for key, value in document.value:
                if key.value == "committees" and isinstance(value, yaml.MappingNode):
                    committees = len(value.value)
    reports = 1 + committees
    return reports if restricted or not (year / "kpis.csv").is_file() else 2 * reports


def monthly_pack(
    data: Path,
    period: Period | str,
    out: Path,
    *,
    last_reported: Period | str | None = None,
    committee: str | None = None,
    restricted: bool = False,
    workers: int | None = None,
    fresh_kernels: bool = False,
    exporters: Sequence[Exporter] = DEFAULT,
    progress: bool = True,
) -> PackRun:
    """The month's reports: the Cabinet report and every committee's extract (or only ``committee``'s).

    Raises :class:`~finlib.errors.InputError` for bad inputs (nothing written) and
    :class:`~finlib.errors.UsageError` for an unknown committee; a report that fails is an outcome
    of the run, and the others still finish.
    """
    period = Period.parse(period)
    check_target(out, data, folder=True, option="out")  # never into the record or over an input
    for exporter in exporters:
        exporter.ready()  # before any kernel starts: a missing Chromium is a usage error, not six failed reports
    workers = 1 if committee else pick_workers(workers, most_reports(Path(data), period, restricted))
    working = working_folder(out, restricted)
    with Pool(workers, fresh_kernels) as pool:  # kernels start while the inputs are checked
        # imported only now: pandas and pandera load while the workers start their kernels
        from finlib import dashboard
        from finlib.config import DataSet
        from finlib.inputs.committees import committees_file
        from finlib.monitoring import monitor, reporting
        from finlib.pack.handoff import Prepared, hand_off_each, part
        from finlib.render import charts
        from finlib.render.csv import write_working
        from finlib.report import build_reports

        data_set = DataSet.at(data)
        monitoring = monitor(data_set, period, last_reported)
        committees, papers = reporting(data_set, monitoring, committee)
        # the inputs are good: the dashboards (which read their own files) start now, while the reports
        # are built and their charts drawn; they hold no exempt item, so an officers' pack needs no copy
        shown = []
        if not restricted and dashboard.available(data_set, period):
            shown = list(dashboard.gather(data_set, period, committee).papers)
        pool.start(
            plan(data_set.root, period, committees, only=committee, dashboards=shown, papers=False), out, exporters
        )
        notes = []
        if committees_file(data_set, period.financial_year) is None:
            notes.append(f"{data_set.root}/committees.yaml: no such file, so the pack is the Cabinet report alone")
        reports = build_reports(monitoring, committees, restricted, papers)
        # the officers' models, for what the public working output cannot name
        private = (
            reports if restricted or not monitoring.has_exempt else build_reports(monitoring, committees, True, papers)
        )
        # every chart once, shared among the workers' kernels (warm by now), which draw at once
        drawn = pool.draw(charts.missing(reports.all))
        # each notebook gets its own report and charts, in a private folder of the run, removed after it
        whole = Prepared(reports, drawn)
        keys = [None] if committee is None else []
        parts = {key: part(whole, key) for key in [*keys, *committees]}
        with hand_off_each(parts) as prepared:
            jobs = plan(data_set.root, period, committees, last_reported, committee, prepared, restricted)
            result = pool.run(jobs, out, progress, exporters)
    # nothing exempt is written beside a public pack: its working output is the public model's
    model, officers = reports.cabinet, private.cabinet
    every_committee = committee is None and bool(committees)  # with one committee, the others are not read
    write_working(model, working, reports.unassigned if every_committee else None)
    unnamed = len(officers.missing) - len(model.missing) + len(officers.capital_warnings) - len(model.capital_warnings)
    unassigned = (
        [f"{r['directorate']} / {r['heading']}" for r in reports.unassigned.records()] if every_committee else []
    )
    return PackRun(result, working, model.missing, model.capital_warnings, max(unnamed, 0), notes, unassigned)
