"""Budget holders' forecast returns: what each manager is sent, what a returned workbook must hold, and
how the returns become a period's ``forecasts.csv`` and ``explanations.csv``.

Pure: the plans are built from data, a returned workbook arrives as the values of its cells
(:class:`Sheets`), and every check names the file, the sheet and the cell (``D7``).  The layout of a
return (:class:`Layout`) is declared once here; the writer (:mod:`finlib.render.returns`) and the checks
both read it, so what is locked in the issued workbook is exactly what the checks compare.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property

import pandas as pd

from finlib.core import forecast
from finlib.core.period import Period
from finlib.errors import Problem
from finlib.money import LIMIT_PENCE, PENCE_PER_POUND, exact

FORECAST_SHEET = "Forecast"
INSTRUCTIONS_SHEET = "Instructions"
IDENTITY_SHEET = "Identity"
SHEETS = (INSTRUCTIONS_SHEET, FORECAST_SHEET, IDENTITY_SHEET)
FORMAT = "finlib forecast return 1"
HEADER_ROW = 4  # rows as Excel numbers them
FIRST_ROW = 5
#: What a manager enters in the forecast column: the outturn (net budget + variance), or the variance.
ENTRIES = ("outturn", "variance")
IDENTITY_FIELDS = ("period", "manager", "entered", "content", "format")
EXPLANATION_ABOUT = ("variance", "movement")
NUMBER_EXPECTED = "a number of pounds, to the penny at most (such as -1234.5)"


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ref(row: int, column: int) -> str:
    """The cell at Excel row ``row`` (1-based) and column index ``column`` (0-based): ``D7``."""
    return f"{column_letter(column)}{row}"


def slug(name: str) -> str:
    """A manager's name as a file name: lower case, each run of other characters one ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "manager"


@dataclass(frozen=True)
class Column:
    title: str
    money: bool = False
    editable: bool = False
    width: int = 14


@dataclass(frozen=True)
class ReturnLine:
    """One line of a manager's return, as issued.  Amounts in pence; ``None`` where there is none."""

    line_id: str
    directorate: str
    heading: str
    subject: str  # the subject of the line's explanations: its tag, else its heading
    net_budget: int
    last_outturn: int | None  # the outturn last reported (net budget then + its variance)
    last_budget: int | None
    actuals: tuple[int, ...] = ()  # each month from April to the period, from the ledger
    guidance: forecast.Computed | None = None  # run-rate and profiled forecasts (with a ledger)

    @property
    def last_variance(self) -> int | None:
        if self.last_outturn is None or self.last_budget is None:
            return None
        return self.last_outturn - self.last_budget


@dataclass(frozen=True)
class Layout:
    """The columns of a return's Forecast sheet, for its months of actuals."""

    months: tuple[Period, ...]
    entered: str
    ledger: bool

    @cached_property
    def columns(self) -> list[Column]:
        columns = [
            Column("Line", width=16),
            Column("Directorate", width=28),
            Column("Heading", width=36),
            Column("Net budget £", money=True),
            Column("Last reported outturn £", money=True),
        ]
        if self.ledger:
            columns += [Column(f"Actual {m.short_label} £", money=True, width=12) for m in self.months]
            columns += [
                Column("Actual to date £", money=True),
                Column("Run-rate forecast £", money=True),
                Column("Profiled forecast £", money=True),
            ]
        columns += [
            Column(f"Your forecast {self.entered} £", money=True, editable=True, width=18),
            Column("Why the forecast differs from the budget", editable=True, width=48),
            Column("Why it moved since last reported", editable=True, width=48),
        ]
        return columns

    @property
    def forecast_column(self) -> int:
        return len(self.columns) - 3

    @property
    def width(self) -> int:
        return len(self.columns)


Cell = str | int | None  # text, pence, or blank


