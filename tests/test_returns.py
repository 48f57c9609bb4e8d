"""Budget holders' returns: issue one workbook per manager, fill them as managers would (openpyxl, in
:mod:`tests.managers`), collect them into the period's files; bad returns are named by file, sheet and
cell, exit 2, and nothing is written."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from finlib.cli import BAD_INPUT, main
from finlib.inputs.returns import _scan
from tests.conftest import SAMPLE
from tests.managers import edit_return, forecast_sheet, issue_and_fill, read_csv

PERIOD = "2017-07"
PERIOD_DIR = Path("2017-18") / PERIOD


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's returns of July, issued once and filled with the sample's own forecasts."""
    root = tmp_path_factory.mktemp("issued")
    data = root / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns(".publishing-*", "__pycache__"))
    return issue_and_fill(data, root / "returns", PERIOD)


@pytest.fixture
def setup(tmp_path: Path, filled: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns(".publishing-*", "__pycache__"))
    folder = tmp_path / "returns"
    shutil.copytree(filled, folder)
    return data, folder


def collect(data: Path, folder: Path, *more: str) -> int:
    return main(["returns", "collect", "--data", str(data), "--period", PERIOD, str(folder), *more])


def test_issue_writes_one_protected_workbook_per_manager(filled: Path) -> None:
    issued = (filled / "issued.csv").read_text(encoding="utf-8").splitlines()
    assert issued[0] == "manager,email,file,lines,content"
    assert len(issued) - 1 == len(list(filled.glob("*.xlsx"))) == 10
    assert sum(int(line.split(",")[3]) for line in issued[1:]) == 51  # every line of the book, once
    book = load_workbook(next(filled.glob("amira-hussain.xlsx")))
    assert book.sheetnames == ["Instructions", "Forecast", "Identity"]
    sheet = forecast_sheet(book)
    assert all(book[name].protection.sheet for name in book.sheetnames)
    assert sheet["A5"].protection.locked and not sheet["M5"].protection.locked
    assert [str(v.sqref) for v in sheet.data_validations.dataValidation] == ["M5:M11"]
    assert book["Identity"]["B1"].value == PERIOD and book["Identity"]["B2"].value == "Amira Hussain"


def test_round_trip_gives_the_tables_of_the_sample(setup: tuple[Path, Path], tmp_path: Path) -> None:
    data, folder = setup
    assert collect(data, folder) == BAD_INPUT  # the sample's forecasts.csv is hand-made: refused
    assert collect(data, folder, "--replace") == 0
    replaced = sorted(p.name.split(".")[0] for p in (data / PERIOD_DIR / "replaced").iterdir())
    assert replaced == ["explanations", "forecasts"]
    for name, root in (("ours", data), ("sample", SAMPLE)):
        assert main(["tables", "--data", str(root), "--period", PERIOD, "--out", str(tmp_path / name)]) == 0
    ours, sample_tables = hashes(tmp_path / "ours"), hashes(tmp_path / "sample")
    assert len(ours) == 7 and ours == sample_tables  # every table, byte for byte
    explanations = read_csv(data / PERIOD_DIR / "explanations.csv")
    sample = read_csv(SAMPLE / PERIOD_DIR / "explanations.csv")
    as_rows = [sorted(tuple(r.values()) for r in rows) for rows in (explanations, sample)]
    assert as_rows[0] == as_rows[1]  # revenue rows from the returns, the others kept
    before = hashes(data / PERIOD_DIR)
    assert collect(data, folder) == 0  # twice: the same files, and its own files are not refused
    assert hashes(data / PERIOD_DIR) == before


