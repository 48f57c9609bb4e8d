"""The forecast explorer's model: what it shows for one selection, as tables, paragraphs and charts.

Built from data :mod:`finlib.explorer` gathered once; the renderer (:mod:`finlib.render.explorer_html`)
formats these and computes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from finlib.core import actuals as ledger_tables
from finlib.core import forecast, revenue
from finlib.core.actuals import YTD, Actuals
from finlib.core.forecast import METHOD_COLUMNS, Accuracy, Methods
from finlib.core.kinds import LineKind, RowKind
from finlib.core.period import Period
from finlib.core.revenue import AMOUNTS, Position
from finlib.core.scenario import Scenario
from finlib.core.settings import Labels
from finlib.core.stage import Monitoring
from finlib.money import MILLIONS, POUNDS, THOUSANDS, Unit, millions, prose
from finlib.report.model import KIND, Bars, Bridge, Column, Figure, Table
from finlib.report.tables import AUTHORITY_COLUMNS, DIRECTORATE_COLUMNS, REVENUE_AMOUNTS

METHOD_NAMES = {"budget": "Budget", "run-rate": "Run-rate", "profiled": "Profiled", "return": "Manager's return"}
#: Flagged lines are marked in words and in bold (never by colour alone).
FLAG = "flagged: challenge"
LABEL_HEADINGS = {"row": "Directorate", "heading": "Budget Book Heading", "line": "Budget line"}
LINE_COLUMNS = (
    Column("line", "Budget line"),
    KIND,
    Column("net_budget", "Net Budget", THOUSANDS),
    *(Column(key, heading, THOUSANDS) for key, heading in REVENUE_AMOUNTS),
)
NO_LEDGER = (
    "This data set has no general-ledger extract for the year (ledger.csv, ledger.parquet or a ledger/ folder): "
    "no actuals and no forecast methods to show."
)
NO_SCENARIO = "No scenario chosen: set the parameter scenario to a file of data/…/scenarios."


def select(lines: pd.DataFrame, directorate: str | None, heading: str | None) -> pd.DataFrame:
    """Service lines of a directorate and/or heading (all of them when neither is given)."""
    chosen = lines[lines["kind"] == LineKind.SERVICE] if (directorate or heading) else lines
    if directorate:
        chosen = chosen[chosen["directorate"] == directorate]
    if heading:
        chosen = chosen[chosen["heading"] == heading]
    return chosen


def check_selection(position: Position, directorate: str | None, heading: str | None) -> None:
    """Raise ``KeyError`` naming what the budget book has when the selection chooses nothing."""
    lines = revenue.service_lines(position.lines)
    if directorate and directorate not in set(lines["directorate"]):
        known = ", ".join(revenue.directorates(position))
        raise KeyError(f"no directorate {directorate!r}; the budget book has: {known}")
    if heading and select(lines, directorate, heading).empty:
        where = f" in {directorate}" if directorate else ""
        raise KeyError(f"no budget heading {heading!r}{where}")


def title(directorate: str | None, heading: str | None) -> str:
    return " — ".join(x for x in (directorate, heading) if x) or "Whole authority"


def level(directorate: str | None, heading: str | None) -> str:
    return "heading" if heading else "directorate" if directorate else "authority"


def _lines(lines: pd.DataFrame, columns: Sequence[str], keep: Sequence[str] = ()) -> pd.DataFrame:
    """Selected lines as table rows: ``line`` (line_id · heading), ``kind`` = line, then ``columns``."""
    rows = lines.reset_index()
    rows["line"] = rows["line_id"] + " · " + rows["heading"]
    rows["kind"] = str(RowKind.LINE)
    return rows[["line", "line_id", "kind", *columns, *keep]]


# ---------------------------------------------------------------------------
# Position, history over the year, largest variances


@dataclass(frozen=True)
class ExplorerView:
    """What the forecast explorer shows first for one selection."""

    title: str
    period: Period
    position: Table
    history: Table
    history_chart: Figure
    largest: Table


def history_frame(
    positions: Sequence[tuple[Period, Position, bool]], directorate: str | None, heading: str | None
) -> pd.DataFrame:
    """Revised net variance of the selection in each published period of the year, and now."""
    rows = []
    for period, position, published in positions:
        chosen = select(position.lines, directorate, heading)
        rows.append(
            {
                "period": str(period),
                "label": period.label,
                "kind": str(RowKind.LINE),
                "revised_net_variance": int(chosen["revised_net_variance"].sum()),
                "published": published,
            }
        )
    frame = pd.DataFrame(rows)
    frame["revised_net_variance"] = frame["revised_net_variance"].astype("Int64")
    return frame


def explorer_view(
    monitoring: Monitoring,
    published: Sequence[tuple[Period, Position]],
    directorate: str | None,
    heading: str | None,
    top: int,
) -> ExplorerView:
    """The selection's position, its history over the year's published periods and now, its largest variances."""
    check_selection(monitoring.position, directorate, heading)
    name = title(directorate, heading)
    caption = f"{name}, {monitoring.period.label}"
    if heading:
        lines = _lines(select(monitoring.position.lines, directorate, heading), AMOUNTS)
        position = Table("lines", caption, LINE_COLUMNS, lines)
    elif directorate:
        position = Table("directorate", caption, DIRECTORATE_COLUMNS, monitoring.directorate_table(directorate))
    else:
        position = Table("authority", caption, AUTHORITY_COLUMNS, monitoring.authority_table())
    dated = [(p, pos, True) for p, pos in published if p < monitoring.period]
    frame = history_frame([*dated, (monitoring.period, monitoring.position, False)], directorate, heading)
    columns = (Column("label", "Period"), Column("revised_net_variance", "Revised Net Variance", MILLIONS))
    history = Table("history", f"{name}: revised net variance in each published period and now", columns, frame)
    bars = Bars(
        f"{name}: revised net variance by period",
        list(frame["label"]),
        [int(v) for v in frame["revised_net_variance"]],
    )
    figures = Table("chart", f"{name}: revised net variance by period", columns, frame)
    every = _lines(select(monitoring.position.lines, directorate, heading), AMOUNTS)
    order = every["revised_net_variance"].abs().sort_values(ascending=False, kind="stable").index
    largest = every.loc[order[:top]].reset_index(drop=True)
    return ExplorerView(
        title=name,
        period=monitoring.period,
        position=position,
        history=history,
        history_chart=Figure(bars, figures),
        largest=Table("largest", f"The {top} largest revised variances, {name}", LINE_COLUMNS, largest),
    )


# ---------------------------------------------------------------------------
# Actuals, forecast methods, forecast history and accuracy


@dataclass(frozen=True)
class LedgerView:
    """The explorer's ledger section for one selection: actuals, every forecast method, history, accuracy."""

    actuals_note: str
    actuals: Table
    unmapped: Table
    control: Table
    methods_note: str
    methods: Table
    method_lines: Table | None  # None: the authority has no flagged line
    no_flagged: str | None
    history: Table
    accuracy_note: str | None  # instead of the accuracy tables, when there is no completed year
    accuracy_by_month: Table | None
    accuracy_by_line: Table | None


