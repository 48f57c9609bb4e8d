"""Reading the general ledger: a year's extract reduced to actuals by budget line and month.

This module is the only reader of a ledger extract: a year's ``<FY>/ledger.csv`` or
``<FY>/ledger.parquet`` is scanned by DuckDB (columnar, never row by row in Python) and reduced in one
pass to a total per month and cost centre, with the engine's own totals per month and for the whole
file as control totals.  The rest is small tables in pandas:

- ``cost_centres.csv`` maps each cost centre to a budget line; rows whose cost centre maps to no line
  go to the *unmapped* bucket, which is reported with its total and never dropped;
- the control totals reconcile to the penny: for every month, actuals by line + unmapped = the
  extract's total, or :class:`ReconciliationError` is raised;
- amounts are whole pence from the moment they are read (``BIGINT`` in DuckDB, ``Int64`` in pandas):
  a text amount is parsed exactly, a DECIMAL is scaled exactly, and a floating-point amount is accepted
  only where it is a whole number of pence; nothing sums floats;
- problems (missing columns, a period outside the year, an amount that is not to the penny, a month
  with no rows) are collected and raised together as :class:`~finlib.errors.InputError`, each with
  file, row, column, what was found and what was expected.

The tables built from the actuals are :mod:`finlib.core.actuals`'.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from finlib.config import DataSet
from finlib.core import revenue
from finlib.core.actuals import BLANK_CENTRE, YTD, Actuals, budget_vs_actual
from finlib.core.period import FinancialYear, Period
from finlib.errors import FinlibError, Problem, Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.analysis import read_budget_book, read_cost_centres, read_net_budgets
from finlib.money import AMOUNT_EXPECTED

if TYPE_CHECKING:
    import duckdb

REQUIRED = ("period", "cost_centre", "account", "amount")
#: Rows listed for each kind of problem in a ledger before the rest are counted in one message.
PROBLEMS_LISTED = 20

# Text amounts as the data contract writes them (money.parse_amount), in DuckDB's regular expressions.
_PLAIN = r"^-? *£? *([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?$"
_BRACKETED = r"^\( *£? *([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})? *\)$"


class ReconciliationError(FinlibError):
    """Actuals by line plus unmapped do not add up to the extract's total: a fault in finlib, not the data."""


# ---------------------------------------------------------------------------
# Reading


def candidates(data: DataSet, year: FinancialYear) -> list[Path]:
    """Where a year's extract may be: ``ledger.csv``, ``ledger.parquet`` or a ``ledger/`` folder of parts."""
    return catalogue.LEDGER.candidates(data, year.periods()[0])


@dataclass(frozen=True)
class Extract:
    """A year's ledger extract as one source: a single file, or every part of a ``ledger/`` folder.

    A folder holds the year in parts of one format, ``*.csv`` or ``*.parquet`` at any depth (one file a
    month as the finance system exports them, or any other split); DuckDB reads the parts as one table,
    so a year in twelve files costs one query, as does ``<data>/*/ledger/*.parquet`` for years of history.
    Messages name the part and its own row numbers.
    """

    path: Path
    parts: tuple[Path, ...]


def ledger_file(data: DataSet, year: FinancialYear, problems: Problems) -> Extract | None:
    """The year's extract: ``ledger.csv``, ``ledger.parquet`` or ``ledger/``; a problem when there is none,
    more than one, or a folder with no parts or parts of both formats."""
    csv_file, parquet_file, folder = candidates(data, year)
    found = [path for path in (csv_file, parquet_file) if path.is_file()] + ([folder] if folder.is_dir() else [])
    if len(found) != 1:
        names = [f"{p.name}/" if p == folder else p.name for p in found]
        problems.at(data.year_dir(year)).add(
            found=(("both " if len(names) == 2 else "") + ", ".join(names[:-1]) + " and " + names[-1])
            if found
            else f"no {csv_file.name}, {parquet_file.name} or {folder.name}/ folder",
            expected=f"the general-ledger extract of {year}: one of ledger.csv, ledger.parquet or a ledger/ folder "
            "of its parts",
        )
        return None
    if found[0] != folder:
        return Extract(found[0], (found[0],))
    parts = {suffix: sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file()) for suffix in (".csv", ".parquet")}
    if bool(parts[".csv"]) == bool(parts[".parquet"]):
        problems.at(folder).add(
            found="both .csv and .parquet files" if parts[".csv"] else "no .csv or .parquet file",
            expected="the year's extract in parts of one format: .csv files or .parquet files",
        )
        return None
    return Extract(folder, tuple(parts[".csv"] or parts[".parquet"]))


