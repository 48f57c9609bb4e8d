"""A budget manager's forecast return as an ``.xlsx`` workbook, written with XlsxWriter.

Three sheets, all protected: ``Instructions`` (what to do, in words), ``Forecast`` (a title on row 1, the
headings on row 4, one row per line from row 5, frozen below the headings and right of the line, heading
and directorate) and ``Identity`` (period, manager, what the forecast column holds, the content hash of
what was issued and the format, in ``A1:B5``).  Only the forecast and the two explanation cells of each line
are unlocked (shaded); the forecast cells accept only a number of pounds.  Every text cell is written as a
string, never a formula; amounts are numbers of pounds with a money format.  The workbook's dates are
fixed, so issuing the same return twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from html import escape
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from finlib.core import returns
from finlib.core.period import Period
from finlib.core.returns import FIRST_ROW, HEADER_ROW, Issued
from finlib.errors import Problem
from finlib.money import PENCE_PER_POUND, exact
from finlib.render.csv import csv_text
from finlib.render.files import write_atomic
from finlib.render.safe import formula_like

MONEY_FORMAT = "#,##0.00;-#,##0.00"
EDITABLE_COLOUR = "#FFF2CC"
HEADER_COLOUR = "#D9E1F2"
#: The workbook's recorded creation date: fixed, so that the bytes depend only on the content.
CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: The largest forecast the validation accepts, in pounds (either sign).
LARGEST = 999_999_999_999.99
#: What the sheets' protection still allows: selecting, resizing columns and rows.
PROTECTION = {
    "select_locked_cells": True,
    "select_unlocked_cells": True,
    "format_columns": True,
    "format_rows": True,
}


def instructions(issued: Issued) -> list[str]:
    """The Instructions sheet, one paragraph per row."""
    layout = issued.layout
    forecast = returns.column_letter(layout.forecast_column)
    variance = returns.column_letter(layout.forecast_column + 1)
    movement = returns.column_letter(layout.forecast_column + 2)
    what = (
        "the outturn you expect for the whole year (net budget plus any overspend, minus any underspend)"
        if issued.entered == "outturn"
        else "the variance you expect for the whole year against the net budget (an overspend positive, an "
        "underspend negative)"
    )
    text = [
        issued.title(),
        "",
        f"This workbook holds the budget lines you manage, {len(issued.lines)} in all, on the Forecast sheet.",
        f"1. In column {forecast} ({layout.columns[layout.forecast_column].title}), enter {what}, in pounds. "
        "Each cell starts with the forecast last reported (or the net budget, where nothing was reported): "
        "change the ones that have moved.",
        f"2. In column {variance}, say why the forecast differs from the budget, and in column {movement} why it "
        "moved since it was last reported, where it did. Explanations of the lines of one heading are joined "
        "in the report, so one sentence on the first line of a heading is enough.",
        "3. Save the workbook under any name, as .xlsx, and send it back. Change only the shaded cells: do not "
        "add, delete or move rows, leave the Identity sheet as it is, and type values rather than formulas.",
    ]
    if layout.ledger:
        text.append(
            "The actuals by month come from the ledger. The run-rate forecast extends the actuals to date evenly "
            "over the year; the profiled forecast follows the shape of last year's spending (or is even where "
            "there is no history). A forecast far from all of them will be queried."
        )
    text += [
        "",
        "The returned workbook is checked cell by cell against what was issued: a changed locked cell, a "
        "formula, text in the forecast column, or a row added or deleted is named with its cell, and the "
        "return must be corrected before the month's position can be made.",
    ]
    return text


def write_return(issued: Issued, path: Path) -> None:
    """Write one manager's return to ``path`` (atomically)."""
    write_atomic(path, return_bytes(issued))


def return_bytes(issued: Issued) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"title": issued.title(), "author": "finlib", "created": CREATED})
    formats = _Formats(book)
    _instructions_sheet(book.add_worksheet(returns.INSTRUCTIONS_SHEET), issued, formats)
    _forecast_sheet(book.add_worksheet(returns.FORECAST_SHEET), issued, formats)
    _identity_sheet(book.add_worksheet(returns.IDENTITY_SHEET), issued, formats)
    book.worksheets()[1].activate()
    book.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": HEADER_COLOUR, "border": 1}
        )
        self.text = book.add_format({"valign": "top"})
        self.quoted = book.add_format({"valign": "top", "quote_prefix": True})
        self.money = book.add_format({"num_format": MONEY_FORMAT, "valign": "top"})
        self.entry_money = book.add_format(
            {"num_format": MONEY_FORMAT, "locked": False, "bg_color": EDITABLE_COLOUR, "border": 1, "valign": "top"}
        )
        self.entry_text = book.add_format(
            {"locked": False, "bg_color": EDITABLE_COLOUR, "border": 1, "text_wrap": True, "valign": "top"}
        )


