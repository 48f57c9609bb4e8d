"""Commentary in the published style, built from the position, the explanations and the thresholds.

Rules (as practised, and as set in authority.yaml):
- every heading whose variance (forecast or revised) is at or above the variance threshold either way
  gets a sentence: sign, amount, heading, then the business partner's explanation;
- one closing sentence covers the rest ("All other ... less than +/- £0.100m");
- every movement at or above the movement threshold is explained, and the rest covered likewise;
- a tagged part (Asset Utilisation) is split out of its directorate's position;
- figures in prose are signed £m to 3 decimals (``finlib.money.prose``).

A heading that needs an explanation and has none still gets its figure sentence, and is listed in
``Commentary.missing`` for the business partner: it is never silently left out.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

import pandas as pd

from finlib.config import EXEMPT, Thresholds, financial_year
from finlib.money import MILLIONS, prose
from finlib.revenue import Position, directorate_table, tag_splits


@dataclass(frozen=True)
class Missing:
    """An explanation the rules call for that explanations.csv does not give."""

    directorate: str
    subject: str
    about: str  # variance | movement
    amount: int  # pence


@dataclass(frozen=True)
class Commentary:
    paragraphs: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def period_label(period: str) -> str:
    """``2017-07`` → ``July 2017-18``."""
    return f"{calendar.month_name[int(period[5:])]} {financial_year(period)}"


def explanation_lookup(explanations: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(subject, about) → text; several rows for one subject are joined in order."""
    found: dict[tuple[str, str], str] = {}
    if explanations is None:
        return found
    for subject, about, text in explanations[["subject", "about", "text"]].itertuples(index=False):
        key = (subject, about)
        found[key] = f"{found[key]} {text}" if key in found else text
    return found


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _position_words(pence: int) -> str:
    steps = MILLIONS.round(pence)
    if steps > 0:
        return f"a pressure of {prose(pence)}"
    if steps < 0:
        return f"an underspend of {prose(pence)}"
    return "a balanced position"


def _threshold_text(pence: int) -> str:
    return f"£{MILLIONS.text(pence)}m"


def crosses(amount: object, threshold: int) -> bool:
    """At or above the threshold, either way (revenue commentary)."""
    return not pd.isna(amount) and abs(int(amount)) >= threshold  # type: ignore[call-overload]


def _explained(
    words: str, exempt: str, needed: Missing, texts: dict[tuple[str, str], str], missing: list[Missing]
) -> str:
    """A figure's sentence with the business partner's explanation; the exempt row's own sentence;
    or, where the explanation is lacking, the figure alone, with ``needed`` added to ``missing``."""
    if needed.subject == EXEMPT:
        return exempt
    text = texts.get((needed.subject, needed.about))
    if text is None:
        missing.append(needed)
        return words + "."
    return f"{words}: {_sentence(text)}"


def directorate_commentary(
    position: Position, directorate: str, explanations: pd.DataFrame | None, thresholds: Thresholds
) -> Commentary:
    """The paragraphs of one directorate's section, and the explanations it still needs."""
    table = directorate_table(position, directorate)
    texts = explanation_lookup(explanations)
    headings, total = table.iloc[:-1], table.iloc[-1]
    paragraphs: list[str] = []
    missing: list[Missing] = []

    opening = f"The {directorate} directorate is forecasting {_position_words(int(total['revised_net_variance']))}"
    if int(total["cd_adjustment"]) != 0:
        opening += (
            f", after Corporate Director adjustments of {prose(int(total['cd_adjustment']))} to the budget managers' "
            f"forecast of {prose(int(total['net_forecast_variance']))}"
        )
    paragraphs.append(opening + ".")

    for split in tag_splits(position, directorate):
        words = (
            f"The directorate forecast (excluding {split.tag}) is {_position_words(split.excluding)}, "
            f"the position on {split.tag} is {prose(split.tagged)}, "
            f"giving an overall position of {prose(split.overall)}."
        )
        own = texts.get((split.tag, "variance"))
        paragraphs.append(words + (f" {_sentence(own)}" if own else ""))

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
        paragraphs.append(_explained(words, exempt, Missing(directorate, heading, "variance", revised), texts, missing))
    limit = _threshold_text(thresholds.variance_commentary)
    if explained < len(headings):
        others = "All other budget headings" if explained else "All budget headings"
        paragraphs.append(f"{others} have variances of less than +/- {limit}.")

    if position.has_last and position.last is not None:
        paragraphs.append(
            f"Since the last report ({period_label(position.last.period)}) the directorate's position has moved by "
            f"{prose(int(total['movement']))}."
        )
        moved = 0
        for moving in headings.to_dict("records"):
            heading, movement = str(moving["heading"]), int(moving["movement"])
            if not crosses(movement, thresholds.movement_commentary):
                continue
            moved += 1
            words = f"The movement of {prose(movement)} on {heading}"
            needed = Missing(directorate, heading, "movement", movement)
            paragraphs.append(_explained(words, f"{words}, whose details are not published.", needed, texts, missing))
        if moved < len(headings):
            others = "All other budget headings" if moved else "All budget headings"
            paragraphs.append(
                f"{others} have moved by less than {_threshold_text(thresholds.movement_commentary)} each."
            )
    return Commentary(paragraphs, missing)


def authority_commentary(authority_table: pd.DataFrame, position: Position) -> list[str]:
    """The authority paragraph: managers' pressure, directors' adjustments, residual, movement, balance."""
    rows = {str(r["kind"]): r for r in authority_table.to_dict("records")}  # one row of each kind used here
    headline = rows["total"]
    forecast, adjustment = int(headline["net_forecast_variance"]), headline["cd_adjustment"]
    revised = int(headline["revised_net_variance"])
    text = f"Budget managers are forecasting {_position_words(forecast)} excluding schools."
    if not pd.isna(adjustment) and int(adjustment) != 0:
        text += (
            f" Corporate Directors are reflecting adjustments of {prose(int(adjustment))} for the anticipated impact "
            f"of management action plans, leaving a residual position of {prose(revised)}."
        )
    if position.has_last and position.last is not None:
        text += (
            f" This is a movement of {prose(int(headline['movement']))} since the last report "
            f"({period_label(position.last.period)}), excluding schools."
        )
    paragraphs = [text]
    if "schools" in rows:
        schools = rows["schools"]
        paragraphs.append(
            f"Schools' delegated budgets are forecasting {_position_words(int(schools['revised_net_variance']))} "
            "after adjustments, shown as a memo row below the headline total."
        )
    balance = rows["balance"]
    rf_total = authority_table[authority_table["kind"] == "rollforward"].to_dict("records")[-1]
    paragraphs.append(
        f"Including roll forward requirements of {prose(int(rf_total['revised_net_variance']))}, the position is "
        + (
            f"a deficit of {prose(int(balance['revised_net_variance']))}."
            if int(balance["revised_net_variance"]) > 0
            else f"an uncommitted balance of {prose(int(balance['revised_net_variance']))}."
        )
    )
    return paragraphs
