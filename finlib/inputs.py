"""Reading a period's input files: every problem collected, then typed frames of exact amounts.

This is the only module that reads the data set's input files.  Each file is
read as text with the row numbers a spreadsheet shows (the header is row 1),
checked against its schema in :mod:`finlib.schemas`, then parsed: amounts into
pence, flags into booleans.  Problems from every file are gathered and raised
together as one :class:`~finlib.errors.InputError`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TypeVar

import openpyxl
import pandas as pd
import pandera.pandas as pa
import yaml

from finlib import schemas
from finlib.config import (
    FORECAST_METHODS,
    PERIOD_FILES,
    DataSet,
    Labels,
    Settings,
    Thresholds,
    financial_year,
    is_financial_year,
)
from finlib.errors import InputError, Problem, shown
from finlib.money import AMOUNT_EXPECTED, is_amount, parse_amount

ROW = "_row"  # column holding each record's row number in its file
T = TypeVar("T")


@dataclass
class PeriodInputs:
    """One period's inputs, checked and parsed.  Amounts are pence (``Int64``)."""

    period: str
    year: str
    settings: Settings
    budget_book: pd.DataFrame  # index line_id: directorate, division, heading, kind, tag, restricted
    forecasts: pd.DataFrame  # index line_id: net_budget, net_forecast_variance
    adjustments: pd.DataFrame  # line_id, amount, reason, author, date
    roll_forwards: pd.DataFrame | None  # category, amount, description, line_id; None: no file
    explanations: pd.DataFrame | None  # subject, about, text; None: no file
    files: dict[str, Path] = field(default_factory=dict)  # every file read, by role
    # The year's capital programme, in file order: _row, scheme_id, scheme, directorate, year, budget,
    # restricted.  None: the year has no capital programme (and so no capital section).
    capital_programme: pd.DataFrame | None = None
    # _row, scheme_id, year, real_variance, rephasing_variance (a blank cell is nil); None: no file
    capital_forecasts: pd.DataFrame | None = None
    # _row, scheme_id, year, source, amount; None: no file
    capital_funding: pd.DataFrame | None = None


# ---------------------------------------------------------------------------
# Reading one file


#: How far down a file a header row is looked for when the first row is not the header (title rows of an export).
HEADER_SEARCH_ROWS = 10
XLSX_EXPECTED = "an Excel workbook (.xlsx) whose first sheet holds the table, header in row 1"


def read_text_table(
    path: Path, problems: list[Problem], required: bool = True, columns: Collection[str] = ()
) -> pd.DataFrame | None:
    """Read a CSV, or an Excel workbook (``.xlsx``: its first sheet), with every cell as stripped text,
    headers normalised, index = row number.

    ``columns`` are the columns the file must have: when the first row lacks some of them, the file is
    compared with the header rows further down (a spreadsheet export's title rows) and with the
    headers of the other input files (the wrong file handed in).  Returns ``None`` (with a problem
    recorded when the file is required) when the file cannot be read as a table at all.
    """
    name = shown(path)
    if not path.is_file():
        if required:
            problems.append(Problem(name, found="no such file", expected="this file to exist"))
        return None
    merged: list[Problem] = []
    if path.suffix.lower() == ".xlsx":
        read = _xlsx_records(path, name, problems)
        records, merged = read if read is not None else (None, [])
    else:
        records = _csv_records(path, name, problems)
    if records is None:
        return None
    if not records:
        problems.append(Problem(name, found="an empty file", expected="a header row naming the columns"))
        return None
    if merged and _header_below(records, columns) is None:  # merged title cells above the header: that is said
        problems.extend(merged)
        return None
    return _text_frame(records, name, columns, problems)


Records = list[tuple[int, list[str]]]  # (row number in the file, stripped cells) of each non-blank row


def _csv_records(path: Path, name: str, problems: list[Problem]) -> Records | None:
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(
            Problem(
                name, row=1, found="UTF-16 text (saved as Unicode Text)", expected="UTF-8 text (save as 'CSV UTF-8')"
            )
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, row=line, found=f"byte 0x{raw[exc.start]:02x}", expected="UTF-8 text (save as 'CSV UTF-8')")
        )
        return None
    records: Records = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        start = 1
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(name, row=reader.line_num, found=str(exc), expected="well-formed CSV"))
        return None
    return records