def _unit_label(selection_level: str) -> tuple[Unit, str]:
    if selection_level == "authority":
        return MILLIONS, "row"
    return THOUSANDS, "heading" if selection_level != "heading" else "line"


def _months(periods: Sequence[Period]) -> tuple[Column, ...]:
    return tuple(Column(str(p), p.short_label) for p in periods)


def _with_unit(columns: Sequence[Column], unit: Unit) -> tuple[Column, ...]:
    return tuple(Column(c.key, c.heading, unit, c.csv, c.printed) for c in columns)


def ledger_view(
    monitoring: Monitoring,
    actuals: Actuals,
    methods: Methods,
    positions: Sequence[tuple[Period, Position]],
    accuracy: Accuracy | None,
    accuracy_year: str,
    directorate: str | None,
    heading: str | None,
) -> LedgerView:
    """Everything the explorer's ledger section shows for the selection."""
    name, selection = title(directorate, heading), level(directorate, heading)
    labels: Labels = monitoring.settings.labels
    unit, label = _unit_label(selection)
    month_columns = [*actuals.columns]
    history = forecast.history(positions)
    periods = [p for p, _ in positions]
    history_columns = [*(str(p) for p in periods), "change"]
    chosen = select(methods.lines, directorate, heading)
    if heading:
        actuals_frame = _lines(select(actuals.lines, directorate, heading), month_columns)
        methods_frame = _lines(chosen, forecast.AMOUNTS[:-1])
        history_frame_ = _lines(select(history, directorate, heading), history_columns)
    elif directorate:
        actuals_frame = ledger_tables.directorate_actuals(actuals, directorate)
        methods_frame = forecast.directorate_methods(methods, directorate)
        history_frame_ = revenue.directorate_rollup(history, directorate, history_columns)
    else:
        actuals_frame = ledger_tables.authority_actuals(actuals, labels)
        methods_frame = forecast.authority_methods(methods, labels)
        history_frame_ = revenue.authority_rollup(history, labels, history_columns)
        chosen = methods.flagged
    label_column = Column(label, LABEL_HEADINGS[label])
    months = _with_unit(_months(actuals.months), unit)
    actuals_table = Table(
        "actuals",
        f"{name}: actuals from the general ledger by month, April to {actuals.through.short_label}",
        (label_column, *months, Column(YTD, "Year to date", unit)),
        actuals_frame,
    )
    centres = len(actuals.unmapped)
    actuals_note = (
        f"The ledger extract ({actuals.source.name}) holds {actuals.rows:,} rows. "
        f"{prose(actuals.unmapped_total)} year to date ({centres} cost centre{'s' if centres != 1 else ''}) is on cost "
        "centres that map to no budget line: it is kept in its own row, never dropped. Actuals by line plus unmapped "
        "equal the extract's total to the penny in every month."
    )
    unmapped = Table(
        "unmapped",
        "Cost centres not mapped to a budget line (add them to cost_centres.csv)",
        (
            Column("cost_centre", "Cost centre"),
            *_with_unit(_months(actuals.months), POUNDS),
            Column(YTD, "Year to date", POUNDS),
        ),
        ledger_tables.unmapped_table(actuals),
    )
    control = actuals.control.assign(
        kind=[str(RowKind.TOTAL) if p == "total" else str(RowKind.LINE) for p in actuals.control["period"]],
        month=["All months" if p == "total" else Period.parse(p).short_label for p in actuals.control["period"]],
    )
    control_table = Table(
        "control",
        "Control totals: the ledger extract reconciled to the penny",
        (
            Column("month", "Month"),
            Column("extract", "Extract total", POUNDS),
            Column("lines", "Actuals by line", POUNDS),
            Column("unmapped", "Not mapped", POUNDS),
            Column("difference", "Difference", POUNDS),
        ),
        control,
    )
    outturns = tuple(Column(METHOD_COLUMNS[m], f"{METHOD_NAMES[m]} outturn", unit) for m in METHOD_NAMES)
    methods_table = Table(
        "methods",
        f"{name}: forecast outturn by every method, {monitoring.period.label}",
        (
            label_column,
            Column("net_budget", "Net Budget", unit),
            Column(YTD, "Actual to date", unit),
            *outturns,
            Column("chosen", "Chosen method's outturn", unit),
        ),
        methods_frame,
    )
    methods_note = (
        f"Run-rate scales the {methods.months} months' actuals to twelve; profiled spreads them by last year's "
        "monthly profile of the line; the manager's return is forecasts.csv. Each line's chosen method is "
        f"set in forecast_methods.csv, else {METHOD_NAMES[methods.default].lower()} (authority.yaml). A line is "
        f"flagged when the manager's return departs from the budget, the run-rate and the profiled forecast "
        f"alike by more than {millions(methods.threshold)}."
    )
    lines = _lines(
        forecast.variances(methods.narrowed(chosen)), [*forecast.AMOUNTS], keep=["method", "profile", "nearest", "flag"]
    )
    flagged = lines["flag"].astype(bool)
    lines["kind"] = [str(RowKind.FLAGGED) if f else str(RowKind.LINE) for f in flagged]
    lines["line"] = [
        f"{line} [{method}; {FLAG}]" if f else f"{line} [{method}]"
        for line, method, f in zip(lines["line"], lines["method"], flagged, strict=True)
    ]
    line_columns = (
        Column("line", "Budget line [chosen method]"),
        Column(YTD, "Actual to date", THOUSANDS),
        *(Column(METHOD_COLUMNS[m], f"{METHOD_NAMES[m]} variance", THOUSANDS) for m in METHOD_NAMES if m != "budget"),
        Column("chosen", "Chosen method's variance", THOUSANDS),
        Column("departure", "Return less the nearest method", THOUSANDS),
    )
    no_flagged = None
    method_lines: Table | None
    if selection == "authority":
        caption = f"Lines flagged for challenge ({len(lines)}), {monitoring.period.label}"
        if lines.empty:
            no_flagged = "No line's return departs from every method by more than the threshold."
    else:
        caption = f"{name}: forecast variance by each method, line by line"
    method_lines = None if no_flagged else Table("method_lines", caption, line_columns, lines)
    history_table = Table(
        "forecast_history",
        f"{name}: Net Forecast Variance in each published period and now",
        (label_column, *_with_unit(_months(periods), unit), Column("change", "Change", unit)),
        history_frame_,
    )
    accuracy_note = by_month = by_line = None
    if accuracy is None:
        accuracy_note = (
            "Forecast accuracy compares a completed year's published forecasts with its outturn in the ledger. "
            f"{accuracy_year} has no published forecast or no ledger extract to March in this data set, "
            "so there is nothing to compare yet."
        )
    else:
        by_month, by_line = _accuracy_tables(accuracy)
    return LedgerView(
        actuals_note=actuals_note,
        actuals=actuals_table,
        unmapped=unmapped,
        control=control_table,
        methods_note=methods_note,
        methods=methods_table,
        method_lines=method_lines,
        no_flagged=no_flagged,
        history=history_table,
        accuracy_note=accuracy_note,
        accuracy_by_month=by_month,
        accuracy_by_line=by_line,
    )


