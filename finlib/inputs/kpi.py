"""Reading a year's performance indicators (``kpis.csv``) and a period's results (``kpi_results.csv``).

Values are kept as printed and checked against each indicator's unit (a percentage ends in ``%``, a
number does not); every problem names the file, row and column.  The results a period's directions of
travel compare with are those of the year's previous period that has results.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finlib.config import DataSet
from finlib.core import kpi
from finlib.core.period import Period, is_period
from finlib.errors import FileProblems, Problems
from finlib.inputs import catalogue
from finlib.inputs.period import period_folders, read_kind
from finlib.inputs.tables import row_number


@dataclass(frozen=True)
class Dashboard:
    """A period's indicators and results, and the results of the year's earlier periods."""

    period: Period
    indicators: tuple[kpi.Indicator, ...]
    results: tuple[kpi.Result, ...]
    earlier: tuple[tuple[Period, tuple[kpi.Result, ...]], ...] = ()  # every earlier period's results of the year

    @property
    def previous_period(self) -> Period | None:
        """The year's last period before this one with results: what monthly directions compare with."""
        return self.earlier[-1][0] if self.earlier else None

    def rated(self) -> list[kpi.Rated]:
        """Every indicator with a result this period, rated; a monthly indicator's direction of travel is
        against the previous period's result, a quarterly or annual one's against its last result."""
        return kpi.rate_all(self.indicators, self.results, [p for i in self.indicators if (p := self.before(i))])

    def before(self, indicator: kpi.Indicator) -> kpi.Result | None:
        """The result an indicator's direction of travel compares with, if any."""
        periods = self.earlier if indicator.frequency != "monthly" else self.earlier[-1:]
        for _, results in reversed(periods):
            found = next((r for r in results if r.ref == indicator.ref and r.latest is not None), None)
            if found is not None:
                return found
        return None

    def trend(self, ref: str) -> list[tuple[Period, kpi.Value]]:
        """An indicator's latest result at each report of the year with one, this period's last: each with
        the month it is for (its ``results_to``, or the report's month)."""
        points = []
        for period, results in (*self.earlier, (self.period, self.results)):
            found = next((r for r in results if r.ref == ref and r.latest is not None), None)
            if found is not None and found.latest is not None:
                points.append((Period.parse(found.results_to) if found.results_to else period, found.latest))
        return points


def has_dashboard(data: DataSet, period: Period) -> bool:
    return catalogue.KPIS.candidates(data, period)[0].is_file()


def read_dashboard(
    data: DataSet, period: Period, directorates: list[str] | None, problems: Problems
) -> Dashboard | None:
    """The period's dashboard; ``None`` without ``kpis.csv`` or with problems (added to ``problems``).

    ``directorates``: those of the budget book, which every indicator's directorate must be one of.
    """
    path = catalogue.KPIS.candidates(data, period)[0]
    if not path.is_file():
        results_path = catalogue.KPI_RESULTS.candidates(data, period)[0]
        if results_path.is_file():
            problems.at(results_path).add(
                found=f"results with no {path.name}",
                expected=f"{path} naming the indicators these results are for, or no kpi_results.csv",
            )
        return None
    with problems.watch() as watch:
        indicators = read_indicators(path, directorates, problems)
        results = None
        results_path = catalogue.KPI_RESULTS.candidates(data, period)[0]
        if indicators is not None and results_path.is_file():
            results = read_results(results_path, period, indicators, problems)
        before = [p for p in period_folders(data, period.financial_year) if p < period]
        earlier = [p for p in before if catalogue.KPI_RESULTS.candidates(data, p)[0].is_file()]
        history: list[tuple[Period, tuple[kpi.Result, ...]]] = []
        for when in earlier if indicators is not None else []:
            assert indicators is not None
            read = read_results(catalogue.KPI_RESULTS.candidates(data, when)[0], when, indicators, problems)
            history.append((when, tuple(read or ())))
    if not watch.clean or indicators is None:
        return None
    return Dashboard(period, tuple(indicators), tuple(results or ()), tuple(history))


def _value(at: FileProblems, row: int, column: str, text: str, unit: str, more: str = ", or N/a") -> kpi.Value | None:
    """A printed result (``N/a`` allowed: ``None``), or a problem naming the cell."""
    try:
        return kpi.parse_value(text, unit)
    except ValueError:
        at.add(row=row, column=column, found=text, expected=kpi.VALUE_EXPECTED.get(unit, "a value") + more)
        return None


def _bound(at: FileProblems, row: int, column: str, text: str, unit: str) -> kpi.Value | None:
    """A target, floor or bound: a value of the unit, never N/a."""
    value = _value(at, row, column, text, unit, "")
    if value is None and text.lower() in kpi.NOT_AVAILABLE:
        at.add(row=row, column=column, found=text, expected=kpi.VALUE_EXPECTED.get(unit, "a value"))
    return value


