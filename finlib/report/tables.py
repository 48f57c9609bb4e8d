"""The column spec of every table a person reads, and the tables built from the position stage.

One place says what each table's columns are called and in which unit they print: the HTML report,
the CSV files and the workbook all read these specs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import cast

import pandas as pd

from finlib.core import capital
from finlib.core.budget import BudgetChanges
from finlib.core.capital import CapitalPosition
from finlib.core.commentary import Missing
from finlib.core.forecast import Settling
from finlib.core.kinds import Change, LineKind, RowKind
from finlib.core.revenue import remit_lines
from finlib.core.settings import Committee, Labels
from finlib.core.stage import Monitoring, Publication
from finlib.core.ytd import YearToDate
from finlib.dates import iso_day_text
from finlib.money import MILLIONS, POUNDS, THOUSANDS
from finlib.report.model import KIND, Bars, Bridge, Column, Table
from finlib.report.paper import Paper, Paragraph

REVENUE_AMOUNTS = (
    ("net_forecast_variance", "Net Forecast Variance"),
    ("cd_adjustment", "Corporate Director adjustment"),
    ("revised_net_variance", "Revised Net Variance"),
    ("last_reported", "Last Reported position"),
    ("movement", "Movement"),
)

AUTHORITY_COLUMNS = (
    Column("row", "Directorate"),
    KIND,
    Column("net_budget", "Budget", MILLIONS, csv="budget"),
    *(Column(key, heading, MILLIONS) for key, heading in REVENUE_AMOUNTS),
)
DIRECTORATE_COLUMNS = (
    Column("heading", "Budget Book Heading"),
    KIND,
    Column("net_budget", "Net Budget", THOUSANDS),
    *(Column(key, heading, THOUSANDS) for key, heading in REVENUE_AMOUNTS),
)
CAPITAL_AMOUNTS = (
    ("budget", "Budget (cash limit)"),
    ("real", "Real variance"),
    ("rephasing", "Rephasing variance"),
    ("forecast", "Forecast"),
)
CAPITAL_YEAR_COLUMNS = (
    Column("year", "Year"),
    KIND,
    *(Column(key, heading, MILLIONS) for key, heading in CAPITAL_AMOUNTS),
)
AUTHORITY_CAPITAL_COLUMNS = (
    Column("directorate", "Directorate"),
    KIND,
    *(Column(key, heading, MILLIONS) for key, heading in CAPITAL_AMOUNTS),
    Column("programme_total", "Programme budget, all years", MILLIONS),
)
#: capital.csv and the workbook's Capital sheet: scheme, year, budget, forecast, real, rephasing.
CAPITAL_SCHEME_COLUMNS = (
    Column("scheme", "Scheme"),
    Column("year", "Year"),
    Column("budget", "Budget (cash limit)", MILLIONS),
    Column("forecast", "Forecast", MILLIONS),
    Column("real", "Real variance", MILLIONS),
    Column("rephasing", "Rephasing variance", MILLIONS),
)
CAPITAL_WORKBOOK_COLUMNS = (
    Column("directorate", "Directorate"),
    Column("scheme", "Scheme"),
    Column("year", "Year"),
    *CAPITAL_SCHEME_COLUMNS[2:],
)
COMMENTARY_COLUMNS = (
    Column("section", "Section"),
    Column("number", "Paragraph"),
    Column("text", "Text"),
)
ADJUSTMENT_COLUMNS = (
    Column("directorate", "Directorate"),
    Column("heading", "Budget Book Heading"),
    Column("amount", "Amount (£)", POUNDS),
    Column("reason", "Reason"),
    Column("author", "Author"),
    Column("date", "Date", form="date"),
)
PUBLICATION_COLUMNS = (
    Column("period", "Period"),
    Column("version", "Version"),
    Column("published_at", "Published", form="time"),
    Column("supersedes", "Supersedes"),
    Column("reason", "Reason"),
    Column("missing", "Explanations missing"),
    Column("fingerprint", "Fingerprint", form="ref"),
)
SIGNOFF_COLUMNS = (
    Column("period", "Period"),
    Column("version", "Version"),
    Column("directorate", "Directorate"),
    Column("signoff", "Sign-off"),
)
MISSING_COLUMNS = (
    Column("directorate", "Directorate"),
    Column("subject", "Subject"),
    Column("about", "About"),
    Column("amount", "Amount (£m)", MILLIONS, csv="amount_gbpm"),
)
WARNING_COLUMNS = (Column("warning", "Warning"),)


def trusted_labels(labels: Labels, directorates: Sequence[str]) -> frozenset[str]:
    """The authority table's own row labels, as printed: set by the finance team (authority.yaml), so
    spreadsheets print them as published (``- re-phased``) rather than neutralised as text from data.

    A sub-total label is a template: ``Sub Total {directorate}`` is trusted for each directorate
    only when the template, not the directorate's name, gives the label its first character.
    """
    texts = {
        labels.financing,
        labels.total,
        labels.schools,
        labels.grand_total,
        labels.variance_from_above,
        labels.rf_committed,
        labels.rf_rephased,
        labels.rf_bids,
        labels.rf_total,
        labels.balance,
        labels.unmapped,
        labels.ledger_total,
        labels.scenario_start,
        labels.scenario_end,
    }
    if not labels.subtotal.startswith("{"):
        texts.update(labels.subtotal_for(directorate) for directorate in directorates)
    return frozenset(texts)


def voiced(columns: tuple[Column, ...], outturn: bool) -> tuple[Column, ...]:
    """A revenue table's columns as the outturn report heads them (the variance is no longer a forecast)."""
    if not outturn:
        return columns
    return tuple(replace(c, heading="Net Outturn Variance") if c.key == "net_forecast_variance" else c for c in columns)


