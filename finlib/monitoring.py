"""One call from a data set and a period to its position stage: inputs read, Last Reported found, computed.

This module only gathers: it asks the readers (:mod:`finlib.inputs`, :mod:`finlib.store`) for data and
hands it to the pure domain (:func:`finlib.core.stage.stage`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from finlib import store
from finlib.config import DataSet
from finlib.core import kpi, restate, signoff, ytd
from finlib.core.budget import BudgetChanges
from finlib.core.kinds import LineKind
from finlib.core.parsed import PeriodInputs
from finlib.core.period import Period
from finlib.core.records import Records
from finlib.core.revenue import Position
from finlib.core.savings import SavingsDelivery
from finlib.core.settings import Committee, Papers
from finlib.core.stage import Monitoring, stage
from finlib.core.ytd import YearToDate
from finlib.errors import Problems
from finlib.inputs import catalogue, ledger, load_period
from finlib.inputs.budget import budget_changes
from finlib.inputs.heading_map import read_heading_map

__all__ = ["Monitoring", "monitor", "reporting", "sign_off", "signoff_statuses"]


def monitor(data: DataSet | Path | str, period: Period | str, last_reported: Period | str | None = None) -> Monitoring:
    """Read, check and compute one period (the officers' version: :func:`finlib.core.exempt.public` masks it).

    Last Reported is the latest period published before ``period`` in the same
    financial year, or ``last_reported`` when given.
    """
    data = DataSet.at(data)
    period = Period.parse(period)
    override = Period.parse(last_reported, "--last-reported") if last_reported is not None else None
    inputs = load_period(data, period)
    last_period = store.last_reported_period(data, period, override)
    year = period.financial_year
    end = year.previous.last_period
    if last_period is None and inputs.settings.year_start == "outturn" and store.versions(data, end):
        last_period = end
    last_version = store.recorded_last_version(data, period, last_period)
    history = tuple((p, store.load_published(data, p)) for p in store.published_periods(data, year) if p < period)
    known = {p: position for p, position in history}  # the year's current versions, read once
    last = None
    if last_period is not None:
        current = known.get(last_period)
        reuse = current is not None and last_version in (None, current.version)
        last = current if reuse else store.load_published(data, last_period, last_version)
    if last is not None and last.period.financial_year != year:
        last = across_years(data, inputs, last)
    compared = [p for p in (last_period, period) if p is not None]
    problems = Problems()
    first = last is None or last.period.financial_year != year
    carried = store.outturn_requests(data, year.previous) if first else None
    budget, read = budget_changes(data, inputs, last, carried, problems)
    problems.raise_if_any()
    if read:
        inputs = replace(inputs, files={**inputs.files, **read})
    prior = prior_outturn(data, inputs, problems)
    problems.raise_if_any()
    beside, read = beside_the_money(data, inputs, problems)
    problems.raise_if_any()
    inputs = replace(inputs, files={**inputs.files, **read})
    staged = replace(
        stage(inputs, last, store.publications(data, compared), budget, history),
        savings=beside.savings,
        indicators=beside.indicators,
    )
    directorates = staged.directorates()
    contents = signoff.Deferred(lambda: signoff_contents(inputs, budget, directorates, beside))
    return replace(staged, prior=prior, ytd=year_to_date(data, inputs), signoff_digests=contents)


@dataclass(frozen=True)
class Beside:
    """What a period reports beside its money: savings delivery and its performance indicators, rated."""

    savings: SavingsDelivery | None = None
    indicators: tuple[kpi.Rated, ...] | None = None


def beside_the_money(data: DataSet, inputs: PeriodInputs, problems: Problems) -> tuple[Beside, dict[str, Path]]:
    """The period's savings delivery (officers' version) and rated indicators, with the files read by
    role (what the manifest records); problems are added to ``problems``."""
    from finlib.inputs.kpi import read_dashboard
    from finlib.inputs.savings import read_savings

    book, period = inputs.budget_book, inputs.period
    directorates = [str(d) for d in book["directorate"].unique().tolist()]
    read: dict[str, Path] = {}
    savings = read_savings(data, period, book, problems, public=False)
    if savings is not None:
        for kind in (catalogue.SAVINGS, catalogue.SAVINGS_FORECAST):
            read[kind.role] = kind.candidates(data, period)[0]
    dashboard = read_dashboard(data, period, directorates, problems)
    indicators = None
    if dashboard is not None and catalogue.KPI_RESULTS.candidates(data, period)[0].is_file():
        indicators = tuple(dashboard.rated())
        for kind in (catalogue.KPIS, catalogue.KPI_RESULTS):
            read[kind.role] = kind.candidates(data, period)[0]
    return Beside(savings, indicators), read


def signoff_contents(
    inputs: PeriodInputs, budget: BudgetChanges | None, directorates: list[str], beside: Beside | None = None
) -> dict[str, dict[str, str]]:
    """Each directorate's inputs as digests by role (:func:`finlib.core.signoff.digests`): every tabular
    input of the catalogue as parsed, the budget changes of earlier periods since the last report (role
    ``virements YYYY-MM``, as manifests name those files), the kind of period, which concerns all, and
    its savings and indicators as read (:func:`finlib.core.signoff.beside_digests`)."""
    tables: dict[str, signoff.Table] = {}
    for kind in catalogue.PERIOD_KINDS:
        if kind.schema is None:
            continue
        value = getattr(inputs, kind.role)  # every tabular input is a field of PeriodInputs, by its role
        frame = value.frame if isinstance(value, Records) else value
        if frame is not None:
            tables[kind.role] = (frame, kind.exempt)
    if budget is not None:
        changes = budget.changes.frame
        for month in sorted(set(changes["period"]) - {"", str(inputs.period)}):
            tables[f"{catalogue.VIREMENTS.role} {month}"] = (
                changes[changes["period"] == month],
                catalogue.VIREMENTS.exempt,
            )
    shared = {catalogue.PERIOD_SETTINGS.role: str(inputs.kind)}
    book, programme = inputs.budget_book, inputs.capital_programme
    scopes = {d: signoff.scope(book, programme, d) for d in directorates}
    found = signoff.every_digest(tables, scopes, shared)
    if beside is not None:
        for d in directorates:
            more = signoff.beside_digests(d, beside.savings, beside.indicators)
            found[d] = dict(sorted({**found[d], **more}.items()))
    return found


def across_years(data: DataSet, inputs: PeriodInputs, last: Position) -> Position:
    """A position of last year as Last Reported for this year's first report, on this year's headings."""
    problems = Problems()
    book = inputs.budget_book
    service = last.lines[last.lines["kind"] == LineKind.SERVICE]
    this = {str(h) for h in book.loc[book["kind"] == LineKind.SERVICE, "heading"]}
    old = list(dict.fromkeys(str(h) for h in service["heading"]))
    mapping = read_heading_map(data, inputs.year, old, this, problems)
    problems.raise_if_any()
    return restate.restated_position(book, last, mapping)


def prior_outturn(data: DataSet, inputs: PeriodInputs, problems: Problems) -> dict[str, int] | None:
    """Last year's outturn (its published last period) by this year's heading, restated through
    ``heading_map.csv``; ``None`` when last year's last period is not published."""
    end = inputs.year.previous.last_period
    if not store.versions(data, end):
        return None
    amounts = restate.outturn_by_heading(store.load_published(data, end).lines)
    book = inputs.budget_book
    this = {str(h) for h in book.loc[book["kind"] == LineKind.SERVICE, "heading"]}
    mapping = read_heading_map(data, inputs.year, list(amounts), this, problems)
    return restate.restate(amounts, mapping) if not problems else None


