"""HTML for the reports: tables, commentary and charts from the report model.

Every text that comes from data is escaped.  Tables have captions, header cells with scope, numbers
right aligned with a true minus sign (negative figures are not shown by colour alone), and blank
cells where the report shows a blank.
"""

from __future__ import annotations

import base64
from html import escape

import pandas as pd

from finlib import charts
from finlib.explore import ExplorerView
from finlib.money import MILLIONS, MINUS, POUNDS, THOUSANDS, Unit
from finlib.report import Bars, Bridge, DirectorateSection, Report

AUTHORITY_HEADERS = {
    "row": "Directorate",
    "net_budget": "Budget",
    "net_forecast_variance": "Net Forecast Variance",
    "cd_adjustment": "Corporate Director adjustment",
    "revised_net_variance": "Revised Net Variance",
    "last_reported": "Last Reported position",
    "movement": "Movement",
}
DIRECTORATE_HEADERS = {"heading": "Budget Book Heading", **dict(list(AUTHORITY_HEADERS.items())[1:])}
DIRECTORATE_HEADERS["net_budget"] = "Net Budget"

STYLE = """
<style>
.finlib { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; max-width: 62rem; line-height: 1.45; }
.finlib h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.finlib h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid #1d3f6e; }
.finlib h3 { font-size: 1.1rem; }
.finlib .meta { color: #444; margin-top: 0; }
.finlib table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
.finlib caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
.finlib th, .finlib td { border: 1px solid #b8b8b8; padding: .25rem .5rem; vertical-align: top; }
.finlib thead th { background: #e8edf4; text-align: center; }
.finlib td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.finlib table tbody th[scope=row] { text-align: left; font-weight: normal; }
.finlib table thead th[scope=col] { text-align: center; }
.finlib table td.num { text-align: right; }
.finlib table td.text { text-align: left; }
.finlib tr.subtotal th, .finlib tr.subtotal td, .finlib tr.schools th, .finlib tr.schools td { font-style: italic; }
.finlib tr.total th, .finlib tr.total td, .finlib tr.grand_total th, .finlib tr.grand_total td,
.finlib tr.balance th, .finlib tr.balance td { font-weight: 700; }
.finlib tr.total, .finlib tr.grand_total { background: #f3f3f3; }
.finlib .restricted { position: sticky; top: 0; z-index: 10; background: #7a0019; color: #fff;
  padding: .4rem .8rem; margin: 0 0 .5rem 0; }
.finlib .notice { border-left: 4px solid #1d3f6e; padding: .3rem .8rem; background: #eef2f8; }
.finlib figure { margin: 1rem 0; }
.finlib figure img { max-width: 100%; height: auto; }
.finlib figcaption { font-size: .9rem; color: #333; }
@media print {
  .finlib { max-width: none; }
  .finlib .restricted { position: fixed; top: 0; left: 0; right: 0; }
  .finlib header { padding-top: 2.5rem; }
  .finlib tr, .finlib figure { break-inside: avoid; page-break-inside: avoid; }
  .finlib h2 { break-after: avoid; page-break-after: avoid; }
  .finlib details { display: block; }
}
@page { size: A4; margin: 15mm; }
</style>
"""


def style() -> str:
    return STYLE


def _cell(value: object, unit: Unit) -> str:
    return unit.text(None if pd.isna(value) else int(value), minus=MINUS)  # type: ignore[call-overload]


def table(frame: pd.DataFrame, unit: Unit, headers: dict[str, str], caption: str, text: tuple[str, ...] = ()) -> str:
    """A table of exact pence as printed; the first column labels rows; all-blank columns are left out.

    Columns named in ``text`` hold words, not amounts, and are shown as they are (escaped).
    """
    columns = [c for c in headers if c in frame.columns and (c == next(iter(headers)) or frame[c].notna().any())]
    label = columns[0]
    head = "".join(f'<th scope="col">{escape(headers[c])}</th>' for c in columns)
    body = []
    for _, row in frame.iterrows():
        cells = "".join(
            f'<td class="text">{escape(str(row[c]))}</td>'
            if c in text
            else f'<td class="num">{_cell(row[c], unit)}</td>'
            for c in columns[1:]
        )
        body.append(
            f'<tr class="{escape(str(row["kind"]))}"><th scope="row">{escape(str(row[label]))}</th>{cells}</tr>'
        )
    return (
        f"<table><caption>{escape(caption)} ({escape(unit.name)})</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def figure(svg: bytes, alt: str, caption: str, figures: str) -> str:
    """A chart (an image with its text alternative), and its figures in a table a reader can open."""
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'
        f"<figcaption>{escape(caption)}<details><summary>Figures in this chart</summary>{figures}</details>"
        "</figcaption></figure>"
    )