def authority_table(monitoring: Monitoring) -> Table:
    what = "Revenue outturn" if monitoring.outturn else "Revenue position"
    caption = f"{what} by directorate, {monitoring.period.label}"
    trusted = trusted_labels(monitoring.settings.labels, monitoring.directorates())
    columns = voiced(AUTHORITY_COLUMNS, monitoring.outturn)
    return Table("authority", caption, columns, monitoring.authority_table(), trusted)


def directorate_table(monitoring: Monitoring, directorate: str) -> Table:
    what = "revenue outturn" if monitoring.outturn else "revenue position"
    caption = f"{directorate} {what}, {monitoring.period.label}"
    columns = voiced(DIRECTORATE_COLUMNS, monitoring.outturn)
    return Table("directorate", caption, columns, monitoring.directorate_table(directorate))


def capital_year_table(cap: CapitalPosition, directorate: str) -> Table:
    caption = f"{directorate} capital programme by year"
    return Table("capital", caption, CAPITAL_YEAR_COLUMNS, capital.summary_table(cap, directorate))


def authority_capital_table(cap: CapitalPosition) -> Table:
    caption = f"Capital position by directorate, {cap.year}"
    return Table("authority_capital", caption, AUTHORITY_CAPITAL_COLUMNS, capital.authority_capital_table(cap))


def capital_scheme_table(cap: CapitalPosition) -> Table:
    caption = f"Capital programme by scheme and year, {cap.year}"
    return Table("capital_schemes", caption, CAPITAL_SCHEME_COLUMNS, capital.scheme_table(cap))


def capital_workbook_table(cap: CapitalPosition) -> Table:
    """The capital programme by directorate, scheme and year, with each directorate's total and the
    authority's (the workbook's Capital sheet)."""
    caption = f"Capital programme by directorate, scheme and year, {cap.year}"
    return Table("capital_workbook", caption, CAPITAL_WORKBOOK_COLUMNS, capital.scheme_table_by_directorate(cap))


def commentary_table(paper: Paper) -> Table:
    """Every numbered paragraph of a paper, section by section (the workbook's Commentary sheet)."""
    rows = [
        {"section": f"{s.number}. {s.title}", "number": b.number, "text": b.text, "kind": str(RowKind.LINE)}
        for s in paper.sections
        for b in s.blocks
        if isinstance(b, Paragraph)
    ]
    frame = pd.DataFrame(rows, columns=["section", "number", "text", "kind"])
    return Table("commentary", "Commentary of the report, paragraph by paragraph", COMMENTARY_COLUMNS, frame)