def _accuracy_tables(result: Accuracy) -> tuple[Table, Table]:
    month_frame = result.by_month.assign(
        kind=str(RowKind.LINE), label=[Period.parse(p).short_label for p in result.by_month["period"]]
    )
    by_month = Table(
        "accuracy_by_month",
        f"Forecast accuracy, {result.year}: the whole authority by month",
        (
            Column("label", "Forecast made in"),
            Column("forecast", "Forecast outturn", MILLIONS),
            Column("outturn", "Outturn", MILLIONS),
            Column("error", "Error (forecast − outturn)", MILLIONS),
            Column("abs_error", "Sum of the lines' absolute errors", MILLIONS),
        ),
        month_frame,
    )
    line_frame = result.by_line.reset_index().assign(kind=str(RowKind.LINE))
    line_frame["line"] = line_frame["line_id"] + " · " + line_frame["heading"]
    by_line = Table(
        "accuracy_by_line",
        f"Forecast error by line, {result.year}, least accurate first",
        (
            Column("line", "Budget line"),
            *_with_unit(_months(result.periods), THOUSANDS),
            Column("mean_abs_error", "Mean absolute error", THOUSANDS),
            Column("worst", "Worst error", THOUSANDS),
        ),
        line_frame,
    )
    return by_month, by_line


