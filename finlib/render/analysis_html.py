"""HTML for the forecast explorer's analysis: actuals from the ledger, forecast methods, forecast history
and accuracy, and what-if scenarios.

Built from :mod:`finlib.analysis`'s views with the report's own pieces (:func:`finlib.render.html.table`,
:func:`~finlib.render.html.figure`, :func:`~finlib.render.html.style`), so these tables look, read and
round like the report's: captions, header cells with scope, true minus signs, figures rounded only here.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from finlib import charts
from finlib.analysis import LedgerView
from finlib.forecast import METHOD_COLUMNS
from finlib.ledger import YTD
from finlib.money import MILLIONS, MINUS, POUNDS, THOUSANDS, Unit, prose
from finlib.render.html import figure, paragraphs, style, table, wrap
from finlib.report import Bars, Bridge
from finlib.scenario import Scenario

METHOD_NAMES = {"budget": "Budget", "run-rate": "Run-rate", "profiled": "Profiled", "return": "Manager's return"}
#: Flagged lines are marked in words and in bold (never by colour alone).
FLAG = "flagged: challenge"
EXTRA_STYLE = "<style>.finlib tr.flagged th, .finlib tr.flagged td { font-weight: 700; }</style>"


def month_name(period: str) -> str:
    """``2017-04`` → ``Apr 2017``."""
    return dt.date(int(period[:4]), int(period[5:]), 1).strftime("%b %Y")


def _level(view: LedgerView) -> tuple[Unit, str]:
    return (
        (MILLIONS, "row")
        if view.level == "authority"
        else (THOUSANDS, "heading" if view.level != "heading" else "line")
    )


NO_LEDGER = paragraphs(
    [
        "This data set has no general-ledger extract for the year (ledger.csv or ledger.parquet): no actuals and "
        "no forecast methods to show."
    ]
)
LABEL_HEADERS = {"row": "Directorate", "heading": "Budget Book Heading", "line": "Budget line"}


# ---------------------------------------------------------------------------
# Actuals


def actuals(view: LedgerView | None) -> str:
    """Actuals by month and year to date for the selection, the unmapped bucket and the control totals."""
    if view is None:
        return NO_LEDGER
    unit, label = _level(view)
    months = view.actuals.months
    headers = {label: LABEL_HEADERS[label], **{m: month_name(m) for m in months}, YTD: "Year to date"}
    caption = f"{view.title}: actuals from the general ledger by month, April to {month_name(months[-1])}"
    unmapped = view.actuals.unmapped_total
    centres = len(view.actuals.unmapped)
    note = (
        f"The ledger extract ({view.actuals.source.name}) holds {view.actuals.control['rows'].iloc[-1]:,} rows. "
        f"{prose(unmapped)} year to date ({centres} cost centre{'s' if centres != 1 else ''}) is on cost centres "
        "that map to no budget line: it is kept in its own row, never dropped. Actuals by line plus unmapped "
        "equal the extract's total to the penny in every month."
    )
    return "".join(
        [
            paragraphs([note]),
            table(view.actuals_table, unit, headers, caption),
            unmapped_table(view),
            control_table(view),
        ]
    )


def unmapped_table(view: LedgerView) -> str:
    table_frame = view.actuals.unmapped.reset_index().assign(kind="line")
    total = {c: int(view.actuals.unmapped[c].sum()) for c in view.actuals.columns}
    frame = pd.concat(
        [table_frame, pd.DataFrame([{"cost_centre": "Total not mapped", "kind": "total", **total}])],
        ignore_index=True,
    )
    headers = {"cost_centre": "Cost centre", **{m: month_name(m) for m in view.actuals.months}, YTD: "Year to date"}
    return table(frame, POUNDS, headers, "Cost centres not mapped to a budget line (add them to cost_centres.csv)")


def control_table(view: LedgerView) -> str:
    control = view.actuals.control.assign(
        kind=lambda f: ["total" if p == "total" else "line" for p in f["period"]],
        month=lambda f: [p if p == "total" else month_name(p) for p in f["period"]],
    )
    control["month"] = control["month"].replace("total", "All months")
    headers = {
        "month": "Month",
        "extract": "Extract total",
        "lines": "Actuals by line",
        "unmapped": "Not mapped",
        "difference": "Difference",
    }
    return table(control, POUNDS, headers, "Control totals: the ledger extract reconciled to the penny")


# ---------------------------------------------------------------------------
# Forecast methods


def methods(view: LedgerView | None) -> str:
    """Every method's forecast for the selection, then the lines (the flagged ones, for the authority)."""
    if view is None:
        return ""
    unit, label = _level(view)
    outturns = {METHOD_COLUMNS[m]: f"{METHOD_NAMES[m]} outturn" for m in METHOD_NAMES}
    headers = {
        label: LABEL_HEADERS[label],
        "net_budget": "Net Budget",
        YTD: "Actual to date",
        **outturns,
        "chosen": "Chosen method's outturn",
    }
    caption = f"{view.title}: forecast outturn by every method, {view.period_label}"
    methods_ = view.methods
    intro = (
        f"Run-rate scales the {methods_.months} months' actuals to twelve; profiled spreads them by last year's "
        "monthly profile of the line; the manager's return is forecasts.csv. Each line's chosen method is "
        f"set in forecast_methods.csv, else {METHOD_NAMES[methods_.default].lower()} (authority.yaml). A line is "
        f"flagged when the manager's return departs from the budget, the run-rate and the profiled forecast "
        f"alike by more than £{MILLIONS.text(methods_.threshold)}m."
    )
    return "".join(
        [
            paragraphs([intro]),
            table(view.methods_table, unit, headers, caption),
            method_lines(view),
        ]
    )