def adjustments_table(monitoring: Monitoring) -> Table:
    """The Corporate Director adjustments applied, with each line's directorate and heading as reported."""
    lines = monitoring.position.lines
    frame = monitoring.adjustments.frame.copy()
    frame["directorate"] = frame["line_id"].map(lines["directorate"])
    frame["heading"] = frame["line_id"].map(lines["heading"])
    frame["kind"] = str(RowKind.LINE)
    columns = ["directorate", "heading", "kind", "amount", "reason", "author", "date"]
    caption = f"Corporate Director adjustments, {monitoring.period.label}"
    return Table("adjustments", caption, ADJUSTMENT_COLUMNS, frame[columns].reset_index(drop=True))


def publications_table(publications: Sequence[Publication]) -> Table:
    frame = pd.DataFrame(
        {
            "period": [str(p.period) for p in publications],
            "kind": str(RowKind.LINE),
            "version": [str(p.version) for p in publications],
            "published_at": [p.published_at for p in publications],
            "supersedes": ["" if p.supersedes is None else f"version {p.supersedes}" for p in publications],
            "reason": [p.reason or "" for p in publications],
            "missing": [f"{p.missing}: {p.missing_reason}" if p.missing else "" for p in publications],
            "fingerprint": [f"Fingerprint: {p.fingerprint}" if p.fingerprint else "" for p in publications],
        },
        columns=["period", "kind", "version", "published_at", "supersedes", "reason", "missing", "fingerprint"],
    )
    return Table("publications", "Published versions of the periods in this report", PUBLICATION_COLUMNS, frame)


def signoff_text(publication: Publication, directorate: str) -> str | None:
    """How a directorate's position was signed off for a publication; ``None``: the manifest says nothing
    of it (published before sign-offs were recorded)."""
    for entry in publication.signoffs:
        if entry.directorate == directorate:
            return f"Signed off by {entry.by} on {iso_day_text(entry.signed_at)}"
    without = publication.without_signoff
    if without is not None and directorate in without.directorates:
        return f"Published without sign-off: {without.reason}"
    return None


def signoffs_table(publications: Sequence[Publication], directorates: Sequence[str]) -> Table:
    """Each directorate's sign-off of each published version: ``directorates`` (budget book order) first,
    then any other a manifest names, alphabetically."""
    rows = []
    for p in publications:
        named = {s.directorate for s in p.signoffs} | set(p.without_signoff.directorates if p.without_signoff else ())
        order = [d for d in directorates if d in named] + sorted(named - set(directorates))
        for directorate in order:
            text = signoff_text(p, directorate)
            if text is not None:
                rows.append({"period": str(p.period), "version": str(p.version), "directorate": directorate,
                             "signoff": text})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["period", "version", "directorate", "signoff"])
    frame.insert(1, "kind", str(RowKind.LINE))
    caption = "Corporate Directors' sign-off of the published versions"
    return Table("signoffs", caption, SIGNOFF_COLUMNS, frame)


def missing_table(missing: Sequence[Missing]) -> Table:
    frame = pd.DataFrame(
        {
            "directorate": [m.directorate for m in missing],
            "kind": str(RowKind.LINE),
            "subject": [m.subject for m in missing],
            "about": [str(m.about) for m in missing],
            "amount": pd.array([m.amount for m in missing], dtype="Int64"),
        },
        columns=["directorate", "kind", "subject", "about", "amount"],
    )
    return Table("missing_explanations", "Explanations still needed", MISSING_COLUMNS, frame)


def warnings_table(warnings: Sequence[str]) -> Table:
    frame = pd.DataFrame({"warning": list(warnings), "kind": str(RowKind.LINE)}, columns=["warning", "kind"])
    return Table("capital_warnings", "Capital warnings", WARNING_COLUMNS, frame)


def bars_table(bars: Bars, heading: str) -> Table:
    """The figures of a bar chart as a table."""
    frame = pd.DataFrame(
        {"label": bars.labels, "kind": str(RowKind.LINE), "value": pd.array(bars.values, dtype="Int64")},
        columns=["label", "kind", "value"],
    )
    return Table(
        "chart", bars.title, (Column("label", heading), Column("value", "Revised Net Variance", MILLIONS)), frame
    )


