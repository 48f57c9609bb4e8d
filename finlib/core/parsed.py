"""A period's inputs as parsed: typed frames of exact amounts, checked, read from no file here.

:func:`finlib.inputs.load_period` builds it; the domain (:mod:`finlib.core.stage`) takes it.  Amounts
are pence in ``Int64`` columns; ``_row`` columns hold each record's row number in its file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finlib.core.kinds import PeriodKind
from finlib.core.period import FinancialYear, Period
from finlib.core.records import Records
from finlib.core.settings import Settings

ROW = "_row"  # column holding each record's row number in its file


@dataclass(frozen=True)
class PeriodInputs:
    """One period's inputs, checked and parsed."""

    period: Period
    settings: Settings
    # index line_id: directorate, division, heading, kind, tag, restricted, original_budget (<NA>: none), _row
    budget_book: pd.DataFrame
    forecasts: pd.DataFrame  # index line_id: net_budget, net_forecast_variance, _row
    adjustments: Records  # line_id, amount, reason, author, date (no file: no rows)
    roll_forwards: Records | None  # category, amount, description, line_id, to_line_id; None: no file
    explanations: Records  # subject, about, text (no file: no rows)
    # The year's capital programme, in file order: scheme_id, scheme, directorate, year, budget, restricted.
    # None: the year has no capital programme (and so no capital section).
    capital_programme: pd.DataFrame | None
    capital_forecasts: pd.DataFrame | None  # scheme_id, year, real_variance, rephasing_variance
    capital_funding: Records  # scheme_id, year, source, amount (no file: no rows)
    files: Mapping[str, Path] = field(default_factory=dict)  # every file read, by role
    # this period's budget changes: from_line_id, to_line_id, amount, reason, approved_by, date; None: no file
    virements: Records | None = None
    kind: PeriodKind = PeriodKind.MONTHLY

    @property
    def year(self) -> FinancialYear:
        return self.period.financial_year