# ---------------------------------------------------------------------------
# What-if scenarios

SCENARIO_COLUMNS = (Column("row", "Position and assumptions"), KIND, Column("amount", "Amount", MILLIONS))


@dataclass(frozen=True)
class ScenarioView:
    """A what-if scenario: its table (£m), what each assumption covers, and its waterfall."""

    name: str
    period: Period
    table: Table
    notes: list[str]
    bridge: Figure
    covers: Mapping[str, str]  # assumption label → the unit it concerns


def scenario_view(result: Scenario, name: str, labels: Labels) -> ScenarioView:
    caption = f"What-if scenario, {result.period.label}"
    trusted = frozenset({labels.scenario_start, labels.scenario_end})
    table = Table("scenario", caption, SCENARIO_COLUMNS, result.table, trusted)
    notes = [
        f"{step['label']}: {'balances' if step['kind'] == 'balances' else 'a stated amount'}"
        + (f" ({step['covers']}, {step['lines']} budget lines)" if step["covers"] else "")
        + f", {prose(int(step['effect']))}."
        for _, step in result.steps.iterrows()
    ]
    rows = result.table
    steps = rows[rows["kind"] == RowKind.LINE]
    bridge = Bridge(
        title="What-if: the position under the scenario's assumptions",
        start_label=str(rows["row"].iloc[0]),
        start=result.start,
        steps=Bars("Assumptions", [str(v) for v in steps["row"]], [int(v) for v in steps["amount"]]),
        end_label=str(rows["row"].iloc[-1]),
        end=result.end,
    )
    figures = Table("chart", f"{caption}: the figures of the chart", SCENARIO_COLUMNS, result.table, trusted)
    covers = dict(zip(result.steps["label"].astype(str), result.steps["covers"].astype(str), strict=True))
    return ScenarioView(name, result.period, table, notes, Figure(bridge, figures), covers)


