"""The catalogue of input files: one declaration per kind of file a data set holds.

Each :class:`FileKind` says where the file lives and under which names, its schema, its parser, the
checks it takes part in across files, and its exempt-items rule (:class:`~finlib.core.records.ExemptRule`,
which has no default: a kind of file cannot be declared without saying how its rows about exempt items
stay out of public outputs).  Loading (:mod:`finlib.inputs.period`), published manifests and
``finlib verify`` (:mod:`finlib.store`) and the tests of bad inputs all read this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from finlib.config import DataSet
from finlib.core.period import Period
from finlib.core.records import ExemptRule, Refers
from finlib.errors import FileProblems
from finlib.inputs import checks, parse, schemas
from finlib.inputs.checks import Check
from finlib.inputs.tables import required_columns
from finlib.money import AMOUNT_EXPECTED


class Scope(StrEnum):
    """The folder a kind of file lives in."""

    ROOT = "root"  # <root>/
    YEAR = "year"  # <root>/<FY>/
    PERIOD = "period"  # <root>/<FY>/<YYYY-MM>/
    SCENARIOS = "scenarios"  # <root>/scenarios/<name>.csv, named when used


@dataclass(frozen=True)
class FileKind:
    """One kind of input file."""

    role: str  # its key in messages, manifests and PeriodInputs
    names: tuple[str, ...]  # accepted names, the usual one first; a period holds at most one of them
    scope: Scope
    describe: str
    exempt: ExemptRule
    schema: pa.DataFrameSchema | None = None  # None: read by a reader of its own (YAML, the ledger)
    parse: Callable[[Any], Any] | None = None
    required: bool = False
    period_input: bool = True  # read for a period, and recorded in its published manifest
    checks: tuple[Check, ...] = ()  # checks across files, run when the period is loaded
    prepare: Callable[[pd.DataFrame, FileProblems], None] | None = None  # before the schema is checked
    title: str | None = None  # how messages about another file name this one

    @property
    def name(self) -> str:
        return self.names[0]

    def parsed(self, frame: Any) -> Any:
        """A checked text frame (``None``: no file) through this kind's parser."""
        if self.parse is None:
            raise TypeError(f"{self.role} has no parser")
        return self.parse(frame)

    @property
    def shown_as(self) -> str:
        return self.title or self.name

    def folder(self, data: DataSet, period: Period) -> Path:
        if self.scope == Scope.ROOT:
            return data.root
        if self.scope == Scope.YEAR:
            return data.year_dir(period.financial_year)
        if self.scope == Scope.PERIOD:
            return data.period_dir(period)
        return data.scenarios_dir

    def candidates(self, data: DataSet, period: Period) -> list[Path]:
        """Where the file may be for ``period``, the usual name first."""
        folder = self.folder(data, period)
        return [folder / name for name in self.names]


def _one_forecast_column(frame: pd.DataFrame, at: FileProblems) -> None:
    """forecasts: exactly one of net_forecast_variance and net_forecast_outturn, no blank cell in it."""
    present = [c for c in ("net_forecast_variance", "net_forecast_outturn") if c in frame.columns]
    if len(present) != 1:
        at.add(
            row=1,
            column=" and ".join(present) or "net_forecast_variance",
            found="both columns" if present else "neither column",
            expected="exactly one of net_forecast_variance or net_forecast_outturn",
        )
    for column in ("net_forecast_variance", "net_forecast_outturn"):
        if column not in frame.columns:
            frame[column] = ""
    if len(present) == 1:
        cells = frame[present[0]]
        for row in cells.index[cells.eq("").to_numpy(dtype=bool)]:
            at.add(row=int(str(row)), column=present[0], found="", expected=AMOUNT_EXPECTED)


SETTINGS_RULE = ExemptRule.settings("the authority's own settings and words: nothing in them is about a line")

