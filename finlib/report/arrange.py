"""Arranging a report as a paper: the sections in the order the published papers use, each table first.

The Cabinet paper reads: Introduction; Revenue position of the authority; Capital position of the
authority; one section per directorate; Recommendations; Background documents; Contact details.  A
committee's paper reads: Introduction; a section per directorate in its remit; the authority's position
when it has the overview; then the same closing sections.  Sentences about figures come from
:mod:`finlib.core.commentary`; the words that are not figures, from ``papers.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from finlib.core.commentary import and_list, sentence
from finlib.core.kinds import About
from finlib.core.records import Records
from finlib.core.settings import Committee, Contact, PaperWords
from finlib.dates import long_date
from finlib.money import millions
from finlib.report.model import DirectorateSection, Figure, Report, Table
from finlib.report.paper import Cover, Numbering, Paper, Subheading

UNITS = (
    "Figures are in £m to 3 decimal places unless a table says otherwise; + is a pressure (an overspend), "
    "\u2212 an underspend. Totals are computed from unrounded figures, so the printed parts of a total may "
    "not add up to it exactly."
)
RESTRICTED_CLASSIFICATION = "Restricted: contains exempt information, not for publication"

Content = list[str | Table | Figure | Subheading]  # a section's paragraphs and exhibits, in reading order


def words(explanations: Records, about: About, subjects: Sequence[str]) -> tuple[str, ...]:
    """The finance director's paragraphs (``about`` = summary or authority) whose subject is one of
    ``subjects`` (``""``: the whole authority), one paragraph per row, in file order."""
    frame = explanations.frame
    chosen = frame[(frame["about"] == about) & frame["subject"].isin(list(subjects))]
    return tuple(sentence(str(text)) for text in chosen["text"])


def meeting(words: PaperWords, period: str) -> str:
    day = words.meetings.get(period)
    return long_date(dt.date.fromisoformat(day)) if day else "Not yet set"


def classification(report: Report, words: PaperWords) -> str:
    return RESTRICTED_CLASSIFICATION if report.restricted else words.classification


def contacts(report: Report, words: PaperWords) -> tuple[tuple[str, Contact], ...]:
    named = tuple(
        (role, c) for role, c in (("Report Author", words.author), ("Relevant Director", words.director)) if c
    )
    return named or (("Contact", Contact(name=f"Finance, {report.authority_name}")),)


def scope(report: Report) -> str:
    """What the paper reports on: ``revenue and capital``, or ``revenue`` for a year with no capital programme."""
    return "revenue and capital" if report.capital_schemes is not None else "revenue"


def _introduction(report: Report, first: str, what: str) -> list[str]:
    """The opening paragraphs; ``what`` is the pronoun for what the first sentence gives (it, them)."""
    compared = (
        f" and compares {what} with the last report to Cabinet, {report.last_label}"
        if report.last_label
        else f"; there is no earlier report this year to compare {what} with"
    )
    return [f"{first}{compared}.", UNITS]


def _authority(report: Report) -> Content:
    section = report.authority
    content: Content = [
        "{table} below details the revenue position by directorate (£m).",
        section.table,
        *section.paragraphs,
        *section.words,
        "{chart} shows each directorate's revised net variance.",
        section.chart,
    ]
    if section.bridge is not None:
        content += ["{chart} shows how the position has moved since the last report.", section.bridge]
    if section.trend is not None:
        content += ["{chart} shows the position at each of this year's reports.", section.trend]
    return content


def _capital_of_authority(report: Report) -> Content:
    capital = report.authority.capital
    if capital is None:
        return []
    return ["{table} below details the capital position of each directorate for the year (£m).", capital]


def _directorate(section: DirectorateSection) -> Content:
    what = f"the {section.name} headings in this committee's remit" if section.part else section.name
    unit = section.table.unit
    content: Content = [
        *section.words,
        f"{{table}} below details the revenue position of {what} by Budget Book Heading"
        + (f" ({unit.name})." if unit else "."),
        section.table,
        *section.commentary.paragraphs,
        "{chart} shows the revised net variance of each heading.",
        section.chart,
    ]
    if section.ytd is not None:
        content += [
            "{table} below compares each heading's spending to date with its budget profiled over the same "
            "months, following last year's monthly spending where there is one, otherwise an even twelfth a month "
            "(£'000).",
            section.ytd,
        ]
    if section.prior is not None:
        content += [
            "{table} below sets this year's forecast outturn beside last year's outturn, restated on this "
            "year's headings (£'000).",
            section.prior,
        ]
    if section.trend is not None:
        chart, table = section.trend
        content += [
            "{chart} shows the directorate's revised net variance at each of this year's reports.",
            chart,
            "{table} below gives each heading's revised net variance at each report (£'000).",
            table,
        ]
    if section.performance is not None:
        found = section.performance
        content += [Subheading("Performance indicators"), found.paragraphs[0], found.counts, *found.paragraphs[1:]]
        if found.outside is not None:
            content.append(found.outside)
    if section.capital is not None:
        content += [
            Subheading("Capital"),
            section.capital.opening,
            "{table} below details the capital programme by year (£m).",
            section.capital.table,
            *section.capital.paragraphs,
        ]
    return content


SAVINGS_RULE = (
    "A saving is rated GREEN when it is forecast to be delivered in full this year, AMBER when part of it is "
    "at risk, and RED when none of it is forecast to be delivered this year, unless the forecast sets its "
    "rating. Savings are shown as amounts to be saved, so a shortfall is a pressure on the budget."
)


def _savings(report: Report) -> Content:
    """The Savings delivery section: the authority's roll-up (Cabinet), then each directorate's savings."""
    content: Content = []
    authority = report.savings
    if authority is not None and authority.by_directorate is not None and report.committee is None:
        content += [
            authority.sentence,
            "{table} below gives each directorate's savings plan, the savings forecast to be delivered and the "
            "shortfall (£m), with the RAG ratings counted.",
            authority.by_directorate,
        ]
    content.append(SAVINGS_RULE)
    for section in report.sections:
        if section.savings is None:
            continue
        what = f"the {section.name} headings in this committee's remit" if section.part else section.name
        content += [
            Subheading(section.name),
            section.savings.sentence,
            f"{{table}} below lists the savings of {what} (£'000).",
            section.savings.savings,
        ]
    return content


def has_savings(report: Report) -> bool:
    return any(s.savings is not None for s in report.sections) or (
        report.committee is None and report.savings is not None
    )


def _budget_changes(report: Report) -> Content:
    budget = report.budget
    if budget is None:
        return []
    return [
        budget.paragraph,
        "{table} below reconciles each directorate's net budget with its budget "
        + (f"at the last report ({report.last_label})" if report.last_label else "as originally approved")
        + " (£m).",
        budget.table,
        "{table} below lists the budget changes for approval (£).",
        budget.changes,
    ]


def _requests(report: Report) -> Content:
    requests = report.requests
    if requests is None:
        return []
    content: Content = [requests.paragraph]
    if not requests.table.empty:
        content += ["{table} below lists each request (£).", requests.table]
    return content


def _own_recommendations(report: Report, decides: bool = True) -> list[str]:
    """What the figures themselves ask the meeting to decide (Cabinet) or note (a committee), whatever
    papers.yaml says."""
    asked = []
    if report.budget is not None:
        asked.append(f"{'agree' if decides else 'note'} the budget changes listed in the Budget changes section")
    if report.requests is not None and not report.requests.table.empty:
        verb = "approve" if decides else "note"
        asked.append(
            f"{verb} the roll forward requests of {millions(report.requests.total)} into {report.requests.next_year}"
        )
    return asked


def contact_line(role: str, contact: Contact) -> str:
    """``Report Author: Emma Feakins, Chief Accountant; telephone 01632 960 101; email …``."""
    parts = [f"{role}: {contact.name}" + (f", {contact.title}" if contact.title else "")]
    if contact.phone:
        parts.append(f"telephone {contact.phone}")
    if contact.email:
        parts.append(f"email {contact.email}")
    return "; ".join(parts)


def _paper(
    report: Report,
    paper_words: PaperWords,
    cover: Cover,
    summary: Sequence[str],
    asked: str,
    recommendations: Sequence[str],
    numbering: Numbering,
) -> Paper:
    named = contacts(report, paper_words)
    numbering.add("Recommendations", "recommendations", [f"{asked}: {'; '.join(recommendations)}."])
    numbering.add("Background documents", "background", list(paper_words.background) or ["None."])
    numbering.add("Contact details", "contacts", [contact_line(role, c) for role, c in named])
    return Paper(
        cover=cover,
        summary=tuple(summary),
        recommendations=tuple(recommendations),
        asked=asked,
        sections=tuple(numbering.built),
        background=paper_words.background,
        contacts=named,
    )


def cabinet_paper(report: Report, paper_words: PaperWords) -> Paper:
    year = report.period.financial_year
    numbering = Numbering()
    kinds = scope(report)
    what = (
        f"provisional {kinds} outturn of {report.authority_name} for {year}"
        if report.outturn
        else (f"{kinds} budget monitoring position of {report.authority_name} for {report.period_label}")
    )
    numbering.add("Introduction", "introduction", _introduction(report, f"This report sets out the {what}", "it"))
    numbering.add("Revenue position of the authority", "authority", _authority(report))
    if has_savings(report):
        numbering.add("Savings delivery", "savings", _savings(report))
    if report.budget is not None:
        numbering.add("Budget changes", "budget-changes", _budget_changes(report))
    if report.requests is not None:
        numbering.add("Roll forward requests", "roll-forward-requests", _requests(report))
    if report.accuracy is not None:
        numbering.add(
            "Forecast accuracy",
            "forecast-accuracy",
            [
                report.accuracy.paragraph,
                "{table} below gives each directorate's error at each report (£m): the forecast outturn (budget "
                "plus revised net variance) less the outturn, so budget changes during the year are not errors.",
                report.accuracy.table,
            ],
        )
    if report.authority.capital is not None:
        numbering.add("Capital position of the authority", "capital", _capital_of_authority(report))
    for section in report.sections:
        numbering.add(section.name, section.slug, _directorate(section))
    noted = (
        f"the provisional {kinds} outturn for {year}"
        if report.outturn
        else (f"the forecast {kinds} budget monitoring position for {year}")
    )
    recommendations = (*(paper_words.asked(report.outturn) or (f"note {noted}",)), *_own_recommendations(report))
    cover = Cover(
        paper_words.from_,
        paper_words.to or "Cabinet",
        meeting(paper_words, str(report.period)),
        paper_words.subject
        or (
            f"{kinds.capitalize()} outturn {year}"
            if report.outturn
            else f"{kinds.capitalize()} budget monitoring: {report.period_label}"
        ),
        classification(report, paper_words),
    )
    saved = [report.savings.sentence] if report.savings is not None else []
    summary = [report.authority.headline, *saved, *report.summary_words]
    return _paper(report, paper_words, cover, summary, f"{cover.to} is asked to", recommendations, numbering)


def remit(report: Report) -> str:
    """What a committee's paper covers: ``the Strategic & Corporate Services directorate``."""
    parts = [
        f"the headings of the {s.name} directorate in its remit" if s.part else f"the {s.name} directorate"
        for s in report.sections
    ]
    return and_list(parts) if parts else "no directorate"


