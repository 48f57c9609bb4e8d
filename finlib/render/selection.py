"""The explorer's current selection written out: a CSV file per table and one workbook.

The tables are the explorer's own (:func:`finlib.report.explorer.selection_tables`), written by the
report's writers, so amounts are as printed and text from the data is neutralised against formulas
(:mod:`finlib.render.csv`, :mod:`finlib.render.xlsx`).  Postings are to the penny (£, 2 dp).
"""

from __future__ import annotations

from pathlib import Path

from finlib.config import slug
from finlib.render.csv import table_csv
from finlib.render.files import write_atomic
from finlib.render.xlsx import Title, write_tables_xlsx
from finlib.report.explorer import DrillDown, Exploration, selection_tables

#: Each table's sheet in the workbook (Excel allows 31 characters).
SHEETS = {
    "authority": "Position",
    "directorate": "Position",
    "lines": "Position",
    "history": "History",
    "largest": "Largest variances",
    "actuals": "Actuals",
    "unmapped": "Not mapped",
    "control": "Control totals",
    "methods": "Forecast methods",
    "method_lines": "Methods by line",
    "forecast_history": "Forecast history",
    "drill_centres": "Cost centres",
    "drill_postings": "Postings",
    "scenario": "What-if",
}


def stem(exploration: Exploration, drill: DrillDown | None) -> str:
    """The files' name: the selection and the period, and the line drilled into (``strategic-…-2017-07``)."""
    parts = [exploration.view.title, str(exploration.view.period), *([drill.line_id] if drill else [])]
    return slug(" ".join(parts))


def write_selection(exploration: Exploration, drill: DrillDown | None, folder: Path) -> list[Path]:
    """``<folder>/<stem>/<table>.csv`` for every table and ``<folder>/<stem>.xlsx``; the paths written."""
    name = stem(exploration, drill)
    tables = selection_tables(exploration, drill)
    written = []
    for table in tables:
        path = folder / name / f"{table.name}.csv"
        write_atomic(path, table_csv(table))
        written.append(path)
    title = Title(exploration.authority_name, f"{exploration.view.title}, {exploration.view.period.label}")
    sheets = [(SHEETS.get(t.name, t.name), t) for t in tables]
    written.append(write_tables_xlsx(title, sheets, folder / f"{name}.xlsx"))
    return written
