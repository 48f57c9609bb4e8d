"""The budget holders' returns of a period: what ``finlib returns issue|collect|status`` runs.

This module gathers (the budget book, who manages each line, the budget each line has this period, the
forecast last reported, the ledger's actuals and computed forecasts) and hands it to the pure domain
(:mod:`finlib.core.returns`); the workbooks are written by :mod:`finlib.render.returns` and read by
:mod:`finlib.inputs.returns`.

``collect`` writes the period's ``forecasts.csv`` and the revenue rows of ``explanations.csv`` only when
every return is valid or left out by name, and records what it wrote in ``returns_collected.json``; a
file of the period it did not write (made by hand) is never overwritten unless told to replace it, and
then it is kept in ``replaced/``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finlib import store
from finlib.config import DataSet
from finlib.core import forecast, returns
from finlib.core.period import Period
from finlib.core.returns import Issued, Returned, Status
from finlib.core.revenue import Position
from finlib.errors import InputError, Problem, Problems, UsageError, shown
from finlib.inputs import catalogue, ledger
from finlib.inputs.budget import expected_budgets
from finlib.inputs.managers import read_managers
from finlib.inputs.period import read_budget_book
from finlib.inputs.returns import explanation_rows, limits_for, read_return, returned_files
from finlib.inputs.settings import read_settings
from finlib.money import pounds
from finlib.pack.progress import Progress
from finlib.store import collected

ISSUED = "issued.csv"
REVENUE_ABOUT = returns.EXPLANATION_ABOUT
FORECASTS = "forecasts.csv"
EXPLANATIONS = "explanations.csv"


@dataclass(frozen=True)
class Round:
    """A period's returns as they are issued: one plan per manager, and what the checks need."""

    data: DataSet
    period: Period
    plans: tuple[Issued, ...]
    book_order: tuple[str, ...]
    threshold: int  # forecast_challenge, pence
    last: Position | None

    @property
    def by_manager(self) -> dict[str, Issued]:
        return {p.manager.casefold(): p for p in self.plans}

    def entering(self, entered: str) -> Round:
        """The same round with every return asking for the forecast as ``entered``."""
        return dataclasses.replace(self, plans=tuple(p.entering(entered) for p in self.plans))


def gather(data: DataSet | Path | str, period: Period | str, entered: str = "outturn") -> Round:
    """Everything the returns of ``period`` are made from; raises :class:`InputError` listing every problem."""
    data = DataSet.at(data)
    period = Period.parse(period)
    year = period.financial_year
    problems = Problems()
    settings = read_settings(data.authority_file, problems)
    book = read_budget_book(data, period, problems)
    problems.raise_if_any()
    assert book is not None
    path = catalogue.BUDGET_BOOK.candidates(data, period)[0]
    managers = read_managers(data, year, book, problems)
    if managers is None and not problems:
        problems.at(catalogue.MANAGERS.candidates(data, period)[0]).add(
            found="no such file",
            expected=f"managers.csv (line_id, manager, email), or a manager column in {shown(path)}: "
            "who receives each line's return",
        )
    problems.raise_if_any()
    assert managers is not None
    last_period = store.last_reported_period(data, period)
    last = None
    if last_period is not None and last_period.financial_year == year:
        last = store.load_published(data, last_period)
    requests = store.outturn_requests(data, year.previous) if last is None else None
    budgets = expected_budgets(data, period, book, last, requests, problems)
    problems.raise_if_any()
    assert budgets is not None
    actuals_frame, guidance = _guidance(data, period, budgets)
    plans = returns.plan(
        period,
        book,
        managers,
        budgets,
        last.lines if last is not None else None,
        actuals_frame,
        guidance,
        entered,
    )
    return Round(
        data,
        period,
        tuple(plans),
        tuple(str(i) for i in book.index),
        settings.thresholds.forecast_challenge,
        last,
    )


def _guidance(
    data: DataSet, period: Period, budgets: pd.Series
) -> tuple[pd.DataFrame | None, dict[str, forecast.Computed] | None]:
    """The ledger's actuals by line and month to the period, and each line's computed forecasts; ``None``
    when the year has no ledger or it does not yet reach the period."""
    year = period.financial_year
    if not ledger.has_ledger(data, year):
        return None, None
    actuals = ledger.read_actuals(data, year, through=period)
    if actuals.through < period:
        return None, None
    previous = ledger.load_previous(data, year)
    months = len(period.months_to_date())
    guidance = forecast.computed_lines({str(k): int(v) for k, v in budgets.items()}, actuals, previous, months)
    return actuals.lines, guidance


# ---------------------------------------------------------------------------
# Issue


def issue(
    data: DataSet | Path | str, period: Period | str, out: Path, entered: str = "outturn", quiet: bool = False
) -> list[Path]:
    """Write one return per manager into ``out``, and ``issued.csv`` (the mailing list); the paths written."""
    from finlib.render.returns import write_issued, write_return

    data = DataSet.at(data)
    _refuse_inside(data, out)
    round_ = gather(data, period, entered)
    written = []
    with Progress(len(round_.plans), "Returns", "return", enabled=not quiet) as bar:
        for issued in round_.plans:
            path = out / issued.file_name
            write_return(issued, path)
            written.append(path)
            bar.done(issued.manager)
    write_issued(out / ISSUED, round_.plans)
    return written


