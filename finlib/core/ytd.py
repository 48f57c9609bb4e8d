"""Year to date: each line's actuals from the ledger against its budget profiled to the same month.

A line's profiled budget to date is its net budget times the share of last year's actuals (on this
year's structure) that fell in the same months; with no such history (no ledger last year, or a line
whose last year nets to nil), an even twelfth a month.  Exact pence throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finlib.core.actuals import YTD, Actuals
from finlib.core.period import Period
from finlib.money import scale


@dataclass(frozen=True)
class YearToDate:
    """``lines``, indexed by line_id: ``profiled`` (budget to date), ``actual`` (to date), ``difference``
    (actual − profiled), ``basis`` (``last year`` or ``even``), all pence but the basis."""

    through: Period
    lines: pd.DataFrame

    @property
    def months(self) -> int:
        return self.through.month_of_year


def year_to_date(budgets: pd.Series, actuals: Actuals, last: Actuals | None, through: Period) -> YearToDate:
    """``budgets``: each line's net budget (pence); ``actuals``: this year's ledger, April to ``through``
    at least; ``last``: last year's whole ledger on this year's structure, or ``None``."""
    months = through.month_of_year
    columns = actuals.month_columns[:months]
    profiled, basis, actual = [], [], []
    for line_id, budget in budgets.items():
        known = line_id in actuals.lines.index
        done = sum(int(str(actuals.lines.at[line_id, m])) for m in columns) if known else 0
        actual.append(done)
        share = _last_share(last, str(line_id), months)
        if share is None:
            profiled.append(scale(int(budget), months, 12))
            basis.append("even")
        else:
            profiled.append(scale(int(budget), share[0], share[1]))
            basis.append("last year")
    frame = pd.DataFrame(
        {
            "profiled": pd.array(profiled, dtype="Int64"),
            "actual": pd.array(actual, dtype="Int64"),
            "basis": basis,
        },
        index=budgets.index,
    )
    frame["difference"] = frame["actual"] - frame["profiled"]
    return YearToDate(through, frame[["profiled", "actual", "difference", "basis"]])


def _last_share(last: Actuals | None, line_id: str, months: int) -> tuple[int, int] | None:
    """Last year's actuals of the line to the same month, and in the whole year; ``None`` without them."""
    if last is None or line_id not in last.lines.index or len(last.months) < 12:
        return None
    lines = last.lines
    to_date = sum(int(str(lines.at[line_id, m])) for m in last.month_columns[:months])
    whole = int(str(lines.at[line_id, YTD]))
    if whole == 0:
        return None
    return to_date, whole
