"""Write the corpus's Excel workbooks from the sample's CSVs: ``python tests/bad_inputs/make_xlsx.py``.

The workbooks are committed; this script is how they were made, so they can be made again.  Amounts
are written as numbers and dates as dates, as a business partner's workbook holds them; each case then
breaks one thing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent.parent / "data" / "sample"
PERIOD = Path("2017-18") / "2017-07"
AMOUNTS = {"net_budget", "net_forecast_variance", "amount"}


def _typed(column: str, text: str) -> object:
    if column in AMOUNTS and text:
        negative = text.startswith("(")
        value = float(text.strip("()").replace("£", "").replace(",", ""))
        return -value if negative else value
    if column == "date" and text:
        return dt.datetime.fromisoformat(text)
    return text


def workbook(name: str, title_rows: list[str] | None = None) -> openpyxl.Workbook:
    """The sample's ``<name>.csv`` of July as a workbook: header in row 1 (below ``title_rows`` if any)."""
    with open(SAMPLE / PERIOD / f"{name}.csv", encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name
    for title in title_rows or []:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([_typed(column, text) for column, text in zip(header, row, strict=True)])
    return book


def _sheet(book: openpyxl.Workbook) -> Worksheet:
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet


def merged_forecast(sheet: Worksheet) -> None:
    sheet.merge_cells("B3:C3")  # budget and variance of one line merged


def formula_forecast(sheet: Worksheet) -> None:
    sheet["C5"] = "=B5*0.01"  # openpyxl saves no value for a formula: as a workbook never recalculated


def text_amount(sheet: Worksheet) -> None:
    sheet["B7"] = "1.2.3"


def merged_authors(sheet: Worksheet) -> None:
    sheet.merge_cells("D2:D5")  # one Corporate Director's name merged down the rows


def text_date(sheet: Worksheet) -> None:
    sheet["E3"] = "14/08/2017"


def nothing(sheet: Worksheet) -> None:
    pass


def _hide(sheet: Worksheet, state: str) -> None:
    book = sheet.parent
    book.create_sheet("Notes")["A1"] = "Forecasts are on the first sheet"
    book.active = 1  # a workbook shows a visible sheet
    sheet.sheet_state = state


def hidden_sheet(sheet: Worksheet) -> None:
    _hide(sheet, "hidden")


def very_hidden_sheet(sheet: Worksheet) -> None:
    _hide(sheet, "veryHidden")


def stray_cell(sheet: Worksheet) -> None:
    sheet["XFD1048576"] = "x"  # the last cell of the sheet: a reader laying out the cells never ends


CASES: list[tuple[str, str, list[str] | None, Callable[[Worksheet], None]]] = [
    ("13-forecasts-csv-and-xlsx", "forecasts", None, nothing),
    ("14-forecasts-xlsx-merged-cells", "forecasts", None, merged_forecast),
    ("15-forecasts-xlsx-formula-without-value", "forecasts", None, formula_forecast),
    ("17-forecasts-xlsx-title-rows", "forecasts", ["Budget monitoring return", "July 2017"], nothing),
    ("18-forecasts-xlsx-amount-as-text", "forecasts", None, text_amount),
    ("21-adjustments-xlsx-merged-cells", "adjustments", None, merged_authors),
    ("22-adjustments-xlsx-date-as-text", "adjustments", None, text_date),
    ("128-forecasts-xlsx-first-sheet-hidden", "forecasts", None, hidden_sheet),
    ("129-forecasts-xlsx-first-sheet-very-hidden", "forecasts", None, very_hidden_sheet),
    ("130-forecasts-xlsx-far-stray-cell", "forecasts", None, stray_cell),
]


def main() -> None:
    for case, name, titles, change in CASES:
        book = workbook(name, titles)
        change(_sheet(book))
        target = HERE / case / PERIOD / f"{name}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        book.save(target)
        print(target.relative_to(HERE))


if __name__ == "__main__":
    main()
