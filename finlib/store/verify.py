"""``finlib verify``: a published period re-checked against its manifests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from finlib.config import DataSet
from finlib.core.period import Period
from finlib.errors import UsageError, shown
from finlib.inputs.catalogue import possible_inputs
from finlib.store.manifest import MANIFEST, Manifest, parse_manifest
from finlib.store.published import sha256, version_dir, versions


@dataclass(frozen=True, order=True)
class Finding:
    """A file of a published period that no longer matches what its manifest records."""

    path: Path  # the file (under the data set's root)
    change: str  # what changed, e.g. "changed since publication (sha256 …)"

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.change}"


def _short(digest: str) -> str:
    return digest[:12]


def _compare(path: Path, recorded: str, what: str) -> Finding | None:
    if not path.is_file():
        return Finding(path, f"missing: {what} published with sha256 {_short(recorded)} is gone")
    now = sha256(path.read_bytes())
    if now != recorded:
        return Finding(path, f"changed since publication: sha256 {_short(recorded)} published, {_short(now)} now")
    return None


def _check_version(folder: Path) -> tuple[Manifest | None, list[Finding]]:
    """A version's manifest and its position files against the hashes the manifest records."""
    try:
        record = parse_manifest(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        return None, [Finding(folder / MANIFEST, f"cannot be read as a manifest ({exc})")]
    recorded = record.position_sha256
    findings = [_compare(folder / name, digest, "a position file") for name, digest in recorded.items()]
    for path in sorted(folder.iterdir()):
        if path.name != MANIFEST and path.name not in recorded:
            findings.append(Finding(path, "added since publication: not among the files the manifest records"))
    return record, [f for f in findings if f is not None]


def _check_inputs(data: DataSet, period: Period, record: Manifest) -> list[Finding]:
    """The inputs of a period against its current manifest: changed, missing, or added since."""
    recorded = record.inputs
    findings = [_compare(data.root / entry.path, entry.sha256, "an input") for _, entry in sorted(recorded.items())]
    published = {(data.root / entry.path).resolve() for entry in recorded.values()}
    for candidates in possible_inputs(data, period).values():
        for path in candidates:
            if path.is_file() and path.resolve() not in published:
                findings.append(Finding(path, "added since publication: the published position did not use it"))
    return [f for f in findings if f is not None]


def verify(data: DataSet, period: Period) -> list[Finding]:
    """Re-check a published period: what has changed since it was published (nothing: an empty list).

    Every version's position files against the hashes in its manifest (superseded versions too),
    and the period's input files against the current version's manifest: an input changed,
    missing, or added since (such as an ``adjustments.csv`` written after publishing).
    """
    found = versions(data, period)
    if not found:
        raise UsageError(f"{period} has not been published in {shown(data.root)}: nothing to verify")
    findings: list[Finding] = []
    record = None
    for version in found:
        record, problems = _check_version(version_dir(data, period, version))
        findings.extend(problems)
    if record is not None:  # the current version's manifest
        findings.extend(_check_inputs(data, period, record))
    return findings
