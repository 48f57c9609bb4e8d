"""The position stage: everything computed about one period that a report needs, read from no file.

:func:`finlib.monitor` gathers it (inputs, Last Reported, the publication record) and
:func:`finlib.core.exempt.public` gives its public form; the report model is built from it alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finlib.core import kpi, revenue
from finlib.core.budget import BudgetChanges
from finlib.core.capital import CapitalPosition, capital_position
from finlib.core.kinds import PeriodKind
from finlib.core.parsed import PeriodInputs
from finlib.core.period import Period
from finlib.core.records import Records
from finlib.core.revenue import Position
from finlib.core.savings import SavingsDelivery
from finlib.core.settings import Settings
from finlib.core.signoff import SignOff, WithoutSignOff
from finlib.core.ytd import YearToDate


@dataclass(frozen=True)
class Publication:
    """One published version of a period, as its manifest records it."""

    period: Period
    version: int
    published_at: str  # ISO 8601, UTC
    supersedes: int | None = None
    reason: str | None = None
    missing: int = 0  # explanations missing when it was published (allowed, with a reason)
    missing_reason: str | None = None
    signoffs: tuple[SignOff, ...] = ()  # the Corporate Directors' sign-offs it was published with
    without_signoff: WithoutSignOff | None = None  # published without some directorates' sign-off, and why
    fingerprint: str = ""  # the start of its manifest's SHA-256, printed so that a reader can check it


@dataclass(frozen=True)
class Monitoring:
    """A period's position: revenue (with Last Reported), capital, the adjustments and explanations behind
    the commentary, and the publication record of the periods compared.

    ``adjustments``: line_id, amount, reason, author, date.
    ``explanations``: subject, about, text.  ``public`` is True once exempt items are masked.
    """

    period: Period
    settings: Settings
    position: Position
    capital: CapitalPosition | None
    adjustments: Records
    explanations: Records
    publications: tuple[Publication, ...] = ()
    sources: Mapping[str, Path] = field(default_factory=dict)  # every input file read, by role
    public: bool = False  # the public form (:func:`finlib.core.exempt.public`)
    masked: bool = False  # the public form, with exempt items folded into "Exempt items" rows
    budget: BudgetChanges | None = None  # the budgets reconciled with the last report's; None: no base
    kind: PeriodKind = PeriodKind.MONTHLY
    # the roll forward requests (category, amount, description, line_id, to_line_id); None: no return
    requests: Records | None = None
    # the year's positions published before this period (current versions), in period order
    history: tuple[tuple[Period, Position], ...] = ()
    prior: Mapping[str, int] | None = None  # last year's outturn by this year's heading; None: not published
    ytd: YearToDate | None = None  # actuals to date against the profiled budget; None: no ledger to the period
    # each directorate's inputs as digests by role (:mod:`finlib.core.signoff`): what a sign-off covers
    signoff_digests: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    savings: SavingsDelivery | None = None  # the savings plan's delivery; None: no savings_forecast.csv
    # the period's performance indicators, rated (kpis.csv, kpi_results.csv); None: no results this period
    indicators: tuple[kpi.Rated, ...] | None = None

    @property
    def outturn(self) -> bool:
        return self.kind == PeriodKind.OUTTURN

    @property
    def last_period(self) -> Period | None:
        return self.position.last.period if self.position.last is not None else None

    @property
    def has_exempt(self) -> bool:
        """Whether any line or capital scheme is restricted (in the public form: was, before masking)."""
        if self.public:
            return self.masked
        lines = bool(self.position.lines["restricted"].any())
        return lines or (self.capital is not None and bool(self.capital.schemes["restricted"].any()))

    def authority_table(self) -> pd.DataFrame:
        return revenue.authority_table(self.position, self.settings.labels)

    def directorates(self) -> list[str]:
        return revenue.directorates(self.position)

    def directorate_table(self, directorate: str) -> pd.DataFrame:
        return revenue.directorate_table(self.position, directorate)


def stage(
    inputs: PeriodInputs,
    last: Position | None = None,
    publications: tuple[Publication, ...] = (),
    budget: BudgetChanges | None = None,
    history: tuple[tuple[Period, Position], ...] = (),
) -> Monitoring:
    """The position stage of a period from its parsed inputs, the position Last Reported, and the
    budgets reconciled (:mod:`finlib.core.budget`)."""
    return Monitoring(
        period=inputs.period,
        settings=inputs.settings,
        position=revenue.compute_position(inputs, last),
        capital=capital_position(inputs),
        adjustments=inputs.adjustments,
        explanations=inputs.explanations,
        publications=publications,
        sources=dict(inputs.files),
        budget=budget,
        kind=inputs.kind,
        requests=inputs.roll_forwards,
        history=history,
    )
