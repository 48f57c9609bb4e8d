"""Savings delivery: the RAG rule, overrides, roll-ups to the penny, the sentence, exempt savings, and
the plan and forecast read from the sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finlib.core.savings import EXEMPT_ITEMS, Rag, SavingsDelivery, Totals, delivery_sentence, rag_of, savings_delivery
from finlib.errors import InputError
from finlib.money import headline_millions
from finlib.monitoring import savings, validate
from tests.conftest import SAMPLE

DIRECTORATES = ["Adults", "Children"]


def delivery(rows: list[tuple[str, str, int, int, str]], restricted: tuple[str, ...] = ()) -> SavingsDelivery:
    """Rows of (saving_id, directorate, amount, forecast, rag) as the plan and the forecast frames."""
    plan = pd.DataFrame(
        {
            "saving_id": [r[0] for r in rows],
            "directorate": [r[1] for r in rows],
            "description": [f"saving {r[0]}" for r in rows],
            "amount": pd.array([r[2] for r in rows], dtype="Int64"),
            "line_id": [f"L-{r[0]}" for r in rows],
        }
    )
    forecasts = pd.DataFrame(
        {
            "forecast": pd.array([r[3] for r in rows], dtype="Int64"),
            "rag": [r[4] for r in rows],
            "note": "",
        },
        index=pd.Index([r[0] for r in rows], name="saving_id"),
    )
    return savings_delivery(plan, forecasts, DIRECTORATES, restricted)


@pytest.mark.parametrize(
    ("amount", "forecast", "rag"),
    [
        (-100_00, -100_00, Rag.GREEN),  # the whole amount
        (-100_00, -99_99, Rag.AMBER),  # a penny short
        (-100_00, -1, Rag.AMBER),  # a penny delivered
        (-100_00, 0, Rag.RED),  # nothing
    ],
)
def test_each_rag_case(amount: int, forecast: int, rag: Rag) -> None:
    assert rag_of(amount, forecast) == rag


@pytest.mark.parametrize("forecast", [1, -100_01])
def test_a_forecast_of_the_other_sign_or_beyond_the_amount_is_not_a_delivery(forecast: int) -> None:
    with pytest.raises(ValueError, match="not a delivery"):
        rag_of(-100_00, forecast)


def test_an_override_is_shown_and_marked_as_such() -> None:
    result = delivery([("S1", "Adults", -500_00, -500_00, "AMBER"), ("S2", "Adults", -300_00, 0, "")])
    first, second = result.savings
    assert (first.rag, first.computed, first.overridden) == (Rag.AMBER, Rag.GREEN, True)
    assert (second.rag, second.overridden) == (Rag.RED, False)
    adults = result.directorates["Adults"]
    assert (adults.green, adults.amber, adults.red, adults.overridden) == (0, 1, 1, 1)


def test_roll_ups_to_the_penny() -> None:
    result = delivery(
        [
            ("S1", "Adults", -1_000_000_01, -999_999_99, ""),
            ("S2", "Children", -250_000_00, -250_000_00, ""),
            ("S3", "Children", -3, -1, ""),
        ]
    )
    adults, children = (result.directorates[d] for d in DIRECTORATES)
    assert (adults.plan, adults.delivered, adults.shortfall) == (-1_000_000_01, -999_999_99, -2)
    assert (children.plan, children.delivered, children.shortfall) == (-250_000_03, -250_000_01, -2)
    assert (children.green, children.amber, children.red) == (1, 1, 0)
    authority = result.authority
    assert (authority.plan, authority.delivered, authority.shortfall, authority.count) == (
        -1_250_000_04,
        -1_250_000_00,
        -4,
        3,
    )


def test_a_directorate_without_savings_has_nil_totals() -> None:
    result = delivery([("S1", "Adults", -100_00, -100_00, "")])
    assert result.directorates["Children"] == Totals()


def test_the_sentence() -> None:
    assert delivery_sentence(Totals(plan=-73_000_000_00, delivered=-62_310_000_00)) == (
        "Of £73.0m of savings, £62.3m is forecast to be delivered this year, a shortfall of £10.7m."
    )
    assert delivery_sentence(Totals(plan=-5_000_000_00, delivered=-5_000_000_00)) == (
        "Of £5.0m of savings, £5.0m is forecast to be delivered this year: the whole plan."
    )
    assert headline_millions(-49_999_99) == "£0.0m" and headline_millions(-50_000_00) == "£0.1m"


def test_a_saving_on_a_restricted_line_is_never_named_in_the_public_version() -> None:
    result = delivery(
        [
            ("S1", "Adults", -100_00, -100_00, ""),
            ("SECRET", "Adults", -400_00, -100_00, ""),
            ("HIDDEN", "Adults", -200_00, 0, "GREEN"),
        ],
        restricted=("L-SECRET", "L-HIDDEN"),
    )
    public = result.public()
    assert [s.saving_id for s in public.savings] == ["S1", ""]
    folded = public.savings[1]
    assert (folded.description, folded.amount, folded.delivered, folded.rag) == (
        EXEMPT_ITEMS,
        -600_00,
        -100_00,
        Rag.AMBER,
    )
    assert "SECRET" not in repr(public.savings) and "HIDDEN" not in repr(public.savings)
    assert public.directorates == result.directorates


amounts = st.integers(min_value=1, max_value=10**12)


@given(st.lists(st.tuples(st.sampled_from(DIRECTORATES), amounts, st.floats(0, 1)), min_size=1, max_size=30))
def test_shortfall_and_delivery_make_the_plan_and_roll_ups_are_sums(
    rows: list[tuple[str, int, float]],
) -> None:
    # a share of each amount delivered (the float only picks a test case; the figures are whole pence)
    built = [(f"S{i}", d, -a, -int(a * share), "") for i, (d, a, share) in enumerate(rows)]
    result = delivery(built)
    for saving in result.savings:
        assert saving.shortfall + saving.delivered == saving.amount
    authority = result.authority
    assert authority.plan == sum(r[2] for r in built)
    assert authority.delivered == sum(r[3] for r in built)
    assert authority.shortfall + authority.delivered == authority.plan
    assert authority.count == len(built)
    for directorate in DIRECTORATES:
        mine = [r for r in built if r[1] == directorate]
        assert result.directorates[directorate].plan == sum(r[2] for r in mine)


# ---------------------------------------------------------------------------
# The sample


def test_the_sample_plan_is_73_million_and_july_forecasts_its_delivery() -> None:
    result = savings(SAMPLE, "2017-07")
    assert result is not None
    authority = result.authority
    assert (authority.plan, authority.delivered, authority.shortfall) == (
        -73_000_000_00,
        -62_310_000_00,
        -10_690_000_00,
    )
    assert (authority.green, authority.amber, authority.red, authority.overridden) == (12, 6, 2, 1)
    assert list(result.directorates) == [
        "Children, Young People & Education",
        "Adult Social Care & Health",
        "Growth, Environment & Transport",
        "Strategic & Corporate Services",
    ]
    assert result.sentence() == (
        "Of £73.0m of savings, £62.3m is forecast to be delivered this year, a shortfall of £10.7m."
    )


def test_a_period_without_a_savings_forecast_reports_no_savings() -> None:
    assert savings(SAMPLE, "2017-05") is None


def test_a_saving_without_a_forecast_row_is_a_problem_naming_it(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".publishing-*", "__pycache__"))
    forecast = root / "2017-18" / "2017-07" / "savings_forecast.csv"
    lines = forecast.read_text(encoding="utf-8").splitlines(keepends=True)
    forecast.write_text("".join(line for line in lines if not line.startswith("SAV-GET-02,")), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        validate(root, "2017-07")
    message = str(raised.value)
    assert "savings_forecast.csv, column saving_id: found 'no row for SAV-GET-02'" in message
    assert "savings.csv row 14" in message


def test_a_saving_on_a_restricted_line_of_the_sample_is_exempt_items_in_public(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".publishing-*", "__pycache__"))
    book = root / "2017-18" / "budget_book.csv"
    text = book.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("ASCH-ADU-06,"))
    restricted = line.replace(",service,,,", ",service,,true,")
    assert restricted != line
    book.write_text(text.replace(line, restricted), encoding="utf-8")
    public, officers = savings(root, "2017-07"), savings(root, "2017-07", restricted=True)
    assert public is not None and officers is not None
    adults = "Adult Social Care & Health"
    assert "SAV-ASCH-01" not in {s.saving_id for s in public.savings}
    assert "residential care" not in " ".join(s.description for s in public.savings)
    folded = [s for s in public.of(adults) if s.description == EXEMPT_ITEMS]
    assert [(s.amount, s.delivered) for s in folded] == [(-9_500_000_00, -6_800_000_00)]
    assert "SAV-ASCH-01" in {s.saving_id for s in officers.savings}
    assert public.directorates == officers.directorates and public.sentence() == officers.sentence()
