"""The XML of a workbook's sheets, read without laying out its cells: which sheets are hidden, which
cells hold a formula, which ranges are merged, and the first cell holding something far beyond where a
sheet's values may be.  A reader of values would lay out every cell up to a stray one at XFD1048576;
this scan answers in the time it takes to read the XML once.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from finlib.core.returns import column_index, ref

#: How far beyond the issued rows and columns a return's used area may reach and still be read.
SLACK_ROWS, SLACK_COLUMNS = 1000, 50
#: A sheet's states other than visible (``hidden`` or ``veryHidden``, which only a macro can show).
HIDDEN_STATES = ("hidden", "veryHidden")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass(frozen=True)
class SheetPart:
    """A sheet as the workbook lists it: its name, its part in the archive and its state."""

    name: str
    part: str
    state: str  # visible, hidden or veryHidden

    @property
    def hidden(self) -> bool:
        return self.state in HIDDEN_STATES


def sheets(path: Path) -> list[SheetPart]:
    """The workbook's sheets, in its order (the first sheet first)."""
    with zipfile.ZipFile(path) as archive:
        return _sheets(archive)


def _sheets(archive: zipfile.ZipFile) -> list[SheetPart]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    by_id = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    found = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = by_id.get(sheet.get(f"{_DOC_RELS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        found.append(SheetPart(sheet.get("name", ""), part, sheet.get("state", "visible")))
    return found


@dataclass(frozen=True)
class Scan:
    """What the XML of one sheet holds beyond its values."""

    formulas: list[str]  # the cells holding a formula (``B12``)
    far: str | None  # the first cell holding something far beyond the sheet's limits
    merged: list[str] = field(default_factory=list)  # the ranges of merged cells (``B3:C3``)


def scan_sheets(
    path: Path, limits: dict[str, tuple[int, int]] | None = None, slack: tuple[int, int] = (SLACK_ROWS, SLACK_COLUMNS)
) -> dict[str, Scan]:
    """Each sheet's :class:`Scan`, by sheet name, from the workbook's XML, in one pass per sheet.

    A cell counts only when it holds a value or a formula (a formatted blank cell is nothing).  A sheet
    may reach ``slack`` rows and columns (:data:`SLACK_ROWS`, :data:`SLACK_COLUMNS`) beyond its ``limits``.
    """
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        found: dict[str, Scan] = {}
        for sheet in _sheets(archive):
            if sheet.part not in names:
                continue
            most_rows, most_columns = (limits or {}).get(sheet.name, (0, 0))
            with archive.open(sheet.part) as handle:
                found[sheet.name] = _scan(handle, most_rows + slack[0], most_columns + slack[1])
    return found


_HOLDS = {f"{_MAIN}v", f"{_MAIN}is", f"{_MAIN}f"}
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _scan(handle: IO[bytes], rows: int, columns: int) -> Scan:
    """One sheet's formulas, first far cell and merged ranges; a row or cell without its ``r`` follows the
    one before."""
    formulas: list[str] = []
    far: str | None = None
    row_number, column = 0, -1
    merged: list[str] = []
    for event, element in ElementTree.iterparse(handle, events=("start", "end")):
        if event == "end" and element.tag == f"{_MAIN}mergeCell":
            merged.append(element.get("ref", ""))
            continue
        if event == "start":
            if element.tag == f"{_MAIN}row":
                given = element.get("r", "")
                row_number, column = (int(given) if given.isdigit() else row_number + 1), -1
            continue
        if element.tag != f"{_MAIN}c":
            continue
        at = element.get("r", "")
        matched = _REF.fullmatch(at)
        if matched:
            column, row_number = column_index(matched[1]), int(matched[2])
        else:
            column += 1
            at = ref(row_number, column)
        children = {child.tag for child in element}
        if f"{_MAIN}f" in children:
            formulas.append(at)
        if far is None and children & _HOLDS and (row_number > rows or column >= columns):
            far = at
        element.clear()
    return Scan(formulas, far, merged)
