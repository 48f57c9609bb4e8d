"""What-if scenarios: the position under stated assumptions (pure functions, no files).

As in the report of September 2016-17 ("Assuming that GET are able to balance their position; that we
receive funding from the Home Office to offset the Asylum pressure …, the overall position would
reduce as follows"), a scenario starts from the position after Corporate Director adjustments and
roll forwards (the authority table's balance row), takes one line per assumption with its effect, and
ends at the resulting position = start + the effects.

An assumption (a row of the scenario file, read by :func:`finlib.inputs.read_scenario`) is either

- ``balances``: the unit chosen by ``directorate``, ``division`` and/or ``heading`` balances, so its
  revised net variance becomes nil: the effect is minus its revised net variance.  Schools lines are
  not in the position (it excludes schools) and so have no effect.  Assumptions apply in file order: a
  unit already balanced by an earlier assumption has no further effect;
- ``amount``: a stated amount (+ adds a pressure, − reduces the position), with the unit it concerns
  given or not, for information.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finlib.core import revenue
from finlib.core.kinds import AssumptionKind, LineKind, RowKind
from finlib.core.period import Period
from finlib.core.revenue import Position
from finlib.core.settings import Labels

#: The columns of a scenario file that choose a unit, widest first.
SELECTION = ("directorate", "division", "heading")


@dataclass(frozen=True)
class Scenario:
    """The position, the effect of each assumption, and the result (pence)."""

    period: Period
    start: int
    end: int
    steps: pd.DataFrame  # label, kind, covers, lines, effect
    table: pd.DataFrame  # row, kind, amount: the start, one row per assumption, the result


def position_after_roll_forwards(position: Position, labels: Labels) -> int:
    """The authority table's balance: revised variance excluding schools + roll forward requirements."""
    table = revenue.authority_table(position, labels)
    return int(table.loc[table["kind"] == RowKind.BALANCE, "revised_net_variance"].iloc[0])


def selected(lines: pd.DataFrame, assumption: pd.Series) -> pd.Series:
    """Which lines an assumption's directorate, division and heading choose (all of them when none is given)."""
    chosen = pd.Series(True, index=lines.index)
    for column in SELECTION:
        value = assumption.get(column, "")
        if isinstance(value, str) and value:
            chosen &= lines[column] == value
    return chosen


def describe(assumption: pd.Series) -> str:
    """The unit an assumption concerns, written as the authority table writes it."""
    parts = [str(assumption.get(c, "")) for c in SELECTION if isinstance(assumption.get(c, ""), str)]
    return " - ".join(p for p in parts if p)


def apply(position: Position, labels: Labels, assumptions: pd.DataFrame) -> Scenario:
    """The scenario table for ``position`` under ``assumptions`` (rows as :func:`finlib.inputs.read_scenario`
    returns them: label, kind, directorate, division, heading, amount)."""
    start = position_after_roll_forwards(position, labels)
    lines = position.lines
    remaining = lines["revised_net_variance"].where(lines["kind"] != LineKind.SCHOOLS, 0).fillna(0).astype("int64")
    steps = []
    for _, assumption in assumptions.iterrows():
        chosen = selected(lines, assumption)
        if assumption["kind"] == AssumptionKind.BALANCES:
            effect = -int(remaining[chosen].sum())
            remaining = remaining.where(~chosen, 0)
        else:
            effect = int(assumption["amount"])
        steps.append(
            {
                "label": assumption["label"],
                "kind": assumption["kind"],
                "covers": describe(assumption),
                "lines": int(chosen.sum()) if describe(assumption) else 0,
                "effect": effect,
            }
        )
    frame = pd.DataFrame(steps, columns=["label", "kind", "covers", "lines", "effect"])
    frame["effect"] = frame["effect"].astype("Int64")
    end = start + int(frame["effect"].sum())
    table = pd.DataFrame(
        [
            {"row": labels.scenario_start, "kind": str(RowKind.TOTAL), "amount": start},
            *({"row": s["label"], "kind": str(RowKind.LINE), "amount": s["effect"]} for s in steps),
            {"row": labels.scenario_end, "kind": str(RowKind.BALANCE), "amount": end},
        ]
    )
    table["amount"] = table["amount"].astype("Int64")
    return Scenario(position.period, start, end, frame, table)
