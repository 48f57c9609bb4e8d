"""One call from a data set and a period to everything computed about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finlib import revenue, store
from finlib.config import DataSet, parse_period
from finlib.inputs import PeriodInputs, load_period
from finlib.revenue import Position


@dataclass(frozen=True)
class Monitoring:
    """A period's checked inputs and its computed position, with the tables built from it."""

    data: DataSet
    inputs: PeriodInputs
    position: Position
    history: dict[str, list[dict]] = field(default_factory=dict)  # manifests of this and the last period

    @property
    def period(self) -> str:
        return self.position.period

    @property
    def last_period(self) -> str | None:
        return self.position.last.period if self.position.last is not None else None

    def authority_table(self) -> pd.DataFrame:
        return revenue.authority_table(self.position, self.inputs.settings.labels)

    def directorates(self) -> list[str]:
        return revenue.directorates(self.position)

    def directorate_table(self, directorate: str) -> pd.DataFrame:
        return revenue.directorate_table(self.position, directorate)


def monitor(data: DataSet | Path | str, period: str, last_reported: str | None = None) -> Monitoring:
    """Read, check and compute one period.

    Last Reported is the latest period published before ``period`` in the same
    financial year, or ``last_reported`` when given.
    """
    data = data if isinstance(data, DataSet) else DataSet(Path(data))
    period = parse_period(period)
    inputs = load_period(data, period)
    last_period = store.last_reported_period(data, period, last_reported)
    last_version = store.recorded_last_version(data, period, last_period)
    last = store.load_published(data, last_period, last_version) if last_period else None
    history = {p: store.history(data, p) for p in (last_period, period) if p}
    return Monitoring(data, inputs, revenue.compute_position(inputs, last), history)