def method_lines(view: LedgerView) -> str:
    """The lines as forecast variances by each method, the chosen one, and the flags."""
    lines = view.method_lines.copy()
    flagged = lines["flag"].astype(bool)
    lines["kind"] = ["flagged" if f else "line" for f in flagged]
    lines["line"] = [
        f"{name} [{method}; {FLAG}]" if f else f"{name} [{method}]"
        for name, method, f in zip(lines["line"], lines["method"], flagged, strict=True)
    ]
    headers = {
        "line": "Budget line [chosen method]",
        YTD: "Actual to date",
        **{METHOD_COLUMNS[m]: f"{METHOD_NAMES[m]} variance" for m in METHOD_NAMES if m != "budget"},
        "chosen": "Chosen method's variance",
        "departure": "Return less the nearest method",
    }
    if view.level == "authority":
        caption = f"Lines flagged for challenge ({len(lines)}), {view.period_label}"
        if lines.empty:
            return paragraphs(["No line's return departs from every method by more than the threshold."])
    else:
        caption = f"{view.title}: forecast variance by each method, line by line"
    return EXTRA_STYLE + table(lines, THOUSANDS, headers, caption)


# ---------------------------------------------------------------------------
# History and accuracy


def history(view: LedgerView | None) -> str:
    if view is None:
        return ""
    unit, label = _level(view)
    headers = {label: LABEL_HEADERS[label], **{p: month_name(p) for p in view.history_periods}, "change": "Change"}
    caption = f"{view.title}: Net Forecast Variance in each published period and now"
    return table(view.history, unit, headers, caption)


def accuracy(view: LedgerView | None) -> str:
    if view is None:
        return ""
    result = view.accuracy
    if result is None:
        return paragraphs(
            [
                f"Forecast accuracy compares a completed year's published forecasts with its outturn in the ledger. "
                f"{view.accuracy_year} has no published forecast or no ledger extract to March in this data set, "
                "so there is nothing to compare yet."
            ]
        )
    by_month = result.by_month.assign(kind="line", label=lambda f: [month_name(p) for p in f["period"]])
    month_headers = {
        "label": "Forecast made in",
        "forecast": "Forecast outturn",
        "outturn": "Outturn",
        "error": "Error (forecast − outturn)",
        "abs_error": "Sum of the lines' absolute errors",
    }
    by_line = result.by_line.reset_index().assign(kind="line")
    by_line["line"] = by_line["line_id"] + " · " + by_line["heading"]
    line_headers = {
        "line": "Budget line",
        **{p: month_name(p) for p in result.periods},
        "mean_abs_error": "Mean absolute error",
        "worst": "Worst error",
    }
    return "".join(
        [
            table(by_month, MILLIONS, month_headers, f"Forecast accuracy, {result.year}: the whole authority by month"),
            table(by_line, THOUSANDS, line_headers, f"Forecast error by line, {result.year}, least accurate first"),
        ]
    )


# ---------------------------------------------------------------------------
# What-if scenarios


def scenario_bridge(result: Scenario, title: str) -> Bridge:
    """The scenario as the report's waterfall: from the position, each assumption, to the result."""
    rows = result.table
    steps = rows[rows["kind"] == "line"]
    return Bridge(
        title=title,
        start_label=str(rows["row"].iloc[0]),
        start=result.start,
        steps=Bars("Assumptions", list(steps["row"]), [int(v) for v in steps["amount"]]),
        end_label=str(rows["row"].iloc[-1]),
        end=result.end,
    )


def scenario(result: Scenario | None, period_label: str = "") -> str:
    """The scenario table (£m), its waterfall, and what each assumption covers."""
    if result is None:
        return paragraphs(["No scenario chosen: set the parameter scenario to a file of data/…/scenarios."])
    caption = f"What-if scenario{', ' + period_label if period_label else ''}"
    headers = {"row": "Position and assumptions", "amount": "Amount"}
    table_html = table(result.table, MILLIONS, headers, caption)
    bridge = scenario_bridge(result, "What-if: the position under the scenario's assumptions, £m")
    notes = [
        f"{step['label']}: {'balances' if step['kind'] == 'balances' else 'a stated amount'}"
        + (f" ({step['covers']}, {step['lines']} budget lines)" if step["covers"] else "")
        + f", {prose(int(step['effect']))}."
        for _, step in result.steps.iterrows()
    ]
    return "".join(
        [
            table_html,
            paragraphs(notes),
            figure(
                charts.bridge_svg(bridge),
                charts.bridge_alt(bridge),
                bridge.title,
                table(result.table, MILLIONS, headers, f"{caption}: the figures of the chart"),
            ),
        ]
    )


def scenario_page(result: Scenario, authority: str, period_label: str, name: str) -> str:
    """A standalone accessible page of a scenario (written by ``finlib scenario --out``)."""
    body = wrap(
        f'<header><p class="meta">{escape(authority)}</p><h1>What-if: {escape(name)}</h1>'
        f'<p class="meta">{escape(period_label)}; + is a pressure, {MINUS} an underspend.</p></header>',
        scenario(result, period_label),
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>What-if: {escape(name)}, '
        f"{escape(period_label)}</title>{style()}</head><body><main>{body}</main></body></html>\n"
    )
