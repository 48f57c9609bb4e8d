"""HTML for the forecast explorer and what-if scenarios, with the report's own pieces (tables, figures,
style), so that they look, read and round like the report: formatting only, no figure computed here."""

from __future__ import annotations

from html import escape

from finlib.money import MINUS
from finlib.render.html import figure, paragraphs, style, table, wrap
from finlib.report.explorer import NO_DRILL, DrillDown, Exploration, ExplorerView, LedgerView, ScenarioView

EXTRA_STYLE = "<style>.finlib tr.flagged th, .finlib tr.flagged td { font-weight: 700; }</style>"


def explorer_header(view: ExplorerView) -> str:
    return (
        f"<header><h1>Forecast explorer: {escape(view.title)}</h1>"
        f'<p class="meta">{escape(view.period.label)}; + is a pressure, {MINUS} an underspend.</p></header>'
    )


def explorer_position(view: ExplorerView) -> str:
    return table(view.position)


def explorer_history(view: ExplorerView) -> str:
    return figure(view.history_chart) + table(view.history)


def explorer_largest(view: ExplorerView) -> str:
    return table(view.largest)


def drill(exploration: Exploration, view: DrillDown | None) -> str:
    """A line's actuals by cost centre and its largest postings (every one is in the export)."""
    if exploration.ledger is None:
        return paragraphs([exploration.no_ledger])
    if view is None:
        return paragraphs([NO_DRILL])
    return "".join([paragraphs([view.note]), table(view.centres), table(view.largest)])


def message(text: str) -> str:
    """A message in place of a section (a selection that could not be shown, and why)."""
    return f'<p class="meta" role="status">{escape(text)}</p>'


def actuals(exploration: Exploration) -> str:
    """Actuals by month and year to date for the selection, the unmapped bucket and the control totals."""
    view = exploration.ledger
    if view is None:
        return paragraphs([exploration.no_ledger])
    return "".join([paragraphs([view.actuals_note]), table(view.actuals), table(view.unmapped), table(view.control)])


def methods(exploration: Exploration) -> str:
    """Every method's forecast for the selection, then the lines (the flagged ones, for the authority)."""
    view = exploration.ledger
    if view is None:
        return ""
    lines = paragraphs([view.no_flagged]) if view.no_flagged else EXTRA_STYLE + table(view.method_lines)  # type: ignore[arg-type]
    return "".join([paragraphs([view.methods_note]), table(view.methods), lines])


def history(exploration: Exploration) -> str:
    view: LedgerView | None = exploration.ledger
    if view is None:
        return ""
    if view.accuracy_note is not None:
        accuracy = paragraphs([view.accuracy_note])
    else:
        assert view.accuracy_by_month is not None and view.accuracy_by_line is not None
        accuracy = table(view.accuracy_by_month) + table(view.accuracy_by_line)
    return table(view.history) + accuracy


def scenario(exploration: Exploration) -> str:
    view = exploration.scenario
    if view is None:
        return paragraphs([exploration.no_scenario])
    return scenario_body(view)


def scenario_body(view: ScenarioView) -> str:
    """The scenario table (£m), what each assumption covers, and its waterfall."""
    return "".join([table(view.table), paragraphs(view.notes), figure(view.bridge)])


def scenario_page(view: ScenarioView, authority: str) -> str:
    """A standalone accessible page of a scenario (written by ``finlib scenario --out``)."""
    label = view.period.label
    body = wrap(
        f'<header><p class="meta">{escape(authority)}</p><h1>What-if: {escape(view.name)}</h1>'
        f'<p class="meta">{escape(label)}; + is a pressure, {MINUS} an underspend.</p></header>',
        scenario_body(view),
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>What-if: {escape(view.name)}, '
        f"{escape(label)}</title>{style()}</head><body><main>{body}</main></body></html>\n"
    )


def page(exploration: Exploration) -> list[str]:
    """The explorer's sections as HTML, in reading order (the notebook shows them cell by cell)."""
    view = exploration.view
    return [
        style() + explorer_header(view),
        explorer_position(view),
        explorer_history(view),
        explorer_largest(view),
        actuals(exploration),
        methods(exploration),
        history(exploration),
        scenario(exploration),
    ]
