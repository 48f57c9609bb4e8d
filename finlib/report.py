"""The report model: every table, paragraph and chart's figures for one period, built once.

Renderers (HTML, CSV, charts) and notebooks read this model; none of them computes a figure.  The
Cabinet report holds every directorate; a committee's extract is the same model narrowed to its remit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from finlib import capital, exempt
from finlib.commentary import Commentary, Missing, authority_commentary, directorate_commentary, period_label
from finlib.config import Thresholds, slug
from finlib.monitoring import Monitoring
from finlib.params import Committee


@dataclass(frozen=True)
class Bars:
    """The figures of a chart: labelled amounts in pence, with a title."""

    title: str
    labels: list[str]
    values: list[int]


@dataclass(frozen=True)
class Bridge:
    """From the last reported position to this one: a start, steps (movements) and an end."""

    title: str
    start_label: str
    start: int
    steps: Bars
    end_label: str
    end: int


@dataclass(frozen=True)
class CapitalSection:
    """A directorate's capital programme: this year's budget, variances by year, the items listed."""

    year: str
    budget: int  # this year's cash limit, pence
    programme_total: int
    years: str  # e.g. 2017-18 to 2019-20
    summary: pd.DataFrame  # by year, then the total: budget, real, rephasing, forecast (exact pence)
    paragraphs: list[str]
    warnings: list[str]  # for the business partner, not the public report


@dataclass(frozen=True)
class DirectorateSection:
    name: str
    slug: str
    table: pd.DataFrame  # exact pence: heading rows and the total
    commentary: Commentary
    chart: Bars
    capital: CapitalSection | None = None


@dataclass(frozen=True)
class Publication:
    """One published version of a period, as its manifest records it."""

    period: str
    version: int
    published_at: str
    supersedes: int | None
    reason: str | None


@dataclass(frozen=True)
class Report:
    """One report: the Cabinet report or a committee's extract."""

    authority: str
    title: str
    period: str
    period_label: str
    last_label: str | None
    authority_summary: bool
    authority_table: pd.DataFrame  # exact pence
    authority_paragraphs: list[str]
    authority_chart: Bars
    bridge: Bridge | None
    sections: list[DirectorateSection] = field(default_factory=list)
    capital_table: pd.DataFrame | None = None  # by directorate, this year, exact pence
    capital_year: str | None = None
    restricted: bool = False  # the officers' version, with exempt items named
    notice: str | None = None  # said in a public report that holds exempt items
    adjustments: pd.DataFrame | None = None  # directorate, heading, amount, reason, author, date
    publications: list[Publication] = field(default_factory=list)

    @property
    def missing(self) -> list[Missing]:
        """Explanations the commentary rules call for and explanations.csv lacks."""
        return [m for s in self.sections for m in s.commentary.missing]

    @property
    def capital_warnings(self) -> list[str]:
        return [w for s in self.sections if s.capital is not None for w in s.capital.warnings]


def _variance_bars(title: str, table: pd.DataFrame, label: str) -> Bars:
    rows = table[table["kind"] == "line"]
    return Bars(title, list(rows[label]), [int(v) for v in rows["revised_net_variance"]])


def _bridge(monitoring: Monitoring, table: pd.DataFrame) -> Bridge | None:
    if monitoring.last_period is None:
        return None
    rows = table[table["kind"] == "line"]
    headline = table[table["kind"] == "total"].iloc[0]
    return Bridge(
        title="Movement in the position since the last report (excluding schools), £m",
        start_label=f"Last reported ({period_label(monitoring.last_period)})",
        start=int(headline["last_reported"]),
        steps=Bars("Movement", list(rows["row"]), [int(v) for v in rows["movement"]]),
        end_label=f"Now ({period_label(monitoring.period)})",
        end=int(headline["revised_net_variance"]),
    )


