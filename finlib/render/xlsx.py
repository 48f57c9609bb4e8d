"""The report's tables as one Excel workbook a business partner keeps: a sheet per table, figures as
printed, no formulas.

Sheets: ``Authority`` (£m to 3 dp), one per directorate (£'000 to 1 dp; named after it, or after its
short name from ``authority.yaml`` when the name is longer than Excel allows), ``Capital`` (£m to 3 dp,
by directorate with totals) when the year has a capital programme, ``Adjustments`` (the Corporate
Director adjustments, to the penny) and ``Commentary`` (the report's numbered paragraphs).  Each sheet
opens with a title block (authority, table, period, unit, and that totals are computed from unrounded
figures), then the headings of the report's column spec, frozen and repeated on every printed page;
A4 landscape, fitted to the page's width.  Each figure is a number equal to the printed (rounded)
figure, formatted with a minus for negatives as in the reports; a blank in the report is an empty cell.
Every text cell is written as a string (never a formula); text that a spreadsheet would read as a
formula also gets Excel's quote prefix (:mod:`finlib.render.safe`), so it stays text when edited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finlib.core.kinds import RowKind
from finlib.money import MILLIONS, POUNDS, THOUSANDS, Unit
from finlib.render.files import write_atomic
from finlib.render.safe import formula_like
from finlib.report.model import Report, Table, blank

#: Number formats of the published tables: thousands separators, a minus for negatives.
NUMBER_FORMATS = {MILLIONS: "#,##0.000;-#,##0.000", THOUSANDS: "#,##0.0;-#,##0.0", POUNDS: "#,##0.00;-#,##0.00"}
DATE_FORMAT = "d mmmm yyyy"
AUTHORITY_SHEET = "Authority"
CAPITAL_SHEET = "Capital"
ADJUSTMENTS_SHEET = "Adjustments"
COMMENTARY_SHEET = "Commentary"
SAVINGS_SHEET = "Savings"
RESERVED = {s.lower() for s in (AUTHORITY_SHEET, CAPITAL_SHEET, SAVINGS_SHEET, ADJUSTMENTS_SHEET, COMMENTARY_SHEET)}
BOLD_KINDS = {RowKind.TOTAL, RowKind.GRAND_TOTAL, RowKind.BALANCE}
ITALIC_KINDS = {RowKind.SUBTOTAL, RowKind.SCHOOLS}
TITLE_ROWS = 4  # authority, table, period and unit, then a blank row: the headings are on row 5
UNROUNDED = "Totals are computed from unrounded figures, so the printed parts of a total may not add up to it."

SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDTH_MIN, _WIDTH_MAX, _HEADER_WRAP = 10, 60, 16  # header text wraps beyond _HEADER_WRAP characters
_TEXT_WIDTH = 90  # a column of long text (the commentary) is this wide and wraps


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


def directorate_sheet_name(name: str, short_names: dict[str, str], taken: set[str]) -> str:
    """A directorate's sheet: its whole name when it fits, else its short name (the report model's: from
    authority.yaml, or its initials), never a name cut short."""
    if len(name) <= SHEET_NAME_LIMIT:
        return sheet_name(name, taken)
    return sheet_name(short_names.get(name) or name, taken)


def _text(sheet: Worksheet, row: int, column: int, text: str) -> None:
    """A text cell, always a string (openpyxl would otherwise take text starting with ``=`` as a formula),
    quote-prefixed when a spreadsheet would read it as a formula if typed in."""
    cell = sheet.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.data_type = TYPE_STRING
    cell.quotePrefix = formula_like(text)


class Titled(Protocol):
    """What a sheet's title block names: the authority and the period (a :class:`Report` has both)."""

    @property
    def authority_name(self) -> str: ...

    @property
    def period_label(self) -> str: ...


@dataclass(frozen=True)
class Title:
    """A title block's authority and period, for tables that are not a whole report's."""

    authority_name: str
    period_label: str


def _title_block(sheet: Worksheet, report: Titled, table: Table) -> None:
    about = f"{report.period_label}."
    if table.unit is not None:
        places = "decimal place" if table.unit.decimals == 1 else "decimal places"
        about += f" Figures in {table.unit.name} to {table.unit.decimals} {places}. {UNROUNDED}"
    lines = [report.authority_name, table.caption, about]
    for row, text in enumerate(lines, start=1):
        _text(sheet, row, 1, text)
        sheet.cell(row=row, column=1).font = Font(bold=row == 1, size=13 if row == 1 else 11)


