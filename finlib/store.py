"""The published record: freezing a period's position, and reading it back as Last Reported.

Layout of one published period (``published/<FY>/<YYYY-MM>/``)::

    v1/                      the first publication
      position.csv           every line's structure and exact amounts (pounds, to the penny)
      roll_forwards.csv      roll forward totals by category (only if the period had a return)
      manifest.json          period, version, time, finlib version, hashes of inputs and position
    v2/                      a supersession: same files, manifest names v1 and the reason

A version folder is written under a temporary name and renamed into place in
one step, so an interrupted publish leaves no half-written version behind; the
highest complete version is the period's current position.  Nothing here ever
deletes or rewrites a version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from finlib import __version__
from finlib.config import PERIOD_FILES, DataSet, financial_year, parse_period
from finlib.errors import InputError, Problem, PublishError, UsageError, shown
from finlib.inputs import PeriodInputs, amounts, read_text_table
from finlib.money import pounds
from finlib.revenue import ROLL_FORWARD_CATEGORIES, STRUCTURE, Position

_VERSION = re.compile(r"^v(\d+)$")
STORED = ["net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"]
MANIFEST = "manifest.json"


def versions(data: DataSet, period: str) -> list[int]:
    """Complete published versions of a period, oldest first."""
    folder = data.published_period(period)
    if not folder.is_dir():
        return []
    found = []
    for child in folder.iterdir():
        match = _VERSION.match(child.name)
        if match and (child / MANIFEST).is_file():
            found.append(int(match[1]))
    return sorted(found)


def current(data: DataSet, period: str) -> Path | None:
    """Folder of the period's current published version, or ``None`` if it is unpublished."""
    found = versions(data, period)
    return data.published_period(period) / f"v{found[-1]}" if found else None


def _read_manifest(path: Path) -> dict:
    """A version's manifest; a damaged one is a problem naming it (``finlib verify`` says more)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            [Problem(shown(path), found=f"an unreadable manifest ({exc})", expected=_AS_PUBLISHED)]
        ) from exc
    if not isinstance(record, dict):
        raise InputError([Problem(shown(path), found="not a manifest", expected=_AS_PUBLISHED)])
    return record


_AS_PUBLISHED = "the file as finlib publish wrote it (run finlib verify on this period)"


def manifest(data: DataSet, period: str) -> dict:
    folder = current(data, period)
    if folder is None:
        raise UsageError(f"{period} has not been published")
    return _read_manifest(folder / MANIFEST)


def published_periods(data: DataSet, year: str) -> list[str]:
    """Periods of a financial year with a published position, in order."""
    folder = data.published_year(year)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if versions(data, p.name))


def last_reported_period(data: DataSet, period: str, override: str | None = None) -> str | None:
    """Which period's position is Last Reported for ``period``.

    The latest period published before it in the same financial year, unless
    ``override`` names another published period.  A period that is itself published keeps the
    comparison it was published with, so its figures never drift.  ``None`` when there is none.
    """
    if override:
        override = parse_period(override)
        if override >= period:
            raise UsageError(f"--last-reported {override} is not before the period {period}")
        if not versions(data, override):
            year = financial_year(override)
            listed = ", ".join(published_periods(data, year)) or "none"
            raise UsageError(f"--last-reported {override}: that period has not been published ({year} has: {listed})")
        return override
    if versions(data, period):
        recorded = manifest(data, period).get("last_reported_period")
        if recorded is None or versions(data, recorded):
            return recorded
    earlier = [p for p in published_periods(data, financial_year(period)) if p < period]
    return earlier[-1] if earlier else None


def recorded_last_version(data: DataSet, period: str, last_period: str | None) -> int | None:
    """The version of ``last_period`` that the published ``period`` was compared with, if it was."""
    if last_period is None or not versions(data, period):
        return None
    record = manifest(data, period)
    if record.get("last_reported_period") != last_period:
        return None
    version = record.get("last_reported_version")
    return version if version in versions(data, last_period) else None


def load_published(data: DataSet, period: str, version: int | None = None) -> Position:
    """A published period's position (its current version, or ``version``), exact amounts as frozen."""
    published = versions(data, period)
    if not published:
        raise UsageError(f"{period} has not been published")
    version = version if version in published else published[-1]
    folder = data.published_period(period) / f"v{version}"
    frozen = _read_manifest(folder / MANIFEST).get("position_sha256", {})
    problems: list[Problem] = []
    for name in ("position.csv", "roll_forwards.csv"):
        path = folder / name
        digest = sha256(path.read_bytes()) if path.is_file() else None
        if digest != frozen.get(name):
            problems.append(Problem(shown(path), found="a file changed since it was published", expected=_AS_PUBLISHED))
    if problems:
        raise InputError(problems)
    frame = read_text_table(folder / "position.csv", problems)
    rf = read_text_table(folder / "roll_forwards.csv", problems, required=False)
    if problems or frame is None:
        raise InputError(problems)
    try:
        lines = frame.set_index("line_id")
        lines["restricted"] = lines["restricted"].str.lower().eq("true")
        for column in STORED:
            lines[column] = amounts(lines[column])
        roll_forwards = None
        if rf is not None:
            roll_forwards = dict(zip(rf["category"], (int(v) for v in amounts(rf["amount"])), strict=True))
    except (KeyError, ValueError) as exc:
        raise InputError([Problem(shown(folder / "position.csv"), found=str(exc), expected=_AS_PUBLISHED)]) from exc
    return Position(period, lines[STRUCTURE + STORED], roll_forwards, version=version)


