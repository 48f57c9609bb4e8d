"""Gathering a period's Performance Dashboards: the indicators and results, the committees' remits and
the papers' words, into one dashboard paper for Cabinet (every directorate) and one per committee.

What ``finlib report`` runs in ``notebooks/dashboard.ipynb`` when the year has ``kpis.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finlib.config import DataSet
from finlib.core.commentary import and_list
from finlib.core.period import Period
from finlib.core.revenue import remit_lines
from finlib.core.settings import PaperWords
from finlib.errors import Problems, UsageError
from finlib.inputs.committees import read_committees
from finlib.inputs.kpi import has_dashboard, read_dashboard
from finlib.inputs.papers import read_papers
from finlib.inputs.period import read_budget_book
from finlib.inputs.settings import read_settings
from finlib.report.arrange import contact_line, meeting
from finlib.report.dashboard import DashboardWords, dashboard_paper
from finlib.report.paper import Paper

CABINET = "cabinet"


@dataclass(frozen=True)
class DashboardPaper:
    """One dashboard paper, the authority it is of, and its title."""

    paper: Paper
    authority: str
    title: str


@dataclass(frozen=True)
class Dashboards:
    """A period's dashboard papers: Cabinet's and each committee's that has indicators in its remit."""

    period: Period
    papers: dict[str, DashboardPaper]  # by committee key; ``cabinet`` for the whole authority


def _words(authority: str, words: PaperWords, to: str, period: str) -> DashboardWords:
    """A dashboard's cover, background and contacts: the words of the same committee's finance paper."""
    named = [("Report Author", words.author), ("Relevant Director", words.director)]
    lines = tuple(contact_line(role, c) for role, c in named if c is not None)
    return DashboardWords(
        authority, words.from_, to, meeting(words, period), words.classification, words.background, lines
    )


def available(data: DataSet | Path | str, period: Period | str) -> bool:
    """Whether the period's year has performance indicators (``kpis.csv``)."""
    return has_dashboard(DataSet.at(data), Period.parse(period))


def gather(data: DataSet | Path | str, period: Period | str, only: str | None = None) -> Dashboards:
    """Every dashboard paper of the period (or Cabinet's, or the committee ``only``'s); raises
    :class:`~finlib.errors.InputError` listing every problem of the files read."""
    data = DataSet.at(data)
    period = Period.parse(period)
    problems = Problems()
    settings = read_settings(data.authority_file, problems)
    book = read_budget_book(data, period, problems)
    problems.raise_if_any()
    assert book is not None
    directorates = list(dict.fromkeys(str(d) for d in book["directorate"]))
    committees = read_committees(data, period.financial_year, book, problems, None if only == CABINET else only)
    papers = read_papers(data, problems, period.financial_year)
    dashboard = read_dashboard(data, period, directorates, problems)
    problems.raise_if_any()
    if dashboard is None:
        raise UsageError(f"{period}: {data.year_dir(period.financial_year)} has no kpis.csv: no dashboard to write")
    rated = dashboard.rated()
    trends = {i.ref: dashboard.trend(i.ref) for i in dashboard.indicators if i.kind == "kpi"}
    previous = dashboard.previous_period
    with_indicators = [d for d in directorates if any(r.indicator.directorate == d for r in rated)]
    built: dict[str, DashboardPaper] = {}
    if only in (None, CABINET):
        words = papers.cabinet
        cover = _words(settings.name, words, words.to or "Cabinet", str(period))
        paper = dashboard_paper(period, with_indicators, rated, cover, "the authority", trends, previous)
        built[CABINET] = DashboardPaper(paper, settings.name, f"Cabinet: Performance Dashboard {period.label}")
    for key, committee in committees.items():
        if only not in (None, key):
            continue
        covered = remit_lines(book, committee)
        own = [d for d in with_indicators if (covered & (book["directorate"] == d)).any()]
        if not own:
            continue
        words = papers.for_committee(key)
        cover = _words(settings.name, words, words.to or committee.name, str(period))
        remit = and_list([f"the {d} directorate" for d in own])
        title = f"{committee.name}: Performance Dashboard {period.label}"
        built[key] = DashboardPaper(
            dashboard_paper(period, own, rated, cover, remit, trends, previous), settings.name, title
        )
    return Dashboards(period, built)
