"""Money: exact amounts and the one place where they are rounded for display.

Every amount inside finlib is a whole number of pence (a Python ``int``, or a
pandas ``Int64`` column where a cell may be blank).  Sums of pence are exact.
Rounding happens only when a figure is turned into text for a reader, and it
rounds half away from zero, as the published tables and spreadsheets do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import SupportsInt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PENCE_PER_POUND = 100

# 1234.5, 1,234.50, £1,234.50, -£1,234.50, (1,234.50), (£1,234.50); spaces may pad the brackets, the
# sign and the £, never the digits; digits are ASCII (not full-width, Arabic-Indic or Devanagari).
_AMOUNT = re.compile(
    r"""^
    (?P<open>\()?\ *
    (?P<minus>-)?\ *
    £?\ *
    (?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)
    (?:\.(?P<frac>[0-9]{1,2}))?
    \ *(?P<close>\))?
    $""",
    re.VERBOSE,
)

AMOUNT_EXPECTED = "an amount in pounds to the penny, such as -1234.5, 1,234.50, £1,234.50 or (1,234.50)"
#: No single amount reaches a trillion pounds, so sums of millions of them stay exact in 64-bit pence.
LIMIT_PENCE = 10**12 * PENCE_PER_POUND


def parse_amount(text: str) -> int:
    """Read an amount in pounds as written in finance exports; return pence.

    Raises ``ValueError`` for anything that is not one of the accepted forms,
    including amounts given to more than a penny.
    """
    match = _AMOUNT.match(text.strip())
    if match is None:
        raise ValueError(f"not {AMOUNT_EXPECTED}: {text!r}")
    bracketed = match["open"] is not None
    if bracketed != (match["close"] is not None) or (bracketed and match["minus"]):
        raise ValueError(f"not {AMOUNT_EXPECTED}: {text!r}")
    pence = int(match["whole"].replace(",", "")) * PENCE_PER_POUND + int((match["frac"] or "0").ljust(2, "0"))
    if pence >= LIMIT_PENCE:
        raise ValueError(f"not {AMOUNT_EXPECTED}: {text!r} is a trillion pounds or more")
    return -pence if (bracketed or match["minus"]) else pence


#: The plain form most exports write (``-1234.5``): checked and read a column at a time, with no Python
#: per cell; every other form goes through :func:`parse_amount`.  Twelve digits stay below the limit.
_PLAIN = r"-?[0-9]{1,12}(?:\.[0-9]{1,2})?"


def _plain(text: pd.Series) -> np.ndarray:
    return text.str.fullmatch(_PLAIN).fillna(False).to_numpy(dtype=bool)


def _plain_pence(text: pa.Array) -> np.ndarray:
    """Plain amounts (``-1234.5``) as pence, in Arrow: two decimals written out, the point dropped, the digits
    read as one integer (``-1234.5`` → ``-1234.50`` → ``-123450``)."""
    cents = pc.replace_substring_regex(text, r"\.([0-9])$", r".\10")  # the first group, then a 0
    cents = pc.replace_substring_regex(cents, r"^(-?[0-9]+)$", r"\1.00")
    return np.asarray(pc.cast(pc.replace_substring(cents, ".", ""), pa.int64()).to_numpy(zero_copy_only=False))


def amounts_valid(values: pd.Series) -> pd.Series:
    """For each text cell, whether it is an amount (as :func:`is_amount`), a column at a time."""
    text = values.astype("string").str.strip().fillna("")
    valid = _plain(text)
    for i in np.flatnonzero(~valid & (text != "").to_numpy(dtype=bool)).tolist():  # a blank cell is no amount
        valid[i] = is_amount(str(text.iat[i]))
    return pd.Series(valid, index=values.index, name=values.name)


def parse_amounts(values: pd.Series) -> pd.Series:
    """Text amounts as pence, exactly as :func:`parse_amount` reads each (blank text a blank cell), a column
    at a time; raises ``ValueError`` for a cell that is not an amount."""
    text = values.astype("string").str.strip().fillna("")
    plain = _plain(text)
    pence = pd.array([pd.NA] * len(text), dtype="Int64")
    if plain.any():
        pence[plain] = _plain_pence(pa.array(text[plain], type=pa.string()))
    for i in np.flatnonzero(~plain & (text != "").to_numpy(dtype=bool)).tolist():
        pence[i] = parse_amount(str(text.iat[i]))
    return pd.Series(pence, index=values.index, name=values.name)


def cell(value: object) -> int | None:
    """A table cell of pence as an ``int``, or ``None`` for a blank cell (``<NA>``, ``None``)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value)  # the usual cell: asked first, as checking a Protocol costs 100 times more
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, float) and not value.is_integer():
        raise TypeError(f"not a whole number of pence: {value!r}")
    if isinstance(value, SupportsInt) and not isinstance(value, bool):
        return int(value)  # an int, or a numpy integer from a frame
    raise TypeError(f"not an amount in pence: {value!r}")


def is_amount(text: str) -> bool:
    try:
        parse_amount(text)
    except ValueError:
        return False
    return True


def pounds(pence: int) -> str:
    """Exact text form of an amount in pounds, e.g. ``-2042800.05``; used for stored figures."""
    sign = "-" if pence < 0 else ""
    whole, frac = divmod(abs(pence), PENCE_PER_POUND)
    return f"{sign}{whole}.{frac:02d}"


