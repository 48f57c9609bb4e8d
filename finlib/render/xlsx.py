"""The report's tables as one Excel workbook: a sheet per table, figures as printed, no formulas.

Sheets: ``Authority`` (£m to 3 dp), one per directorate (£'000 to 1 dp) and ``Capital`` (£m to 3 dp)
when the year has a capital programme; the same tables as ``finlib tables`` writes as CSV, with the
headings of the report's column specs in a frozen first row.  Each figure is a number equal to the
printed (rounded) figure, formatted with a minus for negatives as in the reports; a blank in the report
is an empty cell.  Every text cell is written as a string (never a formula), and text from data is
neutralised (:mod:`finlib.render.safe`).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finlib.core.kinds import RowKind
from finlib.money import MILLIONS, POUNDS, THOUSANDS, Unit
from finlib.render.files import write_atomic
from finlib.render.safe import neutral
from finlib.report.model import Report, Table, blank

#: Number formats of the published tables: thousands separators, a minus for negatives.
NUMBER_FORMATS = {MILLIONS: "#,##0.000;-#,##0.000", THOUSANDS: "#,##0.0;-#,##0.0", POUNDS: "#,##0.00;-#,##0.00"}
AUTHORITY_SHEET = "Authority"
CAPITAL_SHEET = "Capital"
BOLD_KINDS = {RowKind.TOTAL, RowKind.GRAND_TOTAL, RowKind.BALANCE}
ITALIC_KINDS = {RowKind.SUBTOTAL, RowKind.SCHOOLS}

SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDTH_MIN, _WIDTH_MAX, _HEADER_WRAP = 10, 60, 16  # header text wraps beyond _HEADER_WRAP characters


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name for ``name``: no ``[]:*?/\\``, at most 31 characters, not
    starting or ending with ``'``, unique ignoring case (``(2)``, ``(3)``… added when needed).

    ``taken`` holds the names already used, lower-cased; the new name is added to it.
    """
    base = _SHEET_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'").strip()
    base = base or "Sheet"
    candidate, number = base[:SHEET_NAME_LIMIT].rstrip("'"), 1
    while candidate.lower() in taken or candidate.lower() == "history":  # "History" is reserved by Excel
        number += 1
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip("'") + suffix
    taken.add(candidate.lower())
    return candidate


def _text(sheet: Worksheet, row: int, column: int, text: str) -> None:
    """A text cell, always a string: openpyxl would otherwise take text starting with ``=`` as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.data_type = TYPE_STRING


def _sheet(book: Workbook, title: str, table: Table) -> Worksheet:
    """One table: headings in a frozen row 1, then a row per table row; amounts are figures, the other
    columns text (from data, neutralised, unless the authority's own labels)."""
    sheet = book.create_sheet(title)
    columns = list(table.printed)
    widths = [min(len(c.heading), _HEADER_WRAP) for c in columns]
    for j, column in enumerate(columns, start=1):
        _text(sheet, 1, j, column.heading)
        sheet.cell(row=1, column=j).font = Font(bold=True)
        sheet.cell(row=1, column=j).alignment = Alignment(wrap_text=True, vertical="top")
    for i, record in enumerate(table.records(), start=2):
        kind = str(record.get("kind", ""))
        font = Font(bold=kind in BOLD_KINDS, italic=kind in ITALIC_KINDS)
        for j, column in enumerate(columns, start=1):
            value = record[column.key]
            if column.unit is not None:
                printed = _printed(value, column.unit)
                if printed:
                    cell = sheet.cell(row=i, column=j, value=Decimal(printed))
                    cell.number_format = NUMBER_FORMATS[column.unit]
                    cell.font = font
                widths[j - 1] = max(widths[j - 1], len(printed) + 2)
            elif not blank(value):
                text = neutral(str(value), table.trusted)
                _text(sheet, i, j, text)
                sheet.cell(row=i, column=j).font = font
                widths[j - 1] = max(widths[j - 1], len(text))
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, _WIDTH_MIN), _WIDTH_MAX)
    sheet.freeze_panes = "A2"
    return sheet


def _printed(value: object, unit: Unit) -> str:
    return unit.text(value)


def workbook(report: Report) -> Workbook:
    """The report's tables as a workbook (nothing written)."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    book.properties.title = f"{report.authority_name}: budget monitoring, {report.period}"
    taken = {AUTHORITY_SHEET.lower(), CAPITAL_SHEET.lower()}
    _sheet(book, AUTHORITY_SHEET, report.authority.table)
    for section in report.sections:
        _sheet(book, sheet_name(section.name, taken), section.table)
    if report.capital_schemes is not None:
        _sheet(book, CAPITAL_SHEET, report.capital_schemes)
    return book


def xlsx_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    workbook(report).save(buffer)
    return buffer.getvalue()


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the workbook to ``path`` atomically (whole or not at all); return the path."""
    write_atomic(path, xlsx_bytes(report))
    return path