def has_ledger(data: DataSet, year: FinancialYear) -> bool:
    csv_file, parquet_file, folder = candidates(data, year)
    return csv_file.is_file() or parquet_file.is_file() or folder.is_dir()


def read_actuals(
    data: DataSet | Path | str,
    year: FinancialYear,
    through: Period | None = None,
    structure: FinancialYear | None = None,
) -> Actuals:
    """A year's actuals by budget line and month, from April to ``through`` (default: the last month found).

    ``structure`` is the financial year whose budget book and ``cost_centres.csv`` map the ledger
    (default: ``year`` itself); last year's ledger is read on this year's structure to give the
    monthly profile of each of this year's lines.  Raises :class:`InputError` listing every problem.

    DuckDB scans the extract in a thread of its own (it works outside the interpreter's lock) while
    the budget book and cost centres are read and checked.
    """
    data = DataSet.at(data)
    if through is not None and through.financial_year != year:
        raise ValueError(f"{through} is not a period of {year}")
    structure = structure or year
    problems = Problems()
    actuals = _read(data, year, through, lambda: read_budget_book(data, structure, problems), structure, problems)
    problems.raise_if_any()
    assert actuals is not None
    return actuals


def _read(
    data: DataSet,
    year: FinancialYear,
    through: Period | None,
    book_of: Callable[[], pd.DataFrame | None],
    structure: FinancialYear,
    problems: Problems,
) -> Actuals | None:
    """The actuals, or ``None`` with their problems added: the budget book (``book_of``, which may have
    been read already), cost centres and the extract."""
    found = Problems()
    extract = ledger_file(data, year, found)
    with ThreadPoolExecutor(max_workers=1) as scan:
        scanned = scan.submit(_aggregate, extract, year, through, found) if extract is not None else None
        book = book_of()
        centres = read_cost_centres(data, structure, book, problems)
        grouped = scanned.result() if scanned is not None else None
    problems.extend(found)
    if book is None or centres is None or grouped is None or extract is None or found:
        return None
    return _actuals(year, book, centres, grouped, through, extract.path)


def _aggregate(extract: Extract, year: FinancialYear, through: Period | None, problems: Problems) -> _Grouped | None:
    """One scan of the extract (every part at once): totals per (period, cost centre), per period and in
    all (DuckDB).

    The rows are grouped as written; keys are trimmed afterwards, on the few thousand groups.
    """
    import duckdb

    con = duckdb.connect()
    try:
        checked = [_part(con, part, problems) for part in extract.parts]
        parts = [part for part in checked if part is not None]
        if not parts:
            return None
        decimal = all(part.decimal for part in parts)
        source = " UNION ALL ".join(part.scan(as_pence=not decimal) for part in parts)
        pence = "CAST(SUM(value) * 100 AS BIGINT)" if decimal else "CAST(SUM(value) AS BIGINT)"
        query = f"""
            WITH src AS ({source})
            SELECT period, cost_centre, coalesce({pence}, 0) AS pence, COUNT(*) AS rows,
                   COUNT(value) AS good, GROUPING(period, cost_centre) AS level
            FROM src GROUP BY GROUPING SETS ((period, cost_centre), (period), ())
        """
        try:
            frame = con.execute(query).df()
        except duckdb.Error as exc:
            problems.extend(_unreadable_parts(con, parts, exc))
            return None
        grouped = _Grouped(frame)
        periods = [str(p) for p in year.periods()]
        raw = grouped.periods()
        bad = [p for p in raw if p is None or p.strip() not in periods]
        if grouped.bad_amounts or bad:
            for part in parts:
                _locate(con, part, year, bad, problems)
        if len(parts) < len(checked):
            return None  # a part could not be read: which months it holds is not known
        found = {p.strip() for p in raw if p is not None} & set(periods)
        latest = max(found, default=None)
        last = through or (Period.parse(latest) if latest is not None else None)
        name = shown(extract.path)
        if last is None:
            problems.append(Problem(name, column="period", found="no rows", expected=f"rows for the months of {year}"))
            return None
        missing = [p for p in periods[: last.month_of_year] if p not in found]
        if missing:
            problems.append(
                Problem(
                    name,
                    column="period",
                    found="no rows for " + ", ".join(missing),
                    expected=f"rows for every month from April to {last} (a month with no transactions is unlikely "
                    "in a general ledger: is the extract complete?)",
                )
            )
        return grouped
    finally:
        con.close()


