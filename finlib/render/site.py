"""HTML of the browsable archive (``finlib site``): the indexes, each paper, each directorate's year.

Formatting only, from the archive's model (:mod:`finlib.site.model`): every text from the data is
escaped, every page has its language, a skip link, a breadcrumb, one ``h1`` and headings in order,
and tables with captions and header cells with scope, in the reports' own style
(:func:`finlib.render.html.style`).  A paper is the report's own HTML (:func:`finlib.render.html.fragments`),
the same model and fragments ``finlib report`` writes, inside the archive's frame.  Pages hold nothing
about the run that wrote them (no time, no folder), so a page whose content is unchanged is unchanged
byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path

from finlib.dates import iso_time_text
from finlib.render import html
from finlib.render.files import write_atomic
from finlib.site.model import (
    CABINET,
    INDEX,
    Archive,
    DirectorateHistory,
    Paper,
    PublishedPeriod,
    Version,
    Year,
    link,
    paper_page,
    period_page,
    year_page,
)

SITE_STYLE = """
<style>
.finlib.site { margin: 0 auto; padding: 0 1rem 2rem; }
.finlib nav.crumbs ol { list-style: none; padding: 0; margin: .8rem 0; display: flex; flex-wrap: wrap;
  gap: .2rem .4rem; }
.finlib nav.crumbs li + li::before { content: "›"; margin-right: .4rem; color: #444; }
.finlib nav.crumbs p { margin: .2rem 0 .8rem; }
.finlib ul.papers li { margin: .2rem 0; }
.finlib .hidden-text { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
</style>
"""
PDF_NOTE = "PDF, tagged, A4"


def _head(title: str, styled: bool) -> str:
    """The head of a page; ``styled``: with the reports' style (a paper's cover carries it already)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{html.style() if styled else ''}{SITE_STYLE}</head>"
    )


def _crumbs(here: str, trail: Sequence[tuple[str, str]], extra: str = "") -> str:
    """The breadcrumb: each level above the page as a link, the page itself as the current one."""
    items = [f'<li><a href="{escape(link(here, path))}">{escape(name)}</a></li>' for name, path in trail[:-1]]
    items.append(
        f'<li><a href="{escape(link(here, trail[-1][1]))}" aria-current="page">{escape(trail[-1][0])}</a></li>'
    )
    return f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{"".join(items)}</ol>{extra}</nav>'


def _page(
    title: str, here: str, trail: Sequence[tuple[str, str]], body: str, extra: str = "", styled: bool = True
) -> str:
    return (
        f'{_head(title, styled)}<body><div class="finlib site">'
        f'<a class="skip" href="#main">Skip to the main content</a>{_crumbs(here, trail, extra)}'
        f'<main id="main">{body}</main></div></body></html>\n'
    )


def _table(
    ident: str, caption: str, headings: Sequence[str], rows: Sequence[tuple[str, Sequence[tuple[str, str]]]]
) -> str:
    """A table as the reports print them: a labelled region that scrolls sideways on a narrow screen, a
    caption, header cells with scope.  ``rows``: (the row's header, [(cell class, cell)]), as HTML."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    body = "".join(
        f'<tr class="line"><th scope="row">{label}</th>{"".join(_cell(kind, cell) for kind, cell in cells)}</tr>'
        for label, cells in rows
    )
    return (
        f'<div class="table-region" role="region" aria-labelledby="{ident}-caption" tabindex="0">'
        f'<table id="{ident}"><caption id="{ident}-caption">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _cell(kind: str, content: str) -> str:
    return f'<td class="{kind}">{content}</td>'


def _a(here: str, target: str, text: str) -> str:
    return f'<a href="{escape(link(here, target))}">{escape(text)}</a>'


def _papers(here: str, entry: PublishedPeriod, with_pdf: bool) -> str:
    """Links to a period's papers, each with its PDF."""
    items = []
    for paper in entry.papers:
        pdf = ""
        if with_pdf:
            target = paper_page(entry.period, paper.key, ".pdf")
            named = f'<span class="hidden-text">: {escape(paper.to)}</span>'
            pdf = f' (<a href="{escape(link(here, target))}">{escape(PDF_NOTE)}{named}</a>)'
        items.append(f"<li>{_a(here, paper_page(entry.period, paper.key), paper.to)}{pdf}</li>")
    return f'<ul class="papers">{"".join(items)}</ul>'


def _compared(last: object) -> str:
    label = getattr(last, "label", None)
    return escape(label) if label else "none (no earlier period published)"


def _status(entry: PublishedPeriod, version: Version) -> str:
    if version is entry.current:
        return "current"
    later = entry.superseded_by(version)
    return f"superseded by version {later.number}" if later else "superseded"


