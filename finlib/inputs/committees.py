"""Reading the committees file: which Cabinet Committees receive an extract, and what each one covers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from finlib.config import PROJECT_ROOT
from finlib.core.settings import Committee
from finlib.errors import UsageError, shown

COMMITTEES_FILE = PROJECT_ROOT / "params" / "committees.yaml"


def load_committees(path: Path = COMMITTEES_FILE, directorates: Sequence[str] | None = None) -> dict[str, Committee]:
    """The committees, checked: each needs a name and directorates known to the budget book."""
    where = shown(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{where}: cannot read the committees ({exc})") from exc
    entries = (doc or {}).get("committees") if isinstance(doc, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise UsageError(f"{where}: expected a mapping 'committees:' with one entry per committee")
    problems = []
    committees = {}
    for key, entry in entries.items():
        if not isinstance(entry, dict) or set(entry) - {"name", "directorates", "authority_summary"}:
            problems.append(f"{where}, committee {key}: expected name, directorates and authority_summary")
            continue
        remit = entry.get("directorates") or []
        if not isinstance(entry.get("name"), str) or not isinstance(remit, list):
            problems.append(f"{where}, committee {key}: expected a name and a list of directorates")
            continue
        unknown = [d for d in remit if directorates is not None and d not in directorates]
        if unknown:
            known = ", ".join(directorates or [])
            problems.append(f"{where}, committee {key}: found directorate {unknown[0]!r}; expected one of: {known}")
        summary = entry.get("authority_summary", False)
        if not isinstance(summary, bool):
            problems.append(f"{where}, committee {key}: authority_summary must be true or false, found {summary!r}")
        committees[str(key)] = Committee(str(key), entry["name"], tuple(str(d) for d in remit), bool(summary))
    if problems:
        raise UsageError("\n".join(problems))
    return committees
