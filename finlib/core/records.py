"""Rows handed in by the finance team, with the rule that keeps their exempt rows out of public outputs.

Every input file kind declares an :class:`ExemptRule` (:mod:`finlib.inputs.catalogue`; there is no
default).  Frames whose text can reach a report travel as :class:`Records`, carrying their file's rule,
so that :mod:`finlib.core.exempt` masks each of them by its own declared rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd


class Treatment(StrEnum):
    """What a public output may show of a file's rows about exempt items."""

    MARKS = "marks"  # the file marks items restricted: they become "Exempt items", figures kept
    FIGURES = "figures"  # figures about a line or scheme: printed only inside totals and Exempt items rows
    HIDE_TEXT = "hide-text"  # text about an exempt item is replaced by "exempt"; figures kept
    DROP_ROWS = "drop-rows"  # rows about an exempt item are left out
    UNPUBLISHED = "unpublished"  # nothing of the file is printed in a public output
    SETTINGS = "settings"  # the authority's own settings and words, about no line or scheme
    UNKEYED = "unkeyed"  # a table printed as it is: no column of it names a line or a scheme


class Refers(StrEnum):
    """What a file's key column holds."""

    LINE = "line"  # a line_id of the budget book
    SCHEME = "scheme"  # a scheme_id of the capital programme
    SUBJECT = "subject"  # a heading, a tag or a scheme_id
    SAVING = "saving"  # a saving_id of the year's savings plan


@dataclass(frozen=True)
class ExemptRule:
    """How a file's rows about exempt items are kept out of public outputs."""

    treatment: Treatment
    key: str | None = None  # the column tying a row to a line or a scheme
    refers: Refers | None = None
    text: tuple[str, ...] = ()  # HIDE_TEXT: the columns replaced by "exempt"
    why: str = ""  # why this treatment is enough
    also: tuple[str, ...] = ()  # further key columns, of the same kind as ``key`` (a row about two lines)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every column tying a row to a line or a scheme."""
        return (self.key, *self.also) if self.key is not None else ()

    def also_keyed(self, *columns: str) -> ExemptRule:
        """The same rule for rows that a further column ties to an item too (any exempt key applies it)."""
        return replace(self, also=self.also + columns)

    def with_why(self, why: str) -> ExemptRule:
        """The same rule, saying why it is enough for this file."""
        return replace(self, why=why)

    @classmethod
    def marks(cls, key: str, refers: Refers, why: str) -> ExemptRule:
        return cls(Treatment.MARKS, key, refers, why=why)

    @classmethod
    def figures(cls, key: str, refers: Refers, why: str) -> ExemptRule:
        return cls(Treatment.FIGURES, key, refers, why=why)

    @classmethod
    def hide_text(cls, key: str, refers: Refers, *columns: str) -> ExemptRule:
        return cls(Treatment.HIDE_TEXT, key, refers, tuple(columns), why="its text may describe the exempt item")

    @classmethod
    def drop_rows(cls, key: str, refers: Refers) -> ExemptRule:
        return cls(Treatment.DROP_ROWS, key, refers, why="the whole row is about the exempt item")

    @classmethod
    def unpublished(cls, why: str) -> ExemptRule:
        return cls(Treatment.UNPUBLISHED, why=why)

    @classmethod
    def settings(cls, why: str) -> ExemptRule:
        return cls(Treatment.SETTINGS, why=why)

    @classmethod
    def unkeyed(cls, why: str) -> ExemptRule:
        return cls(Treatment.UNKEYED, why=why)


@dataclass(frozen=True)
class Records:
    """A file's rows as parsed (``_row`` holds each row's number in its file) and the file's exempt rule."""

    frame: pd.DataFrame
    rule: ExemptRule

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def replace_frame(self, frame: pd.DataFrame) -> Records:
        return Records(frame, self.rule)
