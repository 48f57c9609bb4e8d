"""Validation: every problem is reported with file, row, column, what was found and expected."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from finlib import inputs, store
from finlib.config import DataSet
from finlib.core.period import FinancialYear, Period
from finlib.errors import InputError, Problems
from finlib.inputs import load_period, read_text_table
from finlib.inputs.analysis import read_net_budgets
from finlib.inputs.tables import _cell_text
from finlib.inputs.yaml_files import AliasRefused, Loader
from finlib.monitoring import monitor
from tests.conftest import TINY, write_tree
from tests.factories import sign_off_every_directorate

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
def test_each_problem_is_named(
    tiny: DataSet,
    case: str,
    changes: dict[str, str | None],
    expected: list[tuple[str, int | None, str | None, str]],
) -> None:
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


def test_every_problem_is_listed_at_once(tiny: DataSet) -> None:
    write_tree(tiny.root, replaced(FORECASTS, "A3,500.00,0.05", "A3,--5,1e400"))
    write_tree(tiny.root, replaced(ADJUSTMENTS, "2017-08-11", "yesterday"))
    write_tree(tiny.root, replaced(ROLL_FORWARDS, "bids,1.50", "bids,1,2,3"))
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    text = str(raised.value)
    assert "'--5'" in text and "'1e400'" in text and "'yesterday'" in text
    assert "roll_forwards.csv, row 3: found '6 cells'" in text
    assert text.splitlines()[0] == f"{len(raised.value.problems)} problems in the inputs; nothing was written."


def test_message_says_file_row_column_found_and_expected(tiny: DataSet) -> None:
    write_tree(tiny.root, replaced(FORECASTS, "A3,500.00,0.05", "A3,1.2.3,0.05"))
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    (problem,) = raised.value.problems
    assert str(problem).endswith(
        "forecasts.csv, row 4, column net_budget: found '1.2.3'; expected an amount in pounds to the penny, "
        "such as -1234.5, 1,234.50, £1,234.50 or (1,234.50)"
    )


def test_accepted_forms_and_header_spelling(tiny: DataSet) -> None:
    write_tree(
        tiny.root,
        {FORECASTS: "\ufeff Line_ID , Net_Budget,NET_FORECAST_OUTTURN,notes\n" + TINY[FORECASTS].split("\n", 1)[1]},
    )
    inputs = load_period(tiny, "2017-07")
    # outturn read as given: variance = outturn − budget
    assert inputs.forecasts.loc["A1", "net_budget"] == 100000
    assert inputs.forecasts.loc["A1", "net_forecast_variance"] == 1234 - 100000
    assert inputs.forecasts.loc["A2", "net_forecast_variance"] == -501 - 200000


def test_optional_files_may_be_absent(tiny: DataSet) -> None:
    write_tree(tiny.root, {ADJUSTMENTS: None, ROLL_FORWARDS: None})
    inputs = load_period(tiny, "2017-07")
    assert inputs.adjustments.empty
    assert inputs.roll_forwards is None


def test_header_only_roll_forwards_is_an_empty_return(tiny: DataSet) -> None:
    write_tree(tiny.root, {ROLL_FORWARDS: "category,amount,description,line_id\n"})
    inputs = load_period(tiny, "2017-07")
    assert inputs.roll_forwards is not None and inputs.roll_forwards.empty


def test_missing_period_folder(tiny: DataSet) -> None:
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
def test_authority_settings_are_checked(tiny: DataSet, yaml_text: str, message: str) -> None:
    write_tree(tiny.root, {"authority.yaml": yaml_text})
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_period(tiny, "2017-07")


def test_settings_from_yaml(tiny: DataSet) -> None:
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


def test_checks_across_files_still_run_when_a_file_has_bad_cells(tiny: DataSet) -> None:
    text = TINY[FORECASTS].replace("A3,500.00,0.05", "A3,1.2.3,0.05").replace("B2,0,60\n", "")
    write_tree(tiny.root, {FORECASTS: text, ADJUSTMENTS: TINY[ADJUSTMENTS].replace("S1,3.00", "Q1,oops")})
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    text = str(raised.value)
    assert "row 4, column net_budget: found '1.2.3'" in text
    assert "found 'no row for B2'" in text
    assert "adjustments.csv, row 4, column line_id: found 'Q1'" in text
    assert "adjustments.csv, row 4, column amount: found 'oops'" in text


# ---------------------------------------------------------------------------
# forecasts and adjustments handed in as Excel workbooks

FORECASTS_XLSX = "2017-18/2017-07/forecasts.xlsx"
ADJUSTMENTS_XLSX = "2017-18/2017-07/adjustments.xlsx"


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], change: Callable[[Worksheet], object] | None = None
) -> None:
    """A workbook whose first sheet holds ``rows``; ``change(sheet)`` breaks it."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if change:
        change(sheet)
    book.create_sheet("Notes").append(["not read: only the first sheet is"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


FORECAST_ROWS: list[list[object]] = [
    ["line_id", "net_budget", "net_forecast_variance"],
    ["A1", 1000, 12.34],
    ["A2", 2000.0, "(5.01)"],
    ["A3", "500.00", 0.05],
    ["B1", -300, 2.5],
    ["B2", 0, 60],
    ["F1", 700, -20.49],
    ["S1", None, 8],
]
ADJUSTMENT_ROWS: list[list[object]] = [
    ["Line_ID ", "amount", "reason", "author", "date"],
    ["A1", -2, "Management action", "Director A", dt.datetime(2017, 8, 10)],
    ["A1", -1.0, "More action", "Director A", dt.date(2017, 8, 11)],
    ["S1", 3, "Schools reserve", "Director A", "2017-08-12"],
]


def as_workbooks(tiny: DataSet) -> None:
    write_xlsx(tiny.root / FORECASTS_XLSX, [*FORECAST_ROWS[:-1], ["S1", 0, 8]])
    write_xlsx(tiny.root / ADJUSTMENTS_XLSX, ADJUSTMENT_ROWS)
    write_tree(tiny.root, {FORECASTS: None, ADJUSTMENTS: None})


def test_workbooks_read_as_the_csvs(tiny: DataSet) -> None:
    from_csv = load_period(tiny, "2017-07")
    as_workbooks(tiny)
    from_xlsx = load_period(tiny, "2017-07")
    pd.testing.assert_frame_equal(from_xlsx.forecasts, from_csv.forecasts)
    pd.testing.assert_frame_equal(from_xlsx.adjustments.frame, from_csv.adjustments.frame)
    assert from_xlsx.files["forecasts"] == tiny.root / FORECASTS_XLSX
    assert from_xlsx.files["adjustments"] == tiny.root / ADJUSTMENTS_XLSX


def test_publishing_records_the_workbook_read(tiny: DataSet) -> None:
    as_workbooks(tiny)
    sign_off_every_directorate(tiny, "2017-07")
    result = monitor(tiny, "2017-07")
    folder = store.publish(tiny, result)
    record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry = record["inputs"]["forecasts"]
    assert entry["path"].endswith("forecasts.xlsx")
    assert entry["sha256"] == hashlib.sha256((tiny.root / FORECASTS_XLSX).read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (1234, "1234"),
        (1234.5, "1234.5"),
        (1234.0, "1234"),
        (-0.1, "-0.1"),
        (3218440.12, "3218440.12"),
        (1e-05, "1e-05"),
        (True, "true"),
        (dt.datetime(2017, 8, 14), "2017-08-14"),
        (dt.datetime(2017, 8, 14, 9, 30), "2017-08-14 09:30:00"),
        (dt.date(2017, 8, 14), "2017-08-14"),
        ("  CYPE-01 ", "CYPE-01"),
    ],
)
def test_cells_become_the_text_a_csv_holds(value: object, text: str) -> None:
    assert _cell_text(value) == text


def test_a_table_in_a_workbook_has_excel_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "forecasts.xlsx"
    write_xlsx(path, [["line_id", "net_budget"], ["A1", 1], [None, None], ["A2", 2.25]])
    frame = read_text_table(path, Problems())
    assert frame is not None
    assert list(frame.index) == [2, 4]
    assert list(frame["net_budget"]) == ["1", "2.25"]


def problems_of(tiny: DataSet) -> str:
    with pytest.raises(InputError) as raised:
        load_period(tiny, "2017-07")
    return str(raised.value)


def test_merged_cells_are_named_by_their_range(tiny: DataSet) -> None:
    write_xlsx(tiny.root / FORECASTS_XLSX, FORECAST_ROWS, lambda sheet: sheet.merge_cells("B3:C3"))
    write_tree(tiny.root, {FORECASTS: None})
    assert "forecasts.xlsx, row 3, column net_budget: found 'merged cells B3:C3'; expected one value per cell" in (
        problems_of(tiny)
    )


def test_a_formula_without_a_saved_value_is_a_problem(tiny: DataSet) -> None:
    write_xlsx(tiny.root / FORECASTS_XLSX, FORECAST_ROWS, lambda sheet: sheet.cell(4, 3, "=B4/100"))
    write_tree(tiny.root, {FORECASTS: None})
    text = problems_of(tiny)
    assert "forecasts.xlsx, row 4, column net_forecast_variance: found 'formula =B4/100 without a saved value'" in text


def test_a_formula_with_its_saved_value_is_read_as_the_value(tiny: DataSet) -> None:
    path = tiny.root / FORECASTS_XLSX
    write_xlsx(path, [*FORECAST_ROWS[:-1], ["S1", 0, 8]], lambda sheet: sheet.cell(4, 3, "=B4/10000"))
    # As Excel saves it: the formula with the value it last computed.
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    formula = re.search(r"<f>B4/10000</f>(<v\s*/>|<v></v>)?", sheet)
    assert formula, sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(formula[0], "<f>B4/10000</f><v>0.05</v>").encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    write_tree(tiny.root, {FORECASTS: None})
    assert load_period(tiny, "2017-07").forecasts.loc["A3", "net_forecast_variance"] == 5


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"line_id,net_budget\nA1,1\n", "not a workbook (perhaps a CSV or text file renamed .xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old Excel 97-2003 workbook (.xls)"),
        (b"PK\x03\x04 broken", "not a readable workbook"),
        (b"", "an empty file"),
    ],
)
def test_a_file_that_is_not_a_workbook(tiny: DataSet, content: bytes, found: str) -> None:
    (tiny.root / FORECASTS_XLSX).write_bytes(content)
    write_tree(tiny.root, {FORECASTS: None})
    text = problems_of(tiny)
    assert f"forecasts.xlsx: found '{found}" in text
    assert "expected an Excel workbook (.xlsx)" in text


