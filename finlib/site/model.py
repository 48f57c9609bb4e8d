"""The archive's model: every published period, its papers and versions, each directorate's year.

Built from report models (:mod:`finlib.report`) and the published record; reads no file and formats
nothing.  The paths of the pages are decided here, and only here, so that a link never changes:

``index.html``, ``<FY>/index.html``, ``<FY>/<YYYY-MM>/index.html``, ``<FY>/<YYYY-MM>/<paper>.html``
(and ``.pdf``), ``<FY>/directorates/<slug>.html``.  A paper's key is ``cabinet`` or its committee's
key in committees.yaml; a directorate's slug is :func:`finlib.config.slug` of its name.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from finlib.config import slug
from finlib.core.kinds import RowKind
from finlib.core.period import FinancialYear, Period
from finlib.money import Unit
from finlib.report.model import Bars, Figure, Report, blank
from finlib.report.tables import bars_table

CABINET = "cabinet"
INDEX = "index.html"


# ---------------------------------------------------------------------------
# Paths, relative to the site's folder, always with "/"


def year_page(year: FinancialYear) -> str:
    return f"{year}/{INDEX}"


def period_page(period: Period) -> str:
    return f"{period.financial_year}/{period}/{INDEX}"


def paper_page(period: Period, key: str, suffix: str = ".html") -> str:
    return f"{period.financial_year}/{period}/{key}{suffix}"


def directorate_page(year: FinancialYear, name: str) -> str:
    return f"{year}/directorates/{slug(name)}.html"


def link(source: str, target: str) -> str:
    """A relative link from the page ``source`` to ``target`` (both site paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


# ---------------------------------------------------------------------------
# What the pages show


@dataclass(frozen=True)
class Version:
    """One published version of a period, as its manifest records it."""

    number: int
    published_at: str  # ISO 8601, UTC
    supersedes: int | None = None
    reason: str | None = None  # why it replaced the version before
    missing: int = 0  # explanations missing when it was published
    missing_reason: str | None = None


@dataclass(frozen=True)
class Paper:
    """One paper of a period: the Cabinet report or a committee's extract (the public version)."""

    key: str
    to: str  # Cabinet, or the committee's name
    report: Report

    @property
    def title(self) -> str:
        """The page's title, as ``finlib report`` names the paper."""
        return f"{self.to}: budget monitoring {self.report.period.label}"


@dataclass(frozen=True)
class PublishedPeriod:
    """A published period: its versions (oldest first; the last is current) and the current one's papers."""

    period: Period
    versions: tuple[Version, ...]
    last_reported: Period | None
    papers: tuple[Paper, ...]

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def superseded(self) -> tuple[Version, ...]:
        return self.versions[:-1]

    @property
    def cabinet(self) -> Report:
        return next(p.report for p in self.papers if p.key == CABINET)

    def superseded_by(self, version: Version) -> Version | None:
        return next((v for v in self.versions if v.supersedes == version.number), None)


@dataclass(frozen=True)
class HistoryRow:
    """A directorate's position in one published period (pence; ``None`` where the paper shows a blank)."""

    period: Period
    revised_net_variance: int | None
    last_reported: int | None
    movement: int | None
    last_period: Period | None


@dataclass(frozen=True)
class DirectorateHistory:
    """A directorate's position in each published period of a year, as the Cabinet papers report it."""

    name: str
    year: FinancialYear
    rows: tuple[HistoryRow, ...]
    unit: Unit

    @property
    def page(self) -> str:
        return directorate_page(self.year, self.name)

    @property
    def anchor(self) -> str:
        """The id of the directorate's section in a Cabinet paper."""
        return slug(self.name)

    @property
    def caption(self) -> str:
        return f"{self.name}: revised net variance, last reported position and movement by period, {self.year}"

    @property
    def figure(self) -> Figure:
        """The revised net variance of each period as a chart, with its figures."""
        title = f"{self.name}: revised net variance by period, {self.year}"
        shown = [r for r in self.rows if r.revised_net_variance is not None]
        bars = Bars(title, [r.period.label for r in shown], [int(r.revised_net_variance or 0) for r in shown])
        return Figure(bars, bars_table(bars, "Period"))


@dataclass(frozen=True)
class Year:
    year: FinancialYear
    periods: tuple[PublishedPeriod, ...]
    histories: tuple[DirectorateHistory, ...]


@dataclass(frozen=True)
class Archive:
    authority_name: str
    years: tuple[Year, ...]


def _total(report: Report, name: str) -> dict[str, object] | None:
    section = next((s for s in report.sections if s.name == name), None)
    if section is None:
        return None
    return next((r for r in section.table.records() if r["kind"] == RowKind.TOTAL), None)


def _amount(value: object) -> int | None:
    return None if blank(value) else int(str(value))


def histories(year: FinancialYear, periods: tuple[PublishedPeriod, ...]) -> tuple[DirectorateHistory, ...]:
    """Every directorate of the year's Cabinet papers, in their order, with its total in each period."""
    names = list(dict.fromkeys(s.name for p in periods for s in p.cabinet.sections))
    found = []
    for name in names:
        rows, unit = [], None
        for entry in periods:
            total = _total(entry.cabinet, name)
            if total is None:
                continue
            section = next(s for s in entry.cabinet.sections if s.name == name)
            unit = unit or section.table.unit
            rows.append(
                HistoryRow(
                    entry.period,
                    _amount(total["revised_net_variance"]),
                    _amount(total["last_reported"]),
                    _amount(total["movement"]),
                    entry.cabinet.last_period,
                )
            )
        assert unit is not None
        found.append(DirectorateHistory(name, year, tuple(rows), unit))
    return tuple(found)


def year_of(year: FinancialYear, periods: list[PublishedPeriod]) -> Year:
    ordered = tuple(sorted(periods, key=lambda p: p.period))
    return Year(year, ordered, histories(year, ordered))