BREAKS: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "text in an amount": (
        lambda f: edit_return(f / "amira-hussain.xlsx", lambda b: forecast_sheet(b).__setitem__("M6", "about 3m")),
        ["amira-hussain.xlsx, sheet Forecast, cell M6", "found \"text 'about 3m'\""],
    ),
    "a locked cell changed": (
        lambda f: edit_return(f / "amira-hussain.xlsx", lambda b: forecast_sheet(b).__setitem__("D5", 1)),
        ["amira-hussain.xlsx, sheet Forecast, cell D5", "this cell is locked"],
    ),
    "a formula": (
        lambda f: edit_return(f / "tom-whitfield.xlsx", lambda b: forecast_sheet(b).__setitem__("M7", "=M5*2")),
        ["tom-whitfield.xlsx, sheet Forecast, cell M7", "a formula"],
    ),
    "a row added": (
        lambda f: edit_return(f / "gareth-lewis.xlsx", lambda b: forecast_sheet(b).insert_rows(7)),
        ["gareth-lewis.xlsx, sheet Forecast, cell A7", "a row was added"],
    ),
    "a row deleted": (
        lambda f: edit_return(f / "gareth-lewis.xlsx", lambda b: forecast_sheet(b).delete_rows(7)),
        ["gareth-lewis.xlsx, sheet Forecast, cell A7", "its row was deleted"],
    ),
    "another period": (
        lambda f: edit_return(f / "helen-price.xlsx", lambda b: b["Identity"].__setitem__("B1", "2017-05")),
        ["helen-price.xlsx, sheet Identity, cell B1", "another period"],
    ),
    "another manager": (
        lambda f: edit_return(f / "helen-price.xlsx", lambda b: b["Identity"].__setitem__("B2", "Someone Else")),
        ["helen-price.xlsx, sheet Identity, cell B2", "found 'Someone Else'"],
    ),
    "the same manager twice": (
        lambda f: shutil.copyfile(f / "priya-shah.xlsx", f / "priya-shah (2).xlsx"),
        ["sheet Identity, cell B2", "one return for each manager"],
    ),
    "a return missing": (
        lambda f: (f / "sinead-murphy.xlsx").unlink(),
        ["found 'no return from Sinead Murphy (sinead-murphy.xlsx was issued)'", "--without 'Sinead Murphy'"],
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_bad_return_is_named_and_nothing_is_written(
    name: str, setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, folder = setup
    breaking, expected = BREAKS[name]
    breaking(folder)
    before = hashes(data)
    capsys.readouterr()
    assert collect(data, folder, "--replace") == BAD_INPUT
    err = capsys.readouterr().err
    missing = [text for text in expected if text not in err]
    assert not missing, f"{missing} not in:\n{err}"
    assert hashes(data) == before


def test_a_manager_left_out_keeps_the_forecast_last_reported(setup: tuple[Path, Path]) -> None:
    data, folder = setup
    (folder / "sinead-murphy.xlsx").unlink()
    assert collect(data, folder, "--replace", "--without", "Sinead Murphy") == BAD_INPUT  # no reason
    assert collect(data, folder, "--replace", "--without", "Sinead Murphy", "--reason", "on leave") == 0
    rows = (data / PERIOD_DIR / "forecasts.csv").read_text(encoding="utf-8").splitlines()
    published = (data / "published" / "2017-18" / "2017-05" / "v1" / "position.csv").read_text(encoding="utf-8")
    last = {r.split(",")[0]: r.split(",") for r in published.splitlines()[1:]}
    for row in rows[1:]:
        line_id, _, outturn = row.split(",")
        if line_id.startswith("ASCH-PH"):  # Sinead Murphy's lines: the outturn of May
            assert Decimal(outturn) == Decimal(last[line_id][7]) + Decimal(last[line_id][8])
    assert '"reason": "on leave"' in (data / PERIOD_DIR / "returns_collected.json").read_text(encoding="utf-8")


def test_status_in_the_terminal_csv_and_html(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data, folder = setup
    (folder / "sinead-murphy.xlsx").unlink()
    edit_return(folder / "helen-price.xlsx", lambda b: b["Identity"].__setitem__("B1", "2017-05"))
    capsys.readouterr()
    assert main(["returns", "status", "--data", str(data), "--period", PERIOD, str(folder)]) == 0
    out = capsys.readouterr().out
    assert "2017-07: 8 of 10 returns in, 1 missing, 1 invalid" in out
    table = (folder / "working" / "returns_status.csv").read_text(encoding="utf-8").splitlines()
    states = {line.split(",")[0]: line.split(",")[4] for line in table[1:]}
    assert states["Sinead Murphy"] == "missing" and states["Helen Price"] == "invalid"
    assert states["Amira Hussain"] == "returned"
    page = (folder / "working" / "returns_status.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and '<caption id="managers">' in page and 'scope="row">Sinead Murphy' in page


def test_the_scan_places_cells_written_without_their_reference() -> None:
    """Rows and cells may leave out their ``r``: each then follows the one before.  A formatted blank cell
    far away is nothing; a value there is the far cell named."""
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b"<row><c><v>1</v></c><c><f>A1+1</f><v>2</v></c></row>"
        b'<row r="5000"><c r="B5000" s="1"/></row>'
        b'<row><c/><c t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    scan = _scan(io.BytesIO(xml), rows=100, columns=10)
    assert scan.formulas == ["B1"] and scan.far == "B5001"


def test_a_round_entering_variances_is_the_round_issued_for_variances() -> None:
    from finlib import returns

    outturns = returns.gather(SAMPLE, PERIOD)
    variances = returns.gather(SAMPLE, PERIOD, "variance")
    assert outturns.plans != variances.plans
    assert outturns.entering("variance").plans == variances.plans
    assert [p.content() for p in outturns.entering("variance").plans] == [p.content() for p in variances.plans]