def test_csv_and_workbook_both_present(tiny: DataSet) -> None:
    write_xlsx(tiny.root / ADJUSTMENTS_XLSX, ADJUSTMENT_ROWS)
    assert (
        "2017-18/2017-07: found 'both adjustments.csv and adjustments.xlsx'; "
        "expected exactly one file of adjustments: adjustments.csv or adjustments.xlsx"
    ) in problems_of(tiny)


def test_other_period_files_are_csv_only(tiny: DataSet) -> None:
    write_xlsx(tiny.root / "2017-18/2017-07/roll_forwards.xlsx", [["category", "amount", "description"]])
    write_tree(tiny.root, {ROLL_FORWARDS: None})
    inputs_read = load_period(tiny, "2017-07")
    assert inputs_read.roll_forwards is None and "roll_forwards" not in inputs_read.files


def test_net_budgets_read_from_a_workbook(tiny: DataSet) -> None:
    as_workbooks(tiny)
    problems = Problems()
    book = inputs.read_budget_book(tiny, FinancialYear(2017), problems)
    budgets = read_net_budgets(tiny, Period(2017, 7), book, problems)
    assert not problems and budgets is not None and budgets["A1"] == 100000


# ---------------------------------------------------------------------------
# Messages for files as spreadsheets export them, and period folders in the wrong place