@dataclass(frozen=True)
class _Part:
    """One file of an extract, checked: its columns (as written, with their types) and its SQL for each row."""

    path: Path
    columns: dict[str, tuple[str, str]]
    rows: str

    @property
    def decimal(self) -> bool:
        """``value`` is pounds as a DECIMAL of at most two places (else whole pence, BIGINT)."""
        return self.columns["amount"][1].upper().startswith("DECIMAL")

    @property
    def parquet(self) -> bool:
        return self.path.suffix == ".parquet"

    def scan(self, as_pence: bool) -> str:
        value = "CAST(value * 100 AS BIGINT)" if as_pence and self.decimal else "value"
        return f"SELECT period, cost_centre, {value} AS value FROM (SELECT {self.rows} FROM {_source(self.path)})"


def _part(con: duckdb.DuckDBPyConnection, path: Path, problems: Problems) -> _Part | None:
    """A part's columns and amounts checked (its own problems, named by the part); ``None`` if unreadable."""
    import duckdb

    if path.suffix != ".parquet" and not _start(path).strip(b"\xef\xbb\xbf \r\n\t"):
        problems.append(Problem(shown(path), found="an empty file", expected="a header row naming the columns"))
        return None
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {_source(path)}").fetchall()
    except duckdb.Error as exc:
        problems.append(_unreadable(path, exc))
        return None
    if path.suffix != ".parquet":
        _extra_cells(con, path, [str(d[0]) for d in described], problems)
    columns = _columns(described, path, problems)
    select = _select(columns, path, problems) if columns is not None else None
    if columns is None or select is None:
        return None
    return _Part(path, columns, select[0])


def _unreadable_parts(con: duckdb.DuckDBPyConnection, parts: list[_Part], exc: Exception) -> list[Problem]:
    """Which parts the engine could not read (each scanned alone), with what it said."""
    import duckdb

    if len(parts) == 1:
        return [_unreadable(parts[0].path, exc)]
    found = []
    for part in parts:
        try:
            con.execute(f"SELECT COUNT(value) FROM ({part.scan(as_pence=True)})").fetchall()
        except duckdb.Error as error:
            found.append(_unreadable(part.path, error))
    return found or [_unreadable(parts[0].path.parent, exc)]


def _source(path: Path, numbered: bool = False) -> str:
    """DuckDB's reading of one file of an extract."""
    literal = _literal(str(path))
    if path.suffix == ".parquet":
        return f"read_parquet({literal}{', file_row_number=true' if numbered else ''})"
    return f"read_csv({literal}, all_varchar=true, header=true, delim=',', quote='\"', escape='\"', null_padding=true)"