def _capital_section(cap: capital.CapitalPosition, directorate: str, thresholds: Thresholds) -> CapitalSection | None:
    if directorate not in capital.directorates(cap):
        return None
    summary = capital.summary_table(cap, directorate)
    years = [str(y) for y in summary.loc[summary["kind"] == "year", "year"]]
    return CapitalSection(
        year=cap.year,
        budget=capital.capital_budget(cap, directorate),
        programme_total=capital.programme_total(cap, directorate),
        years=capital.year_span(years),
        summary=summary,
        paragraphs=capital.paragraphs(capital.listed_items(cap, directorate, thresholds)),
        warnings=[w.message for w in capital.warnings(cap, directorate)],
    )


def _adjustments(monitoring: Monitoring) -> pd.DataFrame:
    book = monitoring.inputs.budget_book
    frame = monitoring.inputs.adjustments.copy()
    frame["directorate"] = frame["line_id"].map(book["directorate"])
    frame["heading"] = frame["line_id"].map(book["heading"])
    frame["kind"] = "line"
    return frame[["directorate", "heading", "kind", "amount", "reason", "author", "date"]].reset_index(drop=True)


def _publications(monitoring: Monitoring) -> list[Publication]:
    records = []
    for period, manifests in monitoring.history.items():
        for record in manifests:
            supersedes = record.get("supersedes") or {}
            records.append(
                Publication(
                    period,
                    int(record["version"]),
                    str(record["published_at"]),
                    supersedes.get("version"),
                    supersedes.get("reason"),
                )
            )
    return records


def build_report(monitoring: Monitoring, restricted: bool = False) -> Report:
    """The Cabinet report: the authority summary and every directorate's section.

    A public report (the default) shows restricted lines and schemes only as "Exempt items"
    (see :mod:`finlib.exempt`); ``restricted=True`` gives the officers' version, which names them.
    """
    notice = None
    if not restricted and exempt.has_exempt(monitoring):
        notice = exempt.NOTICE
        monitoring = exempt.public(monitoring)
    settings = monitoring.inputs.settings
    table = monitoring.authority_table()
    cap = capital.capital_position(monitoring.inputs)
    sections = []
    for name in monitoring.directorates():
        dtable = monitoring.directorate_table(name)
        commentary = directorate_commentary(
            monitoring.position, name, monitoring.inputs.explanations, settings.thresholds
        )
        chart = _variance_bars(f"{name}: revised net variance by budget heading, £m", dtable, "heading")
        capital_part = _capital_section(cap, name, settings.thresholds) if cap is not None else None
        sections.append(DirectorateSection(name, slug(name), dtable, commentary, chart, capital_part))
    last = monitoring.last_period
    return Report(
        authority=settings.name,
        title="Revenue budget monitoring report to Cabinet",
        period=monitoring.period,
        period_label=period_label(monitoring.period),
        last_label=period_label(last) if last else None,
        authority_summary=True,
        authority_table=table,
        authority_paragraphs=authority_commentary(table, monitoring.position),
        authority_chart=_variance_bars("Revised net variance by directorate and division, £m", table, "row"),
        bridge=_bridge(monitoring, table),
        sections=sections,
        capital_table=capital.authority_capital_table(cap) if cap is not None else None,
        capital_year=cap.year if cap is not None else None,
        restricted=restricted,
        notice=notice,
        adjustments=_adjustments(monitoring),
        publications=_publications(monitoring),
    )


def for_committee(report: Report, committee: Committee) -> Report:
    """A committee's extract: the directorates in its remit, and the authority summary if it has the overview."""
    sections = [s for s in report.sections if s.name in committee.directorates]
    adjustments = report.adjustments
    if adjustments is not None and not committee.authority_summary:
        adjustments = adjustments[adjustments["directorate"].isin(committee.directorates)].reset_index(drop=True)
    return replace(
        report,
        adjustments=adjustments,
        title=f"Revenue budget monitoring: extract for the {committee.name}",
        authority_summary=committee.authority_summary,
        sections=sections,
    )
