"""Building the report model from the position stage: the one place the public or officers' version is chosen.

:func:`build_reports` builds the Cabinet report and every committee's extract at once; a committee
whose remit covers a whole directorate shares that directorate's section with the Cabinet report, and
one whose remit names only some of a directorate's divisions or headings gets a section of that part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from finlib.config import slug
from finlib.core import capital, commentary, exempt, forecast
from finlib.core.capital import CapitalPosition
from finlib.core.commentary import Scope
from finlib.core.kinds import About, Change, LineKind, RowKind
from finlib.core.membership import isin
from finlib.core.revenue import Position, remit_lines, short_name
from finlib.core.settings import Committee, Papers, Thresholds
from finlib.core.stage import Monitoring
from finlib.money import millions
from finlib.report import arrange, delivery, tables
from finlib.report.model import (
    AccuracySection,
    Appendix,
    AuthoritySection,
    Bars,
    Bridge,
    BudgetSection,
    CapitalSection,
    DirectorateSection,
    Figure,
    Report,
    RequestsSection,
    Table,
)
from finlib.report.paper import Paper

CABINET_TITLE = "Revenue and capital budget monitoring report to Cabinet"
OUTTURN_TITLE = "Revenue and capital outturn report to Cabinet"


def voice(monitoring: Monitoring) -> commentary.Voice:
    """The commentary speaks of a forecast during the year and of the outturn at its end."""
    return commentary.OUTTURN if monitoring.outturn else commentary.MONTHLY


@dataclass(frozen=True)
class Reports:
    """The month's reports: the Cabinet report, each committee's extract, and what no committee covers."""

    cabinet: Report
    extracts: dict[str, Report]
    unassigned: Table  # budget book headings in no committee's remit (working/unassigned_headings.csv)

    def get(self, key: str | None) -> Report:
        return self.cabinet if key is None else self.extracts[key]

    @property
    def all(self) -> list[Report]:
        return [self.cabinet, *self.extracts.values()]


def _variance_bars(title: str, table: Table) -> Bars:
    rows = table.frame[table.frame["kind"] == RowKind.LINE]
    return Bars(title, [str(v) for v in rows[table.label.key]], [int(v) for v in rows["revised_net_variance"]])


def _bridge(monitoring: Monitoring, table: Table) -> Figure | None:
    last = monitoring.last_period
    if last is None:
        return None
    frame = table.frame
    rows = frame[frame["kind"] == RowKind.LINE]
    headline = frame[frame["kind"] == RowKind.TOTAL].iloc[0]
    bridge = Bridge(
        title="Movement in the position since the last report (excluding schools)",
        start_label=f"Last reported ({last.label})",
        start=int(headline["last_reported"]),
        steps=Bars("Movement", [str(v) for v in rows["row"]], [int(v) for v in rows["movement"]]),
        end_label=f"Now ({monitoring.period.label})",
        end=int(headline["revised_net_variance"]),
    )
    return Figure(bridge, tables.bridge_table(bridge))


def _points(monitoring: Monitoring, keep: pd.Series | None = None) -> list[tuple[str, pd.DataFrame]]:
    """The year's reports so far, this one last: each month's label and its lines (only ``keep``'s)."""
    points = [*monitoring.history, (monitoring.period, monitoring.position)]
    chosen = set(monitoring.position.lines.index[keep]) if keep is not None else None
    out = []
    for period, position in points:
        lines = position.lines
        if chosen is not None:
            lines = lines[isin(lines.index, chosen)]
        out.append((period.short_label, lines))
    if monitoring.outturn:
        out[-1] = ("Outturn", out[-1][1])
    return out


def _authority_trend(monitoring: Monitoring) -> Figure | None:
    """The authority's revised net variance (excluding schools) at each of the year's reports."""
    if not monitoring.history:
        return None
    points = _points(monitoring)
    values = [int(lines.loc[lines["kind"] != LineKind.SCHOOLS, "revised_net_variance"].sum()) for _, lines in points]
    bars = Bars("Revised net variance excluding schools, report by report", [m for m, _ in points], values)
    return Figure(bars, tables.bars_table(bars, "Report"))


def _directorate_trend(monitoring: Monitoring, name: str, covered: pd.Series | None) -> tuple[Figure, Table] | None:
    """A directorate's (or its part's) revised net variance at each of the year's reports: the chart of its
    total and the table of its headings."""
    if not monitoring.history:
        return None
    points = _points(monitoring, covered)
    own = [lines[(lines["kind"] == LineKind.SERVICE) & (lines["directorate"] == name)] for _, lines in points]
    headings = list(dict.fromkeys(str(h) for h in own[-1]["heading"]))
    rows = [
        (heading, [int(lines.loc[lines["heading"] == heading, "revised_net_variance"].sum()) for lines in own])
        for heading in headings
    ]
    months = [m for m, _ in points]
    bars = Bars(
        f"{name}: revised net variance, report by report",
        months,
        [int(lines["revised_net_variance"].sum()) for lines in own],
    )
    table = tables.trend_table(
        f"{name}: revised net variance of each heading, report by report", rows, months, f"Total {short_name(name)}"
    )
    return Figure(bars, tables.bars_table(bars, "Report")), table


def _capital_section(
    cap: CapitalPosition, directorate: str, thresholds: Thresholds, texts: commentary.Texts, whole: bool = True
) -> CapitalSection | None:
    if directorate not in cap.directorates:
        return None
    years = capital.year_span(capital.programme_years(cap, directorate))
    opening = commentary.capital_opening(
        directorate, cap, capital.capital_budget(cap, directorate), capital.programme_total(cap, directorate), years
    )
    if not whole:
        opening += (
            " The capital programme is not divided between committees, so these are the whole directorate's figures."
        )
    return CapitalSection(
        opening=opening,
        paragraphs=commentary.capital_paragraphs(capital.listed_items(cap, directorate, thresholds), texts),
        table=tables.capital_year_table(cap, directorate),
        warnings=[commentary.warning_text(w) for w in capital.warnings(cap, directorate)],
    )


def _section(
    monitoring: Monitoring, name: str, texts: commentary.Texts, covered: pd.Series | None = None
) -> DirectorateSection:
    """A directorate's section, or (``covered``: the lines of a committee's remit) the section of the part
    of it a committee covers: those headings, their own total, commentary and chart, and the directorate's
    capital programme (which is not divided by heading)."""
    part = covered is not None
    position: Position = monitoring.position
    if covered is not None:
        position = replace(position, lines=position.lines[covered])
    table = tables.directorate_table(replace(monitoring, position=position) if part else monitoring, name)
    title = f"{name}: revised net variance by budget heading"
    if part:
        frame = table.frame.copy()
        frame.loc[frame["kind"] == RowKind.TOTAL, "heading"] = f"Total {short_name(name)} (this committee's headings)"
        table = Table(table.name, f"{table.caption}: the headings in this committee's remit", table.columns, frame)
        title = f"{name} (this committee's headings): revised net variance by budget heading"
    bars = _variance_bars(title, table)
    thresholds = monitoring.settings.thresholds
    cap = monitoring.capital
    scope = Scope.part(name) if part else Scope.directorate(name)
    return DirectorateSection(
        name=name,
        slug=f"{slug(name)}-part" if part else slug(name),
        table=table,
        commentary=commentary.directorate_commentary(position, name, texts, thresholds, scope, voice(monitoring)),
        chart=Figure(bars, tables.bars_table(bars, "Budget Book Heading")),
        capital=_capital_section(cap, name, thresholds, texts, whole=not part) if cap is not None else None,
        part=part,
        words=arrange.words(monitoring.explanations, About.AUTHORITY, [name]),
        trend=_directorate_trend(monitoring, name, covered),
        prior=_prior(monitoring, position, name),
        ytd=tables.ytd_table(position.lines, name, monitoring.ytd, f"Total {short_name(name)}")
        if monitoring.ytd is not None
        else None,
        savings=delivery.directorate_savings(
            monitoring.savings,
            name,
            f"Total {short_name(name)}" + (" (this committee's headings)" if part else ""),
            [str(i) for i in position.lines.index] if part else None,
        )
        if monitoring.savings is not None
        else None,
        performance=delivery.performance(monitoring.indicators, name, monitoring.period.label)
        if monitoring.indicators is not None
        else None,
    )


def _prior(monitoring: Monitoring, position: Position, name: str) -> Table | None:
    if monitoring.prior is None or monitoring.outturn:
        return None
    year = monitoring.period.financial_year
    total = f"Total {short_name(name)}"
    return tables.prior_table(position.lines, name, monitoring.prior, str(year.previous), str(year), total)


def _budget(monitoring: Monitoring, lines: pd.Series | None = None) -> BudgetSection | None:
    """The budget changes section: the whole authority's, or (``lines``: a committee's remit) the part
    about the directorates and changes of its lines.  ``None`` when no budget changed."""
    budget = monitoring.budget
    if budget is None or not budget.changed:
        return None
    position = monitoring.position.lines
    keep = set(position.index[lines]) if lines is not None else None
    since = budget.since.label if budget.since is not None else None
    changes = tables.changes_table(budget, position, keep)
    if keep is not None and changes.empty:
        return None
    chosen = budget.lines.loc[list(keep)] if keep is not None else budget.lines
    rows = budget.changes.frame
    if keep is not None:
        rows = rows[rows["from_line_id"].isin(keep) | rows["to_line_id"].isin(keep)]
    # each kind's amounts as listed: a virement's gross amount, a one-sided change's own
    by_kind = {kind: int(rows.loc[rows["change"] == kind.value, "amount"].sum()) for kind in Change}
    paragraph = commentary.budget_paragraph(
        int(chosen["base_budget"].sum()), by_kind, int(chosen["net_budget"].sum()), since
    )
    return BudgetSection(paragraph, tables.budget_table(budget, position, since, keep), changes)


def _requests(monitoring: Monitoring, covered: pd.Series | None = None) -> RequestsSection | None:
    """At the outturn, the roll forward requests put for approval (none listed when there is no return);
    ``covered``: only those of a committee's lines."""
    if not monitoring.outturn:
        return None
    next_year = str(monitoring.period.financial_year.next)
    requests = monitoring.requests.frame if monitoring.requests is not None else None
    if requests is None:
        requests = pd.DataFrame({c: pd.Series(dtype="Int64" if c == "amount" else "str") for c in tables.REQUESTED})
    if covered is not None:
        requests = requests[isin(requests["line_id"], set(monitoring.position.lines.index[covered]))]
    total = int(requests["amount"].sum()) if len(requests) else 0
    return RequestsSection(
        commentary.requests_paragraph(total, len(requests), next_year),
        tables.requests_table(requests, monitoring.position.lines, next_year),
        total,
        next_year,
    )


def _accuracy(monitoring: Monitoring) -> AccuracySection | None:
    """At the outturn, how early each directorate's reported forecast settled within the threshold."""
    if not monitoring.outturn or not monitoring.history:
        return None
    threshold = monitoring.settings.thresholds.variance_commentary
    found = forecast.settling(monitoring.history, monitoring.position, threshold)
    months = [p.short_label for p, _ in monitoring.history]
    return AccuracySection(
        commentary.settling_paragraph(found, months, threshold),
        tables.settling_table(found, months, millions(threshold)),
    )


def _cabinet(
    monitoring: Monitoring, restricted: bool, notice: str | None, papers: Papers, texts: commentary.Texts
) -> Report:
    table = tables.authority_table(monitoring)
    bars = _variance_bars("Revised net variance by directorate and division", table)
    cap = monitoring.capital
    sections = [_section(monitoring, name, texts) for name in monitoring.directorates()]
    savings = delivery.authority_savings(monitoring.savings) if monitoring.savings is not None else None
    authority = AuthoritySection(
        paragraphs=[
            *commentary.authority_commentary(table.frame, monitoring.position, voice(monitoring)),
            *([monitoring.savings.sentence()] if monitoring.savings is not None else []),
        ],
        table=table,
        chart=Figure(bars, tables.bars_table(bars, "Directorate")),
        bridge=_bridge(monitoring, table),
        capital=tables.authority_capital_table(cap) if cap is not None else None,
        headline=commentary.headline(table.frame, voice(monitoring)),
        trend=_authority_trend(monitoring),
        words=arrange.words(monitoring.explanations, About.AUTHORITY, [""]),
    )
    report = Report(
        authority_name=monitoring.settings.name,
        title=OUTTURN_TITLE if monitoring.outturn else CABINET_TITLE,
        period=monitoring.period,
        last_period=monitoring.last_period,
        authority_summary=True,
        authority=authority,
        sections=sections,
        appendix=Appendix(
            tables.adjustments_table(monitoring),
            tables.publications_table(monitoring.publications),
            tables.signoffs_table(monitoring.publications, monitoring.directorates()),
        ),
        capital_schemes=tables.capital_scheme_table(cap) if cap is not None else None,
        capital_by_directorate=tables.capital_workbook_table(cap) if cap is not None else None,
        missing_table=tables.missing_table([m for s in sections for m in s.commentary.missing]),
        warnings_table=tables.warnings_table([w for s in sections if s.capital for w in s.capital.warnings]),
        restricted=restricted,
        notice=notice,
        directorate_names=tuple(monitoring.directorates()),
        summary_words=arrange.words(monitoring.explanations, About.SUMMARY, [""]),
        short_names={d: monitoring.settings.short_names.get(d) or short_name(d) for d in monitoring.directorates()},
        budget=_budget(monitoring),
        requests=_requests(monitoring),
        outturn=monitoring.outturn,
        accuracy=_accuracy(monitoring),
        savings=savings,
    )
    return _arranged(report, arrange.cabinet_paper(report, papers.cabinet))


def _arranged(report: Report, paper: Paper) -> Report:
    return replace(report, paper=paper, commentary=tables.commentary_table(paper))


def _extract(
    monitoring: Monitoring, cabinet: Report, committee: Committee, papers: Papers, texts: commentary.Texts
) -> Report:
    lines = monitoring.position.lines
    covered = remit_lines(lines, committee)
    service = lines["kind"] == LineKind.SERVICE
    # how many service lines each directorate has, and how many of them the remit covers: one pass each
    held = service.groupby(lines["directorate"], sort=False).sum()
    in_remit = (service & covered).groupby(lines["directorate"], sort=False).sum()
    sections = []
    for section in cabinet.sections:
        if not in_remit.get(section.name, 0):
            continue
        if in_remit[section.name] == held[section.name]:
            sections.append(section)  # the whole directorate: the Cabinet report's section as it is
            continue
        own = service & (lines["directorate"] == section.name)
        sections.append(_section(monitoring, section.name, texts, own & covered))
    names = [s.name for s in sections]
    # the adjustments of the lines in the remit (the authority's are in the Cabinet report)
    keep = pd.Series(isin(monitoring.adjustments.frame["line_id"], set(lines.index[covered])))
    adjustments = cabinet.appendix.adjustments.where(keep)
    extract = replace(
        cabinet,
        title=f"Revenue and capital {'outturn' if monitoring.outturn else 'budget monitoring'}: extract for the "
        f"{committee.name}",
        authority_summary=committee.authority_summary,
        sections=sections,
        appendix=replace(cabinet.appendix, adjustments=adjustments),
        missing_table=tables.missing_table([m for s in sections for m in s.commentary.missing]),
        warnings_table=tables.warnings_table([w for s in sections if s.capital for w in s.capital.warnings]),
        committee=committee.key,
        committee_name=committee.name,
        savings=cabinet.savings if committee.authority_summary else None,
        budget=_budget(monitoring, covered),
        requests=_requests(monitoring, covered),
        summary_words=arrange.words(
            monitoring.explanations, About.SUMMARY, ["", *names] if committee.authority_summary else names
        ),
    )
    return _arranged(extract, arrange.committee_paper(extract, committee, papers.for_committee(committee.key)))


def build_reports(
    monitoring: Monitoring,
    committees: Mapping[str, Committee] | None = None,
    restricted: bool = False,
    papers: Papers | None = None,
) -> Reports:
    """The Cabinet report and every committee's extract.

    A public report (the default) shows restricted lines and schemes only as "Exempt items"
    (see :mod:`finlib.core.exempt`); ``restricted=True`` gives the officers' version, which names them.
    """
    if restricted and monitoring.public:
        raise ValueError("the officers' version is built from the officers' position, not its public form")
    notice = None
    if not restricted:
        monitoring = exempt.public(monitoring)
        notice = exempt.NOTICE if monitoring.has_exempt else None
    papers = papers or Papers()
    committees = committees or {}
    texts = commentary.explanation_lookup(monitoring.explanations)
    cabinet = _cabinet(monitoring, restricted, notice, papers, texts)
    extracts = {key: _extract(monitoring, cabinet, c, papers, texts) for key, c in committees.items()}
    return Reports(cabinet, extracts, tables.unassigned_table(monitoring.position.lines, list(committees.values())))


def build_report(monitoring: Monitoring, restricted: bool = False, papers: Papers | None = None) -> Report:
    """The Cabinet report (see :func:`build_reports`)."""
    return build_reports(monitoring, {}, restricted, papers).cabinet


def for_committee(monitoring: Monitoring, committee: Committee, restricted: bool = False) -> Report:
    """One committee's extract (see :func:`build_reports`)."""
    return build_reports(monitoring, {committee.key: committee}, restricted).extracts[committee.key]