def committee_paper(report: Report, committee: Committee, paper_words: PaperWords) -> Paper:
    year = report.period.financial_year
    numbering = Numbering()
    numbering.add(
        "Introduction",
        "introduction",
        [
            f"This is a regular report to this Committee on the {'' if report.outturn else 'forecast '}outturn "
            f"against budget for {remit(report)}.",
            *_introduction(
                report, f"It gives the figures of the {report.period_label} monitoring report to Cabinet", "them"
            ),
        ],
    )
    for section in report.sections:
        numbering.add(section.name, section.slug, _directorate(section))
    if has_savings(report):
        numbering.add("Savings delivery", "savings", _savings(report))
    if report.budget is not None:
        numbering.add("Budget changes", "budget-changes", _budget_changes(report))
    if report.requests is not None:
        numbering.add("Roll forward requests", "roll-forward-requests", _requests(report))
    if report.authority_summary:
        numbering.add(
            "Financial position of the authority",
            "authority",
            [*_authority(report), *_capital_of_authority(report)],
        )
    asked = f"The {committee.name} is asked to"
    what = "outturn variances" if report.outturn else "forecast variances"
    recommendations = (
        *(
            paper_words.asked(report.outturn)
            or (
                f"note the {scope(report)} {what} from budget for {year} for {remit(report)}, based on "
                f"the {report.period_label} monitoring report to Cabinet",
            )
        ),
        *_own_recommendations(report, decides=False),
    )
    names = ", ".join(dict.fromkeys(s.name for s in report.sections))
    cover = Cover(
        paper_words.from_,
        paper_words.to or committee.name,
        meeting(paper_words, str(report.period)),
        paper_words.subject or f"{names} financial monitoring {year}",
        classification(report, paper_words),
    )
    summary = [s.commentary.paragraphs[0] for s in report.sections]
    if report.authority_summary:
        summary.append(report.authority.headline)
    summary.extend(report.summary_words)
    return _paper(report, paper_words, cover, summary, asked, recommendations, numbering)
