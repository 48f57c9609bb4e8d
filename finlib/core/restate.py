"""Last year's figures on this year's headings: ``heading_map.csv`` says where each of last year's
headings went (renamed, merged, or split by shares that add to exactly one), and amounts follow it to
the penny: a split heading's parts add up to its whole exactly (largest remainders take the pennies)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from finlib.core.revenue import STRUCTURE, Position


@dataclass(frozen=True)
class Mapped:
    """One row of the map: ``share`` of last year's ``source`` heading goes to this year's ``target``."""

    source: str
    target: str
    share: Fraction


def split_exactly(pence: int, shares: Sequence[Fraction]) -> list[int]:
    """``pence`` divided by ``shares`` (adding to one) into whole pennies that add up to it exactly: each
    part rounded down, the pennies left over to the largest remainders (the first of equals)."""
    if sum(shares, Fraction(0)) != 1:
        raise ValueError("shares must add up to exactly one")
    sign = -1 if pence < 0 else 1
    whole = abs(pence)
    exact = [whole * share for share in shares]
    parts = [int(value) for value in exact]  # floors: the values are not negative
    left = whole - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * part for part in parts]


def restate(amounts: Mapping[str, int], mapping: Sequence[Mapped]) -> dict[str, int]:
    """Last year's amounts by heading, on this year's headings.  A heading the map does not name goes to
    the heading of the same name (the caller checks that there is one)."""
    by_source: dict[str, list[Mapped]] = {}
    for row in mapping:
        by_source.setdefault(row.source, []).append(row)
    out: dict[str, int] = {}
    for heading, amount in amounts.items():
        rows = by_source.get(heading) or [Mapped(heading, heading, Fraction(1))]
        for row, part in zip(rows, split_exactly(amount, [r.share for r in rows]), strict=True):
            out[row.target] = out.get(row.target, 0) + part
    return out


def outturn_by_heading(lines: pd.DataFrame) -> dict[str, int]:
    """A year's outturn (net budget + revised net variance) of its service lines, by heading, in book order."""
    service = lines[lines["kind"] == "service"]
    totals = (service["net_budget"] + service["revised_net_variance"]).groupby(service["heading"], sort=False).sum()
    return {str(heading): int(value) for heading, value in totals.items()}


def restated_position(book: pd.DataFrame, last: Position, mapping: Sequence[Mapped]) -> Position:
    """Last year's position as Last Reported for this year's first report: each of this year's service
    headings takes the revised net variance of last year's headings restated on it (the heading's first
    line holds it, the others nil), a Financing Items or schools line its own line's of last year."""
    lines = last.lines
    service = lines[lines["kind"] == "service"]
    by_heading = {
        str(h): int(v) for h, v in service["revised_net_variance"].groupby(service["heading"], sort=False).sum().items()
    }
    restated = restate(by_heading, mapping)
    values: list[int] = []
    seen: set[str] = set()
    for line_id, kind, heading in zip(book.index, book["kind"], book["heading"], strict=True):
        if kind != "service":
            own = lines["revised_net_variance"].get(line_id)
            values.append(int(own) if own is not None and not pd.isna(own) else 0)
        elif heading not in seen:
            seen.add(str(heading))
            values.append(restated.get(str(heading), 0))
        else:
            values.append(0)
    frame = book[STRUCTURE].copy()
    for column in ("net_budget", "net_forecast_variance", "cd_adjustment"):
        frame[column] = pd.array([pd.NA] * len(frame), dtype="Int64")  # not restated: only the variance is compared
    frame["revised_net_variance"] = pd.array(values, dtype="Int64")
    return Position(last.period, frame, last.roll_forwards, version=last.version)
