"""What the forecast explorer shows about actuals, forecast methods and scenarios: one call each.

Like :mod:`finlib.monitoring`, this only gathers: inputs and the position (:func:`finlib.monitor`), the
ledger (:mod:`finlib.ledger`), published periods (:mod:`finlib.store`), then the pure computations of
:mod:`finlib.forecast` and :mod:`finlib.scenario`.  Renderers (:mod:`finlib.render.analysis_html`) read
the views built here and compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finlib import forecast, inputs, ledger, revenue
from finlib import scenario as what_if
from finlib.commentary import period_label
from finlib.config import DataSet, Labels, financial_year, previous_year
from finlib.errors import InputError, UsageError
from finlib.explore import select
from finlib.forecast import Accuracy, Methods
from finlib.ledger import Actuals
from finlib.monitoring import Monitoring, monitor


@dataclass(frozen=True)
class LedgerView:
    """Actuals, forecast methods, forecast history and accuracy for one selection of lines."""

    title: str
    period_label: str
    level: str  # authority | directorate | heading
    labels: Labels
    actuals: Actuals
    actuals_table: pd.DataFrame  # by month and year to date, rows as the position's tables
    methods: Methods
    methods_table: pd.DataFrame  # outturn by each method, rows as the position's tables
    method_lines: pd.DataFrame  # the selected lines (the flagged ones for the whole authority), as variances
    history: pd.DataFrame  # Net Forecast Variance in each published period and now
    history_periods: list[str]
    accuracy: Accuracy | None  # last year's, when it is complete and published
    accuracy_year: str


def _data(data: DataSet | Path | str) -> DataSet:
    return data if isinstance(data, DataSet) else DataSet(Path(data))


def ledger_view(
    data: DataSet | Path | str,
    period: str,
    last_reported: str | None = None,
    directorate: str | None = None,
    heading: str | None = None,
    monitoring: Monitoring | None = None,
) -> LedgerView | None:
    """Everything the explorer's ledger section shows; ``None`` when the year has no ledger extract."""
    data = _data(data)
    monitoring = monitoring or monitor(data, period, last_reported)
    year = financial_year(monitoring.period)
    if not ledger.has_ledger(data, year):
        return None
    actuals = ledger.load_actuals(data, monitoring.period)
    previous = ledger.load_previous(data, year)
    problems: list = []
    choices = inputs.read_forecast_methods(data, year, monitoring.inputs.budget_book, problems)
    if problems:
        raise InputError(problems)
    settings = monitoring.inputs.settings
    methods = forecast.compare_methods(monitoring.position, actuals, previous, settings, choices)
    positions = [*forecast.published_positions(data, year, before=monitoring.period)]
    positions.append((monitoring.period, monitoring.position))
    history = forecast.history(positions)
    periods = [p for p, _ in positions]
    labels = settings.labels
    chosen = select(methods.lines, directorate, heading)
    if heading:
        level = "heading"
        actuals_table = _lines(select(actuals.lines, directorate, heading), actuals.columns)
        methods_table = _lines(chosen, forecast.AMOUNTS[:-1])
        history_table = _lines(select(history, directorate, heading), [*periods, "change"])
    elif directorate:
        level = "directorate"
        actuals_table = ledger.directorate_actuals(actuals, directorate)
        methods_table = forecast.directorate_methods(methods, directorate)
        history_table = revenue.directorate_rollup(history, directorate, [*periods, "change"])
    else:
        level = "authority"
        actuals_table = ledger.authority_actuals(actuals, labels)
        methods_table = forecast.authority_methods(methods, labels)
        history_table = revenue.authority_rollup(history, labels, [*periods, "change"])
        chosen = methods.flagged
    as_variances = forecast.variances(
        Methods(methods.period, methods.months, methods.threshold, methods.default, chosen)
    )
    try:
        accuracy = forecast.load_accuracy(data, previous_year(year))
    except (InputError, UsageError):  # last year's ledger is incomplete or unreadable: no accuracy to show
        accuracy = None
    return LedgerView(
        title=" — ".join(x for x in (directorate, heading) if x) or "Whole authority",
        period_label=period_label(monitoring.period),
        level=level,
        labels=labels,
        actuals=actuals,
        actuals_table=actuals_table,
        methods=methods,
        methods_table=methods_table,
        method_lines=_lines(as_variances, [*forecast.AMOUNTS], keep=["method", "profile", "nearest", "flag"]),
        history=history_table,
        history_periods=periods,
        accuracy=accuracy,
        accuracy_year=previous_year(year),
    )


def _lines(lines: pd.DataFrame, columns: list[str], keep: list[str] | None = None) -> pd.DataFrame:
    """Selected lines as table rows: ``line`` (line_id · heading), ``kind`` = line, then ``columns``."""
    table = lines.reset_index()
    table["line"] = table["line_id"] + " · " + table["heading"]
    table["kind"] = "line"
    return table[["line", "line_id", "kind", *columns, *(keep or [])]]


def scenario_view(
    data: DataSet | Path | str,
    period: str,
    scenario: str | Path | None,
    last_reported: str | None = None,
    monitoring: Monitoring | None = None,
) -> what_if.Scenario | None:
    """The position of ``period`` under the assumptions of a scenario file (a name in
    ``<data>/scenarios/`` or a path); ``None`` when no scenario is given."""
    if scenario is None:
        return None
    data = _data(data)
    monitoring = monitoring or monitor(data, period, last_reported)
    assumptions = inputs.load_scenario(data.scenario(scenario), monitoring.inputs.budget_book)
    return what_if.apply(monitoring.position, monitoring.inputs.settings.labels, assumptions)