@dataclass(frozen=True)
class Exploration:
    """Everything the forecast explorer shows, gathered once."""

    authority_name: str
    view: ExplorerView
    ledger: LedgerView | None  # None: the year has no ledger extract
    scenario: ScenarioView | None  # None: no scenario chosen

    @property
    def no_ledger(self) -> str:
        return NO_LEDGER

    @property
    def no_scenario(self) -> str:
        return NO_SCENARIO


# ---------------------------------------------------------------------------
# Gathered once, viewed for any selection


@dataclass(frozen=True)
class LedgerData:
    """The year's ledger as the explorer uses it: actuals, every forecast method, the forecast history
    (published periods and now), last year's accuracy, and the cost-centre mapping for drill-down."""

    actuals: Actuals
    methods: Methods
    positions: list[tuple[Period, Position]]
    accuracy: Accuracy | None
    accuracy_year: str
    centres: pd.DataFrame  # indexed by cost_centre: line_id, description


@dataclass(frozen=True)
class ExplorerData:
    """Everything the explorer reads for one period, gathered once (:func:`finlib.explorer.gather`);
    every selection's views are built from it without reading a file (:func:`exploration`)."""

    monitoring: Monitoring
    published: list[tuple[Period, Position]]
    ledger: LedgerData | None  # None: the year has no ledger extract
    scenario: ScenarioView | None  # None: no scenario chosen

    @property
    def period(self) -> Period:
        return self.monitoring.period

    def directorates(self) -> list[str]:
        """The directorates one can choose, in budget book order."""
        return revenue.directorates(self.monitoring.position)

    def headings(self, directorate: str | None) -> list[str]:
        """The budget book headings one can choose: a directorate's, or every directorate's."""
        lines = select(revenue.service_lines(self.monitoring.position.lines), directorate, None)
        return list(dict.fromkeys(lines["heading"]))

    def lines(self, directorate: str | None, heading: str | None) -> list[tuple[str, str]]:
        """The service lines of a selection as ``(label, line_id)``, the largest revised variance first."""
        chosen = select(revenue.service_lines(self.monitoring.position.lines), directorate, heading)
        order = chosen["revised_net_variance"].abs().sort_values(ascending=False, kind="stable").index
        headings = chosen["heading"].astype(str)
        return [(f"{line_id} · {headings[line_id]}", str(line_id)) for line_id in order]


def exploration(data: ExplorerData, directorate: str | None, heading: str | None, top: int) -> Exploration:
    """What the explorer shows for a selection (raises ``KeyError`` for one the budget book lacks)."""
    monitoring = data.monitoring
    view = explorer_view(monitoring, data.published, directorate, heading, top)
    ledger = data.ledger
    shown = (
        None
        if ledger is None
        else ledger_view(
            monitoring,
            ledger.actuals,
            ledger.methods,
            ledger.positions,
            ledger.accuracy,
            ledger.accuracy_year,
            directorate,
            heading,
        )
    )
    return Exploration(monitoring.settings.name, view, shown, data.scenario)


# ---------------------------------------------------------------------------
# Drill-down: a line's cost centres and postings

#: Postings the explorer shows for a line, the largest first; the export holds every one.
POSTINGS_SHOWN = 50
NO_DRILL = "Choose a budget line to see its cost centres and postings."


@dataclass(frozen=True)
class DrillDown:
    """A line's actuals to date by cost centre and the postings behind them (exact pence)."""

    line_id: str
    title: str
    note: str
    centres: Table
    postings: Table  # every posting, in file order (what is exported)
    largest: Table  # the largest postings (what is shown)


