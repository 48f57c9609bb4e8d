"""Forecast methods side by side, forecast history and forecast accuracy.

Pure functions on data (no files): :mod:`finlib.analysis` gathers the published positions and the
ledger's actuals they take.

Each budget line's forecast outturn by every method (amounts in pence, each rounded to the penny by
:func:`finlib.money.scale`, never through a float):

- ``budget``: the net budget itself (a variance of nil);
- ``run-rate``: the year to date scaled to twelve months (``ytd × 12 / months elapsed``);
- ``profiled``: the year to date spread by last year's monthly profile of the line
  (``ytd × last year's outturn / last year's year to date at the same month``).  Without last year's
  ledger, or where last year's year to date is nil or of the other sign than its outturn, the line
  has no usable profile and the even profile (the run-rate) is used; ``profile`` says which;
- ``return``: the budget manager's own forecast (``forecasts.csv``: net budget + Net Forecast Variance).

A line's ``chosen`` forecast is the method named for it in ``forecast_methods.csv``, else the default
of ``authority.yaml`` (``forecast_method``).  A line is *flagged* when the manager's return departs
from every computed method (budget, run-rate and profiled) by more than the threshold
``thresholds.forecast_challenge``: the analyst's cue to challenge it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finlib.core import revenue
from finlib.core.actuals import YTD, Actuals
from finlib.core.kinds import LineKind
from finlib.core.period import FinancialYear, Period
from finlib.core.revenue import STRUCTURE, Position
from finlib.core.settings import FORECAST_METHODS, Labels, Settings
from finlib.money import scale

#: The column holding each method's forecast outturn.
METHOD_COLUMNS = {"budget": "budget", "run-rate": "run_rate", "profiled": "profiled", "return": "manager"}
#: The methods the manager's return is checked against.
COMPUTED = ("budget", "run-rate", "profiled")
OUTTURNS = [METHOD_COLUMNS[m] for m in FORECAST_METHODS]
AMOUNTS = ["net_budget", YTD, *OUTTURNS, "chosen", "departure"]


@dataclass(frozen=True)
class Methods:
    """Every forecast method for every line of a period, side by side (exact pence).

    ``lines`` is indexed by line_id: the structure columns, ``net_budget``, ``ytd`` (actual to date),
    one outturn column per method (:data:`METHOD_COLUMNS`), ``method`` (the line's chosen method) and
    ``chosen`` (its outturn), ``profile`` (``last year`` or ``even``), ``nearest`` (the computed method
    closest to the manager's return), ``departure`` (return − nearest) and ``flag``.
    """

    period: Period
    months: int
    threshold: int
    default: str
    lines: pd.DataFrame

    def narrowed(self, lines: pd.DataFrame) -> Methods:
        """The same methods for a selection of the lines."""
        return Methods(self.period, self.months, self.threshold, self.default, lines)

    @property
    def flagged(self) -> pd.DataFrame:
        """The flagged lines, largest departure first."""
        flagged = self.lines[self.lines["flag"]]
        order = flagged["departure"].abs().sort_values(ascending=False, kind="stable").index
        return flagged.loc[order]


def run_rate(ytd: int, months: int) -> int:
    """Year to date scaled to twelve months."""
    return scale(ytd, 12, months)


def profiled(ytd: int, last_ytd: int, last_outturn: int) -> int | None:
    """Year to date spread by last year's profile; ``None`` when last year gives no usable profile."""
    if last_ytd == 0 or last_outturn == 0 or (last_ytd > 0) != (last_outturn > 0):
        return None
    return scale(ytd, last_outturn, last_ytd)


@dataclass(frozen=True)
class Computed:
    """A line's forecast outturns by the computed methods (pence), and which profile ``profiled`` used."""

    ytd: int
    budget: int
    run_rate: int
    profiled: int
    profile: str  # "last year" or "even"

    def outturns(self) -> dict[str, int]:
        return {"budget": self.budget, "run-rate": self.run_rate, "profiled": self.profiled}


def computed(line_id: str, budget: int, actuals: Actuals, previous: Actuals | None, months: int) -> Computed:
    """One line's computed forecasts from its actuals to date (``months`` of them) and last year's ledger."""
    return computed_lines({line_id: budget}, actuals, previous, months)[line_id]


def computed_lines(
    budgets: Mapping[str, int], actuals: Actuals, previous: Actuals | None, months: int
) -> dict[str, Computed]:
    """Each line's computed forecasts, by line_id, for every line of ``budgets`` (pence): the ledgers are
    read once, as whole pence, for all the lines."""
    ytd_of = {str(k): int(v) for k, v in actuals.lines[YTD].items() if not pd.isna(v)}
    last_of: dict[str, tuple[int, int]] = {}  # line_id → (last year to this month, last year's outturn)
    if previous is not None:
        so_far = previous.month_columns[:months]
        frame = previous.lines[[*so_far, YTD]]
        for line_id, *values in frame.itertuples(name=None):
            last_of[str(line_id)] = (sum(int(v) for v in values[:-1]), int(values[-1]))
    found = {}
    for line_id, budget in budgets.items():
        ytd = ytd_of.get(line_id, 0)
        rate = run_rate(ytd, months)
        last = last_of.get(line_id)
        shaped = profiled(ytd, *last) if last is not None else None
        if shaped is None:
            found[line_id] = Computed(ytd, budget, rate, rate, "even")
        else:
            found[line_id] = Computed(ytd, budget, rate, shaped, "last year")
    return found


def departure(manager: int, outturns: Mapping[str, int]) -> tuple[str, int]:
    """The computed method nearest the manager's outturn (the first of :data:`COMPUTED` on a tie), and
    how far the manager's outturn is from it (return − nearest)."""
    nearest = min(COMPUTED, key=lambda m: (abs(manager - outturns[m]), COMPUTED.index(m)))
    return nearest, manager - outturns[nearest]


def compare_methods(
    position: Position,
    actuals: Actuals,
    previous: Actuals | None,
    settings: Settings,
    choices: Mapping[str, str] | None = None,
) -> Methods:
    """Every method's forecast outturn for each line of ``position``, the chosen one, and the flags.

    ``actuals`` runs from April to the position's period; ``previous`` is last year's ledger on this
    year's lines (all twelve months), or ``None``; ``choices`` maps line_id → method for the lines that
    do not use ``settings.forecast_method``.
    """
    months = position.period.month_of_year
    if actuals.through != position.period:
        raise ValueError(f"actuals run to {actuals.through}, the position is for {position.period}")
    choices = choices or {}
    threshold = settings.thresholds.forecast_challenge
    lines = position.lines[STRUCTURE].copy()
    rows = []
    budgets = {str(k): int(v) for k, v in position.lines["net_budget"].items()}
    every = computed_lines(budgets, actuals, previous, months)
    for line_id, line in position.lines.iterrows():
        budget = int(line["net_budget"])
        methods = every[str(line_id)]
        outturns = {**methods.outturns(), "return": budget + int(line["net_forecast_variance"])}
        method = choices.get(str(line_id), settings.forecast_method)
        nearest, departs = departure(outturns["return"], outturns)
        rows.append(
            {
                "net_budget": budget,
                YTD: methods.ytd,
                **{METHOD_COLUMNS[m]: outturns[m] for m in FORECAST_METHODS},
                "method": method,
                "chosen": outturns[method],
                "profile": methods.profile,
                "nearest": nearest,
                "departure": departs,
                "flag": abs(departs) > threshold,
            }
        )
    values = pd.DataFrame(rows, index=lines.index)
    for column in AMOUNTS:
        values[column] = values[column].astype("Int64")
    return Methods(position.period, months, threshold, settings.forecast_method, lines.join(values))


def variances(methods: Methods) -> pd.DataFrame:
    """The methods as forecast variances against the net budget (outturn − budget), line by line."""
    lines = methods.lines.copy()
    for column in [*OUTTURNS, "chosen"]:
        lines[column] = lines[column] - lines["net_budget"]
    return lines


def authority_methods(methods: Methods, labels: Labels) -> pd.DataFrame:
    """Net budget, actual to date and each method's outturn in the rows of the authority table."""
    return revenue.authority_rollup(methods.lines, labels, ["net_budget", YTD, *OUTTURNS, "chosen"])


def directorate_methods(methods: Methods, directorate: str) -> pd.DataFrame:
    """The same in the rows of a directorate table."""
    return revenue.directorate_rollup(methods.lines, directorate, ["net_budget", YTD, *OUTTURNS, "chosen"])


# ---------------------------------------------------------------------------
# History and accuracy

Dated = Sequence[tuple[Period, Position]]  # positions in period order


def history(positions: Dated) -> pd.DataFrame:
    """Each line's Net Forecast Variance in each period given (a column per period), and its ``change``
    from the first to the last.  Lines missing from a period (new since) are blank there."""
    if not positions:
        raise ValueError("no positions to compare")
    last = positions[-1][1].lines
    table = last[STRUCTURE].copy()
    for period, position in positions:
        table[str(period)] = position.lines["net_forecast_variance"].reindex(table.index).astype("Int64")
    first, final = str(positions[0][0]), str(positions[-1][0])
    table["change"] = (table[final] - table[first]).astype("Int64")
    return table


def accuracy(positions: Dated, outturn: pd.Series) -> pd.DataFrame:
    """How far each period's forecast outturn (net budget + Net Forecast Variance) was from the outturn.

    Long form, one row per line and period: the structure, ``period``, ``month`` (1 for April),
    ``forecast``, ``outturn`` and ``error`` = forecast − outturn (+: the forecast was too high).
    """
    rows = []
    for period, position in positions:
        lines = position.lines
        forecast = lines["net_budget"] + lines["net_forecast_variance"]
        for line_id in lines.index:
            actual = int(outturn.get(line_id, 0))
            rows.append(
                {
                    "line_id": line_id,
                    **{column: lines.at[line_id, column] for column in STRUCTURE},
                    "period": str(period),
                    "month": period.month_of_year,
                    "forecast": int(forecast[line_id]),
                    "outturn": actual,
                    "error": int(forecast[line_id]) - actual,
                }
            )
    frame = pd.DataFrame(rows)
    for column in ("forecast", "outturn", "error"):
        frame[column] = frame[column].astype("Int64")
    return frame


def accuracy_by_line(frame: pd.DataFrame) -> pd.DataFrame:
    """Each line's forecast error in each month it was forecast (a column per period), its mean absolute
    error (to the penny) and its worst error; the least accurate lines first."""
    table = frame.pivot(index="line_id", columns="period", values="error")
    structure = frame.drop_duplicates("line_id").set_index("line_id")[STRUCTURE]
    table = structure.join(table)
    periods = sorted(frame["period"].unique())
    mean_abs: dict[Any, int] = {}
    worst: dict[Any, int] = {}
    for line_id, errors in frame.groupby("line_id", sort=False)["error"]:
        values = [int(e) for e in errors]
        mean_abs[line_id] = scale(sum(abs(e) for e in values), 1, len(values))
        worst[line_id] = max(values, key=abs)  # the first of equal sizes, in period order
    # by label, never by position: the lines' order in the table is not the groups' order
    table["mean_abs_error"] = pd.array([mean_abs[i] for i in table.index], dtype="Int64")
    table["worst"] = pd.array([worst[i] for i in table.index], dtype="Int64")
    for period in periods:
        table[period] = table[period].astype("Int64")
    order = table["mean_abs_error"].sort_values(ascending=False, kind="stable").index
    return table.loc[order, [*STRUCTURE, *periods, "mean_abs_error", "worst"]]


def accuracy_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """For each month's forecast: the authority's total forecast and outturn, the net error, and the sum
    of the lines' absolute errors (errors that cancel out in the total still count here)."""
    rows = []
    for period, part in frame.groupby("period", sort=True):
        rows.append(
            {
                "period": period,
                "month": int(part["month"].iloc[0]),
                "forecast": int(part["forecast"].sum()),
                "outturn": int(part["outturn"].sum()),
                "error": int(part["error"].sum()),
                "abs_error": int(part["error"].abs().sum()),
            }
        )
    table = pd.DataFrame(rows)
    for column in ("forecast", "outturn", "error", "abs_error"):
        table[column] = table[column].astype("Int64")
    return table


@dataclass(frozen=True)
class Accuracy:
    """A completed year's forecasts against its outturn."""

    year: FinancialYear
    periods: list[Period]
    errors: pd.DataFrame  # long form (accuracy)
    by_line: pd.DataFrame
    by_month: pd.DataFrame


def year_accuracy(year: FinancialYear, positions: Dated, actuals: Actuals) -> Accuracy:
    """A completed year's published forecasts against the outturn of its ledger (all twelve months)."""
    if actuals.through != year.last_period:
        raise ValueError(f"{year} is not complete: its ledger runs to {actuals.through}, not {year.last_period}")
    errors = accuracy(positions, actuals.lines[YTD])
    return Accuracy(year, [p for p, _ in positions], errors, accuracy_by_line(errors), accuracy_by_month(errors))


@dataclass(frozen=True)
class Settling:
    """How one directorate's reported forecast outturn (net budget + revised net variance) approached its
    outturn over the year's reports: the error at each (pence, + too high), and the first report from
    which every error stayed within the threshold (``None``: the last report was still outside it)."""

    directorate: str
    errors: tuple[int, ...]
    settled: int | None  # an index into ``errors``


def settling(positions: Dated, outturn: Position, threshold: int) -> list[Settling]:
    """Each service directorate's :class:`Settling`, in the outturn's order of directorates."""
    final = outturn.lines
    service = final[final["kind"] == LineKind.SERVICE]
    found = []
    for directorate in dict.fromkeys(str(d) for d in service["directorate"]):
        own = service.index[service["directorate"] == directorate]
        actual = int((final.loc[own, "net_budget"] + final.loc[own, "revised_net_variance"]).sum())
        errors = []
        for _, position in positions:
            lines = position.lines.loc[position.lines.index.intersection(own)]
            errors.append(int((lines["net_budget"] + lines["revised_net_variance"]).sum()) - actual)
        settled = None
        for index in range(len(errors) - 1, -1, -1):
            if abs(errors[index]) > threshold:
                break
            settled = index
        found.append(Settling(directorate, tuple(errors), settled))
    return found