def _bars_table(bars: Bars, heading: str) -> str:
    frame = pd.DataFrame({"label": bars.labels, "kind": "line", "value": pd.array(bars.values, dtype="Int64")})
    return table(frame, MILLIONS, {"label": heading, "value": "Revised Net Variance"}, bars.title)


def _bridge_table(bridge: Bridge) -> str:
    labels = [bridge.start_label, *bridge.steps.labels, bridge.end_label]
    values = [bridge.start, *bridge.steps.values, bridge.end]
    kinds = ["total", *["line"] * len(bridge.steps.values), "total"]
    frame = pd.DataFrame({"label": labels, "kind": kinds, "value": pd.array(values, dtype="Int64")})
    return table(frame, MILLIONS, {"label": "Step", "value": "Amount"}, bridge.title)


RESTRICTED = (
    '<p class="restricted" role="note"><strong>RESTRICTED</strong>: not for publication. '
    "This version names exempt items; the public report shows them only as “Exempt items”.</p>"
)


def header(report: Report) -> str:
    compared = f"; compared with the last report, {report.last_label}" if report.last_label else ""
    banner = RESTRICTED if report.restricted else ""
    notice = f'<p class="notice">{escape(report.notice)}</p>' if report.notice else ""
    return (
        f'<header>{banner}<p class="meta">{escape(report.authority)}</p><h1>{escape(report.title)}</h1>'
        f'<p class="meta">{escape(report.period_label)}{escape(compared)}. Figures in £m to 3 decimal places '
        f"unless stated; + is a pressure (overspend), {MINUS} an underspend.</p>{notice}</header>"
    )


ADJUSTMENT_HEADERS = {
    "directorate": "Directorate",
    "heading": "Budget Book Heading",
    "amount": "Amount (£)",
    "reason": "Reason",
    "author": "Author",
    "date": "Date",
}


def _supersedes(version: int | None) -> str:
    return "" if version is None else f"version {version}"


