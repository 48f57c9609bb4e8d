"""The manifest of a published version: what was published, when, from which inputs, compared with what.

A manifest is read into a :class:`Manifest` and checked field by field: a field of the wrong type, or
one finlib does not write, is a problem naming the file, never a value passed on unchecked.  It is
written as canonical JSON (keys sorted, two-space indent, UTF-8), so its bytes, and so its SHA-256, are
determined by its content.  The published versions form a hash chain: each manifest records the SHA-256
of the manifest of the version it compares with (``last_reported_manifest``) and of the version it
supersedes (``supersedes.manifest``).  A version's **fingerprint** is the start of its manifest's SHA-256,
printed in every paper that relies on it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from finlib.core.period import Period
from finlib.core.signoff import SignOff, WithoutSignOff
from finlib.errors import InputError, Problem, UsageError, shown
from finlib.store.signoffs import parse_records, records_json

MANIFEST = "manifest.json"
AS_PUBLISHED = "the file as finlib publish wrote it (run finlib verify on this period)"
_FIELDS = (
    "period",
    "version",
    "published_at",
    "finlib_version",
    "last_reported_period",
    "last_reported_version",
    "last_reported_manifest",
    "supersedes",
    "missing_explanations",
    "signoffs",
    "without_signoff",
    "inputs",
    "position_sha256",
)


@dataclass(frozen=True)
class InputRecord:
    """An input file as published: its path relative to the data set's root, and its SHA-256."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Supersession:
    """The version a new one replaces, why, and the SHA-256 of the replaced version's manifest."""

    version: int
    reason: str
    manifest: str


#: How many hex digits of a manifest's SHA-256 a paper prints as the version's fingerprint.
FINGERPRINT_DIGITS = 16


def manifest_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def fingerprint(content: bytes) -> str:
    """A published version's fingerprint: the first hex digits of its manifest's SHA-256."""
    return manifest_sha256(content)[:FINGERPRINT_DIGITS]


@dataclass(frozen=True)
class MissingExplanations:
    """Published although explanations the commentary rules call for were missing: how many, and why."""

    count: int
    reason: str


@dataclass(frozen=True)
class Manifest:
    """One published version of a period."""

    period: Period
    version: int
    published_at: str  # ISO 8601 with its offset (UTC)
    finlib_version: str
    last_reported_period: Period | None = None
    last_reported_version: int | None = None
    last_reported_manifest: str | None = None  # SHA-256 of the manifest of the version compared with
    supersedes: Supersession | None = None
    missing_explanations: MissingExplanations | None = None
    signoffs: dict[str, SignOff] = field(default_factory=dict)  # by directorate: the sign-offs it was published with
    without_signoff: WithoutSignOff | None = None  # published without some directorates' sign-off, and why
    inputs: dict[str, InputRecord] = field(default_factory=dict)  # by role
    position_sha256: dict[str, str] = field(default_factory=dict)  # by file name

    def to_json(self) -> str:
        record: dict[str, Any] = {
            "period": str(self.period),
            "version": self.version,
            "published_at": self.published_at,
            "finlib_version": self.finlib_version,
            "last_reported_period": str(self.last_reported_period) if self.last_reported_period else None,
            "last_reported_version": self.last_reported_version,
            "last_reported_manifest": self.last_reported_manifest,
            "supersedes": (
                {
                    "version": self.supersedes.version,
                    "reason": self.supersedes.reason,
                    "manifest": self.supersedes.manifest,
                }
                if self.supersedes
                else None
            ),
            "missing_explanations": (
                {"count": self.missing_explanations.count, "reason": self.missing_explanations.reason}
                if self.missing_explanations
                else None
            ),
            "signoffs": records_json(self.signoffs),
            "without_signoff": (
                {"reason": self.without_signoff.reason, "directorates": list(self.without_signoff.directorates)}
                if self.without_signoff
                else None
            ),
            "inputs": {
                role: {"path": entry.path, "sha256": entry.sha256} for role, entry in sorted(self.inputs.items())
            },
            "position_sha256": dict(self.position_sha256),
        }
        return canonical(record)


def canonical(record: object) -> str:
    """JSON as finlib writes a manifest: keys sorted, two-space indent, non-ASCII kept, a final newline."""
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class _Bad(ValueError):
    pass


