"""``finlib verify``: a published period re-checked against its manifests, the chain of manifests it
relies on, and the record of publications.

For a period, every version: its manifest (readable, typed, canonical), each position file against the
hash its manifest records, nothing added beside them; the versions numbered 1, 2, … with each one after
the first recording the version it supersedes and that manifest's SHA-256; the version each one compares
with (its Last Reported) still there with the manifest it recorded, and so on back to the year's first
report; the period's folder holding nothing but its versions (a staging folder left by an interrupted
publish is named), no symbolic link anywhere; every version listed in ``published/record.json`` with
its manifest's hash, the record's chain unbroken; and the period's inputs against its current manifest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from finlib.config import DataSet
from finlib.core.period import Period, is_period, parse_year
from finlib.errors import UsageError, shown
from finlib.inputs.catalogue import possible_inputs
from finlib.store import record as publications
from finlib.store.manifest import MANIFEST, Manifest, canonical, fingerprint, parse_manifest
from finlib.store.published import _VERSION, published_periods, published_years, sha256, version_dir, versions


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
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
        record = parse_manifest(document)
    except (OSError, ValueError) as exc:
        return None, [Finding(path, f"cannot be read as a manifest ({exc})")]
    findings: list[Finding | None] = []
    if text != canonical(document):
        findings.append(Finding(path, "not as finlib publish writes a manifest (canonical JSON): edited since"))
    recorded = record.position_sha256
    findings += [_compare(folder / name, digest, "a position file") for name, digest in recorded.items()]
    for child in sorted(folder.iterdir()):
        if child.name != MANIFEST and child.name not in recorded:
            findings.append(Finding(child, "added since publication: not among the files the manifest records"))
    return record, [f for f in findings if f is not None]


def _manifest_hash(data: DataSet, period: Period, version: int) -> str | None:
    path = version_dir(data, period, version) / MANIFEST
    return sha256(path.read_bytes()) if path.is_file() else None


def _check_folder(data: DataSet, period: Period) -> list[Finding]:
    """The period's folder: only version folders, each with its manifest; no symbolic link anywhere."""
    folder = data.published_period(period)
    findings = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".publishing-"):
            findings.append(Finding(child, "a staging folder left by an interrupted publish: not a published version"))
        elif not _VERSION.match(child.name) or not child.is_dir():
            findings.append(Finding(child, "not a published version: only v1, v2, … belong here"))
        elif not (child / MANIFEST).is_file():
            findings.append(Finding(child / MANIFEST, "missing: a published version without its manifest"))
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            findings.append(Finding(path, "a symbolic link: published files are never links"))
    return findings


def _check_chain(data: DataSet, period: Period, records: dict[int, Manifest]) -> list[Finding]:
    """Versions numbered from 1, each after the first naming the one it supersedes by its manifest's hash."""
    findings = []
    found = sorted(records)
    for number, version in enumerate(found, start=1):
        path = version_dir(data, period, version) / MANIFEST
        if version != number:
            findings.append(Finding(path, f"version {version} with no version {number} before it: a version is gone"))
        replaced = records[version].supersedes
        if version == 1:
            if replaced is not None:
                findings.append(Finding(path, f"version 1 records superseding version {replaced.version}"))
            continue
        if replaced is None:
            findings.append(Finding(path, f"version {version} does not record the version it supersedes"))
            continue
        before = _manifest_hash(data, period, replaced.version)
        if before is None:
            findings.append(Finding(path, f"supersedes version {replaced.version}, which is gone"))
        elif before != replaced.manifest:
            findings.append(
                Finding(path, f"supersedes version {replaced.version}, whose manifest has changed since (sha256 "
                        f"{_short(replaced.manifest)} recorded, {_short(before)} now)")
            )  # fmt: skip
    return findings


def _check_last_reported(data: DataSet, period: Period, version: int, record: Manifest) -> list[Finding]:
    """The version a published version compares with: still there, with the manifest it recorded."""
    last, last_version = record.last_reported_period, record.last_reported_version
    if last is None:
        return []
    path = version_dir(data, period, version) / MANIFEST
    if last_version is None or record.last_reported_manifest is None:
        return [Finding(path, f"compares with {last} without recording which version and its manifest's hash")]
    now = _manifest_hash(data, last, last_version)
    if now is None:
        return [Finding(path, f"compares with {last} version {last_version}, which is gone")]
    if now != record.last_reported_manifest:
        return [
            Finding(path, f"compares with {last} version {last_version}, whose manifest has changed since (sha256 "
                    f"{_short(record.last_reported_manifest)} recorded, {_short(now)} now)")
        ]  # fmt: skip
    return []


def _check_record(data: DataSet) -> tuple[dict[tuple[Period, int], str], list[Finding]]:
    """The record of publications: readable, its chain unbroken; each entry's manifest hash by version."""
    path = publications.record_path(data)
    if not path.is_file():
        return {}, [Finding(path, "missing: the record of every version published is gone")]
    try:
        entries = publications.read_entries(data)
    except (OSError, ValueError, UsageError) as exc:
        return {}, [Finding(path, f"cannot be read as the record of publications ({exc})")]
    findings, previous, listed = [], None, {}
    for number, entry in enumerate(entries, start=1):
        if entry.chain != publications.link(previous, entry.period, entry.version, entry.manifest):
            findings.append(Finding(path, f"entry {number} ({entry.period} v{entry.version}) breaks the chain: edited"))
            break
        previous = entry.chain
        listed[(entry.period, entry.version)] = entry.manifest
    return listed, findings


