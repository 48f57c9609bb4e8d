"""What the finance papers report beside the money: savings delivery and the performance indicators.

Each directorate's section holds its savings (the sentence and each saving listed) and the counts of its
KPIs' latest ratings with its activity indicators outside their expected range; the Cabinet paper adds
the savings of every directorate rolled up for the authority.  The figures come from
:mod:`finlib.core.savings` and :mod:`finlib.core.kpi`; this module lays them out and computes nothing
else.  Savings are signed as budgets are (a saving is negative); the tables print them as amounts to be
saved, so a shortfall reads as a positive figure, as a pressure does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from finlib.core import kpi
from finlib.core.kinds import RowKind
from finlib.core.savings import Saving, SavingsDelivery, Totals, delivery_sentence, rag_sentence
from finlib.money import MILLIONS, THOUSANDS, headline_millions
from finlib.report.dashboard import RAG_FORM, WIDE_FORM, activity_sentence
from finlib.report.model import KIND, Column, PerformanceSection, SavingsSection, Table

SAVED = (
    Column("plan", "Savings planned", THOUSANDS),
    Column("delivered", "Forecast to be delivered", THOUSANDS),
    Column("shortfall", "Shortfall", THOUSANDS),
)
SAVINGS_COLUMNS = (
    Column("saving", "Saving", form=WIDE_FORM),
    KIND,
    Column("saving_id", "Ref", form="ref"),
    *SAVED,
    Column("rag", "RAG", form=RAG_FORM),
    Column("note", "Note", form=WIDE_FORM),
)
#: Every saving of the authority with its directorate: savings.csv of ``finlib tables`` and the workbook.
ALL_SAVINGS_COLUMNS = (SAVINGS_COLUMNS[0], KIND, Column("directorate", "Directorate"), *SAVINGS_COLUMNS[2:])
BY_DIRECTORATE_COLUMNS = (
    Column("directorate", "Directorate"),
    KIND,
    *(Column(c.key, c.heading, MILLIONS) for c in SAVED),
    Column("green", "GREEN"),
    Column("amber", "AMBER"),
    Column("red", "RED"),
)
COUNTS_COLUMNS = (
    Column("indicators", "Indicators"),
    KIND,
    Column("green", "GREEN"),
    Column("amber", "AMBER"),
    Column("red", "RED"),
    Column("outside", "Outside their range"),
    Column("total", "Total"),
)
OUTSIDE_COLUMNS = (
    Column("indicator", "Activity indicator", form=WIDE_FORM),
    KIND,
    Column("ref", "Ref"),
    Column("value", "Latest"),
    Column("lower", "Lower"),
    Column("upper", "Upper"),
    Column("alert", "Against the range"),
)


def _note(saving: Saving) -> str:
    if not saving.overridden:
        return saving.note
    said = f"RAG set in the forecast; by the rule it is {saving.computed.value}."
    if not saving.note:
        return said
    return f"{saving.note} {said}" if saving.note.endswith((".", "!", "?")) else f"{saving.note}. {said}"


def _saving_row(saving: Saving, kind: RowKind = RowKind.LINE) -> dict[str, object]:
    return {
        "saving": saving.description,
        "kind": kind.value,
        "directorate": saving.directorate,
        "saving_id": saving.saving_id,
        "plan": -saving.amount,
        "delivered": -saving.delivered,
        "shortfall": -saving.shortfall,
        "rag": saving.rag.value,
        "note": _note(saving),
    }


def _total_row(label: str, total: Totals) -> dict[str, object]:
    return {
        "saving": label,
        "directorate": label,
        "kind": RowKind.TOTAL.value,
        "saving_id": "",
        "plan": -total.plan,
        "delivered": -total.delivered,
        "shortfall": -total.shortfall,
        "rag": "",
        "note": "",
        "green": str(total.green),
        "amber": str(total.amber),
        "red": str(total.red),
    }


def _frame(rows: Sequence[Mapping[str, object]], columns: Sequence[Column]) -> pd.DataFrame:
    frame = pd.DataFrame([{c.key: row.get(c.key, "") for c in columns} for row in rows])
    if "kind" not in {k for row in rows for k in row}:
        frame["kind"] = RowKind.LINE.value
    for column in columns:
        if column.is_amount:
            frame[column.key] = frame[column.key].astype("Int64")
    return frame


def savings_table(name: str, caption: str, savings: Iterable[Saving], total: str, everyone: bool = False) -> Table:
    """The savings listed, then their total (``everyone``: every directorate's, each saving naming its own)."""
    shown = list(savings)
    columns = ALL_SAVINGS_COLUMNS if everyone else SAVINGS_COLUMNS
    rows = [*(_saving_row(s) for s in shown), _total_row(total, Totals.of(shown))]
    return Table(name, caption, columns, _frame(rows, columns))


def by_directorate_table(delivery: SavingsDelivery) -> Table:
    """Each directorate's plan, forecast delivery, shortfall and RAG counts, and the authority's."""
    rows = [{**_total_row(d, t), "kind": RowKind.LINE.value} for d, t in delivery.directorates.items()]
    rows.append(_total_row("Total", delivery.authority))
    return Table(
        "savings-by-directorate",
        "Savings delivery by directorate",
        BY_DIRECTORATE_COLUMNS,
        _frame(rows, BY_DIRECTORATE_COLUMNS),
    )


def authority_savings(delivery: SavingsDelivery) -> SavingsSection:
    """The authority's savings delivery: its sentence, the roll-up by directorate, every saving listed."""
    shown = delivery.folded()
    every = savings_table("savings", "Every saving of the plan", shown.savings, "Total", everyone=True)
    sentence = f"{delivery.sentence()} {rag_sentence(delivery.authority)}"
    return SavingsSection(sentence, every, by_directorate_table(delivery))


def directorate_savings(
    delivery: SavingsDelivery, name: str, total: str, lines: Iterable[str] | None = None
) -> SavingsSection | None:
    """A directorate's savings (``lines``: only those on a committee's lines of it); ``None`` when it has none."""
    mine = delivery.within([name], lines)
    if not mine.savings:
        return None
    of = f"on the {name} headings in this committee's remit" if lines is not None else f"planned for {name}"
    totals = mine.authority
    sentence = f"{delivery_sentence(totals, of)} {rag_sentence(totals)}"
    unplaced = [s for s in delivery.within([name]).savings if not s.line_id] if lines is not None else []
    if unplaced:
        amount = headline_millions(sum(s.amount for s in unplaced))
        sentence += f" The directorate's savings on no one budget line ({amount}) are reported in the Cabinet report."
    caption = f"{name}: savings delivery" + (" (this committee's headings)" if lines is not None else "")
    return SavingsSection(sentence, savings_table(f"savings-{name}", caption, mine.folded().savings, total))


def performance(indicators: Sequence[kpi.Rated], name: str, month: str) -> PerformanceSection | None:
    """A directorate's KPI ratings counted and its activity indicators outside their range; ``None`` when
    it has no indicator with a result this period."""
    mine = [r for r in indicators if r.indicator.directorate == name]
    if not mine:
        return None
    kpis = [r for r in mine if r.indicator.kind == "kpi"]
    counts = kpi.counts(kpis)
    activity = [r for r in mine if r.indicator.kind == "activity" and r.alert is not None]
    outside = [r for r in activity if r.alert in (kpi.Alert.ABOVE, kpi.Alert.BELOW)]
    rows = [
        {
            "indicators": "Key Performance Indicators rated this month",
            **{k: str(getattr(counts, k)) for k in ("green", "amber", "red")},
            "total": str(counts.rated),
        },
        {
            "indicators": "Activity indicators with an expected range",
            "outside": str(len(outside)),
            "total": str(len(activity)),
        },
    ]
    caption = f"{name}: its indicators on the Performance Dashboard"
    table = Table(f"kpi-counts-{name}", caption, COUNTS_COLUMNS, _frame(rows, COUNTS_COLUMNS))
    unrated = len(kpis) - counts.rated
    opening = (
        f"{{table}} below counts the latest ratings of the {len(kpis)} Key Performance Indicator"
        f"{'s' if len(kpis) != 1 else ''} of {name} on its Performance Dashboard to {month}"
        + (f" ({unrated} with no latest result)" if unrated else "")
        + f", and its activity indicators outside their expected range. {kpi.rag_sentence(counts)}."
    )
    paragraphs = [opening, activity_sentence(mine)]
    found = None
    if outside:
        paragraphs[-1] = activity_sentence(mine) + f" {{table}} below lists {'it' if len(outside) == 1 else 'them'}."
        found = Table(
            f"activity-outside-{name}",
            f"{name}: activity indicators outside their expected range",
            OUTSIDE_COLUMNS,
            _frame([_outside_row(r) for r in outside], OUTSIDE_COLUMNS),
        )
    return PerformanceSection(tuple(paragraphs), table, found)


def _outside_row(r: kpi.Rated) -> dict[str, object]:
    cells = r.printed()
    value = r.result.latest or (r.result.ytd if isinstance(r.result.ytd, kpi.Value) else None)
    return {
        "indicator": r.indicator.indicator,
        "kind": RowKind.LINE.value,
        "ref": r.indicator.ref,
        "value": value.text if value else "N/a",
        "lower": cells["lower"],
        "upper": cells["upper"],
        "alert": cells["alert"],
    }
