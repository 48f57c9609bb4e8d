"""The report's tables as CSV, rounded as printed, blank where the report shows a blank.

Each file is one :class:`~finlib.report.model.Table` of the report model, its columns named as the
table's column spec says; text from data is neutralised against formulas (:mod:`finlib.render.safe`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from finlib.config import slug
from finlib.render.files import RESTRICTED_SUFFIX, write_atomic
from finlib.render.safe import neutral
from finlib.report.model import Report, Table, cell_text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text, ``\n`` after each, a field quoted where it must be.  A row holding a carriage
    return is quoted throughout: the csv module leaves a lone ``\r`` bare when rows end in ``\n``, and a
    reader would split the row there."""
    buffer = io.StringIO()
    plain = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in str(cell) for cell in row) else plain).writerow(row)
    return buffer.getvalue()


def table_csv(table: Table) -> str:
    """A table as CSV text: one column per column of its spec (the CSV names), amounts as printed."""
    cells = []  # a column at a time: amounts rounded as printed, text neutralised against formulas
    for column in table.columns:
        unit = column.unit
        if unit is not None:
            cells.append(unit.texts(table.frame[column.key]))
        else:
            cells.append([neutral(cell_text(value), table.trusted) for value in table.frame[column.key].tolist()])
    return csv_text([[c.csv_name for c in table.columns], *(list(row) for row in zip(*cells, strict=True))])


def table_files(report: Report, out: Path) -> dict[Path, str]:
    """``authority.csv``, ``directorates/<slug>.csv``, with a capital programme ``capital.csv``, and with
    a savings forecast ``savings.csv``; the officers' version's as ``authority.restricted.csv`` and so on,
    so that it never takes the place of a public file."""
    suffix = f"{RESTRICTED_SUFFIX}.csv" if report.restricted else ".csv"
    contents = {out / f"authority{suffix}": table_csv(report.authority.table)}
    for section in report.sections:
        contents[out / "directorates" / f"{slug(section.name)}{suffix}"] = table_csv(section.table)
    if report.capital_schemes is not None:
        contents[out / f"capital{suffix}"] = table_csv(report.capital_schemes)
    if report.savings is not None:
        contents[out / f"savings{suffix}"] = table_csv(report.savings.savings)
    return contents


def write_tables(report: Report, out: Path) -> list[Path]:
    """Write the report's tables as CSV files; return the paths written."""
    contents = table_files(report, out)
    for path, text in contents.items():
        write_atomic(path, text)
    return list(contents)


def write_working(report: Report, folder: Path, unassigned: Table | None = None) -> list[Path]:
    """The business partner's working output: explanations still needed, capital warnings, and the
    headings in no committee's remit (when there are committees)."""
    contents = {
        folder / "missing_explanations.csv": table_csv(report.missing_table),
        folder / "capital_warnings.csv": table_csv(report.warnings_table),
    }
    if unassigned is not None:
        contents[folder / "unassigned_headings.csv"] = table_csv(unassigned)
    for path, text in contents.items():
        write_atomic(path, text)
    return list(contents)