def _string(sheet: Worksheet, row: int, column: int, text: str, formats: _Formats) -> None:
    """A text cell, 0-based: always a string; one a spreadsheet would take for a formula quote-prefixed."""
    sheet.write_string(row, column, text, formats.quoted if formula_like(text) else formats.text)


def _instructions_sheet(sheet: Worksheet, issued: Issued, formats: _Formats) -> None:
    sheet.set_column(0, 0, 110)
    for row, paragraph in enumerate(instructions(issued)):
        sheet.write_string(row, 0, paragraph, formats.title if row == 0 else formats.wrap)
    sheet.protect("", PROTECTION)


def _forecast_sheet(sheet: Worksheet, issued: Issued, formats: _Formats) -> None:
    columns = issued.layout.columns
    sheet.write_string(0, 0, issued.title(), formats.title)
    sheet.write_string(
        1, 0, "Enter the shaded cells only. Amounts in pounds; a return holds no formulas.", formats.text
    )
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(HEADER_ROW - 1, index, column.title, formats.header)
    sheet.set_row(HEADER_ROW - 1, 45)
    forecast = issued.layout.forecast_column
    for offset, line in enumerate(issued.lines):
        row = FIRST_ROW - 1 + offset
        for index, value in enumerate(issued.row_values(line)):
            _locked(sheet, row, index, value, columns[index].money, formats)
        prefill = issued.prefill(line)
        if prefill is None:
            sheet.write_blank(row, forecast, None, formats.entry_money)
        else:
            sheet.write_number(row, forecast, prefill / PENCE_PER_POUND, formats.entry_money)
        sheet.write_blank(row, forecast + 1, None, formats.entry_text)
        sheet.write_blank(row, forecast + 2, None, formats.entry_text)
    if issued.lines:
        last = FIRST_ROW - 2 + len(issued.lines)
        sheet.data_validation(
            FIRST_ROW - 1,
            forecast,
            last,
            forecast,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": -LARGEST,
                "maximum": LARGEST,
                "input_title": "Forecast",
                "input_message": "A number of pounds, such as -1234.50",
                "error_title": "Not a number of pounds",
                "error_message": "Enter a number of pounds, such as -1234.50, with no text or formula.",
            },
        )
    sheet.freeze_panes(FIRST_ROW - 1, 3)
    sheet.protect("", PROTECTION)


def _locked(sheet: Worksheet, row: int, column: int, value: returns.Cell, money: bool, formats: _Formats) -> None:
    if value is None:
        sheet.write_blank(row, column, None, formats.money if money else formats.text)
    elif isinstance(value, int):
        sheet.write_number(row, column, value / PENCE_PER_POUND, formats.money)
    else:
        _string(sheet, row, column, value, formats)


def _identity_sheet(sheet: Worksheet, issued: Issued, formats: _Formats) -> None:
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 70)
    for row, (name, value) in enumerate(issued.identity().items()):
        sheet.write_string(row, 0, name, formats.text)
        _string(sheet, row, 1, value, formats)
    sheet.write_string(
        len(returns.IDENTITY_FIELDS) + 1,
        0,
        "These fields match the returned workbook to its manager and period; leave them as they are.",
        formats.text,
    )
    sheet.protect("", PROTECTION)


ISSUED_COLUMNS = ["manager", "email", "file", "lines", "content"]


def write_issued(path: Path, plans: Sequence[Issued]) -> None:
    """``issued.csv``: who was sent which file, for how many lines, with its content hash."""
    rows = [[p.manager, p.email, p.file_name, len(p.lines), p.content()] for p in plans]
    write_atomic(path, csv_text([ISSUED_COLUMNS, *rows]))


# ---------------------------------------------------------------------------
# The business partner's status of the returns

STATUS_COLUMNS = ["manager", "email", "file", "lines", "state", "unchanged", "challenged", "problems", "detail"]


def status_csv(statuses: Sequence[returns.Status]) -> bytes:
    """``working/returns_status.csv``: one row per manager."""
    rows = [
        [
            s.manager,
            s.email,
            s.file,
            s.lines,
            s.state,
            "yes" if s.unchanged else "",
            " ".join(s.challenged),
            s.problems or "",
            s.detail,
        ]
        for s in statuses
    ]
    return csv_text([STATUS_COLUMNS, *rows]).encode("utf-8")