def _extra_cells(con: duckdb.DuckDBPyConnection, path: Path, names: list[str], problems: Problems) -> None:
    """Rows with more cells than the header (an unquoted comma in an amount would shift the cells)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    # a folder named key=value gives its rows a column of that name (hive partitioning), not a cell
    keys = {folder.split("=", 1)[0] for folder in path.parent.parts if "=" in folder}
    extra = [name for name in names[len(header) :] if name not in keys]
    if not extra:
        return
    filled = " + ".join(f"(CASE WHEN coalesce({_quoted(c)}, '') <> '' THEN 1 ELSE 0 END)" for c in extra)
    found = _in_file_order(
        con,
        f"SELECT row FROM (SELECT row_number() OVER () + 1 AS row, {filled} AS n FROM {_source(path)}) "
        f"WHERE n > 0 ORDER BY row LIMIT {PROBLEMS_LISTED}",
    )
    for (row,) in found:
        problems.append(
            Problem(
                shown(path),
                row=int(row),
                found=f"more than {len(header)} cells",
                expected=f"at most {len(header)} cells, one per column of the header (quote a cell holding a comma)",
            )
        )


def _in_file_order(con: duckdb.DuckDBPyConnection, query: str) -> list[Any]:
    """A query whose ``row_number() OVER ()`` numbers rows in file order: on one thread, then as before."""
    con.execute("SET threads = 1")
    try:
        return con.execute(query).fetchall()
    finally:
        con.execute("RESET threads")


def _start(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4096)


def _unreadable(path: Path, exc: Exception) -> Problem:
    """A file DuckDB cannot read, with the line it names and, for text that is not UTF-8, what to do."""
    text = str(exc)
    line = re.search(r"on [Ll]ine:? (\d+)", text)
    row = int(line[1]) if line and path.suffix != ".parquet" else None
    if "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
        return Problem(
            shown(path), row=row, found="bytes that are not UTF-8", expected="UTF-8 text (save as 'CSV UTF-8')"
        )
    return Problem(shown(path), row=row, found=_first_line(exc), expected=_readable(path))


def _readable(path: Path) -> str:
    return "a Parquet file" if path.suffix == ".parquet" else "well-formed CSV, UTF-8, with a header row"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _columns(described: list[tuple[Any, ...]], path: Path, problems: Problems) -> dict[str, tuple[str, str]] | None:
    """Each required column's name as written in the file and its type; ``None`` when one is missing."""
    name, header = shown(path), (1 if path.suffix != ".parquet" else None)
    found: dict[str, tuple[str, str]] = {}
    ok = True
    for column, kind, *_ in described:
        key = str(column).strip().lower()
        if key in found:
            problems.append(
                Problem(name, row=header, column=key, found="the column twice", expected="each column once")
            )
            ok = False
        found[key] = (str(column), str(kind))
    for column in REQUIRED:
        if column not in found:
            problems.append(Problem(name, row=header, column=column, found="no such column", expected="this column"))
            ok = False
    return found if ok else None


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _text(column: tuple[str, str]) -> str:
    return _quoted(column[0]) if column[1].upper() == "VARCHAR" else f"CAST({_quoted(column[0])} AS VARCHAR)"


def _select(columns: dict[str, tuple[str, str]], path: Path, problems: Problems) -> tuple[str, str] | None:
    """SQL for each row (period, cost_centre, amount as written, ``value``: NULL when the amount is not to
    the penny) and for a group's total in pence.

    A DECIMAL of at most two places is summed as it is (exact) and scaled once per group; other
    amounts become whole pence (``BIGINT``) row by row: text parsed as the data contract writes it,
    floating point only where it is a whole number of pence.
    """
    amount, kind = _quoted(columns["amount"][0]), columns["amount"][1].upper()
    if kind.startswith("DECIMAL"):
        scale = int(kind.split(",")[1].rstrip(")").strip()) if "," in kind else 0
        value = amount if scale <= 2 else f"CASE WHEN {amount} = round({amount}, 2) THEN {amount} END"
        pence = "CAST(SUM(value) * 100 AS BIGINT)"
    elif kind in ("DOUBLE", "FLOAT", "REAL"):
        value = (
            f"CASE WHEN isfinite({amount}) AND abs({amount} * 100 - round({amount} * 100)) < 0.001 "
            f"THEN TRY_CAST(round({amount} * 100) AS BIGINT) END"
        )
        pence = "CAST(SUM(value) AS BIGINT)"
    elif kind == "VARCHAR":
        text = f"trim({amount})"
        digits = f"TRY_CAST(TRY_CAST(regexp_replace({text}, '[^0-9.]', '', 'g') AS DECIMAL(18,2)) * 100 AS BIGINT)"
        value = (
            f"CASE WHEN regexp_full_match({text}, '{_PLAIN}') THEN "
            f"(CASE WHEN starts_with({text}, '-') THEN -1 ELSE 1 END) * {digits} "
            f"WHEN regexp_full_match({text}, '{_BRACKETED}') THEN -{digits} END"
        )
        pence = "CAST(SUM(value) AS BIGINT)"
    else:
        problems.append(
            Problem(
                shown(path),
                column="amount",
                found=f"a column of type {kind}",
                expected="amounts in pounds: DECIMAL with at most 2 decimal places, DOUBLE, or text "
                "(whole numbers are refused: pounds or pence?)",
            )
        )
        return None
    rows = (
        f"{_text(columns['period'])} AS period, {_text(columns['cost_centre'])} AS cost_centre, "
        f"{amount} AS amount, {value} AS value"
    )
    return rows, pence


