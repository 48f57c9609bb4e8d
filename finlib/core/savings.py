"""Savings delivery: the year's savings plan against the forecast of what each saving will deliver.

Pure: takes the parsed plan and forecasts (pence, signed as budgets are: a saving is negative) and
returns each saving's delivery, its RAG, and the roll-ups by directorate and for the authority.

The rule, per saving (one place, asked by the reader, the tests and the README alike):

- **delivered** is the forecast: pence expected to be delivered this year, signed as the amount;
- **shortfall** = plan − delivered (nil when the saving is delivered in full; negative like the plan);
- **RAG**: GREEN when the forecast delivers the whole amount, AMBER when it delivers part of it (at
  least a penny, less than all), RED when it delivers nothing; a ``rag`` given in the forecast
  overrides it, and the saving is then marked as overridden;
- a directorate's figures and RAG counts are the sums over its savings; the authority's, over its
  directorates.

Exempt items: a saving on a restricted line is never named in a public output; :meth:`SavingsDelivery.public`
folds each directorate's such savings into one "Exempt items" row, so every total is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

from finlib.money import headline_millions

EXEMPT_ITEMS = "Exempt items"


class Rag(StrEnum):
    GREEN = "GREEN"  # delivered, or forecast to be delivered in full
    AMBER = "AMBER"  # at risk: part of it forecast to be delivered
    RED = "RED"  # not deliverable this year: nothing forecast to be delivered


RAG_WORDS = tuple(r.value for r in Rag)


def rag_of(amount: int, delivered: int) -> Rag:
    """The RAG of a saving of ``amount`` pence forecast to deliver ``delivered`` (same sign, not beyond it)."""
    if amount == 0 or delivered == 0:
        return Rag.GREEN if amount == 0 else Rag.RED
    if (amount < 0) != (delivered < 0) or abs(delivered) > abs(amount):
        raise ValueError(f"a forecast of {delivered}p is not a delivery of a saving of {amount}p")
    return Rag.GREEN if delivered == amount else Rag.AMBER


@dataclass(frozen=True)
class Saving:
    """One saving of the plan and its forecast delivery (pence, signed as budgets)."""

    saving_id: str
    directorate: str
    description: str
    line_id: str  # blank: a saving of the directorate, on no one line
    amount: int
    delivered: int
    rag: Rag  # the RAG shown: the override when there is one
    computed: Rag  # the RAG by the rule
    note: str = ""
    exempt: bool = False  # on a restricted line: never named in a public output

    @property
    def shortfall(self) -> int:
        return self.amount - self.delivered

    @property
    def overridden(self) -> bool:
        return self.rag != self.computed


@dataclass(frozen=True)
class Totals:
    """The plan, delivery, shortfall and RAG counts of a set of savings."""

    plan: int = 0
    delivered: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    overridden: int = 0

    @property
    def shortfall(self) -> int:
        return self.plan - self.delivered

    @property
    def count(self) -> int:
        return self.green + self.amber + self.red

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.plan + other.plan,
            self.delivered + other.delivered,
            self.green + other.green,
            self.amber + other.amber,
            self.red + other.red,
            self.overridden + other.overridden,
        )

    @classmethod
    def of(cls, savings: Iterable[Saving]) -> Totals:
        total = cls()
        for s in savings:
            total += cls(
                s.amount,
                s.delivered,
                int(s.rag == Rag.GREEN),
                int(s.rag == Rag.AMBER),
                int(s.rag == Rag.RED),
                int(s.overridden),
            )
        return total


@dataclass(frozen=True)
class SavingsDelivery:
    """Every saving, and the roll-ups: by directorate (the budget book's order) and for the authority."""

    savings: tuple[Saving, ...]
    directorates: dict[str, Totals]
    public_version: bool = False  # exempt savings already folded into Exempt items rows

    @property
    def authority(self) -> Totals:
        total = Totals()
        for directorate in self.directorates.values():
            total += directorate
        return total

    def of(self, directorate: str) -> tuple[Saving, ...]:
        return tuple(s for s in self.savings if s.directorate == directorate)

    def sentence(self) -> str:
        """The authority paragraph's sentence on savings delivery."""
        return delivery_sentence(self.authority)

    def masked(self) -> SavingsDelivery:
        """Each saving on a restricted line unnamed: no saving_id, description or note, its line and figures
        kept (so a committee's part of a directorate still finds it); :meth:`folded` then gives one row."""
        shown = tuple(
            replace(s, saving_id="", description=EXEMPT_ITEMS, note="") if s.exempt else s for s in self.savings
        )
        return replace(self, savings=shown, public_version=True)

    def folded(self) -> SavingsDelivery:
        """Every saving by directorate (the budget book's order), and in the public version each
        directorate's exempt savings as one "Exempt items" row after its other savings (the officers'
        version names every saving)."""
        shown: list[Saving] = []
        for directorate in self.directorates:
            mine = self.of(directorate)
            shown.extend(s for s in mine if not (s.exempt and self.public_version))
            exempt = [s for s in mine if s.exempt and self.public_version]
            if exempt:
                amount, delivered = sum(s.amount for s in exempt), sum(s.delivered for s in exempt)
                rag = rag_of(amount, delivered)
                shown.append(Saving("", directorate, EXEMPT_ITEMS, "", amount, delivered, rag, rag, exempt=True))
        return replace(self, savings=tuple(shown))

    def public(self) -> SavingsDelivery:
        """The public version: each directorate's savings on restricted lines as one "Exempt items" row."""
        return self.masked().folded()

    def within(self, directorates: Sequence[str], lines: Iterable[str] | None = None) -> SavingsDelivery:
        """Only the savings of ``directorates`` (in that order); with ``lines``, only those on one of them
        (a committee's part of a directorate: a saving on no line is the whole directorate's)."""
        chosen = set(lines) if lines is not None else None
        kept = tuple(
            s
            for s in self.savings
            if s.directorate in directorates and (chosen is None or (s.line_id and s.line_id in chosen))
        )
        totals = {d: Totals.of(s for s in kept if s.directorate == d) for d in directorates if d in self.directorates}
        return replace(self, savings=kept, directorates=totals)


def delivery_sentence(total: Totals, of: str = "") -> str:
    """``Of £73.0m of savings, £62.3m is forecast to be delivered this year, a shortfall of £10.7m.``;
    ``of`` names whose savings they are (``planned for Adult Social Care & Health``)."""
    plan, delivered = headline_millions(total.plan), headline_millions(total.delivered)
    words = f"Of {plan} of savings{' ' + of if of else ''}, {delivered} is forecast to be delivered"
    if total.shortfall == 0:
        return f"{words} this year: the whole plan."
    return f"{words} this year, a shortfall of {headline_millions(total.shortfall)}."


def rag_sentence(total: Totals) -> str:
    """``Of the 20 savings, 12 are rated GREEN, 6 AMBER and 2 RED.``, saying how many ratings the forecast
    set rather than the rule."""
    parts = [(n, rag.value) for rag, n in ((Rag.GREEN, total.green), (Rag.AMBER, total.amber), (Rag.RED, total.red))]
    parts = [(n, word) for n, word in parts if n]
    if not parts:
        return "There are no savings in the plan."
    if total.count == 1:
        text = f"The one saving is rated {parts[0][1]}."
    elif len(parts) == 1:
        text = f"All {total.count} savings are rated {parts[0][1]}."
    else:
        (n, word), rest = parts[0], [f"{m} {w}" for m, w in parts[1:]]
        others = rest[0] if len(rest) == 1 else f"{rest[0]} and {rest[1]}"
        joined = f" and {others}" if len(rest) == 1 else f", {others}"
        text = f"Of the {total.count} savings, {n} {'is' if n == 1 else 'are'} rated {word}{joined}."
    if total.overridden:
        were = "was" if total.overridden == 1 else "were"
        text += f" {total.overridden} of these ratings {were} set in the forecast rather than by the rule."
    return text


def savings_delivery(
    plan: pd.DataFrame, forecasts: pd.DataFrame, directorates: Sequence[str], restricted: Iterable[str] = ()
) -> SavingsDelivery:
    """Each saving's delivery and RAG, and the roll-ups.

    ``plan``: saving_id, directorate, description, amount (pence), line_id (blank: none), in file order;
    ``forecasts``: index saving_id: forecast (pence), rag (blank: by the rule), note; one row per saving
    (the reader checks it). ``directorates``: every directorate in the budget book's order (those with no
    saving have nil totals); ``restricted``: the line_ids of exempt lines.
    """
    exempt_lines = set(restricted)
    savings: list[Saving] = []
    for saving_id, directorate, description, amount, line_id in zip(
        plan["saving_id"], plan["directorate"], plan["description"], plan["amount"], plan["line_id"], strict=True
    ):
        row = forecasts.loc[saving_id]
        delivered = int(row["forecast"])
        computed = rag_of(int(amount), delivered)
        given = str(row["rag"]).upper()
        savings.append(
            Saving(
                str(saving_id),
                str(directorate),
                str(description),
                str(line_id),
                int(amount),
                delivered,
                Rag(given) if given else computed,
                computed,
                str(row["note"]),
                str(line_id) in exempt_lines,
            )
        )
    by_directorate = {d: Totals.of(s for s in savings if s.directorate == d) for d in directorates}
    return SavingsDelivery(tuple(savings), by_directorate)


__all__ = [
    "EXEMPT_ITEMS",
    "RAG_WORDS",
    "Rag",
    "Saving",
    "SavingsDelivery",
    "Totals",
    "delivery_sentence",
    "rag_of",
    "rag_sentence",
    "savings_delivery",
]