AUTHORITY = FileKind(
    "authority",
    ("authority.yaml",),
    Scope.ROOT,
    "the authority's name, thresholds (pounds), labels of the authority table's rows",
    SETTINGS_RULE,
    required=True,
)
BUDGET_BOOK = FileKind(
    "budget_book",
    ("budget_book.csv",),
    Scope.YEAR,
    "the year's budget lines",
    ExemptRule.marks("line_id", Refers.LINE, "restricted lines become Exempt items of their directorate"),
    schemas.BUDGET_BOOK,
    parse.budget_book,
    required=True,
    checks=(
        checks.budget_book_has_lines,
        checks.directorates_named_apart,
        checks.directorates_have_public_lines,
        checks.original_budgets_complete,
    ),
)
CAPITAL_PROGRAMME = FileKind(
    "capital_programme",
    ("capital_programme.csv",),
    Scope.YEAR,
    "capital schemes and their budget (cash limit) per year",
    ExemptRule.marks("scheme_id", Refers.SCHEME, "restricted schemes become one Exempt items scheme a directorate"),
    schemas.CAPITAL_PROGRAMME,
    parse.capital_programme,
    checks=(
        checks.one_row_per_scheme_year("capital_programme"),
        checks.same_per_scheme("scheme"),
        checks.same_per_scheme("directorate"),
        checks.same_per_scheme("restricted"),
        checks.capital_directorates_known,
    ),
)
FORECASTS = FileKind(
    "forecasts",
    ("forecasts.csv", "forecasts.xlsx"),
    Scope.PERIOD,
    "budget managers' positions, one row per budget line",
    ExemptRule.figures("line_id", Refers.LINE, "figures only, summed into the rows of the lines' structure"),
    schemas.FORECASTS,
    parse.forecasts,
    required=True,
    checks=(checks.forecast_lines_known, checks.every_line_forecast),
    prepare=_one_forecast_column,
)
ADJUSTMENTS = FileKind(
    "adjustments",
    ("adjustments.csv", "adjustments.xlsx"),
    Scope.PERIOD,
    "Corporate Director adjustments",
    ExemptRule.hide_text("line_id", Refers.LINE, "reason", "author"),
    schemas.ADJUSTMENTS,
    parse.adjustments,
    checks=(checks.adjustment_lines_known,),
)
ROLL_FORWARDS = FileKind(
    "roll_forwards",
    ("roll_forwards.csv",),
    Scope.PERIOD,
    "roll forward requirements",
    ExemptRule.hide_text("line_id", Refers.LINE, "description").also_keyed("to_line_id"),
    schemas.ROLL_FORWARDS,
    parse.roll_forwards,
    checks=(checks.roll_forward_lines_known,),
)
VIREMENTS = FileKind(
    "virements",
    ("virements.csv",),
    Scope.PERIOD,
    "budget changes approved since the last period: virements between lines, new funding, reductions",
    ExemptRule.hide_text("from_line_id", Refers.LINE, "reason", "approved_by").also_keyed("to_line_id"),
    schemas.VIREMENTS,
    parse.virements,
    checks=(checks.virement_sources_known, checks.virement_targets_known, checks.virements_have_sides),
)
PERIOD_SETTINGS = FileKind(
    "period_settings",
    ("period.yaml",),
    Scope.PERIOD,
    "what the period's report is: kind monthly (the default) or outturn (March, the year-end position)",
    SETTINGS_RULE,
)
EXPLANATIONS = FileKind(
    "explanations",
    ("explanations.csv",),
    Scope.PERIOD,
    "business partners' explanations",
    ExemptRule.drop_rows("subject", Refers.SUBJECT),
    schemas.EXPLANATIONS,
    parse.explanations,
    checks=(checks.subjects_given, checks.revenue_subjects_known, checks.capital_subjects_known),
)
CAPITAL_FORECASTS = FileKind(
    "capital_forecasts",
    ("capital_forecasts.csv",),
    Scope.PERIOD,
    "capital variances per scheme and year",
    ExemptRule.figures("scheme_id", Refers.SCHEME, "figures only, summed into the Exempt items scheme"),
    schemas.CAPITAL_FORECASTS,
    parse.capital_forecasts,
    checks=(
        checks.needs_programme("capital_forecasts"),
        checks.one_row_per_scheme_year("capital_forecasts"),
        checks.forecast_schemes_known,
    ),
)
CAPITAL_FUNDING = FileKind(
    "capital_funding",
    ("capital_funding.csv",),
    Scope.PERIOD,
    "how real capital variances are funded",
    ExemptRule.hide_text("scheme_id", Refers.SCHEME, "source"),
    schemas.CAPITAL_FUNDING,
    parse.capital_funding,
    checks=(checks.needs_programme("capital_funding"), checks.funding_for_real_variances),
)

