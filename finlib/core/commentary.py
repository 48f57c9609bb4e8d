"""Commentary in the published style: every sentence the reports say about figures, built from data.

Rules (as practised, and as set in authority.yaml):
- every heading whose variance (forecast or revised) is at or above the variance threshold either way
  gets a sentence: sign, amount, heading, then the business partner's explanation;
- one closing sentence covers the rest ("All other ... less than +/- £0.100m");
- every movement at or above the movement threshold is explained, and the rest covered likewise;
- a tagged part (Asset Utilisation) is split out of its directorate's position;
- capital: each listed scheme's variances, with their funding and the explanation;
- figures in prose are signed £m to 3 decimals (:func:`finlib.money.prose`).

A heading that needs an explanation and has none still gets its figure sentence, and is listed in
``Commentary.missing`` for the business partner: it is never silently left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from finlib.core.capital import CapitalItem, CapitalPosition, CapitalWarning
from finlib.core.kinds import About, RowKind, VarianceKind, WarningKind
from finlib.core.records import Records
from finlib.core.revenue import Position, directorate_table, tag_splits
from finlib.core.settings import EXEMPT, Thresholds
from finlib.money import MILLIONS, cell, exact, millions, prose

Texts = Mapping[tuple[str, str], str]  # (subject, about) → the business partner's words


@dataclass(frozen=True)
class Missing:
    """An explanation the rules call for that explanations.csv does not give."""

    directorate: str
    subject: str
    about: About  # variance | movement
    amount: int  # pence


@dataclass(frozen=True)
class Commentary:
    paragraphs: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def explanation_lookup(explanations: Records | None) -> dict[tuple[str, str], str]:
    """(subject, about) → text; several rows for one subject are joined in order."""
    found: dict[tuple[str, str], str] = {}
    if explanations is None:
        return found
    for subject, about, text in explanations.frame[["subject", "about", "text"]].itertuples(index=False):
        key = (str(subject), str(about))
        found[key] = f"{found[key]} {text}" if key in found else str(text)
    return found


def sentence(text: str) -> str:
    """A business partner's words as a sentence: capital first letter, a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def position_words(pence: int) -> str:
    """``a pressure of +£0.223m``, ``an underspend of −£0.082m`` or ``a balanced position``."""
    steps = MILLIONS.round(pence)
    if steps > 0:
        return f"a pressure of {prose(pence)}"
    if steps < 0:
        return f"an underspend of {prose(pence)}"
    return "a balanced position"


def crosses(amount: object, threshold: int) -> bool:
    """At or above the threshold, either way (revenue commentary)."""
    pence = cell(amount)
    return pence is not None and abs(pence) >= threshold


def _explained(words: str, exempt: str, needed: Missing, texts: Texts, missing: list[Missing]) -> str:
    """A figure's sentence with the business partner's explanation; the exempt row's own sentence;
    or, where the explanation is lacking, the figure alone, with ``needed`` added to ``missing``."""
    if needed.subject == EXEMPT:
        return exempt
    text = texts.get((needed.subject, needed.about))
    if text is None:
        missing.append(needed)
        return words + "."
    return f"{words}: {sentence(text)}"


def others_sentence(explained: int, rows: int, about: About, threshold: int) -> str | None:
    """The closing sentence for the headings not explained one by one (their variances, or their
    movements), or ``None`` when none is left."""
    if explained >= rows:
        return None
    others = "All other budget headings" if explained else "All budget headings"
    if about == About.VARIANCE:
        return f"{others} have variances of less than +/- {millions(threshold)}."
    if about == About.MOVEMENT:
        return f"{others} have moved by less than {millions(threshold)} each."
    raise ValueError(f"no closing sentence for {about!r}")


def directorate_commentary(position: Position, directorate: str, texts: Texts, thresholds: Thresholds) -> Commentary:
    """The paragraphs of one directorate's section, and the explanations it still needs."""
    rows = directorate_table(position, directorate)
    headings, total = rows.iloc[:-1], rows.iloc[-1]
    paragraphs: list[str] = []
    missing: list[Missing] = []

    opening = f"The {directorate} directorate is forecasting {position_words(int(total['revised_net_variance']))}"
    if int(total["cd_adjustment"]) != 0:
        opening += (
            f", after Corporate Director adjustments of {prose(int(total['cd_adjustment']))} to the budget managers' "
            f"forecast of {prose(int(total['net_forecast_variance']))}"
        )
    paragraphs.append(opening + ".")

    for split in tag_splits(position, directorate):
        words = (
            f"The directorate forecast (excluding {split.tag}) is {position_words(split.excluding)}, "
            f"the position on {split.tag} is {prose(split.tagged)}, "
            f"giving an overall position of {prose(split.overall)}."
        )
        own = texts.get((split.tag, About.VARIANCE))
        paragraphs.append(words + (f" {sentence(own)}" if own else ""))

    explained = 0
    for row in headings.to_dict("records"):
        heading = str(row["heading"])
        revised, forecast = int(row["revised_net_variance"]), int(row["net_forecast_variance"])
        adjustment = int(row["cd_adjustment"])
        if not (crosses(revised, thresholds.variance_commentary) or crosses(forecast, thresholds.variance_commentary)):
            continue
        explained += 1
        words = f"{prose(revised)} on {heading}"
        if adjustment:
            words += f" (a forecast of {prose(forecast)} and a Corporate Director adjustment of {prose(adjustment)})"
        exempt = f"{prose(revised)} on exempt items, whose details are not published."
        needed = Missing(directorate, heading, About.VARIANCE, revised)
        paragraphs.append(_explained(words, exempt, needed, texts, missing))
    closing = others_sentence(explained, len(headings), About.VARIANCE, thresholds.variance_commentary)
    if closing:
        paragraphs.append(closing)

    if position.last is not None:
        paragraphs.append(
            f"Since the last report ({position.last.period.label}) the directorate's position has moved by "
            f"{prose(int(total['movement']))}."
        )
        moved = 0
        for moving in headings.to_dict("records"):
            heading, movement = str(moving["heading"]), int(moving["movement"])
            if not crosses(movement, thresholds.movement_commentary):
                continue
            moved += 1
            words = f"The movement of {prose(movement)} on {heading}"
            needed = Missing(directorate, heading, About.MOVEMENT, movement)
            paragraphs.append(_explained(words, f"{words}, whose details are not published.", needed, texts, missing))
        closing = others_sentence(moved, len(headings), About.MOVEMENT, thresholds.movement_commentary)
        if closing:
            paragraphs.append(closing)
    return Commentary(paragraphs, missing)


