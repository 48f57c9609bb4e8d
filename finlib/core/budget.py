"""Budget changes: how each line's net budget came from its budget at the last report.

A line's net budget now must equal its budget at the last report plus the changes approved since:
virements between lines (which net to nil), new funding to a line (such as a grant), reductions, and,
at the start of a year, the roll forwards approved at last year's outturn.  Everything here takes and
returns data (no files); amounts are exact pence.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finlib.core.kinds import Change
from finlib.core.period import Period
from finlib.core.records import Records

#: The columns of a period's budget changes, in the order the reports list them.
CHANGE_COLUMNS = ["period", "change", "from_line_id", "to_line_id", "amount", "reason", "approved_by", "date"]


def change_kind(source: str, target: str) -> Change:
    """What a row of ``virements.csv`` is, by the sides it has."""
    if source and target:
        return Change.VIREMENT
    return Change.FUNDING if target else Change.REDUCTION


def line_changes(changes: pd.DataFrame, lines: pd.Index) -> pd.Series:
    """Each line's net change of budget (pence): what it received less what it gave; nil for none."""
    received = changes.groupby("to_line_id")["amount"].sum()
    given = changes.groupby("from_line_id")["amount"].sum()
    net = received.reindex(lines).fillna(0) - given.reindex(lines).fillna(0)  # Int64 pence: exact
    return pd.Series(net.astype("Int64").array, index=lines, name="budget_changes")


@dataclass(frozen=True)
class Mismatch:
    """A line whose net budget is not its budget at the last report plus the changes since."""

    line_id: str
    base: int  # pence: the budget at the last report (or the original budget)
    changes: int  # pence: the changes since
    now: int  # pence: the net budget given now

    @property
    def difference(self) -> int:
        return self.now - self.base - self.changes


@dataclass(frozen=True)
class BudgetChanges:
    """A period's budgets reconciled: where they started, what changed, where they are now.

    ``since``: the period of the last report whose budgets are the base, or ``None`` when the base is
    the year's original budget (``budget_book.csv`` ``original_budget``).  ``changes`` has the
    :data:`CHANGE_COLUMNS` (``period`` is the folder a row came from; blank for a roll forward) and
    its file's exempt rule.  ``lines``, indexed by line_id: ``base_budget``, one column per
    :class:`~finlib.core.kinds.Change` (the line's net change of that kind), ``net_budget``.
    """

    since: Period | None
    changes: Records
    lines: pd.DataFrame

    @property
    def changed(self) -> bool:
        """Whether any budget changed (a change of nil is none)."""
        return bool(len(self.changes)) and bool((self.lines["net_budget"] != self.lines["base_budget"]).any())


def reconcile(base: pd.Series, changes: Records, now: pd.Series, since: Period | None) -> BudgetChanges:
    """The reconciliation of budgets ``now`` (pence, by line_id) with the ``base`` and the ``changes``."""
    frame = changes.frame
    lines = pd.DataFrame({"base_budget": base.reindex(now.index).fillna(0).astype("Int64")})
    total = pd.Series(0, index=now.index, dtype="Int64")
    for kind in Change:
        delta = line_changes(frame[frame["change"] == kind.value], now.index)
        lines[kind.value] = delta
        total = total + delta
    lines["net_budget"] = now.astype("Int64")
    lines["budget_changes"] = total
    return BudgetChanges(since, changes, lines)


def mismatches(budget: BudgetChanges) -> list[Mismatch]:
    """The lines whose net budget is not their base plus their changes, in line order."""
    lines = budget.lines
    wrong = lines["base_budget"] + lines["budget_changes"] != lines["net_budget"]
    return [
        Mismatch(str(line_id), int(row["base_budget"]), int(row["budget_changes"]), int(row["net_budget"]))
        for line_id, row in lines[wrong].iterrows()
    ]


def changes_frame(rows: list[pd.DataFrame]) -> pd.DataFrame:
    """Several periods' change rows as one frame of :data:`CHANGE_COLUMNS` (and ``_row``)."""
    columns = [*CHANGE_COLUMNS, "_row"]
    if not rows:
        empty = {c: pd.Series(dtype="Int64" if c == "amount" else "str") for c in CHANGE_COLUMNS}
        return pd.DataFrame({**empty, "_row": pd.Series(dtype="int64")}, columns=columns)
    frame = pd.concat([r[columns] for r in rows], ignore_index=True)
    frame["amount"] = frame["amount"].astype("Int64")
    return frame
