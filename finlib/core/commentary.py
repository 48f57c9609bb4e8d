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
from finlib.core.forecast import Settling
from finlib.core.kinds import About, Change, RowKind, VarianceKind, WarningKind
from finlib.core.records import Records
from finlib.core.revenue import (
    AMOUNTS,
    Position,
    directorate_rollup,
    directorate_table,
    ordered,
    service_lines,
    tag_splits,
)
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

    def described(self) -> str:
        """``Growth, Environment & Transport / Environment, Planning & Enforcement: variance +£0.163m``."""
        return f"{self.directorate} / {self.subject}: {self.about} {prose(self.amount)}"


@dataclass(frozen=True)
class Commentary:
    paragraphs: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def explanation_lookup(explanations: Records | None) -> dict[tuple[str, str], str]:
    """(subject, about) → text; several rows for one subject are joined in order."""
    found: dict[tuple[str, str], str] = {}
    if explanations is None:
        return found
    frame = explanations.frame
    for subject, about, text in zip(
        frame["subject"].tolist(), frame["about"].tolist(), frame["text"].tolist(), strict=True
    ):
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


@dataclass(frozen=True)
class Voice:
    """How the commentary speaks of a position: a forecast during the year, the outturn at its end."""

    verb: str  # "forecasting", "reporting"
    when: str = ""  # said after the position: "" or " at outturn"
    noun: str = "forecast"  # the budget managers' figure: "forecast" or "outturn"


MONTHLY = Voice("forecasting")
OUTTURN = Voice("reporting", " at outturn", "outturn")


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


@dataclass(frozen=True)
class Scope:
    """Whose position a section's commentary describes: a whole directorate, or the part of it in a
    committee's remit."""

    subject: str  # "The Strategic & Corporate Services directorate is"
    possessive: str  # "the directorate's"

    @classmethod
    def directorate(cls, directorate: str) -> Scope:
        return cls(f"The {directorate} directorate is", "the directorate's")

    @classmethod
    def part(cls, directorate: str) -> Scope:
        return cls(f"The {directorate} budget headings in this committee's remit are", "these headings'")


