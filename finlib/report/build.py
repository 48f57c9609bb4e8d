"""Building the report model from the position stage: the one place the public or officers' version is chosen."""

from __future__ import annotations

from dataclasses import replace

from finlib.config import slug
from finlib.core import capital, commentary, exempt
from finlib.core.capital import CapitalPosition
from finlib.core.kinds import RowKind
from finlib.core.settings import Committee, Thresholds
from finlib.core.stage import Monitoring
from finlib.report import tables
from finlib.report.model import (
    Appendix,
    AuthoritySection,
    Bars,
    Bridge,
    CapitalSection,
    DirectorateSection,
    Figure,
    Report,
    Table,
)

CABINET_TITLE = "Revenue budget monitoring report to Cabinet"


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
        title="Movement in the position since the last report (excluding schools), £m",
        start_label=f"Last reported ({last.label})",
        start=int(headline["last_reported"]),
        steps=Bars("Movement", [str(v) for v in rows["row"]], [int(v) for v in rows["movement"]]),
        end_label=f"Now ({monitoring.period.label})",
        end=int(headline["revised_net_variance"]),
    )
    return Figure(bridge, tables.bridge_table(bridge))


def _capital_section(
    cap: CapitalPosition, directorate: str, thresholds: Thresholds, texts: commentary.Texts
) -> CapitalSection | None:
    if directorate not in cap.directorates:
        return None
    years = capital.year_span(capital.programme_years(cap, directorate))
    opening = commentary.capital_opening(
        directorate, cap, capital.capital_budget(cap, directorate), capital.programme_total(cap, directorate), years
    )
    return CapitalSection(
        opening=opening,
        paragraphs=commentary.capital_paragraphs(capital.listed_items(cap, directorate, thresholds), texts),
        table=tables.capital_year_table(cap, directorate),
        warnings=[commentary.warning_text(w) for w in capital.warnings(cap, directorate)],
    )


def _section(monitoring: Monitoring, name: str, texts: commentary.Texts) -> DirectorateSection:
    thresholds = monitoring.settings.thresholds
    table = tables.directorate_table(monitoring, name)
    bars = _variance_bars(f"{name}: revised net variance by budget heading, £m", table)
    cap = monitoring.capital
    return DirectorateSection(
        name=name,
        slug=slug(name),
        table=table,
        commentary=commentary.directorate_commentary(monitoring.position, name, texts, thresholds),
        chart=Figure(bars, tables.bars_table(bars, "Budget Book Heading")),
        capital=_capital_section(cap, name, thresholds, texts) if cap is not None else None,
    )


def build_report(monitoring: Monitoring, restricted: bool = False) -> Report:
    """The Cabinet report: the authority summary and every directorate's section.

    A public report (the default) shows restricted lines and schemes only as "Exempt items"
    (see :mod:`finlib.core.exempt`); ``restricted=True`` gives the officers' version, which names them.
    """
    if restricted and monitoring.public:
        raise ValueError("the officers' version is built from the officers' position, not its public form")
    notice = None
    if not restricted:
        monitoring = exempt.public(monitoring)
        notice = exempt.NOTICE if monitoring.has_exempt else None
    texts = commentary.explanation_lookup(monitoring.explanations)
    table = tables.authority_table(monitoring)
    bars = _variance_bars("Revised net variance by directorate and division, £m", table)
    cap = monitoring.capital
    sections = [_section(monitoring, name, texts) for name in monitoring.directorates()]
    missing = [m for s in sections for m in s.commentary.missing]
    warnings = [w for s in sections if s.capital is not None for w in s.capital.warnings]
    return Report(
        authority_name=monitoring.settings.name,
        title=CABINET_TITLE,
        period=monitoring.period,
        last_period=monitoring.last_period,
        authority_summary=True,
        authority=AuthoritySection(
            paragraphs=commentary.authority_commentary(table.frame, monitoring.position),
            table=table,
            chart=Figure(bars, tables.bars_table(bars, "Directorate")),
            bridge=_bridge(monitoring, table),
            capital=tables.authority_capital_table(cap) if cap is not None else None,
        ),
        sections=sections,
        appendix=Appendix(tables.adjustments_table(monitoring), tables.publications_table(monitoring.publications)),
        capital_schemes=tables.capital_scheme_table(cap) if cap is not None else None,
        missing_table=tables.missing_table(missing),
        warnings_table=tables.warnings_table(warnings),
        restricted=restricted,
        notice=notice,
        directorate_names=tuple(monitoring.directorates()),
    )


def for_committee(report: Report, committee: Committee) -> Report:
    """A committee's extract: the directorates in its remit, and the authority summary if it has the overview."""
    sections = [s for s in report.sections if s.name in committee.directorates]
    adjustments = report.appendix.adjustments
    if not committee.authority_summary:
        adjustments = adjustments.where(adjustments.frame["directorate"].isin(committee.directorates))
    missing = [m for s in sections for m in s.commentary.missing]
    warnings = [w for s in sections if s.capital is not None for w in s.capital.warnings]
    return replace(
        report,
        title=f"Revenue budget monitoring: extract for the {committee.name}",
        committee=committee.key,
        authority_summary=committee.authority_summary,
        sections=sections,
        appendix=replace(report.appendix, adjustments=adjustments),
        missing_table=tables.missing_table(missing),
        warnings_table=tables.warnings_table(warnings),
    )