@dataclass(frozen=True)
class Issued:
    """The return issued to one manager for one period."""

    period: Period
    manager: str
    email: str
    entered: str  # one of ENTRIES
    layout: Layout
    lines: tuple[ReturnLine, ...]
    file_name: str

    def title(self) -> str:
        return f"Forecast return for {self.period.label}: {self.manager}"

    def row_values(self, line: ReturnLine) -> list[Cell]:
        """The locked cells of a line's row, in column order."""
        values: list[Cell] = [line.line_id, line.directorate, line.heading, line.net_budget, line.last_outturn]
        if self.layout.ledger:
            guidance = line.guidance
            values += list(line.actuals)
            values += [guidance.ytd, guidance.run_rate, guidance.profiled] if guidance else [None, None, None]
        return values

    def prefill(self, line: ReturnLine) -> int:
        """The forecast cell as issued: the forecast last reported (on budget where nothing was reported),
        which the manager changes where it moved."""
        if self.entered == "outturn":
            return line.last_outturn if line.last_outturn is not None else line.net_budget
        return line.last_variance if line.last_variance is not None else 0

    def locked(self) -> list[tuple[str, Cell]]:
        """Every locked cell the checks compare: the title, the header and each line's locked columns."""
        cells: list[tuple[str, Cell]] = [("A1", self.title())]
        columns = self.layout.columns
        cells += [(ref(HEADER_ROW, i), c.title) for i, c in enumerate(columns)]
        for offset, line in enumerate(self.lines):
            row = FIRST_ROW + offset
            cells += [(ref(row, i), v) for i, v in enumerate(self.row_values(line))]
        return cells

    def content(self) -> str:
        """The SHA-256 of what was issued: the identity and every locked cell."""
        return digest(str(self.period), self.manager, self.entered, self.locked())

    def entering(self, entered: str) -> Issued:
        """The same return asking for the forecast as ``entered`` (one of :data:`ENTRIES`)."""
        if entered not in ENTRIES:
            raise ValueError(f"entered must be one of {ENTRIES}")
        return replace(self, entered=entered, layout=replace(self.layout, entered=entered))

    def identity(self) -> dict[str, str]:
        return {
            "period": str(self.period),
            "manager": self.manager,
            "entered": self.entered,
            "content": self.content(),
            "format": FORMAT,
        }