def _locate(
    con: duckdb.DuckDBPyConnection, part: _Part, year: FinancialYear, bad: list[str | None], problems: Problems
) -> None:
    """Second pass, only when something is wrong: a part's rows with a bad period or amount, in file order."""
    rows, path = part.rows, part.path
    numbered = (
        f"SELECT file_row_number + 1 AS row, {rows} FROM {_source(path, numbered=True)}"
        if part.parquet
        else f"SELECT row_number() OVER () + 1 AS row, * FROM (SELECT {rows} FROM {_source(path)})"
    )
    listed = [p for p in bad if p is not None]
    period_bad = "period IS NULL" + (" OR period IN (" + ", ".join(_literal(p) for p in listed) + ")" if listed else "")
    query = f"""
        WITH numbered AS ({numbered}),
        bad AS (
            SELECT row, 'period' AS col, coalesce(period, '') AS found FROM numbered WHERE {period_bad}
            UNION ALL
            SELECT row, 'amount' AS col, coalesce(CAST(amount AS VARCHAR), '') AS found FROM numbered
            WHERE value IS NULL
        )
        SELECT col, row, found, COUNT(*) OVER (PARTITION BY col) AS n FROM bad
        QUALIFY row_number() OVER (PARTITION BY col ORDER BY row) <= {PROBLEMS_LISTED}
        ORDER BY col, row
    """
    found = _in_file_order(con, query)
    name = shown(path)
    periods = year.periods()
    expected = {
        "period": f"a period of {year} written YYYY-MM, {periods[0]} to {periods[-1]}",
        "amount": AMOUNT_EXPECTED,
    }
    counts: dict[str, int] = {}
    for column, row, text, count in found:
        problems.append(Problem(name, row=int(row), column=column, found=text, expected=expected[column]))
        counts[column] = int(count)
    for column, count in counts.items():
        if count > PROBLEMS_LISTED:
            more = count - PROBLEMS_LISTED
            problems.append(
                Problem(
                    name,
                    column=column,
                    found=f"{more} more row{'s' if more > 1 else ''} like these",
                    expected=expected[column],
                )
            )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Grouped:
    """The aggregate query's result: per (period, cost centre), per period, and the whole extract."""

    def __init__(self, frame: pd.DataFrame):
        level = frame["level"]
        self.cells = frame[level == 0][["period", "cost_centre", "pence", "rows"]].reset_index(drop=True)
        self.by_period = frame[level == 1][["period", "pence", "rows"]].reset_index(drop=True)
        whole = frame[level == 3]
        self.rows = int(whole["rows"].iloc[0]) if len(whole) else 0
        self.bad_amounts = self.rows - (int(whole["good"].iloc[0]) if len(whole) else 0)
        self.total = int(whole["pence"].iloc[0]) if len(whole) else 0

    def periods(self) -> list[str | None]:
        return [None if pd.isna(p) else str(p) for p in self.by_period["period"]]


def _actuals(
    year: FinancialYear,
    book: pd.DataFrame,
    centres: pd.DataFrame,
    grouped: _Grouped,
    through: Period | None,
    path: Path,
) -> Actuals:
    cells = grouped.cells
    period = cells["period"].str.strip()
    centre = cells["cost_centre"].fillna("").str.strip()
    line_id = centre.map(centres["line_id"])
    mapped = line_id.notna().to_numpy()
    periods = [str(p) for p in year.periods()]
    present = set(period.unique())
    every = [p for p in periods if p in present]
    months = periods[: (through or Period.parse(every[-1])).month_of_year]

    # sums of int64 pence, gaps filled with 0: nothing passes through a float
    pence = cells["pence"].astype("int64")
    by_line = _table(pence[mapped], line_id[mapped], period[mapped], book.index, every)
    unmapped_centre = centre[~mapped].replace("", BLANK_CENTRE)
    by_centre = _table(pence[~mapped], unmapped_centre, period[~mapped], None, every)
    rows = cells["rows"][~mapped].groupby(unmapped_centre.to_numpy()).sum()

    control = _control(grouped, by_line, by_centre, every)
    lines = pd.concat([book[revenue.STRUCTURE], _amounts(by_line, months)], axis=1)
    unmapped = _amounts(by_centre, months)
    unmapped["rows"] = rows.reindex(unmapped.index).fillna(0).astype("int64")
    unmapped.index.name = "cost_centre"
    return Actuals(year, tuple(Period.parse(m) for m in months), lines, unmapped, control, path)


