"""Reading what the analysts' tools need beyond a period's inputs: the budget book on its own, the ledger's
cost centres, forecast method choices, a period's net budgets and what-if scenarios."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from finlib.config import DataSet
from finlib.core.kinds import AssumptionKind
from finlib.core.period import FinancialYear, Period
from finlib.core.scenario import SELECTION
from finlib.errors import FileProblems, Problems
from finlib.inputs import catalogue
from finlib.inputs.checks import Read, every_line_forecast, forecast_lines_known
from finlib.inputs.period import find_input, read_kind
from finlib.inputs.tables import row_number
from finlib.money import AMOUNT_EXPECTED


def _first_period(year: FinancialYear) -> Period:
    return year.periods()[0]


def read_budget_book(data: DataSet, year: FinancialYear, problems: Problems) -> pd.DataFrame | None:
    """The year's budget book, checked and parsed (index line_id); ``None`` when it has problems."""
    path = catalogue.BUDGET_BOOK.candidates(data, _first_period(year))[0]
    with problems.watch() as watch:
        frame = read_kind(catalogue.BUDGET_BOOK, path, problems)
    if frame is None or not watch.clean:
        return None
    parsed: pd.DataFrame = catalogue.BUDGET_BOOK.parsed(frame)
    return parsed


def _lines_known(frame: pd.DataFrame, at: FileProblems, book: pd.DataFrame) -> None:
    known = set(book.index)
    for row, line_id in frame["line_id"].items():
        if line_id and line_id not in known:
            at.add(row=row_number(row), column="line_id", found=line_id, expected="a line_id of budget_book.csv")


def read_cost_centres(
    data: DataSet, year: FinancialYear, book: pd.DataFrame | None, problems: Problems
) -> pd.DataFrame | None:
    """``cost_centres.csv``: each cost centre of the ledger and the budget line it belongs to.

    Returns a frame indexed by cost_centre (line_id, description, _row), or ``None`` when it has problems.
    """
    path = catalogue.COST_CENTRES.candidates(data, _first_period(year))[0]
    with problems.watch() as watch:
        frame = read_kind(catalogue.COST_CENTRES, path, problems)
        if frame is not None and book is not None and "line_id" in frame.columns:
            _lines_known(frame, problems.at(path), book)
    if frame is None or not watch.clean:
        return None
    parsed: pd.DataFrame = catalogue.COST_CENTRES.parsed(frame)
    return parsed


def read_forecast_methods(
    data: DataSet, year: FinancialYear, book: pd.DataFrame | None, problems: Problems
) -> dict[str, str]:
    """``forecast_methods.csv`` (optional): the lines that use another method than authority.yaml's default."""
    path = catalogue.FORECAST_METHODS.candidates(data, _first_period(year))[0]
    with problems.watch() as watch:
        frame = read_kind(catalogue.FORECAST_METHODS, path, problems)
        if frame is not None and book is not None and "line_id" in frame.columns:
            _lines_known(frame, problems.at(path), book)
    if frame is None or not watch.clean:
        return {}
    methods: dict[str, str] = catalogue.FORECAST_METHODS.parsed(frame)
    return methods


def read_net_budgets(data: DataSet, period: Period, book: pd.DataFrame | None, problems: Problems) -> pd.Series | None:
    """Each line's net budget in a period's ``forecasts.csv``, checked as :func:`finlib.inputs.load_period`
    checks that file (without reading the period's other files); ``None`` when it has problems."""
    with problems.watch() as watch:
        path = find_input(data, period, catalogue.FORECASTS, problems)
        frame = read_kind(catalogue.FORECASTS, path, problems)
        if frame is not None and book is not None:
            read = Read(
                period.financial_year,
                {"forecasts": path, "budget_book": catalogue.BUDGET_BOOK.candidates(data, period)[0]},
            )
            read.frames = {"forecasts": frame, "budget_book": book.reset_index().set_index("_row")}
            forecast_lines_known(read, problems)
            every_line_forecast(read, problems)
    if frame is None or not watch.clean:
        return None
    parsed: pd.DataFrame = catalogue.FORECASTS.parsed(frame)
    return parsed["net_budget"]


def read_scenario(path: Path, book: pd.DataFrame) -> pd.DataFrame:
    """A what-if scenario file, checked against the budget lines; raise :class:`InputError` listing every problem.

    ``book`` holds the lines' structure (directorate, division, heading), as a budget book or a
    position's lines.  Returns, in file order: _row, label, kind, directorate, division, heading and
    amount (pence; blank for an assumption that a unit balances).
    """
    problems = Problems()
    frame = read_kind(catalogue.SCENARIO, path, problems)
    if frame is None:
        problems.raise_if_any()
        raise AssertionError("unreachable: a scenario file that cannot be read has a problem")
    at = problems.at(path)
    if {"kind", "amount", *SELECTION} <= set(frame.columns):
        for row, record in frame.iterrows():
            _check_assumption(record, row_number(row), book, at)
    problems.raise_if_any()
    parsed: pd.DataFrame = catalogue.SCENARIO.parsed(frame)
    return parsed


def _check_assumption(record: pd.Series, row: int, book: pd.DataFrame, at: FileProblems) -> None:
    kind = str(record["kind"]).lower()
    if kind == AssumptionKind.BALANCES and record["amount"] != "":
        at.add(
            row=row,
            column="amount",
            found=record["amount"],
            expected="blank: a unit that balances has no stated amount (use kind 'amount' to state one)",
        )
    if kind == AssumptionKind.AMOUNT and record["amount"] == "":
        at.add(row=row, column="amount", found="", expected=AMOUNT_EXPECTED)
    given = [column for column in SELECTION if record[column] != ""]
    if kind == AssumptionKind.BALANCES and not given:
        at.add(
            row=row,
            column="directorate",
            found="",
            expected="the unit that balances: a directorate, a division or a heading (at least one of them)",
        )
    chosen = book
    for column in given:
        narrowed = chosen[chosen[column] == record[column]]
        if narrowed.empty:
            within = " of " + " - ".join(record[c] for c in SELECTION[: SELECTION.index(column)] if record[c] != "")
            known = "; ".join(dict.fromkeys(v for v in chosen[column] if v))
            at.add(
                row=row,
                column=column,
                found=record[column],
                expected=f"a {column} of budget_book.csv{within if within != ' of ' else ''}: {known}",
            )
            return
        chosen = narrowed
