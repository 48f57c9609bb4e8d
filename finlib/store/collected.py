"""What ``finlib returns collect`` wrote into a period's folder, and writing it there safely.

``<FY>/<YYYY-MM>/returns_collected.json`` records the SHA-256 of each file collect wrote, so that a later
collect tells its own files (rewritten freely) from files made or edited by hand (refused, or, when told
to replace them, kept first in ``<YYYY-MM>/replaced/<name>.<sha12>.<suffix>``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from finlib.errors import UsageError, shown
from finlib.render.files import write_atomic

RECORD = "returns_collected.json"
REPLACED = "replaced"
#: Files of a period that collect writes, or that would stand beside what it writes.
GUARDED = ("forecasts.csv", "explanations.csv", "forecasts.xlsx", "explanations.xlsx")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_sha(path: Path) -> str:
    return sha256(path.read_bytes())


def recorded(folder: Path) -> dict[str, str]:
    """The files the last collect wrote into a period folder: name → SHA-256 (nothing without a record)."""
    path = folder / RECORD
    if not path.is_file():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    files = doc.get("files", {}) if isinstance(doc, dict) else {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def record_bytes(doc: Mapping[str, object]) -> bytes:
    """Canonical JSON: sorted keys, two-space indents, a final newline."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Saved:
    written: list[Path]
    replaced: list[Path]
    unchanged: bool  # every file was already as collected


def save(
    folder: Path,
    outputs: Mapping[str, bytes],
    record: bytes,
    replace: bool,
    disposable: Callable[[Path], bool] = lambda path: False,
) -> Saved:
    """Write ``outputs`` (name → bytes) and the record into a period ``folder``.

    A guarded file present that the last collect did not write, and that differs from what would be
    written, is made by hand: raise :class:`UsageError` (nothing written) unless ``replace``, which keeps a
    copy in ``replaced/`` first (and removes a hand-made ``.xlsx`` that would stand beside the new CSV).
    ``disposable(path)`` says a file holds nothing collect would lose (kept rows are carried over).
    """
    ours = recorded(folder)
    hand_made = []
    for name in GUARDED:
        path = folder / name
        if not path.is_file():
            continue
        content = path.read_bytes()
        if ours.get(name) == sha256(content) or content == outputs.get(name) or disposable(path):
            continue
        hand_made.append(path)
    if hand_made and not replace:
        listed = ", ".join(shown(p) for p in hand_made)
        raise UsageError(
            f"{listed}: not written by finlib returns collect (made by hand, or edited since); nothing was "
            f"written. Collect with --replace to keep a copy in {shown(folder / REPLACED)} and write the "
            "returns' figures"
        )
    files = {**outputs, RECORD: record}
    unchanged = all((folder / n).is_file() and (folder / n).read_bytes() == b for n, b in files.items())
    replaced = []
    for path in hand_made:
        content = path.read_bytes()
        backup = folder / REPLACED / f"{path.stem}.{sha256(content)[:12]}{path.suffix}"
        write_atomic(backup, content)
        replaced.append(backup)
        if path.name not in outputs:
            path.unlink()
    written = []
    for name, content in files.items():
        write_atomic(folder / name, content)
        written.append(folder / name)
    return Saved(written, replaced, unchanged)