def bridge_table(bridge: Bridge) -> Table:
    """The figures of a bridge chart as a table: the start, each step, the end."""
    labels = [bridge.start_label, *bridge.steps.labels, bridge.end_label]
    values = [bridge.start, *bridge.steps.values, bridge.end]
    kinds = [str(RowKind.TOTAL), *[str(RowKind.LINE)] * len(bridge.steps.values), str(RowKind.TOTAL)]
    frame = pd.DataFrame({"label": labels, "kind": kinds, "value": pd.array(values, dtype="Int64")})
    return Table("chart", bridge.title, (Column("label", "Step"), Column("value", "Amount", MILLIONS)), frame)


UNASSIGNED_COLUMNS = (Column("directorate", "Directorate"), Column("heading", "Budget Book Heading"))


def unassigned_table(lines: pd.DataFrame, committees: Sequence[Committee]) -> Table:
    """The budget book headings no committee's remit covers (none when there are no committees)."""
    rows = []
    if committees:
        service = lines[lines["kind"] == LineKind.SERVICE]
        covered = pd.concat([remit_lines(service, c) for c in committees], axis=1).any(axis=1)
        # a heading is in a remit when any of its lines is
        assigned = covered.groupby([service["directorate"], service["heading"]], sort=False).any()
        rows = [
            {"directorate": str(key[0]), "heading": str(key[1]), "kind": str(RowKind.LINE)}
            for key, isin in cast(Iterable[tuple[tuple[str, str], bool]], assigned.items())
            if not isin
        ]
    frame = pd.DataFrame(rows, columns=["directorate", "heading", "kind"])
    return Table("unassigned_headings", "Budget Book Headings in no committee's remit", UNASSIGNED_COLUMNS, frame)


# ---------------------------------------------------------------------------
# Budget changes and the outturn's roll forward requests

BUDGET_CHANGE_AMOUNTS = (
    (Change.VIREMENT, "virements", "Virements"),
    (Change.FUNDING, "new_funding", "New funding"),
    (Change.REDUCTION, "reductions", "Reductions"),
    (Change.ROLL_FORWARD, "roll_forwards", "Roll forwards"),
)
CHANGE_LIST_COLUMNS = (
    Column("change", "Change"),
    Column("source", "From"),
    Column("target", "To"),
    Column("amount", "Amount (£)", POUNDS),
    Column("reason", "Reason"),
    Column("approved_by", "Approved by"),
    Column("date", "Date", form="date"),
)
REQUEST_COLUMNS = (
    Column("category", "Category"),
    Column("heading", "Budget Book Heading"),
    Column("description", "Description"),
    Column("amount", "Amount (£)", POUNDS),
)


def budget_table(budget: BudgetChanges, lines: pd.DataFrame, since: str | None, keep: set[str] | None = None) -> Table:
    """The reconciliation by directorate (Financing Items and schools' lines with their own directorate
    row): budget at the last report (or original), each kind of change, budget now (£m), and the total of
    the rows (``keep``: only these lines'); only the kinds of change that occur get a column."""
    joined = budget.lines.join(lines[["directorate"]], how="inner")
    if keep is not None:
        joined = joined[joined.index.isin(keep)]
    directorates = list(dict.fromkeys(str(d) for d in joined["directorate"]))
    kinds = [(kind, key, heading) for kind, key, heading in BUDGET_CHANGE_AMOUNTS if joined[kind.value].ne(0).any()]
    start = "Budget at last report" if since else "Original budget"
    columns = (
        Column("directorate", "Directorate"),
        KIND,
        Column("base_budget", start, MILLIONS),
        *(Column(key, heading, MILLIONS) for _, key, heading in kinds),
        Column("net_budget", "Budget now", MILLIONS),
    )
    sums = ["base_budget", *(kind.value for kind, _, _ in kinds), "net_budget"]
    rows = []
    for name in directorates:
        own = joined[joined["directorate"] == name]
        if len(own):
            rows.append({"directorate": name, "kind": str(RowKind.LINE), **{c: int(own[c].sum()) for c in sums}})
    rows.append({"directorate": "Total", "kind": str(RowKind.TOTAL), **{c: int(joined[c].sum()) for c in sums}})
    frame = pd.DataFrame(rows)
    frame = frame.rename(columns={kind.value: key for kind, key, _ in kinds})
    for column in columns:
        if column.unit is not None:
            frame[column.key] = frame[column.key].astype("Int64")
    caption = "Net budget by directorate: " + (f"{since} to now" if since else "original budget to now")
    return Table("budget_changes", caption, columns, frame[[c.key for c in columns]])


