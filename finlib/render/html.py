"""HTML for the reports: the parts of the report model as accessible HTML fragments.

Every text that comes from data is escaped.  Tables have captions, header cells with scope, numbers
right aligned with a true minus sign (negative figures are not shown by colour alone), and blank
cells where the report shows a blank.  This module formats the model; it computes no figure.
"""

from __future__ import annotations

import base64
from html import escape

from finlib.money import MINUS
from finlib.render import charts
from finlib.report.model import Column, DirectorateSection, Figure, Report, Table, cell_text
from finlib.report.sections import Part, Section, order

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
.finlib tr.balance th, .finlib tr.balance td, .finlib tr.flagged th, .finlib tr.flagged td { font-weight: 700; }
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

RESTRICTED = (
    '<p class="restricted" role="note"><strong>RESTRICTED</strong>: not for publication. '
    "This version names exempt items; the public report shows them only as “Exempt items”.</p>"
)
NO_ADJUSTMENTS = "No Corporate Director adjustments were made this period."
NO_PUBLICATIONS = "No period compared in this report has been published yet."


def style() -> str:
    return STYLE


def _cell(value: object, column: Column) -> str:
    if column.unit is None:
        return escape(cell_text(value))
    return column.unit.text(value, minus=MINUS)


def _shown_columns(t: Table) -> list[Column]:
    """The printed columns, leaving out an amount column that is blank on every row."""
    return [c for i, c in enumerate(t.printed) if i == 0 or not c.is_amount or t.frame[c.key].notna().any()]


def table(t: Table) -> str:
    """A table as printed: the first column labels rows; all-blank amount columns are left out."""
    columns = _shown_columns(t)
    label, rest = columns[0], columns[1:]
    head = "".join(f'<th scope="col">{escape(c.heading)}</th>' for c in columns)
    body = []
    for row in t.records():
        cells = "".join(f'<td class="{"num" if c.is_amount else "text"}">{_cell(row[c.key], c)}</td>' for c in rest)
        body.append(
            f'<tr class="{escape(str(row["kind"]))}"><th scope="row">{_cell(row[label.key], label)}</th>{cells}</tr>'
        )
    unit = f" ({escape(t.unit.name)})" if t.unit is not None else ""
    return (
        f"<table><caption>{escape(t.caption)}{unit}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def figure(f: Figure) -> str:
    """A chart (an image with its text alternative), and its figures in a table a reader can open."""
    data = base64.b64encode(charts.svg(f.chart)).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{escape(charts.alt(f.chart))}">'
        f"<figcaption>{escape(f.title)}<details><summary>Figures in this chart</summary>{table(f.figures)}</details>"
        "</figcaption></figure>"
    )


def header(report: Report) -> str:
    compared = f"; compared with the last report, {report.last_label}" if report.last_label else ""
    banner = RESTRICTED if report.restricted else ""
    notice = f'<p class="notice">{escape(report.notice)}</p>' if report.notice else ""
    return (
        f'<header>{banner}<p class="meta">{escape(report.authority_name)}</p><h1>{escape(report.title)}</h1>'
        f'<p class="meta">{escape(report.period_label)}{escape(compared)}. Figures in £m to 3 decimal places '
        f"unless stated; + is a pressure (overspend), {MINUS} an underspend.</p>{notice}</header>"
    )


def appendix(report: Report) -> str:
    """The record behind the figures: the CD adjustments applied, and the publications of the periods."""
    parts = ['<section id="appendix"><h2>Appendix: adjustments and publication record</h2>']
    parts.append("<h3>Corporate Director adjustments applied</h3>")
    adjustments = report.appendix.adjustments
    parts.append(paragraphs([NO_ADJUSTMENTS]) if adjustments.empty else table(adjustments))
    parts.append("<h3>Publication record</h3>")
    publications = report.appendix.publications
    parts.append(paragraphs([NO_PUBLICATIONS]) if publications.empty else table(publications))
    parts.append("</section>")
    return "".join(parts)


def authority_section(report: Report) -> str:
    section = report.authority
    parts = [
        "<section><h2>Revenue position of the authority</h2>",
        paragraphs(section.paragraphs),
        table(section.table),
        figure(section.chart),
    ]
    if section.bridge is not None:
        parts.append(figure(section.bridge))
    if section.capital is not None:
        parts.append("<h3>Capital</h3>" + table(section.capital))
    parts.append("</section>")
    return "".join(parts)


def capital_part(section: DirectorateSection) -> str:
    part = section.capital
    if part is None:
        return ""
    return "".join(
        [
            f'<h3 id="{escape(section.slug)}-capital">Capital</h3>',
            paragraphs([part.opening, *part.paragraphs]),
            table(part.table),
        ]
    )


def directorate_section(section: DirectorateSection) -> str:
    return "".join(
        [
            f'<section id="{escape(section.slug)}"><h2>{escape(section.name)}</h2>',
            paragraphs(section.commentary.paragraphs),
            table(section.table),
            figure(section.chart),
            capital_part(section),
            "</section>",
        ]
    )


def part(report: Report, section: Section) -> str:
    """One part of a report as HTML."""
    if section.part == Part.HEADER:
        return style() + header(report)
    if section.part == Part.AUTHORITY:
        return authority_section(report)
    if section.part == Part.DIRECTORATE:
        assert section.directorate is not None
        return directorate_section(section.directorate)
    return appendix(report)


def fragments(report: Report) -> list[str]:
    """Every part of a report as HTML, in reading order."""
    return [part(report, section) for section in order(report)]


def wrap(*fragments: str) -> str:
    """Fragments inside the report's styled container."""
    return f'<div class="finlib">{"".join(fragments)}</div>'