def appendix(report: Report) -> str:
    """The record behind the figures: the CD adjustments applied, and the publications of the periods."""
    parts = ['<section id="appendix"><h2>Appendix: adjustments and publication record</h2>']
    parts.append("<h3>Corporate Director adjustments applied</h3>")
    adjustments = report.adjustments
    if adjustments is None or adjustments.empty:
        parts.append("<p>No Corporate Director adjustments were made this period.</p>")
    else:
        caption = f"Corporate Director adjustments, {report.period_label}"
        parts.append(
            table(adjustments, POUNDS, ADJUSTMENT_HEADERS, caption, text=("heading", "reason", "author", "date"))
        )
    parts.append("<h3>Publication record</h3>")
    if not report.publications:
        parts.append("<p>No period compared in this report has been published yet.</p>")
    else:
        rows = "".join(
            f'<tr><th scope="row">{escape(p.period)}</th><td>{p.version}</td><td>{escape(p.published_at)}</td>'
            f"<td>{_supersedes(p.supersedes)}</td><td>{escape(p.reason or '')}</td></tr>"
            for p in report.publications
        )
        head = "".join(
            f'<th scope="col">{h}</th>' for h in ("Period", "Version", "Published (UTC)", "Supersedes", "Reason")
        )
        parts.append(
            "<table><caption>Published versions of the periods in this report</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append("</section>")
    return "".join(parts)


def authority_section(report: Report) -> str:
    parts = [
        "<section><h2>Revenue position of the authority</h2>",
        paragraphs(report.authority_paragraphs),
        table(
            report.authority_table,
            MILLIONS,
            AUTHORITY_HEADERS,
            f"Revenue position by directorate, {report.period_label}",
        ),
        figure(
            charts.variance_svg(report.authority_chart),
            charts.variance_alt(report.authority_chart),
            report.authority_chart.title,
            _bars_table(report.authority_chart, "Directorate"),
        ),
    ]
    if report.bridge is not None:
        parts.append(
            figure(
                charts.bridge_svg(report.bridge),
                charts.bridge_alt(report.bridge),
                report.bridge.title,
                _bridge_table(report.bridge),
            )
        )
    parts.append(capital_summary(report))
    parts.append("</section>")
    return "".join(parts)


CAPITAL_HEADERS = {
    "year": "Year",
    "budget": "Budget (cash limit)",
    "real": "Real variance",
    "rephasing": "Rephasing variance",
    "forecast": "Forecast",
}
AUTHORITY_CAPITAL_HEADERS = {
    "directorate": "Directorate",
    **dict(list(CAPITAL_HEADERS.items())[1:]),
    "programme_total": "Programme budget, all years",
}


def _kinds(frame: pd.DataFrame) -> pd.DataFrame:
    """Capital tables mark their rows year/line and total; rows print like the revenue tables'."""
    return frame.assign(kind=frame["kind"].replace({"year": "line"}))


def capital_part(section: DirectorateSection) -> str:
    part = section.capital
    if part is None:
        return ""
    opening = (
        f"The {section.name} capital budget for {part.year} is £{MILLIONS.text(part.budget)}m, "
        f"within a programme of £{MILLIONS.text(part.programme_total)}m over {part.years}."
    )
    caption = f"{section.name} capital programme by year"
    return "".join(
        [
            f'<h3 id="{escape(section.slug)}-capital">Capital</h3>',
            paragraphs([opening, *part.paragraphs]),
            table(_kinds(part.summary), MILLIONS, CAPITAL_HEADERS, caption),
        ]
    )


def capital_summary(report: Report) -> str:
    """The authority's capital position by directorate (the Cabinet report and the overview)."""
    if report.capital_table is None:
        return ""
    caption = f"Capital position by directorate, {report.capital_year}"
    return "<h3>Capital</h3>" + table(_kinds(report.capital_table), MILLIONS, AUTHORITY_CAPITAL_HEADERS, caption)


def directorate_section(section: DirectorateSection, period_label: str) -> str:
    return "".join(
        [
            f'<section id="{escape(section.slug)}"><h2>{escape(section.name)}</h2>',
            paragraphs(section.commentary.paragraphs),
            table(section.table, THOUSANDS, DIRECTORATE_HEADERS, f"{section.name} revenue position, {period_label}"),
            figure(
                charts.variance_svg(section.chart),
                charts.variance_alt(section.chart),
                section.chart.title,
                _bars_table(section.chart, "Budget Book Heading"),
            ),
            capital_part(section),
            "</section>",
        ]
    )


def wrap(*fragments: str) -> str:
    """Fragments inside the report's styled container."""
    return f'<div class="finlib">{"".join(fragments)}</div>'


# ---------------------------------------------------------------------------
# Forecast explorer

LINE_HEADERS = {"line": "Budget line", **dict(list(DIRECTORATE_HEADERS.items())[1:])}


def explorer_header(view: ExplorerView) -> str:
    return (
        f"<header><h1>Forecast explorer: {escape(view.title)}</h1>"
        f'<p class="meta">{escape(view.period_label)}; + is a pressure, {MINUS} an underspend.</p></header>'
    )


def explorer_position(view: ExplorerView) -> str:
    caption = f"{view.title}, {view.period_label}"
    if view.level == "authority":
        return table(view.position, MILLIONS, AUTHORITY_HEADERS, caption)
    if view.level == "directorate":
        return table(view.position, THOUSANDS, DIRECTORATE_HEADERS, caption)
    return table(view.position, THOUSANDS, LINE_HEADERS, caption)


def explorer_history(view: ExplorerView) -> str:
    frame = view.history.assign(kind="line")
    headers = {"label": "Period", "revised_net_variance": "Revised Net Variance"}
    chart = view.history_chart
    return figure(
        charts.variance_svg(chart),
        charts.variance_alt(chart),
        chart.title,
        table(frame, MILLIONS, headers, f"{view.title}: revised net variance by period"),
    ) + table(frame, MILLIONS, headers, f"{view.title}: revised net variance in each published period and now")


def explorer_largest(view: ExplorerView) -> str:
    caption = f"The {view.top} largest revised variances, {view.title}"
    return table(view.largest, THOUSANDS, LINE_HEADERS, caption)
