"""Gathering a period's budget changes: the virements of every period since the last report, and at the
start of a year the roll forwards approved at last year's outturn, reconciled by
:func:`finlib.core.budget.reconcile`.  A line whose net budget they do not explain is an input problem."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from finlib.config import DataSet
from finlib.core.budget import BudgetChanges, change_kind, changes_frame, line_changes, mismatches, reconcile
from finlib.core.kinds import Change
from finlib.core.parsed import ROW, PeriodInputs
from finlib.core.period import FinancialYear, Period
from finlib.core.records import Records
from finlib.core.revenue import Position
from finlib.errors import Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.checks import Read
from finlib.money import exact

VIREMENT_ROLE = catalogue.VIREMENTS.role


def virement_files(data: DataSet, period: Period, since: Period | None) -> dict[Period, Path]:
    """The ``virements.csv`` of every period after ``since`` (the start of the year when ``None``) up to
    and including ``period``, that has one."""
    months = [p for p in period.months_to_date() if since is None or p > since]
    found = {p: data.period_dir(p) / catalogue.VIREMENTS.name for p in months}
    return {p: path for p, path in found.items() if path.is_file()}


def _read_virements(
    data: DataSet, inputs: PeriodInputs, period: Period, path: Path, problems: Problems
) -> pd.DataFrame | None:
    """One period's virements (this period's as loaded; an earlier one read and checked here)."""
    if period == inputs.period:
        return inputs.virements.frame if inputs.virements is not None else None
    return read_virement_file(data, inputs.budget_book, inputs.period, path, problems)


def read_virement_file(
    data: DataSet, book: pd.DataFrame, period: Period, path: Path, problems: Problems
) -> pd.DataFrame | None:
    """A ``virements.csv`` read, checked against the parsed budget ``book`` and parsed; ``None`` with problems."""
    from finlib.inputs.period import read_kind

    with problems.watch() as watch:
        frame = read_kind(catalogue.VIREMENTS, path, problems)
        book_path = catalogue.BUDGET_BOOK.candidates(data, period)[0]
        lines = book.reset_index()[["line_id", "heading", "tag"]].astype(str)
        paths = {VIREMENT_ROLE: path, "budget_book": book_path}
        read = Read(period.financial_year, paths, {VIREMENT_ROLE: frame, "budget_book": lines})
        for check in catalogue.VIREMENTS.checks:
            check(read, problems)
    if frame is None or not watch.clean:
        return None
    parsed: pd.DataFrame = catalogue.VIREMENTS.parsed(frame)
    return parsed


def expected_budgets(
    data: DataSet,
    period: Period,
    book: pd.DataFrame,
    last: Position | None,
    requests: pd.DataFrame | None,
    problems: Problems,
) -> pd.Series | None:
    """Each line's net budget in ``period`` (pence, by line_id in the book's order) before any return is
    in: its budget at the last report ``last`` (or the book's original budget at the start of the year,
    with ``requests``, last year's approved roll forwards) plus the budget changes since.  ``None``, with
    a problem, when there is no base."""
    since, base = _base(book, last, period.financial_year)
    if base is None:
        problems.at(catalogue.BUDGET_BOOK.candidates(data, period)[0]).add(
            column="original_budget",
            found="no budget to issue the returns with",
            expected=f"an original_budget for every line, or a period of {period.financial_year} published "
            f"before {period}",
        )
        return None
    files = virement_files(data, period, since)
    read = {month: read_virement_file(data, book, period, path, problems) for month, path in files.items()}
    rows = _changes(read, since, requests, book, period.financial_year)
    if problems:
        return None
    changes = changes_frame(rows)
    total = base.reindex(book.index).fillna(0).astype("Int64") + line_changes(changes, book.index)
    return total.astype("int64")


def _base(book: pd.DataFrame, last: Position | None, year: FinancialYear) -> tuple[Period | None, pd.Series | None]:
    """The report the budgets are reconciled from (``None`` at the start of the year) and each line's
    budget then: the last report's, or the book's original budget; no base without either."""
    if last is not None and last.period.financial_year == year:
        return last.period, last.lines["net_budget"]
    if "original_budget" in book.columns and book["original_budget"].notna().all() and len(book):
        return None, book["original_budget"]
    return None, None


def _changes(
    read: dict[Period, pd.DataFrame | None],
    since: Period | None,
    requests: pd.DataFrame | None,
    book: pd.DataFrame,
    year: FinancialYear,
) -> list[pd.DataFrame]:
    """The budget changes since the base: each month's virements read, and at the start of the year the
    roll forwards carried from last year's outturn."""
    rows = [_as_changes(frame, month) for month, frame in read.items() if frame is not None]
    if since is None:
        carried = carried_roll_forwards(requests, book.index, str(year.previous))
        if carried is not None:
            rows.append(carried)
    return rows


def _as_changes(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    frame = frame.copy()
    frame["period"] = str(period)
    sides = zip(frame["from_line_id"], frame["to_line_id"], strict=True)
    frame["change"] = [change_kind(source, target).value for source, target in sides]
    return frame


def carried_roll_forwards(requests: pd.DataFrame | None, book: pd.Index, year_label: str) -> pd.DataFrame | None:
    """Last year's approved roll forward requests as this year's budget changes: each to its
    ``to_line_id`` (else its ``line_id``) when that is a line of this year's book."""
    if requests is None or not len(requests):
        return None
    target = requests["to_line_id"].where(requests["to_line_id"].ne(""), requests["line_id"])
    carried = requests[target.isin(book)]
    if not len(carried):
        return None
    return pd.DataFrame(
        {
            "period": "",
            "change": Change.ROLL_FORWARD.value,
            "from_line_id": "",
            "to_line_id": target[target.isin(book)].to_numpy(),
            "amount": carried["amount"].astype("Int64").to_numpy(),
            "reason": [
                f"{str(c).capitalize()} roll forward: {d}"
                for c, d in zip(carried["category"], carried["description"], strict=True)
            ],
            "approved_by": f"Cabinet, outturn {year_label}",
            "date": carried["date"].to_numpy() if "date" in carried.columns else "",
            ROW: carried[ROW].to_numpy() if ROW in carried.columns else 0,
        }
    )


def _budget(pence: int) -> str:
    """A budget to the penny, unsigned unless negative: ``£3,368,440.12``."""
    return exact(pence).removeprefix("+")


def budget_changes(
    data: DataSet,
    inputs: PeriodInputs,
    last: Position | None,
    requests: pd.DataFrame | None,
    problems: Problems,
) -> tuple[BudgetChanges | None, dict[str, Path]]:
    """The period's budgets reconciled with the last report's (or with the original budget at the start
    of the year, with ``requests``, last year's approved roll forwards); problems added for every line the
    changes do not explain.  Also the files read, by role.  ``None`` when there is no base to reconcile
    with: no published period before this one in the year and no ``original_budget`` in the book."""
    period = inputs.period
    book = inputs.budget_book
    now = inputs.forecasts["net_budget"].reindex(book.index)
    since, base = _base(book, last, inputs.year)
    files = virement_files(data, period, since)
    if base is None:
        if period in files:
            problems.at(files[period]).add(
                found="budget changes with no budget to reconcile them with",
                expected=f"an original_budget column in {shown(data.year_dir(inputs.year) / 'budget_book.csv')}, "
                f"or a period of {inputs.year} published before {period}",
            )
        return None, {}
    read = {month: _read_virements(data, inputs, month, path, problems) for month, path in files.items()}
    rows = _changes(read, since, requests, book, inputs.year)
    if problems:
        return None, {}
    changes = Records(changes_frame(rows), catalogue.VIREMENTS.exempt)
    budget = reconcile(base, changes, now, since)
    at = problems.at(inputs.files.get("forecasts", catalogue.FORECASTS.candidates(data, period)[0]))
    when = f"the last report ({since.label})" if since is not None else "the original budget of budget_book.csv"
    if since is None and requests is None:
        when += (
            f" ({inputs.year.previous}'s outturn is not published here: its approved roll forwards go in virements.csv)"
        )
    for wrong in mismatches(budget):
        at.add(
            row=int(str(inputs.forecasts.loc[wrong.line_id, ROW])),
            column="net_budget",
            found=f"{_budget(wrong.now)} for {wrong.line_id}: {when} was {_budget(wrong.base)}, with "
            f"{exact(wrong.changes)} of budget changes since, a difference of {exact(wrong.difference)}",
            expected=f"{_budget(wrong.base + wrong.changes)}, or a row of virements.csv for the difference "
            "(from_line_id blank for new funding, to_line_id blank for a reduction)",
        )
    roles = {f"{VIREMENT_ROLE} {month}": path for month, path in files.items() if month != period}
    return budget, roles