SAVINGS = FileKind(
    "savings",
    ("savings.csv",),
    Scope.YEAR,
    "the year's savings plan: each saving, its directorate, amount and (optionally) budget line",
    ExemptRule.hide_text("line_id", Refers.LINE, "saving_id", "description").with_why(
        "a saving on a restricted line is folded into its directorate's Exempt items row, never named"
    ),
    schemas.SAVINGS,
    period_input=False,  # read with a period's savings_forecast.csv (finlib.inputs.savings)
)
SAVINGS_FORECAST = FileKind(
    "savings_forecast",
    ("savings_forecast.csv",),
    Scope.PERIOD,
    "the forecast delivery of each saving of the year's plan this period, with an optional RAG override",
    ExemptRule.hide_text("saving_id", Refers.SAVING, "note").with_why(
        "figures of a saving on a restricted line only inside Exempt items; its note is never shown"
    ),
    schemas.SAVINGS_FORECAST,
    period_input=False,  # read by finlib.inputs.savings; a period without it reports no savings
)

OFFICERS_ONLY = "read only by the forecast explorer and finlib scenario, which are officers' tools"

COMMITTEES = FileKind(
    "committees",
    ("committees.yaml",),
    Scope.ROOT,
    "the Cabinet Committees that receive an extract, and their remits",
    SETTINGS_RULE,
    period_input=False,
)
YEAR_COMMITTEES = FileKind(
    "year_committees",
    ("committees.yaml",),
    Scope.YEAR,
    "the committees of one financial year, when its remits differ (used instead of the data set's)",
    SETTINGS_RULE,
    period_input=False,
)
PAPERS = FileKind(
    "papers",
    ("papers.yaml",),
    Scope.ROOT,
    "the words of the papers that are not figures: meetings, recommendations, contacts",
    SETTINGS_RULE,
    period_input=False,
)
YEAR_PAPERS = FileKind(
    "year_papers",
    ("papers.yaml",),
    Scope.YEAR,
    "the papers' words of one financial year, when they differ (used instead of the data set's)",
    SETTINGS_RULE,
    period_input=False,
)

