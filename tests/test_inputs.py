"""Validation: every problem is reported with file, row, column, what was found and expected."""

from __future__ import annotations

import pytest

from finlib.errors import InputError
from finlib.inputs import load_period
from tests.conftest import TINY, write_tree

BOOK = "2017-18/budget_book.csv"
FORECASTS = "2017-18/2017-07/forecasts.csv"
ADJUSTMENTS = "2017-18/2017-07/adjustments.csv"
ROLL_FORWARDS = "2017-18/2017-07/roll_forwards.csv"


def replaced(name: str, old: str, new: str) -> dict[str, str | None]:
    text = TINY[name]
    assert old in text, f"{old!r} not in {name}"
    return {name: text.replace(old, new, 1)}


# (case, changes to the tiny data set, expected problems as (file end, row, column, text in message))
CASES = [
    ("missing file", {FORECASTS: None}, [("forecasts.csv", None, None, "no such file")]),
    ("empty file", {ADJUSTMENTS: ""}, [("adjustments.csv", None, None, "an empty file")]),
    (
        "missing column",
        replaced(BOOK, "line_id,directorate,division,heading", "line_id,directorate,division,title"),
        [("budget_book.csv", 1, "heading", "no such column")],
    ),
    (
        "unparseable amount",
        replaced(FORECASTS, "A3,500.00,0.05", "A3,1.2.3,0.05"),
        [("forecasts.csv", 4, "net_budget", "'1.2.3'")],
    ),
    (
        "amount to a fraction of a penny",
        replaced(FORECASTS, "A3,500.00,0.05", "A3,500.001,0.05"),
        [("forecasts.csv", 4, "net_budget", "'500.001'")],
    ),
    (
        "duplicate line_id",
        replaced(BOOK, "A3,Alpha Services", "A2,Alpha Services"),
        [
            ("budget_book.csv", 3, "line_id", "appears only once"),
            ("budget_book.csv", 4, "line_id", "appears only once"),
        ],
    ),
    (
        "forecast for a line not in the budget book",
        replaced(FORECASTS, "B1,-300,2.5", "B9,-300,2.5"),
        [("forecasts.csv", 5, "line_id", "'B9'"), ("forecasts.csv", None, "line_id", "no row for B1")],
    ),
    (
        "budget line with no forecast",
        replaced(FORECASTS, "B2,0,60\n", ""),
        [("forecasts.csv", None, "line_id", "no row for B2")],
    ),
    (
        "adjustment on an unknown line",
        replaced(ADJUSTMENTS, "S1,3.00", "Z1,3.00"),
        [("adjustments.csv", 4, "line_id", "'Z1'")],
    ),
    (
        "both variance and outturn",
        replaced(FORECASTS, "net_forecast_variance", "net_forecast_variance,net_forecast_outturn"),
        [("forecasts.csv", 1, "net_forecast_variance and net_forecast_outturn", "both columns")],
    ),
    (
        "neither variance nor outturn",
        replaced(FORECASTS, "net_forecast_variance", "variance"),
        [("forecasts.csv", 1, "net_forecast_variance", "neither column")],
    ),
    (
        "unknown roll-forward category",
        replaced(ROLL_FORWARDS, "bids,1.50", "wishes,1.50"),
        [("roll_forwards.csv", 3, "category", "'wishes'")],
    ),
    (
        "bad date",
        replaced(ADJUSTMENTS, "2017-08-11", "11/08/2017"),
        [("adjustments.csv", 3, "date", "'11/08/2017'")],
    ),
    (
        "impossible date",
        replaced(ADJUSTMENTS, "2017-08-11", "2017-02-30"),
        [("adjustments.csv", 3, "date", "'2017-02-30'")],
    ),
    (
        "blank amount",
        replaced(ADJUSTMENTS, "A1,-2.00", "A1,"),
        [("adjustments.csv", 2, "amount", "found ''")],
    ),
    (
        "unknown kind",
        replaced(BOOK, "F1,Financing Items,,Debt charges,financing", "F1,Financing Items,,Debt charges,finance"),
        [("budget_book.csv", 7, "kind", "'finance'")],
    ),
    (
        "not UTF-8",
        {ADJUSTMENTS: None},
        [("adjustments.csv", 2, None, "UTF-8")],
    ),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_named(tiny, case, changes, expected):
    write_tree(tiny.root, changes)
    if case == "not UTF-8":
        (tiny.root / ADJUSTMENTS).write_bytes(b"line_id,amount,reason,author,date\nA1,-2.00,Caf\xe9,D,2017-08-10\n")
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    problems = raised.value.problems
    for file_end, row, column, text in expected:
        matching = [
            p for p in problems if p.file.endswith(file_end) and p.row == row and p.column == column and text in str(p)
        ]
        assert matching, f"no problem {file_end} row {row} column {column} with {text!r} in:\n{raised.value}"


def test_every_problem_is_listed_at_once(tiny):
    write_tree(tiny.root, replaced(FORECASTS, "A3,500.00,0.05", "A3,--5,1e400"))
    write_tree(tiny.root, replaced(ADJUSTMENTS, "2017-08-11", "yesterday"))
    write_tree(tiny.root, replaced(ROLL_FORWARDS, "bids,1.50", "bids,1,2,3"))
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    text = str(raised.value)
    assert "'--5'" in text and "'1e400'" in text and "'yesterday'" in text
    assert "roll_forwards.csv, row 3: found '6 cells'" in text
    assert text.splitlines()[0] == f"{len(raised.value.problems)} problems in the inputs; nothing was written."


def test_message_says_file_row_column_found_and_expected(tiny):
    write_tree(tiny.root, replaced(FORECASTS, "A3,500.00,0.05", "A3,1.2.3,0.05"))
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    (problem,) = raised.value.problems
    assert str(problem).endswith(
        "forecasts.csv, row 4, column net_budget: found '1.2.3'; expected an amount in pounds to the penny, "
        "such as -1234.5, 1,234.50, £1,234.50 or (1,234.50)"
    )


def test_accepted_forms_and_header_spelling(tiny):
    write_tree(
        tiny.root,
        {FORECASTS: "\ufeff Line_ID , Net_Budget,NET_FORECAST_OUTTURN,notes\n" + TINY[FORECASTS].split("\n", 1)[1]},
    )
    inputs = load_period(tiny, "2017-07")
    # outturn read as given: variance = outturn − budget
    assert inputs.forecasts.loc["A1", "net_budget"] == 100000
    assert inputs.forecasts.loc["A1", "net_forecast_variance"] == 1234 - 100000
    assert inputs.forecasts.loc["A2", "net_forecast_variance"] == -501 - 200000


def test_optional_files_may_be_absent(tiny):
    write_tree(tiny.root, {ADJUSTMENTS: None, ROLL_FORWARDS: None})
    inputs = load_period(tiny, "2017-07")
    assert inputs.adjustments.empty
    assert inputs.roll_forwards is None


def test_header_only_roll_forwards_is_an_empty_return(tiny):
    write_tree(tiny.root, {ROLL_FORWARDS: "category,amount,description,line_id\n"})
    inputs = load_period(tiny, "2017-07")
    assert inputs.roll_forwards is not None and inputs.roll_forwards.empty


def test_missing_period_folder(tiny):
    with pytest.raises(InputError, match=r"2017-18/2017-09: found 'no such folder'"):
        load_period(tiny, "2017-09")


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: X\nthresholds:\n  variance_commentary: lots\n", "thresholds.variance_commentary: found 'lots'"),
        ("name: X\nthreshold: 5\n", "column threshold: found 'an unknown setting'"),
        ("name: X\nlabels:\n  totl: T\n", "labels.totl: found 'an unknown setting'"),
        ("name: [unclosed\n", "expected valid YAML"),
    ],
)
def test_authority_settings_are_checked(tiny, yaml_text, message):
    write_tree(tiny.root, {"authority.yaml": yaml_text})
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_period(tiny, "2017-07")


def test_settings_from_yaml(tiny):
    write_tree(
        tiny.root,
        {
            "authority.yaml": (
                "name: Tiny\nthresholds:\n  movement_commentary: '£25,000.50'\nlabels:\n  total: Headline\n"
            )
        },
    )
    settings = load_period(tiny, "2017-07").settings
    assert settings.thresholds.movement_commentary == 2500050
    assert settings.thresholds.variance_commentary == 10000000
    assert settings.labels.total == "Headline"


def test_checks_across_files_still_run_when_a_file_has_bad_cells(tiny):
    text = TINY[FORECASTS].replace("A3,500.00,0.05", "A3,1.2.3,0.05").replace("B2,0,60\n", "")
    write_tree(tiny.root, {FORECASTS: text, ADJUSTMENTS: TINY[ADJUSTMENTS].replace("S1,3.00", "Q1,oops")})
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    text = str(raised.value)
    assert "row 4, column net_budget: found '1.2.3'" in text
    assert "found 'no row for B2'" in text
    assert "adjustments.csv, row 4, column line_id: found 'Q1'" in text
    assert "adjustments.csv, row 4, column amount: found 'oops'" in text
