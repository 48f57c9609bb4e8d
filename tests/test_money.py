"""Money: accepted forms, exact parsing, and rounding for display only, half away from zero."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finlib.money import (
    MILLIONS,
    POUNDS,
    THOUSANDS,
    Unit,
    amounts_valid,
    column_text,
    is_amount,
    parse_amount,
    parse_amounts,
    pounds,
    prose,
    round_half_away,
)

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
#: Digits of other scripts, and digits split by spaces, are not amounts.
NOT_ASCII_OR_SPLIT = ["１２３４", "٣٤٥", "۱۲", "१२३", "1२", "1 2 3 4", "12 34.5", "100 50", "1, 234", "12. 5"]


@pytest.mark.parametrize("text", NOT_ASCII_OR_SPLIT)
def test_only_ascii_digits_unbroken_by_spaces(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)
    assert not is_amount(text)


@pytest.mark.parametrize(("text", "pence"), PARSED)
def test_accepted_forms(text: str, pence: int) -> None:
    assert parse_amount(text) == pence


@pytest.mark.parametrize("text", REJECTED)
def test_rejected_forms(text: str) -> None:
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
def test_display_units(pence: int, millions: str, thousands: str) -> None:
    assert MILLIONS.text(pence) == millions
    assert THOUSANDS.text(pence) == thousands


def test_blank_stays_blank() -> None:
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
def test_prose(pence: int, text: str) -> None:
    assert prose(pence) == text


@given(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from([MILLIONS, THOUSANDS]))
def test_rounding_agrees_with_decimal_half_up(pence: int, unit: Unit) -> None:
    exact = Decimal(pence) / unit.step_pence
    assert unit.round(pence) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=40))
def test_rounding_a_total_moves_it_by_at_most_half_a_unit(parts: list[int]) -> None:
    total = sum(parts)
    for unit in (MILLIONS, THOUSANDS):
        assert abs(unit.round(total) * unit.step_pence - total) * 2 <= unit.step_pence


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1))
def test_pounds_text_round_trips(pence: int) -> None:
    assert parse_amount(pounds(pence)) == pence


def test_round_half_away_needs_a_positive_unit() -> None:
    with pytest.raises(ValueError):
        round_half_away(5, 0)


def test_amounts_stop_short_of_a_trillion_pounds() -> None:
    assert parse_amount("999,999,999,999.99") == 99_999_999_999_999
    with pytest.raises(ValueError, match="a trillion pounds or more"):
        parse_amount("1000000000000")


# ---------------------------------------------------------------------------
# Each function's edges (cases found by mutation testing: make mutate)


@pytest.mark.parametrize(
    ("text", "pence"),
    [("£ 1,234.50", 123450), (" (1,234.50) ", -123450), ("- 20.00", -2000), ("( £ 5 )", -500), ("- £ 7", -700)],
)
def test_spaces_around_the_sign_and_the_pound_are_ignored(text: str, pence: int) -> None:
    assert parse_amount(text) == pence  # finance exports pad the £ and the sign


@pytest.mark.parametrize(
    ("pence", "numerator", "denominator", "expected"),
    [
        (40000, 12, 4, 120000),
        (100, 12, 7, 171),  # 171.43p
        (5, 3, 2, 8),  # 7.5p: half away from zero
        (-5, 3, 2, -8),
        (5, 3, -2, -8),  # a negative ratio turns the sign round
        (-5, -3, -2, -8),
        (0, 5, 3, 0),
    ],
)
def test_scale_by_a_ratio_of_whole_numbers(pence: int, numerator: int, denominator: int, expected: int) -> None:
    from finlib.money import scale

    assert scale(pence, numerator, denominator) == expected


def test_scale_by_nothing_is_refused() -> None:
    from finlib.money import scale

    with pytest.raises(ZeroDivisionError):
        scale(100, 1, 0)
    assert scale(100, 0, 1) == 0


@pytest.mark.parametrize(
    ("pence", "parts", "expected"),
    [
        (100_00, 12, [833] * 11 + [837]),
        (-100_00, 12, [-833] * 11 + [-837]),
        (11, 2, [6, 5]),  # 5.5p rounds to 6p; the last part takes what is left
        (0, 3, [0, 0, 0]),
        (7, 1, [7]),
    ],
)
def test_instalments_add_up_exactly(pence: int, parts: int, expected: list[int]) -> None:
    from finlib.money import instalments

    assert instalments(pence, parts) == expected
    assert sum(instalments(pence, parts)) == pence


@pytest.mark.parametrize(
    ("pence", "text"),
    [(0, "£0.00"), (1, "+£0.01"), (-1, "\u2212£0.01"), (123_456_78, "+£123,456.78"), (-5_000_00, "\u2212£5,000.00")],
)
def test_exact_amounts_are_signed_to_the_penny(pence: int, text: str) -> None:
    from finlib.money import exact

    assert exact(pence) == text


@pytest.mark.parametrize(("pence", "text"), [(0, "0.00"), (-1, "-0.01"), (1, "0.01"), (-204_280_005, "-2042800.05")])
def test_pounds_for_stored_figures(pence: int, text: str) -> None:
    assert pounds(pence) == text


def test_millions_for_prose_figures() -> None:
    from finlib.money import millions

    assert millions(100_000_00) == "£0.100m"
    assert millions(-100_000_00) == "£\u22120.100m"


def test_a_unit_without_decimals_prints_whole_steps() -> None:
    whole = Unit("£", 100, 0)
    assert whole.text(12_345_67) == "12346" and whole.text(-50) == "-1" and whole.text(-49) == "0"


def test_a_figure_as_a_number_for_a_chart_is_the_printed_figure() -> None:
    assert MILLIONS.value(1_234_500_00) == 1.235 and MILLIONS.value(-1_234_499_99) == -1.234
    assert THOUSANDS.value(12_345_67) == 12.3


def test_a_cell_of_pence() -> None:
    import numpy as np

    from finlib.money import cell

    assert cell(5) == 5 and cell(np.int64(-7)) == -7 and cell(2.0) == 2
    assert cell(None) is None and cell(pd.NA) is None and cell(float("nan")) is None
    for bad in (2.5, True, "12"):
        with pytest.raises(TypeError):
            cell(bad)


#: Text that looks like amounts and text that nearly does: digits, signs, £, brackets, commas, points, spaces.
amount_like = st.text(alphabet="0123456789-£(),. e", max_size=18) | st.builds(
    lambda pence: pounds(pence), st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1)
)


@given(st.lists(amount_like, max_size=30))
def test_a_column_is_checked_and_read_as_each_cell_is(texts: list[str]) -> None:
    """The column-at-a-time reading agrees with the cell-by-cell rule on every cell, plain or not."""
    column = pd.Series(texts, index=range(2, 2 + len(texts)), dtype="string")
    assert amounts_valid(column).tolist() == [is_amount(t) for t in texts]
    readable = [t for t in texts if is_amount(t) or not t.strip()]
    read = parse_amounts(pd.Series(readable, dtype="string"))
    assert [None if v is pd.NA else v for v in read.tolist()] == [
        parse_amount(t) if t.strip() else None for t in readable
    ]


def test_a_column_with_a_cell_that_is_not_an_amount_is_refused() -> None:
    with pytest.raises(ValueError, match=r"1\.2\.3"):
        parse_amounts(pd.Series(["1.00", "1.2.3"], dtype="string"))


@given(
    cells=st.lists(
        st.none()
        | st.integers(min_value=-(10**15), max_value=10**15)
        | st.sampled_from([-500, 500, -50, 50, -5, 5, 0]),
        max_size=40,
    ),
    unit=st.sampled_from([MILLIONS, THOUSANDS, POUNDS]),
)
def test_property_a_column_is_printed_as_each_of_its_cells_is(cells: list[int | None], unit: Unit) -> None:
    """The CSV writer rounds a column at a time: the same text as cell by cell, halves away from zero."""
    column = pd.Series(pd.array(cells, dtype="Int64"))
    assert unit.texts(column) == [unit.text(cell) for cell in cells]