def year_to_date(data: DataSet, inputs: PeriodInputs) -> YearToDate | None:
    """Each line's actuals to the period from the year's ledger against its profiled budget; ``None``
    when the year has no ledger or it does not yet run to the period."""
    year = inputs.year
    if not ledger.has_ledger(data, year):
        return None
    actuals = ledger.read_actuals(data, year)
    if actuals.through < inputs.period:
        return None
    last = None
    if ledger.has_ledger(data, year.previous):
        last = ledger.read_actuals(data, year.previous, structure=year)
    return ytd.year_to_date(
        inputs.forecasts["net_budget"].reindex(inputs.budget_book.index), actuals, last, inputs.period
    )


def reporting(
    data: DataSet | Path | str, monitoring: Monitoring, committee: str | None = None
) -> tuple[dict[str, Committee], Papers]:
    """The reporting settings of a period: its year's committees, checked against its budget book (only
    ``committee`` when one is named), and the papers' words.  Raises :class:`~finlib.errors.InputError`
    listing every problem of both files."""
    from finlib.inputs.committees import read_committees
    from finlib.inputs.papers import read_papers

    data = DataSet.at(data)
    problems = Problems()
    year = monitoring.period.financial_year
    committees = read_committees(data, year, monitoring.position.lines, problems, committee)
    papers = read_papers(data, problems, year)
    problems.raise_if_any()
    return committees, papers


def validate(data: DataSet | Path | str, period: Period | str, last_reported: Period | str | None = None) -> Monitoring:
    """Check every input of a period, the reporting settings too (committees.yaml, papers.yaml): what
    ``finlib validate`` runs.  Raises :class:`~finlib.errors.InputError` listing every problem."""
    from finlib.inputs.managers import read_managers
    from finlib.inputs.period import read_budget_book

    monitoring = monitor(data, period, last_reported)  # savings and indicators too
    reporting(data, monitoring)
    problems = Problems()
    book = read_budget_book(DataSet.at(data), monitoring.period, problems)
    if book is not None:
        read_managers(DataSet.at(data), monitoring.period.financial_year, book, problems)
    problems.raise_if_any()
    return monitoring


