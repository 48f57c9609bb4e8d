"""The report model: every table, paragraph and chart's figures a person reads, built once, exact amounts.

Each table is a :class:`Table`: its rows (exact pence, a ``kind`` for every row) and a column spec
(:class:`Column`: key, heading, unit).  Every writer (HTML, CSV, the workbook, charts) formats these
and computes nothing.  The Cabinet report holds every directorate; a committee's extract is the same
model narrowed to its remit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from finlib.core.commentary import Commentary, Missing
from finlib.core.period import Period
from finlib.money import Unit

if TYPE_CHECKING:
    from finlib.report.paper import Paper


@dataclass(frozen=True)
class Column:
    """One column of a table: the key of its cells, its heading as printed, and its unit (``None``: text)."""

    key: str
    heading: str
    unit: Unit | None = None
    csv: str | None = None  # its name in CSV files, when not ``key``
    printed: bool = True  # shown in the HTML and the workbook (``False``: a CSV file's ``kind`` column)
    # text written as a date (``date``: YYYY-MM-DD) or a moment (``time``: ISO 8601); ``wide``: long text
    # kept wide; ``ref``: a reference kept on one line; ``rag``, ``dot``, ``trend``: a dashboard's rating,
    # direction of travel and results
    form: str | None = None

    @property
    def csv_name(self) -> str:
        return self.csv or self.key

    @property
    def is_amount(self) -> bool:
        return self.unit is not None


KIND = Column("kind", "Kind", printed=False)


def blank(value: object) -> bool:
    """Whether a table cell is blank (``<NA>``, ``None`` or NaN): the report shows nothing there."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def cell_text(value: object) -> str:
    """A text cell as written: blank for a blank cell."""
    return "" if blank(value) else str(value)


@dataclass(frozen=True)
class Table:
    """A table a person reads: rows of exact pence (``<NA>`` for a blank) and how each column is shown.

    The first column labels the rows.  ``frame`` holds a column per key and a ``kind`` column (a
    :class:`~finlib.core.kinds.RowKind`).  ``trusted`` are row labels the authority set itself
    (authority.yaml), printed in spreadsheets as they are.
    """

    name: str
    caption: str
    columns: tuple[Column, ...]
    frame: pd.DataFrame
    trusted: frozenset[str] = frozenset()

    @property
    def label(self) -> Column:
        return self.columns[0]

    @property
    def unit(self) -> Unit | None:
        """The unit of the table's amounts (the first amount column's)."""
        return next((c.unit for c in self.columns if c.unit is not None), None)

    @property
    def printed(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.printed)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row as ``{key: value}``, with its ``kind``."""
        for record in self.frame.to_dict("records"):
            yield {str(key): value for key, value in record.items()}

    def where(self, keep: Sequence[bool] | pd.Series) -> Table:
        """The same table with only some of its rows."""
        return Table(self.name, self.caption, self.columns, self.frame[list(keep)].reset_index(drop=True), self.trusted)


@dataclass(frozen=True)
class Bars:
    """The figures of a chart: labelled amounts in pence, with a title."""

    title: str
    labels: list[str]
    values: list[int]


@dataclass(frozen=True)
class Bridge:
    """From a start (the last reported position) through steps (movements) to an end."""

    title: str
    start_label: str
    start: int
    steps: Bars
    end_label: str
    end: int


@dataclass(frozen=True)
class Figure:
    """A chart and the table of its figures (its text alternative is built from the same figures)."""

    chart: Bars | Bridge
    figures: Table

    @property
    def title(self) -> str:
        return self.chart.title


@dataclass(frozen=True)
class CapitalSection:
    """A directorate's capital programme: the opening sentence, the items listed, the table by year."""

    opening: str
    paragraphs: list[str]
    table: Table  # by year, then the total: budget, real, rephasing, forecast
    warnings: list[str]  # for the business partner, not the public report


@dataclass(frozen=True)
class SavingsSection:
    """Savings delivery: the sentence, the savings listed, and (the authority's) the roll-up by directorate."""

    sentence: str
    savings: Table  # each saving (a directorate's), or every saving with its directorate (the authority's)
    by_directorate: Table | None = None  # the authority's: plan, delivery, shortfall and RAG counts


@dataclass(frozen=True)
class PerformanceSection:
    """A directorate's performance indicators beside its money: the counts of its KPIs' latest ratings and
    its activity indicators outside their expected range (from the period's Performance Dashboard)."""

    paragraphs: tuple[str, ...]  # the counts, then the activity against its range
    counts: Table  # GREEN, AMBER, RED and the total
    outside: Table | None  # activity indicators outside their range; None: none is


@dataclass(frozen=True)
class DirectorateSection:
    name: str
    slug: str
    table: Table  # heading rows and the total
    commentary: Commentary
    chart: Figure
    capital: CapitalSection | None = None
    part: bool = False  # only the headings in a committee's remit
    words: tuple[str, ...] = ()  # the finance director's paragraphs on the directorate (about = authority)
    trend: tuple[Figure, Table] | None = None  # its variance at each of the year's reports; None: the first
    prior: Table | None = None  # this year's forecast outturn beside last year's outturn, on this year's headings
    ytd: Table | None = None  # actuals to date against the profiled budget, by heading
    savings: SavingsSection | None = None  # its savings delivery; None: no savings forecast this period
    performance: PerformanceSection | None = None  # its indicators; None: no dashboard results this period