@pytest.mark.parametrize("blank_rows", ["", ",,\n", ",,\n,,\n"])
def test_a_header_row_below_title_rows(tiny: DataSet, blank_rows: str) -> None:
    body = TINY[FORECASTS]
    write_tree(tiny.root, {FORECASTS: f"Forecast return,,\n{blank_rows}{body}"})
    header_row = 2 + blank_rows.count("\n")
    assert (
        f"forecasts.csv, row 1: found 'Forecast return'; expected the header row must be the first row; "
        f"found it at row {header_row}"
    ) in problems_of(tiny)


def test_a_header_row_far_below_is_not_looked_for(tiny: DataSet) -> None:
    write_tree(tiny.root, {ROLL_FORWARDS: "Roll forwards\n" + "note\n" * 12 + TINY[ROLL_FORWARDS]})
    text = problems_of(tiny)
    assert "header row must be the first row" not in text
    assert "roll_forwards.csv, row 1, column category: found 'no such column'" in text


def test_columns_without_a_name_are_ignored(tiny: DataSet) -> None:
    """A spreadsheet export's unnamed columns (a note beside the table, empty trailing columns) are extra
    columns: ignored, as columns of unknown names are."""
    rows = [line.split(",", 2) for line in TINY[FORECASTS].replace('"1,000.00"', "1000").splitlines()[1:]]
    body = "".join(f"{a},{b},{'see note' if a == 'A1' else ''},{c},\n" for a, b, c in rows)
    write_tree(tiny.root, {FORECASTS: "line_id,net_budget,,net_forecast_variance,\n" + body})
    assert load_period(tiny, "2017-07").forecasts.loc["A1", "net_forecast_variance"] == 1234


