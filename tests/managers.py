"""Budget managers filling in their forecast returns, with openpyxl: what a manager's spreadsheet program
does to an issued workbook, written without finlib's reader or writer of returns.

``fill_returns`` enters a period's ``forecasts.csv`` and the revenue rows of its ``explanations.csv`` into
every return of a folder; the other helpers break one return the way a careless or hostile manager would.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW, FIRST_ROW = 4, 5


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def forecast_sheet(book: Workbook) -> Worksheet:
    sheet: Worksheet = book["Forecast"]
    return sheet


def columns(sheet: Worksheet) -> dict[str, int]:
    """Heading text → 1-based column number, from the header row."""
    return {str(cell.value): cell.column for cell in sheet[HEADER_ROW] if cell.value is not None}


def column_of(sheet: Worksheet, starts: str) -> int:
    return next(number for title, number in columns(sheet).items() if title.startswith(starts))


def line_rows(sheet: Worksheet) -> dict[str, int]:
    """line_id → row number of each line of a return."""
    found = {}
    for row in range(FIRST_ROW, sheet.max_row + 1):
        value = sheet.cell(row, 1).value
        if value:
            found[str(value)] = row
    return found


def fill_returns(folder: Path, period_dir: Path, book_csv: Path) -> None:
    """Enter the period's forecasts (outturns or variances, as each return asks) and explanations into
    every return in ``folder``: each subject's text on its first line in the budget book's order."""
    forecasts = {r["line_id"]: r for r in read_csv(period_dir / "forecasts.csv")}
    book = read_csv(book_csv)
    subject = {r["line_id"]: (r.get("tag") or r["heading"]) for r in book}
    first_line: dict[str, str] = {}
    for row in book:
        first_line.setdefault(subject[row["line_id"]], row["line_id"])
    texts: dict[tuple[str, str], str] = {}
    for row in read_csv(period_dir / "explanations.csv"):
        if row["about"] in ("variance", "movement"):
            texts[(row["subject"], row["about"])] = row["text"]
    for path in sorted(folder.glob("*.xlsx")):
        workbook = load_workbook(path)
        sheet = forecast_sheet(workbook)
        entry = column_of(sheet, "Your forecast")
        outturn = "outturn" in str(sheet.cell(HEADER_ROW, entry).value)
        budget_column = column_of(sheet, "Net budget")
        for line_id, number in line_rows(sheet).items():
            given = forecasts[line_id]
            budget = Decimal(given["net_budget"])
            assert Decimal(str(sheet.cell(number, budget_column).value)) == budget, line_id
            if given.get("net_forecast_outturn"):
                out = Decimal(given["net_forecast_outturn"])
            else:
                out = budget + Decimal(given["net_forecast_variance"])
            value = out if outturn else out - budget
            sheet.cell(number, entry).value = float(value)
            if first_line[subject[line_id]] == line_id:
                for offset, about in ((1, "variance"), (2, "movement")):
                    text = texts.get((subject[line_id], about))
                    if text:
                        sheet.cell(number, entry + offset).value = text
        workbook.save(path)


def edit_return(path: Path, change: Callable[[Workbook], object]) -> None:
    """Open a return with openpyxl, change it, save it."""
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)


def issue_and_fill(data: Path, out: Path, period: str) -> Path:
    """Issue a period's returns from the data set ``data`` into ``out`` and fill them with its own forecasts."""
    from finlib.cli import main

    assert main(["returns", "issue", "--data", str(data), "--period", period, "--out", str(out)]) == 0
    year = next(path.parent for path in data.glob(f"*/{period}") if path.is_dir())
    fill_returns(out, year / period, year / "budget_book.csv")
    return out


#: The edits a case of the bad-input corpus can make to a return, each a mapping with its ``file``.
EDITS = ("cell", "insert_row", "delete_row", "hide_sheet", "remove_sheet", "copy_to", "delete")


def break_return(folder: Path, edit: dict[str, object]) -> None:
    """Make one edit to a return in ``folder``, as a manager's spreadsheet program would:

    - ``{file, sheet, cell, value}`` types a value (a string from ``=`` is a formula; ``null`` clears it);
    - ``{file, sheet, insert_row: n}`` or ``delete_row: n`` inserts or deletes row ``n``;
    - ``{file, hide_sheet: name}`` hides a sheet, ``{file, remove_sheet: name}`` deletes it;
    - ``{file, copy_to: name}`` saves a copy under another name, ``{file, delete: true}`` deletes the file.
    """
    path = folder / str(edit["file"])
    assert path.is_file(), f"{path.name}: no such return to edit"
    kinds = [kind for kind in EDITS if kind in edit]
    assert len(kinds) == 1, f"{edit}: one of {', '.join(EDITS)}"
    kind = kinds[0]
    if kind == "copy_to":
        shutil.copyfile(path, folder / str(edit["copy_to"]))
        return
    if kind == "delete":
        path.unlink()
        return

    def change(book: Workbook) -> None:
        if kind == "hide_sheet":
            book[str(edit["hide_sheet"])].sheet_state = "hidden"
        elif kind == "remove_sheet":
            book.remove(book[str(edit["remove_sheet"])])
        else:
            sheet = book[str(edit["sheet"])]
            if kind == "cell":
                sheet[str(edit["cell"])] = edit["value"]
            elif kind == "insert_row":
                sheet.insert_rows(int(str(edit["insert_row"])))
            else:
                sheet.delete_rows(int(str(edit["delete_row"])))

    edit_return(path, change)
