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
from finlib.core.commentary import and_list
from finlib.core.kinds import RowKind
from finlib.core.period import Period
from finlib.report.model import Column, Table
from finlib.report.paper import Cover, Numbering, Paper, Subheading

RAG_FORM = "rag"  # a column of RAG words, printed with a shape beside each so no reader relies on colour
WIDE_FORM = "wide"  # a long text that is not squeezed to a word a line
DOT_FORM = "dot"  # a direction of travel: its arrow, and its word for those who do not see it
TREND_FORM = "trend"  # a column of :class:`Trend` cells, drawn as a small line with its figures as text


@dataclass(frozen=True)
class Trend:
    """An indicator's latest result at each report of the year: (month, exact value, as printed)."""

    points: tuple[tuple[str, Decimal, str], ...]
    lower_better: bool = False  # drawn upside down, so that better results are higher

    def __str__(self) -> str:
        return "; ".join(f"{month} {text}" for month, _, text in self.points)


GUIDANCE = (
    "GREEN: performance has met or exceeded the current target. AMBER: performance is below the target "
    "but at or above the floor standard. RED: performance is below the floor standard. Where a target is "
    "below its floor standard, lower results are better and the comparisons turn round.",
    "The year to date (YTD) result is rated by the same rule; Snapshot data, measured at a point in time, "
    "and N/a have no rating.",
    "Activity indicators are not rated: they show whether activity is within its expected range (Yes, "
    "Above or Below, the bounds included), or, where there is no range, the year to date beside last year's.",
    "Results this year: each KPI's result at each report of the year, better results drawn higher.",
)