def _typed(value: object, kind: type, what: str, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Bad(f"{what} is {value!r}, not {'a number' if kind is int else 'text'}")
    return value


def _period(value: object, what: str, optional: bool = False) -> Period | None:
    text = _typed(value, str, what, optional)
    if text is None:
        return None
    try:
        return Period.parse(text, what)
    except UsageError as exc:
        raise _Bad(str(exc)) from exc


def _mapping(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{what} is {value!r}, not a mapping")
    return value


_Record = TypeVar("_Record", "Supersession", "MissingExplanations")


def _nested(doc: dict[str, Any], name: str, kind: type[_Record]) -> _Record | None:
    """An optional field holding a small record (``supersedes``, ``missing_explanations``), each of its
    fields checked against the record's type."""
    if doc.get(name) is None:
        return None
    entry = _mapping(doc[name], name)
    unknown = sorted(set(entry) - {f.name for f in fields(kind)}, key=str)
    if unknown:
        raise _Bad(f"{name}: unknown field {unknown[0]!r}")
    hints = get_type_hints(kind)
    return kind(**{f.name: _typed(entry.get(f.name), hints[f.name], f"{name}.{f.name}") for f in fields(kind)})


def _without_signoff(value: object) -> WithoutSignOff | None:
    if value is None:
        return None
    entry = _mapping(value, "without_signoff")
    unknown = sorted(set(entry) - {"reason", "directorates"}, key=str)
    if unknown:
        raise _Bad(f"without_signoff: unknown field {unknown[0]!r}")
    reason = _typed(entry.get("reason"), str, "without_signoff.reason")
    listed = entry.get("directorates")
    if not isinstance(listed, list):
        raise _Bad(f"without_signoff.directorates is {listed!r}, not a list")
    return WithoutSignOff(reason, tuple(_typed(d, str, "without_signoff.directorates") for d in listed))


def parse_manifest(record: object) -> Manifest:
    """A manifest's JSON value, checked field by field; raises ``ValueError`` saying what is wrong."""
    doc = _mapping(record, "the manifest")
    unknown = sorted(set(doc) - set(_FIELDS), key=str)
    if unknown:
        raise _Bad(f"unknown field {unknown[0]!r}")
    for name in ("period", "version", "published_at", "finlib_version", "inputs", "position_sha256"):
        if name not in doc:
            raise _Bad(f"no field {name!r}")
    period = _period(doc["period"], "period")
    assert period is not None
    supersedes = _nested(doc, "supersedes", Supersession)
    missing = _nested(doc, "missing_explanations", MissingExplanations)
    inputs = {}
    for role, entry in _mapping(doc["inputs"], "inputs").items():
        entry = _mapping(entry, f"inputs.{role}")
        unknown = sorted(set(entry) - {"path", "sha256"}, key=str)
        if unknown:
            raise _Bad(f"inputs.{role}: unknown field {unknown[0]!r}")
        inputs[str(role)] = InputRecord(
            _typed(entry.get("path"), str, f"inputs.{role}.path"),
            _typed(entry.get("sha256"), str, f"inputs.{role}.sha256"),
        )
    hashes = {
        str(name): _typed(digest, str, f"position_sha256.{name}")
        for name, digest in _mapping(doc["position_sha256"], "position_sha256").items()
    }
    return Manifest(
        period=period,
        version=_typed(doc["version"], int, "version"),
        published_at=_typed(doc["published_at"], str, "published_at"),
        finlib_version=_typed(doc["finlib_version"], str, "finlib_version"),
        last_reported_period=_period(doc.get("last_reported_period"), "last_reported_period", optional=True),
        last_reported_version=_typed(doc.get("last_reported_version"), int, "last_reported_version", optional=True),
        last_reported_manifest=_typed(doc.get("last_reported_manifest"), str, "last_reported_manifest", optional=True),
        supersedes=supersedes,
        missing_explanations=missing,
        signoffs=parse_records(doc.get("signoffs", {}), "signoffs"),  # none before sign-offs were recorded
        without_signoff=_without_signoff(doc.get("without_signoff")),
        inputs=inputs,
        position_sha256=hashes,
    )


def read_manifest(path: Path) -> Manifest:
    """A version's manifest; a damaged one is a problem naming it (``finlib verify`` says more)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return parse_manifest(record)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            [Problem(shown(path), found=f"an unreadable manifest ({exc})", expected=AS_PUBLISHED)]
        ) from exc
    except ValueError as exc:
        raise InputError([Problem(shown(path), found=f"not a manifest ({exc})", expected=AS_PUBLISHED)]) from exc
