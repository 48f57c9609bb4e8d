"""Performance dashboards: Key Performance Indicators rated against a target and a floor standard, their
direction of travel, and activity indicators against an expected range; the counts the covering paper
states.

Pure.  Values arrive as printed (``97%``, ``99.5%``, ``1,778``) and are compared as exact decimals, so
``99.8%`` against ``99.5%`` is never a question of binary rounding.  The rules, as the council publishes
them:

- GREEN: the result meets or exceeds the target; AMBER: below the target but at or above the floor
  standard; RED: below the floor.  Where the target is below the floor, lower is better and every
  comparison turns round.
- Direction of travel against the previous result: ``↑`` improved, ``↓`` fallen, ``↔`` unchanged, ``New``
  without a previous result; improvement follows the polarity.
- The year-to-date result is rated by the same rule; ``Snapshot data`` and ``N/a`` are not rated.
- Activity indicators have no RAG and no direction: ``Yes`` within the expected range (bounds inclusive),
  ``Above`` or ``Below`` it; without a range, nothing (they are shown beside last year's figure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Rag(StrEnum):
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"


class Direction(StrEnum):
    IMPROVED = "↑"
    FALLEN = "↓"
    UNCHANGED = "↔"
    NEW = "New"


class Alert(StrEnum):
    WITHIN = "Yes"
    ABOVE = "Above"
    BELOW = "Below"


UNITS = ("%", "number", "£000")
KINDS = ("kpi", "activity")
FREQUENCIES = ("monthly", "quarterly", "annual")
#: A printed value that is no result.
NOT_AVAILABLE = ("n/a", "new")
#: The year-to-date cell of an indicator measured at a point in time, not over the year.
SNAPSHOT = "snapshot"
SNAPSHOT_TEXT = "Snapshot data"

_NUMBER = re.compile(r"^(?P<minus>-)?(?P<whole>\d{1,3}(,\d{3})+|\d+)(\.(?P<frac>\d+))?$")
VALUE_EXPECTED = {
    "%": "a percentage as printed, such as 97% or 99.5%",
    "number": "a number as printed, such as 1,778 or 196.3",
    "£000": "thousands of pounds as printed, such as 23,445 or £23,445",
}


@dataclass(frozen=True, order=True)
class Value:
    """A printed result: its exact number and the text as printed."""

    number: Decimal
    text: str


def parse_value(text: str, unit: str) -> Value | None:
    """A printed value of ``unit``; ``None`` for a blank cell, ``N/a`` or ``New``.

    Raises ``ValueError`` for anything else that is not a value of the unit: a percentage must end in ``%``
    and a number must not; thousands separators must fall every three digits.
    """
    shown = text.strip()
    if shown == "" or shown.lower() in NOT_AVAILABLE:
        return None
    body = shown
    if unit == "%":
        if not body.endswith("%"):
            raise ValueError(f"not {VALUE_EXPECTED[unit]}: {text!r}")
        body = body[:-1].strip()
    elif unit == "£000":
        body = body.removeprefix("£")
    elif unit != "number":
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    matched = _NUMBER.match(body)
    if matched is None:
        raise ValueError(f"not {VALUE_EXPECTED[unit]}: {text!r}")
    digits = matched["whole"].replace(",", "") + ("." + matched["frac"] if matched["frac"] else "")
    number = Decimal(digits)
    return Value(-number if matched["minus"] else number, shown)


def lower_is_better(target: Decimal, floor: Decimal) -> bool:
    """A target below the floor standard: lower results are better."""
    return target < floor


def rag(result: Decimal, target: Decimal, floor: Decimal) -> Rag:
    """The RAG rating of a result against its target and floor standard."""
    if lower_is_better(target, floor):
        return Rag.GREEN if result <= target else Rag.AMBER if result <= floor else Rag.RED
    return Rag.GREEN if result >= target else Rag.AMBER if result >= floor else Rag.RED


def direction(latest: Decimal, previous: Decimal | None, lower_better: bool) -> Direction:
    """The direction of travel from the previous result to the latest."""
    if previous is None:
        return Direction.NEW
    if latest == previous:
        return Direction.UNCHANGED
    better = latest < previous if lower_better else latest > previous
    return Direction.IMPROVED if better else Direction.FALLEN


def alert(value: Decimal, lower: Decimal | None, upper: Decimal | None) -> Alert | None:
    """An activity indicator against its expected range (bounds inclusive); ``None`` without a range."""
    if lower is None and upper is None:
        return None
    if upper is not None and value > upper:
        return Alert.ABOVE
    if lower is not None and value < lower:
        return Alert.BELOW
    return Alert.WITHIN


# ---------------------------------------------------------------------------
# Indicators and their results


@dataclass(frozen=True)
class Indicator:
    """One row of ``kpis.csv``."""

    ref: str
    indicator: str
    kind: str  # kpi or activity
    directorate: str
    service_area: str
    director: str
    cabinet_member: str
    delivery_by: str
    unit: str
    target: Value | None = None
    floor: Value | None = None
    upper: Value | None = None
    lower: Value | None = None
    frequency: str = "monthly"

    @property
    def lower_better(self) -> bool:
        """A KPI whose target is below its floor standard: lower results are better."""
        if self.target is None or self.floor is None:
            return False
        return lower_is_better(self.target.number, self.floor.number)


@dataclass(frozen=True)
class Result:
    """One row of ``kpi_results.csv``: ``ytd`` is a value, ``None``, or :data:`SNAPSHOT`."""

    ref: str
    latest: Value | None
    ytd: Value | str | None
    previous_year: str  # as printed: a value, N/a or New
    results_to: str = ""  # YYYY-MM when the latest result is for an earlier month


@dataclass(frozen=True)
class Rated:
    """An indicator with its period's result, rated."""

    indicator: Indicator
    result: Result
    rag: Rag | None  # KPIs with a latest result
    direction: Direction | None  # KPIs with a latest result
    ytd_rag: Rag | None
    alert: Alert | None  # activity indicators with a value and a range

    def printed(self) -> dict[str, str]:
        """The indicator's cells as a dashboard prints them: ``N/a`` where there is no value, blank where
        there is no rating."""
        i, result = self.indicator, self.result
        return {
            "ref": i.ref,
            "indicator": i.indicator,
            "latest": result.latest.text if result.latest else "N/a",
            "rag": self.rag.value if self.rag else "",
            "dot": self.direction.value if self.direction else "",
            "ytd": self.ytd_text,
            "ytd_rag": self.ytd_rag.value if self.ytd_rag else "",
            "alert": self.alert.value if self.alert else "",
            "target": i.target.text if i.target else "",
            "floor": i.floor.text if i.floor else "",
            "upper": i.upper.text if i.upper else "",
            "lower": i.lower.text if i.lower else "",
            "previous_year": result.previous_year or "N/a",
        }

    @property
    def ytd_text(self) -> str:
        ytd = self.result.ytd
        if ytd == SNAPSHOT:
            return SNAPSHOT_TEXT
        if isinstance(ytd, Value):
            return ytd.text
        return "N/a"


