"""The Performance Dashboard paper: a committee's Key Performance Indicators and activity indicators for
a period, in the paper form of the finance reports.

Cover block, Summary (the counts in the covering paper's words), guidance notes on reading the
ratings, the KPI summary by service area, then for each service area its KPI table (Ref, Indicator,
Latest, RAG, DoT, YTD, YTD RAG, Target, Floor, Previous Year) and its activity table.  The ratings come
from :mod:`finlib.core.kpi`; this module arranges them and computes nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from finlib.core import kpi
from finlib.core.kinds import RowKind
from finlib.core.period import Period
from finlib.report.model import Column, Table
from finlib.report.paper import Cover, Numbering, Paper, Subheading

RAG_FORM = "rag"  # a column of RAG words, printed with a shape beside each so no reader relies on colour
TREND_FORM = "trend"  # a column of :class:`Trend` cells, drawn as a small line with its figures as text


@dataclass(frozen=True)
class Trend:
    """An indicator's latest result at each report of the year: (month, exact value, as printed)."""

    points: tuple[tuple[str, Decimal, str], ...]

    def __str__(self) -> str:
        return "; ".join(f"{month} {text}" for month, _, text in self.points)


GUIDANCE = (
    "GREEN: performance has met or exceeded the current target. AMBER: performance is below the target "
    "but at or above the floor standard. RED: performance is below the floor standard. Where a target is "
    "below its floor standard, lower results are better and the comparisons turn round.",
    "Direction of Travel (DoT) compares the latest result with the previous one: ↑ improved, ↓ fallen, "
    "↔ unchanged; New where there is no previous result. Improvement follows the indicator's polarity.",
    "The year to date (YTD) result is rated by the same rule; Snapshot data, measured at a point in time, "
    "and N/a have no rating.",
    "Activity indicators are not rated: they show whether activity is within its expected range (Yes, "
    "Above or Below, the bounds included), or, where there is no range, last year's figure beside it.",
)

KPI_COLUMNS = (
    Column("ref", "Ref"),
    Column("indicator", "Indicator"),
    Column("latest", "Latest"),
    Column("rag", "RAG", form=RAG_FORM),
    Column("dot", "DoT"),
    Column("ytd", "YTD"),
    Column("ytd_rag", "YTD RAG", form=RAG_FORM),
    Column("target", "Target"),
    Column("floor", "Floor"),
    Column("previous_year", "Previous Year"),
    Column("trend", "Trend this year", form=TREND_FORM),
)
ACTIVITY_COLUMNS = (
    Column("ref", "Ref"),
    Column("indicator", "Indicator"),
    Column("value", "Latest or YTD"),
    Column("alert", "In expected range?"),
    Column("upper", "Upper"),
    Column("lower", "Lower"),
    Column("previous_year", "Previous Year"),
)
SUMMARY_COLUMNS = (
    Column("service_area", "Service area"),
    Column("green", "GREEN"),
    Column("amber", "AMBER"),
    Column("red", "RED"),
    Column("improved", "↑ Improved"),
    Column("unchanged", "↔ Stable"),
    Column("fallen", "↓ Lower"),
    Column("new", "New"),
)


@dataclass(frozen=True)
class DashboardWords:
    """What the cover says: who the paper is from and to, and when it is read."""

    authority: str
    from_: str
    to: str
    meeting: str
    classification: str = "Unrestricted"


def _frame(rows: Sequence[Mapping[str, object]], columns: Sequence[Column]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[c.key for c in columns])
    frame["kind"] = RowKind.LINE.value
    return frame


def _kpi_row(r: kpi.Rated, trends: Mapping[str, Sequence[tuple[Period, kpi.Value]]]) -> dict[str, object]:
    i = r.indicator
    latest = r.result.latest.text if r.result.latest else "N/a"
    if r.result.results_to:
        latest += f" (results to {Period.parse(r.result.results_to).month_name})"
    return {
        "ref": i.ref,
        "indicator": i.indicator,
        "latest": latest,
        "rag": r.rag.value if r.rag else "",
        "dot": r.direction.value if r.direction else "",
        "ytd": r.ytd_text,
        "ytd_rag": r.ytd_rag.value if r.ytd_rag else "",
        "target": i.target.text if i.target else "",
        "floor": i.floor.text if i.floor else "",
        "previous_year": r.result.previous_year or "N/a",
        "trend": Trend(tuple((p.short_label, v.number, v.text) for p, v in trends.get(i.ref, ()))),
    }


