"""The browsable archive: ``finlib site --out DIR`` writes every published period as a static site.

:func:`build_site` reads every published period (:mod:`finlib.site.gather`), builds the archive's model
(:mod:`finlib.site.model`: the paths and what each page shows), renders its pages
(:mod:`finlib.render.site`) and writes them, with each paper's PDF when asked (printed by the pack's PDF
exporter, :func:`finlib.pack.exporters.print_pdf`).  A file whose content is unchanged is left alone,
and a PDF whose paper is unchanged is not printed again, so re-running after a new period is published
rewrites only the indexes and the directorates' pages of its year, and adds the new period's pages.
Nothing is ever deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from finlib.config import DataSet
from finlib.core.period import Period
from finlib.site.model import Archive, PublishedPeriod, paper_page, year_of

__all__ = ["SiteRun", "build_site"]


@dataclass(frozen=True)
class SiteRun:
    """What a run wrote: the files written or changed, how many were already as they should be."""

    out: Path
    periods: list[Period]
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0


def _printed(sources: dict[str, bytes], progress: bool) -> Iterator[tuple[str, bytes]]:
    """Each paper printed as a PDF, in worker processes of their own (as the pack prints): Chromium is driven
    through Playwright's synchronous API, which cannot run inside a caller's event loop (a notebook's)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from finlib.pack.exporters import print_pdf
    from finlib.pack.progress import Progress

    if not sources:
        return
    workers = max(1, min(len(sources), os.cpu_count() or 1))
    with (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool,
        Progress(len(sources), "PDFs", "PDF", progress) as bar,
    ):
        futures = {pool.submit(print_pdf, source): target for target, source in sources.items()}
        for future in as_completed(futures):
            yield futures[future], future.result()
            bar.done(futures[future])


def build_site(data: DataSet | Path | str, out: Path, *, pdf: bool = False, progress: bool = True) -> SiteRun:
    """Write the archive of every published period under ``out``.

    Raises :class:`~finlib.errors.UsageError` when nothing is published (or, with ``pdf``, when Chromium
    is missing), :class:`~finlib.errors.InputError` for inputs that no longer read, and
    :class:`~finlib.errors.FinlibError` when a published period's files changed since publication;
    in each case before anything is written.
    """
    from finlib.pack.exporters import PDF
    from finlib.pack.progress import Progress
    from finlib.render import site as pages
    from finlib.render.files import write_atomic
    from finlib.site import gather
    from finlib.targets import check_target

    check_target(out, data, folder=True, option="out")  # never into the record or over an input
    data = DataSet.at(data)
    if pdf:
        PDF.ready()
    found = gather.published(data)
    every = [period for periods in found.values() for period in periods]
    gather.check_unchanged(data, every)
    entries: dict[Period, PublishedPeriod] = {}
    with Progress(len(every), "Periods", "period", progress) as bar:
        for period in every:
            entries[period] = gather.gather_period(data, period)
            bar.done(str(period))
    years = tuple(year_of(year, [entries[p] for p in periods]) for year, periods in found.items())
    archive = Archive(entries[every[-1]].cabinet.authority_name, years)
    written, unchanged = [], 0
    for path, text in pages.pages(archive, pdf).items():
        if pages.write_if_changed(out / path, text.encode("utf-8")):
            written.append(out / path)
        else:
            unchanged += 1
    if pdf:
        record = pages.read_printed_from(out)
        sources = {
            paper_page(e.period, item.key, ".pdf"): pages.printed(item) for e in entries.values() for item in e.papers
        }
        digests = {target: hashlib.sha256(source).hexdigest() for target, source in sources.items()}
        due = {t: s for t, s in sources.items() if record.get(t) != digests[t] or not (out / t).is_file()}
        unchanged += len(sources) - len(due)
        for target, content in _printed(due, progress):
            write_atomic(out / target, content)
            record[target] = digests[target]
            written.append(out / target)
        pages.write_printed_from(out, record)
    return SiteRun(out, every, written, unchanged)