def _line_label(lines: pd.DataFrame, line_id: str) -> str:
    if not line_id or line_id not in lines.index:
        return ""
    return f"{lines.loc[line_id, 'directorate']!s}: {lines.loc[line_id, 'heading']!s}"


def changes_table(budget: BudgetChanges, lines: pd.DataFrame, keep: set[str] | None = None) -> Table:
    """Every budget change since the last report, for approval (``keep``: only those touching these lines)."""
    frame = budget.changes.frame
    if keep is not None:
        frame = frame[frame["from_line_id"].isin(keep) | frame["to_line_id"].isin(keep)]
    listed = pd.DataFrame(
        {
            "change": [str(c).capitalize() for c in frame["change"]],
            "kind": str(RowKind.LINE),
            "source": [_line_label(lines, str(v)) for v in frame["from_line_id"]],
            "target": [_line_label(lines, str(v)) for v in frame["to_line_id"]],
            "amount": frame["amount"].astype("Int64").to_numpy(),
            "reason": frame["reason"].to_numpy(),
            "approved_by": frame["approved_by"].to_numpy(),
            "date": frame["date"].to_numpy(),
        },
        columns=["change", "kind", "source", "target", "amount", "reason", "approved_by", "date"],
    )
    return Table("virements", "Budget changes for approval", CHANGE_LIST_COLUMNS, listed)


REQUESTED = ["category", "line_id", "description", "amount"]


def requests_table(frame: pd.DataFrame, lines: pd.DataFrame, next_year: str) -> Table:
    """The outturn's roll forward requests (:data:`REQUESTED` columns), one row each, for approval."""
    headings = [_line_label(lines, str(line)) for line in frame["line_id"]]
    listed = pd.DataFrame(
        {
            "category": [str(c).capitalize() for c in frame["category"]],
            "kind": str(RowKind.LINE),
            "heading": headings,
            "description": frame["description"].to_numpy(),
            "amount": frame["amount"].astype("Int64").to_numpy(),
        },
        columns=["category", "kind", "heading", "description", "amount"],
    )
    if len(listed):
        total = {"category": "Total", "kind": str(RowKind.TOTAL), "heading": "", "description": ""}
        listed = pd.concat(
            [listed, pd.DataFrame([{**total, "amount": int(listed["amount"].sum())}])], ignore_index=True
        )
        listed["amount"] = listed["amount"].astype("Int64")
    return Table("roll_forward_requests", f"Roll forward requests into {next_year}", REQUEST_COLUMNS, listed)


# ---------------------------------------------------------------------------
# The year's trend


def trend_table(caption: str, rows: Sequence[tuple[str, Sequence[int]]], months: Sequence[str], total: str) -> Table:
    """Revised net variance of each row (a heading) at each of the year's reports (£'000), with a total."""
    keys = [f"m{i}" for i in range(len(months))]
    columns = (
        Column("heading", "Budget Book Heading"),
        KIND,
        *(Column(k, m, THOUSANDS) for k, m in zip(keys, months, strict=True)),
    )
    records = [
        {"heading": label, "kind": str(RowKind.LINE), **dict(zip(keys, values, strict=True))} for label, values in rows
    ]
    sums = [sum(values[i] for _, values in rows) for i in range(len(months))]
    records.append({"heading": total, "kind": str(RowKind.TOTAL), **dict(zip(keys, sums, strict=True))})
    frame = pd.DataFrame(records, columns=["heading", "kind", *keys])
    for key in keys:
        frame[key] = frame[key].astype("Int64")
    return Table("trend", caption, columns, frame)


