"""Reading returned forecast workbooks: each ``.xlsx`` of a folder as the values of its cells
(:class:`finlib.core.returns.Sheets`), read with python-calamine, and the cells that hold a formula,
found in the workbook's sheet XML (a reader of values cannot tell a typed value from a formula's).

A file that is not an ``.xlsx`` workbook, or that cannot be opened, is a problem naming the file; a sheet
whose used area reaches far beyond the lines issued is named without being read cell by cell.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from finlib.core.returns import FORECAST_SHEET, IDENTITY_SHEET, SHEETS, Sheets, Value, ref
from finlib.errors import Problem, Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.period import read_kind

#: Other formats a return may have been saved in by mistake.
OTHER_WORKBOOKS = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".csv"}
#: Files of a returns folder that are not returns: what ``finlib returns issue`` writes beside them.
NOT_RETURNS = {"issued.csv"}
#: How far beyond the issued rows and columns a sheet's used area may reach and still be read.
SLACK_ROWS, SLACK_COLUMNS = 1000, 50

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


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

    ``None`` with a problem when the file cannot be read as a workbook.
    """
    file = shown(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError, Exception) as exc:  # python-calamine's errors for broken archives
        return None, [Problem(file, found=_first_line(exc), expected="an .xlsx workbook as issued by finlib")]
    problems: list[Problem] = []
    rows: dict[str, list[list[Value]]] = {}
    hidden = []
    try:
        for meta in book.sheets_metadata:
            if meta.name not in SHEETS:
                continue
            if meta.visible != SheetVisibleEnum.Visible:
                hidden.append(meta.name)
            sheet = book.get_sheet_by_name(meta.name)
            most_rows, most_columns = limits.get(meta.name, (SLACK_ROWS, SLACK_COLUMNS))
            end = sheet.end
            if end is not None and (end[0] >= most_rows + SLACK_ROWS or end[1] >= most_columns + SLACK_COLUMNS):
                problems.append(
                    Problem(
                        file,
                        sheet=meta.name,
                        cell=ref(end[0] + 1, end[1]),
                        found="a cell far beyond the lines issued",
                        expected="nothing outside the cells of the return as issued: clear it and save again",
                    )
                )
                continue
            rows[meta.name] = cast(list[list[Value]], sheet.to_python(skip_empty_area=False))
    except Exception as exc:  # a sheet that cannot be read
        return None, [Problem(file, found=_first_line(exc), expected="an .xlsx workbook as issued by finlib")]
    finally:
        book.close()
    try:
        formulas = {sheet: cells for sheet, cells in formula_cells(path).items() if sheet in SHEETS and cells}
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        return None, [Problem(file, found=_first_line(exc), expected="an .xlsx workbook as issued by finlib")]
    for name in hidden:
        problems.append(
            Problem(file, sheet=name, found="a hidden sheet", expected="every sheet of the return visible, as issued")
        )
    return Sheets(rows, formulas, tuple(hidden)), problems


def limits_for(lines: int, width: int) -> dict[str, tuple[int, int]]:
    """The rows and columns each sheet of a return of ``lines`` lines and ``width`` columns may use."""
    return {FORECAST_SHEET: (lines + 10, width), IDENTITY_SHEET: (10, 2)}


def formula_cells(path: Path) -> dict[str, list[str]]:
    """The cells holding a formula (``B12``), by sheet name, from the workbook's XML."""
    with zipfile.ZipFile(path) as archive:
        targets = _sheet_parts(archive)
        found: dict[str, list[str]] = {}
        for name, part in targets.items():
            if part not in archive.namelist():
                continue
            with archive.open(part) as handle:
                found[name] = list(_formulas(handle))
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → its part in the archive (``xl/worksheets/sheet2.xml``)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    by_id = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = by_id.get(sheet.get(f"{_DOC_RELS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = part
    return parts


def _formulas(handle: IO[bytes]) -> Iterator[str]:
    for _, element in ElementTree.iterparse(handle):
        if element.tag == f"{_MAIN}c":
            if element.find(f"{_MAIN}f") is not None:
                yield element.get("r", "")
            element.clear()


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