def _untagged_headings(position: Position, directorate: str) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The directorate's heading rows without their tagged parts, and the tags each heading holds.

    A heading holding a tagged part (Asset Utilisation within Infrastructure) is explained net of it: the
    tag has a paragraph of its own, so the figures of the directorate's paragraphs add up.
    """
    own = position.own(directorate)
    tags: dict[str, list[str]] = {str(heading): [] for heading in ordered(own["heading"])}
    is_tagged = own["tag"].ne("").to_numpy(dtype=bool)
    if not is_tagged.any():  # the directorate table's own heading rows, rolled up once already
        rows = directorate_table(position, directorate).iloc[:-1]
        return rows, tags
    tagged = own.loc[is_tagged, ["heading", "tag"]].drop_duplicates()
    for heading, tag in zip(tagged["heading"], tagged["tag"], strict=True):
        tags[str(heading)].append(str(tag))
    untagged = own[~is_tagged]
    if untagged.empty:
        return directorate_table(position, directorate).iloc[0:0], tags
    rows = directorate_rollup(untagged, directorate, AMOUNTS).iloc[:-1]
    rows["cd_adjustment"] = rows["cd_adjustment"].fillna(0)
    return rows, tags


def directorate_commentary(
    position: Position,
    directorate: str,
    texts: Texts,
    thresholds: Thresholds,
    scope: Scope | None = None,
    voice: Voice = MONTHLY,
) -> Commentary:
    """The paragraphs of one directorate's section (or of its part in a committee's remit: ``position``
    then holds that part's lines), and the explanations it still needs."""
    scope = scope or Scope.directorate(directorate)
    rows = directorate_table(position, directorate)
    headings, total = rows.iloc[:-1], rows.iloc[-1]
    untagged, tags = _untagged_headings(position, directorate)
    paragraphs: list[str] = []
    missing: list[Missing] = []

    opening = f"{scope.subject} {voice.verb} {position_words(int(total['revised_net_variance']))}{voice.when}"
    if int(total["cd_adjustment"]) != 0:
        opening += (
            f", after Corporate Director adjustments of {prose(int(total['cd_adjustment']))} to the budget managers' "
            f"{voice.noun} of {prose(int(total['net_forecast_variance']))}"
        )
    paragraphs.append(opening + ".")

    splits = tag_splits(position, directorate)
    for split in splits:
        words = (
            f"The forecast excluding {split.tag} is {position_words(split.excluding)} "
            f"and the position on {split.tag} is {prose(split.tagged)}, "
            f"giving an overall position of {prose(split.overall)}."
        )
        own = texts.get((split.tag, About.VARIANCE))
        paragraphs.append(words + (f" {sentence(own)}" if own else ""))

    explained = 0
    for row in untagged.to_dict("records"):
        heading = str(row["heading"])
        revised, forecast = int(row["revised_net_variance"]), int(row["net_forecast_variance"])
        adjustment = int(row["cd_adjustment"])
        if not (crosses(revised, thresholds.variance_commentary) or crosses(forecast, thresholds.variance_commentary)):
            continue
        explained += 1
        words = f"{prose(revised)} on {heading}{_excluding(tags.get(heading, []))}"
        if adjustment:
            words += (
                f" (a {voice.noun} of {prose(forecast)} and a Corporate Director adjustment of {prose(adjustment)})"
            )
        exempt = f"{prose(revised)} on exempt items, whose details are not published."
        needed = Missing(directorate, heading, About.VARIANCE, revised)
        paragraphs.append(_explained(words, exempt, needed, texts, missing))
    closing = others_sentence(explained, len(headings), About.VARIANCE, thresholds.variance_commentary)
    if closing:
        paragraphs.append(closing)

    if position.last is not None:
        paragraphs.append(
            f"Since the last report ({position.last.period.label}) {scope.possessive} position has moved by "
            f"{prose(int(total['movement']))}."
        )
        moving = [
            (str(r["heading"]), int(r["movement"]), _excluding(tags.get(str(r["heading"]), [])))
            for r in untagged.to_dict("records")
        ]
        moving += [(split.tag, _tag_movement(position, directorate, split.tag), "") for split in splits]
        moved = 0
        for subject, movement, note in moving:
            if not crosses(movement, thresholds.movement_commentary):
                continue
            moved += 1
            words = f"The movement of {prose(movement)} on {subject}{note}"
            needed = Missing(directorate, subject, About.MOVEMENT, movement)
            paragraphs.append(_explained(words, f"{words}, whose details are not published.", needed, texts, missing))
        closing = others_sentence(moved, len(headings), About.MOVEMENT, thresholds.movement_commentary)
        if closing:
            paragraphs.append(closing)
    return Commentary(paragraphs, missing)


def _excluding(tags: Sequence[str]) -> str:
    return f", excluding {and_list(list(tags))}" if tags else ""


def _tag_movement(position: Position, directorate: str, tag: str) -> int:
    lines = service_lines(position.lines)
    tagged = lines[(lines["directorate"] == directorate) & (lines["tag"] == tag)]
    return int(tagged["movement"].fillna(0).sum())


def balance_words(balance: int) -> str:
    """The position after roll forwards: a deficit (+) or an uncommitted balance (− or nil)."""
    if balance > 0:
        return f"a deficit of {prose(balance)}"
    return f"an uncommitted balance of {prose(balance)}"