def _position_csv(position: Position) -> bytes:
    lines = position.lines[STRUCTURE + STORED].copy()
    for column in STORED:
        lines[column] = [pounds(int(v)) if not pd.isna(v) else "" for v in lines[column]]
    lines["restricted"] = lines["restricted"].map({True: "true", False: "false"})
    return lines.reset_index().to_csv(index=False, lineterminator="\n").encode("utf-8")


def _roll_forwards_csv(position: Position) -> bytes | None:
    if position.roll_forwards is None:
        return None
    rows = [f"{c},{pounds(position.roll_forwards[c])}" for c in ROLL_FORWARD_CATEGORIES]
    return ("category,amount\n" + "\n".join(rows) + "\n").encode("utf-8")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _relative(data: DataSet, path: Path) -> str:
    """An input's path as the manifest records it: relative to the data set's root (``2017-18/...``),
    so that a check run from any working folder, or on a moved copy of the data set, finds it."""
    try:
        return path.resolve().relative_to(data.root.resolve()).as_posix()
    except ValueError:  # not under the root: kept as given
        return str(path)


def publish(
    data: DataSet,
    inputs: PeriodInputs,
    position: Position,
    supersede: bool = False,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Freeze a period's position under ``published/``; return the new version's folder.

    Refuses a period already published unless ``supersede`` with a ``reason``;
    the superseded version stays where it was.
    """
    period = position.period
    existing = versions(data, period)
    if existing and not supersede:
        raise PublishError(
            f"{period} is already published (version {existing[-1]}, "
            f"{manifest(data, period)['published_at']}); nothing was written. To replace it, run "
            f"'finlib publish --period {period} --supersede --reason \"...\"': the old version is kept."
        )
    later = [p for p in published_periods(data, financial_year(period)) if p > period]
    if later and not existing:
        raise PublishError(
            f"{period} comes before {', '.join(later)}, already published; publishing it now would change "
            f"what {later[0]} reports as Last Reported. Nothing was written."
        )
    if supersede and not (reason and reason.strip()):
        raise UsageError("--supersede needs --reason TEXT saying why the published position is replaced")
    if supersede and not existing:
        raise UsageError(f"--supersede: {period} has not been published yet; publish it without --supersede")
    version = (existing[-1] if existing else 0) + 1
    files = {"position.csv": _position_csv(position)}
    rf = _roll_forwards_csv(position)
    if rf is not None:
        files["roll_forwards.csv"] = rf
    record = {
        "period": period,
        "version": version,
        "published_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "finlib_version": __version__,
        "last_reported_period": position.last.period if position.last is not None else None,
        "last_reported_version": position.last.version if position.last is not None else None,
        "supersedes": {"version": existing[-1], "reason": reason.strip()} if supersede and reason else None,
        "inputs": {
            role: {"path": _relative(data, path), "sha256": sha256(path.read_bytes())}
            for role, path in sorted(inputs.files.items())
        },
        "position_sha256": {name: sha256(content) for name, content in files.items()},
    }
    files[MANIFEST] = (json.dumps(record, indent=2) + "\n").encode("utf-8")
    parent = data.published_period(period)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".publishing-", dir=parent))
    try:
        for name, content in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        target = parent / f"v{version}"
        try:
            os.rename(staging, target)
        except OSError as exc:
            raise PublishError(f"{shown(target)} appeared while publishing; nothing was changed ({exc})") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def save_prepared(prepared: object, path: Path) -> Path:
    """Hand what a pack run built once (report model, charts) to its notebooks (a private file of that run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".prepared-", delete=False) as handle:
        pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)
    return path