def rate(indicator: Indicator, result: Result, previous: Result | None) -> Rated:
    """Rate one indicator's result; ``previous`` is its result at the previous period of the year."""
    if indicator.kind == "activity":
        value = result.latest or (result.ytd if isinstance(result.ytd, Value) else None)
        lower = indicator.lower.number if indicator.lower else None
        upper = indicator.upper.number if indicator.upper else None
        return Rated(indicator, result, None, None, None, alert(value.number, lower, upper) if value else None)
    if indicator.target is None or indicator.floor is None:
        raise ValueError(f"{indicator.ref}: a KPI needs a target and a floor standard")
    target, floor = indicator.target.number, indicator.floor.number
    lower_better = indicator.lower_better
    latest_rag = dot = ytd_rag = None
    if result.latest is not None:
        latest_rag = rag(result.latest.number, target, floor)
        before = previous.latest.number if previous is not None and previous.latest is not None else None
        dot = direction(result.latest.number, before, lower_better)
    if isinstance(result.ytd, Value):
        ytd_rag = rag(result.ytd.number, target, floor)
    return Rated(indicator, result, latest_rag, dot, ytd_rag, None)


def rate_all(
    indicators: Sequence[Indicator], results: Iterable[Result], previous: Iterable[Result] = ()
) -> list[Rated]:
    """Every indicator with a result this period, in the order of ``indicators``."""
    this = {r.ref: r for r in results}
    before = {r.ref: r for r in previous}
    return [rate(i, this[i.ref], before.get(i.ref)) for i in indicators if i.ref in this]


# ---------------------------------------------------------------------------
# The counts, in the published words


@dataclass(frozen=True)
class Counts:
    green: int = 0
    amber: int = 0
    red: int = 0
    improved: int = 0
    unchanged: int = 0
    fallen: int = 0
    new: int = 0
    outside: int = 0  # activity indicators outside their expected range

    @property
    def rated(self) -> int:
        return self.green + self.amber + self.red


def counts(rated: Iterable[Rated]) -> Counts:
    found = {"green": 0, "amber": 0, "red": 0, "improved": 0, "unchanged": 0, "fallen": 0, "new": 0, "outside": 0}
    for r in rated:
        if r.rag is not None:
            found[r.rag.value.lower()] += 1
        if r.direction is not None:
            key = {Direction.IMPROVED: "improved", Direction.FALLEN: "fallen", Direction.UNCHANGED: "unchanged"}
            found[key.get(r.direction, "new")] += 1
        if r.alert in (Alert.ABOVE, Alert.BELOW):
            found["outside"] += 1
    return Counts(**found)


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _indicators(n: int) -> str:
    return f"{n} indicator" if n == 1 else f"{n} indicators"


def _listed(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def rag_sentence(c: Counts) -> str:
    """``Latest month performance is reported as Green for 21 indicators, Amber for 4 indicators, with 1
    indicator Red``."""
    if not c.rated:
        return "No indicator has a latest month result to report"
    shown = [f"{word} for {_indicators(n)}" for word, n in (("Green", c.green), ("Amber", c.amber)) if n]
    if not shown:
        return f"Latest month performance is reported as Red for {_indicators(c.red)}"
    listed = ", ".join(shown) + f", with {_indicators(c.red)} Red" if c.red else _listed(shown)
    return "Latest month performance is reported as " + listed


def direction_sentence(c: Counts) -> str:
    """``Direction of Travel for the latest results shows 14 KPIs improving, 6 stable and 4 indicators
    showing lower results, with two new indicators``."""
    parts = []
    if c.improved:
        parts.append(f"{c.improved} KPI{'s' if c.improved != 1 else ''} improving")
    if c.unchanged:
        parts.append(f"{c.unchanged} stable")
    if c.fallen:
        parts.append(f"{_indicators(c.fallen)} showing lower results")
    new = f"{_WORDS[c.new] if c.new < len(_WORDS) else c.new} new indicator{'s' if c.new != 1 else ''}"
    if not parts:
        return f"Direction of Travel is not yet shown: {new}" if c.new else "No indicator has a direction of travel"
    text = "Direction of Travel for the latest results shows " + _listed(parts)
    return text + (f", with {new} where previous results are not available" if c.new else "")