def _table(
    pence: pd.Series, rows: pd.Series, period: pd.Series, index: pd.Index | None, every: list[str]
) -> pd.DataFrame:
    """Pence summed by row label and period (int64, exact), every period a column, gaps 0."""
    summed = pence.groupby([rows.to_numpy(), period.to_numpy()]).sum().unstack(fill_value=0)
    summed = summed.reindex(columns=every, fill_value=0)
    return (summed if index is None else summed.reindex(index=index, fill_value=0)).astype("int64")


def _amounts(table: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The months to date as ``Int64`` columns, then their sum as ``ytd``."""
    amounts = table[months].astype("Int64")
    amounts[YTD] = table[months].sum(axis=1).astype("Int64")
    return amounts


def _control(grouped: _Grouped, by_line: pd.DataFrame, by_centre: pd.DataFrame, every: list[str]) -> pd.DataFrame:
    """Per month and in all: the extract's total (DuckDB's own), actuals by line, unmapped; all must agree."""
    by_period = grouped.by_period.assign(period=grouped.by_period["period"].str.strip())
    extract = by_period.groupby("period")["pence"].sum()
    counts = by_period.groupby("period")["rows"].sum()
    rows: list[dict[str, int | str]] = []
    lines_total = unmapped_total = 0
    for month in every:
        lines, unmapped = int(by_line[month].sum()), int(by_centre[month].sum())
        lines_total, unmapped_total = lines_total + lines, unmapped_total + unmapped
        rows.append(
            {
                "period": month,
                "rows": int(counts.get(month, 0)),
                "extract": int(extract.get(month, 0)),
                "lines": lines,
                "unmapped": unmapped,
            }
        )
    rows.append(
        {
            "period": "total",
            "rows": grouped.rows,
            "extract": grouped.total,
            "lines": lines_total,
            "unmapped": unmapped_total,
        }
    )
    control = pd.DataFrame(rows)
    control["difference"] = control["extract"] - control["lines"] - control["unmapped"]
    for column in ("extract", "lines", "unmapped", "difference"):
        control[column] = control[column].astype("Int64")
    if (control["difference"] != 0).any() or control["rows"].iloc[-1] != sum(control["rows"].iloc[:-1]):
        raise ReconciliationError(
            "the ledger does not reconcile (actuals by line + unmapped ≠ extract total):\n"
            + control.to_string(index=False)
        )
    return control


# ---------------------------------------------------------------------------
# What a period needs


def load_actuals(data: DataSet | Path | str, period: Period | str) -> Actuals:
    """This year's actuals from April to ``period``."""
    period = Period.parse(period)
    return read_actuals(data, period.financial_year, through=period)


def load_previous(data: DataSet | Path | str, year: FinancialYear) -> Actuals | None:
    """Last year's actuals (all twelve months) on this year's lines, for profiles; ``None`` without an extract."""
    data = DataSet.at(data)
    last = year.previous
    if not has_ledger(data, last):
        return None
    return read_actuals(data, last, through=last.last_period, structure=year)


def load_budget_vs_actual(data: DataSet | Path | str, period: Period | str) -> pd.DataFrame:
    """Budget against actual by line and month, April to ``period``: the net budgets of the period's
    ``forecasts.csv`` and the year's ledger, each checked (every problem raised together)."""
    data = DataSet.at(data)
    period = Period.parse(period)
    problems = Problems()
    year = period.financial_year
    book = read_budget_book(data, year, problems)
    budgets = read_net_budgets(data, period, book, problems)
    actuals = _read(data, year, period, lambda: book, year, problems)
    problems.raise_if_any()
    assert budgets is not None and actuals is not None
    return budget_vs_actual(budgets, actuals)


