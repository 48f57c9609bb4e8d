"""The Excel export, and formulas from data neutralised in every CSV and Excel output."""

from __future__ import annotations

import csv
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from finlib.cli import main
from finlib.config import DataSet
from finlib.core.commentary import Missing
from finlib.core.period import Period
from finlib.core.scenario import Scenario
from finlib.core.settings import Labels
from finlib.render.csv import table_csv
from finlib.render.safe import FORMULA_STARTS, neutral
from finlib.render.scenario import scenario_csv
from finlib.render.xlsx import sheet_name
from finlib.report import tables
from finlib.report.explorer import scenario_view
from finlib.report.tables import trusted_labels
from tests.conftest import REFERENCE, SAMPLE, TINY, write_tree


def configured_labels(labels: Labels, directorates: list[str] | None = None) -> frozenset[str]:
    return trusted_labels(labels, directorates or [])


SACS = "Strategic & Corporate Services"
MILLIONS_FORMAT = "#,##0.000;-#,##0.000"
THOUSANDS_FORMAT = "#,##0.0;-#,##0.0"


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def printed(value: object, places: str) -> str:
    """A cell as the reference CSV writes it: the number to ``places`` decimals, or blank."""
    return "" if value is None else str(Decimal(str(value)).quantize(Decimal(places)))


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workbook, Path]:
    path = tmp_path_factory.mktemp("export") / "july.xlsx"
    assert main(["export", "--data", str(SAMPLE), "--period", "2017-07", "--xlsx", str(path)]) == 0
    return openpyxl.load_workbook(path), path


# ---------------------------------------------------------------------------
# The workbook on the sample