def _against_record(
    data: DataSet, period: Period, listed: dict[tuple[Period, int], str], folders: list[int]
) -> list[Finding]:
    """Each version of the period in the record, with its manifest as recorded; each recorded one there."""
    findings = []
    for version in folders:
        path = version_dir(data, period, version) / MANIFEST
        recorded = listed.get((period, version))
        now = _manifest_hash(data, period, version)
        if recorded is None:
            findings.append(Finding(path, "not in the record of publications: not published by finlib publish"))
        elif now != recorded:
            findings.append(
                Finding(path, f"changed since publication: sha256 {_short(recorded)} recorded, "
                        f"{_short(now or '')} now")
            )  # fmt: skip
    for p, version in listed:
        if p == period and version not in folders:
            findings.append(Finding(version_dir(data, period, version), "missing: a version the record lists is gone"))
    return findings


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


def _period_findings(data: DataSet, period: Period, listed: dict[tuple[Period, int], str]) -> list[Finding]:
    folder = data.published_period(period)
    folders = sorted(int(m[1]) for c in folder.iterdir() if (m := _VERSION.match(c.name)) and c.is_dir())
    findings = _check_folder(data, period)
    records: dict[int, Manifest] = {}
    for version in versions(data, period):
        found, problems = _check_version(version_dir(data, period, version))
        findings.extend(problems)
        if found is not None:
            records[version] = found
            findings.extend(_check_last_reported(data, period, version, found))
    findings.extend(_check_chain(data, period, records))
    findings.extend(_against_record(data, period, listed, folders))
    if records:
        findings.extend(_check_inputs(data, period, records[max(records)]))
    return findings


def _chain_back(data: DataSet, period: Period) -> list[Period]:
    """The period and each one its current version compares with, back to the year's first report."""
    chain, seen = [period], {period}
    while True:
        found = versions(data, chain[-1])
        if not found:
            return chain
        try:
            record = parse_manifest(json.loads((version_dir(data, chain[-1], found[-1]) / MANIFEST).read_text()))
        except (OSError, ValueError):
            return chain
        last = record.last_reported_period
        if last is None or last in seen or last.financial_year != period.financial_year or not versions(data, last):
            return chain
        chain.append(last)
        seen.add(last)


def verify(data: DataSet, period: Period) -> list[Finding]:
    """Re-check a published period and the chain of periods it compares with, back to the year's first
    report: what has changed since it was published (nothing: an empty list)."""
    folder = data.published_period(period)
    if not folder.is_dir() or not any(folder.iterdir()):
        raise UsageError(f"{period} has not been published in {shown(data.root)}: nothing to verify")
    listed, findings = _check_record(data)
    for checked in _chain_back(data, period):
        findings.extend(_period_findings(data, checked, listed))
    findings.extend(_strays(data))
    return sorted(set(findings), key=lambda f: (str(f.path), f.change))


def verify_all(data: DataSet) -> list[Finding]:
    """Every published period of the data set, the record of publications, and nothing else under
    ``published/`` (a version the record lists whose period folder is gone is named too)."""
    root = data.published_dir
    if not root.is_dir():
        raise UsageError(f"nothing is published in {shown(data.root)}: nothing to verify")
    listed, findings = _check_record(data)
    periods = [p for year in published_years(data) for p in published_periods(data, year)]
    for period in periods:
        findings.extend(_period_findings(data, period, listed))
    for period, version in listed:
        if period not in periods:
            findings.append(Finding(version_dir(data, period, version), "missing: a version the record lists is gone"))
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            findings.append(Finding(path, "a symbolic link: published files are never links"))
    findings.extend(_strays(data))
    return sorted(set(findings), key=lambda f: (str(f.path), f.change))


def _strays(data: DataSet) -> list[Finding]:
    """Anything under ``published/`` that is not the record, a year's folder or a period's folder."""
    root = data.published_dir
    found = []
    for child in sorted(root.iterdir()):
        if child.name == publications.RECORD and child.is_file():
            continue
        if not child.is_dir() or parse_year(child.name) is None:
            found.append(Finding(child, "not part of the published record: only record.json and the years' folders"))
            continue
        for period in sorted(child.iterdir()):
            if not (period.is_dir() and is_period(period.name)):
                found.append(Finding(period, "not part of the published record: only the periods' folders belong here"))
    return found


def check_fingerprint(data: DataSet, period: Period, printed: str) -> tuple[int, bool] | None:
    """The version of ``period`` whose fingerprint is ``printed`` (as a paper prints it, any case), and
    whether it is the current version; ``None`` when no version has it."""
    wanted = printed.strip().lower().removeprefix("fingerprint:").strip()
    found = versions(data, period)
    for version in found:
        content = (version_dir(data, period, version) / MANIFEST).read_bytes()
        if len(wanted) >= 8 and fingerprint(content).startswith(wanted):
            return version, version == found[-1]
    return None