def test_a_file_of_empty_cells_is_empty(tiny: DataSet) -> None:
    write_tree(tiny.root, {ADJUSTMENTS: ",,,,\n,,,,\n"})
    assert "adjustments.csv: found 'an empty file'" in problems_of(tiny)


def test_a_file_holding_another_input(tiny: DataSet) -> None:
    write_tree(tiny.root, {ROLL_FORWARDS: TINY[ADJUSTMENTS]})
    text = problems_of(tiny)
    assert (
        "roll_forwards.csv, row 1: found 'the header of adjustments.csv: line_id, amount, reason, author, date'; "
        "expected the header of roll_forwards.csv: category, amount, description (is this the right file?)"
    ) in text
    assert "roll_forwards.csv, row 1, column category: found 'no such column'" in text
    assert "row 2" not in text  # its rows mean something else: not checked


def test_utf16_is_named(tiny: DataSet) -> None:
    (tiny.root / ADJUSTMENTS).write_bytes(TINY[ADJUSTMENTS].encode("utf-16"))
    assert "adjustments.csv, row 1: found 'UTF-16 text (saved as Unicode Text)'; expected UTF-8 text" in problems_of(
        tiny
    )


def test_authority_yaml_not_utf8(tiny: DataSet) -> None:
    (tiny.root / "authority.yaml").write_bytes("name: Tiny\nlabels:\n  total: Total – all\n".encode("cp1252"))
    found = "found 'Windows-1252 text (byte 0x96, – in Windows-1252)'; expected UTF-8 text"
    assert f"authority.yaml, row 3: {found}" in problems_of(tiny)


def test_a_period_folder_in_the_wrong_year(tiny: DataSet) -> None:
    write_tree(tiny.root, {"2017-18/2018-07/forecasts.csv": TINY[FORECASTS]})
    assert (
        "2017-18/2018-07: found 'the folder of period 2018-07 in the folder of 2017-18'; "
        "expected 2018-07 in the folder of its financial year 2018-19 (April to March)"
    ) in problems_of(tiny)


def test_a_missing_period_folder_found_elsewhere(tiny: DataSet) -> None:
    (tiny.root / "2017-18" / "2017-07").rename(tiny.root / "2017-07")
    assert (
        "2017-18/2017-07: found 'no such folder'; expected the folder of period 2017-07 "
        f"(found at {tiny.root / '2017-07'}: period 2017-07 belongs to 2017-18, so move it here)"
    ) in problems_of(tiny)


