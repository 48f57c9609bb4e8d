"""Periods and financial years: parsed once, then carried as values.

A monitoring **period** is the month whose position is reported, written ``YYYY-MM``.  A **financial
year** runs from April to March and is written ``2017-18``.  Both are parsed here and nowhere else;
everything downstream holds a :class:`Period` or a :class:`FinancialYear` and asks it for its parts
and labels.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from finlib.errors import UsageError

#: A period as the data contract writes it (folder names, parameters, manifests).
#: Exactly that: ASCII digits, nothing before or after (no spaces, no newline).
PERIOD_PATTERN = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
#: A financial year as the data contract writes it: ``2017-18``.
YEAR_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")
PERIOD_EXPECTED = "a month written YYYY-MM, such as 2017-07"
YEAR_EXPECTED = "a financial year written YYYY-YY, such as 2017-18"
FIRST_MONTH = 4  # April


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, April of ``start`` to March of the next year."""

    start: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """``2017-18`` → ``FinancialYear(2017)``; raises :class:`UsageError` for anything else."""
        found = parse_year(text)
        if found is None:
            raise UsageError(f"{text!r} is not {YEAR_EXPECTED}")
        return found

    def __str__(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def previous(self) -> FinancialYear:
        return FinancialYear(self.start - 1)

    @property
    def next(self) -> FinancialYear:
        return FinancialYear(self.start + 1)

    def periods(self) -> list[Period]:
        """The twelve periods, April to March."""
        return [Period(self.start, m) for m in range(FIRST_MONTH, 13)] + [
            Period(self.start + 1, m) for m in range(1, FIRST_MONTH)
        ]

    @property
    def last_period(self) -> Period:
        return Period(self.start + 1, FIRST_MONTH - 1)


def parse_year(text: str) -> FinancialYear | None:
    """The financial year ``text`` writes, or ``None`` (``2017-19`` and ``2017/18`` are not years)."""
    match = YEAR_PATTERN.fullmatch(text)
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        return None
    return FinancialYear(int(match[1]))


def is_financial_year(text: str) -> bool:
    return parse_year(text) is not None


@dataclass(frozen=True, order=True)
class Period:
    """A monitoring period: one month.  Orders chronologically; ``str()`` gives ``YYYY-MM``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: object, what: str = "period") -> Period:
        """A period written exactly ``YYYY-MM``; raises :class:`UsageError` naming ``what`` was given
        (a period with spaces around it is refused, and said to be)."""
        if isinstance(text, Period):
            return text
        match = PERIOD_PATTERN.fullmatch(str(text))
        if match is None:
            spaced = " (it has spaces or a line break around it)" if PERIOD_PATTERN.fullmatch(str(text).strip()) else ""
            raise UsageError(f"{what} {text!r} is not {PERIOD_EXPECTED}{spaced}")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year if self.month >= FIRST_MONTH else self.year - 1)

    @property
    def month_of_year(self) -> int:
        """1 for April, 12 for March."""
        return (self.month - FIRST_MONTH) % 12 + 1

    @property
    def month_name(self) -> str:
        """``July``."""
        return calendar.month_name[self.month]

    @property
    def label(self) -> str:
        """How reports name the period: ``July 2017-18``."""
        return f"{self.month_name} {self.financial_year}"

    @property
    def short_label(self) -> str:
        """A column heading for a month: ``Jul 2017``."""
        return f"{calendar.month_abbr[self.month]} {self.year}"

    def months_to_date(self) -> list[Period]:
        """April of its year to this period."""
        return self.financial_year.periods()[: self.month_of_year]


def is_period(text: str) -> bool:
    return PERIOD_PATTERN.fullmatch(text) is not None
