"""Exempt items: what a public report may show of budget lines and capital schemes marked restricted.

Committee papers are public unless an item is exempt, and exempt information never appears in a
public pack.  :func:`public` turns a period's position stage into its public form: every restricted
line and scheme keeps its figures, so every total is still the authority's total, but loses its
name, heading, tag, description and explanation; its figures appear only inside one "Exempt items"
row of each table it belongs to.

Each input file declares how its rows about exempt items are treated (:class:`ExemptRule`, in
:mod:`finlib.inputs.catalogue`), and its rows travel with that rule (:class:`Records`): here the rule
is applied, never chosen, so a new kind of file is masked as soon as it is declared.  Everything
downstream (tables, commentary, charts, capital, CSV, Excel) is built from the public stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from finlib.core.budget import BudgetChanges
from finlib.core.capital import CapitalPosition, from_schemes, in_programme_order
from finlib.core.membership import isin
from finlib.core.records import Records, Refers, Treatment
from finlib.core.revenue import Position
from finlib.core.settings import EXEMPT
from finlib.core.stage import Monitoring

#: What replaces text about an exempt item (a reason, an author, a source of funding).
EXEMPT_TEXT = "exempt"
NOTICE = (
    "This report contains exempt items. Their figures are included in every total and shown only in "
    "the rows headed “Exempt items”; their details are not published."
)


@dataclass(frozen=True)
class Restricted:
    """The keys that name exempt items, by what a file's key column holds."""

    lines: frozenset[str]
    schemes: frozenset[str]
    subjects: frozenset[str]  # headings and tags that restricted lines carry, and restricted scheme_ids

    def keys(self, refers: Refers | None) -> frozenset[str]:
        if refers == Refers.LINE:
            return self.lines
        if refers == Refers.SCHEME:
            return self.schemes
        if refers == Refers.SUBJECT:
            return self.subjects
        return frozenset()


def restricted(monitoring: Monitoring) -> Restricted:
    lines = monitoring.position.lines
    hidden = lines[lines["restricted"]]
    schemes: frozenset[str] = frozenset()
    if monitoring.capital is not None:
        capital = monitoring.capital.schemes
        schemes = frozenset(str(s) for s in capital.loc[capital["restricted"], "scheme_id"])
    names = {str(h) for h in hidden["heading"]} | ({str(t) for t in hidden["tag"]} - {""})
    return Restricted(frozenset(str(i) for i in hidden.index), schemes, frozenset(names) | schemes)


def mask_records(records: Records, keys: Restricted) -> Records:
    """A file's rows with its own exempt rule applied."""
    rule = records.rule
    if rule.treatment not in (Treatment.HIDE_TEXT, Treatment.DROP_ROWS) or rule.key is None:
        return records
    frame = records.frame
    about = pd.Series(False, index=frame.index)
    for column in rule.keys:
        about |= isin(frame[column], keys.keys(rule.refers))
    if not about.any():
        return records
    frame = frame.copy()
    if rule.treatment == Treatment.DROP_ROWS:
        return records.replace_frame(frame[~about])
    frame.loc[about, list(rule.text)] = EXEMPT_TEXT
    return records.replace_frame(frame)


def mask_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """Restricted lines become Exempt items of their directorate (figures kept).

    Every kind: a financing or schools line is printed in the tables only within its row of the
    authority table, but its heading is named elsewhere (the appendix of adjustments).
    """
    hidden = lines["restricted"]
    if not hidden.any():
        return lines
    lines = lines.copy()
    lines.loc[hidden, "division"] = EXEMPT
    lines.loc[hidden, "heading"] = EXEMPT
    # a tag that public lines carry too stays, so that the tag's split is the officers' one
    shared = pd.Series(isin(lines["tag"], set(lines.loc[~hidden, "tag"]) - {""}), index=lines.index)
    lines.loc[hidden & ~shared, "tag"] = ""
    return lines


def mask_position(position: Position | None) -> Position | None:
    if position is None:
        return None
    return replace(position, lines=mask_lines(position.lines), last=mask_position(position.last))


def exempt_scheme_id(directorate: str) -> str:
    return f"{EXEMPT} ({directorate})"


def mask_capital(cap: CapitalPosition, keys: Restricted, book_directorates: list[str]) -> CapitalPosition:
    """Restricted schemes become one "Exempt items" scheme per directorate, year by year (figures summed)."""
    schemes = cap.schemes
    hidden = schemes["restricted"]
    if not hidden.any():
        return replace(cap, funding=mask_records(cap.funding, keys))
    renamed = {
        str(s): exempt_scheme_id(str(d))
        for s, d in zip(schemes.loc[hidden, "scheme_id"], schemes.loc[hidden, "directorate"], strict=True)
    }
    masked = schemes.copy()
    masked["scheme_id"] = masked["scheme_id"].replace(renamed)
    masked.loc[hidden, "scheme"] = EXEMPT
    masked["restricted"] = False
    order = list(dict.fromkeys(masked["scheme_id"]))
    amounts = {column: "sum" for column in ("budget", "real", "rephasing", "forecast")}
    masked = masked.groupby(["scheme_id", "year"], sort=False, as_index=False).agg(
        {"scheme": "first", "directorate": "first", "restricted": "first", **amounts}
    )
    masked = masked.assign(_order=masked["scheme_id"].map({s: i for i, s in enumerate(order)}))
    masked = in_programme_order(masked.sort_values("_order", kind="stable").drop(columns="_order"))
    for column in amounts:
        masked[column] = masked[column].astype("Int64")
    funding = mask_records(cap.funding, keys)
    funding = funding.replace_frame(funding.frame.assign(scheme_id=funding.frame["scheme_id"].replace(renamed)))
    return from_schemes(cap.year, masked[list(cap.schemes.columns)], funding, book_directorates)


def _mask_budget(budget: BudgetChanges | None, keys: Restricted) -> BudgetChanges | None:
    if budget is None:
        return None
    return replace(budget, changes=mask_records(budget.changes, keys))


def _mask_prior(prior: Mapping[str, int] | None, keys: Restricted) -> dict[str, int] | None:
    """Last year's outturn by heading: a heading that an exempt line carries is folded into Exempt items."""
    if prior is None:
        return None
    out: dict[str, int] = {}
    for heading, amount in prior.items():
        name = EXEMPT if heading in keys.subjects else heading
        out[name] = out.get(name, 0) + amount
    return out


def public(monitoring: Monitoring) -> Monitoring:
    """The public form of a period's position stage (see the module's description)."""
    if monitoring.public:
        return monitoring
    if not monitoring.has_exempt:
        return replace(monitoring, public=True)
    keys = restricted(monitoring)
    position = mask_position(monitoring.position)
    assert position is not None
    book_directorates = [str(d) for d in monitoring.position.lines["directorate"]]
    capital = monitoring.capital
    return replace(
        monitoring,
        position=position,
        capital=mask_capital(capital, keys, book_directorates) if capital is not None else None,
        adjustments=mask_records(monitoring.adjustments, keys),
        explanations=mask_records(monitoring.explanations, keys),
        budget=_mask_budget(monitoring.budget, keys),
        history=tuple((p, mask_position(h) or h) for p, h in monitoring.history),
        prior=_mask_prior(monitoring.prior, keys),
        requests=mask_records(monitoring.requests, keys) if monitoring.requests is not None else None,
        savings=monitoring.savings.masked() if monitoring.savings is not None else None,
        public=True,
        masked=True,
    )
