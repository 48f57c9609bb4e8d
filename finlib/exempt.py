"""Exempt items: what a public report may show of budget lines and capital schemes marked restricted.

Committee papers are public unless an item is exempt, and exempt information never appears in a
public pack.  :func:`public` turns a period's monitoring into its public form: every restricted
line and scheme keeps its figures, so every total is still the authority's total, but loses its
name, heading, tag, description and explanation; its figures appear only inside one "Exempt items"
row of each table it belongs to.  Everything downstream (tables, commentary, charts, capital, CSV,
Excel) is built from that form and needs no rule of its own.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from finlib.config import EXEMPT
from finlib.monitoring import Monitoring
from finlib.revenue import Position

EXEMPT_TEXT = "exempt"
NOTICE = (
    "This report contains exempt items. Their figures are included in every total and shown only in "
    "the rows headed “Exempt items”; their details are not published."
)


def has_exempt(monitoring: Monitoring) -> bool:
    lines = monitoring.inputs.budget_book
    programme = monitoring.inputs.capital_programme
    return bool(lines["restricted"].any()) or (programme is not None and bool(programme["restricted"].any()))


def _mask_lines(lines: pd.DataFrame) -> pd.DataFrame:
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
    shared = lines["tag"].isin(set(lines.loc[~hidden, "tag"]) - {""})
    lines.loc[hidden & ~shared, "tag"] = ""
    return lines


def _mask_position(position: Position | None) -> Position | None:
    if position is None:
        return None
    return replace(position, lines=_mask_lines(position.lines), last=_mask_position(position.last))


def _public_names(book: pd.DataFrame) -> set[str]:
    """Headings and tags whose explanations a public report may print: those of unrestricted lines
    only.  A name that a restricted line carries too keeps its figures in the report, but not the
    business partner's words, which may describe the restricted line."""
    public, restricted = book[~book["restricted"]], book[book["restricted"]]
    shared = set(restricted["heading"]) | set(restricted["tag"])
    return (set(public["heading"]) | (set(public["tag"]) - {""})) - shared


def _exempt_scheme_id(directorate: str) -> str:
    return f"{EXEMPT} ({directorate})"


def _mask_capital(inputs):  # type: ignore[no-untyped-def]
    programme = inputs.capital_programme
    if programme is None or not programme["restricted"].any():
        return {}
    hidden_ids = set(programme.loc[programme["restricted"], "scheme_id"])
    renamed = {
        sid: _exempt_scheme_id(d)
        for sid, d in zip(programme["scheme_id"], programme["directorate"], strict=True)
        if sid in hidden_ids
    }
    masked = programme.copy()
    masked["scheme_id"] = masked["scheme_id"].replace(renamed)
    masked.loc[masked["restricted"], "scheme"] = EXEMPT
    masked["restricted"] = False
    order = list(dict.fromkeys(masked["scheme_id"]))
    masked = (
        masked.groupby(["scheme_id", "year"], sort=False, as_index=False)
        .agg({"_row": "first", "scheme": "first", "directorate": "first", "budget": "sum", "restricted": "first"})
        .assign(_order=lambda f: f["scheme_id"].map({s: i for i, s in enumerate(order)}))
        .sort_values(["_order", "year"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    masked["budget"] = masked["budget"].astype("Int64")
    changes: dict[str, pd.DataFrame | None] = {"capital_programme": masked}
    if inputs.capital_forecasts is not None:
        forecasts = inputs.capital_forecasts.copy()
        forecasts["scheme_id"] = forecasts["scheme_id"].replace(renamed)
        changes["capital_forecasts"] = forecasts
    if inputs.capital_funding is not None:
        funding = inputs.capital_funding.copy()
        hidden = funding["scheme_id"].isin(hidden_ids)
        funding["scheme_id"] = funding["scheme_id"].replace(renamed)
        funding.loc[hidden, "source"] = EXEMPT_TEXT
        changes["capital_funding"] = funding
    return changes


def public(monitoring: Monitoring) -> Monitoring:
    """The public form of a period's monitoring (see the module's description)."""
    if not has_exempt(monitoring):
        return monitoring
    inputs = monitoring.inputs
    book = inputs.budget_book
    allowed = _public_names(book)
    restricted_lines = set(book.index[book["restricted"]])
    adjustments = inputs.adjustments.copy()
    secret = adjustments["line_id"].isin(restricted_lines)
    adjustments.loc[secret, ["reason", "author"]] = EXEMPT_TEXT
    explanations = inputs.explanations
    programme = inputs.capital_programme
    if explanations is not None:
        revenue = explanations["about"].isin(["variance", "movement"])
        hidden_schemes = set(programme.loc[programme["restricted"], "scheme_id"]) if programme is not None else set()
        keep = (revenue & explanations["subject"].isin(allowed)) | (
            ~revenue & ~explanations["subject"].isin(hidden_schemes)
        )
        explanations = explanations[keep]
    public_inputs = replace(
        inputs,
        budget_book=_mask_lines(book),
        adjustments=adjustments,
        explanations=explanations,
        **_mask_capital(inputs),
    )
    position = _mask_position(monitoring.position)
    assert position is not None
    return replace(monitoring, inputs=public_inputs, position=position)