def authority_commentary(authority_table: pd.DataFrame, position: Position, voice: Voice = MONTHLY) -> list[str]:
    """The authority paragraph: managers' pressure, directors' adjustments, residual, movement, balance."""
    rows = {str(r["kind"]): r for r in authority_table.to_dict("records")}  # one row of each kind used here
    headline = rows[RowKind.TOTAL]
    forecast, adjustment = int(headline["net_forecast_variance"]), headline["cd_adjustment"]
    revised = int(headline["revised_net_variance"])
    text = f"Budget managers are {voice.verb} {position_words(forecast)}{voice.when} excluding schools."
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
            f"Schools' delegated budgets are {voice.verb} {position_words(int(schools['revised_net_variance']))}"
            f"{voice.when} "
            "after adjustments, shown as a memo row below the headline total."
        )
    balance = int(rows[RowKind.BALANCE]["revised_net_variance"])
    rf_total = authority_table[authority_table["kind"] == RowKind.ROLLFORWARD].to_dict("records")[-1]
    roll_forwards = int(rf_total["revised_net_variance"])
    if roll_forwards:
        paragraphs.append(
            f"Including roll forward requirements of {prose(roll_forwards)}, the position is {balance_words(balance)}."
        )
    else:
        paragraphs.append(f"There are no roll forward requirements, so the position is {balance_words(balance)}.")
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
        approved = [f"{f.source} {millions(abs(f.amount))}" for f in variance.funding if f.approved]
        proposed = [f"{f.source} {millions(abs(f.amount))}" for f in variance.funding if not f.approved]
        if approved:
            part += ", funded from " + and_list(approved)
        if proposed:
            part += (", and" if approved else ",") + " proposed to be funded from " + and_list(proposed)
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


def headline(authority_table: pd.DataFrame, voice: Voice = MONTHLY) -> str:
    """The authority's position in one sentence, for the first line of a paper's Summary."""
    rows = {str(r["kind"]): r for r in authority_table.to_dict("records")}
    total, balance = rows[RowKind.TOTAL], int(rows[RowKind.BALANCE]["revised_net_variance"])
    revised, adjustment = int(total["revised_net_variance"]), total["cd_adjustment"]
    text = f"The authority is {voice.verb} {position_words(revised)}{voice.when} excluding schools"
    if cell(adjustment):
        text += f", after Corporate Director adjustments of {prose(int(adjustment))}"
    if balance == revised:  # no roll forwards: the variance is the position
        return f"{text}."
    return f"{text}; including roll forward requirements, the position is {balance_words(balance)}."


# ---------------------------------------------------------------------------
# Budget changes and the outturn


def budget_paragraph(base: int, by_kind: Mapping[Change, int], now: int, since: str | None) -> str:
    """How the authority's net budget came from its budget at the last report (or its original budget):
    ``The net budget has risen from £X at the last report (May 2017) to £Y: …``."""
    start = f"at the last report ({since})" if since else "as originally approved"
    if now == base:
        move = f"The net budget is {millions(now)}, as {start}"
    else:
        way = "risen" if now > base else "fallen"
        move = f"The net budget has {way} from {millions(base)} {start} to {millions(now)}"
    parts = []
    gross = by_kind.get(Change.VIREMENT, 0)
    if gross:
        parts.append(f"virements of {millions(gross)} moved budget between lines, netting to nil")
    for kind, said in ((Change.FUNDING, "new funding added"), (Change.REDUCTION, "reductions took away")):
        if by_kind.get(kind, 0):
            parts.append(f"{said} {millions(by_kind[kind])}")
    if by_kind.get(Change.ROLL_FORWARD, 0):
        parts.append(f"roll forwards approved at last year's outturn added {millions(by_kind[Change.ROLL_FORWARD])}")
    if not parts:
        return sentence(move)
    return sentence(f"{move}: {and_list(parts)}")


def requests_paragraph(total: int, count: int, next_year: str) -> str:
    """The roll forward requests put to Cabinet at the outturn."""
    if not count:
        return "There are no roll forward requests."
    what = "One roll forward request of" if count == 1 else f"{count} roll forward requests totalling"
    verb = "is" if count == 1 else "are"
    return sentence(f"{what} {millions(total)} {verb} put for approval, to be added to the {next_year} budgets")


def settling_paragraph(found: Sequence[Settling], months: Sequence[str], threshold: int) -> str:
    """Which directorates' forecasts came within the threshold of their outturn, and from which report."""
    within = [f"{s.directorate} from {months[s.settled]}" for s in found if s.settled is not None]
    never = [s.directorate for s in found if s.settled is None]
    text = f"Looking back over the year's {len(months)} reports, "
    if within:
        text += (
            f"the forecasts came within {millions(threshold)} of the outturn and stayed there for {and_list(within)}"
        )
    if never:
        text += "; " if within else ""
        verb = "was" if len(never) == 1 else "were"
        text += f"{and_list(never)} {verb} still further than {millions(threshold)} from it at the last report"
    return sentence(text)