def _activity_row(r: kpi.Rated) -> dict[str, str]:
    i = r.indicator
    value = r.result.latest or (r.result.ytd if isinstance(r.result.ytd, kpi.Value) else None)
    basis = "" if r.result.latest or value is None else " (YTD)"
    return {
        "ref": i.ref,
        "indicator": i.indicator,
        "value": (value.text if value else "N/a") + basis,
        "alert": r.alert.value if r.alert else "",
        "upper": i.upper.text if i.upper else "",
        "lower": i.lower.text if i.lower else "",
        "previous_year": r.result.previous_year or "N/a",
    }


def areas(rated: Sequence[kpi.Rated]) -> list[str]:
    """The service areas, in the order their first indicator comes."""
    return list(dict.fromkeys(r.indicator.service_area for r in rated))


def summary_table(rated: Sequence[kpi.Rated], caption: str) -> Table:
    rows = []
    for area in areas(rated):
        c = kpi.counts(r for r in rated if r.indicator.service_area == area and r.indicator.kind == "kpi")
        if c.rated or c.new:
            counted = ("green", "amber", "red", "improved", "unchanged", "fallen", "new")
            rows.append({"service_area": area, **{key: str(getattr(c, key)) for key in counted}})
    return Table("kpi-summary", caption, SUMMARY_COLUMNS, _frame(rows, SUMMARY_COLUMNS))


def dashboard_paper(
    period: Period,
    directorates: Sequence[str],
    rated: Sequence[kpi.Rated],
    words: DashboardWords,
    remit: str,
    trends: Mapping[str, Sequence[tuple[Period, kpi.Value]]] | None = None,
) -> Paper:
    """The Performance Dashboard of ``directorates`` (a committee's remit, or every directorate);
    ``trends``: each KPI's latest results over the year (by ref), drawn beside it."""
    trends = trends or {}
    shown = [r for r in rated if r.indicator.directorate in directorates]
    kpis = [r for r in shown if r.indicator.kind == "kpi"]
    counts = kpi.counts(kpis)
    outside = [r for r in shown if r.alert in (kpi.Alert.ABOVE, kpi.Alert.BELOW)]
    activity_line = (
        f"{len(outside)} of {sum(1 for r in shown if r.indicator.kind == 'activity' and r.alert)} activity "
        "indicators with an expected range are outside it: "
        + ", ".join(f"{r.indicator.ref} ({r.alert.value.lower() if r.alert else ''})" for r in outside)
        + "."
        if outside
        else "Every activity indicator with an expected range is within it."
    )
    others = len(shown) - len(kpis)
    summary = (
        f"This dashboard gives the results of {len(kpis)} Key Performance Indicator{'s' if len(kpis) != 1 else ''} "
        f"and {others} activity indicator{'s' if others != 1 else ''} of {remit}, to {period.label}.",
        kpi.rag_sentence(counts) + ".",
        kpi.direction_sentence(counts) + ".",
    )
    numbering = Numbering()
    numbering.add("Introduction", "introduction", [*summary, activity_line])
    numbering.add("Guidance notes", "guidance", list(GUIDANCE))
    numbering.add(
        "Key Performance Indicators summary",
        "kpi-summary",
        [
            "{table} below counts each service area's ratings and directions of travel.",
            summary_table(shown, "KPI ratings and directions of travel by service area"),
        ],
    )
    for area in areas(shown):
        in_area = [r for r in shown if r.indicator.service_area == area]
        content: list[str | Table | Subheading] = []
        area_kpis = [r for r in in_area if r.indicator.kind == "kpi"]
        if area_kpis:
            first = area_kpis[0].indicator
            content.append(
                f"Director: {first.director or 'not named'}; Cabinet Member: {first.cabinet_member or 'not named'}; "
                f"delivered by {first.delivery_by or 'the service'}. {{table}} below gives the KPIs."
            )
            content.append(
                Table(
                    f"kpis-{area}",
                    f"{area}: Key Performance Indicators",
                    KPI_COLUMNS,
                    _frame([_kpi_row(r, trends) for r in area_kpis], KPI_COLUMNS),
                )
            )
        activity = [r for r in in_area if r.indicator.kind == "activity"]
        if activity:
            content.append("{table} below gives the activity indicators.")
            content.append(
                Table(
                    f"activity-{area}",
                    f"{area}: activity indicators",
                    ACTIVITY_COLUMNS,
                    _frame([_activity_row(r) for r in activity], ACTIVITY_COLUMNS),
                )
            )
        numbering.add(area, f"area-{len(numbering.built)}", content)
    cover = Cover(words.from_, words.to, words.meeting, f"Performance Dashboard: {period.label}", words.classification)
    asked = f"{words.to} is asked to"
    recommendations = (f"note the performance position of {remit} to {period.label}",)
    numbering.add("Recommendations", "recommendations", [f"{asked}: {'; '.join(recommendations)}."])
    return Paper(cover, summary, recommendations, asked, tuple(numbering.built), (), ())