def read_indicators(path: Path, directorates: list[str] | None, problems: Problems) -> list[kpi.Indicator] | None:
    """``kpis.csv`` as indicators, in the file's order; ``None`` with problems."""
    with problems.watch() as watch:
        frame = read_kind(catalogue.KPIS, path, problems)
    if frame is None or not watch.clean:
        return None
    at = problems.at(path)
    found: list[kpi.Indicator] = []
    start = len(problems)
    for index, record in frame.iterrows():
        row = row_number(index)
        get = {column: str(record[column]).strip() for column in frame.columns}
        kind, unit = get["kind"].lower(), get["unit"]
        if directorates is not None and get["directorate"] not in directorates:
            at.add(
                row=row,
                column="directorate",
                found=get["directorate"],
                expected="a directorate of budget_book.csv: " + "; ".join(directorates),
            )
        values: dict[str, kpi.Value | None] = {}
        own = ("target", "floor") if kind == "kpi" else ("upper", "lower")
        for column in ("target", "floor", "upper", "lower"):
            text = get[column]
            if column not in own:
                if text:
                    what = "KPIs" if column in ("target", "floor") else "activity indicators"
                    at.add(row=row, column=column, found=text, expected=f"blank: a {column} is for {what} only")
                continue
            values[column] = _bound(at, row, column, text, unit) if text else None
            if kind == "kpi" and not text:
                at.add(
                    row=row,
                    column=column,
                    found="",
                    expected=f"the KPI's {'floor standard' if column == 'floor' else 'target'}, such as "
                    + ("95%" if unit == "%" else "1,500"),
                )
        target, floor = values.get("target"), values.get("floor")
        if target is not None and floor is not None and target.number == floor.number:
            at.add(
                row=row,
                column="floor",
                found=floor.text,
                expected=f"a floor standard other than the target {target.text}: the floor below the target "
                "when higher is better, above it when lower is better",
            )
        upper, lower = values.get("upper"), values.get("lower")
        if upper is not None and lower is not None and lower.number > upper.number:
            at.add(row=row, column="lower", found=lower.text, expected=f"at most the upper bound {upper.text}")
        found.append(
            kpi.Indicator(
                ref=get["ref"],
                indicator=get["indicator"],
                kind=kind,
                directorate=get["directorate"],
                service_area=get["service_area"],
                director=get["director"],
                cabinet_member=get["cabinet_member"],
                delivery_by=get["delivery_by"],
                unit=unit,
                target=target,
                floor=floor,
                upper=upper,
                lower=lower,
                frequency=get["frequency"].lower() or "monthly",
            )
        )
    return found if len(problems) == start else None


def read_results(
    path: Path, period: Period, indicators: list[kpi.Indicator], problems: Problems
) -> list[kpi.Result] | None:
    """A period's ``kpi_results.csv`` checked against the indicators; ``None`` with problems."""
    with problems.watch() as watch:
        frame = read_kind(catalogue.KPI_RESULTS, path, problems)
    if frame is None or not watch.clean:
        return None
    at = problems.at(path)
    by_ref = {i.ref: i for i in indicators}
    found: list[kpi.Result] = []
    start = len(problems)
    for index, record in frame.iterrows():
        row = row_number(index)
        get = {column: str(record[column]).strip() for column in frame.columns}
        indicator = by_ref.get(get["ref"])
        if indicator is None:
            at.add(row=row, column="ref", found=get["ref"], expected="the ref of an indicator of kpis.csv")
            continue
        latest = _value(at, row, "latest", get["latest"], indicator.unit)
        ytd: kpi.Value | str | None
        if get["ytd"].lower() in (kpi.SNAPSHOT, kpi.SNAPSHOT_TEXT.lower()):
            ytd = kpi.SNAPSHOT
        else:
            ytd = _value(at, row, "ytd", get["ytd"], indicator.unit, ", snapshot (Snapshot data) or N/a")
        if get["previous_year"]:
            _value(at, row, "previous_year", get["previous_year"], indicator.unit)
        results_to = get["results_to"]
        if results_to:
            earlier = Period.parse(results_to) if is_period(results_to) else None
            if earlier is None or earlier.financial_year != period.financial_year or earlier > period:
                at.add(
                    row=row,
                    column="results_to",
                    found=results_to,
                    expected=f"blank, or the month (YYYY-MM) of {period.financial_year} up to {period} that the "
                    "latest result is for",
                )
        found.append(kpi.Result(indicator.ref, latest, ytd, get["previous_year"], results_to))
    return found if len(problems) == start else None


def frame_of(rated: list[kpi.Rated]) -> pd.DataFrame:
    """The rated indicators as a table, one row per indicator, the values as printed."""
    rows = []
    for r in rated:
        cells = r.printed()
        place = {"kind": r.indicator.kind, "directorate": r.indicator.directorate}
        rows.append({"ref": cells.pop("ref"), "indicator": cells.pop("indicator"), **place,
                     "service_area": r.indicator.service_area, **cells})  # fmt: skip
    return pd.DataFrame(rows)