def load_prepared(path: Path) -> Any:
    """What a pack run prepared for its notebooks (see :func:`save_prepared`)."""
    with open(path, "rb") as handle:
        return pickle.load(handle)


def history(data: DataSet, period: str) -> list[dict]:
    """Manifests of every published version of a period, oldest first."""
    folder = data.published_period(period)
    return [_read_manifest(folder / f"v{v}" / MANIFEST) for v in versions(data, period)]


# ---------------------------------------------------------------------------
# Verifying a published period against its manifests


@dataclass(frozen=True, order=True)
class Finding:
    """A file of a published period that no longer matches what its manifest records."""

    path: Path  # the file (under the data set's root)
    change: str  # what changed, e.g. "changed since publication (sha256 …)"

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.change}"


def possible_inputs(data: DataSet, period: str) -> dict[str, list[Path]]:
    """Where each input of a period may be, by role (the files :func:`finlib.inputs.load_period` looks for)."""
    year = financial_year(period)
    files = {
        "authority": [data.authority_file],
        "budget_book": [data.budget_book(year)],
        "capital_programme": [data.capital_programme(year)],
    }
    files.update({role: data.period_input_candidates(period, role) for role in PERIOD_FILES})
    return files


def _short(digest: str) -> str:
    return digest[:12]


def _compare(path: Path, recorded: str, what: str) -> Finding | None:
    if not path.is_file():
        return Finding(path, f"missing: {what} published with sha256 {_short(recorded)} is gone")
    now = sha256(path.read_bytes())
    if now != recorded:
        return Finding(path, f"changed since publication: sha256 {_short(recorded)} published, {_short(now)} now")
    return None


def _check_version(folder: Path) -> tuple[dict | None, list[Finding]]:
    """A version's manifest and its position files against the hashes the manifest records."""
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        recorded = dict(record["position_sha256"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, [Finding(folder / MANIFEST, f"cannot be read as a manifest ({exc})")]
    findings = [_compare(folder / name, str(digest), "a position file") for name, digest in recorded.items()]
    for path in sorted(folder.iterdir()):
        if path.name != MANIFEST and path.name not in recorded:
            findings.append(Finding(path, "added since publication: not among the files the manifest records"))
    return record, [f for f in findings if f is not None]


def _check_inputs(data: DataSet, period: str, record: dict) -> list[Finding]:
    """The inputs of a period against its current manifest: changed, missing, or added since."""
    recorded = record.get("inputs") or {}
    findings = [
        _compare(data.root / str(entry["path"]), str(entry["sha256"]), "an input")
        for _, entry in sorted(recorded.items())
    ]
    published = {(data.root / str(entry["path"])).resolve() for entry in recorded.values()}
    for candidates in possible_inputs(data, period).values():
        for path in candidates:
            if path.is_file() and path.resolve() not in published:
                findings.append(Finding(path, "added since publication: the published position did not use it"))
    return [f for f in findings if f is not None]


def verify(data: DataSet, period: str) -> list[Finding]:
    """Re-check a published period: what has changed since it was published (nothing: an empty list).

    Every version's position files against the hashes in its manifest (superseded versions too),
    and the period's input files against the current version's manifest: an input changed,
    missing, or added since (such as an ``adjustments.csv`` written after publishing).
    """
    period = parse_period(period)
    found = versions(data, period)
    if not found:
        raise UsageError(f"{period} has not been published in {shown(data.root)}: nothing to verify")
    findings: list[Finding] = []
    record = None
    for version in found:
        record, problems = _check_version(data.published_period(period) / f"v{version}")
        findings.extend(problems)
    if record is not None:  # the current version's manifest
        findings.extend(_check_inputs(data, period, record))
    return findings