def digest(period: str, manager: str, entered: str, cells: Sequence[tuple[str, Cell]]) -> str:
    canonical = json.dumps([period, manager, entered, [[r, "" if v is None else v] for r, v in cells]])
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plan(
    period: Period,
    book: pd.DataFrame,
    managers: pd.DataFrame,
    budgets: pd.Series,
    last: pd.DataFrame | None,
    actuals: pd.DataFrame | None,
    guidance: Mapping[str, forecast.Computed] | None,
    entered: str = "outturn",
) -> list[Issued]:
    """One return per manager, their lines in the budget book's order.

    ``book``: the parsed budget book; ``managers``: manager and email by line_id; ``budgets``: each
    line's net budget this period (pence); ``last``: the last reported lines (net_budget,
    net_forecast_variance) or ``None``; ``actuals``: pence by line and month column (``2017-04``…) or
    ``None`` without a ledger; ``guidance``: the computed forecasts by line_id.
    """
    if entered not in ENTRIES:
        raise ValueError(f"entered must be one of {ENTRIES}")
    months = tuple(period.months_to_date())
    layout = Layout(months, entered, actuals is not None)
    held: dict[str, list[ReturnLine]] = {}
    emails: dict[str, str] = {}
    names: dict[str, str] = {}
    manager_of = {str(k): str(v).strip() for k, v in managers["manager"].items()}
    email_of = {str(k): str(v) for k, v in managers["email"].fillna("").items()}
    budget_of = {str(k): int(v) for k, v in budgets.items()}
    last_of: dict[str, tuple[int, int]] = {}
    if last is not None:
        pairs = zip(last["net_budget"].tolist(), last["net_forecast_variance"].tolist(), strict=True)
        last_of = {str(k): (int(b), int(b) + int(v)) for k, (b, v) in zip(last.index, pairs, strict=True)}
    month_of: dict[str, tuple[int, ...]] = {}
    if actuals is not None:
        columns = [str(m) for m in months]
        values = actuals[columns].fillna(0).astype("int64").itertuples(index=False, name=None)
        month_of = {str(k): tuple(int(v) for v in row) for k, row in zip(actuals.index, values, strict=True)}
    none = tuple(0 for _ in months) if actuals is not None else ()
    for line_id, directorate, heading, tag in zip(
        book.index, book["directorate"], book["heading"], book["tag"], strict=True
    ):
        line_id = str(line_id)
        manager = manager_of[line_id]
        key = manager.casefold()
        names.setdefault(key, manager)
        emails[key] = emails.get(key) or email_of.get(line_id, "")
        last_budget, last_outturn = last_of.get(line_id, (None, None))
        held.setdefault(key, []).append(
            ReturnLine(
                line_id=line_id,
                directorate=str(directorate),
                heading=str(heading),
                subject=str(tag) or str(heading),
                net_budget=budget_of[line_id],
                last_outturn=last_outturn,
                last_budget=last_budget,
                actuals=month_of.get(line_id, none),
                guidance=guidance.get(line_id) if guidance is not None else None,
            )
        )
    plans: list[Issued] = []
    taken: set[str] = set()
    for key, lines in held.items():
        stem = slug(names[key])
        name, n = f"{stem}.xlsx", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}.xlsx"
        taken.add(name)
        plans.append(Issued(period, names[key], emails[key], entered, layout, tuple(lines), name))
    return plans


# ---------------------------------------------------------------------------
# Reading a returned workbook


Value = str | float | int | bool | object  # what a reader gives for a cell ("" for blank)


@dataclass(frozen=True)
class Sheets:
    """A returned workbook's cells: each sheet's rows from A1 (``""`` for a blank cell), the cells
    holding a formula, and each sheet's visibility."""

    rows: dict[str, list[list[Value]]]
    formulas: dict[str, list[str]] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()

    def value(self, sheet: str, row: int, column: int) -> Value:
        grid = self.rows.get(sheet, [])
        if row - 1 >= len(grid) or column >= len(grid[row - 1]):
            return ""
        return grid[row - 1][column]


@dataclass(frozen=True)
class Returned:
    """A valid return: the manager, the file, and each line's forecast variance and explanations."""

    manager: str
    file: str
    variances: dict[str, int]  # pence, by line_id
    explanations: dict[str, tuple[str, str]]  # line_id → (variance, movement) texts
    unchanged: bool  # every forecast as last reported (and there was a last report)


def text_of(value: Value) -> str:
    """A cell's value as text: a whole float without its ``.0``, a huge one as Python writes it (``1e+300``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def kind_of(value: Value) -> str:
    """A cell that is not a number, as a finance officer would name it: ``text 'about 3m'``, ``a date, 2017-07-31``."""
    if isinstance(value, bool):
        return f"{'TRUE' if value else 'FALSE'}, a true/false value"
    if isinstance(value, dt.datetime):
        return f"a date and time, {value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"a date, {value.isoformat()}"
    if isinstance(value, dt.time | dt.timedelta):
        return f"a time, {value}"
    if isinstance(value, str):
        return f"text {value!r}"
    return f"{type(value).__name__} {text_of(value)!r}"


def pence_of(value: Value) -> int | str | None:
    """A number cell as pence; ``None`` for blank; an explanation (str) when it is not an amount."""
    if value == "" or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return kind_of(value)
    try:
        pounds = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return repr(value)
    if not pounds.is_finite():
        return repr(value)
    pence = pounds * PENCE_PER_POUND
    if pence != pence.to_integral_value():
        return f"{text_of(value)}, which is not a whole number of pence"
    if abs(pence) >= LIMIT_PENCE:
        return f"{text_of(value)}, a trillion pounds or more"
    return int(pence)


def _shown(value: Cell) -> str:
    if value is None or value == "":
        return "a blank cell"
    if isinstance(value, int):
        return exact(value)
    return repr(value)


def _read_cell(value: Value, money: bool) -> Cell | str:
    if money:
        pence = pence_of(value)
        return pence if not isinstance(pence, str) else "\0" + pence
    return None if value == "" else text_of(value)


def identity_of(sheets: Sheets) -> dict[str, str]:
    """The Identity sheet's fields (column A names, column B values)."""
    found: dict[str, str] = {}
    for row in sheets.rows.get(IDENTITY_SHEET, []):
        if len(row) >= 2 and str(row[0]) in IDENTITY_FIELDS:
            found[str(row[0])] = text_of(row[1])
    return found