KPI_COLUMNS = (
    Column("ref", "Ref"),
    Column("indicator", "Indicator", form=WIDE_FORM),
    Column("latest", "Latest result"),
    Column("rag", "RAG", form=RAG_FORM),
    Column("dot", "DoT", form=DOT_FORM),
    Column("ytd", "YTD"),
    Column("ytd_rag", "YTD RAG", form=RAG_FORM),
    Column("target", "Target"),
    Column("floor", "Floor"),
    Column("previous_year", "Previous Year"),
    Column("trend", "Results this year", form=TREND_FORM),
)
ACTIVITY_COLUMNS = (
    Column("ref", "Ref"),
    Column("indicator", "Indicator", form=WIDE_FORM),
    Column("value", "Latest month"),
    Column("alert", "In expected range?"),
    Column("upper", "Upper"),
    Column("lower", "Lower"),
    Column("previous_year", "Previous Year, same basis"),
)
#: Activity indicators without an expected range: their year to date beside last year's.
YEAR_TO_DATE_COLUMNS = (
    Column("ref", "Ref"),
    Column("indicator", "Indicator", form=WIDE_FORM),
    Column("value", "Year to date"),
    Column("previous_year", "Prev. Yr YTD"),
)
SUMMARY_COLUMNS = (
    Column("service_area", "Service area"),
    Column("green", "GREEN"),
    Column("amber", "AMBER"),
    Column("red", "RED"),
    Column("improved", "↑ Improved"),
    Column("unchanged", "↔ Stable"),
    Column("fallen", "↓ Worse"),
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
    background: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()  # each a line: "Report Author: …; telephone …; email …"


def _frame(rows: Sequence[Mapping[str, object]], columns: Sequence[Column], kinds: Sequence[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=[c.key for c in columns])
    frame["kind"] = list(kinds) or [RowKind.LINE.value] * len(frame)
    return frame


#: A trend's points: when each result is for (the report's month, or the earlier month it reports to).
Points = Sequence[tuple[Period, kpi.Value]]


def _kpi_row(r: kpi.Rated, trends: Mapping[str, Points]) -> dict[str, object]:
    i, cells = r.indicator, r.printed()
    if r.result.results_to:
        cells["latest"] += f" (results to {Period.parse(r.result.results_to).month_name})"
    points = tuple((p.short_label, v.number, v.text) for p, v in trends.get(i.ref, ()))
    return {**{c.key: cells[c.key] for c in KPI_COLUMNS if c.key in cells}, "trend": Trend(points, i.lower_better)}


def _activity_row(r: kpi.Rated) -> dict[str, str]:
    i, cells = r.indicator, r.printed()
    value = r.result.latest or (r.result.ytd if isinstance(r.result.ytd, kpi.Value) else None)
    ranged = i.upper is not None or i.lower is not None
    basis = " (year to date)" if ranged and r.result.latest is None and value is not None else ""
    cells["value"] = (value.text if value else "N/a") + basis
    return {c.key: cells[c.key] for c in ACTIVITY_COLUMNS}


def areas(rated: Sequence[kpi.Rated]) -> list[str]:
    """The service areas, in the order their first indicator comes."""
    return list(dict.fromkeys(r.indicator.service_area for r in rated))


COUNTED = ("green", "amber", "red", "improved", "unchanged", "fallen", "new")


def summary_table(rated: Sequence[kpi.Rated], caption: str) -> Table:
    """Each service area's ratings and directions of travel counted, and their total."""
    rows, kinds = [], []
    for area in areas(rated):
        c = kpi.counts(r for r in rated if r.indicator.service_area == area and r.indicator.kind == "kpi")
        if c.rated or c.new:
            rows.append({"service_area": area, **{key: str(getattr(c, key)) for key in COUNTED}})
            kinds.append(RowKind.LINE.value)
    total = kpi.counts(r for r in rated if r.indicator.kind == "kpi")
    rows.append({"service_area": "Total", **{key: str(getattr(total, key)) for key in COUNTED}})
    kinds.append(RowKind.TOTAL.value)
    return Table("kpi-summary", caption, SUMMARY_COLUMNS, _frame(rows, SUMMARY_COLUMNS, kinds))


def _listed(names: Sequence[str]) -> str:
    shown = [n for n in dict.fromkeys(names) if n]
    return and_list(shown) if shown else "not named"


def activity_sentence(shown: Sequence[kpi.Rated]) -> str:
    ranged = [r for r in shown if r.indicator.kind == "activity" and r.alert is not None]
    if not ranged:
        return "No activity indicator has an expected range this period."
    above = [r.indicator.ref for r in ranged if r.alert == kpi.Alert.ABOVE]
    below = [r.indicator.ref for r in ranged if r.alert == kpi.Alert.BELOW]
    if len(ranged) == 1:
        r = ranged[0]
        where = {kpi.Alert.WITHIN: "within", kpi.Alert.ABOVE: "above", kpi.Alert.BELOW: "below"}[
            r.alert or kpi.Alert.WITHIN
        ]
        return f"The one activity indicator with an expected range, {r.indicator.ref}, is {where} it."
    if not above and not below:
        return f"All {len(ranged)} activity indicators with an expected range are within it."
    parts = [f"{and_list(above)} above" if above else "", f"{and_list(below)} below" if below else ""]
    outside = len(above) + len(below)
    return (
        f"{outside} of the {len(ranged)} activity indicators with an expected range "
        f"{'is' if outside == 1 else 'are'} outside it: " + "; ".join(p for p in parts if p) + "."
    )


def _area_content(
    in_area: Sequence[kpi.Rated], trends: Mapping[str, Points], area: str
) -> list[str | Table | Subheading]:
    """A service area's part: who directs, holds and delivers it, then each of its tables with the
    sentence that leads into it."""
    content: list[str | Table | Subheading] = [
        f"Director: {_listed([r.indicator.director for r in in_area])}; Cabinet Member: "
        f"{_listed([r.indicator.cabinet_member for r in in_area])}; delivered by "
        f"{_listed([r.indicator.delivery_by for r in in_area])}."
    ]
    activity = [r for r in in_area if r.indicator.kind == "activity"]
    ranged = [r for r in activity if r.indicator.upper or r.indicator.lower]
    parts = (
        ("kpis", "Key Performance Indicators", "the Key Performance Indicators", KPI_COLUMNS,
         [_kpi_row(r, trends) for r in in_area if r.indicator.kind == "kpi"]),
        ("activity", "activity against its expected range", "the activity indicators with an expected range",
         ACTIVITY_COLUMNS, [_activity_row(r) for r in ranged]),
        ("ytd", "activity, year to date", "the activity indicators without a range, beside last year's",
         YEAR_TO_DATE_COLUMNS, [_activity_row(r) for r in activity if r not in ranged]),
    )  # fmt: skip
    for name, caption, what, columns, rows in parts:
        if rows:
            content.append(f"{{table}} below gives {what}.")
            content.append(Table(f"{name}-{area}", f"{area}: {caption}", columns, _frame(rows, columns)))
    return content


def dashboard_paper(
    period: Period,
    directorates: Sequence[str],
    rated: Sequence[kpi.Rated],
    words: DashboardWords,
    remit: str,
    trends: Mapping[str, Points] | None = None,
    previous: Period | None = None,
) -> Paper:
    """The Performance Dashboard of ``directorates`` (a committee's remit, or every directorate);
    ``trends``: each KPI's latest results over the year (by ref), drawn beside it; ``previous``: the
    report the directions of travel compare with."""
    trends = trends or {}
    shown = [r for r in rated if r.indicator.directorate in directorates]
    kpis = [r for r in shown if r.indicator.kind == "kpi"]
    counts = kpi.counts(kpis)
    others = len(shown) - len(kpis)
    summary = (kpi.rag_sentence(counts) + ".", kpi.direction_sentence(counts) + ".")
    earlier = [r for r in kpis if r.result.results_to]
    months = _listed([Period.parse(r.result.results_to).month_name for r in earlier])
    introduction = [
        f"This dashboard reports the results to {period.label} of {len(kpis)} Key Performance "
        f"Indicator{'s' if len(kpis) != 1 else ''} and {others} activity indicator{'s' if others != 1 else ''} "
        f"of {remit}: each KPI's latest result against its target and floor standard, its direction of travel "
        "and its year to date, and activity against its expected range.",
        *(
            [f"{len(earlier)} of the KPIs report results to an earlier month ({months}), as their cells say."]
            if earlier
            else []
        ),
        *summary,
        activity_sentence(shown),
    ]
    compared = (
        f"the result at the previous report of the year ({previous.label})" if previous else "the previous result"
    )
    lower = [r.indicator.ref for r in kpis if r.indicator.lower_better]
    guidance = [
        GUIDANCE[0] + (f" Lower is better for {and_list(lower)}." if lower else ""),
        f"Direction of Travel (DoT) compares the latest result with {compared}: ↑ improved, ↓ worse, ↔ "
        "unchanged; New where there is none. Improvement follows the indicator's polarity.",
        *GUIDANCE[1:],
    ]
    numbering = Numbering()
    numbering.add("Introduction", "introduction", introduction)
    numbering.add("Guidance notes", "guidance", guidance)
    numbering.add(
        "Key Performance Indicators summary",
        "kpi-summary",
        [
            "{table} below counts each service area's ratings and directions of travel.",
            summary_table(shown, "KPI ratings and directions of travel by service area"),
        ],
    )
    by_directorate = len({r.indicator.directorate for r in shown}) > 1
    groups = (
        [(d, [r for r in shown if r.indicator.directorate == d]) for d in directorates]
        if by_directorate
        else [(area, [r for r in shown if r.indicator.service_area == area]) for area in areas(shown)]
    )
    for number, (title, members) in enumerate(groups, start=1):
        if not members:
            continue
        if by_directorate:
            content: list[str | Table | Subheading] = []
            for area in areas(members):
                content.append(Subheading(area))
                content += _area_content([r for r in members if r.indicator.service_area == area], trends, area)
        else:
            content = _area_content(members, trends, title)
        numbering.add(title, f"group-{number}", content)
    single = directorates[0] if len(directorates) == 1 else None
    subject = f"{single} Performance Dashboard: {period.label}" if single else f"Performance Dashboard: {period.label}"
    cover = Cover(words.from_, words.to, words.meeting, subject, words.classification)
    asked = f"{words.to} is asked to"
    recommendations = (f"note the performance position of {remit} to {period.label}",)
    numbering.add("Recommendations", "recommendations", [f"{asked}: {'; '.join(recommendations)}."])
    numbering.add("Background documents", "background", list(words.background) or ["None."])
    numbering.add("Contact details", "contacts", list(words.contacts) or [f"Contact: {words.authority}"])
    return Paper(cover, summary, recommendations, asked, tuple(numbering.built), tuple(words.background), ())
