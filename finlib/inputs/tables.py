"""Reading one file as a table of text: CSV or an Excel workbook's first sheet, with the file's row numbers.

Every cell is read as stripped text, so that a schema (:mod:`finlib.inputs.schemas`) can say exactly which
cell holds what (``'1.2.3'`` in ``net_budget``); the index holds each record's row number as a
spreadsheet shows it (the header is row 1).  Problems are collected, never raised here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pandera.pandas as pa

from finlib.core.parsed import ROW
from finlib.errors import FileProblems, Problem, Problems
from finlib.inputs import sheet_xml
from finlib.inputs.encoding import decode_utf8
from finlib.money import parse_amounts

if TYPE_CHECKING:
    import openpyxl
    from openpyxl.worksheet.cell_range import CellRange

#: How far down a file a header row is looked for when the first row is not the header (title rows of an export).
HEADER_SEARCH_ROWS = 10
#: The most rows and columns a workbook's table may reach: a cell beyond them is refused before any is read.
XLSX_ROWS, XLSX_COLUMNS = 100_000, 200
XLSX_EXPECTED = "an Excel workbook (.xlsx) whose first sheet holds the table, header in row 1"
UTF8_EXPECTED = "UTF-8 text (save as 'CSV UTF-8')"

Records = list[tuple[int, list[str]]]  # (row number in the file, stripped cells) of each non-blank row
Headers = Mapping[str, Collection[str]]  # another input file's name → the columns it must have


def read_text_table(
    path: Path,
    problems: Problems,
    required: bool = True,
    columns: Collection[str] = (),
    others: Headers | None = None,
) -> pd.DataFrame | None:
    """Read a CSV, or an Excel workbook (``.xlsx``: its first sheet), with every cell as stripped text,
    headers normalised, index = row number.

    ``columns`` are the columns the file must have: when the first row lacks some of them, the file is
    compared with the header rows further down (a spreadsheet export's title rows) and with ``others``,
    the headers of the other input files (the wrong file handed in).  Returns ``None`` (with a problem
    recorded when the file is required) when the file cannot be read as a table at all.
    """
    at = problems.at(path)
    if not path.is_file():
        if required:
            at.add(found="no such file", expected="this file to exist")
        return None
    merged: list[Problem] = []
    body: pd.DataFrame | None = None
    if path.suffix.lower() == ".xlsx":
        read = _xlsx_records(path, at, problems)
        records, merged = read if read is not None else (None, [])
    else:
        text = decode_utf8(path.read_bytes(), at, UTF8_EXPECTED)
        plain = _plain_csv(text) if text is not None else None
        if plain is not None:
            records, body = plain
        else:
            records = _csv_records(text, at) if text is not None else None
    if records is None:
        return None
    if not records:
        at.add(found="an empty file", expected="a header row naming the columns")
        return None
    if merged and _header_below(records, columns) is None:  # merged title cells above the header: that is said
        problems.extend(merged)
        return None
    return _text_frame(records, at, columns, others or {}, body)


def _plain_csv(text: str) -> tuple[Records, pd.DataFrame] | None:
    """A CSV without a quote, a lone carriage return or a NUL (most exports), read by pandas' C parser: the
    first rows as records (for finding the header) and every non-blank row as stripped text, indexed by
    its row number.  ``None`` for any other CSV, and for one whose rows are longer than its first: the
    cell-by-cell reader (:func:`_csv_records`) then reads it and says what is wrong."""
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):  # a carriage return alone: the careful reader's
            return None
        text = text.replace("\r\n", "\n")  # Windows line endings
    if '"' in text or "\0" in text or not text.strip():
        return None
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype="str",
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return None
    cells = pd.DataFrame({j: raw[c].str.strip() for j, c in enumerate(raw.columns)})
    numbers = np.arange(1, len(cells) + 1)  # one row a line: no quote lets a cell run over a line
    kept = (cells != "").any(axis=1).to_numpy(dtype=bool)
    if not kept.any() or not kept[0]:  # the header on the first line: the parser's width is the header's
        return None
    cells = cells[kept]
    cells.index = pd.Index(numbers[kept], dtype="int64")
    first = cells.head(HEADER_SEARCH_ROWS + 1)
    head: Records = [
        (int(number), [str(v) for v in row])
        for number, row in zip(first.index, first.itertuples(index=False, name=None), strict=True)
    ]
    return head, cells


def _csv_records(text: str, at: FileProblems) -> Records | None:
    records: Records = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            stripped = [c.strip() for c in cells]
            if any(stripped):
                records.append((start, stripped))
            start = reader.line_num + 1
    except csv.Error as exc:
        _malformed(at, exc, start, reader.line_num)
        return None
    return records


def _malformed(at: FileProblems, exc: csv.Error, start: int, line: int) -> None:
    """Say where a CSV stops being well formed: a quote never closed swallows the rows after it."""
    if "unexpected end of data" in str(exc):
        rest = f"rows {start} to {line} would be one cell" if line > start else "the cell runs to the end of the file"
        at.add(
            row=start,
            found=f"a quote opened and never closed ({rest})",
            expected='well-formed CSV: a cell that starts with " ends with "',
        )
        return
    if "expected after" in str(exc):
        found = "text after the closing quote of a cell"
        if line > start:
            found = f"text after a quote that closes a cell opened in row {start} (the rows between are swallowed)"
    else:
        found = str(exc)
    at.add(
        row=line,
        found=found,
        expected='well-formed CSV: a quoted cell closed with " just before the comma or the end of the row',
    )


def _xlsx_records(path: Path, at: FileProblems, problems: Problems) -> tuple[Records, list[Problem]] | None:
    """The first sheet of a workbook as text rows (numbers written exactly, dates ``YYYY-MM-DD``) and a
    problem for each range of merged cells; ``None`` when it cannot be read, its first sheet is hidden or
    reaches beyond :data:`XLSX_ROWS` rows or :data:`XLSX_COLUMNS` columns, or a formula has no saved value.

    The sheet's XML is scanned first (:mod:`finlib.inputs.sheet_xml`), then its values and formulas are
    read in streaming mode, so a stray cell far down the sheet is named at once, never laid out.
    """
    try:
        listed = sheet_xml.sheets(path)
        first = listed[0] if listed else None
        scans = sheet_xml.scan_sheets(path, {}, slack=(XLSX_ROWS, XLSX_COLUMNS))
        import openpyxl  # only for a workbook: a tenth of a second of every command otherwise

        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl and zipfile raise many kinds of error on a file that is not a workbook
        at.add(found=_not_a_workbook(path, exc), expected=XLSX_EXPECTED)
        return None
    try:
        return _first_sheet(values, formulas, first, scans, at, problems)
    finally:
        values.close()
        formulas.close()


def _first_sheet(
    values: openpyxl.Workbook,
    formulas: openpyxl.Workbook,
    first: sheet_xml.SheetPart | None,
    scans: dict[str, sheet_xml.Scan],
    at: FileProblems,
    problems: Problems,
) -> tuple[Records, list[Problem]] | None:
    if first is None or not values.worksheets:
        at.add(found="a workbook without a worksheet", expected=XLSX_EXPECTED)
        return None
    if first.hidden:
        very = first.state == "veryHidden"
        at.add(
            sheet=first.name,
            found="the first sheet very hidden (only a macro shows it)" if very else "the first sheet hidden",
            expected="the table on the first sheet, visible (unhide the sheet, or put the table on a visible one)",
        )
        return None
    scan = scans.get(first.name, sheet_xml.Scan([], None))
    if scan.far is not None:
        at.add(
            sheet=first.name,
            cell=scan.far,
            found="a cell far beyond the table",
            expected=f"a table of at most {XLSX_ROWS:,} rows and {XLSX_COLUMNS} columns: clear the cell and save again",
        )
        return None
    sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
    for each in (sheet, formula_sheet):
        each.reset_dimensions()  # the size a file declares is not trusted: its cells are read as they come
    rows = list(zip(sheet.iter_rows(values_only=True), formula_sheet.iter_rows(values_only=True), strict=False))
    header = [_cell_text(value) for value in rows[0][0]] if rows else []
    merges = [_merge_problem(coord, header, at) for coord in _by_position(scan.merged)]
    records: Records = []
    with problems.watch() as watch:
        for number, (row, formula_row) in enumerate(rows, start=1):
            cells = []
            for index, value in enumerate(row):
                formula = formula_row[index] if index < len(formula_row) else None
                if value is None and _is_formula(formula):
                    column = header[index].lower() if number > 1 and index < len(header) else None
                    at.add(
                        row=number,
                        column=column or f"{_column_letter(index + 1)}{number}",
                        found=f"formula {_formula_text(formula)} without a saved value",
                        expected="a value (open the workbook in Excel and save it, or paste the values)",
                    )
                cells.append(_cell_text(value))
            if any(cells):
                records.append((number, cells))
    return (records, merges) if watch.clean else None


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))


def _by_position(ranges: list[str]) -> list[CellRange]:
    from openpyxl.worksheet.cell_range import CellRange

    return sorted((CellRange(coord) for coord in ranges if coord), key=lambda r: (r.min_row, r.min_col))


def _merge_problem(merged: CellRange, header: list[str], at: FileProblems) -> Problem:
    column = header[merged.min_col - 1].lower() if merged.min_row > 1 and merged.min_col <= len(header) else None
    return Problem(
        at.name,
        row=merged.min_row,
        column=column or None,
        found=f"merged cells {merged.coord}",
        expected="one value per cell (unmerge the cells and fill each one)",
    )


def _is_formula(value: object) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in (
        "ArrayFormula",
        "DataTableFormula",
    )


def _formula_text(value: object) -> str:
    return str(getattr(value, "text", value))


def _not_a_workbook(path: Path, exc: Exception) -> str:
    head = path.read_bytes()[:8]
    if not head:
        return "an empty file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel 97-2003 workbook (.xls) or another OLE file"
    if not head.startswith(b"PK"):
        return "not a workbook (perhaps a CSV or text file renamed .xlsx)"
    return f"not a readable workbook ({type(exc).__name__}: {exc})"


def _cell_text(value: object) -> str:
    """A cell's value as the text a CSV would hold: ``1234.5`` → ``'1234.5'``, a date → ``'2017-08-14'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits: a formula's 8769382.190000001 is the 8769382.19 it shows
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _text_frame(
    records: Records,
    at: FileProblems,
    expected: Collection[str],
    others: Headers,
    parsed: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """The table below its header.  ``parsed``: every row already read as a frame (:func:`_plain_csv`),
    ``records`` then holding only the first rows."""
    (header_row, header), body = records[0], records[1:]
    columns = [h.strip().lower() for h in header]
    missing = [c for c in expected if c not in columns]
    if missing:
        number = _header_below(records, expected)
        if number is not None:
            at.add(
                row=header_row,
                found=shorten(", ".join(c for c in header if c)),
                expected=f"the header row must be the first row; found it at row {number} (delete the rows above it)",
            )
            return None
        if _other_file(columns, expected, at, others):
            for column in missing:
                at.add(row=1, column=column, found="no such column", expected="this column")
            return None  # its rows mean something else: checking them would only add noise
    seen: set[str] = set()
    for col in columns:
        if col in seen and col:
            at.add(row=header_row, column=col, found="the column twice", expected="each column once")
        seen.add(col)
    if len(seen - {""}) != len([c for c in columns if c]):
        return None
    named = [i for i, col in enumerate(columns) if col]  # a column without a name is an unknown column: ignored
    width = len(columns)
    if parsed is not None:  # no row is longer than the header: the parser refused such a file
        below = parsed.iloc[1:]
        frame = pd.DataFrame(
            {
                columns[i]: below[i] if i < below.shape[1] else pd.Series("", index=below.index, dtype="str")
                for i in named
            },
            index=below.index,
        )
        frame.index.name = ROW
        return frame
    rows = []
    for number, cells in body:
        if len(cells) != width:
            if len(cells) > width and any(cells[width:]):
                at.add(
                    row=number,
                    found=f"{len(cells)} cells",
                    expected=f"at most {width} cells, one per column of the header",
                )
            cells = (cells + [""] * width)[:width]
        rows.append(cells)
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    frame = pd.DataFrame(
        {columns[i]: pd.array(by_column[i], dtype="str") for i in named},
        index=pd.Index([n for n, _ in body], dtype="int64"),
    )
    frame.index.name = ROW
    return frame


def _header_below(records: Records, expected: Collection[str]) -> int | None:
    """The row of a header below the first row (under a spreadsheet's title rows), within the first
    :data:`HEADER_SEARCH_ROWS` rows: the first row holding every expected column, when the first row does not."""
    wanted = set(expected)
    if not wanted or wanted <= {c.strip().lower() for c in records[0][1]}:
        return None
    for number, cells in records[1:]:
        if number > HEADER_SEARCH_ROWS:
            break
        if wanted <= {c.strip().lower() for c in cells}:
            return number
    return None


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _other_file(columns: list[str], expected: Collection[str], at: FileProblems, others: Headers) -> bool:
    """When a file lacks its columns but has all those of another input file, say so (the wrong file
    handed in) and return True."""
    own = set(expected)
    for other, required in sorted(others.items(), key=lambda item: -len(item[1])):
        if set(required) != own and set(required) <= set(columns):
            at.add(
                row=1,
                found=f"the header of {other}: " + ", ".join(c for c in columns if c),
                expected=f"the header of {Path(at.name).name}: " + ", ".join(expected) + " (is this the right file?)",
            )
            return True
    return False


def check_schema(frame: pd.DataFrame, schema: pa.DataFrameSchema, at: FileProblems) -> bool:
    """Check a text frame against its schema; record every failure. True when clean."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples(index=False):
            if case.check == "column_in_dataframe":
                at.add(row=1, column=str(case.failure_case), found="no such column", expected="this column")
            elif case.index is not None and not pd.isna(case.index):
                at.add(
                    row=int(case.index), column=str(case.column), found=str(case.failure_case), expected=str(case.check)
                )
            else:
                at.add(column=str(case.column), expected=str(case.check))
        return False
    return True


def read_checked(
    path: Path, schema: pa.DataFrameSchema, problems: Problems, required: bool = True, others: Headers | None = None
) -> pd.DataFrame | None:
    """Read a file and check it against its schema.

    The text frame is returned even when cells have problems, so that checks
    across files still run; ``None`` only when the file cannot be read as a table.
    """
    frame = read_text_table(path, problems, required, required_columns(schema), others)
    if frame is None:
        return None
    for column in schema.columns:
        if column not in frame.columns and not schema.columns[column].required:
            frame[column] = ""
    check_schema(frame, schema, problems.at(path))
    return frame


def required_columns(schema: pa.DataFrameSchema) -> tuple[str, ...]:
    return tuple(column for column, spec in schema.columns.items() if spec.required)


def amounts(values: pd.Series) -> pd.Series:
    """Text amounts (already checked) as pence; blank text becomes a blank cell."""
    return parse_amounts(values)


def row_number(label: object) -> int:
    """A frame's index label as the row number it is (the index holds row numbers)."""
    return int(str(label))
