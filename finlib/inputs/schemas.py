"""Schemas of the input files, checked on the text as read, before anything is parsed.

Each file is read with every cell as text, so a schema can say exactly which
cell holds what (``'1.2.3'`` in ``net_budget``), and pandera collects every
failure at once.  Checks that need more than one file live in
:mod:`finlib.inputs.checks`; which schema belongs to which file, in :mod:`finlib.inputs.catalogue`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import pandas as pd
import pandera.pandas as pa

from finlib.core import kpi
from finlib.core.kinds import About, AssumptionKind, LineKind, RollForward, values
from finlib.core.membership import isin
from finlib.core.period import YEAR_EXPECTED, is_financial_year
from finlib.core.settings import FORECAST_METHODS
from finlib.money import AMOUNT_EXPECTED, amounts_valid, is_amount, parse_amount

BOOLEAN_TEXT = ("", "true", "false")


def _blank(values: pd.Series) -> pd.Series:
    return values.eq("")


def _is_date(text: str) -> bool:
    if len(text) != 10:
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def required_text(description: str = "a value") -> pa.Column:
    return pa.Column(str, pa.Check(lambda s: ~_blank(s), error=f"{description} (the cell is blank)"))


def optional_text() -> pa.Column:
    return pa.Column(str, required=False)


def _amounts(values: pd.Series) -> pd.Series:
    return amounts_valid(values)


def amount(required: bool = True) -> pa.Column:
    """An amount in pounds; an optional column may leave cells blank."""
    check = _amounts if required else (lambda s: _amounts(s) | _blank(s))
    return pa.Column(str, pa.Check(check, error=AMOUNT_EXPECTED), required=required)


def one_of(values: tuple[str, ...], required: bool = True) -> pa.Column:
    listed = ", ".join(v for v in values if v)
    allowed = {v.lower() for v in values}
    said = f"one of: {listed}" + (" or blank" if "" in values else "")
    return pa.Column(
        str, pa.Check(lambda s: pd.Series(isin(s.str.lower(), allowed), index=s.index), error=said), required=required
    )


def date() -> pa.Column:
    return pa.Column(str, pa.Check(lambda s: s.map(_is_date).astype(bool), error="a date written YYYY-MM-DD"))


def unique_key(description: str) -> pa.Column:
    return pa.Column(
        str,
        [
            pa.Check(lambda s: ~_blank(s), error=f"{description} (the cell is blank)"),
            pa.Check(lambda s: ~s.duplicated(keep=False) | _blank(s), error=f"{description} that appears only once"),
        ],
    )


BUDGET_BOOK = pa.DataFrameSchema(
    {
        "line_id": unique_key("a line_id unique within the year"),
        "directorate": required_text("the directorate"),
        "division": optional_text(),
        "heading": required_text("the Budget Book Heading"),
        "kind": one_of(("", *values(LineKind)), required=False),
        "tag": optional_text(),
        "restricted": one_of(BOOLEAN_TEXT, required=False),
        "original_budget": amount(required=False),  # the budget approved for the year, before any change
        "manager": optional_text(),  # the budget manager who forecasts the line (or <FY>/managers.csv)
        "manager_email": optional_text(),
    },
    name="budget_book.csv",
)

FORECASTS = pa.DataFrameSchema(
    {
        "line_id": unique_key("a budget line_id, one row per line"),
        "net_budget": amount(),
        "net_forecast_variance": amount(required=False),
        "net_forecast_outturn": amount(required=False),
    },
    name="forecasts.csv",
)

ADJUSTMENTS = pa.DataFrameSchema(
    {
        "line_id": required_text("the line_id the adjustment applies to"),
        "amount": amount(),
        "reason": required_text("the reason for the adjustment"),
        "author": required_text("who made the adjustment"),
        "date": date(),
    },
    name="adjustments.csv",
)

ROLL_FORWARDS = pa.DataFrameSchema(
    {
        "category": one_of(values(RollForward)),
        "amount": amount(),
        "description": required_text("a description of the roll forward"),
        "line_id": optional_text(),
        "to_line_id": optional_text(),  # the line of next year's budget book it is carried to
    },
    name="roll_forwards.csv",
)


def positive_amount() -> pa.Column:
    """An amount in pounds greater than nil (a bad amount is reported once, by the first check)."""
    return pa.Column(
        str,
        [
            pa.Check(_amounts, error=AMOUNT_EXPECTED),
            pa.Check(
                lambda s: s.map(_positive).astype(bool),
                error="an amount greater than nil (the direction is given by from_line_id and to_line_id)",
            ),
        ],
    )


VIREMENTS = pa.DataFrameSchema(
    {
        "from_line_id": optional_text(),  # blank: new funding, such as a grant
        "to_line_id": optional_text(),  # blank: a reduction
        "amount": positive_amount(),
        "reason": required_text("the reason for the budget change"),
        "approved_by": required_text("who approved the budget change"),
        "date": date(),
    },
    name="virements.csv",
)

EXPLANATIONS = pa.DataFrameSchema(
    {
        "subject": optional_text(),  # blank only for the finance director's words (checks.explanation_subjects)
        "about": one_of(values(About)),
        "text": required_text("the explanation"),
    },
    name="explanations.csv",
)

# ---------------------------------------------------------------------------
# Savings

SAVINGS = pa.DataFrameSchema(
    {
        "saving_id": unique_key("a saving_id unique within the year's plan"),
        "directorate": required_text("the directorate, as in budget_book.csv"),
        "description": required_text("a description of the saving"),
        "amount": amount(),  # negative: a saving reduces the budget (checked by finlib.inputs.savings)
        "line_id": optional_text(),  # blank: a saving of the directorate, on no one line
    },
    name="savings.csv",
)

SAVINGS_FORECAST = pa.DataFrameSchema(
    {
        "saving_id": unique_key("a saving_id of savings.csv, one row per saving"),
        "forecast": amount(),  # what is expected to be delivered this year, signed as the amount
        "rag": one_of(("", "GREEN", "AMBER", "RED"), required=False),  # blank: by the rule
        "note": optional_text(),
    },
    name="savings_forecast.csv",
)

# ---------------------------------------------------------------------------
# Capital

FINANCIAL_YEAR_EXPECTED = YEAR_EXPECTED


def financial_year_column() -> pa.Column:
    """A financial year, April to March: ``2017-18`` (not ``2017-19``, not ``2017/18``)."""
    return pa.Column(str, pa.Check(lambda s: s.map(is_financial_year).astype(bool), error=FINANCIAL_YEAR_EXPECTED))


def _not_negative(text: str) -> bool:
    return not is_amount(text) or parse_amount(text) >= 0


def _positive(text: str) -> bool:
    return not is_amount(text) or parse_amount(text) > 0


def cash_limit() -> pa.Column:
    """A budget in pounds that is not negative (a bad amount is reported once, by the first check)."""
    return pa.Column(
        str,
        [
            pa.Check(_amounts, error=AMOUNT_EXPECTED),
            pa.Check(lambda s: s.map(_not_negative).astype(bool), error="a budget of zero or more"),
        ],
    )


def amount_or_blank() -> pa.Column:
    """A column that must be present, whose cells are amounts or blank (blank is nil)."""
    return pa.Column(str, pa.Check(lambda s: _amounts(s) | _blank(s), error=f"{AMOUNT_EXPECTED}, or blank for nil"))


CAPITAL_PROGRAMME = pa.DataFrameSchema(
    {
        "scheme_id": required_text("the scheme_id"),
        "scheme": required_text("the scheme's name"),
        "directorate": required_text("the directorate"),
        "year": financial_year_column(),
        "budget": cash_limit(),
        "restricted": one_of(BOOLEAN_TEXT, required=False),
    },
    name="capital_programme.csv",
)

CAPITAL_FORECASTS = pa.DataFrameSchema(
    {
        "scheme_id": required_text("the scheme_id of capital_programme.csv"),
        "year": financial_year_column(),
        "real_variance": amount_or_blank(),
        "rephasing_variance": amount_or_blank(),
    },
    name="capital_forecasts.csv",
)

CAPITAL_FUNDING = pa.DataFrameSchema(
    {
        "scheme_id": required_text("the scheme_id of capital_programme.csv"),
        "year": financial_year_column(),
        "source": required_text("the source of funding"),
        "amount": amount(),
        "approved": one_of(BOOLEAN_TEXT, required=False),
    },
    name="capital_funding.csv",
)

# ---------------------------------------------------------------------------
# Ledger, forecast methods and scenarios (the ledger extract itself is checked by finlib.ledger)

COST_CENTRES = pa.DataFrameSchema(
    {
        "cost_centre": unique_key("a cost centre code, one row per cost centre"),
        "line_id": required_text("the line_id of budget_book.csv the cost centre belongs to"),
        "description": optional_text(),
    },
    name="cost_centres.csv",
)

MANAGERS = pa.DataFrameSchema(
    {
        "line_id": unique_key("a budget line_id, one row per line"),
        "manager": required_text("the budget manager's name"),
        "email": optional_text(),
    },
    name="managers.csv",
)

FORECAST_METHOD_CHOICES = pa.DataFrameSchema(
    {
        "line_id": unique_key("a budget line_id, one row per line"),
        "method": one_of(FORECAST_METHODS),
    },
    name="forecast_methods.csv",
)


def _is_share(text: str) -> bool:
    """A fraction written as a decimal greater than nil and at most one: ``0.25``, ``1``."""
    if not text:
        return True
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    return value.is_finite() and 0 < value <= 1


HEADING_MAP = pa.DataFrameSchema(
    {
        "from_heading": required_text("a Budget Book Heading of last year"),
        "to_heading": required_text("a Budget Book Heading of this year"),
        "share": pa.Column(
            str,
            pa.Check(
                lambda s: s.map(_is_share).astype(bool),
                error="a share written as a decimal above 0 and at most 1, or blank",
            ),
            required=False,
        ),
    },
    name="heading_map.csv",
)

SCENARIO = pa.DataFrameSchema(
    {
        "label": unique_key("the assumption's label, as the table prints it"),
        "kind": one_of(values(AssumptionKind)),
        "directorate": optional_text(),
        "division": optional_text(),
        "heading": optional_text(),
        "amount": amount(required=False),
    },
    name="scenario",
)

KPIS = pa.DataFrameSchema(
    {
        "ref": unique_key("the indicator's reference, unique in the year (such as CS01)"),
        "indicator": required_text("what the indicator measures"),
        "kind": one_of(kpi.KINDS),
        "directorate": required_text("the directorate, as in the budget book"),
        "service_area": required_text("the service area the dashboard groups the indicator under"),
        "director": optional_text(),
        "cabinet_member": optional_text(),
        "delivery_by": optional_text(),
        "unit": one_of(kpi.UNITS),
        "target": optional_text(),  # KPIs: as printed, checked against the unit by finlib.inputs.kpi
        "floor": optional_text(),
        "upper": optional_text(),  # activity indicators: the expected range, optional
        "lower": optional_text(),
        "frequency": one_of(("", *kpi.FREQUENCIES), required=False),
    },
    name="kpis.csv",
)

KPI_RESULTS = pa.DataFrameSchema(
    {
        "ref": unique_key("an indicator's ref of kpis.csv, one row per indicator"),
        "latest": optional_text(),  # as printed; checked against the indicator's unit by finlib.inputs.kpi
        "ytd": optional_text(),
        "previous_year": optional_text(),
        "results_to": optional_text(),
    },
    name="kpi_results.csv",
)
