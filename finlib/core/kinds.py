"""The closed sets of words the domain uses, one enumeration each.

Each is a :class:`~enum.StrEnum`: a member equals its text (``LineKind.SERVICE == "service"``), so
frames read from files and tables written to them hold the same words the data contract uses.
"""

from __future__ import annotations

from enum import StrEnum


class LineKind(StrEnum):
    """What a budget line is (``budget_book.csv`` ``kind``)."""

    SERVICE = "service"  # a line of its directorate's table
    FINANCING = "financing"  # Financing Items, a row of its own in the authority table
    SCHOOLS = "schools"  # the memo row below the headline total


class RowKind(StrEnum):
    """What a row of a printed table is: how it is labelled, styled and summed."""

    LINE = "line"
    SUBTOTAL = "subtotal"
    TOTAL = "total"  # TOTAL (excl Schools) in the authority table; a directorate's or a table's total
    SCHOOLS = "schools"
    GRAND_TOTAL = "grand_total"
    ROLLFORWARD = "rollforward"
    BALANCE = "balance"
    UNMAPPED = "unmapped"  # ledger actuals on cost centres mapped to no line
    FLAGGED = "flagged"  # a line the forecast methods flag for challenge


class About(StrEnum):
    """What an explanation explains (``explanations.csv`` ``about``)."""

    VARIANCE = "variance"
    MOVEMENT = "movement"
    CAPITAL = "capital"
    SUMMARY = "summary"  # the finance director's words for a paper's Summary
    AUTHORITY = "authority"  # the finance director's words on the authority's (or a directorate's) position


class RollForward(StrEnum):
    """The categories of roll forward requirements, in the order the authority table prints them."""

    COMMITTED = "committed"
    REPHASED = "re-phased"
    BIDS = "bids"


class Change(StrEnum):
    """What a change to the net budget of lines is (a row of ``virements.csv``, or a roll forward carried)."""

    VIREMENT = "virement"  # from one line to another: nets to nil
    FUNDING = "new funding"  # to a line only, such as a grant
    REDUCTION = "reduction"  # from a line only
    ROLL_FORWARD = "roll forward"  # approved at last year's outturn, carried into this year's budget


class PeriodKind(StrEnum):
    """What a period's report is (``period.yaml`` ``kind``)."""

    MONTHLY = "monthly"  # a forecast of the year's outturn
    OUTTURN = "outturn"  # the year-end position: actuals against the final budget (March only)


class VarianceKind(StrEnum):
    """How a capital forecast differs from its cash limit."""

    REAL = "real"  # a genuine over- or underspend
    REPHASING = "rephasing"  # spend moving between years


class WarningKind(StrEnum):
    """What a capital warning is about."""

    REPHASING = "rephasing"  # a scheme's rephasing does not net to nil across its years
    FUNDING = "funding"  # stated funding does not add up to the real variance


class AssumptionKind(StrEnum):
    """What a what-if assumption does."""

    BALANCES = "balances"  # the unit's revised net variance becomes nil
    AMOUNT = "amount"  # a stated amount


def values(kind: type[StrEnum]) -> tuple[str, ...]:
    """The words of an enumeration, in declaration order."""
    return tuple(member.value for member in kind)