def balance_words(balance: int) -> str:
    """The position after roll forwards: a deficit (+) or an uncommitted balance (− or nil)."""
    if balance > 0:
        return f"a deficit of {prose(balance)}"
    return f"an uncommitted balance of {prose(balance)}"


def authority_commentary(authority_table: pd.DataFrame, position: Position) -> list[str]:
    """The authority paragraph: managers' pressure, directors' adjustments, residual, movement, balance."""
    rows = {str(r["kind"]): r for r in authority_table.to_dict("records")}  # one row of each kind used here
    headline = rows[RowKind.TOTAL]
    forecast, adjustment = int(headline["net_forecast_variance"]), headline["cd_adjustment"]
    revised = int(headline["revised_net_variance"])
    text = f"Budget managers are forecasting {position_words(forecast)} excluding schools."
    if not pd.isna(adjustment) and int(adjustment) != 0:
        text += (
            f" Corporate Directors are reflecting adjustments of {prose(int(adjustment))} for the anticipated impact "
            f"of management action plans, leaving a residual position of {prose(revised)}."
        )
    if position.last is not None:
        text += (
            f" This is a movement of {prose(int(headline['movement']))} since the last report "
            f"({position.last.period.label}), excluding schools."
        )
    paragraphs = [text]
    if RowKind.SCHOOLS in rows:
        schools = rows[RowKind.SCHOOLS]
        paragraphs.append(
            f"Schools' delegated budgets are forecasting {position_words(int(schools['revised_net_variance']))} "
            "after adjustments, shown as a memo row below the headline total."
        )
    balance = int(rows[RowKind.BALANCE]["revised_net_variance"])
    rf_total = authority_table[authority_table["kind"] == RowKind.ROLLFORWARD].to_dict("records")[-1]
    paragraphs.append(
        f"Including roll forward requirements of {prose(int(rf_total['revised_net_variance']))}, the position is "
        f"{balance_words(balance)}."
    )
    return paragraphs


# ---------------------------------------------------------------------------
# Capital

NO_CAPITAL_VARIANCES = "There are currently no forecast variances to cash limit."


def capital_opening(directorate: str, cap: CapitalPosition, budget: int, total: int, years: str) -> str:
    """``The S&CS capital budget for 2017-18 is £21.446m, within a programme of £… over 2017-18 to 2019-20.``"""
    return (
        f"The {directorate} capital budget for {cap.year} is {millions(budget)}, "
        f"within a programme of {millions(total)} over {years}."
    )


def capital_paragraphs(items: Sequence[CapitalItem], texts: Texts) -> list[str]:
    """The report's capital commentary, one paragraph per listed scheme.

    ``Dover Discovery Centre: −£4.006m rephasing in 2017-18. Design and procurement only this year.``
    With nothing listed: ``There are currently no forecast variances to cash limit.``
    """
    if not items:
        return [NO_CAPITAL_VARIANCES]
    return [capital_paragraph(item, texts.get((item.scheme_id, About.CAPITAL))) for item in items]


def capital_paragraph(item: CapitalItem, explanation: str | None) -> str:
    parts = []
    for variance in item.variances:
        label = "real variance" if variance.kind == VarianceKind.REAL else "rephasing"
        part = f"{prose(variance.amount)} {label} in {variance.years}"
        if variance.funding:
            sources = [f"{source} {millions(abs(amount))}" for source, amount in variance.funding]
            part += ", funded from " + and_list(sources)
        parts.append(part)
    text = f"{item.scheme}: {'; '.join(parts)}."
    if explanation:
        text += " " + sentence(explanation)
    return text


def and_list(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def warning_text(warning: CapitalWarning) -> str:
    """A capital warning for the business partner, figures to the penny."""
    if warning.kind == WarningKind.REPHASING:
        return (
            f"{warning.scheme}: rephasing nets to {exact(warning.amount)} across {warning.year}, not to nil "
            "(slippage beyond the programme years)"
        )
    funded = warning.funded or 0
    return (
        f"{warning.scheme}: real variance of {exact(warning.amount)} in {warning.year}, but its stated funding "
        f"adds up to {exact(funded)} (a difference of {exact(warning.amount - funded)})"
    )
