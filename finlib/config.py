"""Paths and settings: where a data set keeps each file, and what authority.yaml may say.

Every path finlib reads or writes is built here, so notebooks, the CLI and tests
never assemble file names themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from finlib.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("data/sample")
NOTEBOOKS = PROJECT_ROOT / "notebooks"
PARAMS = PROJECT_ROOT / "params"

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> str:
    """Check a monitoring period written ``YYYY-MM``; return it unchanged."""
    if not _PERIOD.match(str(text).strip()):
        raise UsageError(f"period {text!r} is not a month written YYYY-MM, such as 2017-07")
    return str(text).strip()


def financial_year(period: str) -> str:
    """The financial year (April to March) a period falls in: ``2017-07`` → ``2017-18``."""
    year, month = (int(part) for part in parse_period(period).split("-"))
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def slug(name: str) -> str:
    """A name as used in file names: ``Strategic & Corporate Services`` → ``strategic-corporate-services``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def is_financial_year(text: str) -> bool:
    match = _YEAR.match(text)
    return match is not None and (int(match[1]) + 1) % 100 == int(match[2])


def month_of_year(period: str) -> int:
    """1 for April, 12 for March."""
    month = int(parse_period(period)[5:])
    return (month - 4) % 12 + 1


def year_periods(year: str) -> list[str]:
    """The twelve periods of a financial year, April to March: ``2017-18`` → ``2017-04`` … ``2018-03``."""
    start = int(year[:4])
    return [f"{start}-{month:02d}" for month in range(4, 13)] + [f"{start + 1}-{month:02d}" for month in range(1, 4)]


def previous_year(year: str) -> str:
    """The financial year before: ``2017-18`` → ``2016-17``."""
    start = int(year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class DataSet:
    """The folder of one data set (``data/sample`` by default) and the paths inside it."""

    root: Path = DEFAULT_DATA

    @property
    def authority_file(self) -> Path:
        return self.root / "authority.yaml"

    def year_dir(self, year: str) -> Path:
        return self.root / year

    def period_dir(self, period: str) -> Path:
        return self.root / financial_year(period) / period

    def budget_book(self, year: str) -> Path:
        return self.year_dir(year) / "budget_book.csv"

    def capital_programme(self, year: str) -> Path:
        return self.year_dir(year) / "capital_programme.csv"

    def ledger_candidates(self, year: str) -> tuple[Path, Path]:
        """The general-ledger extract of a year: ``ledger.csv`` or ``ledger.parquet`` (one of them)."""
        return self.year_dir(year) / "ledger.csv", self.year_dir(year) / "ledger.parquet"

    def cost_centres(self, year: str) -> Path:
        return self.year_dir(year) / "cost_centres.csv"

    def forecast_methods(self, year: str) -> Path:
        return self.year_dir(year) / "forecast_methods.csv"

    def journal(self, year: str) -> Path:
        """The hledger journal equivalent to the year's ledger (written by the sample generator)."""
        return self.year_dir(year) / "ledger.journal"

    @property
    def scenarios_dir(self) -> Path:
        return self.root / "scenarios"

    def scenario(self, name: str | Path) -> Path:
        """A scenario file by name (``what-if`` → ``<root>/scenarios/what-if.csv``) or, with a suffix or
        a folder in it, by path (``my/what-if.csv``)."""
        given = Path(name)
        return given if given.suffix or len(given.parts) > 1 else self.scenarios_dir / f"{given.name}.csv"

    def period_file(self, period: str, name: str) -> Path:
        return self.period_dir(period) / name

    def period_input_candidates(self, period: str, role: str) -> list[Path]:
        """Where a period's input ``role`` (a key of :data:`PERIOD_FILES`) may be: its CSV and, for a role of
        :data:`SPREADSHEET_INPUTS`, the same name as ``.xlsx``.  One of them is read (not both:
        :func:`finlib.inputs.find_period_input` chooses)."""
        csv = self.period_file(period, PERIOD_FILES[role])
        return [csv, csv.with_suffix(".xlsx")] if role in SPREADSHEET_INPUTS else [csv]

    def published_year(self, year: str) -> Path:
        return self.root / "published" / year

    def published_period(self, period: str) -> Path:
        return self.published_year(financial_year(period)) / period


PERIOD_FILES = {
    "forecasts": "forecasts.csv",
    "adjustments": "adjustments.csv",
    "roll_forwards": "roll_forwards.csv",
    "explanations": "explanations.csv",
    "capital_forecasts": "capital_forecasts.csv",
    "capital_funding": "capital_funding.csv",
}

#: Period inputs that business partners may hand in as an Excel workbook (``forecasts.xlsx``) instead.
SPREADSHEET_INPUTS = ("forecasts", "adjustments")


#: The row that holds restricted (exempt) lines and schemes in a public report.
EXEMPT = "Exempt items"


@dataclass(frozen=True)
class Thresholds:
    """Reporting thresholds, in pence (authority.yaml gives them in pounds)."""

    variance_commentary: int = 100_000_00
    movement_commentary: int = 50_000_00
    capital_real: int = 100_000_00
    capital_rephasing: int = 1_000_000_00
    forecast_challenge: int = 100_000_00  # the manager's forecast departs from every method by more


@dataclass(frozen=True)
class Labels:
    """Row labels of the authority table, as the authority prints them."""

    financing: str = "Financing Items"
    total: str = "TOTAL (excl Schools)"
    schools: str = "Schools (CYP&E Directorate)"
    grand_total: str = "TOTAL"
    subtotal: str = "Sub Total {directorate}"
    variance_from_above: str = "Variance from above (excl schools)"
    rf_committed: str = "Roll forwards - committed"
    rf_rephased: str = "- re-phased"
    rf_bids: str = "- bids"
    rf_total: str = "Total roll forward requirements"
    balance: str = "(-ve) Uncommitted balance / (+ve) Deficit"
    unmapped: str = "Not mapped to a budget line"
    ledger_total: str = "Ledger total"
    scenario_start: str = "Position after CD adjustments and roll forwards"
    scenario_end: str = "Resulting position"


#: Forecast methods a budget line can use (finlib.forecast computes every one of them).
FORECAST_METHODS = ("budget", "run-rate", "profiled", "return")


@dataclass(frozen=True)
class Settings:
    """What authority.yaml says: the authority's name, thresholds, labels and default forecast method."""

    name: str = "Kent County Council"
    thresholds: Thresholds = field(default_factory=Thresholds)
    labels: Labels = field(default_factory=Labels)
    forecast_method: str = "return"  # one of FORECAST_METHODS; a line may choose another