def test_a_merged_title_above_the_header_is_a_header_problem(tiny: DataSet) -> None:
    rows: list[list[object]] = [["Forecast return, July 2017"], [], *FORECAST_ROWS]
    write_xlsx(tiny.root / FORECASTS_XLSX, rows, lambda sheet: sheet.merge_cells("A1:C1"))
    write_tree(tiny.root, {FORECASTS: None})
    text = problems_of(tiny)
    assert (
        "forecasts.xlsx, row 1: found 'Forecast return, July 2017'; expected the header row must be the first row; "
        "found it at row 3"
    ) in text
    assert "merged cells" not in text


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: X\nthresholds:\n  variance_commentary: -5\n", "thresholds.variance_commentary: found '-5'"),
        ("name: X\nlabels:\n  subtotal: Sub Total {dir}\n", "labels.subtotal: found 'Sub Total {dir}'"),
    ],
)
def test_settings_that_would_mislead_are_refused(tiny: DataSet, yaml_text: str, message: str) -> None:
    write_tree(tiny.root, {"authority.yaml": yaml_text})
    with pytest.raises(InputError, match=re.escape(message)):
        load_period(tiny, "2017-07")


def test_an_amount_of_a_trillion_pounds_is_refused(tiny: DataSet) -> None:
    write_tree(tiny.root, replaced(FORECASTS, "A3,500.00,0.05", "A3,500.00,1000000000000.00"))
    with pytest.raises(InputError, match=re.escape("row 4, column net_forecast_variance: found '1000000000000.00'")):
        load_period(tiny, "2017-07")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("050000", "050000"),  # YAML 1.1: the octal 20480
        ("1:40", "1:40"),  # YAML 1.1: the sexagesimal 100
        ("0x10", "0x10"),
        ("yes", "yes"),
        ("off", "off"),
        ("true", True),
        ("100000", 100000),
        ("-3", -3),
        ("1.5", 1.5),
    ],
)
def test_yaml_is_read_with_yaml_1_2_scalars(text: str, value: object) -> None:
    assert yaml.load(f"a: {text}", Loader=Loader) == {"a": value}


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: &x [1, 2]\n", "a: *x\n"])
def test_yaml_anchors_and_aliases_are_refused(text: str) -> None:
    with pytest.raises(AliasRefused):
        yaml.load(text, Loader=Loader)


# ---------------------------------------------------------------------------
# The plain CSV fast path reads every file as the cell-by-cell reader does

_CELL = st.text(alphabet="ab1.-£ ", max_size=4)
_ROW = st.lists(_CELL, min_size=0, max_size=5).map(",".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.sampled_from(["line_id,amount", "line_id,amount,", " Line_ID , AMOUNT ,note", "amount", "x,y"]),
    rows=st.lists(_ROW, max_size=12),
    ending=st.sampled_from(["", "\n"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_the_fast_csv_reader_agrees_with_the_cell_by_cell_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, rows: list[str], ending: str, newline: str
) -> None:
    from finlib.inputs import tables

    path = tmp_path / "table.csv"
    path.write_bytes(("\n".join([header, *rows]) + ending).replace("\n", newline).encode("utf-8"))

    def read(fast: bool) -> tuple[pd.DataFrame | None, list[str]]:
        problems = Problems()
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(tables, "_plain_csv", lambda text: None)
            frame = read_text_table(path, problems, columns=("line_id", "amount"), others={"other": ("x", "y")})
        return frame, [str(p) for p in problems]

    (fast, fast_said), (slow, slow_said) = read(True), read(False)
    assert fast_said == slow_said
    assert (fast is None) == (slow is None)
    if fast is not None and slow is not None:
        pd.testing.assert_frame_equal(fast, slow)


def test_the_fast_csv_reader_takes_plain_files_and_leaves_the_rest() -> None:
    from finlib.inputs.tables import _plain_csv

    found = _plain_csv("line_id,amount\n\nA1, 1.00 \nA2,\n")
    assert found is not None
    head, cells = found
    assert head == [(1, ["line_id", "amount"]), (3, ["A1", "1.00"]), (4, ["A2", ""])]
    assert cells.index.tolist() == [1, 3, 4], "rows numbered as the file's lines, the blank one left out"
    windows = _plain_csv("line_id,amount\r\nA1,1\r\n")
    assert windows is not None and windows[0] == [(1, ["line_id", "amount"]), (2, ["A1", "1"])]
    for other in ('line_id,amount\n"A1",1\n', "line_id,amount\rA1,1\n", "line_id\nA1,1\n", "\nline_id\nA1\n"):
        assert _plain_csv(other) is None, repr(other)  # quoted, a lone CR, a row longer than the header, blank first
