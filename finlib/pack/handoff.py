"""Handing what a pack run built once (the report model and its charts) to the notebooks it runs."""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from finlib.render.charts import Key
from finlib.report.build import Reports


@dataclass(frozen=True)
class Prepared:
    """The report models of a run (the Cabinet report and every extract) and every chart drawn for them."""

    reports: Reports
    charts: dict[Key, bytes]


def save_prepared(prepared: Prepared, path: Path) -> Path:
    """Write the hand-off (a private file of the run), whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".prepared-", delete=False) as handle:
        pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)
    return path


def load_prepared(path: Path) -> Prepared | None:
    """What a pack run prepared for its notebooks; ``None`` when the file holds something else."""
    with open(path, "rb") as handle:
        prepared = pickle.load(handle)
    return prepared if isinstance(prepared, Prepared) else None
