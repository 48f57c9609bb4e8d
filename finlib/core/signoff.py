"""A Corporate Director's sign-off of a directorate's position, and whether it still holds.

A sign-off records who signed, when, and a digest (SHA-256) per input role of the directorate's rows
as parsed: its lines of the budget book, their forecasts and adjustments, the roll forwards and
budget changes touching them, the explanations of its headings, tags, schemes and of the directorate
itself, its capital schemes' programme, forecasts and funding.  Which rows are the directorate's is
read from each file's declared key (the :class:`~finlib.core.records.ExemptRule` of the catalogue:
a line, a scheme or a subject), so a new kind of file is covered as soon as it is declared.

Digests are of parsed values (pence, flags, stripped text), never of bytes: a file re-saved with other
number formats, spacing, column order or another directorate's rows changed leaves a sign-off
standing; a changed amount or text in the directorate's own rows voids it.  Reading no file here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from finlib.core import kpi
from finlib.core.records import ExemptRule, Refers
from finlib.core.savings import SavingsDelivery

ROW = "_row"  # row numbers in a file are where a row is, not what it says: never digested

#: A parsed frame and the rule that says which column ties each row to a line, a scheme or a subject.
Table = tuple[pd.DataFrame, ExemptRule]
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class SignOff:
    """A Corporate Director's sign-off of a directorate's position after adjustments."""

    directorate: str
    by: str
    signed_at: str  # ISO 8601, UTC
    digests: Mapping[str, str] = field(default_factory=dict)  # role → SHA-256 of the directorate's rows
    note: str = ""


@dataclass(frozen=True)
class WithoutSignOff:
    """Published although some directorates were not signed off (or their sign-off was void), and why."""

    reason: str
    directorates: tuple[str, ...]


class State(StrEnum):
    SIGNED = "signed"
    VOID = "void"
    NOT_SIGNED = "not signed"


@dataclass(frozen=True)
class Status:
    """Where a directorate's sign-off stands against its inputs now."""

    directorate: str
    state: State
    signoff: SignOff | None = None
    changed: tuple[str, ...] = ()  # VOID: the roles whose rows of the directorate changed since

    @property
    def signed(self) -> bool:
        return self.state == State.SIGNED


@dataclass(frozen=True)
class Scope:
    """What is a directorate's: its lines, capital schemes and the subjects of its explanations."""

    lines: frozenset[str]
    schemes: frozenset[str]
    subjects: frozenset[str]

    def keys(self, refers: Refers) -> frozenset[str]:
        return {Refers.LINE: self.lines, Refers.SCHEME: self.schemes, Refers.SUBJECT: self.subjects}[refers]


def scope(book: pd.DataFrame, programme: pd.DataFrame | None, directorate: str) -> Scope:
    """A directorate's lines (``book`` indexed by line_id), schemes and explanation subjects: its
    headings, its tags, its schemes and its own name (the finance director's paragraphs about it)."""
    own = book[book["directorate"] == directorate]
    schemes: frozenset[str] = frozenset()
    if programme is not None:
        schemes = frozenset(str(s) for s in programme.loc[programme["directorate"] == directorate, "scheme_id"])
    words = {str(h) for h in own["heading"]} | {str(t) for t in own["tag"] if str(t)}
    return Scope(frozenset(str(i) for i in own.index), schemes, frozenset(words | schemes | {directorate}))


@dataclass(frozen=True)
class Cells:
    """A table read once for every directorate's digest: its rows' cells as JSON values, column by column
    (columns by name, row numbers left out), and its key columns as text."""

    columns: list[str]
    values: list[list[object]]
    keys: dict[str, pd.Series]  # key column → its values as text, for matching a directorate's keys

    @classmethod
    def of(cls, frame: pd.DataFrame, rule: ExemptRule) -> Cells:
        frame = frame.reset_index() if frame.index.name is not None else frame
        columns = sorted(c for c in frame.columns if c != ROW)
        keys = {c: frame[c].astype(str).astype(object) for c in rule.keys if c in frame.columns}
        return cls(columns, [_cells(frame[c]) for c in columns], keys)

    def rows(self, within: Scope, refers: Refers) -> np.ndarray:
        """The positions of the rows whose key columns name one of the directorate's keys."""
        wanted = within.keys(refers)
        mine = np.zeros(len(self.values[0]) if self.values else 0, dtype=bool)
        for values in self.keys.values():
            mine |= values.isin(wanted).to_numpy()
        return np.flatnonzero(mine)

    def digest(self, positions: Iterable[int]) -> str:
        """SHA-256 of the rows at ``positions``, in file order."""
        rows = [{c: values[i] for c, values in zip(self.columns, self.values, strict=True)} for i in positions]
        text = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cells(column: pd.Series) -> list[object]:
    """A column's cells as JSON values (as :func:`_cell` gives them), converted a column at a time."""
    if pd.api.types.is_bool_dtype(column.dtype) and not column.hasnans:
        return [bool(v) for v in column.tolist()]
    if pd.api.types.is_integer_dtype(column.dtype):
        return [None if v is pd.NA else int(v) for v in column.astype(object).tolist()]
    return [_cell(v) for v in column.tolist()]


