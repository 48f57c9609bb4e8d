"""The Excel export, and formulas from data neutralised in every CSV and Excel output."""

from __future__ import annotations

import csv
import datetime as dt
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
POUNDS_FORMAT = "#,##0.00;-#,##0.00"
HEAD = 5  # the headings row, below the title block (authority, table, period and unit, a blank row)


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    """A sheet's table: its headings row and body, below the title block."""
    return list(sheet.iter_rows(min_row=HEAD, values_only=True))


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


def test_sheets_one_per_table_with_whole_names(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    assert book.sheetnames == [
        "Authority",
        "CYP&E",  # "Children, Young People & Education" is over 31 characters: its short name, never cut
        "Adult Social Care & Health",
        "Growth, Environment & Transport",
        SACS,
        "Capital",
        "Savings",
        "Adjustments",
        "Commentary",
    ]


def test_each_sheet_opens_with_its_title_block(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    for sheet in book.worksheets:
        authority, _, about = (sheet.cell(row=r, column=1).value for r in (1, 2, 3))
        assert authority == "Kent County Council", sheet.title
        assert str(about).startswith("July 2017-18."), sheet.title
        assert sheet.cell(row=4, column=1).value is None
    titles = {s.title: (s["A2"].value, s["A3"].value) for s in book.worksheets}
    assert titles["Authority"] == (
        "Revenue position by directorate, July 2017-18",
        "July 2017-18. Figures in £m to 3 decimal places. Totals are computed from unrounded figures, "
        "so the printed parts of a total may not add up to it.",
    )
    assert titles["CYP&E"][0] == "Children, Young People & Education revenue position, July 2017-18"
    assert "Figures in £'000 to 1 decimal place. Totals are computed from unrounded figures" in titles["CYP&E"][1]
    assert titles["Commentary"][1] == "July 2017-18."  # words, no unit
    assert book.properties.title == "Kent County Council: budget monitoring, July 2017-18"


def test_print_set_up_a4_landscape_fit_to_width_headings_repeated(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4), sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == f"${HEAD}:${HEAD}", sheet.title
        assert "&P of &N" in (sheet.oddFooter.center.text or ""), sheet.title


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


def test_capital_sheet_matches_capital_csv_by_directorate_with_totals(
    sample_book: tuple[Workbook, Path], tmp_path: Path
) -> None:
    book, _ = sample_book
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(tmp_path)]) == 0
    expected = read(tmp_path / "capital.csv")
    header, *body = rows(book["Capital"])
    assert header == (
        "Directorate", "Scheme", "Year", "Budget (cash limit)", "Forecast", "Real variance", "Rephasing variance"
    )  # fmt: skip
    schemes = [r for r in body if r[2] is not None]
    assert len(schemes) == len(expected)
    for want, got in zip(expected, schemes, strict=True):
        assert got[1:3] == (want["scheme"], want["year"])
        assert [printed(v, "0.001") for v in got[3:]] == [want[c] for c in ("budget", "forecast", "real", "rephasing")]
    totals = [r for r in body if r[2] is None]
    directorates = list(dict.fromkeys(r[0] for r in schemes))
    assert [r[1] for r in totals] == [f"Total {d}" for d in directorates] + ["Total"]
    for total in totals[:-1]:  # each directorate's total is its schemes' sum, to the printed rounding
        mine = [r for r in schemes if r[0] == total[0]]
        for column in range(3, 7):
            assert abs(sum(Decimal(str(r[column])) for r in mine) - Decimal(str(total[column]))) <= Decimal(
                "0.001"
            ) * len(mine)
    assert printed(totals[-1][3], "0.001") == "392.246"  # the whole programme's budget for 2017-18 onwards


