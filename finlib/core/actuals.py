"""Actuals from the general ledger, by budget line and month, and the tables built from them (pure).

:mod:`finlib.inputs.ledger` reads an extract into :class:`Actuals`; everything here takes data and
returns data.  Roll-ups reuse the structure of the revenue tables
(:func:`finlib.core.revenue.authority_rollup`, :func:`~finlib.core.revenue.directorate_rollup`), so
actuals are labelled exactly as the position is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from finlib.core import revenue
from finlib.core.kinds import RowKind
from finlib.core.period import FinancialYear, Period
from finlib.core.settings import Labels
from finlib.money import instalments

YTD = "ytd"
BLANK_CENTRE = "(blank)"
UNMAPPED_TOTAL = "Total not mapped"


@dataclass(frozen=True)
class Actuals:
    """A year's actuals from the ledger, by budget line and month, up to and including ``months[-1]``.

    ``lines`` is indexed by line_id and holds the structure columns of the budget book, one ``Int64``
    column of pence per month (named by its period, ``2017-04``…) and ``ytd``.  ``unmapped`` holds the
    same columns (and ``rows``) for each cost centre that maps to no line.  ``control`` has one row per
    month found in the extract and a ``total`` row: rows, the extract's total, actuals by line,
    unmapped and the difference (always nil).
    """

    year: FinancialYear
    months: tuple[Period, ...]
    lines: pd.DataFrame
    unmapped: pd.DataFrame
    control: pd.DataFrame
    source: Path

    @property
    def through(self) -> Period:
        return self.months[-1]

    @property
    def month_columns(self) -> list[str]:
        return [str(m) for m in self.months]

    @property
    def columns(self) -> list[str]:
        """The amount columns: each month, then the year to date."""
        return [*self.month_columns, YTD]

    @property
    def unmapped_total(self) -> int:
        """Year to date of the rows whose cost centre maps to no budget line."""
        return int(self.unmapped[YTD].sum())

    @property
    def rows(self) -> int:
        """Rows of the extract (every month it holds)."""
        return int(self.control["rows"].iloc[-1])


def authority_actuals(actuals: Actuals, labels: Labels) -> pd.DataFrame:
    """Actuals by month and year to date in the rows of the authority table, then the unmapped bucket
    and the ledger's total (TOTAL + unmapped, equal to the extract's total for these months)."""
    columns = actuals.columns
    rows = revenue.authority_rollup(actuals.lines, labels, columns)
    unmapped = {c: int(actuals.unmapped[c].sum()) for c in columns}
    everything = {c: int(actuals.lines[c].sum()) + unmapped[c] for c in columns}
    extra = revenue.table(
        [
            {"row": labels.unmapped, "kind": RowKind.UNMAPPED, **unmapped},
            {"row": labels.ledger_total, "kind": RowKind.GRAND_TOTAL, **everything},
        ],
        "row",
        columns,
    )
    return pd.concat([rows, extra], ignore_index=True)


def directorate_actuals(actuals: Actuals, directorate: str) -> pd.DataFrame:
    """Actuals by month and year to date in the rows of a directorate table (one per heading, then the total)."""
    return revenue.directorate_rollup(actuals.lines, directorate, actuals.columns)


def unmapped_table(actuals: Actuals) -> pd.DataFrame:
    """The unmapped bucket: one row per cost centre that maps to no line, then its total (amounts and
    the extract's ``rows`` on those cost centres)."""
    columns = [*actuals.columns, "rows"]
    rows: list[dict[str, Any]] = [
        {"cost_centre": str(centre), "kind": RowKind.LINE, **{c: int(record[c]) for c in columns}}
        for centre, record in actuals.unmapped.iterrows()
    ]
    totals = {c: int(actuals.unmapped[c].sum()) for c in columns}
    rows.append({"cost_centre": UNMAPPED_TOTAL, "kind": RowKind.TOTAL, **totals})
    return revenue.table(rows, "cost_centre", columns)


def monthly_budget(net_budget: int) -> list[int]:
    """A line's budget by month: twelve equal whole-penny instalments, March taking what rounding leaves
    (as the ``~ monthly`` rules of the equivalent hledger journal)."""
    return instalments(net_budget, 12)


def budget_vs_actual(budgets: pd.Series, actuals: Actuals) -> pd.DataFrame:
    """Budget against actual by line and month (long form): line_id, period, budget, actual, variance.

    ``budgets`` is each line's net budget in pence (a period's ``forecasts.csv``).
    """
    rows = []
    for line_id, budget in budgets.items():
        plan = monthly_budget(int(budget))
        known = line_id in actuals.lines.index
        for index, month in enumerate(actuals.month_columns):
            actual = int(actuals.lines[month].get(line_id, 0)) if known else 0
            rows.append({"line_id": line_id, "period": month, "budget": plan[index], "actual": actual})
    frame = pd.DataFrame(rows, columns=["line_id", "period", "budget", "actual"])
    frame["variance"] = frame["actual"] - frame["budget"]
    for column in ("budget", "actual", "variance"):
        frame[column] = frame[column].astype("Int64")
    return frame