def _missing(version: Version) -> str:
    if not version.missing:
        return ""
    return f"Published with {version.missing} explanation(s) missing: {version.missing_reason or ''}"


# ---------------------------------------------------------------------------
# The pages


def index_page(archive: Archive, with_pdf: bool) -> str:
    """``index.html``: every financial year, newest first, each with its periods and their papers."""
    here = INDEX
    parts = [
        f'<p class="meta">{escape(archive.authority_name)}</p><h1>Budget monitoring: the published archive</h1>',
        "<p>Every monitoring period published, with the papers reported to Cabinet and its committees. "
        "Each paper shows the position as it was published; a period published again shows its current "
        "version, and lists the version it replaced and why.</p>",
    ]
    for year in reversed(archive.years):
        heading = _a(here, year_page(year.year), str(year.year))
        parts.append(f'<section aria-labelledby="year-{year.year}"><h2 id="year-{year.year}">{heading}</h2>')
        for entry in reversed(year.periods):
            parts.append(f"<h3>{_a(here, period_page(entry.period), entry.period.label)}</h3>")
            parts.append(_papers(here, entry, with_pdf))
        parts.append("</section>")
    trail = [("Archive", INDEX)]
    return _page(f"{archive.authority_name}: budget monitoring archive", here, trail, "".join(parts))


def year_index(archive: Archive, year: Year, with_pdf: bool) -> str:
    """``<FY>/index.html``: the year's periods and papers, its directorates, its superseded versions."""
    here = year_page(year.year)
    rows = []
    for entry in year.periods:
        version = entry.current
        papers = ", ".join(_a(here, paper_page(entry.period, p.key), p.to) for p in entry.papers)
        rows.append(
            (
                _a(here, period_page(entry.period), entry.period.label),
                [
                    ("text", str(version.number)),
                    ("text when", escape(iso_time_text(version.published_at))),
                    ("text", _compared(entry.last_reported)),
                    ("text", papers),
                ],
            )
        )
    parts = [
        f'<p class="meta">{escape(archive.authority_name)}</p><h1>Budget monitoring {year.year}</h1>',
        '<section aria-labelledby="periods"><h2 id="periods">Published periods</h2>',
        _table(
            "published-periods",
            f"Periods of {year.year} published, with their papers",
            ["Period", "Version", "Published", "Compared with", "Papers"],
            rows,
        ),
    ]
    if with_pdf:
        parts.append("<p>Each paper is also published as a tagged A4 PDF, linked from its period's page.</p>")
    parts.append("</section>")
    parts.append(
        '<section aria-labelledby="directorates"><h2 id="directorates">Each directorate through the year</h2><ul>'
    )
    parts += [f"<li>{_a(here, h.page, h.name)}</li>" for h in year.histories]
    parts.append("</ul></section>")
    parts.append('<section aria-labelledby="superseded"><h2 id="superseded">Superseded versions</h2>')
    old = [(entry, v) for entry in year.periods for v in entry.superseded]
    if old:
        parts.append(
            _table(
                "superseded-versions",
                f"Versions of {year.year} replaced by a later publication of the same period",
                ["Period", "Version", "Published", "Status", "Reason it was replaced"],
                [
                    (
                        _a(here, period_page(entry.period), entry.period.label),
                        [
                            ("text", str(v.number)),
                            ("text when", escape(iso_time_text(v.published_at))),
                            ("text", escape(_status(entry, v))),
                            ("text", escape((entry.superseded_by(v) or v).reason or "")),
                        ],
                    )
                    for entry, v in old
                ],
            )
        )
    else:
        parts.append(f"<p>No period of {year.year} has been published more than once.</p>")
    parts.append("</section>")
    trail = [("Archive", INDEX), (str(year.year), here)]
    return _page(f"{archive.authority_name}: budget monitoring {year.year}", here, trail, "".join(parts))


