"""The commentary rules on small positions built in memory: thresholds, movements, tags, the balance.

Every expected sentence here is written out from the rules of the published papers
(``../shared/domain.md``): a heading at or above the variance threshold either way gets a sentence; a
movement at or above the movement threshold is explained; figures are signed £m to 3 decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest

from finlib.core.commentary import (
    Scope,
    authority_commentary,
    balance_words,
    crosses,
    directorate_commentary,
    explanation_lookup,
    headline,
    others_sentence,
    position_words,
)
from finlib.core.kinds import About
from finlib.core.period import Period
from finlib.core.revenue import Position, authority_table, compute_position
from finlib.core.settings import Labels, Thresholds
from tests.factories import period_inputs

THRESHOLDS = Thresholds()  # £100,000 variance, £50,000 movement
D = "Alpha Services"


def lines(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """Service lines of one directorate: (line_id, heading, net budget, variance) in pence."""
    return pd.DataFrame(
        {
            "directorate": D,
            "heading": [r[1] for r in rows],
            "net_budget": [r[2] for r in rows],
            "net_forecast_variance": [r[3] for r in rows],
        },
        index=pd.Index([r[0] for r in rows], name="line_id"),
    )


def position(
    rows: list[tuple[str, str, int, int]],
    last: Position | None = None,
    explanations: Sequence[tuple[str, str, str]] = (),
    tags: dict[str, str] | None = None,
) -> tuple[Position, dict[tuple[str, str], str]]:
    frame = lines(rows)
    if tags:
        frame["tag"] = [tags.get(str(i), "") for i in frame.index]
    inputs = period_inputs(frame, explanation_rows=list(explanations))
    return compute_position(inputs, last), explanation_lookup(inputs.explanations)


def last_position(revised: dict[str, int]) -> Position:
    frame = pd.DataFrame({"revised_net_variance": pd.array(list(revised.values()), dtype="Int64")}, index=list(revised))
    return Position(Period(2017, 5), frame, None)


def paragraphs(rows: list[tuple[str, str, int, int]], **kwargs: Any) -> list[str]:
    built, texts = position(rows, **kwargs)
    return directorate_commentary(built, D, texts, THRESHOLDS).paragraphs


@pytest.mark.parametrize(
    ("variance", "explained"),
    [
        (100_000_00, True),  # exactly at the threshold: explained
        (-100_000_00, True),  # either way
        (99_999_99, False),  # a penny below: covered by the closing sentence
        (-99_999_99, False),
    ],
)
def test_a_variance_at_the_threshold_gets_a_sentence_just_below_it_does_not(variance: int, explained: bool) -> None:
    texts = paragraphs(
        [("A1", "Roads", 1_000_000_00, variance), ("A2", "Parks", 500_000_00, 0)],
        explanations=[("Roads", "variance", "pothole repairs after the winter")],
    )
    sentence = f"{'+' if variance > 0 else '−'}£0.100m on Roads: Pothole repairs after the winter."
    assert (sentence in texts) == explained
    closing = "All other budget headings" if explained else "All budget headings"
    assert f"{closing} have variances of less than +/- £0.100m." in texts


def test_crosses_is_at_or_above_either_way_and_blank_never_crosses() -> None:
    assert crosses(100, 100) and crosses(-100, 100) and not crosses(99, 100) and not crosses(-99, 100)
    assert not crosses(pd.NA, 0) and not crosses(None, 0)


def test_a_movement_at_the_threshold_is_explained_just_below_it_is_not() -> None:
    last = last_position({"A1": 0, "A2": 0})
    texts = paragraphs(
        [("A1", "Roads", 1_000_000_00, 50_000_00), ("A2", "Parks", 500_000_00, 49_999_99)],
        last=last,
        explanations=[("Roads", "movement", "more potholes"), ("Parks", "movement", "longer opening hours")],
    )
    assert "Since the last report (May 2017-18) the directorate's position has moved by +£0.100m." in texts
    assert "The movement of +£0.050m on Roads: More potholes." in texts
    assert not any("on Parks" in t for t in texts)
    assert "All other budget headings have moved by less than £0.050m each." in texts


def test_a_missing_explanation_keeps_the_figure_and_is_listed() -> None:
    built, texts = position([("A1", "Roads", 1_000_000_00, 163_000_00)])
    commentary = directorate_commentary(built, D, texts, THRESHOLDS)
    assert "+£0.163m on Roads." in commentary.paragraphs
    (missing,) = commentary.missing
    assert (missing.subject, missing.about, missing.amount) == ("Roads", About.VARIANCE, 163_000_00)


def test_the_opening_sentence_and_a_corporate_director_adjustment() -> None:
    frame = lines([("A1", "Roads", 1_000_000_00, 300_000_00)])
    inputs = period_inputs(frame, adjustment_rows=[("A1", -150_000_00)])
    built = compute_position(inputs)
    texts = directorate_commentary(built, D, {}, THRESHOLDS).paragraphs
    assert texts[0] == (
        "The Alpha Services directorate is forecasting a pressure of +£0.150m, after Corporate Director "
        "adjustments of −£0.150m to the budget managers' forecast of +£0.300m."
    )
    assert texts[1] == "+£0.150m on Roads (a forecast of +£0.300m and a Corporate Director adjustment of −£0.150m)."


def test_a_tagged_part_is_split_out_of_its_directorate() -> None:
    texts = paragraphs(
        [("A1", "Infrastructure", 1_000_000_00, -82_000_00), ("AU", "Infrastructure", -1_040_000_00, 305_000_00)],
        tags={"AU": "Asset Utilisation"},
        explanations=[("Asset Utilisation", "variance", "building exits delayed")],
    )
    assert texts[1] == (
        "The forecast excluding Asset Utilisation is an underspend of −£0.082m and the position on "
        "Asset Utilisation is +£0.305m, giving an overall position of +£0.223m. Building exits delayed."
    )


def test_a_heading_holding_a_tagged_part_is_explained_net_of_it() -> None:
    texts = paragraphs(
        [("A1", "Infrastructure", 1_000_000_00, 231_000_00), ("AU", "Infrastructure", -1_040_000_00, 305_000_00)],
        tags={"AU": "Asset Utilisation"},
        explanations=[
            ("Infrastructure", "variance", "controllable budgets"),
            ("Asset Utilisation", "variance", "building exits delayed"),
        ],
    )
    assert texts[0] == "The Alpha Services directorate is forecasting a pressure of +£0.536m."
    assert texts[1].startswith("The forecast excluding Asset Utilisation is a pressure of +£0.231m and the position")
    assert "+£0.231m on Infrastructure, excluding Asset Utilisation: Controllable budgets." in texts
    assert not any("£0.536m on" in text for text in texts)  # the tag is never counted twice


def test_a_tag_movement_has_its_own_sentence_and_the_heading_moves_net_of_it() -> None:
    last = last_position({"A1": 10_000_00, "AU": 0})
    texts = paragraphs(
        [("A1", "Infrastructure", 1_000_000_00, 20_000_00), ("AU", "Infrastructure", -1_040_000_00, 305_000_00)],
        tags={"AU": "Asset Utilisation"},
        last=last,
        explanations=[("Asset Utilisation", "movement", "exits slipped")],
    )
    assert "The movement of +£0.305m on Asset Utilisation: Exits slipped." in texts
    assert not any("on Infrastructure, excluding Asset Utilisation" in text for text in texts)  # +£0.010m net


def test_a_line_new_since_the_last_report_was_last_reported_at_nil() -> None:
    last = last_position({"A1": 10_000_00})  # A2 did not exist in May
    built, _ = position([("A1", "Roads", 1_000_000_00, 10_000_00), ("A2", "Parks", 0, 70_000_00)], last=last)
    assert built.lines.at["A2", "last_reported"] == 0
    assert built.lines.at["A2", "movement"] == 70_000_00
    table = authority_table(built, Labels()).set_index("row")
    assert table.loc["TOTAL (excl Schools)", "movement"] == 70_000_00  # the new line's movement counts


@pytest.mark.parametrize(
    ("pence", "words"),
    [
        (223_000_00, "a pressure of +£0.223m"),
        (-82_000_00, "an underspend of −£0.082m"),
        (49_999, "a balanced position"),  # £499.99 rounds to £0.000m
        (-49_999, "a balanced position"),
        (50_000, "a pressure of +£0.001m"),  # £500.00: half away from zero
        (-50_000, "an underspend of −£0.001m"),
    ],
)
def test_position_words(pence: int, words: str) -> None:
    assert position_words(pence) == words


@pytest.mark.parametrize(
    ("balance", "words"),
    [
        (9_146_000_00, "a deficit of +£9.146m"),
        (-1_000_00, "an uncommitted balance of −£0.001m"),
        (0, "an uncommitted balance of £0.000m"),
    ],
)
def test_a_deficit_is_positive_an_uncommitted_balance_is_not(balance: int, words: str) -> None:
    assert balance_words(balance) == words


def authority_paragraphs(variance: int, roll_forward: int) -> list[str]:
    frame = lines([("A1", "Roads", 1_000_000_00, variance)])
    rf = pd.DataFrame(
        {
            "_row": [2],
            "category": ["committed"],
            "amount": pd.array([roll_forward], dtype="Int64"),
            "description": ["x"],
            "line_id": [""],
        }
    )
    built = compute_position(period_inputs(frame, roll_forwards=rf))
    return authority_commentary(authority_table(built, Labels()), built)


def test_the_authority_paragraph_calls_a_deficit_a_deficit() -> None:
    (managers, balance) = authority_paragraphs(8_335_000_00, 811_000_00)
    assert managers == "Budget managers are forecasting a pressure of +£8.335m excluding schools."
    assert balance == "Including roll forward requirements of +£0.811m, the position is a deficit of +£9.146m."


def test_the_authority_paragraph_calls_an_underspend_an_uncommitted_balance() -> None:
    (_, balance) = authority_paragraphs(-2_000_000_00, 500_000_00)
    assert balance == (
        "Including roll forward requirements of +£0.500m, the position is an uncommitted balance of −£1.500m."
    )


def test_the_authority_paragraph_with_no_roll_forwards_says_so() -> None:
    (_, balance) = authority_paragraphs(2_000_000_00, 0)
    assert balance == "There are no roll forward requirements, so the position is a deficit of +£2.000m."


@pytest.mark.parametrize(
    ("roll_forward", "expected"),
    [
        (0, "The authority is forecasting a pressure of +£2.000m excluding schools."),
        (
            -2_500_000_00,
            "The authority is forecasting a pressure of +£2.000m excluding schools; including roll forward "
            "requirements, the position is an uncommitted balance of −£0.500m.",
        ),
    ],
)
def test_the_headline_is_one_sentence_with_the_position_first(roll_forward: int, expected: str) -> None:
    frame = lines([("A1", "Roads", 1_000_000_00, 2_000_000_00)])
    rf = pd.DataFrame(
        {"_row": [2], "category": ["committed"], "amount": pd.array([roll_forward], dtype="Int64"),
         "description": ["x"], "line_id": [""]}
    )  # fmt: skip
    built = compute_position(period_inputs(frame, roll_forwards=rf))
    assert headline(authority_table(built, Labels())) == expected


def test_others_sentence() -> None:
    assert others_sentence(2, 2, About.VARIANCE, 100_000_00) is None
    assert others_sentence(0, 3, About.VARIANCE, 100_000_00) == (
        "All budget headings have variances of less than +/- £0.100m."
    )
    assert others_sentence(1, 3, About.MOVEMENT, 50_000_00) == (
        "All other budget headings have moved by less than £0.050m each."
    )
    with pytest.raises(ValueError, match="no closing sentence"):
        others_sentence(1, 3, About.CAPITAL, 50_000_00)


# ---------------------------------------------------------------------------
# Each rule's edges (cases found by mutation testing: make mutate)


def test_a_heading_pushed_over_the_threshold_by_an_adjustment_is_explained() -> None:
    frame = lines([("A1", "Roads", 1_000_000_00, 90_000_00), ("A2", "Parks", 0, 0)])
    inputs = period_inputs(frame, adjustment_rows=[("A1", 20_000_00)])
    texts = directorate_commentary(compute_position(inputs), D, {}, THRESHOLDS).paragraphs
    assert "+£0.110m on Roads (a forecast of +£0.090m and a Corporate Director adjustment of +£0.020m)." in texts


def test_when_every_heading_is_explained_there_is_no_closing_sentence() -> None:
    texts = paragraphs(
        [("A1", "Roads", 0, 150_000_00), ("A2", "Parks", 0, -120_000_00)],
        explanations=[("Roads", "variance", "potholes"), ("Parks", "variance", "vacancies")],
    )
    assert not any(t.startswith("All ") for t in texts)
    texts = paragraphs(
        [("A1", "Roads", 0, 150_000_00), ("A2", "Parks", 0, -120_000_00), ("A3", "Libraries", 0, 5_00)],
        explanations=[("Roads", "variance", "potholes"), ("Parks", "variance", "vacancies")],
    )
    assert texts[-1] == "All other budget headings have variances of less than +/- £0.100m."


def test_every_movement_explained_leaves_no_closing_sentence_and_a_missing_one_is_listed() -> None:
    built, texts = position(
        [("A1", "Roads", 0, 160_000_00), ("A2", "Parks", 0, -70_000_00)],
        last=last_position({"A1": 0, "A2": 0}),
        explanations=[("Roads", "variance", "potholes"), ("Roads", "movement", "more potholes")],
    )
    commentary = directorate_commentary(built, D, texts, THRESHOLDS)
    assert commentary.paragraphs[-2:] == [
        "The movement of +£0.160m on Roads: More potholes.",
        "The movement of −£0.070m on Parks.",
    ]
    assert [(m.directorate, m.subject, m.about, m.amount) for m in commentary.missing] == [
        (D, "Parks", About.MOVEMENT, -70_000_00)
    ]


def test_an_exempt_row_gets_its_own_sentence_and_no_explanation_is_asked_for() -> None:
    built, texts = position([("A1", "Exempt items", 0, 345_000_00)], last=last_position({"A1": 100_000_00}))
    commentary = directorate_commentary(built, D, texts, THRESHOLDS)
    assert "+£0.345m on exempt items, whose details are not published." in commentary.paragraphs
    assert "The movement of +£0.245m on Exempt items, whose details are not published." in commentary.paragraphs
    assert commentary.missing == []


def test_a_tag_without_an_explanation_is_split_and_says_nothing_more() -> None:
    texts = paragraphs(
        [("A1", "Infrastructure", 0, -82_000_00), ("AU", "Infrastructure", 0, 305_000_00)],
        tags={"AU": "Asset Utilisation"},
    )
    assert texts[1] == (
        "The forecast excluding Asset Utilisation is an underspend of −£0.082m and the position on "
        "Asset Utilisation is +£0.305m, giving an overall position of +£0.223m."
    )


@pytest.mark.parametrize(
    ("text", "as_sentence"),
    [
        ("staffing vacancies", "Staffing vacancies."),
        ("is it done?", "Is it done?"),
        ("done!", "Done!"),
        ("a sentence.", "A sentence."),
        ("  padded  ", "Padded."),
        ("", ""),
    ],
)
def test_a_business_partners_words_become_a_sentence(text: str, as_sentence: str) -> None:
    from finlib.core.commentary import sentence

    assert sentence(text) == as_sentence


def test_two_explanations_of_one_subject_are_joined_in_order() -> None:
    _, texts = position(
        [("A1", "Roads", 0, 0)],
        explanations=[
            ("Roads", "variance", "potholes."),
            ("Roads", "variance", "Also salt."),
            ("Roads", "movement", "m"),
        ],
    )
    assert texts == {("Roads", "variance"): "potholes. Also salt.", ("Roads", "movement"): "m"}


def test_a_deficit_of_a_penny_is_a_deficit() -> None:
    assert balance_words(1) == "a deficit of £0.000m"  # a pressure, however small, is not a balance


def test_adjustments_that_net_to_nil_are_not_reported_as_adjustments() -> None:
    frame = lines([("A1", "Roads", 1_000_000_00, 300_000_00)])
    inputs = period_inputs(frame, adjustment_rows=[("A1", 10_000_00), ("A1", -10_000_00)])
    built = compute_position(inputs)
    (managers, _balance) = authority_commentary(authority_table(built, Labels()), built)
    assert managers == "Budget managers are forecasting a pressure of +£0.300m excluding schools."
    inputs = period_inputs(frame, adjustment_rows=[("A1", 1)])
    built = compute_position(inputs)
    (managers, _balance) = authority_commentary(authority_table(built, Labels()), built)
    assert "Corporate Directors are reflecting adjustments of £0.000m" in managers


def test_the_roll_forwards_quoted_are_their_total() -> None:
    frame = lines([("A1", "Roads", 1_000_000_00, 100_000_00)])
    rf = pd.DataFrame(
        {
            "_row": [2, 3],
            "category": ["committed", "bids"],
            "amount": pd.array([200_000_00, 50_000_00], dtype="Int64"),
            "description": ["x", "y"],
            "line_id": ["", ""],
        }
    )
    built = compute_position(period_inputs(frame, roll_forwards=rf))
    (_, balance) = authority_commentary(authority_table(built, Labels()), built)
    assert balance == "Including roll forward requirements of +£0.250m, the position is a deficit of +£0.350m."


def test_capital_warnings_in_full() -> None:
    from finlib.core.capital import CapitalWarning
    from finlib.core.commentary import warning_text
    from finlib.core.kinds import WarningKind

    slipped = CapitalWarning(WarningKind.REPHASING, "P1", "Depot", D, "2017-18 to 2018-19", -4_000_000)
    assert warning_text(slipped) == (
        "Depot: rephasing nets to −£40,000.00 across 2017-18 to 2018-19, not to nil "
        "(slippage beyond the programme years)"
    )
    unfunded = CapitalWarning(WarningKind.FUNDING, "P1", "Depot", D, "2017-18", 3_000_000, 0)
    assert warning_text(unfunded) == (
        "Depot: real variance of +£30,000.00 in 2017-18, but its stated funding adds up to £0.00 "
        "(a difference of +£30,000.00)"
    )
    over = CapitalWarning(WarningKind.FUNDING, "P1", "Depot", D, "2017-18", 3_000_000, 3_500_000)
    assert warning_text(over).endswith("adds up to +£35,000.00 (a difference of −£5,000.00)")


def test_a_committees_part_of_a_directorate_is_spoken_of_as_its_headings() -> None:
    built, texts = position(
        [("A1", "Roads", 1_000_000_00, 150_000_00), ("A2", "Parks", 500_000_00, 0)],
        last=last_position({"A1": 50_000_00, "A2": 0}),
    )
    words = directorate_commentary(built, D, texts, THRESHOLDS, Scope.part(D)).paragraphs
    assert (
        words[0]
        == "The Alpha Services budget headings in this committee's remit are forecasting a pressure of +£0.150m."
    )
    assert "Since the last report (May 2017-18) these headings' position has moved by +£0.100m." in words


def test_only_the_directorates_own_service_headings_are_spoken_of_in_budget_book_order() -> None:
    frame = pd.DataFrame(
        {
            "directorate": [D, D, "Beta", D],
            "heading": ["Waste", "Roads", "Libraries", "Debt charges"],
            "kind": ["service", "service", "service", "financing"],
            "net_budget": [0, 0, 0, 0],
            "net_forecast_variance": [200_000_00, 300_000_00, 400_000_00, 500_000_00],
        },
        index=pd.Index(["A1", "A2", "B1", "F1"], name="line_id"),
    )
    inputs = period_inputs(frame)
    words = directorate_commentary(
        compute_position(inputs, None), D, explanation_lookup(inputs.explanations), THRESHOLDS
    )
    named = [p.split(" on ")[1].rstrip(".") for p in words.paragraphs if " on " in p]
    assert named == ["Waste", "Roads"]  # the budget book's order; not Beta's Libraries, not a financing line