def test_adjustments_and_commentary_sheets(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    header, first, *_ = rows(book["Adjustments"])
    assert header == ("Directorate", "Budget Book Heading", "Amount (£)", "Reason", "Author", "Date")
    assert first[2] == -436500 and first[5] == dt.datetime(2017, 8, 14)
    sheet = book["Adjustments"]
    assert sheet.cell(row=HEAD + 1, column=3).number_format == POUNDS_FORMAT
    assert sheet.cell(row=HEAD + 1, column=6).number_format == "d mmmm yyyy"  # a date cell, shown as written
    header, *paragraphs = rows(book["Commentary"])
    assert header == ("Section", "Paragraph", "Text")
    assert paragraphs[0][:2] == ("1. Introduction", "1.1")
    texts = [r[2] for r in paragraphs]
    assert any(t.startswith("+£0.206m on Contact Centre") for t in texts)  # as printed, no quote mark
    signed = next(c for c in book["Commentary"]["C"] if str(c.value).startswith("+£0.206m"))
    assert signed.data_type == "s" and signed.quotePrefix  # and stays text if a reader edits it


def test_number_formats_frozen_headers_and_widths(sample_book: tuple[Workbook, Path]) -> None:
    book, _ = sample_book
    formats = {"Authority": MILLIONS_FORMAT, "Capital": MILLIONS_FORMAT, "Adjustments": POUNDS_FORMAT}
    for sheet in book.worksheets:
        assert sheet.freeze_panes == f"A{HEAD + 1}", sheet.title
        numbers = [
            c for row in sheet.iter_rows(min_row=HEAD + 1) for c in row if c.data_type == "n" and c.value is not None
        ]
        numbers = [c for c in numbers if not c.is_date]
        if sheet.title == "Commentary":
            assert not numbers
            continue
        assert numbers, sheet.title
        assert {c.number_format for c in numbers} == {formats.get(sheet.title, THOUSANDS_FORMAT)}, sheet.title
        assert all(isinstance(c.value, int | float) for c in numbers)
        assert all(c.data_type == "s" for c in sheet[HEAD])
        assert all((sheet.column_dimensions[c.column_letter].width or 0) >= 10 for c in sheet[HEAD])
    # a negative figure is a number, shown with a minus
    adults = next(r for r in book["Authority"].iter_rows(min_row=HEAD + 1) if str(r[0].value).endswith("- Adults"))
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
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


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


def test_workbook_keeps_formulas_from_data_as_text(injected: tuple[Path, Path]) -> None:
    _, path = injected
    book = openpyxl.load_workbook(path)
    authority = {r[0].value: r for r in book["Authority"].iter_rows(min_row=HEAD + 1)}
    for label in (f"{DIRECTORATE} - {DIVISION}", DIRECTORATE):  # as written: typed text, quote-prefixed
        assert authority[label][0].data_type == "s" and authority[label][0].quotePrefix
    assert authority["- re-phased"][0].data_type == "s" and "- bids" in authority
    heading = book["Alpha Services"].cell(row=HEAD + 1, column=1)
    assert (heading.value, heading.data_type, heading.quotePrefix) == (HEADING, "s", True)
    scheme = book["Capital"][HEAD + 1]
    assert (scheme[1].value, scheme[1].data_type, scheme[1].quotePrefix) == (REASON, "s", True)
    assert (scheme[6].value, scheme[6].data_type) == (pytest.approx(-0.1), "n")
    directorate_sheets = [s for s in book.sheetnames if s not in ("Authority", "Alpha Services", "Capital")]
    assert directorate_sheets[0] == "+cmd|' _C calc'!A0"
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str) and dangerous(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"
    with zipfile.ZipFile(path) as archive:  # no formula element in any sheet part
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


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
        workbook = openpyxl.load_workbook(tmp_path / f"{version}.restricted.xlsx" if extra else path)
        texts[version] = {c for sheet in workbook for row in rows(sheet) for c in row if isinstance(c, str)}
    assert "Parks" in texts["restricted"] and "Alpha Services - South" in texts["restricted"]
    assert not any("Parks" in t or "South" in t for t in texts["public"])
    assert any("Exempt items" in t for t in texts["public"])
