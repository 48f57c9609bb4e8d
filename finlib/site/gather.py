"""Gathering the archive: every published period's current version read back, and its public papers built.

Reads through :mod:`finlib.store` and :mod:`finlib.monitoring` only.  The revenue figures of each paper
are the frozen position (:func:`finlib.monitoring.published_stage`); the rest of a paper comes from the
period's inputs, so a period whose inputs changed since it was published is refused (``finlib verify``
lists the changes) rather than shown with words or capital figures that were never published.
"""

from __future__ import annotations

from finlib import store
from finlib.config import DataSet
from finlib.core.period import FinancialYear, Period
from finlib.errors import FinlibError, UsageError, shown
from finlib.site.model import CABINET, INDEX, Paper, PublishedPeriod, Version

#: Names a committee's key cannot have in the archive: its paper would be written over another page.
RESERVED = frozenset({CABINET, INDEX.removesuffix(".html")})


def published(data: DataSet) -> dict[FinancialYear, list[Period]]:
    """Every published period, by financial year; :class:`UsageError` when nothing is published."""
    found = {year: store.published_periods(data, year) for year in store.published_years(data)}
    if not found:
        raise UsageError(
            f"nothing is published in {shown(data.published_dir)}, so there is no archive to write; nothing was "
            "written. Publish a period first: finlib publish --period YYYY-MM"
        )
    return found


def check_unchanged(data: DataSet, periods: list[Period]) -> None:
    """Refuse (before anything is written) if any period's files changed since it was published."""
    changed = [(period, findings) for period in periods if (findings := store.verify(data, period))]
    if not changed:
        return
    lines = [
        f"{len(changed)} published period(s) changed since publication, so the archive would show what was never "
        "published; nothing was written. Run finlib verify --period P for each, then restore the files or "
        "publish again with --supersede --reason TEXT:"
    ]
    lines += [f"  {period}: {finding}" for period, findings in changed for finding in findings]
    raise FinlibError("\n".join(lines))


def versions(data: DataSet, period: Period) -> tuple[Version, ...]:
    return tuple(
        Version(p.version, p.published_at, p.supersedes, p.reason, p.missing, p.missing_reason)
        for p in store.publications(data, [period])
    )


def gather_period(data: DataSet, period: Period) -> PublishedPeriod:
    """A published period's versions and the public papers of its current version (the Cabinet paper
    first, then each committee's in the order of committees.yaml), as ``finlib report`` builds them."""
    from finlib.monitoring import published_stage, reporting
    from finlib.report import build_reports

    monitoring = published_stage(data, period)
    committees, papers = reporting(data, monitoring)
    taken = sorted(set(committees) & RESERVED)
    if taken:
        raise UsageError(
            f"committees.yaml: the committee key {taken[0]!r} would take the place of the archive's own "
            f"{'Cabinet paper' if taken[0] == CABINET else 'period page'} in {period}; choose another key"
        )
    reports = build_reports(monitoring, committees, restricted=False, papers=papers)
    shown_papers = [Paper(CABINET, "Cabinet", reports.cabinet)]
    shown_papers += [Paper(key, committees[key].name, report) for key, report in reports.extracts.items()]
    return PublishedPeriod(period, versions(data, period), monitoring.last_period, tuple(shown_papers))