def test_sheets_one_per_table(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    assert book.sheetnames == [
        "Authority",
        "Children, Young People & Educat",
        "Adult Social Care & Health",
        "Growth, Environment & Transport",
        SACS,
        "Capital",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_authority_sheet_matches_the_published_table_cell_for_cell(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    header, *body = rows(book["Authority"])
    assert header == (
        "Directorate",
        "Budget",
        "Net Forecast Variance",
        "Corporate Director adjustment",
        "Revised Net Variance",
        "Last Reported position",
        "Movement",
    )
    expected = read(REFERENCE / "authority_2017_07.csv")
    columns = ["budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance", "last_reported", "movement"]
    assert len(body) == len(expected)
    for want, got in zip(expected, body, strict=True):
        assert got[0] == want["row"]
        assert [printed(v, "0.001") for v in got[1:]] == [want[c] for c in columns], want["row"]


def test_directorate_sheet_matches_the_published_table(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    header, *body = rows(book[SACS])
    assert header[:5] == ("Budget Book Heading", "Net Budget", "Net Forecast Variance",
                          "Corporate Director adjustment", "Revised Net Variance")  # fmt: skip
    expected = read(REFERENCE / "sacs_2017_07.csv")
    columns = ["net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"]
    assert len(body) == len(expected)
    for want, got in zip(expected, body, strict=True):
        assert got[0] == want["heading"]
        assert [printed(v, "0.1") for v in got[1:5]] == [want[c] for c in columns], want["heading"]


def test_capital_sheet_matches_capital_csv(sample_book: tuple[Workbook, Path], tmp_path: Path) -> None:
    book, _ = sample_book
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(tmp_path)]) == 0
    expected = read(tmp_path / "capital.csv")
    header, *body = rows(book["Capital"])
    assert header == ("Scheme", "Year", "Budget (cash limit)", "Forecast", "Real variance", "Rephasing variance")
    assert len(body) == len(expected)
    for want, got in zip(expected, body, strict=True):
        assert got[:2] == (want["scheme"], want["year"])
        assert [printed(v, "0.001") for v in got[2:]] == [want[c] for c in ("budget", "forecast", "real", "rephasing")]


def test_number_formats_frozen_headers_and_widths(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        wanted = THOUSANDS_FORMAT if sheet.title not in ("Authority", "Capital") else MILLIONS_FORMAT
        numbers = [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "n" and c.value is not None]
        assert numbers, sheet.title
        assert {c.number_format for c in numbers} == {wanted}, sheet.title
        assert all(isinstance(c.value, int | float) for c in numbers)
        assert all(c.data_type == "s" for c in sheet[1])
        assert all((sheet.column_dimensions[c.column_letter].width or 0) >= 10 for c in sheet[1])
    # a negative figure is a number, shown with a minus
    adults = next(r for r in book["Authority"].iter_rows(min_row=2) if r[0].value.endswith("- Adults"))
    assert adults[6].value == pytest.approx(-1.947) and adults[6].data_type == "n"


def test_blank_where_the_report_is_blank(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    by_row = {r[0]: r for r in rows(book["Authority"])}
    assert by_row["Children, Young People & Education - Asylum"][3] is None  # no CD adjustment
    assert by_row["- re-phased"][1:4] == (None, None, None)


def test_no_formula_anywhere(sample_book: tuple[Workbook, Path]) -> None:
    book, path = sample_book
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f" in archive.read(n) for n in sheets)


def test_bad_input_exits_2_and_writes_nothing(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forecasts = "2017-18/2017-07/forecasts.csv"
    write_tree(tiny.root, {forecasts: TINY[forecasts].replace("12.34", "12..34")})
    path = tmp_path / "out" / "july.xlsx"
    assert main(["export", "--data", str(tiny.root), "--period", "2017-07", "--xlsx", str(path)]) == 2
    assert "found '12..34'" in capsys.readouterr().err
    assert not path.parent.exists() or not any(path.parent.iterdir())


def test_export_needs_xlsx(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data", str(tiny.root), "--period", "2017-07"]) == 2
    assert "--xlsx" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# Formula injection: data that a spreadsheet would run

HEADING = '=HYPERLINK("http://x","y")'
DIRECTORATE = "+cmd|' /C calc'!A0"
DIVISION = "@SUM(1)"
REASON = "-2+3"
INJECTED = {
    "2017-18/budget_book.csv": TINY["2017-18/budget_book.csv"]
    .replace(",Roads,", ',"=HYPERLINK(""http://x"",""y"")",')
    .replace("B1,Beta & Gamma,,", f"B1,{DIRECTORATE},{DIVISION},")
    .replace("Beta & Gamma", DIRECTORATE),
    "2017-18/2017-07/adjustments.csv": TINY["2017-18/2017-07/adjustments.csv"].replace("Management action", REASON),
    "2017-18/2017-07/explanations.csv": f"subject,about,text\nParks,variance,{REASON}\n",
    "2017-18/capital_programme.csv": (
        "scheme_id,scheme,directorate,year,budget\n"
        f"P1,{REASON},Alpha Services,2017-18,1000000.00\nP1,{REASON},Alpha Services,2018-19,500000.00\n"
    ),
    "2017-18/2017-07/capital_forecasts.csv": (
        "scheme_id,year,real_variance,rephasing_variance\nP1,2017-18,,-100000.00\nP1,2018-19,,100000.00\n"
    ),
}
LABELS = configured_labels(Labels())
AMOUNT_COLUMNS = {"budget", "net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance",
                  "last_reported", "movement", "forecast", "real", "rephasing"}  # fmt: skip


def dangerous(text: str) -> bool:
    """Text a spreadsheet would read as a formula, other than the authority's own labels."""
    return text.startswith(FORMULA_STARTS) and text not in LABELS


@pytest.fixture
def injected(tiny: DataSet, tmp_path: Path) -> tuple[Path, Path]:
    write_tree(tiny.root, INJECTED)
    out, book = tmp_path / "tables", tmp_path / "july.xlsx"
    assert main(["tables", "--data", str(tiny.root), "--period", "2017-07", "--out", str(out)]) == 0
    assert main(["export", "--data", str(tiny.root), "--period", "2017-07", "--xlsx", str(book)]) == 0
    return out, book


def test_csv_tables_neutralise_formulas_from_data(injected: tuple[Path, Path]) -> None:
    out, _ = injected
    authority = {r["row"]: r for r in read(out / "authority.csv")}
    assert f"'{DIRECTORATE} - {DIVISION}" in authority
    assert f"'{DIRECTORATE}" in authority
    assert f"Sub Total {DIRECTORATE}" in authority  # starts with the label: inert as it is
    assert "- re-phased" in authority and "- bids" in authority  # the authority's labels, unchanged
    alpha = read(out / "directorates" / "alpha-services.csv")
    assert alpha[0]["heading"] == f"'{HEADING}"
    (scheme, *_) = read(out / "capital.csv")
    assert scheme["scheme"] == f"'{REASON}"
    assert scheme["rephasing"] == "-0.100"  # an amount stays a number
    for path in out.rglob("*.csv"):
        for row in read(path):
            for column, value in row.items():
                if column in AMOUNT_COLUMNS:
                    assert value == "" or Decimal(value) is not None
                else:
                    assert not dangerous(value), f"{path.name}, {column}: {value!r}"


def test_workbook_neutralises_formulas_from_data(injected: tuple[Path, Path]) -> None:
    _, path = injected
    book = openpyxl.load_workbook(path)
    authority = {r[0].value: r for r in book["Authority"].iter_rows(min_row=2)}
    for label in (f"'{DIRECTORATE} - {DIVISION}", f"'{DIRECTORATE}"):
        assert authority[label][0].data_type == "s"
    assert authority["- re-phased"][0].data_type == "s" and "- bids" in authority
    assert book["Alpha Services"]["A2"].value == f"'{HEADING}"
    scheme = book["Capital"][2]
    assert (scheme[0].value, scheme[0].data_type) == (f"'{REASON}", "s")
    assert (scheme[5].value, scheme[5].data_type) == (pytest.approx(-0.1), "n")
    directorate_sheets = [s for s in book.sheetnames if s not in ("Authority", "Alpha Services", "Capital")]
    assert directorate_sheets == ["+cmd|' _C calc'!A0"]
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not dangerous(cell.value), f"{sheet.title}!{cell.coordinate}: {cell.value!r}"


# ---------------------------------------------------------------------------
# The rules, case by case


@pytest.mark.parametrize(
    ("text", "trusted", "expected"),
    [
        ("=1+1", frozenset(), "'=1+1"),
        ("+44 1622", frozenset(), "'+44 1622"),
        ("-2+3", frozenset(), "'-2+3"),
        ("@SUM(1)", frozenset(), "'@SUM(1)"),
        ("\t=1", frozenset(), "'\t=1"),
        ("\r=1", frozenset(), "'\r=1"),
        ("- re-phased", frozenset({"- re-phased"}), "- re-phased"),
        ("- re-phased", frozenset(), "'- re-phased"),
        ("Roads - North", frozenset(), "Roads - North"),
        (" =1", frozenset(), " =1"),
        ("'=1", frozenset(), "'=1"),
        ("", frozenset(), ""),
    ],
)
def test_neutral(text: str, trusted: frozenset[str], expected: str) -> None:
    assert neutral(text, trusted) == expected


def test_configured_labels_trust_the_templates_first_character_only() -> None:
    assert {"- re-phased", "- bids", "TOTAL", "Sub Total -x"} <= configured_labels(Labels(), ["-x"])
    assert "-x total" not in configured_labels(Labels(subtotal="{directorate} total"), ["-x"])


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Strategic & Corporate Services", set(), "Strategic & Corporate Services"),
        ("Children, Young People & Education", set(), "Children, Young People & Educat"),
        ("A/B: [C]*?\\", set(), "A_B_ _C____"),
        ("Capital", {"authority", "capital"}, "Capital (2)"),
        ("alpha", {"alpha", "alpha (2)"}, "alpha (3)"),
        ("x" * 40, {"x" * 31}, "x" * 27 + " (2)"),
        ("'quoted'", set(), "quoted"),
        ("History", set(), "History (2)"),
        ("///", set(), "___"),
        ("", set(), "Sheet"),
    ],
)
def test_sheet_name(name: str, taken: set[str], expected: str) -> None:
    assert sheet_name(name, taken) == expected
    assert expected.lower() in taken


def test_scenario_csv_neutralises_assumptions_not_the_labels() -> None:
    table = pd.DataFrame(
        {
            "row": ["- start", "=BAD()", "- end"],
            "kind": ["total", "line", "balance"],
            "amount": pd.array([100_000, -200_000, -100_000], dtype="Int64"),
        }
    )
    steps = pd.DataFrame({"label": ["=BAD()"], "kind": ["amount"], "covers": ["@unit"], "lines": [0], "effect": [-1]})
    labels = Labels(scenario_start="- start", scenario_end="- end")
    view = scenario_view(Scenario(Period(2017, 7), 100_000, -100_000, steps, table), "what-if", labels)
    written = list(csv.DictReader(scenario_csv(view).splitlines()))
    assert [(r["row"], r["amount"], r["covers"]) for r in written] == [
        ("- start", "0.001", ""),
        ("'=BAD()", "-0.002", "'@unit"),
        ("- end", "-0.001", ""),
    ]


def test_working_files_neutralise_formulas_from_data(tmp_path: Path) -> None:
    missing = [Missing(directorate="+D", subject="=S", about="variance", amount=-150_000_00)]  # type: ignore[arg-type]
    (tmp_path / "missing.csv").write_text(table_csv(tables.missing_table(missing)), encoding="utf-8")
    (tmp_path / "warnings.csv").write_text(table_csv(tables.warnings_table(["-2+3: rephasing"])), encoding="utf-8")
    (row,) = read(tmp_path / "missing.csv")
    assert row == {"directorate": "'+D", "subject": "'=S", "about": "variance", "amount_gbpm": "-0.150"}
    assert read(tmp_path / "warnings.csv") == [{"warning": "'-2+3: rephasing"}]


def test_exempt_items_are_not_named_in_the_public_workbook(tiny: DataSet, tmp_path: Path) -> None:
    book = TINY["2017-18/budget_book.csv"].replace(
        "line_id,directorate,division,heading,kind,tag", "line_id,directorate,division,heading,kind,tag,restricted"
    )
    book = book.replace("A3,Alpha Services,South,Parks,service,", "A3,Alpha Services,South,Parks,service,,true")
    write_tree(tiny.root, {"2017-18/budget_book.csv": book})
    texts: dict[str, set[str]] = {}
    for version in ("public", "restricted"):
        path = tmp_path / f"{version}.xlsx"
        extra = ["--restricted"] if version == "restricted" else []
        assert main(["export", "--data", str(tiny.root), "--period", "2017-07", "--xlsx", str(path), *extra]) == 0
        workbook = openpyxl.load_workbook(path)
        texts[version] = {c for sheet in workbook for row in rows(sheet) for c in row if isinstance(c, str)}
    assert "Parks" in texts["restricted"] and "Alpha Services - South" in texts["restricted"]
    assert not any("Parks" in t or "South" in t for t in texts["public"])
    assert any("Exempt items" in t for t in texts["public"])