# ---------------------------------------------------------------------------
# Drill-down: the postings behind a line

POSTING_COLUMNS = ("part", "row", "period", "cost_centre", "account", "description", "amount")


def read_postings(data: DataSet | Path | str, period: Period | str, cost_centres: Sequence[str]) -> pd.DataFrame:
    """Every posting of the year's extract on ``cost_centres``, April to ``period``, in file order.

    Columns :data:`POSTING_COLUMNS`: ``part`` (the file of a ``ledger/`` folder that holds the posting,
    relative to the folder; blank for a single file), ``row`` (that file's row number, as in every
    message), ``period``, ``cost_centre`` (trimmed, as mapped), ``account``, ``description`` (blank
    without that column) and ``amount`` in whole pence (``Int64``).  DuckDB scans each file; the cost
    centres and months are parameters of the query, never written into its text.  Raises
    :class:`InputError` listing every problem (the file, a missing column, an amount that is not to the
    penny).
    """
    import duckdb

    data = DataSet.at(data)
    period = Period.parse(period)
    year = period.financial_year
    problems = Problems()
    extract = ledger_file(data, year, problems)
    problems.raise_if_any()
    assert extract is not None
    months = [str(p) for p in year.periods()[: period.month_of_year]]
    found = []
    with duckdb.connect() as con:
        for path in extract.parts:
            checked = _part(con, path, problems)
            postings = _postings(con, checked, list(cost_centres), months, problems) if checked else None
            if postings is not None:
                part = "" if path == extract.path else path.relative_to(extract.path).as_posix()
                found.append(postings.assign(part=part)[list(POSTING_COLUMNS)])
    problems.raise_if_any()
    return pd.concat(found, ignore_index=True)


def _postings(
    con: duckdb.DuckDBPyConnection, part: _Part, centres: list[str], months: list[str], problems: Problems
) -> pd.DataFrame | None:
    """One file's postings on ``centres`` in ``months``, in file order (``None``, with its problems, if bad)."""
    import duckdb

    path, columns, rows = part.path, part.columns, part.rows
    name = shown(path)
    numbered = part.parquet
    row = "file_row_number + 1" if numbered else "row_number() OVER () + 1"
    # a DECIMAL amount is exact in pounds and pence: scaled here, per posting; the others are pence already
    pence = "CAST(value * 100 AS BIGINT)" if part.decimal else "value"
    description = _text(columns["description"]) if "description" in columns else "NULL"
    query = f"""
        WITH src AS (
            SELECT {row} AS row, {rows}, {_text(columns["account"])} AS account, {description} AS description
            FROM {_source(path, numbered=numbered)}
        )
        SELECT row, trim(period) AS period, trim(cost_centre) AS cost_centre, account, description,
               {pence} AS pence, CAST(amount AS VARCHAR) AS written
        FROM src
        WHERE list_contains($centres, trim(cost_centre)) AND list_contains($months, trim(period))
        ORDER BY row
    """
    try:
        if not numbered:
            con.execute("SET threads = 1")  # rows numbered in file order
        frame = con.execute(query, {"centres": centres, "months": months}).df()
    except duckdb.Error as exc:
        problems.append(_unreadable(path, exc))
        return None
    finally:
        con.execute("RESET threads")
    bad = frame[frame["pence"].isna()]
    for _, posting in bad.head(PROBLEMS_LISTED).iterrows():
        problems.append(
            Problem(
                name, row=int(posting["row"]), column="amount", found=str(posting["written"]), expected=AMOUNT_EXPECTED
            )
        )
    if len(bad) > PROBLEMS_LISTED:
        more = len(bad) - PROBLEMS_LISTED
        problems.append(Problem(name, column="amount", found=f"{more} more rows like these", expected=AMOUNT_EXPECTED))
    if len(bad):
        return None
    return pd.DataFrame(
        {
            "row": frame["row"].astype("int64"),
            "period": frame["period"].astype(str),
            "cost_centre": frame["cost_centre"].astype(str),
            "account": frame["account"].fillna("").astype(str),
            "description": frame["description"].fillna("").astype(str),
            "amount": frame["pence"].astype("Int64"),
        }
    )
