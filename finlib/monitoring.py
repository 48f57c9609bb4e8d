"""One call from a data set and a period to its position stage: inputs read, Last Reported found, computed.

This module only gathers: it asks the readers (:mod:`finlib.inputs`, :mod:`finlib.store`) for data and
hands it to the pure domain (:func:`finlib.core.stage.stage`).
"""

from __future__ import annotations

from pathlib import Path

from finlib import store
from finlib.config import DataSet
from finlib.core.period import Period
from finlib.core.stage import Monitoring, stage
from finlib.inputs import load_period

__all__ = ["Monitoring", "monitor"]


def monitor(data: DataSet | Path | str, period: Period | str, last_reported: Period | str | None = None) -> Monitoring:
    """Read, check and compute one period (the officers' version: :func:`finlib.core.exempt.public` masks it).

    Last Reported is the latest period published before ``period`` in the same
    financial year, or ``last_reported`` when given.
    """
    data = DataSet.at(data)
    period = Period.parse(period)
    override = Period.parse(last_reported, "--last-reported") if last_reported is not None else None
    inputs = load_period(data, period)
    last_period = store.last_reported_period(data, period, override)
    last_version = store.recorded_last_version(data, period, last_period)
    last = store.load_published(data, last_period, last_version) if last_period else None
    compared = [p for p in (last_period, period) if p is not None]
    return stage(inputs, last, store.publications(data, compared))