def settling_table(found: Sequence[Settling], months: Sequence[str], threshold: str) -> Table:
    """Each directorate's forecast error at each of the year's reports (£m), and from when it stayed within
    the threshold of the outturn."""
    keys = [f"m{i}" for i in range(len(months))]
    columns = (
        Column("directorate", "Directorate"),
        KIND,
        *(Column(k, m, MILLIONS) for k, m in zip(keys, months, strict=True)),
        Column("settled", f"Within {threshold} from"),
    )
    records = [
        {
            "directorate": s.directorate,
            "kind": str(RowKind.LINE),
            **dict(zip(keys, s.errors, strict=True)),
            "settled": months[s.settled] if s.settled is not None else "Not by the last report",
        }
        for s in found
    ]
    frame = pd.DataFrame(records, columns=["directorate", "kind", *keys, "settled"])
    for key in keys:
        frame[key] = frame[key].astype("Int64")
    caption = "Forecast outturn less outturn at each of the year's reports (+: the forecast was too high)"
    return Table("forecast_accuracy", caption, columns, frame)


def _heading_rows(lines: pd.DataFrame, directorate: str) -> tuple[pd.DataFrame, list[str]]:
    own = lines[(lines["kind"] == LineKind.SERVICE) & (lines["directorate"] == directorate)]
    return own, list(dict.fromkeys(str(h) for h in own["heading"]))


def prior_table(
    lines: pd.DataFrame, directorate: str, prior: Mapping[str, int], last_year: str, year: str, total: str
) -> Table:
    """Last year's outturn on this year's headings beside this year's forecast outturn (£'000); a heading
    last year's outturn has nothing for is blank there."""
    own, headings = _heading_rows(lines, directorate)
    outturn = own["net_budget"] + own["revised_net_variance"]
    now = [int(outturn[own["heading"] == heading].sum()) for heading in headings]
    before = [prior.get(heading) for heading in headings]
    given = [b for b in before if b is not None]
    now.append(sum(now))
    before.append(sum(given) if given else None)
    labels = [*headings, total]
    kinds = [str(RowKind.LINE)] * len(headings) + [str(RowKind.TOTAL)]
    rows = [
        {"heading": label, "kind": kind, "prior": b, "forecast": n, "change": None if b is None else n - b}
        for label, kind, b, n in zip(labels, kinds, before, now, strict=True)
    ]
    columns = (
        Column("heading", "Budget Book Heading"),
        KIND,
        Column("prior", f"Outturn {last_year} (on {year} headings)", THOUSANDS),
        Column("forecast", f"Forecast outturn {year}", THOUSANDS),
        Column("change", "Change", THOUSANDS),
    )
    frame = pd.DataFrame(rows, columns=["heading", "kind", "prior", "forecast", "change"])
    for key in ("prior", "forecast", "change"):
        frame[key] = pd.array(list(frame[key]), dtype="Int64")
    return Table("prior_year", f"{directorate}: this year's forecast outturn and last year's outturn", columns, frame)


def ytd_table(lines: pd.DataFrame, directorate: str, ytd: YearToDate, total: str) -> Table:
    """Each heading's actuals to date against its budget profiled to the same month (£'000)."""
    own, headings = _heading_rows(lines, directorate)
    joined = own[["heading", "net_budget"]].join(ytd.lines[["profiled", "actual", "difference"]])
    sums = ["net_budget", "profiled", "actual", "difference"]
    rows = [
        {"heading": h, "kind": str(RowKind.LINE), **{c: int(joined.loc[joined["heading"] == h, c].sum()) for c in sums}}
        for h in headings
    ]
    rows.append({"heading": total, "kind": str(RowKind.TOTAL), **{c: int(joined[c].sum()) for c in sums}})
    month = ytd.through.month_name
    columns = (
        Column("heading", "Budget Book Heading"),
        KIND,
        Column("net_budget", "Net Budget", THOUSANDS),
        Column("profiled", f"Budget to {month}", THOUSANDS),
        Column("actual", f"Actual to {month}", THOUSANDS),
        Column("difference", "Actual less budget", THOUSANDS),
    )
    frame = pd.DataFrame(rows, columns=["heading", "kind", *sums])
    for key in sums:
        frame[key] = frame[key].astype("Int64")
    return Table("year_to_date", f"{directorate}: actual to {month} against the profiled budget", columns, frame)