def drill_view(
    actuals: Actuals, centres: pd.DataFrame, postings: pd.DataFrame, line_id: str, shown: int = POSTINGS_SHOWN
) -> DrillDown:
    """A line's cost centres (months and year to date, to the penny) and its postings.

    ``centres`` maps cost centres to lines (indexed by cost_centre, with ``line_id`` and
    ``description``); ``postings`` are :func:`finlib.inputs.ledger.read_postings`' rows for the line's
    cost centres.  The postings add up to the line's actuals to date exactly, or ``ValueError`` is
    raised (a fault: the drill-down and the actuals read the same file).
    """
    name = f"{line_id} · {actuals.lines['heading'].astype(str)[line_id]}"
    months = [str(p) for p in actuals.months]
    mine = centres[centres["line_id"] == line_id]
    by_centre = (
        postings.pivot_table(index="cost_centre", columns="period", values="amount", aggfunc="sum", fill_value=0)
        .reindex(index=mine.index, columns=months, fill_value=0)
        .astype("int64")
    )
    frame = pd.DataFrame(index=mine.index)
    frame["description"] = mine["description"].fillna("").astype(str) if "description" in mine else ""
    for month in months:
        frame[month] = by_centre[month].astype("Int64")
    frame[YTD] = by_centre[months].sum(axis=1).astype("Int64")
    frame["postings"] = postings.groupby("cost_centre").size().reindex(mine.index, fill_value=0).astype(str)
    frame["kind"] = str(RowKind.LINE)
    frame = frame.reset_index(names="cost_centre")
    total = {
        "cost_centre": "Line total",
        "description": "",
        **{month: int(by_centre[month].sum()) for month in months},
        YTD: int(by_centre[months].to_numpy().sum()),
        "postings": str(len(postings)),
        "kind": str(RowKind.TOTAL),
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for column in (*months, YTD):
        frame[column] = frame[column].astype("Int64")
    expected = int(actuals.lines[YTD].astype("int64")[line_id])
    if total[YTD] != expected:
        raise ValueError(f"{name}: the postings add up to {total[YTD]} pence, its actuals to date to {expected}")
    centres_table = Table(
        "drill_centres",
        f"{name}: actuals by cost centre, April to {actuals.through.short_label}",
        (
            Column("cost_centre", "Cost centre"),
            Column("description", "Description"),
            *_with_unit(_months(actuals.months), POUNDS),
            Column(YTD, "Year to date", POUNDS),
            Column("postings", "Postings"),
        ),
        frame,
    )
    rows = postings.assign(
        kind=str(RowKind.LINE),
        month=[Period.parse(p).short_label for p in postings["period"]],
        row=[
            f"{part}, row {row}" if part else str(row)
            for part, row in zip(postings["part"], postings["row"], strict=True)
        ],
    )
    posting_columns = (
        Column("row", "Row of the extract"),
        Column("month", "Month"),
        Column("cost_centre", "Cost centre"),
        Column("account", "Account"),
        Column("description", "Description"),
        Column("amount", "Amount", POUNDS),
    )
    every = Table(
        "drill_postings", f"{name}: every posting, April to {actuals.through.short_label}", posting_columns, rows
    )
    order = rows["amount"].abs().sort_values(ascending=False, kind="stable").index[:shown]
    largest = Table(
        "drill_largest",
        f"{name}: the {min(shown, len(rows))} largest of {len(rows):,} postings",
        posting_columns,
        rows.loc[order].reset_index(drop=True),
    )
    note = (
        f"{name} has {len(mine)} cost centre{'s' if len(mine) != 1 else ''} and {len(rows):,} posting"
        f"{'s' if len(rows) != 1 else ''} from April to {actuals.through.short_label}, adding up to its actuals to "
        f"date, {prose(expected)}, to the penny. The largest {min(shown, len(rows))} are listed; the export holds "
        "every one."
    )
    return DrillDown(line_id, name, note, centres_table, every, largest)


def selection_tables(exploration: Exploration, drill: DrillDown | None) -> list[Table]:
    """The tables of a selection, in reading order, as the explorer exports them."""
    view, ledger = exploration.view, exploration.ledger
    tables = [view.position, view.history, view.largest]
    if ledger is not None:
        tables += [ledger.actuals, ledger.unmapped, ledger.control, ledger.methods]
        tables += [t for t in (ledger.method_lines, ledger.history) if t is not None]
    if drill is not None:
        tables += [drill.centres, drill.postings]
    if exploration.scenario is not None:
        tables.append(exploration.scenario.table)
    return tables