def _cell(value: object) -> object:
    """A cell as JSON: text as it is, whole numbers (pence) as integers, flags as booleans, blank as null."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    return str(value)


def value_digest(value: str) -> str:
    """SHA-256 of a setting that concerns every directorate (such as what kind of period it is)."""
    return hashlib.sha256(json.dumps(value).encode("utf-8")).hexdigest()


def digests(tables: Mapping[str, Table], within: Scope, shared: Mapping[str, str] | None = None) -> dict[str, str]:
    """A directorate's digest by role: each table's rows of the directorate (a table with none is left
    out, so adding or removing the directorate's rows shows as a change), and ``shared`` settings that
    concern every directorate, each as it is."""
    return every_digest(tables, {"": within}, shared)[""]


class Deferred(Mapping[str, Mapping[str, str]]):
    """Each directorate's digests, computed when first asked for: only signing off and publishing need
    them, and they read every input once more (a second or so at 100,000 lines)."""

    def __init__(self, compute: Callable[[], Mapping[str, Mapping[str, str]]]):
        self._compute: Callable[[], Mapping[str, Mapping[str, str]]] | None = compute
        self._found: Mapping[str, Mapping[str, str]] = {}

    def _digests(self) -> Mapping[str, Mapping[str, str]]:
        if self._compute is not None:
            self._found, self._compute = self._compute(), None
        return self._found

    def __getitem__(self, directorate: str) -> Mapping[str, str]:
        return self._digests()[directorate]

    def __iter__(self) -> Iterator[str]:
        return iter(self._digests())

    def __len__(self) -> int:
        return len(self._digests())

    def __reduce__(self) -> tuple[type[dict[str, Mapping[str, str]]], tuple[dict[str, Mapping[str, str]]]]:
        return dict, (dict(self._digests()),)  # pickled as the digests themselves


def every_digest(
    tables: Mapping[str, Table], scopes: Mapping[str, Scope], shared: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """:func:`digests` for each directorate of ``scopes``, each table read once for them all."""
    common = {role: value_digest(value) for role, value in (shared or {}).items()}
    found: dict[str, dict[str, str]] = {d: dict(common) for d in scopes}
    for role, (frame, rule) in tables.items():
        if rule.refers is None or not rule.keys or frame.empty:
            continue
        cells = Cells.of(frame, rule)
        for directorate, within in scopes.items():
            positions = cells.rows(within, rule.refers)
            if len(positions):
                found[directorate][role] = cells.digest(positions)
    return {d: dict(sorted(f.items())) for d, f in found.items()}


def beside_digests(
    directorate: str, savings: SavingsDelivery | None, indicators: Iterable[kpi.Rated] | None
) -> dict[str, str]:
    """A directorate's digests of what is reported beside its money, by the role of the file each part
    comes from: its savings (``savings``: the plan; ``savings_forecast``: delivery, RAG given, note), its
    indicators (``kpis``) and their results this period as rated (``kpi_results``, with the direction of
    travel, which an earlier result changes)."""
    found: dict[str, str] = {}
    mine = savings.of(directorate) if savings is not None else ()
    if mine:
        found["savings"] = value_digest(
            json.dumps([[s.saving_id, s.description, s.line_id, s.amount] for s in mine], ensure_ascii=False)
        )
        found["savings_forecast"] = value_digest(
            json.dumps([[s.saving_id, s.delivered, s.rag.value, s.note] for s in mine], ensure_ascii=False)
        )
    rated = [r for r in indicators or () if r.indicator.directorate == directorate]
    if rated:
        found["kpis"] = value_digest(json.dumps([repr(r.indicator) for r in rated], ensure_ascii=False))
        found["kpi_results"] = value_digest(
            json.dumps([[r.printed(), r.result.results_to] for r in rated], ensure_ascii=False)
        )
    return found


def sign(
    contents: Mapping[str, Mapping[str, str]],
    directorate: str,
    by: str,
    note: str = "",
    clock: Clock = utc_now,
) -> SignOff:
    """A sign-off of ``directorate`` as its inputs are now (``contents``: each directorate's digests).

    Raises ``KeyError`` for a directorate that is not among them."""
    moment = clock()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    signed_at = moment.astimezone(dt.UTC).isoformat(timespec="seconds")
    return SignOff(directorate, by.strip(), signed_at, dict(contents[directorate]), note.strip())


def changed_roles(signed: Mapping[str, str], now: Mapping[str, str]) -> tuple[str, ...]:
    """Roles whose digest differs, or that are in only one of the two, in order of their names."""
    return tuple(sorted(role for role in set(signed) | set(now) if signed.get(role) != now.get(role)))


def status(directorate: str, now: Mapping[str, str], signoff: SignOff | None) -> Status:
    if signoff is None:
        return Status(directorate, State.NOT_SIGNED)
    changed = changed_roles(signoff.digests, now)
    return Status(directorate, State.VOID if changed else State.SIGNED, signoff, changed)


def statuses(contents: Mapping[str, Mapping[str, str]], signoffs: Mapping[str, SignOff]) -> list[Status]:
    """Every directorate's status, in the order of ``contents`` (budget book order)."""
    return [status(d, now, signoffs.get(d)) for d, now in contents.items()]


def unsigned(found: Iterable[Status]) -> list[Status]:
    """The directorates that stop a period being published: not signed off, or void."""
    return [s for s in found if not s.signed]
