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
from finlib.inputs import ledger, read_cost_centres, read_forecast_methods, read_scenario
from finlib.inputs.period import period_folders
from finlib.monitoring import monitor
from finlib.render import selection
from finlib.report.explorer import (
    DrillDown,
    Exploration,
    ExplorerData,
    LedgerData,
    LedgerView,
    ScenarioView,
    drill_view,
    exploration,
    ledger_view,
    scenario_view,
)


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


def ledger_data(data: DataSet, monitoring: Monitoring) -> LedgerData | None:
    """What the explorer reads from the year's ledger, once; ``None`` when the year has no extract."""
    year = monitoring.period.financial_year
    if not ledger.has_ledger(data, year):
        return None
    actuals = ledger.load_actuals(data, monitoring.period)
    previous = ledger.load_previous(data, year)
    problems = Problems()
    book = monitoring.position.lines
    choices = read_forecast_methods(data, year, book, problems)
    centres = read_cost_centres(data, year, book, problems)
    problems.raise_if_any()
    assert centres is not None
    methods = forecast.compare_methods(monitoring.position, actuals, previous, monitoring.settings, choices)
    positions = [*published_positions(data, year, before=monitoring.period), (monitoring.period, monitoring.position)]
    try:
        accuracy = load_accuracy(data, year.previous)
    except (InputError, UsageError):  # last year's ledger is incomplete or unreadable: no accuracy to show
        accuracy = None
    return LedgerData(actuals, methods, positions, accuracy, str(year.previous), centres)


def gather_ledger(
    data: DataSet, monitoring: Monitoring, directorate: str | None, heading: str | None
) -> LedgerView | None:
    """The explorer's ledger section; ``None`` when the year has no ledger extract."""
    found = ledger_data(data, monitoring)
    if found is None:
        return None
    return ledger_view(
        monitoring,
        found.actuals,
        found.methods,
        found.positions,
        found.accuracy,
        found.accuracy_year,
        directorate,
        heading,
    )


def gather_scenario(data: DataSet, monitoring: Monitoring, scenario: str | Path | None) -> ScenarioView | None:
    """The position under the assumptions of a scenario file (a name in ``<data>/scenarios/`` or a path)."""
    if scenario is None:
        return None
    path = data.scenario(scenario)
    assumptions = read_scenario(path, monitoring.position.lines)
    result = what_if.apply(monitoring.position, monitoring.settings.labels, assumptions)
    return scenario_view(result, path.stem, monitoring.settings.labels)


def periods(data: DataSet | Path | str, year: FinancialYear) -> list[Period]:
    """The periods of a year one can explore: those with a folder of inputs."""
    return period_folders(DataSet.at(data), year)


def gather(
    data: DataSet | Path | str,
    period: Period | str,
    last_reported: Period | str | None = None,
    scenario: str | Path | None = None,
) -> ExplorerData:
    """Everything the explorer reads for a period, once: any selection is then viewed without reading."""
    data = DataSet.at(data)
    monitoring = monitor(data, period, last_reported)
    return ExplorerData(
        monitoring=monitoring,
        published=published_positions(data, monitoring.period.financial_year),
        ledger=ledger_data(data, monitoring),
        scenario=gather_scenario(data, monitoring, scenario),
    )


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
    return exploration(gather(data, period, last_reported, scenario), directorate, heading, top)


def drill_down(data: DataSet | Path | str, gathered: ExplorerData, line_id: str) -> DrillDown | None:
    """A line's cost centres and postings from the ledger (DuckDB); ``None`` without a ledger extract.

    Raises ``KeyError`` naming the choices for a line the budget book lacks.
    """
    found = gathered.ledger
    if found is None:
        return None
    if line_id not in found.actuals.lines.index:
        known = ", ".join(found.actuals.lines.index[:10])
        raise KeyError(f"no budget line {line_id!r}; the budget book's lines are {known}, …")
    centres = found.centres[found.centres["line_id"] == line_id].index
    postings = ledger.read_postings(data, gathered.period, list(centres))
    return drill_view(found.actuals, found.centres, postings, line_id)


def export_selection(
    data: DataSet | Path | str,
    period: Period | str,
    folder: Path | str,
    directorate: str | None = None,
    heading: str | None = None,
    line: str | None = None,
    last_reported: Period | str | None = None,
    top: int = 10,
    scenario: str | Path | None = None,
) -> list[Path]:
    """Write a selection's tables (and a line's drill-down) to ``folder``: one CSV file a table and one
    workbook; return the paths written."""
    gathered = gather(data, period, last_reported, scenario)
    shown = exploration(gathered, directorate, heading, top)
    drill = drill_down(data, gathered, line) if line else None
    return selection.write_selection(shown, drill, Path(folder))
