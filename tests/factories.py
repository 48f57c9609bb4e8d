"""Inputs built in memory for fast tests of the domain and the report model (no files, no notebooks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from finlib import store
from finlib.config import DataSet
from finlib.core.parsed import ROW, PeriodInputs
from finlib.core.period import Period
from finlib.core.records import Records
from finlib.core.settings import Settings
from finlib.inputs import catalogue, parse
from finlib.monitoring import monitor
from finlib.store.signoffs import path as signoffs_path

STRUCTURE = ["directorate", "division", "heading", "kind", "tag", "restricted"]


def records(kind: catalogue.FileKind, frame: pd.DataFrame | None) -> Records:
    """A file's rows as the reader hands them on: parsed, with the file's exempt rule."""
    return Records(frame if frame is not None else kind.parsed(None), kind.exempt)


def adjustments(rows: list[tuple[str, int]]) -> pd.DataFrame:
    """Adjustment rows (line_id, pence), each with a reason, an author and a date."""
    frame = pd.DataFrame(
        {
            ROW: list(range(2, len(rows) + 2)),
            "line_id": [line for line, _ in rows],
            "amount": pd.array([amount for _, amount in rows], dtype="Int64"),
            "reason": "Management action",
            "author": "Director",
            "date": "2017-08-10",
        },
        columns=[ROW, "line_id", "amount", "reason", "author", "date"],
    )
    return frame


def explanations(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Explanation rows (subject, about, text)."""
    return pd.DataFrame(
        {
            ROW: list(range(2, len(rows) + 2)),
            "subject": [r[0] for r in rows],
            "about": [r[1] for r in rows],
            "text": [r[2] for r in rows],
        },
        columns=[ROW, "subject", "about", "text"],
    )


def period_inputs(
    lines: pd.DataFrame,
    period: str = "2017-07",
    settings: Settings | None = None,
    adjustment_rows: Sequence[tuple[str, int]] = (),
    explanation_rows: Sequence[tuple[str, str, str]] = (),
    roll_forwards: pd.DataFrame | None = None,
) -> PeriodInputs:
    """A period's inputs from one frame of lines (index line_id: the structure columns, ``net_budget`` and
    ``net_forecast_variance`` in pence); missing structure columns take their defaults."""
    lines = lines.copy()
    for column, default in (("division", ""), ("kind", "service"), ("tag", ""), ("restricted", False)):
        if column not in lines.columns:
            lines[column] = default
    for column in ("net_budget", "net_forecast_variance"):
        lines[column] = pd.array([int(v) for v in lines[column]], dtype="Int64")
    lines[ROW] = list(range(2, len(lines) + 2))
    return PeriodInputs(
        period=Period.parse(period),
        settings=settings or Settings(),
        budget_book=lines[[*STRUCTURE, ROW]],
        forecasts=lines[["net_budget", "net_forecast_variance", ROW]],
        adjustments=records(catalogue.ADJUSTMENTS, adjustments(list(adjustment_rows))),
        roll_forwards=records(catalogue.ROLL_FORWARDS, roll_forwards) if roll_forwards is not None else None,
        explanations=records(catalogue.EXPLANATIONS, explanations(list(explanation_rows))),
        capital_programme=None,
        capital_forecasts=None,
        capital_funding=records(catalogue.CAPITAL_FUNDING, None),
    )


#: When the tests' Corporate Directors sign off: a fixed moment, so that what they write is the same each run.
SIGNED_AT = dt.datetime(2017, 8, 14, 9, 30, tzinfo=dt.UTC)


def sign_off_every_directorate(
    data: DataSet | Path | str, period: str, by: str = "A Corporate Director", last_reported: str | None = None
) -> Path:
    """Every directorate of a period signed off as its inputs are now (so that it can be published);
    returns its ``signoffs.json``."""
    data = DataSet.at(data)
    checked = monitor(data, period, last_reported)
    path = signoffs_path(data, checked.period)
    for directorate in checked.signoff_digests:
        path, _ = store.sign_off(data, checked, directorate, by, clock=lambda: SIGNED_AT)
    return path


__all__ = ["SIGNED_AT", "parse", "period_inputs", "sign_off_every_directorate"]
