"""The record of publications (``published/record.json``): every version published, in the order it was,
each entry chained to the one before by a hash.

Each entry names a period, a version and the SHA-256 of that version's manifest, and carries ``chain``:
the SHA-256 of the previous entry's ``chain`` and its own three fields.  A manifest edited after it was
published no longer matches its entry; an entry edited, removed or reordered breaks the chain from there
on; a version folder with no entry was not published by ``finlib publish``.  Publishing holds a lock on
the data set's folder from its checks until the entry is written, so two publications never
interleave.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from finlib.config import DataSet
from finlib.core.period import Period
from finlib.errors import PublishError, shown

RECORD = "record.json"


@dataclass(frozen=True)
class Entry:
    """One publication: which version of which period, and the SHA-256 of its manifest."""

    period: Period
    version: int
    manifest: str
    chain: str


def link(previous: str | None, period: Period, version: int, manifest: str) -> str:
    """An entry's ``chain``: the SHA-256 of the previous entry's chain and this entry's fields."""
    text = json.dumps([previous, str(period), version, manifest], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_path(data: DataSet) -> Path:
    return data.published_dir / RECORD


def read_entries(data: DataSet) -> list[Entry]:
    """The record's entries as written; raises ``ValueError`` saying what is wrong with the file."""
    path = record_path(data)
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or set(doc) != {"versions"} or not isinstance(doc["versions"], list):
        raise ValueError('not a record of publications: expected {"versions": [...]}')
    entries = []
    for number, item in enumerate(doc["versions"], start=1):
        if not isinstance(item, dict) or set(item) != {"period", "version", "manifest_sha256", "chain"}:
            raise ValueError(f"entry {number} is not period, version, manifest_sha256 and chain")
        period, version, manifest, chain = item["period"], item["version"], item["manifest_sha256"], item["chain"]
        if not (isinstance(period, str) and isinstance(manifest, str) and isinstance(chain, str)):
            raise ValueError(f"entry {number}: period, manifest_sha256 and chain must be text")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError(f"entry {number}: version {version!r} is not a number")
        entries.append(Entry(Period.parse(period, f"entry {number}"), version, manifest, chain))
    return entries


def _json(entries: list[Entry]) -> str:
    listed = [
        {"period": str(e.period), "version": e.version, "manifest_sha256": e.manifest, "chain": e.chain}
        for e in entries
    ]
    return json.dumps({"versions": listed}, indent=2, sort_keys=True) + "\n"


def append(data: DataSet, period: Period, version: int, manifest: str) -> None:
    """Add a publication to the record (written to a temporary name, then renamed into place)."""
    path = record_path(data)
    entries = read_entries(data) if path.exists() else []
    previous = entries[-1].chain if entries else None
    entries.append(Entry(period, version, manifest, link(previous, period, version, manifest)))
    handle, temporary = tempfile.mkstemp(prefix=".record-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(_json(entries))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@contextmanager
def publishing(data: DataSet) -> Iterator[None]:
    """Hold the published record (a lock on the data set's folder itself, so nothing is created when a
    publication is refused) for one publication; refuse while another holds it."""
    folder = data.published_dir
    handle = os.open(data.root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PublishError(
                f"another finlib publish is writing to {shown(folder)}; nothing was written. Publish again when "
                "it has finished."
            ) from exc
        yield
    finally:
        os.close(handle)  # closing releases the lock


__all__ = ["RECORD", "Entry", "append", "link", "publishing", "read_entries", "record_path"]