def savings(data: DataSet | Path | str, period: Period | str, restricted: bool = False) -> SavingsDelivery | None:
    """A period's savings delivery (public unless ``restricted``); ``None`` when the period has no
    ``savings_forecast.csv``.  Raises :class:`~finlib.errors.InputError` listing every problem."""
    from finlib.inputs.period import read_budget_book
    from finlib.inputs.savings import read_savings

    data, period = DataSet.at(data), Period.parse(period)
    problems = Problems()
    book = read_budget_book(data, period, problems)
    delivery = read_savings(data, period, book, problems, public=not restricted) if book is not None else None
    problems.raise_if_any()
    return delivery


def publish(
    data: DataSet | Path | str,
    period: Period | str,
    last_reported: Period | str | None = None,
    supersede: bool = False,
    reason: str | None = None,
    allow_missing_explanations: str | None = None,
    without_signoff: bool = False,
) -> Path:
    """Freeze a period's position (see :func:`finlib.store.publish`), once every explanation the commentary
    rules call for is given, or with ``allow_missing_explanations`` saying why not (the manifest and the
    publication record keep it), and once every directorate is signed off (:func:`sign_off`), or with
    ``without_signoff`` and a ``reason``.  ``reason`` says why for ``supersede`` and ``without_signoff``
    alike.  Raises :class:`~finlib.errors.PublishError` listing what is missing."""
    from finlib.errors import PublishError, UsageError
    from finlib.report import build_report

    if reason is not None and not (supersede or without_signoff):
        raise UsageError("--reason says why a position is published with --supersede or --without-signoff")
    if without_signoff and not (reason or "").strip():
        raise UsageError(
            "--without-signoff needs --reason TEXT saying why the period is published without every "
            "directorate's sign-off"
        )
    data = DataSet.at(data)
    monitoring = monitor(data, period, last_reported)
    missing = build_report(monitoring, restricted=True).missing
    allowed = (allow_missing_explanations or "").strip()
    if allow_missing_explanations is not None and not allowed:
        raise UsageError("--allow-missing-explanations needs a reason")
    if missing and not allowed:
        listed = "\n".join(f"  {m.described()}" for m in missing)
        raise PublishError(
            f"{monitoring.period} has {len(missing)} explanation(s) missing, so its papers are drafts; nothing "
            f"was written. Add them to explanations.csv, or publish with "
            f'--allow-missing-explanations "reason":\n{listed}'
        )
    record = store.MissingExplanations(len(missing), allowed) if missing else None
    return store.publish(data, monitoring, supersede, reason, missing=record, without_signoff=without_signoff)


def sign_off(
    data: DataSet | Path | str,
    period: Period | str,
    directorate: str,
    by: str,
    note: str | None = None,
    last_reported: Period | str | None = None,
    clock: signoff.Clock = signoff.utc_now,
) -> tuple[Path, list[signoff.Status]]:
    """Record a Corporate Director's sign-off of a directorate's position after adjustments, once the
    period's inputs are checked (a problem raises :class:`~finlib.errors.InputError`, nothing written).
    A later change to the directorate's rows of any input voids it.  Returns ``signoffs.json`` and every
    directorate's status (:mod:`finlib.store.signoffs`)."""
    from finlib.errors import UsageError

    if not by.strip():
        raise UsageError("--by needs the name of the Corporate Director signing off")
    data = DataSet.at(data)
    return store.sign_off(data, monitor(data, period, last_reported), directorate, by, note, clock)


def signoff_statuses(
    data: DataSet | Path | str, period: Period | str, last_reported: Period | str | None = None
) -> list[signoff.Status]:
    """Every directorate's sign-off status for a period as its inputs are now."""
    data = DataSet.at(data)
    return store.signoff_statuses(data, monitor(data, period, last_reported))


def published_stage(data: DataSet | Path | str, period: Period | str) -> Monitoring:
    """A published period's position stage, its revenue figures as frozen: the current version's
    ``position.csv`` (and roll forwards) compared with the version of Last Reported its manifest
    names, never recomputed from the forecasts.

    A published position holds the revenue figures only, so the rest of what a paper shows (capital, the
    Corporate Director adjustments listed in the appendix, the explanations, the authority's settings) is
    read from the period's inputs; :func:`finlib.store.verify` says whether they are still as published.
    Raises :class:`~finlib.errors.UsageError` for a period that has not been published.
    """
    from finlib.core.revenue import compare

    data = DataSet.at(data)
    period = Period.parse(period)
    record = store.manifest(data, period)
    monitoring = monitor(data, period)
    last = None
    if record.last_reported_period is not None:
        last = store.load_published(data, record.last_reported_period, record.last_reported_version)
    frozen = compare(store.load_published(data, period, record.version), last)
    return replace(monitoring, position=frozen)
