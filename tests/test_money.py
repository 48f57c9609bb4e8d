"""Money: accepted forms, exact parsing, and rounding for display only, half away from zero."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finlib.money import MILLIONS, THOUSANDS, column_text, parse_amount, pounds, prose, round_half_away

PARSED = [
    ("-1234.5", -123450),
    ("1,234.50", 123450),
    ("£1,234.50", 123450),
    ("(1,234.50)", -123450),
    ("(£1,234.50)", -123450),
    ("-£0.01", -1),
    ("0", 0),
    ("12,345,678.9", 1234567890),
    (" 7.05 ", 705),
]
REJECTED = ["", "1.2.3", "--5", "1e400", "1,23", "(5", "5)", "-(5)", "£", "1.234", "abc", "1 000,00", "+5", "NaN"]


@pytest.mark.parametrize(("text", "pence"), PARSED)
def test_accepted_forms(text, pence):
    assert parse_amount(text) == pence


@pytest.mark.parametrize("text", REJECTED)
def test_rejected_forms(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("pence", "millions", "thousands"),
    [
        (22250000, "0.223", "222.5"),  # £222,500.00: a half rounds away from zero
        (-22250000, "-0.223", "-222.5"),
        (-49999, "0.000", "-0.5"),  # never "-0.000"
        (-50000, "-0.001", "-0.5"),
        (7019750000, "70.198", "70197.5"),
        (0, "0.000", "0.0"),
    ],
)
def test_display_units(pence, millions, thousands):
    assert MILLIONS.text(pence) == millions
    assert THOUSANDS.text(pence) == thousands


def test_blank_stays_blank():
    column = pd.array([None, 100000], dtype="Int64")
    assert list(column_text(pd.Series(column), MILLIONS)) == ["", "0.001"]


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (20600000, "+£0.206m"),
        (-19300000, "\u2212£0.193m"),
        (0, "£0.000m"),
        (-40000, "£0.000m"),
        (150000000, "+£1.500m"),
    ],
)
def test_prose(pence, text):
    assert prose(pence) == text


@given(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from([MILLIONS, THOUSANDS]))
def test_rounding_agrees_with_decimal_half_up(pence, unit):
    exact = Decimal(pence) / unit.step_pence
    assert unit.round(pence) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=40))
def test_rounding_a_total_moves_it_by_at_most_half_a_unit(parts):
    total = sum(parts)
    for unit in (MILLIONS, THOUSANDS):
        assert abs(unit.round(total) * unit.step_pence - total) * 2 <= unit.step_pence


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1))
def test_pounds_text_round_trips(pence):
    assert parse_amount(pounds(pence)) == pence


def test_round_half_away_needs_a_positive_unit():
    with pytest.raises(ValueError):
        round_half_away(5, 0)


def test_amounts_stop_short_of_a_trillion_pounds():
    assert parse_amount("999,999,999,999.99") == 99_999_999_999_999
    with pytest.raises(ValueError, match="a trillion pounds or more"):
        parse_amount("1000000000000")
