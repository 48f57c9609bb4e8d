"""Budget managers filling in their forecast returns, with openpyxl: what a manager's spreadsheet program
does to an issued workbook, written without finlib's reader or writer of returns.

``fill_returns`` enters a period's ``forecasts.csv`` and the revenue rows of its ``explanations.csv`` into
every return of a folder; the other helpers break one return the way a careless or hostile manager would.
"""

from __future__ import annotations

import csv
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