def _sheet(book: Workbook, title: str, table: Table, report: Titled) -> Worksheet:
    """One table: its title block, its headings (frozen, repeated on every page), then a row per table row;
    amounts are figures, dates are dates, the other columns text."""
    sheet = book.create_sheet(title)
    _title_block(sheet, report, table)
    columns = list(table.printed)
    head = TITLE_ROWS + 1
    widths = [min(len(c.heading), _HEADER_WRAP) for c in columns]
    for j, column in enumerate(columns, start=1):
        _text(sheet, head, j, column.heading)
        sheet.cell(row=head, column=j).font = Font(bold=True)
        sheet.cell(row=head, column=j).alignment = Alignment(wrap_text=True, vertical="top")
    for i, record in enumerate(table.records(), start=head + 1):
        kind = str(record.get("kind", ""))
        font = Font(bold=kind in BOLD_KINDS, italic=kind in ITALIC_KINDS)
        for j, column in enumerate(columns, start=1):
            value = record[column.key]
            cell = sheet.cell(row=i, column=j)
            if column.unit is not None:
                printed = _printed(value, column.unit)
                if printed:
                    cell.value = Decimal(printed)
                    cell.number_format = NUMBER_FORMATS[column.unit]
                    cell.font = font
                widths[j - 1] = max(widths[j - 1], len(printed) + 2)
            elif column.form == "date" and not blank(value):
                cell.value = dt.date.fromisoformat(str(value))
                cell.number_format = DATE_FORMAT
                widths[j - 1] = max(widths[j - 1], 18)
            elif not blank(value):
                text = str(value)
                _text(sheet, i, j, text)
                cell.font = font
                if len(text) > _TEXT_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[j - 1] = max(widths[j - 1], min(len(text), _TEXT_WIDTH))
    for j, width in enumerate(widths, start=1):
        limit = _TEXT_WIDTH if width >= _WIDTH_MAX else _WIDTH_MAX
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, _WIDTH_MIN), limit)
    sheet.freeze_panes = f"A{head + 1}"
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "&A: page &P of &N"
    return sheet


def _printed(value: object, unit: Unit) -> str:
    return unit.text(value)


def workbook(report: Report) -> Workbook:
    """The report's tables as a workbook (nothing written)."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    book.properties.title = f"{report.authority_name}: budget monitoring, {report.period_label}"
    taken = set(RESERVED)
    _sheet(book, AUTHORITY_SHEET, report.authority.table, report)
    for section in report.sections:
        _sheet(book, directorate_sheet_name(section.name, report.short_names, taken), section.table, report)
    if report.capital_by_directorate is not None:
        _sheet(book, CAPITAL_SHEET, report.capital_by_directorate, report)
    if report.savings is not None:
        _sheet(book, SAVINGS_SHEET, report.savings.savings, report)
    _sheet(book, ADJUSTMENTS_SHEET, report.appendix.adjustments, report)
    if report.commentary is not None:
        _sheet(book, COMMENTARY_SHEET, report.commentary, report)
    return book


def xlsx_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    workbook(report).save(buffer)
    return buffer.getvalue()


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the workbook to ``path`` atomically (whole or not at all); return the path."""
    write_atomic(path, xlsx_bytes(report))
    return path


def tables_workbook(title: Titled, tables: Sequence[tuple[str, Table]]) -> Workbook:
    """Tables as a workbook, a sheet each (``(sheet name, table)``), formatted as the report's workbook."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    book.properties.title = f"{title.authority_name}, {title.period_label}"
    taken: set[str] = set()
    for name, table in tables:
        _sheet(book, sheet_name(name, taken), table, title)
    return book


def write_tables_xlsx(title: Titled, tables: Sequence[tuple[str, Table]], path: Path) -> Path:
    """Write :func:`tables_workbook` to ``path`` atomically; return the path."""
    buffer = io.BytesIO()
    tables_workbook(title, tables).save(buffer)
    write_atomic(path, buffer.getvalue())
    return path