def period_index(archive: Archive, entry: PublishedPeriod, with_pdf: bool) -> str:
    """``<FY>/<YYYY-MM>/index.html``: the period's papers and every version published."""
    here = period_page(entry.period)
    year = entry.period.financial_year
    current = entry.current
    facts = (
        f"<p>Version {current.number}, published {escape(iso_time_text(current.published_at))}. "
        f"Compared with: {_compared(entry.last_reported)}.</p>"
    )
    if current.missing:
        facts += f"<p>{escape(_missing(current))}</p>"
    rows = [
        (
            str(v.number),
            [
                ("text when", escape(iso_time_text(v.published_at))),
                ("text", escape(_status(entry, v))),
                ("text", escape(v.reason or "")),
                ("text", escape(f"{v.missing}: {v.missing_reason or ''}" if v.missing else "")),
            ],
        )
        for v in entry.versions
    ]
    parts = [
        f'<p class="meta">{escape(archive.authority_name)}</p><h1>Budget monitoring: {escape(entry.period.label)}</h1>',
        facts,
        '<section aria-labelledby="papers"><h2 id="papers">Papers</h2>',
        _papers(here, entry, with_pdf),
        "</section>",
        '<section aria-labelledby="versions"><h2 id="versions">Versions published</h2>',
        _table(
            "versions-published",
            f"Every version of {entry.period.label} published",
            ["Version", "Published", "Status", "Why it replaced the one before", "Explanations missing"],
            rows,
        ),
        "</section>",
    ]
    trail = [("Archive", INDEX), (str(year), year_page(year)), (entry.period.label, here)]
    return _page(f"{archive.authority_name}: budget monitoring {entry.period.label}", here, trail, "".join(parts))


def paper(entry: PublishedPeriod, item: Paper, with_pdf: bool) -> str:
    """``<FY>/<YYYY-MM>/<key>.html``: the paper, as ``finlib report`` writes it, in the archive's frame."""
    here = paper_page(entry.period, item.key)
    year = entry.period.financial_year
    extra = ""
    if with_pdf:
        extra = f"<p>This paper as a {_a(here, paper_page(entry.period, item.key, '.pdf'), 'PDF (tagged, A4)')}.</p>"
    trail = [
        ("Archive", INDEX),
        (str(year), year_page(year)),
        (entry.period.label, period_page(entry.period)),
        (item.to, here),
    ]
    return _page(item.title, here, trail, "".join(html.fragments(item.report)), extra, styled=False)


def printed(item: Paper) -> bytes:
    """What a paper's PDF is printed from: the paper alone, as ``finlib report`` prints it."""
    return html.page(item.report, item.title).encode("utf-8")


def directorate(archive: Archive, history: DirectorateHistory) -> str:
    """``<FY>/directorates/<slug>.html``: the directorate's total in each published period of the year."""
    here = history.page
    unit = history.unit
    rows = [
        (
            _a(here, f"{paper_page(r.period, CABINET)}#{history.anchor}", r.period.label),
            [
                ("num", unit.printed(r.revised_net_variance)),
                ("num", unit.printed(r.last_reported)),
                ("num", unit.printed(r.movement)),
                ("text", _compared(r.last_period)),
            ],
        )
        for r in history.rows
    ]
    parts = [
        f'<p class="meta">{escape(archive.authority_name)}</p>'
        f"<h1>{escape(history.name)}: the position through {history.year}</h1>",
        f"<p>The directorate's total in each period of {history.year} published, as the Cabinet paper of "
        "that period reports it (each period links to the directorate's section of that paper). + is a "
        "pressure (overspend), "
        "− an underspend.</p>",
        _table(
            "history",
            f"{history.caption} ({unit.name})",
            ["Period", "Revised Net Variance", "Last Reported position", "Movement", "Compared with"],
            rows,
        ),
        html.figure(history.figure, anchor="history-chart"),
    ]
    year = history.year
    trail = [("Archive", INDEX), (str(year), year_page(year)), (history.name, here)]
    return _page(f"{archive.authority_name}: {history.name}, {year}", here, trail, "".join(parts))


def pages(archive: Archive, with_pdf: bool) -> dict[str, str]:
    """Every HTML page of the archive, by its path in the site."""
    found = {INDEX: index_page(archive, with_pdf)}
    for year in archive.years:
        found[year_page(year.year)] = year_index(archive, year, with_pdf)
        for entry in year.periods:
            found[period_page(entry.period)] = period_index(archive, entry, with_pdf)
            for item in entry.papers:
                found[paper_page(entry.period, item.key)] = paper(entry, item, with_pdf)
        for history in year.histories:
            found[history.page] = directorate(archive, history)
    return found


# ---------------------------------------------------------------------------
# Writing

#: Beside the pages: the SHA-256 of the HTML each PDF was printed from, so that a PDF whose paper is
#: unchanged is kept as it is (Chromium stamps every PDF it prints with the time).
PRINTED_FROM = ".pdf-sources.json"


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` whole (see :func:`write_atomic`) unless the file already holds it; whether written."""
    if path.is_file() and path.read_bytes() == content:
        return False
    write_atomic(path, content)
    return True


def read_printed_from(out: Path) -> dict[str, str]:
    path = out / PRINTED_FROM
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in record.items()} if isinstance(record, dict) else {}


def write_printed_from(out: Path, record: dict[str, str]) -> None:
    write_if_changed(out / PRINTED_FROM, (json.dumps(dict(sorted(record.items())), indent=2) + "\n").encode("utf-8"))
