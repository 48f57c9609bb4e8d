"""Handing what a pack run built once (the report model and its charts) to the notebooks it runs.

The hand-off is written to a private folder of the run (mode 0700, removed when the run ends), never
beside the reports, and each notebook is given its SHA-256 with its path: a file that is not, byte for
byte, the one this run wrote is refused before anything in it is read as an object.  Even then it is
read by :class:`DataOnly`, which rebuilds finlib's own classes and the frames and arrays they hold, and
refuses every other name a file could ask for (a function to call, a module to import): what loads is
data, never code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import io
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from finlib.errors import UsageError
from finlib.pack.leftovers import HANDOFF, sweep_leftovers
from finlib.render.charts import Key
from finlib.report.build import Reports

#: What a hand-off may name besides finlib's own classes: the frames, arrays and their parts, and how
#: pandas, NumPy and Arrow rebuild them from bytes (each rebuilds data; none runs what it is given).
REBUILT = frozenset(
    {
        ("builtins", "slice"),
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("builtins", "complex"),
        ("builtins", "bytearray"),
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("decimal", "Decimal"),
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy._core.numeric", "_frombuffer"),
        ("pandas", "DataFrame"),
        ("pandas", "Series"),
        ("pandas", "Index"),
        ("pandas", "RangeIndex"),
        ("pandas", "Int64Dtype"),
        ("pandas", "BooleanDtype"),
        ("pandas", "StringDtype"),
        ("pandas", "CategoricalDtype"),
        ("pandas", "Timestamp"),
        ("pandas._libs.internals", "_unpickle_block"),
        ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"),
        ("pandas.arrays", "ArrowStringArray"),
        ("pandas.arrays", "IntegerArray"),
        ("pandas.arrays", "BooleanArray"),
        ("pandas.arrays", "Categorical"),
        ("pandas.core.indexes.base", "_new_Index"),
        ("pandas.core.internals.managers", "BlockManager"),
        ("pandas.core.internals.managers", "SingleBlockManager"),
        ("pyarrow.lib", "_restore_array"),
        ("pyarrow.lib", "py_buffer"),
        ("pyarrow.lib", "type_for_alias"),
    }
)


class DataOnly(pickle.Unpickler):
    """Reads a hand-off: finlib's own data classes and enumerations (never a function or another class) and
    the names of :data:`REBUILT`; anything else is refused, unloaded."""

    def find_class(self, module: str, name: str) -> type:
        found = super().find_class(module, name) if module.split(".")[0] == "finlib" else None
        if isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)):
            return found
        if (module, name) in REBUILT:
            rebuilt: type = super().find_class(module, name)
            return rebuilt
        raise pickle.UnpicklingError(f"the prepared report names {module}.{name}, which is not data of a report")


@dataclass(frozen=True)
class Prepared:
    """The report models of a run (the Cabinet report and every extract) and every chart drawn for them."""

    reports: Reports
    charts: dict[Key, bytes]


@dataclass(frozen=True)
class HandOff:
    """Where the notebooks of a run find what it prepared, and the SHA-256 that file must have."""

    path: Path
    sha256: str


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def part(prepared: Prepared, key: str | None) -> Prepared:
    """What the notebook of one report needs of a run's: its report and its charts alone (``key``: a
    committee's, or ``None`` for the Cabinet report).  A committee's extract stands in for the Cabinet
    report too, whose period and version it shares, so that a notebook loads nothing of the others."""
    from finlib.render.charts import chart_keys

    report = prepared.reports.get(key)
    reports = Reports(
        prepared.reports.cabinet if key is None else report,
        {} if key is None else {key: report},
        prepared.reports.unassigned,
    )
    needed = chart_keys(report)
    return Prepared(reports, {k: svg for k, svg in prepared.charts.items() if k in needed})


@contextlib.contextmanager
def hand_off(prepared: Prepared) -> Iterator[HandOff]:
    """Write the hand-off in a folder only this user can open (mode 0700), removed with all it holds
    when the block ends."""
    with hand_off_each({None: prepared}) as handed:
        yield handed[None]


@contextlib.contextmanager
def hand_off_each(parts: Mapping[str | None, Prepared]) -> Iterator[dict[str | None, HandOff]]:
    """:func:`hand_off` of several parts (by the key of the report each is for), one file each, all in
    one private folder."""
    sweep_leftovers()
    folder = Path(tempfile.mkdtemp(prefix=f"{HANDOFF}{os.getpid()}-"))
    try:
        handed = {}
        for number, (key, prepared) in enumerate(parts.items()):
            content = pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
            path = folder / f"report-{number}.pickle"
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            handed[key] = HandOff(path, digest(content))
        yield handed
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load_prepared(path: Path, sha256: str | None) -> Prepared | None:
    """What a pack run prepared for its notebooks; ``None`` when the file holds something else.

    The file is read once, and loaded only when its SHA-256 is ``sha256``; otherwise (or with no
    ``sha256``) it is refused with a :class:`~finlib.errors.UsageError` and nothing in it is loaded.
    """
    if not sha256:
        raise UsageError(f"{path}: a prepared report is loaded only with its SHA-256 (parameter prepared_sha256)")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: the prepared report cannot be read: {error.strerror or error}") from None
    if digest(content) != sha256.lower():
        raise UsageError(
            f"{path}: refused, not loaded: the prepared report is not the one this run wrote "
            f"(its SHA-256 is {digest(content)}, expected {sha256})"
        )
    try:
        prepared = DataOnly(io.BytesIO(content)).load()
    except pickle.UnpicklingError as error:
        raise UsageError(f"{path}: refused, not loaded: {error}") from None
    return prepared if isinstance(prepared, Prepared) else None
