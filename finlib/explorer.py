"""The forecast explorer's data, gathered once: the position, the year's published periods, the ledger,
last year's accuracy and a what-if scenario, for one selection of lines.

Like :mod:`finlib.monitoring`, this only gathers (from :mod:`finlib.inputs` and :mod:`finlib.store`)
and hands the data to the pure domain and the explorer's model (:mod:`finlib.report.explorer`).
"""

from __future__ import annotations

from pathlib import Path

from finlib import store
from finlib.config import DataSet
from finlib.core import forecast
from finlib.core import scenario as what_if
from finlib.core.forecast import Accuracy
from finlib.core.period import FinancialYear, Period
from finlib.core.revenue import Position
from finlib.core.stage import Monitoring
from finlib.errors import InputError, Problems, UsageError
from finlib.inputs import ledger, read_forecast_methods, read_scenario
from finlib.monitoring import monitor
from finlib.report.explorer import Exploration, LedgerView, ScenarioView, explorer_view, ledger_view, scenario_view


def published_positions(
    data: DataSet, year: FinancialYear, before: Period | None = None
) -> list[tuple[Period, Position]]:
    """The year's published positions (current versions), in period order; only those before ``before``."""
    return [
        (p, store.load_published(data, p)) for p in store.published_periods(data, year) if before is None or p < before
    ]


def load_accuracy(data: DataSet, year: FinancialYear) -> Accuracy | None:
    """Forecast accuracy for a completed year: its published forecasts against the ledger's outturn.

    ``None`` when the year has no published period or no ledger extract; :class:`UsageError` when the
    ledger does not yet run to March.
    """
    positions = published_positions(data, year)
    if not positions or not ledger.has_ledger(data, year):
        return None
    actuals = ledger.read_actuals(data, year)
    if actuals.through != year.last_period:
        raise UsageError(f"{year} is not complete: its ledger runs to {actuals.through}, not {year.last_period}")
    return forecast.year_accuracy(year, positions, actuals)


def gather_ledger(
    data: DataSet, monitoring: Monitoring, directorate: str | None, heading: str | None
) -> LedgerView | None:
    """The explorer's ledger section; ``None`` when the year has no ledger extract."""
    year = monitoring.period.financial_year
    if not ledger.has_ledger(data, year):
        return None
    actuals = ledger.load_actuals(data, monitoring.period)
    previous = ledger.load_previous(data, year)
    problems = Problems()
    book = monitoring.position.lines
    choices = read_forecast_methods(data, year, book, problems)
    problems.raise_if_any()
    methods = forecast.compare_methods(monitoring.position, actuals, previous, monitoring.settings, choices)
    positions = [*published_positions(data, year, before=monitoring.period), (monitoring.period, monitoring.position)]
    try:
        accuracy = load_accuracy(data, year.previous)
    except (InputError, UsageError):  # last year's ledger is incomplete or unreadable: no accuracy to show
        accuracy = None
    return ledger_view(monitoring, actuals, methods, positions, accuracy, str(year.previous), directorate, heading)


def gather_scenario(data: DataSet, monitoring: Monitoring, scenario: str | Path | None) -> ScenarioView | None:
    """The position under the assumptions of a scenario file (a name in ``<data>/scenarios/`` or a path)."""
    if scenario is None:
        return None
    path = data.scenario(scenario)
    assumptions = read_scenario(path, monitoring.position.lines)
    result = what_if.apply(monitoring.position, monitoring.settings.labels, assumptions)
    return scenario_view(result, path.stem, monitoring.settings.labels)


def explore(
    data: DataSet | Path | str,
    period: Period | str,
    last_reported: Period | str | None = None,
    directorate: str | None = None,
    heading: str | None = None,
    top: int = 10,
    scenario: str | Path | None = None,
) -> Exploration:
    """Everything the forecast explorer shows for a selection (the whole authority when neither a
    directorate nor a heading is given); raises ``KeyError`` for a selection the budget book lacks."""
    data = DataSet.at(data)
    monitoring = monitor(data, period, last_reported)
    published = published_positions(data, monitoring.period.financial_year)
    view = explorer_view(monitoring, published, directorate, heading, top)
    return Exploration(
        authority_name=monitoring.settings.name,
        view=view,
        ledger=gather_ledger(data, monitoring, directorate, heading),
        scenario=gather_scenario(data, monitoring, scenario),
    )