def round_half_away(value: int, unit: int) -> int:
    """``value / unit`` rounded to a whole number, halves away from zero (integers only)."""
    if unit <= 0:
        raise ValueError("unit must be positive")
    quotient, remainder = divmod(abs(value), unit)
    if 2 * remainder >= unit:
        quotient += 1
    return -quotient if value < 0 else quotient


@dataclass(frozen=True)
class Unit:
    """A display unit: how many pence one printed step is, and how many decimals are printed."""

    name: str
    step_pence: int
    decimals: int

    def round(self, pence: int) -> int:
        """The printed figure as a whole number of steps."""
        return round_half_away(pence, self.step_pence)

    def text(self, pence: object, minus: str = "-", grouped: bool = False) -> str:
        """The printed figure, e.g. ``10.993``; blank for a blank cell; never ``-0.000``.

        ``grouped``: thousands separated as the papers print them (``70,197.5``); files for machines
        (CSV) are written without them.
        """
        value = cell(pence)
        return "" if value is None else self._written(self.round(value), minus, grouped)

    def texts(self, column: pd.Series) -> list[str]:
        """:meth:`text` of every cell of a column of pence (``Int64``), rounded a column at a time."""
        if not pd.api.types.is_integer_dtype(column.dtype):
            return [self.text(value) for value in column.tolist()]
        blank = column.isna().to_numpy(dtype=bool)
        pence = column.to_numpy(dtype="int64", na_value=0)
        whole_steps, left = np.divmod(np.abs(pence), self.step_pence)
        steps = np.where(pence < 0, -1, 1) * (whole_steps + (2 * left >= self.step_pence))  # halves away from 0
        return ["" if b else self._written(n) for b, n in zip(blank.tolist(), steps.tolist(), strict=True)]

    def _written(self, steps: int, minus: str = "-", grouped: bool = False) -> str:
        """A whole number of printed steps as its text (the one place a figure is laid out)."""
        sign = minus if steps < 0 else ""
        whole, frac = divmod(abs(steps), 10**self.decimals)
        digits = f"{whole:,}" if grouped else str(whole)
        return f"{sign}{digits}.{frac:0{self.decimals}d}" if self.decimals else f"{sign}{digits}"

    def printed(self, pence: object) -> str:
        """The figure as a paper prints it in a table: thousands separated, a true minus sign."""
        return self.text(pence, minus=MINUS, grouped=True)

    def value(self, pence: int) -> float:
        """The printed figure as a number, for placing a bar on a chart (never for arithmetic)."""
        return self.round(pence) / float(10**self.decimals)


#: The authority table: £m to 3 decimals (a step of £1,000).
MILLIONS = Unit("£m", 1000 * PENCE_PER_POUND, 3)
#: Directorate tables: £'000 to 1 decimal (a step of £100).
THOUSANDS = Unit("£'000", 100 * PENCE_PER_POUND, 1)
#: Headline figures in prose, such as the savings plan ("£73.0m"): £m to 1 decimal (a step of £100,000).
MILLIONS_1DP = Unit("£m", 100_000 * PENCE_PER_POUND, 1)
#: Exact amounts (the audit appendix, control totals): pounds to the penny.
POUNDS = Unit("£", 1, 2)

MINUS = "\u2212"


def prose(pence: int) -> str:
    """A signed figure for commentary: ``+£0.206m``, ``−£0.193m``, ``£0.000m``."""
    body = MILLIONS.text(abs(pence), grouped=True)
    steps = MILLIONS.round(pence)
    if steps > 0:
        return f"+£{body}m"
    if steps < 0:
        return f"{MINUS}£{body}m"
    return f"£{body}m"


def millions(pence: int) -> str:
    """An unsigned figure in £m for prose: ``£0.100m`` (a threshold), ``£21.446m`` (a budget)."""
    return f"£{MILLIONS.text(pence, minus=MINUS, grouped=True)}m"


def headline_millions(pence: int) -> str:
    """An unsigned headline figure in £m to 1 decimal for prose: ``£73.0m`` (the size of an amount)."""
    return f"£{MILLIONS_1DP.text(abs(pence), grouped=True)}m"


def exact(pence: int) -> str:
    """A signed amount to the penny, where a rounded figure could hide a difference: ``+£1,234.50``."""
    sign = "+" if pence > 0 else MINUS if pence < 0 else ""
    whole, frac = divmod(abs(pence), PENCE_PER_POUND)
    return f"{sign}£{whole:,}.{frac:02d}"


def column_text(values: pd.Series, unit: Unit) -> pd.Series:
    """A column of exact pence (blanks allowed) as printed text."""
    return pd.Series(unit.texts(values), index=values.index, dtype="string")


def scale(pence: int, numerator: int, denominator: int) -> int:
    """``pence × numerator / denominator`` to the nearest penny, halves away from zero (integers only).

    Used for forecasts that scale an amount by a ratio of whole numbers (twelve months over the months
    elapsed; last year's outturn over last year's year to date) without passing through a float.
    """
    if denominator == 0:
        raise ZeroDivisionError("scale by a ratio with a zero denominator")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    return round_half_away(pence * numerator, denominator)


def instalments(pence: int, parts: int) -> list[int]:
    """An amount in ``parts`` equal whole-penny instalments; the last one takes what rounding leaves.

    ``instalments(100_00, 12)`` is eleven of 833p and one of 837p: they add up to the amount exactly.
    """
    each = round_half_away(pence, parts)
    return [each] * (parts - 1) + [pence - each * (parts - 1)]