def status_counts(statuses: Sequence[returns.Status]) -> dict[str, int]:
    counts = {state: sum(1 for s in statuses if s.state == state) for state in returns.STATES}
    counts["unchanged"] = sum(1 for s in statuses if s.unchanged)
    counts["challenged"] = sum(1 for s in statuses if s.challenged)
    return counts


def status_summary(period: Period, statuses: Sequence[returns.Status]) -> str:
    """One sentence: ``2017-07: 9 of 12 returns in, 1 missing, 2 invalid; 3 unchanged since last reported…``."""
    counts = status_counts(statuses)
    parts = [f"{counts['returned']} of {len(statuses)} returns in"]
    parts += [f"{counts[state]} {state}" for state in ("missing", "invalid", "left out") if counts[state]]
    text = f"{period}: " + ", ".join(parts)
    if counts["unchanged"]:
        text += f"; {counts['unchanged']} unchanged since last reported"
    if counts["challenged"]:
        text += f"; {counts['challenged']} with forecasts to challenge"
    return text + "."


STATE_WORDS = {
    "returned": "Returned",
    "missing": "Missing",
    "invalid": "Invalid: to correct",
    "left out": "Left out",
}


def status_html(period: Period, statuses: Sequence[returns.Status], problems: Sequence[Problem], threshold: int) -> str:
    """``working/returns_status.html``: the summary, a table of managers, and every problem of the returns."""
    title = f"Forecast returns for {period.label}"
    rows = []
    for s in statuses:
        remarks = []
        if s.unchanged:
            remarks.append("Unchanged since last reported")
        if s.challenged:
            remarks.append(
                f"{len(s.challenged)} line{'s' if len(s.challenged) != 1 else ''} far from every computed "
                f"forecast: {', '.join(s.challenged)}"
            )
        if s.detail:
            remarks.append(s.detail)
        file = escape(s.file) if s.file else "none"
        rows.append(
            "<tr>"
            f'<th scope="row">{escape(s.manager)}</th>'
            f"<td>{escape(s.email)}</td>"
            f"<td>{file}</td>"
            f'<td class="num">{s.lines}</td>'
            f'<td class="state {s.state.replace(" ", "-")}"><strong>{escape(STATE_WORDS[s.state])}</strong></td>'
            f"<td>{'<br>'.join(escape(r) for r in remarks)}</td>"
            "</tr>"
        )
    listed = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
    problem_part = (
        f'<section aria-labelledby="problems"><h2 id="problems">Problems to correct ({len(problems)})</h2>'
        f"<ol>{listed}</ol></section>"
        if problems
        else '<section aria-labelledby="problems"><h2 id="problems">Problems to correct</h2>'
        "<p>None: every return read is valid.</p></section>"
    )
    challenge = exact(threshold).lstrip("+").removesuffix(".00")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{STATUS_STYLE}</head><body><main>"
        f"<h1>{escape(title)}</h1>"
        f"<p>{escape(status_summary(period, statuses))}</p>"
        f"<p>A forecast is challenged when it departs from the budget, the run-rate and the profiled forecast "
        f"alike by more than {escape(challenge)}.</p>"
        '<div class="scroll" role="region" aria-labelledby="managers" tabindex="0">'
        '<table><caption id="managers">Each budget manager\'s return</caption><thead><tr>'
        '<th scope="col">Manager</th><th scope="col">Email</th><th scope="col">File</th>'
        '<th scope="col">Lines</th><th scope="col">State</th><th scope="col">Remarks</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"{problem_part}</main></body></html>\n"
    )


STATUS_STYLE = """<style>
body { font-family: Arial, Helvetica, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 72rem; padding: 1rem; }
.scroll { overflow-x: auto; }
.scroll:focus { outline: 3px solid #1d70b8; }
table { border-collapse: collapse; width: 100%; min-width: 40rem; }
li { overflow-wrap: break-word; }
caption { text-align: left; font-weight: bold; padding: .4rem 0; }
th, td { border: 1px solid #6b6b6b; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #d9e1f2; }
td.num { text-align: right; }
td.state.missing, td.state.invalid { background: #fde2e1; }
td.state.returned { background: #e2f0d9; }
</style>"""


def write_status(
    folder: Path, period: Period, statuses: Sequence[returns.Status], problems: Sequence[Problem], threshold: int
) -> list[Path]:
    """``returns_status.csv`` and ``returns_status.html`` in ``folder``; the paths written."""
    csv_path, html_path = folder / "returns_status.csv", folder / "returns_status.html"
    write_atomic(csv_path, status_csv(statuses))
    write_atomic(html_path, status_html(period, statuses, problems, threshold))
    return [csv_path, html_path]
