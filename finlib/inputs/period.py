"""Loading one monitoring period: every input file of the catalogue read, checked and parsed at once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from finlib.config import DataSet
from finlib.core.parsed import PeriodInputs
from finlib.core.period import FinancialYear, Period, is_financial_year, is_period
from finlib.core.records import Records
from finlib.errors import Problem, Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.catalogue import FileKind
from finlib.inputs.checks import Read
from finlib.inputs.settings import read_period_kind, read_settings
from finlib.inputs.tables import check_schema, read_text_table, required_columns


def read_kind(kind: FileKind, path: Path, problems: Problems) -> pd.DataFrame | None:
    """One tabular file of the catalogue as text, checked against its schema.

    The text frame is returned even when cells have problems, so that checks across files still run;
    ``None`` when the file is absent (a problem when it is required) or cannot be read as a table.
    """
    assert kind.schema is not None, f"{kind.role} is not a table"
    columns = required_columns(kind.schema)
    frame = read_text_table(path, problems, kind.required, columns, catalogue.headers())
    if frame is None:
        return None
    at = problems.at(path)
    if kind.prepare is not None:
        kind.prepare(frame, at)
    for column, spec in kind.schema.columns.items():
        if column not in frame.columns and not spec.required:
            frame[column] = ""
    check_schema(frame, kind.schema, at)
    return frame


def find_input(data: DataSet, period: Period, kind: FileKind, problems: Problems) -> Path:
    """The file of an input to read: the one of its accepted names that is present.

    Both present is a problem (the usual name is returned, so that its own problems are listed too);
    neither gives the usual name, which the reader reports missing when the file is required.
    """
    candidates = kind.candidates(data, period)
    present = [path for path in candidates if path.is_file()]
    if len(present) > 1:
        problems.at(kind.folder(data, period)).add(
            found="both " + " and ".join(path.name for path in present),
            expected=f"exactly one file of {kind.role}: " + " or ".join(path.name for path in candidates),
        )
    return present[0] if present else candidates[0]


def read_budget_book(data: DataSet, period: Period, problems: Problems) -> pd.DataFrame | None:
    """The year's budget book alone, checked and parsed; ``None`` when it has problems."""
    path = find_input(data, period, catalogue.BUDGET_BOOK, problems)
    with problems.watch() as watch:
        frame = read_kind(catalogue.BUDGET_BOOK, path, problems)
    if frame is None or not watch.clean:
        return None
    book: pd.DataFrame = catalogue.BUDGET_BOOK.parsed(frame)
    return book


def load_period(data: DataSet | Path | str, period: Period | str) -> PeriodInputs:
    """Read and check every input of one period; raise :class:`~finlib.errors.InputError` listing every problem."""
    data = DataSet.at(data)
    period = Period.parse(period)
    problems = Problems()
    settings = read_settings(data.authority_file, problems)
    check_period_folders(data, period.financial_year, problems)
    if not data.period_dir(period).is_dir():
        problems.append(missing_period_folder(data, period))
        problems.raise_if_any()
    paths = {kind.role: find_input(data, period, kind, problems) for kind in catalogue.PERIOD_KINDS}
    read = Read(period.financial_year, paths)
    for kind in catalogue.PERIOD_KINDS:
        if kind.schema is not None:
            read.frames[kind.role] = read_kind(kind, paths[kind.role], problems)
    for kind in catalogue.PERIOD_KINDS:
        for check in kind.checks:
            check(read, problems)
    period_kind = read_period_kind(paths[catalogue.PERIOD_SETTINGS.role], period, problems)
    problems.raise_if_any()
    frames = read.frames
    book, forecasts = frames["budget_book"], frames["forecasts"]
    assert book is not None and forecasts is not None
    return PeriodInputs(
        period=period,
        settings=settings,
        budget_book=catalogue.BUDGET_BOOK.parsed(book),
        forecasts=catalogue.FORECASTS.parsed(forecasts),
        adjustments=_records(catalogue.ADJUSTMENTS, frames),
        roll_forwards=_records(catalogue.ROLL_FORWARDS, frames) if frames["roll_forwards"] is not None else None,
        explanations=_records(catalogue.EXPLANATIONS, frames),
        capital_programme=catalogue.CAPITAL_PROGRAMME.parsed(frames["capital_programme"]),
        capital_forecasts=catalogue.CAPITAL_FORECASTS.parsed(frames["capital_forecasts"]),
        capital_funding=_records(catalogue.CAPITAL_FUNDING, frames),
        files={role: path for role, path in paths.items() if path.is_file()},
        virements=_records(catalogue.VIREMENTS, frames) if frames["virements"] is not None else None,
        kind=period_kind,
    )


def _records(kind: FileKind, frames: dict[str, pd.DataFrame | None]) -> Records:
    """A file's rows that can reach a report, with the file's exempt rule."""
    return Records(kind.parsed(frames[kind.role]), kind.exempt)


def check_period_folders(data: DataSet, year: FinancialYear, problems: Problems) -> None:
    """Every period folder in a year's folder belongs to that year (April to March)."""
    folder = data.year_dir(year)
    if not folder.is_dir():
        return
    for child in sorted(folder.iterdir()):
        if not (child.is_dir() and is_period(child.name)):
            continue
        belongs = Period.parse(child.name).financial_year
        if belongs != year:
            problems.at(child).add(
                found=f"the folder of period {child.name} in the folder of {year}",
                expected=f"{child.name} in the folder of its financial year {belongs} (April to March): "
                f"{shown(data.period_dir(Period.parse(child.name)))}",
            )


def missing_period_folder(data: DataSet, period: Period) -> Problem:
    """No folder for the period: say where one was put instead, when it is in another year's folder."""
    folder = data.period_dir(period)
    name = str(period)
    candidates = [data.root / name, *(p for p in data.root.glob(f"*/{name}") if is_financial_year(p.parent.name))]
    elsewhere = sorted(p for p in candidates if p.is_dir() and p != folder)
    expected = f"the folder of period {name}"
    if elsewhere:
        where = ", ".join(shown(p) for p in elsewhere)
        expected += f" (found at {where}: period {name} belongs to {period.financial_year}, so move it here)"
    return Problem(shown(folder), found="no such folder", expected=expected)


def period_folders(data: DataSet, year: FinancialYear) -> list[Period]:
    """The periods of a year that have a folder of inputs, in order."""
    folder = data.year_dir(year)
    if not folder.is_dir():
        return []
    found = (Period.parse(child.name) for child in folder.iterdir() if child.is_dir() and is_period(child.name))
    return sorted(p for p in found if p.financial_year == year)
