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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from finlib.config import DataSet
from finlib.core import revenue
from finlib.core.actuals import BLANK_CENTRE, YTD, Actuals, budget_vs_actual
from finlib.core.period import FinancialYear, Period
from finlib.errors import FinlibError, InputError, Problem, Problems, shown
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
    """Where a year's extract may be: ``ledger.csv`` or ``ledger.parquet``."""
    return catalogue.LEDGER.candidates(data, year.periods()[0])


def ledger_file(data: DataSet, year: FinancialYear, problems: Problems) -> Path | None:
    """The year's extract: ``ledger.csv`` or ``ledger.parquet``; a problem when there is neither or both."""
    found = [path for path in candidates(data, year) if path.is_file()]
    if len(found) == 1:
        return found[0]
    csv, parquet = candidates(data, year)
    problems.at(data.year_dir(year)).add(
        found="both ledger.csv and ledger.parquet" if found else f"no {csv.name} or {parquet.name}",
        expected=f"the general-ledger extract of {year}: one file, ledger.csv or ledger.parquet",
    )
    return None


def has_ledger(data: DataSet, year: FinancialYear) -> bool:
    return any(path.is_file() for path in candidates(data, year))


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
    """
    data = DataSet.at(data)
    if through is not None and through.financial_year != year:
        raise ValueError(f"{through} is not a period of {year}")
    structure = structure or year
    problems = Problems()
    book = read_budget_book(data, structure, problems)
    centres = read_cost_centres(data, structure, book, problems)
    path = ledger_file(data, year, problems)
    grouped = _aggregate(path, year, through, problems) if path is not None else None
    problems.raise_if_any()
    assert book is not None and centres is not None and grouped is not None and path is not None
    return _actuals(year, book, centres, grouped, through, path)


def _aggregate(path: Path, year: FinancialYear, through: Period | None, problems: Problems) -> _Grouped | None:
    """One scan of the extract: totals per (period, cost centre), per period and in all (DuckDB).

    The rows are grouped as written; keys are trimmed afterwards, on the few thousand groups.
    """
    import duckdb

    name = shown(path)
    con = duckdb.connect()
    try:
        source = _source(path)
        if path.suffix != ".parquet" and not _start(path).strip(b"\xef\xbb\xbf \r\n\t"):
            problems.append(Problem(name, found="an empty file", expected="a header row naming the columns"))
            return None
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.Error as exc:
            problems.append(_unreadable(path, exc))
            return None
        if path.suffix != ".parquet":
            _extra_cells(con, path, [str(d[0]) for d in described], problems)
        columns = _columns(described, path, problems)
        if columns is None:
            return None
        select = _select(columns, path, problems)
        if select is None:
            return None
        rows, pence = select
        query = f"""
            WITH src AS (SELECT {rows} FROM {source})
            SELECT period, cost_centre, coalesce({pence}, 0) AS pence, COUNT(*) AS rows,
                   COUNT(value) AS good, GROUPING(period, cost_centre) AS level
            FROM src GROUP BY GROUPING SETS ((period, cost_centre), (period), ())
        """
        try:
            frame = con.execute(query).df()
        except duckdb.Error as exc:
            problems.append(_unreadable(path, exc))
            return None
        grouped = _Grouped(frame)
        periods = [str(p) for p in year.periods()]
        raw = grouped.periods()
        bad = [p for p in raw if p is None or p.strip() not in periods]
        if grouped.bad_amounts or bad:
            _locate(con, rows, path, year, bad, problems)
        found = {p.strip() for p in raw if p is not None} & set(periods)
        latest = max(found, default=None)
        last = through or (Period.parse(latest) if latest is not None else None)
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


def _source(path: Path, numbered: bool = False) -> str:
    literal = _literal(str(path))
    if path.suffix == ".parquet":
        return f"read_parquet({literal}{', file_row_number=true' if numbered else ''})"
    return f"read_csv({literal}, all_varchar=true, header=true, delim=',', quote='\"', escape='\"', null_padding=true)"


def _extra_cells(con: duckdb.DuckDBPyConnection, path: Path, names: list[str], problems: Problems) -> None:
    """Rows with more cells than the header (an unquoted comma in an amount would shift the cells)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    extra = names[len(header) :]
    if not extra:
        return
    filled = " + ".join(f"(CASE WHEN coalesce({_quoted(c)}, '') <> '' THEN 1 ELSE 0 END)" for c in extra)
    con.execute("SET threads = 1")  # rows numbered in file order
    found = con.execute(
        f"SELECT row FROM (SELECT row_number() OVER () + 1 AS row, {filled} AS n FROM {_source(path)}) "
        f"WHERE n > 0 ORDER BY row LIMIT {PROBLEMS_LISTED}"
    ).fetchall()
    for (row,) in found:
        problems.append(
            Problem(
                shown(path),
                row=int(row),
                found=f"more than {len(header)} cells",
                expected=f"at most {len(header)} cells, one per column of the header (quote a cell holding a comma)",
            )
        )


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
    con: duckdb.DuckDBPyConnection,
    rows: str,
    path: Path,
    year: FinancialYear,
    bad: list[str | None],
    problems: Problems,
) -> None:
    """Second pass, only when something is wrong: the rows with a bad period or amount, in file order."""
    numbered = (
        f"SELECT file_row_number + 1 AS row, {rows} FROM {_source(path, numbered=True)}"
        if path.suffix == ".parquet"
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
    con.execute("SET threads = 1")  # rows numbered in file order
    found = con.execute(query).fetchall()
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
    cells = grouped.cells.copy()
    cells["period"] = cells["period"].str.strip()
    cells["cost_centre"] = cells["cost_centre"].fillna("").str.strip()
    cells["line_id"] = cells["cost_centre"].map(centres["line_id"])
    mapped = cells["line_id"].notna()
    periods = [str(p) for p in year.periods()]
    present = set(cells["period"])
    every = [p for p in periods if p in present]
    months = periods[: (through or Period.parse(every[-1])).month_of_year]

    # sums of int64 pence, gaps filled with 0: nothing passes through a float
    by_line = cells[mapped].pivot_table(index="line_id", columns="period", values="pence", aggfunc="sum", fill_value=0)
    by_line = by_line.reindex(index=book.index, columns=every, fill_value=0).astype("int64")
    unmapped_cells = cells[~mapped].assign(cost_centre=lambda f: f["cost_centre"].replace("", BLANK_CENTRE))
    by_centre = unmapped_cells.pivot_table(
        index="cost_centre", columns="period", values="pence", aggfunc="sum", fill_value=0
    )
    by_centre = by_centre.reindex(columns=every, fill_value=0).astype("int64")
    rows = unmapped_cells.groupby("cost_centre")["rows"].sum()

    control = _control(grouped, by_line, by_centre, every)
    lines = book[revenue.STRUCTURE].copy()
    for month in months:
        lines[month] = by_line[month].astype("Int64")
    lines[YTD] = by_line[months].sum(axis=1).astype("Int64")
    unmapped = pd.DataFrame(index=by_centre.index)
    for month in months:
        unmapped[month] = by_centre[month].astype("Int64")
    unmapped[YTD] = by_centre[months].sum(axis=1).astype("Int64")
    unmapped["rows"] = rows.reindex(unmapped.index).fillna(0).astype("int64")
    unmapped.index.name = "cost_centre"
    return Actuals(year, tuple(Period.parse(m) for m in months), lines, unmapped, control, path)


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
    book = read_budget_book(data, period.financial_year, problems)
    budgets = read_net_budgets(data, period, book, problems)
    try:
        actuals = load_actuals(data, period)
    except InputError as error:
        problems.extend(error.problems)
    problems.raise_if_any()
    assert budgets is not None
    return budget_vs_actual(budgets, actuals)


# ---------------------------------------------------------------------------
# Drill-down: the postings behind a line

POSTING_COLUMNS = ("row", "period", "cost_centre", "account", "description", "amount")


def read_postings(data: DataSet | Path | str, period: Period | str, cost_centres: Sequence[str]) -> pd.DataFrame:
    """Every posting of the year's extract on ``cost_centres``, April to ``period``, in file order.

    Columns :data:`POSTING_COLUMNS`: ``row`` (the file's row number, as in every message), ``period``,
    ``cost_centre`` (trimmed, as mapped), ``account``, ``description`` (blank without that column) and
    ``amount`` in whole pence (``Int64``).  DuckDB scans the file; the cost centres and months are
    parameters of the query, never written into its text.  Raises :class:`InputError` listing every
    problem (the file, a missing column, an amount that is not to the penny).
    """
    import duckdb

    data = DataSet.at(data)
    period = Period.parse(period)
    year = period.financial_year
    problems = Problems()
    path = ledger_file(data, year, problems)
    problems.raise_if_any()
    assert path is not None
    name = shown(path)
    months = [str(p) for p in year.periods()[: period.month_of_year]]
    with duckdb.connect() as con:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {_source(path)}").fetchall()
        except duckdb.Error as exc:
            raise InputError([_unreadable(path, exc)]) from exc
        columns = _columns(described, path, problems)
        select = _select(columns, path, problems) if columns is not None else None
        problems.raise_if_any()
        assert columns is not None and select is not None
        rows, _ = select
        numbered = path.suffix == ".parquet"
        if not numbered:
            con.execute("SET threads = 1")  # rows numbered in file order
        row = "file_row_number + 1" if numbered else "row_number() OVER () + 1"
        # a DECIMAL amount is exact in pounds and pence: scaled here, per posting; the others are pence already
        pence = "CAST(value * 100 AS BIGINT)" if columns["amount"][1].upper().startswith("DECIMAL") else "value"
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
            frame = con.execute(query, {"centres": list(cost_centres), "months": months}).df()
        except duckdb.Error as exc:
            raise InputError([_unreadable(path, exc)]) from exc
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
    problems.raise_if_any()
    postings = pd.DataFrame(
        {
            "row": frame["row"].astype("int64"),
            "period": frame["period"].astype(str),
            "cost_centre": frame["cost_centre"].astype(str),
            "account": frame["account"].fillna("").astype(str),
            "description": frame["description"].fillna("").astype(str),
            "amount": frame["pence"].astype("Int64"),
        }
    )
    return postings.reset_index(drop=True)