def check_return(
    file: str,
    sheets: Sheets,
    period: Period,
    plans: Mapping[str, Issued],
) -> tuple[Returned | None, list[Problem]]:
    """Check a returned workbook against the return issued to its manager; ``plans`` by manager (casefold).

    Returns the return (``None`` when it has problems) and every problem, each naming the sheet and cell.
    """
    problems: list[Problem] = []

    def add(sheet: str | None, cell: str | None, found: str | None, expected: str) -> None:
        problems.append(Problem(file, found=found, expected=expected, sheet=sheet, cell=cell))

    missing = [s for s in (FORECAST_SHEET, IDENTITY_SHEET) if s not in sheets.rows]
    for sheet in missing:
        add(sheet, None, "no such sheet", f"the {sheet} sheet of the return as issued (sheets: {', '.join(SHEETS)})")
    if missing:
        return None, problems
    for sheet, cells in sheets.formulas.items():
        for cell in cells:
            add(sheet, cell, "a formula", "a value typed in: a return holds no formulas (paste values only)")
    identity = identity_of(sheets)
    for name in IDENTITY_FIELDS:
        if name not in identity:
            row = IDENTITY_FIELDS.index(name) + 1
            add(IDENTITY_SHEET, f"B{row}", "no such field", f"the {name} of the return as issued")
    if problems:
        return None, problems
    if identity["format"] != FORMAT:
        add(IDENTITY_SHEET, "B5", identity["format"], f"{FORMAT!r}: a return issued by finlib returns issue")
        return None, problems
    if identity["period"] != str(period):
        add(
            IDENTITY_SHEET,
            "B1",
            identity["period"],
            f"{period}: this is a return for another period (collect it with --period {identity['period']})",
        )
        return None, problems
    issued = plans.get(identity["manager"].casefold())
    if issued is None:
        add(
            IDENTITY_SHEET,
            "B2",
            identity["manager"],
            "a budget manager of this period (managers.csv or budget_book.csv): "
            + "; ".join(p.manager for p in plans.values()),
        )
        return None, problems
    if identity["entered"] != issued.entered:
        add(IDENTITY_SHEET, "B3", identity["entered"], f"{issued.entered}, as the returns of {period} were issued")
        return None, problems
    layout = issued.layout
    columns = layout.columns
    grid = sheets.rows[FORECAST_SHEET]
    # rows: each line_id in column A from the first line row, in the order issued
    ids = [text_of(row[0]) if row else "" for row in grid[FIRST_ROW - 1 :]]
    while ids and ids[-1] == "" and not any(v != "" for v in grid[FIRST_ROW - 2 + len(ids)]):
        ids.pop()
    expected_ids = [line.line_id for line in issued.lines]
    if ids != expected_ids:
        _rows_changed(ids, expected_ids, add)
        return None, problems
    for row_index, grid_row in enumerate(grid):
        for column, stray in enumerate(grid_row):
            if column >= layout.width and stray != "":
                add(
                    FORECAST_SHEET,
                    ref(row_index + 1, column),
                    text_of(stray),
                    f"nothing: the return's columns end at {column_letter(layout.width - 1)}",
                )
    file_cells: list[tuple[str, Cell]] = []
    changed = []
    money_columns = {i for i, c in enumerate(columns) if c.money}
    for at, value in issued.locked():
        row_number = int(at.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        column = column_index(at)
        read = _read_cell(
            sheets.value(FORECAST_SHEET, row_number, column), row_number >= FIRST_ROW and column in money_columns
        )
        file_cells.append((at, read if not (isinstance(read, str) and read.startswith("\0")) else read[1:]))
        if read != value:
            changed.append((at, read, value))
    if changed:
        as_issued = (
            digest(identity["period"], identity["manager"], identity["entered"], file_cells) == identity["content"]
        )
        for at, read, value in changed:
            found = read[1:] if isinstance(read, str) and read.startswith("\0") else _shown(read)
            if as_issued:
                add(
                    FORECAST_SHEET,
                    at,
                    found,
                    f"{_shown(value)}: the return was issued before the inputs changed; issue it again",
                )
            else:
                add(FORECAST_SHEET, at, found, f"{_shown(value)} as issued: this cell is locked")
        return None, problems
    if identity["content"] != issued.content():
        add(IDENTITY_SHEET, "B4", identity["content"], f"{issued.content()}, the content hash as issued")
        return None, problems
    variances: dict[str, int] = {}
    explanations: dict[str, tuple[str, str]] = {}
    unchanged = True
    forecast_column = layout.forecast_column
    for offset, line in enumerate(issued.lines):
        row = FIRST_ROW + offset
        pence = pence_of(sheets.value(FORECAST_SHEET, row, forecast_column))
        at = ref(row, forecast_column)
        if pence is None:
            add(
                FORECAST_SHEET,
                at,
                "a blank cell",
                f"the forecast {issued.entered} of {line.line_id}: {NUMBER_EXPECTED}",
            )
            continue
        if isinstance(pence, str):
            add(FORECAST_SHEET, at, pence, f"the forecast {issued.entered} of {line.line_id}: {NUMBER_EXPECTED}")
            continue
        variance = pence - line.net_budget if issued.entered == "outturn" else pence
        variances[line.line_id] = variance
        if line.last_outturn is None or pence != issued.prefill(line):
            unchanged = False
        texts = tuple(text_of(sheets.value(FORECAST_SHEET, row, forecast_column + 1 + i)).strip() for i in range(2))
        explanations[line.line_id] = (texts[0], texts[1])
    if problems:
        return None, problems
    return Returned(issued.manager, file, variances, explanations, unchanged), problems


def column_index(at: str) -> int:
    """The 0-based column of a cell or column: ``D7`` or ``D`` → ``3``."""
    index = 0
    for letter in at.rstrip("0123456789"):
        index = index * 26 + ord(letter) - 64
    return index - 1


def _rows_changed(ids: list[str], expected: list[str], add: object) -> None:
    """Name the first row added, deleted or moved."""
    assert callable(add)
    for offset in range(max(len(ids), len(expected))):
        found = ids[offset] if offset < len(ids) else None
        wanted = expected[offset] if offset < len(expected) else None
        if found == wanted:
            continue
        at = ref(FIRST_ROW + offset, 0)
        if wanted is None:
            add(FORECAST_SHEET, at, found or "a row", "no row here: a row was added below the lines issued")
        elif found is None or (found not in expected and wanted in ids[offset:]):
            what = "a row was added" if found not in expected else "the rows were reordered"
            add(FORECAST_SHEET, at, found or "a blank row", f"line {wanted}: {what}; keep the lines as issued")
        elif wanted not in ids:
            add(
                FORECAST_SHEET,
                at,
                found or "a blank row",
                f"line {wanted}: its row was deleted; keep every line as issued",
            )
        else:
            add(FORECAST_SHEET, at, found or "a blank row", f"line {wanted}: keep the lines in the order issued")
        return


# ---------------------------------------------------------------------------
# From the returns to the period's inputs


@dataclass(frozen=True)
class LeftOut:
    manager: str
    reason: str


def forecasts_frame(
    plans: Sequence[Issued],
    returned: Mapping[str, Returned],
    left_out: Mapping[str, LeftOut],
    book_order: Sequence[str],
) -> pd.DataFrame:
    """``forecasts.csv`` from the returns, in the budget book's order: line_id, net_budget and the column
    the returns were entered in (net_forecast_outturn or net_forecast_variance), pence.  A manager left
    out keeps the forecast last reported."""
    entered = plans[0].entered if plans else "outturn"
    by_line: dict[str, tuple[int, int]] = {}
    for issued in plans:
        key = issued.manager.casefold()
        for line in issued.lines:
            if key in returned:
                variance = returned[key].variances[line.line_id]
            else:
                assert key in left_out and line.last_outturn is not None
                variance = line.last_outturn - line.net_budget  # type: ignore[operator]
            by_line[line.line_id] = (line.net_budget, variance)
    ids = [i for i in book_order if i in by_line]
    budgets = [by_line[i][0] for i in ids]
    variances = [by_line[i][1] for i in ids]
    column = f"net_forecast_{entered}"
    values = [b + v for b, v in zip(budgets, variances, strict=True)] if entered == "outturn" else variances
    return pd.DataFrame({"line_id": ids, "net_budget": budgets, column: values})


def explanations_frame(
    plans: Sequence[Issued], returned: Mapping[str, Returned], book_order: Sequence[str]
) -> pd.DataFrame:
    """The explanations of the returns as rows of ``explanations.csv``: for each subject (a heading, or a
    line's tag) in the book's order, its lines' texts joined with ``; `` (variance, then movement)."""
    texts: dict[str, tuple[str, str, str]] = {}
    for issued in plans:
        found = returned.get(issued.manager.casefold())
        if found is None:
            continue
        for line in issued.lines:
            variance, movement = found.explanations.get(line.line_id, ("", ""))
            texts[line.line_id] = (line.subject, variance, movement)
    subjects: dict[str, dict[str, list[str]]] = {}
    for line_id in book_order:
        if line_id not in texts:
            continue
        subject, variance, movement = texts[line_id]
        entry = subjects.setdefault(subject, {"variance": [], "movement": []})
        for about, text in (("variance", variance), ("movement", movement)):
            if text and text not in entry[about]:
                entry[about].append(text)
    rows = [
        {"subject": subject, "about": about, "text": "; ".join(found[about])}
        for subject, found in subjects.items()
        for about in EXPLANATION_ABOUT
        if found[about]
    ]
    return pd.DataFrame(rows, columns=["subject", "about", "text"])


# ---------------------------------------------------------------------------
# Status


STATES = ("returned", "missing", "invalid", "left out")


@dataclass(frozen=True)
class Status:
    manager: str
    email: str
    file: str
    lines: int
    state: str  # one of STATES
    unchanged: bool = False
    challenged: tuple[str, ...] = ()  # lines departing from every computed forecast by more than the threshold
    problems: int = 0
    detail: str = ""


def challenged(issued: Issued, returned: Returned, threshold: int) -> tuple[str, ...]:
    """The lines whose returned outturn departs from the budget, run-rate and profiled forecasts alike by
    more than ``threshold`` (lines without guidance, when there is no ledger, are not challenged)."""
    found = []
    for line in issued.lines:
        if line.guidance is None or line.line_id not in returned.variances:
            continue
        outturns = {**line.guidance.outturns(), "budget": line.net_budget}
        _, departs = forecast.departure(line.net_budget + returned.variances[line.line_id], outturns)
        if abs(departs) > threshold:
            found.append(line.line_id)
    return tuple(found)