def _refuse_inside(data: DataSet, out: Path) -> None:
    """Returns are not written into the data set's published record or its period folders."""
    target = out.resolve()
    for folder in (data.published_dir, data.root):
        try:
            target.relative_to(folder.resolve())
        except ValueError:
            continue
        raise UsageError(
            f"{shown(out)} is inside the data set {shown(data.root)}: write the returns to a folder of their own"
        )


# ---------------------------------------------------------------------------
# Reading a folder of returns


@dataclass(frozen=True)
class Checked:
    """Every return in a folder, checked against a round."""

    round: Round
    returned: dict[str, Returned]  # by manager (casefold)
    invalid: dict[str, list[Problem]]  # by manager (casefold) when the file names one, else by file
    files: dict[str, Path]  # by manager (casefold): the file of each return found
    problems: list[Problem] = field(default_factory=list)  # every problem, in file order


def check_folder(
    data: DataSet | Path | str, period: Period | str, folder: Path, skip: Sequence[str] = (), quiet: bool = True
) -> Checked:
    """Read and check every workbook of ``folder``; the returns of managers in ``skip`` are not checked."""
    data = DataSet.at(data)
    period = Period.parse(period)
    if not folder.is_dir():
        raise UsageError(f"{shown(folder)}: no such folder of returns")
    paths, problems = returned_files(folder)
    read: list[tuple[Path, returns.Sheets | None, list[Problem]]] = []
    probe = gather(data, period)
    width = max((p.layout.width for p in probe.plans), default=0)
    most = max((len(p.lines) for p in probe.plans), default=0)
    with Progress(len(paths), "Reading returns", "return", enabled=not quiet) as bar:
        for path in paths:
            sheets, found = read_return(path, limits_for(most, width))
            read.append((path, sheets, found))
            bar.done(path.name)
    entries = Counter(returns.identity_of(s).get("entered", "") for _, s, _ in read if s is not None).most_common()
    entered = next((e for e, _ in entries if e in returns.ENTRIES), "outturn")
    round_ = probe.entering(entered)
    plans = round_.by_manager
    skipped = {name.casefold() for name in skip}
    returned: dict[str, Returned] = {}
    invalid: dict[str, list[Problem]] = {}
    files: dict[str, Path] = {}
    by_file = {issued.file_name: key for key, issued in plans.items()}
    for path, sheets, found in read:
        file = shown(path)
        manager = returns.identity_of(sheets).get("manager", "").casefold() if sheets is not None else ""
        # whose return it is: the manager it names, else the manager it was issued to by its file's name
        owner = manager if manager in plans else by_file.get(path.name, manager)
        if owner in skipped:
            files.setdefault(owner, path)
            continue
        if manager in files:
            found = [
                *found,
                Problem(
                    file,
                    sheet=returns.IDENTITY_SHEET,
                    cell="B2",
                    found=returns.identity_of(sheets).get("manager", "") if sheets is not None else None,
                    expected=f"one return for each manager: {shown(files[manager])} is this manager's return "
                    "too; keep one of the two",
                ),
            ]
        if sheets is not None and not found:
            result, found = returns.check_return(file, sheets, period, plans)
            if result is not None and not found:
                returned[manager] = result
        elif sheets is not None:
            _, more = returns.check_return(file, sheets, period, plans)
            found = [*found, *(p for p in more if p not in found)]
        if found:
            invalid.setdefault(owner or file, []).extend(found)
            problems.extend(found)
        files.setdefault(owner or file, path)
    return Checked(round_, returned, invalid, files, problems)


# ---------------------------------------------------------------------------
# Collect


@dataclass(frozen=True)
class Collected:
    period: Period
    written: list[Path]
    replaced: list[Path]
    returned: int
    left_out: dict[str, str]
    unchanged: bool  # the files were already as collected


