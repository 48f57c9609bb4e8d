"""Reading returned forecast workbooks: each ``.xlsx`` of a folder as the values of its cells
(:class:`finlib.core.returns.Sheets`), read with python-calamine, and the cells that hold a formula,
found in the workbook's sheet XML (a reader of values cannot tell a typed value from a formula's).

A file that is not an ``.xlsx`` workbook, or that cannot be opened, is a problem naming the file; a sheet
whose used area reaches far beyond the lines issued is named without being read cell by cell.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path
from typing import cast
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from finlib.core.returns import FORECAST_SHEET, IDENTITY_SHEET, SHEETS, Sheets, Value
from finlib.errors import Problem, Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.period import read_kind
from finlib.inputs.sheet_xml import SLACK_COLUMNS, SLACK_ROWS, Scan, _scan, scan_sheets

__all__ = ["SLACK_COLUMNS", "SLACK_ROWS", "Scan", "_scan", "scan_sheets"]

#: Other formats a return may have been saved in by mistake.
OTHER_WORKBOOKS = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".csv"}
#: Files of a returns folder that are not returns: what ``finlib returns issue`` writes beside them.
NOT_RETURNS = {"issued.csv"}


def returned_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The workbooks of a returns folder, by name, and a problem for each file saved in another format.

    Skipped: Office's lock files (``~$…``), hidden files, sub-folders (``working/``) and ``issued.csv``.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(("~$", ".")) or path.name in NOT_RETURNS:
            continue
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            found.append(path)
        elif suffix in OTHER_WORKBOOKS:
            problems.append(
                Problem(
                    shown(path),
                    found=f"a {suffix} file",
                    expected="a return saved as .xlsx, the format it was issued in (Save As, Excel Workbook)",
                )
            )
    return found, problems


def read_return(path: Path, limits: dict[str, tuple[int, int]]) -> tuple[Sheets | None, list[Problem]]:
    """A returned workbook's cells; ``limits`` gives, per sheet, the rows and columns it may use.

    The sheets' XML is scanned first, for the cells holding a formula and for a value far beyond the
    limits: such a sheet is named by that cell and not read, since a reader of values would lay out every
    cell up to it, and the workbook is not checked further.  ``None`` with a problem when the file cannot be
    read as a workbook.
    """
    file = shown(path)
    try:
        scans = {name: scan for name, scan in scan_sheets(path, limits).items() if name in SHEETS}
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError) as exc:
        return None, [_unreadable(path, exc)]
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError, Exception) as exc:  # python-calamine's errors for broken archives
        return None, [_unreadable(path, exc)]
    problems: list[Problem] = []
    rows: dict[str, list[list[Value]]] = {}
    hidden = []
    try:
        for meta in book.sheets_metadata:
            if meta.name not in SHEETS:
                continue
            if meta.visible != SheetVisibleEnum.Visible:
                hidden.append(meta.name)
            far = scans[meta.name].far if meta.name in scans else None
            if far is not None:
                problems.append(
                    Problem(
                        file,
                        sheet=meta.name,
                        cell=far,
                        found="a cell far beyond the lines issued",
                        expected="nothing outside the cells of the return as issued: clear it and save again",
                    )
                )
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows[meta.name] = cast(list[list[Value]], sheet.to_python(skip_empty_area=False))
    except Exception as exc:  # a sheet that cannot be read
        return None, [_unreadable(path, exc)]
    finally:
        book.close()
    formulas = {name: scan.formulas for name, scan in scans.items() if scan.formulas}
    for name in hidden:
        problems.append(
            Problem(file, sheet=name, found="a hidden sheet", expected="every sheet of the return visible, as issued")
        )
    if any(scan.far for scan in scans.values()):
        return None, problems
    return Sheets(rows, formulas, tuple(hidden)), problems


def _unreadable(path: Path, exc: BaseException) -> Problem:
    """A file of the folder that cannot be opened as a workbook, saying what it looks like instead."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK"):
        found = f"a damaged .xlsx workbook ({_first_line(exc)})"
    elif not head.strip():
        found = "an empty file"
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            found = "a text file named .xlsx (saved as CSV or text?)"
        except UnicodeDecodeError:
            found = f"a file that is not an .xlsx workbook ({_first_line(exc)})"
    return Problem(shown(path), found=found, expected="the return as issued, saved as an Excel Workbook (.xlsx)")


def limits_for(lines: int, width: int) -> dict[str, tuple[int, int]]:
    """The rows and columns each sheet of a return of ``lines`` lines and ``width`` columns may use."""
    return {FORECAST_SHEET: (lines + 10, width), IDENTITY_SHEET: (10, 2)}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def explanation_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a period's explanations.csv (subject, about, text) as text; none without the file.
    Raises :class:`~finlib.errors.InputError` when it cannot be read."""
    if not path.is_file():
        return []
    problems = Problems()
    frame = read_kind(catalogue.EXPLANATIONS, path, problems)
    problems.raise_if_any()
    if frame is None:
        return []
    return [{c: str(row[c]) for c in ("subject", "about", "text")} for _, row in frame.iterrows()]
