"""Handing what a pack run built once (the report model and its charts) to the notebooks it runs.

The hand-off is written to a private folder of the run (mode 0700, removed when the run ends), never
beside the reports, and each notebook is given its SHA-256 with its path: a file that is not, byte for
byte, the one this run wrote is refused before anything in it is read as an object.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from finlib.errors import UsageError
from finlib.render.charts import Key
from finlib.report.build import Reports


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


@contextlib.contextmanager
def hand_off(prepared: Prepared) -> Iterator[HandOff]:
    """Write the hand-off in a folder only this user can open (mode 0700), removed with all it holds
    when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="finlib-handoff-"))
    try:
        content = pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
        path = folder / "report.pickle"
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        yield HandOff(path, digest(content))
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
    prepared = pickle.loads(content)
    return prepared if isinstance(prepared, Prepared) else None