@dataclass(frozen=True)
class AuthoritySection:
    """The whole authority: the paragraph, the table by directorate, its charts and its capital position."""

    paragraphs: list[str]
    table: Table
    chart: Figure
    bridge: Figure | None
    capital: Table | None  # by directorate, this year
    headline: str = ""  # the position in one sentence, for a paper's Summary
    words: tuple[str, ...] = ()  # the finance director's paragraphs on the authority (about = authority)
    trend: Figure | None = None  # the variance at each of the year's reports; None: the year's first


@dataclass(frozen=True)
class BudgetSection:
    """How the budgets came from those of the last report: the paragraph, the reconciliation by
    directorate, and the changes listed for approval."""

    paragraph: str
    table: Table
    changes: Table


@dataclass(frozen=True)
class RequestsSection:
    """At the outturn: the roll forward requests put for approval."""

    paragraph: str
    table: Table
    total: int  # pence
    next_year: str


@dataclass(frozen=True)
class AccuracySection:
    """At the outturn: how early each directorate's forecast came within the threshold of its outturn."""

    paragraph: str
    table: Table


@dataclass(frozen=True)
class Appendix:
    """The record behind the figures: the adjustments applied and the publications of the periods compared,
    with each directorate's sign-off of them."""

    adjustments: Table
    publications: Table
    signoffs: Table


@dataclass(frozen=True)
class Report:
    """One report: the Cabinet report or a committee's extract."""

    authority_name: str
    title: str
    period: Period
    last_period: Period | None
    authority_summary: bool  # the authority section is shown (Cabinet; a committee with the overview)
    authority: AuthoritySection
    sections: list[DirectorateSection]
    appendix: Appendix
    capital_schemes: Table | None  # every scheme and year (capital.csv)
    missing_table: Table  # explanations still needed (working/missing_explanations.csv)
    warnings_table: Table  # capital warnings (working/capital_warnings.csv)
    restricted: bool = False  # the officers' version, with exempt items named
    notice: str | None = None  # said in a public report that holds exempt items
    committee: str | None = None  # the committee's key, for an extract; None for the Cabinet report
    directorate_names: tuple[str, ...] = field(default_factory=tuple)  # every directorate with a table
    committee_name: str | None = None
    summary_words: tuple[str, ...] = ()  # the finance director's paragraphs for the Summary (about = summary)
    short_names: dict[str, str] = field(
        default_factory=dict
    )  # directorate → short name (authority.yaml's, or initials)
    paper: Paper | None = None  # the report arranged as a committee paper
    capital_by_directorate: Table | None = None  # schemes by directorate with totals (the workbook's Capital)
    commentary: Table | None = None  # every numbered paragraph of the paper (the workbook's Commentary)
    budget: BudgetSection | None = None  # the budget changes since the last report; None: none
    requests: RequestsSection | None = None  # the outturn's roll forward requests; None: not an outturn
    outturn: bool = False  # the year-end report: actuals against the final budget
    accuracy: AccuracySection | None = None  # the outturn's look back at the year's forecasts
    savings: SavingsSection | None = None  # savings delivery of the report's directorates; None: no forecast

    @property
    def draft(self) -> bool:
        """A paper is a draft until every explanation the commentary rules call for is given."""
        return bool(self.missing)

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def last_label(self) -> str | None:
        return self.last_period.label if self.last_period is not None else None

    @property
    def missing(self) -> list[Missing]:
        """Explanations the commentary rules call for and explanations.csv lacks."""
        return [m for s in self.sections for m in s.commentary.missing]

    @property
    def capital_warnings(self) -> list[str]:
        return [w for s in self.sections if s.capital is not None for w in s.capital.warnings]

    def tables(self) -> list[Table]:
        """Every table the report shows (the chart figures' too)."""
        found = []
        if self.authority_summary:
            found = [self.authority.table, self.authority.chart.figures]
            if self.authority.bridge is not None:
                found.append(self.authority.bridge.figures)
            if self.authority.capital is not None:
                found.append(self.authority.capital)
            if self.authority.trend is not None:
                found.append(self.authority.trend.figures)
        for section in self.sections:
            found.extend([section.table, section.chart.figures])
            if section.trend is not None:
                found.extend([section.trend[0].figures, section.trend[1]])
            found.extend(t for t in (section.ytd, section.prior) if t is not None)
            if section.capital is not None:
                found.append(section.capital.table)
            if section.savings is not None:
                found.append(section.savings.savings)
            if section.performance is not None:
                found.extend(t for t in (section.performance.counts, section.performance.outside) if t is not None)
        if self.budget is not None:
            found.extend([self.budget.table, self.budget.changes])
        if self.requests is not None:
            found.append(self.requests.table)
        if self.accuracy is not None:
            found.append(self.accuracy.table)
        if self.savings is not None and self.savings.by_directorate is not None:
            found.append(self.savings.by_directorate)
        found.extend([self.appendix.adjustments, self.appendix.publications, self.appendix.signoffs])
        return found