def collect(
    data: DataSet | Path | str,
    period: Period | str,
    folder: Path,
    without: Sequence[str] = (),
    reason: str | None = None,
    replace: bool = False,
    quiet: bool = True,
) -> Collected:
    """Turn a folder of returns into the period's ``forecasts.csv`` and ``explanations.csv``.

    Raises :class:`InputError` (nothing written) when a return has a problem or a manager's return is
    missing and not left out with ``without`` (managers' names) and a ``reason``; :class:`UsageError` when
    a file of the period would be overwritten that collect did not write, unless ``replace``.
    """
    data = DataSet.at(data)
    period = Period.parse(period)
    left_reason = (reason or "").strip()
    if without and not left_reason:
        raise UsageError("--without needs --reason: why the return is left out")
    if reason is not None and not without:
        raise UsageError("--reason is for --without: name the manager whose return is left out")
    checked = check_folder(data, period, folder, without, quiet)
    round_ = checked.round
    plans = round_.by_manager
    unknown = [name for name in without if name.casefold() not in plans]
    if unknown:
        raise UsageError(
            f"--without {unknown[0]!r}: not a budget manager of {period}; the managers are "
            + "; ".join(p.manager for p in round_.plans)
        )
    left_out = {plans[name.casefold()].manager: left_reason for name in without}
    problems = list(checked.problems)
    for key, issued in plans.items():
        if key in checked.returned or issued.manager in left_out or key in checked.invalid:
            continue
        problems.append(
            Problem(
                shown(folder),
                found=f"no return from {issued.manager} ({issued.file_name} was issued)",
                expected=f'their return in the folder, or --without {issued.manager!r} --reason "why": their '
                "lines then keep the forecast last reported",
            )
        )
    for manager in left_out:
        issued = plans[manager.casefold()]
        if issued.lines and issued.lines[0].last_outturn is None:
            problems.append(
                Problem(
                    shown(folder),
                    found=f"--without {manager!r}",
                    expected=f"{manager}'s return: nothing was reported before for their lines, so there is no "
                    "forecast to keep",
                )
            )
    if problems:
        raise InputError(problems)
    left = {m.casefold(): returns.LeftOut(m, r) for m, r in left_out.items()}
    forecasts = returns.forecasts_frame(list(round_.plans), checked.returned, left, round_.book_order)
    explanations = returns.explanations_frame(list(round_.plans), checked.returned, round_.book_order)
    return _write_period(data, period, round_, checked, forecasts, explanations, left_out, replace)


def _write_period(
    data: DataSet,
    period: Period,
    round_: Round,
    checked: Checked,
    forecasts: pd.DataFrame,
    explanations: pd.DataFrame,
    left_out: Mapping[str, str],
    replace: bool,
) -> Collected:
    folder = data.period_dir(period)
    forecasts_bytes = csv_bytes(
        [
            {str(column): (pounds(int(value)) if column != "line_id" else value) for column, value in row.items()}
            for row in forecasts.to_dict("records")
        ],
        list(forecasts.columns),
    )
    kept = [r for r in explanation_rows(folder / EXPLANATIONS) if r["about"].strip().lower() not in REVENUE_ABOUT]
    explanation_bytes = csv_bytes([*_records(explanations), *kept], ["subject", "about", "text"])
    outputs = {FORECASTS: forecasts_bytes, EXPLANATIONS: explanation_bytes}

    def only_kept_rows(path: Path) -> bool:
        """An explanations.csv without revenue rows loses nothing: its rows are carried over."""
        return path.name == EXPLANATIONS and not any(
            r["about"].strip().lower() in REVENUE_ABOUT for r in explanation_rows(path)
        )

    record = collected.record_bytes(
        {
            "period": str(period),
            "entered": round_.plans[0].entered if round_.plans else "outturn",
            "returns": [
                {
                    "manager": r.manager,
                    "file": checked.files[key].name,
                    "sha256": collected.file_sha(checked.files[key]),
                    "lines": len(round_.by_manager[key].lines),
                }
                for key, r in sorted(checked.returned.items())
            ],
            "left_out": [{"manager": m, "reason": r} for m, r in sorted(left_out.items())],
            "files": {name: collected.sha256(content) for name, content in sorted(outputs.items())},
        }
    )
    saved = collected.save(folder, outputs, record, replace, only_kept_rows)
    return Collected(period, saved.written, saved.replaced, len(checked.returned), dict(left_out), saved.unchanged)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def csv_bytes(rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------
# Status


def status(
    data: DataSet | Path | str, period: Period | str, folder: Path, without: Sequence[str] = ()
) -> tuple[list[Status], list[Path]]:
    """Each manager's return: returned, missing, invalid or left out, unchanged since last reported, and
    the lines whose forecast departs from every computed method; written to ``folder/working/``."""
    from finlib.render.returns import write_status

    data = DataSet.at(data)
    period = Period.parse(period)
    checked = check_folder(data, period, folder, without)
    statuses = statuses_of(checked, without)
    paths = write_status(folder / "working", period, statuses, checked.problems, checked.round.threshold)
    return statuses, paths


def statuses_of(checked: Checked, without: Sequence[str] = ()) -> list[Status]:
    skipped = {name.casefold() for name in without}
    found = []
    for issued in checked.round.plans:
        key = issued.manager.casefold()
        path = checked.files.get(key)
        file = path.name if path is not None else ""
        base = Status(issued.manager, issued.email, file, len(issued.lines), "missing")
        if key in skipped:
            found.append(dataclasses.replace(base, state="left out"))
        elif key in checked.returned:
            got = checked.returned[key]
            flagged = returns.challenged(issued, got, checked.round.threshold)
            found.append(dataclasses.replace(base, state="returned", unchanged=got.unchanged, challenged=flagged))
        elif key in checked.invalid:
            problems = checked.invalid[key]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            detail = problems[0].at() + more
            found.append(dataclasses.replace(base, state="invalid", problems=len(problems), detail=detail))
        else:
            found.append(base)
    return found
