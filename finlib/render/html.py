"""HTML for the reports: the report model's paper as accessible HTML fragments.

Every text that comes from data is escaped.  Tables have captions, header cells with scope, numbers
right aligned with thousands separators and a true minus sign (negative figures are not shown by colour
alone), and blank cells where the report shows a blank; each sits in a region of its own that scrolls
sideways on a narrow screen, so nothing is cut off.  A signed amount never breaks across lines.  This
module formats the model; it computes no figure.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from html import escape

from finlib.config import slug
from finlib.dates import iso_date_text, iso_time_text
from finlib.money import prose as signed
from finlib.render import charts
from finlib.report.dashboard import DOT_FORM, RAG_FORM, TREND_FORM, WIDE_FORM, Trend
from finlib.report.model import Column, Figure, Report, Table, cell_text
from finlib.report.paper import Exhibit, Paper, PaperSection, Paragraph, Subheading
from finlib.report.sections import Part, Section, order

STYLE = """
<style>
.finlib { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; max-width: 62rem; line-height: 1.45;
  font-size: 1rem; }
.finlib h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.finlib h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid #1d3f6e; }
.finlib h3 { font-size: 1.1rem; }
.finlib .meta { color: #444; margin-top: 0; }
.finlib .number { font-weight: 600; margin-right: .5rem; }
.finlib .amount { white-space: nowrap; }
.finlib table { border-collapse: collapse; margin: 0; font-size: .9rem; }
.finlib .table-region { overflow-x: auto; max-width: 100%; margin: 1rem 0; }
.finlib caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
.finlib th, .finlib td { border: 1px solid #b8b8b8; padding: .25rem .5rem; vertical-align: top; }
.finlib thead th { background: #e8edf4; text-align: center; }
.finlib td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.finlib table tbody th[scope=row] { text-align: left; font-weight: normal; min-width: 9rem; }
.finlib table td.text { text-align: left; }
.finlib table td.when, .finlib table td.ref { white-space: nowrap; }
.finlib tr.subtotal th, .finlib tr.subtotal td, .finlib tr.schools th, .finlib tr.schools td { font-style: italic; }
.finlib tr.total th, .finlib tr.total td, .finlib tr.grand_total th, .finlib tr.grand_total td,
.finlib tr.balance th, .finlib tr.balance td, .finlib tr.flagged th, .finlib tr.flagged td { font-weight: 700; }
.finlib tr.total, .finlib tr.grand_total { background: #f3f3f3; }
.finlib dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 1rem 0; }
.finlib dl.cover dt, .finlib dl.cover dd { float: none; width: auto; margin: 0; padding: 0; text-align: left; }
.finlib dl.cover dt { font-weight: 600; white-space: nowrap; }
.finlib .box { border: 2px solid #1d3f6e; padding: .2rem 1rem; margin: 1rem 0; }
.finlib .box h2 { border: none; margin-top: .6rem; font-size: 1.1rem; }
.finlib .banner { position: sticky; top: 0; z-index: 10; color: #fff; padding: .4rem .8rem; margin: 0 0 .5rem 0; }
.finlib .restricted { background: #7a0019; }
.finlib .draft { background: #594300; }
.finlib .draft ul { margin: .2rem 0 .2rem 1.2rem; padding: 0; }
.finlib .notice { border-left: 4px solid #1d3f6e; padding: .3rem .8rem; background: #eef2f8; }
.finlib nav.contents ol { padding-left: 1.5rem; }
.finlib a { color: #1d3f6e; }
.finlib a:focus-visible, .finlib [tabindex]:focus-visible, .finlib summary:focus-visible {
  outline: 3px solid #ffbf47; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
.finlib .skip { position: absolute; left: -999rem; }
.finlib .skip:focus { position: static; display: inline-block; padding: .3rem .6rem; background: #ffbf47;
  color: #0b0c0c; }
.finlib figure { margin: 1rem 0; }
.finlib figure img { max-width: 100%; height: auto; }
.finlib figcaption { font-size: .9rem; font-weight: 600; color: #1a1a1a; }
.finlib figcaption details { font-weight: normal; }
.finlib tbody tr { background-color: #fff; }
.finlib td.rag { white-space: nowrap; font-weight: 600; }
.finlib td.rag-green { background: #d7eedb; }
.finlib td.rag-amber { background: #fde9c4; }
.finlib td.rag-red { background: #f6d3d3; }
.finlib .table-region tbody th[scope=row], .finlib .table-region thead th:first-child {
  position: sticky; left: 0; z-index: 1; background-color: inherit; box-shadow: 3px 0 4px -2px rgba(0, 0, 0, .35); }
.finlib .table-region thead th:first-child { background-color: #e8edf4; }
.finlib .table-region caption { position: sticky; left: 0; max-width: calc(100vw - 3rem); }
@property --finlib-fade { syntax: "<length>"; inherits: false; initial-value: 0px; }
@keyframes finlib-more { from { --finlib-fade: 2.5rem; } to { --finlib-fade: 0px; } }
.finlib .table-region { mask-image: linear-gradient(to left, transparent 0, #000 var(--finlib-fade));
  mask-clip: no-clip; animation: finlib-more linear both; animation-timeline: scroll(self inline); }
@media (max-width: 30rem) {
  .finlib dl.cover { grid-template-columns: 1fr; gap: 0; }
  .finlib dl.cover dd { margin-bottom: .4rem; }
}
.jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow-x: visible; max-width: 100%; }
.jp-RenderedHTMLCommon .finlib table { table-layout: auto; }
.jp-RenderedHTMLCommon .finlib thead th, .finlib thead th { text-align: center; }
.jp-RenderedHTMLCommon .finlib tbody th, .finlib tbody th { text-align: left; }
@media print {
  .finlib { max-width: none; font-size: 9.5pt; line-height: 1.3; }
  .finlib p { margin: .35em 0; orphans: 2; widows: 2; }
  .finlib table { font-size: 8pt; }
  .finlib th, .finlib td { padding: .1rem .3rem; }
  .finlib h1 { font-size: 15pt; margin-top: 0; }
  .finlib h2 { font-size: 12pt; }
  .finlib h3 { font-size: 10.5pt; margin: .6em 0 .2em; }
  .finlib .box { padding: 0 .6rem; margin: .5rem 0; }
  .finlib .table-region { margin: .4rem 0; }
  .jp-OutputArea .jp-OutputArea-child { break-inside: auto; page-break-inside: auto; }
  .finlib .banner { position: static; padding: .2rem .6rem; }
  .finlib .table-region tbody th[scope=row], .finlib .table-region thead th:first-child,
  .finlib .table-region caption { position: static; max-width: none; box-shadow: none; }
  .finlib .table-region { mask-image: none; animation: none; }
  .finlib .skip, .finlib nav.contents { display: none; }
  .finlib h2 { margin-top: 1.2rem; }
  .finlib h2, .finlib h3, .finlib caption, .finlib p.lead { break-after: avoid; page-break-after: avoid; }
  .finlib tr, .finlib figure img, .finlib .box { break-inside: avoid; page-break-inside: avoid; }
  .finlib .table-region { overflow: visible; }
  .finlib figure { margin: .4rem 0; }
  .finlib figure img { display: block; width: auto; max-width: 140mm; max-height: 110mm;
    break-after: avoid; page-break-after: avoid; }
  .finlib figcaption { font-size: 8.5pt; orphans: 3; widows: 3; }
  .finlib figcaption table { font-size: 7.5pt; }
  .finlib figcaption th, .finlib figcaption td { padding: 0 .3rem; }
  .finlib details { display: block; }
  .finlib details > summary { display: none; }
  .finlib details::details-content { display: block; content-visibility: visible; }
  .finlib a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
</style>
"""

#: A signed amount in prose: it never breaks across lines.
AMOUNT = re.compile(r"(?:[+\u2212-])?£[\d,]+(?:\.\d+)?m?")
NO_ADJUSTMENTS = "No Corporate Director adjustments were made this period to the budget headings in this paper."
NO_PUBLICATIONS = "No period compared in this report has been published yet."
RESTRICTED = (
    '<p class="banner restricted" role="note"><strong>RESTRICTED</strong>: not for publication. '
    "This version names exempt items; the public report shows them only as “Exempt items”.</p>"
)


def style() -> str:
    return STYLE


def prose(text: str) -> str:
    """Text as HTML: escaped, with each signed amount kept on one line."""
    return AMOUNT.sub(lambda m: f'<span class="amount">{m.group(0)}</span>', escape(text))


#: The shape printed beside each RAG word, so that a rating never rests on colour alone.
RAG_SHAPES = {"GREEN": "●", "AMBER": "▲", "RED": "■"}


def sparkline(trend: Trend, width: int = 72, height: int = 18) -> str:
    """A small line of a trend's values, its figures as its text alternative (one value: a dot)."""
    label = f"Trend: {trend}" if trend.points else "No results yet"
    values = [v for _, v, _ in trend.points]
    if not values:
        return '<span class="trend">None yet</span>'
    low, high = min(values), max(values)
    spread = (high - low) or 1
    step = (width - 4) / max(len(values) - 1, 1)

    def y(v: Decimal) -> float:
        if high == low:
            return height / 2
        share = float((v - low) / spread) if trend.lower_better else float((high - v) / spread)
        return 2 + share * (height - 4)

    xy = [(2 + i * step, y(v)) for i, v in enumerate(values)]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    last_x, last_y = xy[-1]
    return (
        f'<svg class="trend" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><polyline points="{points}" fill="none" stroke="#1d3f6e" '
        f'stroke-width="1.5"/><circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="#1d3f6e"/></svg>'
    )


#: What a direction of travel's arrow says, for a reader who does not see it.
DOT_WORDS = {"↑": "improved", "↓": "worse", "↔": "unchanged"}


def _cell(value: object, column: Column) -> str:
    if column.form == TREND_FORM and isinstance(value, Trend):
        return sparkline(value)
    if column.form == DOT_FORM and cell_text(value) in DOT_WORDS:
        arrow = cell_text(value)
        return f'<span aria-hidden="true">{arrow}</span><span class="hidden-text">{DOT_WORDS[arrow]}</span>'

    if column.unit is None:
        text = cell_text(value)
        if column.form == RAG_FORM and text in RAG_SHAPES:
            return f'<span class="rag-shape" aria-hidden="true">{RAG_SHAPES[text]}</span> {escape(text)}'
        if column.form == "date":
            text = iso_date_text(text)
        elif column.form == "time":
            text = iso_time_text(text)
        return escape(text)
    return column.unit.printed(value)


def _cell_class(column: Column, value: object = None) -> str:
    """``num`` for amounts; ``text``, and ``text when`` for a date or time (which never wraps); a RAG
    rating ``text rag rag-green``."""
    if column.is_amount:
        return "num"
    if column.form == RAG_FORM:
        text = cell_text(value)
        return f"text rag rag-{text.lower()}" if text in RAG_SHAPES else "text rag"
    if column.form == WIDE_FORM:
        return "text wide"
    if column.form == "ref":
        return "text ref"
    return "text when" if column.form in ("date", "time") else "text"


def _shown_columns(t: Table) -> list[Column]:
    """The printed columns, leaving out an amount column that is blank on every row."""
    return [c for i, c in enumerate(t.printed) if i == 0 or not c.is_amount or t.frame[c.key].notna().any()]


def table(t: Table, label: str | None = None, anchor: str | None = None) -> str:
    """A table as printed, in a region of its own that scrolls sideways when the screen is narrow; the
    first column labels rows; all-blank amount columns are left out.  ``label``: ``Table 1``."""
    columns = _shown_columns(t)
    first, rest = columns[0], columns[1:]
    head = "".join(f'<th scope="col">{escape(c.heading)}</th>' for c in columns)
    body = []
    for row in t.records():
        cells = "".join(f'<td class="{_cell_class(c, row[c.key])}">{_cell(row[c.key], c)}</td>' for c in rest)
        body.append(
            f'<tr class="{escape(str(row["kind"]))}"><th scope="row">{_cell(row[first.key], first)}</th>{cells}</tr>'
        )
    unit = f" ({escape(t.unit.name)})" if t.unit is not None else ""
    named = f"{escape(label)}: " if label else ""
    ident = anchor or slug(f"{label or ''} {t.caption}") or "table"
    return (
        f'<div class="table-region" role="region" aria-labelledby="{ident}-caption" tabindex="0">'
        f'<table id="{ident}"><caption id="{ident}-caption">{named}{escape(t.caption)}{unit}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def paragraphs(texts: list[str] | tuple[str, ...]) -> str:
    return "".join(f"<p>{prose(text)}</p>" for text in texts)


def figure(f: Figure, label: str | None = None, anchor: str | None = None) -> str:
    """A chart (an image with its text alternative), and its figures in a table a reader can open."""
    data = base64.b64encode(charts.svg(f.chart)).decode("ascii")
    named = f"{escape(label)}: " if label else ""
    ident = anchor or slug(f"{label or ''} {f.title}") or "table"
    unit = " (£m)"
    return (
        f'<figure id="{ident}"><img src="data:image/svg+xml;base64,{data}" alt="{escape(charts.alt(f.chart))}">'
        f"<figcaption>{named}{escape(f.title)}{unit}<details><summary>Figures in this chart</summary>"
        f"{table(f.figures, anchor=f'{ident}-figures')}</details></figcaption></figure>"
    )


def _draft(report: Report) -> str:
    items = "".join(
        f"<li>{escape(m.directorate)}: {escape(m.subject)} ({escape(str(m.about))} {prose_amount(m.amount)})</li>"
        for m in report.missing
    )
    return (
        '<div class="banner draft" role="note"><p><strong>DRAFT</strong>: not for publication until every '
        f"explanation the report needs is given. Still needed:</p><ul>{items}</ul></div>"
    )


def prose_amount(pence: int) -> str:
    return prose(signed(pence))


def _page_marks(marks: str) -> str:
    """RESTRICTED and DRAFT in the top margin of every printed page, however the page is printed (the PDF
    exporter's running header carries them instead)."""
    if not marks:
        return ""
    return (
        f'<style class="page-marks">@page {{ @top-right {{ content: "{marks}"; font: 700 9pt Arial, sans-serif; '
        "color: #7a0019; } }</style>"
    )


def cover(report: Report) -> str:
    """The banner(s), the cover block, the Summary and Recommendations, and the contents list."""
    paper = report.paper
    assert paper is not None
    banners = (RESTRICTED if report.restricted else "") + (_draft(report) if report.draft else "")
    notice = f'<p class="notice">{escape(report.notice)}</p>' if report.notice else ""
    marks = ("RESTRICTED" if report.restricted else "", "DRAFT" if report.draft else "")
    appendix_link = '<li><a href="#appendix">Appendix: adjustments and publication record</a></li>'
    return paper_cover(paper, report.authority_name, banners, marks, appendix_link, notice)


def paper_cover(
    paper: Paper, authority: str, banners: str = "", marks: tuple[str, ...] = (), more: str = "", notice: str = ""
) -> str:
    """A paper's cover block, Summary, Recommendation(s) and contents (``more``: further contents items)."""
    block = paper.cover
    rows = [
        ("From", block.from_),
        ("To", block.to),
        ("Date of meeting", block.meeting),
        ("Subject", block.subject),
        ("Classification", block.classification),
    ]
    cover_rows = "".join(f"<dt>{name}:</dt><dd>{escape(value)}</dd>" for name, value in rows)
    recommendations = "".join(f"<li>{prose(r)}</li>" for r in paper.recommendations)
    contents = "".join(f'<li><a href="#{escape(s.anchor)}">{escape(s.title)}</a></li>' for s in paper.sections)
    contents += more
    meeting = f"meeting of {block.meeting}" if block.meeting[:1].isdigit() else "meeting date not yet set"
    running = " · ".join(x for x in (*marks, block.to, meeting) if x)
    return (
        f'<meta name="finlib-running-header" content="{escape(running)}">'
        + _page_marks(" · ".join(m for m in marks if m))
        + f'<header>{banners}<a class="skip" href="#contents">Skip to the contents</a>'
        f'<p class="meta">{escape(authority)}</p><h1>{escape(block.subject)}</h1>'
        f'<dl class="cover">{cover_rows}</dl>{notice}</header>'
        f'<section class="box" id="summary" aria-labelledby="summary-heading"><h2 id="summary-heading">Summary</h2>'
        f"{paragraphs(paper.summary)}</section>"
        f'<section class="box" id="recommendations-summary" aria-labelledby="recommendations-summary-heading">'
        f'<h2 id="recommendations-summary-heading">Recommendation(s)</h2><p>{escape(paper.asked)}:</p>'
        f"<ol>{recommendations}</ol></section>"
        f'<nav class="contents" id="contents" aria-label="Contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
    )


def paper_section(section: PaperSection) -> str:
    """A numbered section: its heading, numbered paragraphs, tables and charts."""
    parts = [
        f'<section id="{escape(section.anchor)}" aria-labelledby="{escape(section.anchor)}-heading">'
        f'<h2 id="{escape(section.anchor)}-heading">{section.number}. {escape(section.title)}</h2>'
    ]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lead = ' class="lead"' if block.introduces else ""
            parts.append(f'<p{lead}><span class="number">{block.number}</span>{prose(block.text)}</p>')
        elif isinstance(block, Subheading):
            parts.append(f"<h3>{escape(block.text)}</h3>")
        elif isinstance(block, Exhibit) and block.table is not None:
            parts.append(table(block.table, block.label, block.anchor))
        elif isinstance(block, Exhibit) and block.figure is not None:
            parts.append(figure(block.figure, block.label, block.anchor))
    parts.append("</section>")
    return "".join(parts)


def appendix(report: Report) -> str:
    """The record behind the figures: the CD adjustments applied, and the publications of the periods."""
    parts = ['<section id="appendix" aria-labelledby="appendix-heading">']
    parts.append('<h2 id="appendix-heading">Appendix: adjustments and publication record</h2>')
    parts.append("<h3>Corporate Director adjustments applied</h3>")
    adjustments = report.appendix.adjustments
    parts.append(paragraphs([NO_ADJUSTMENTS]) if adjustments.empty else table(adjustments, anchor="adjustments"))
    parts.append("<h3>Publication record</h3>")
    publications = report.appendix.publications
    parts.append(paragraphs([NO_PUBLICATIONS]) if publications.empty else table(publications, anchor="publications"))
    signoffs = report.appendix.signoffs
    if not signoffs.empty:
        parts.append(table(signoffs, anchor="signoffs"))
    parts.append("</section>")
    return "".join(parts)


def part(report: Report, section: Section) -> str:
    """One part of a report as HTML."""
    if section.part == Part.COVER:
        return style() + cover(report)
    if section.part == Part.SECTION:
        assert section.section is not None
        return paper_section(section.section)
    return appendix(report)


def fragments(report: Report) -> list[str]:
    """Every part of a report as HTML, in reading order."""
    return [part(report, section) for section in order(report)]


def wrap(*fragments: str) -> str:
    """Fragments inside the report's styled container."""
    return f'<div class="finlib">{"".join(fragments)}</div>'


def page(report: Report, title: str) -> str:
    """The whole report as one HTML page (without the notebook): what a PDF is printed from in tests."""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><main>{wrap(*fragments(report))}</main></body></html>\n"
    )


#: A dashboard's tables: a narrow Ref, the header kept with the first rows when printed.
DASHBOARD_STYLE = """<style>
.finlib .table-region table tbody th[scope=row] { min-width: 3rem; }
.finlib td.wide { min-width: 13rem; }
.finlib .table-region { position: relative; }
.finlib .hidden-text { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
@media print { .finlib thead { break-after: avoid; page-break-after: avoid; } .finlib td.wide { min-width: 6.5rem; } }
</style>"""


def dashboard_fragments(paper: Paper, authority: str = "") -> list[str]:
    """A Performance Dashboard paper's parts: its cover (with the style), then each numbered section."""
    return [style() + DASHBOARD_STYLE + paper_cover(paper, authority), *(paper_section(s) for s in paper.sections)]


def dashboard_page(paper: Paper, authority: str, title: str) -> str:
    """A Performance Dashboard paper as one HTML page: its cover and its numbered sections."""
    body = "".join(dashboard_fragments(paper, authority))
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head><body><main>{wrap(body)}</main></body></html>\n"
    )