def _xlsx_records(path: Path, name: str, problems: list[Problem]) -> tuple[Records, list[Problem]] | None:
    """The first sheet of a workbook as text rows (numbers written exactly, dates ``YYYY-MM-DD``) and a
    problem for each range of merged cells; ``None`` when it cannot be read or a formula has no saved value.
    """
    try:
        values = openpyxl.load_workbook(path, read_only=False, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=False, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a file that is not a workbook
        problems.append(Problem(name, found=_not_a_workbook(path, exc), expected=XLSX_EXPECTED))
        return None
    if not values.worksheets:
        problems.append(Problem(name, found="a workbook without a worksheet", expected=XLSX_EXPECTED))
        return None
    sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
    header = [_cell_text(cell.value) for cell in next(sheet.iter_rows(min_row=1, max_row=1), ())]
    before = len(problems)
    merges: list[Problem] = []
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        column = header[merged.min_col - 1].lower() if merged.min_row > 1 and merged.min_col <= len(header) else None
        merges.append(
            Problem(
                name,
                row=merged.min_row,
                column=column or None,
                found=f"merged cells {merged.coord}",
                expected="one value per cell (unmerge the cells and fill each one)",
            )
        )
    records: Records = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            formula = formula_sheet.cell(row=cell.row, column=cell.column).value
            if value is None and _is_formula(formula):
                column = header[cell.column - 1].lower() if cell.row > 1 and cell.column <= len(header) else None
                problems.append(
                    Problem(
                        name,
                        row=cell.row,
                        column=column or cell.coordinate,
                        found=f"formula {_formula_text(formula)} without a saved value",
                        expected="a value (open the workbook in Excel and save it, or paste the values)",
                    )
                )
            cells.append(_cell_text(value))
        if any(cells):
            records.append((row[0].row, cells))
    return None if len(problems) > before else (records, merges)


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


def _text_frame(records: Records, name: str, expected: Collection[str], problems: list[Problem]) -> pd.DataFrame | None:
    (header_row, header), body = records[0], records[1:]
    columns = [h.strip().lower() for h in header]
    missing = [c for c in expected if c not in columns]
    if missing:
        number = _header_below(records, expected)
        if number is not None:
            problems.append(
                Problem(
                    name,
                    row=header_row,
                    found=_shorten(", ".join(c for c in header if c)),
                    expected=f"the header row must be the first row; found it at row {number} "
                    "(delete the rows above it)",
                )
            )
            return None
        if _other_file(columns, expected, name, problems):
            for column in missing:
                problems.append(Problem(name, row=1, column=column, found="no such column", expected="this column"))
            return None  # its rows mean something else: checking them would only add noise
    seen: set[str] = set()
    for col in columns:
        if col in seen and col:
            problems.append(
                Problem(name, row=header_row, column=col, found="the column twice", expected="each column once")
            )
        seen.add(col)
    if len(seen - {""}) != len([c for c in columns if c]):
        return None
    named = [i for i, col in enumerate(columns) if col]  # a column without a name is an unknown column: ignored
    rows = []
    for number, cells in body:
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            problems.append(
                Problem(
                    name,
                    row=number,
                    found=f"{len(cells)} cells",
                    expected=f"at most {len(columns)} cells, one per column of the header",
                )
            )
        padded = (cells + [""] * len(columns))[: len(columns)]
        rows.append([padded[i] for i in named])
    frame = pd.DataFrame(
        rows,
        columns=[columns[i] for i in named],
        index=pd.Index([n for n, _ in body], dtype="int64"),
        dtype="str",
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


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _other_file(columns: list[str], expected: Collection[str], name: str, problems: list[Problem]) -> bool:
    """When a file lacks its columns but has all those of another input file, say so (the wrong file
    handed in) and return True."""
    own = set(expected)
    for other, required in sorted(schemas.FILE_COLUMNS.items(), key=lambda item: -len(item[1])):
        if set(required) != own and set(required) <= set(columns):
            problems.append(
                Problem(
                    name,
                    row=1,
                    found=f"the header of {other}: " + ", ".join(c for c in columns if c),
                    expected=f"the header of {Path(name).name}: " + ", ".join(expected) + " (is this the right file?)",
                )
            )
            return True
    return False


def check_schema(frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str, problems: list[Problem]) -> bool:
    """Check a text frame against its schema; record every failure. True when clean."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples(index=False):
            if case.check == "column_in_dataframe":
                problems.append(
                    Problem(name, row=1, column=str(case.failure_case), found="no such column", expected="this column")
                )
            elif case.index is not None and not pd.isna(case.index):
                problems.append(
                    Problem(
                        name, row=int(case.index), column=case.column, found=str(case.failure_case), expected=case.check
                    )
                )
            else:
                problems.append(Problem(name, column=case.column, expected=str(case.check)))
        return False
    return True


def read_checked(
    path: Path, schema: pa.DataFrameSchema, problems: list[Problem], required: bool = True
) -> pd.DataFrame | None:
    """Read a file and check it against its schema.

    The text frame is returned even when cells have problems, so that checks
    across files still run; ``None`` only when the file cannot be read as a table.
    """
    required_columns = [column for column, spec in schema.columns.items() if spec.required]
    frame = read_text_table(path, problems, required, required_columns)
    if frame is None:
        return None
    for column in schema.columns:
        if column not in frame.columns and not schema.columns[column].required:
            frame[column] = ""
    check_schema(frame, schema, shown(path), problems)
    return frame


def amounts(values: pd.Series) -> pd.Series:
    """Text amounts (already checked) as pence; blank text becomes a blank cell."""
    pence = [None if v == "" else parse_amount(v) for v in values]
    return pd.Series(pd.array(pence, dtype="Int64"), index=values.index, name=values.name)


# ---------------------------------------------------------------------------
# authority.yaml


def read_settings(data: DataSet, problems: list[Problem]) -> Settings:
    path = data.authority_file
    name = shown(path)
    if not path.is_file():
        problems.append(Problem(name, found="no such file", expected="authority.yaml with the authority's name"))
        return Settings()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, row=line, found=f"byte 0x{raw[exc.start]:02x}", expected="UTF-8 text"))
        return Settings()
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(name, found=str(exc).splitlines()[0], expected="valid YAML"))
        return Settings()
    if not isinstance(doc, dict):
        found = f"{'text' if isinstance(doc, str) else type(doc).__name__}, not settings: {_shorten(str(doc), 60)}"
        problems.append(
            Problem(name, found=found, expected="a mapping with name, thresholds, labels ('key: value' lines)")
        )
        return Settings()
    settings = Settings()
    for key in sorted(set(doc) - {"name", "thresholds", "labels", "forecast_method"}, key=str):
        problems.append(
            Problem(
                name,
                column=str(key),
                found="an unknown setting",
                expected="name, thresholds, labels or forecast_method",
            )
        )
    if "forecast_method" in doc:
        method = doc["forecast_method"]
        if method not in FORECAST_METHODS:
            expected = "the default forecast method, one of: " + ", ".join(FORECAST_METHODS)
            problems.append(Problem(name, column="forecast_method", found=repr(method), expected=expected))
        else:
            settings = replace(settings, forecast_method=method)
    if "name" in doc:
        if not isinstance(doc["name"], str) or not doc["name"].strip():
            problems.append(Problem(name, column="name", found=repr(doc["name"]), expected="the authority's name"))
        else:
            settings = replace(settings, name=doc["name"].strip())
    thresholds = _section(doc, "thresholds", Thresholds(), name, problems, _threshold)
    labels = _section(doc, "labels", Labels(), name, problems, _label)
    return replace(settings, thresholds=thresholds, labels=labels)


def _threshold(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        if value < 0:
            raise ValueError
        return value * 100
    pence = parse_amount(str(value))
    if pence < 0:
        raise ValueError
    return pence


def _label(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    try:
        value.format(directorate="")  # the one placeholder a label may hold (subtotal)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError from exc
    return value


def _section(
    doc: dict, key: str, default: T, name: str, problems: list[Problem], convert: Callable[[object], object]
) -> T:
    section = doc.get(key) or {}
    if not isinstance(section, dict):
        problems.append(Problem(name, column=key, found=repr(section), expected="a mapping"))
        return default
    known = {f.name for f in fields(default)}  # type: ignore[arg-type]
    values = {}
    for item, value in section.items():
        where = f"{key}.{item}"
        if item not in known:
            problems.append(Problem(name, column=where, found="an unknown setting", expected=", ".join(sorted(known))))
            continue
        try:
            values[item] = convert(value)
        except ValueError:
            expected = "a non-negative amount in pounds"
            if key != "thresholds":
                expected = "non-blank text; {directorate} the only placeholder"
            problems.append(Problem(name, column=where, found=str(value), expected=expected))
    return replace(default, **values)  # type: ignore[type-var]


# ---------------------------------------------------------------------------
# A period


def load_period(data: DataSet | Path | str, period: str) -> PeriodInputs:
    """Read and check every input of one period; raise :class:`InputError` listing every problem."""
    data = data if isinstance(data, DataSet) else DataSet(Path(data))
    year = financial_year(period)
    problems: list[Problem] = []
    settings = read_settings(data, problems)
    period_dir = data.period_dir(period)
    _check_period_folders(data, year, problems)
    if not period_dir.is_dir():
        problems.append(_missing_period_folder(data, period))
        raise InputError(problems)
    files = {
        "authority": data.authority_file,
        "budget_book": data.budget_book(year),
        "capital_programme": data.capital_programme(year),
    }
    files.update({role: find_period_input(data, period, role, problems) for role in PERIOD_FILES})
    book = read_checked(files["budget_book"], schemas.BUDGET_BOOK, problems)
    forecasts = _forecasts(files["forecasts"], problems)
    adjustments = read_checked(files["adjustments"], schemas.ADJUSTMENTS, problems, required=False)
    roll_forwards = read_checked(files["roll_forwards"], schemas.ROLL_FORWARDS, problems, required=False)
    explanations = read_checked(files["explanations"], schemas.EXPLANATIONS, problems, required=False)
    programme = read_checked(files["capital_programme"], schemas.CAPITAL_PROGRAMME, problems, required=False)
    capital_forecasts = read_checked(files["capital_forecasts"], schemas.CAPITAL_FORECASTS, problems, required=False)
    capital_funding = read_checked(files["capital_funding"], schemas.CAPITAL_FUNDING, problems, required=False)
    schemes = _scheme_ids(programme)
    if book is not None and {"line_id", "heading", "tag"} <= set(book.columns):
        _check_against_book(book, files, forecasts, adjustments, roll_forwards, explanations, schemes, problems)
    _check_capital(book, year, files, programme, capital_forecasts, capital_funding, problems)
    if problems:
        raise InputError(problems)
    assert book is not None and forecasts is not None
    return PeriodInputs(
        period=period,
        year=year,
        settings=settings,
        budget_book=_budget_book(book),
        forecasts=_parsed_forecasts(forecasts),
        adjustments=_adjustments(adjustments),
        roll_forwards=_roll_forwards(roll_forwards),
        explanations=_explanations(explanations),
        files={role: path for role, path in files.items() if path.is_file()},
        capital_programme=_capital_programme(programme),
        capital_forecasts=_capital_forecasts(capital_forecasts),
        capital_funding=_capital_funding(capital_funding),
    )


def find_period_input(data: DataSet, period: str, role: str, problems: list[Problem]) -> Path:
    """The file of a period's input ``role`` to read: its CSV, or (forecasts, adjustments) its ``.xlsx``.

    Both present is a problem (the CSV is returned, so that its own problems are listed too); neither
    gives the CSV's path, which the reader reports missing when the file is required.
    """
    candidates = data.period_input_candidates(period, role)
    present = [path for path in candidates if path.is_file()]
    if len(present) > 1:
        problems.append(
            Problem(
                shown(data.period_dir(period)),
                found="both " + " and ".join(path.name for path in present),
                expected=f"exactly one file of {role}: " + " or ".join(path.name for path in candidates),
            )
        )
    return present[0] if present else candidates[0]


def _check_period_folders(data: DataSet, year: str, problems: list[Problem]) -> None:
    """Every period folder in a year's folder belongs to that year (April to March)."""
    folder = data.year_dir(year)
    if not folder.is_dir():
        return
    for child in sorted(folder.iterdir()):
        if child.is_dir() and _PERIOD_NAME.match(child.name) and financial_year(child.name) != year:
            belongs = financial_year(child.name)
            problems.append(
                Problem(
                    shown(child),
                    found=f"the folder of period {child.name} in the folder of {year}",
                    expected=f"{child.name} in the folder of its financial year {belongs} (April to March): "
                    f"{shown(data.period_dir(child.name))}",
                )
            )


def _missing_period_folder(data: DataSet, period: str) -> Problem:
    """No folder for the period: say where one was put instead, when it is in another year's folder."""
    folder = data.period_dir(period)
    candidates = [data.root / period, *(p for p in data.root.glob(f"*/{period}") if is_financial_year(p.parent.name))]
    elsewhere = sorted(p for p in candidates if p.is_dir() and p != folder)
    expected = f"the folder of period {period}"
    if elsewhere:
        where = ", ".join(shown(p) for p in elsewhere)
        expected += f" (found at {where}: period {period} belongs to {financial_year(period)}, so move it here)"
    return Problem(shown(folder), found="no such folder", expected=expected)


_PERIOD_NAME = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _check_against_book(
    book: pd.DataFrame,
    files: dict[str, Path],
    forecasts: pd.DataFrame | None,
    adjustments: pd.DataFrame | None,
    roll_forwards: pd.DataFrame | None,
    explanations: pd.DataFrame | None,
    schemes: set[str] | None,
    problems: list[Problem],
) -> None:
    """Checks across files: every line_id known, every budget line forecast, every subject known.

    ``schemes`` are the scheme_ids of the year's capital programme (``None``: the year has none),
    which are the subjects of capital explanations.
    """
    known = set(book["line_id"])
    if forecasts is not None and "line_id" in forecasts.columns:
        _check_lines(forecasts, files["forecasts"], known, problems, "a line_id of the budget book")
        missing = book[~book["line_id"].isin(forecasts["line_id"]) & book["line_id"].ne("")]
        for book_row, line_id in missing["line_id"].items():
            problems.append(
                Problem(
                    shown(files["forecasts"]),
                    column="line_id",
                    found=f"no row for {line_id}",
                    expected=f"one row for every budget line (budget_book.csv row {book_row})",
                )
            )
    if adjustments is not None and "line_id" in adjustments.columns:
        _check_lines(adjustments, files["adjustments"], known, problems, "a line_id of the budget book")
    if roll_forwards is not None and "line_id" in roll_forwards.columns:
        with_line = roll_forwards[roll_forwards["line_id"] != ""]
        _check_lines(with_line, files["roll_forwards"], known, problems, "blank or a line_id of the budget book")
    if explanations is not None and {"subject", "about"} <= set(explanations.columns):
        subjects = set(book["heading"]) | (set(book["tag"]) - {""})
        revenue = explanations[explanations["about"].str.lower().isin(("variance", "movement"))]
        for row, subject in revenue["subject"].items():
            if subject and subject not in subjects:
                problems.append(
                    Problem(
                        shown(files["explanations"]),
                        row=_row(row),
                        column="subject",
                        found=subject,
                        expected="a Budget Book Heading or tag of this year",
                    )
                )
        capital = explanations[explanations["about"].str.lower().eq("capital")]
        if schemes is None and files["capital_programme"].is_file():
            capital = capital.iloc[0:0]  # the programme could not be read (its problem is listed): no subjects known
        for row, subject in capital["subject"].items():
            if subject and subject not in (schemes or set()):
                problems.append(
                    Problem(
                        shown(files["explanations"]),
                        row=_row(row),
                        column="subject",
                        found=subject,
                        expected=(
                            "a scheme_id of capital_programme.csv"
                            if schemes is not None
                            else "a scheme_id of capital_programme.csv (this year has no capital programme)"
                        ),
                    )
                )


def _scheme_ids(programme: pd.DataFrame | None) -> set[str] | None:
    """The scheme_ids of a capital programme as read; ``None`` when there is no programme."""
    if programme is None:
        return None
    if "scheme_id" not in programme.columns:
        return set()
    return set(programme["scheme_id"]) - {""}


def _check_capital(
    book: pd.DataFrame | None,
    year: str,
    files: dict[str, Path],
    programme: pd.DataFrame | None,
    forecasts: pd.DataFrame | None,
    funding: pd.DataFrame | None,
    problems: list[Problem],
) -> None:
    """Checks across capital rows and files.

    The programme: one row per scheme and year, one name, directorate and restriction per scheme_id,
    directorates of the budget book.  The forecasts: variances of known schemes, in the scheme's
    programme years, from this year on, one row per scheme and year.  The funding: only for a scheme
    and year with a real variance.  Forecasts or funding without a programme are a problem.
    """
    if programme is None:
        if not files["capital_programme"].is_file():
            for role, frame in (("capital_forecasts", forecasts), ("capital_funding", funding)):
                if frame is not None:
                    problems.append(
                        Problem(
                            shown(files[role]),
                            found=f"{files[role].name} but no capital programme",
                            expected=f"{shown(files['capital_programme'])} listing the year's capital schemes",
                        )
                    )
        return
    name = shown(files["capital_programme"])
    columns = set(programme.columns)
    if {"scheme_id", "year"} <= columns:
        _check_one_row_per_scheme_year(programme, name, problems)
    if "scheme_id" in columns:
        for column in ("scheme", "directorate", "restricted"):
            if column in columns:
                _check_same_per_scheme(programme, column, name, problems)
    if book is not None and "directorate" in book.columns and "directorate" in columns:
        known = list(dict.fromkeys(d for d in book["directorate"] if d))
        for row, directorate in programme["directorate"].items():
            if directorate and directorate not in known:
                problems.append(
                    Problem(
                        name,
                        row=_row(row),
                        column="directorate",
                        found=directorate,
                        expected="a directorate of budget_book.csv: " + "; ".join(known),
                    )
                )
    if not {"scheme_id", "year"} <= columns:
        return
    years: dict[str, set[str]] = {}
    for scheme_id, scheme_year in zip(programme["scheme_id"], programme["year"], strict=True):
        if scheme_id and is_financial_year(scheme_year):
            years.setdefault(scheme_id, set()).add(scheme_year)
    real: set[tuple[str, str]] = set()  # scheme-years with a real variance
    unsure: set[tuple[str, str]] = set()  # scheme-years whose real variance could not be read
    if forecasts is not None and {"scheme_id", "year"} <= set(forecasts.columns):
        path = shown(files["capital_forecasts"])
        _check_one_row_per_scheme_year(forecasts, path, problems)
        for row, scheme_id, scheme_year in zip(forecasts.index, forecasts["scheme_id"], forecasts["year"], strict=True):
            if not scheme_id:
                continue
            if scheme_id not in years:
                problems.append(
                    Problem(
                        path,
                        row=_row(row),
                        column="scheme_id",
                        found=scheme_id,
                        expected="a scheme_id of capital_programme.csv",
                    )
                )
            elif is_financial_year(scheme_year) and scheme_year not in years[scheme_id]:
                problems.append(
                    Problem(
                        path,
                        row=_row(row),
                        column="year",
                        found=scheme_year,
                        expected=f"a year of {scheme_id} in capital_programme.csv: "
                        + ", ".join(sorted(years[scheme_id])),
                    )
                )
            elif is_financial_year(scheme_year) and scheme_year < year:
                problems.append(
                    Problem(
                        path,
                        row=_row(row),
                        column="year",
                        found=scheme_year,
                        expected=f"the current financial year {year} or a later one",
                    )
                )
        if "real_variance" in forecasts.columns:
            for scheme_id, scheme_year, text in zip(
                forecasts["scheme_id"], forecasts["year"], forecasts["real_variance"], strict=True
            ):
                if not is_amount(text) and text != "":
                    unsure.add((scheme_id, scheme_year))
                elif text != "" and parse_amount(text) != 0:
                    real.add((scheme_id, scheme_year))
    unreadable = forecasts is None and files["capital_forecasts"].is_file()  # its problem is listed already
    if funding is not None and {"scheme_id", "year"} <= set(funding.columns) and not unreadable:
        path = shown(files["capital_funding"])
        for row, scheme_id, scheme_year in zip(funding.index, funding["scheme_id"], funding["year"], strict=True):
            key = (scheme_id, scheme_year)
            if not scheme_id or not is_financial_year(scheme_year) or key in real or key in unsure:
                continue
            if scheme_id not in years:
                problems.append(
                    Problem(
                        path,
                        row=_row(row),
                        column="scheme_id",
                        found=scheme_id,
                        expected="a scheme_id of capital_programme.csv with a real variance in capital_forecasts.csv",
                    )
                )
            else:
                problems.append(
                    Problem(
                        path,
                        row=_row(row),
                        column="year",
                        found=scheme_year,
                        expected=f"a year in which {scheme_id} has a real variance in capital_forecasts.csv",
                    )
                )


def _check_one_row_per_scheme_year(frame: pd.DataFrame, name: str, problems: list[Problem]) -> None:
    keyed = frame[frame["scheme_id"].ne("") & frame["year"].ne("")]
    repeated = keyed[keyed.duplicated(["scheme_id", "year"], keep=False)]
    for row, scheme_id, scheme_year in zip(repeated.index, repeated["scheme_id"], repeated["year"], strict=True):
        same = repeated[repeated["scheme_id"].eq(scheme_id) & repeated["year"].eq(scheme_year)]
        others = ", ".join(str(_row(r)) for r in same.index if r != row)
        problems.append(
            Problem(
                name,
                row=_row(row),
                column="year",
                found=scheme_year,
                expected=f"one row per scheme and year ({scheme_id} {scheme_year} is also on row {others})",
            )
        )


def _check_same_per_scheme(programme: pd.DataFrame, column: str, name: str, problems: list[Problem]) -> None:
    """Every row of a scheme_id gives the same ``column`` as its first row."""
    first: dict[str, tuple[int, str]] = {}
    for row, scheme_id, value in zip(programme.index, programme["scheme_id"], programme[column], strict=True):
        if not scheme_id:
            continue
        compared = value.lower() if column == "restricted" else value
        if scheme_id not in first:
            first[scheme_id] = (_row(row), compared)
            continue
        first_row, first_value = first[scheme_id]
        if compared != first_value:
            problems.append(
                Problem(
                    name,
                    row=_row(row),
                    column=column,
                    found=value,
                    expected=f"{first_value!r} as on row {first_row}: one {column} for every row of {scheme_id}",
                )
            )


def _check_lines(frame: pd.DataFrame, path: Path, known: set[str], problems: list[Problem], expected: str) -> None:
    for row, line_id in frame["line_id"].items():
        if line_id and line_id not in known:
            problems.append(Problem(shown(path), row=_row(row), column="line_id", found=line_id, expected=expected))


def _forecasts(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """forecasts.csv (or .xlsx) as text, with exactly one of the variance and outturn columns checked."""
    frame = read_text_table(path, problems, columns=("line_id", "net_budget"))
    if frame is None:
        return None
    present = [c for c in ("net_forecast_variance", "net_forecast_outturn") if c in frame.columns]
    if len(present) != 1:
        problems.append(
            Problem(
                shown(path),
                row=1,
                column=" and ".join(present) or "net_forecast_variance",
                found="both columns" if present else "neither column",
                expected="exactly one of net_forecast_variance or net_forecast_outturn",
            )
        )
    for column in ("net_forecast_variance", "net_forecast_outturn"):
        if column not in frame.columns:
            frame[column] = ""
    if len(present) == 1:
        for row, value in frame[present[0]].items():
            if value == "":
                problems.append(
                    Problem(shown(path), row=_row(row), column=present[0], found="", expected=AMOUNT_EXPECTED)
                )
    check_schema(frame, schemas.FORECASTS, shown(path), problems)
    return frame


def _budget_book(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["kind"] = frame["kind"].str.lower().replace("", "service")
    frame["restricted"] = frame["restricted"].str.lower().eq("true")
    return frame.reset_index().set_index("line_id")


def _parsed_forecasts(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["net_budget"] = amounts(frame["net_budget"])
    if (frame["net_forecast_outturn"] != "").any():
        frame["net_forecast_variance"] = amounts(frame["net_forecast_outturn"]) - frame["net_budget"]
    else:
        frame["net_forecast_variance"] = amounts(frame["net_forecast_variance"])
    return frame.reset_index().set_index("line_id")[["net_budget", "net_forecast_variance", ROW]]


def _adjustments(frame: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["line_id", "amount", "reason", "author", "date"]
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "amount" else "str") for c in columns})
    frame = frame[columns].copy()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()


def _roll_forwards(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame[["category", "amount", "description", "line_id"]].copy()
    frame["category"] = frame["category"].str.lower()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()


def _explanations(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame[["subject", "about", "text"]].copy()
    frame["about"] = frame["about"].str.lower()
    return frame.reset_index()


def _capital_programme(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame[["scheme_id", "scheme", "directorate", "year", "budget", "restricted"]].copy()
    frame["budget"] = amounts(frame["budget"])
    frame["restricted"] = frame["restricted"].str.lower().eq("true")
    return frame.reset_index()


def _capital_forecasts(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame[["scheme_id", "year", "real_variance", "rephasing_variance"]].copy()
    for column in ("real_variance", "rephasing_variance"):
        frame[column] = amounts(frame[column]).fillna(0)
    return frame.reset_index()


def _capital_funding(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    frame = frame[["scheme_id", "year", "source", "amount"]].copy()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()


def _row(label: object) -> int:
    """A frame's index label as the row number it is (the index holds row numbers)."""
    return int(str(label))


# ---------------------------------------------------------------------------
# The ledger's cost centres, forecast method choices and scenarios (the extract itself: finlib.ledger)


def read_budget_book(data: DataSet, year: str, problems: list[Problem]) -> pd.DataFrame | None:
    """The year's budget book, checked and parsed (index line_id); ``None`` when it has problems."""
    before = len(problems)
    frame = read_checked(data.budget_book(year), schemas.BUDGET_BOOK, problems)
    if frame is None or len(problems) > before:
        return None
    return _budget_book(frame)


def read_cost_centres(
    data: DataSet, year: str, book: pd.DataFrame | None, problems: list[Problem]
) -> pd.DataFrame | None:
    """``cost_centres.csv``: each cost centre of the ledger and the budget line it belongs to.

    Returns a frame indexed by cost_centre (line_id, description, _row), or ``None`` when it has problems.
    """
    path = data.cost_centres(year)
    before = len(problems)
    frame = read_checked(path, schemas.COST_CENTRES, problems)
    if frame is None:
        return None
    if book is not None and "line_id" in frame.columns:
        _check_lines(frame, path, set(book.index), problems, "a line_id of budget_book.csv")
    if len(problems) > before:
        return None
    return frame.reset_index().set_index("cost_centre")[["line_id", "description", ROW]]


def read_forecast_methods(
    data: DataSet, year: str, book: pd.DataFrame | None, problems: list[Problem]
) -> dict[str, str]:
    """``forecast_methods.csv`` (optional): the lines that use another method than authority.yaml's default."""
    path = data.forecast_methods(year)
    before = len(problems)
    frame = read_checked(path, schemas.FORECAST_METHOD_CHOICES, problems, required=False)
    if frame is None:
        return {}
    if book is not None and "line_id" in frame.columns:
        _check_lines(frame, path, set(book.index), problems, "a line_id of budget_book.csv")
    if len(problems) > before:
        return {}
    return dict(zip(frame["line_id"], frame["method"].str.lower(), strict=True))


SELECTION = ("directorate", "division", "heading")


def load_scenario(path: Path, book: pd.DataFrame) -> pd.DataFrame:
    """A what-if scenario file, checked against the budget lines; raise :class:`InputError` listing every problem.

    ``book`` holds the lines' structure (directorate, division, heading), as a budget book or a
    position's lines.  Returns, in file order: _row, label, kind, directorate, division, heading and
    amount (pence; blank for an assumption that a unit balances).
    """
    problems: list[Problem] = []
    frame = read_checked(path, schemas.SCENARIO, problems)
    if frame is None:
        raise InputError(problems)
    name = shown(path)
    if {"kind", "amount", *SELECTION} <= set(frame.columns):
        for row, record in frame.iterrows():
            _check_assumption(record, _row(row), book, name, problems)
    if problems:
        raise InputError(problems)
    frame = frame[["label", "kind", *SELECTION, "amount"]].copy()
    frame["kind"] = frame["kind"].str.lower()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()


def _check_assumption(record: pd.Series, row: int, book: pd.DataFrame, name: str, problems: list[Problem]) -> None:
    kind = str(record["kind"]).lower()
    if kind == "balances" and record["amount"] != "":
        problems.append(
            Problem(
                name,
                row=row,
                column="amount",
                found=record["amount"],
                expected="blank: a unit that balances has no stated amount (use kind 'amount' to state one)",
            )
        )
    if kind == "amount" and record["amount"] == "":
        problems.append(Problem(name, row=row, column="amount", found="", expected=AMOUNT_EXPECTED))
    given = [column for column in SELECTION if record[column] != ""]
    if kind == "balances" and not given:
        problems.append(
            Problem(
                name,
                row=row,
                column="directorate",
                found="",
                expected="the unit that balances: a directorate, a division or a heading (at least one of them)",
            )
        )
    chosen = book
    for column in given:
        narrowed = chosen[chosen[column] == record[column]]
        if narrowed.empty:
            within = " of " + " - ".join(record[c] for c in SELECTION[: SELECTION.index(column)] if record[c] != "")
            known = "; ".join(dict.fromkeys(v for v in chosen[column] if v))
            problems.append(
                Problem(
                    name,
                    row=row,
                    column=column,
                    found=record[column],
                    expected=f"a {column} of budget_book.csv{within if within != ' of ' else ''}: {known}",
                )
            )
            return
        chosen = narrowed


def read_net_budgets(
    data: DataSet, period: str, book: pd.DataFrame | None, problems: list[Problem]
) -> pd.Series | None:
    """Each line's net budget in a period's ``forecasts.csv``, checked as :func:`load_period` checks that file
    (without reading the period's other files); ``None`` when it has problems."""
    before = len(problems)
    path = find_period_input(data, period, "forecasts", problems)
    frame = _forecasts(path, problems)
    if frame is not None and book is not None:
        text_book = book.reset_index().set_index(ROW)
        _check_against_book(text_book, {"forecasts": path}, frame, None, None, None, None, problems)
    if frame is None or len(problems) > before:
        return None
    return _parsed_forecasts(frame)["net_budget"]
