"""Parameters of the report pack and the notebooks: committees, and notebook parameter checking.

``params/committees.yaml`` says which committees exist, which directorates each covers, and whether it
sees the authority summary.  Notebook parameters are checked here, so that every notebook rejects
unknown or ill-typed parameters with the same clear message.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from finlib.config import PARAMS, parse_period
from finlib.errors import UsageError, shown


@dataclass(frozen=True)
class Committee:
    key: str
    name: str
    directorates: tuple[str, ...]
    authority_summary: bool


COMMITTEES_FILE = PARAMS / "committees.yaml"


def load_committees(path: Path = COMMITTEES_FILE, directorates: list[str] | None = None) -> dict[str, Committee]:
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
        committees[str(key)] = Committee(str(key), entry["name"], tuple(remit), bool(summary))
    if problems:
        raise UsageError("\n".join(problems))
    return committees


# ---------------------------------------------------------------------------
# Notebook parameters


@dataclass(frozen=True)
class Spec:
    """One notebook parameter: its type(s) and whether it may be None."""

    kinds: tuple[type, ...]
    optional: bool = False
    period: bool = False  # a YYYY-MM period


NOTEBOOK_PARAMETERS: dict[str, dict[str, Spec]] = {
    "cabinet": {
        "data": Spec((str,)),
        "period": Spec((str,), period=True),
        "last_reported": Spec((str,), optional=True, period=True),
        "prepared": Spec((str,), optional=True),
        "restricted": Spec((bool,)),
    },
    "committee": {
        "data": Spec((str,)),
        "period": Spec((str,), period=True),
        "last_reported": Spec((str,), optional=True, period=True),
        "committee": Spec((str,)),
        "prepared": Spec((str,), optional=True),
        "restricted": Spec((bool,)),
    },
    "explorer": {
        "data": Spec((str,)),
        "period": Spec((str,), period=True),
        "last_reported": Spec((str,), optional=True, period=True),
        "directorate": Spec((str,), optional=True),
        "heading": Spec((str,), optional=True),
        "top": Spec((int,)),
        "scenario": Spec((str,), optional=True),  # a scenario file of DATA/scenarios/ by name, or a path
    },
}

_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def given_parameters(namespace: dict[str, Any]) -> dict[str, Any]:
    """The variables a notebook's namespace holds, leaving out modules, functions and IPython's own."""
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in _IPYTHON_NAMES
        and not isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type)
    }


def check_parameters(notebook: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check a notebook's parameters: no unknown names, each of its type. Raises UsageError."""
    spec = NOTEBOOK_PARAMETERS[notebook]
    problems = []
    for name in sorted(set(values) - set(spec)):
        problems.append(f"unknown parameter {name!r} (the {notebook} notebook takes: {', '.join(spec)})")
    for name, rule in spec.items():
        if name not in values:
            problems.append(f"parameter {name!r} is missing")
            continue
        value = values[name]
        if value is None and rule.optional:
            continue
        if (isinstance(value, bool) and bool not in rule.kinds) or not isinstance(value, rule.kinds):
            wanted = " or ".join(k.__name__ for k in rule.kinds) + (" or None" if rule.optional else "")
            problems.append(f"parameter {name!r} is {value!r} ({type(value).__name__}); expected {wanted}")
            continue
        if rule.period:
            try:
                parse_period(str(value))
            except UsageError as exc:
                problems.append(f"parameter {name!r}: {exc}")
    if problems:
        raise UsageError(f"the {notebook} notebook's parameters are wrong:\n  " + "\n  ".join(problems))
    return {name: values[name] for name in spec}