COST_CENTRES = FileKind(
    "cost_centres",
    ("cost_centres.csv",),
    Scope.YEAR,
    "each cost centre of the ledger and the budget line it belongs to",
    ExemptRule.unpublished(OFFICERS_ONLY),
    schemas.COST_CENTRES,
    parse.cost_centres,
    required=True,
    period_input=False,
)
MANAGERS = FileKind(
    "managers",
    ("managers.csv",),
    Scope.YEAR,
    "the budget manager of each line, who receives its forecast return (or budget_book.csv's manager column)",
    ExemptRule.unpublished("names who forecasts each line, for the returns; never printed in a paper"),
    schemas.MANAGERS,
    parse.managers,
    period_input=False,
)
KPIS = FileKind(
    "kpis",
    ("kpis.csv",),
    Scope.YEAR,
    "the year's performance indicators: KPIs with a target and a floor standard, activity indicators with "
    "an expected range",
    ExemptRule.unkeyed("indicators of a service's performance: no column names a budget line or a scheme"),
    schemas.KPIS,
    period_input=False,
)
KPI_RESULTS = FileKind(
    "kpi_results",
    ("kpi_results.csv",),
    Scope.PERIOD,
    "each indicator's results for the period's Performance Dashboard, as printed",
    ExemptRule.unkeyed("results of a service's performance: no column names a budget line or a scheme"),
    schemas.KPI_RESULTS,
    period_input=False,
)
FORECAST_METHODS = FileKind(
    "forecast_methods",
    ("forecast_methods.csv",),
    Scope.YEAR,
    "lines that use another forecast method than authority.yaml's default",
    ExemptRule.unpublished(OFFICERS_ONLY),
    schemas.FORECAST_METHOD_CHOICES,
    parse.forecast_methods,
    period_input=False,
)
HEADING_MAP = FileKind(
    "heading_map",
    ("heading_map.csv",),
    Scope.YEAR,
    "where each of last year's headings went this year (renamed, merged, or split by shares)",
    ExemptRule.unpublished("only restates last year's figures on this year's headings; never printed"),
    schemas.HEADING_MAP,
    period_input=False,
)
LEDGER = FileKind(
    "ledger",
    ("ledger.csv", "ledger.parquet", "ledger"),
    Scope.YEAR,
    "the general-ledger extract of the year, one file or a ledger/ folder of its parts (read by DuckDB)",
    ExemptRule.unpublished(OFFICERS_ONLY),
    period_input=False,
)
SCENARIO = FileKind(
    "scenario",
    ("<name>.csv",),
    Scope.SCENARIOS,
    "a what-if scenario",
    ExemptRule.unpublished(OFFICERS_ONLY),
    schemas.SCENARIO,
    parse.scenario,
    required=True,
    period_input=False,
    title="a scenario file",
)

#: Every kind of input file, in the order messages and manifests list them.
KINDS: tuple[FileKind, ...] = (
    AUTHORITY,
    BUDGET_BOOK,
    FORECASTS,
    ADJUSTMENTS,
    ROLL_FORWARDS,
    VIREMENTS,
    EXPLANATIONS,
    CAPITAL_PROGRAMME,
    CAPITAL_FORECASTS,
    CAPITAL_FUNDING,
    SAVINGS,
    SAVINGS_FORECAST,
    PERIOD_SETTINGS,
    COMMITTEES,
    YEAR_COMMITTEES,
    PAPERS,
    YEAR_PAPERS,
    COST_CENTRES,
    MANAGERS,
    KPIS,
    KPI_RESULTS,
    FORECAST_METHODS,
    HEADING_MAP,
    LEDGER,
    SCENARIO,
)
BY_ROLE = {kind.role: kind for kind in KINDS}
#: The kinds read for a monitoring period (and recorded in its published manifest).
PERIOD_KINDS = tuple(kind for kind in KINDS if kind.period_input)


def headers() -> dict[str, tuple[str, ...]]:
    """The columns every tabular input file must have, by the name messages give it: a file lacking
    its own columns but holding all those of another is named as that other file (the wrong file)."""
    return {kind.shown_as: required_columns(kind.schema) for kind in KINDS if kind.schema is not None}


#: What a period reports beside its money, each year's file read only with the period's own:
#: (the period's file, the year's file it is read with).
BESIDE = ((KPI_RESULTS, KPIS), (SAVINGS_FORECAST, SAVINGS))


def possible_inputs(data: DataSet, period: Period) -> dict[str, list[Path]]:
    """Where each input of a period may be, by role: every file :func:`finlib.inputs.load_period` looks
    for, the period's results and savings forecast, and the year's indicators and savings plan when the
    period has its file of them (as :func:`finlib.monitoring.monitor` reads them)."""
    found = {kind.role: kind.candidates(data, period) for kind in PERIOD_KINDS}
    for own, year in BESIDE:
        found[own.role] = own.candidates(data, period)
        if any(path.is_file() for path in found[own.role]):
            found[year.role] = year.candidates(data, period)
    return found
