"""The published record: freezing a period's position, and reading it back as Last Reported.

Layout of one published period (``published/<FY>/<YYYY-MM>/``)::

    v1/                      the first publication
      position.csv           every line's structure and exact amounts (pounds, to the penny)
      roll_forwards.csv      roll forward totals by category (only if the period had a return)
      roll_forward_requests.csv  at an outturn: each roll forward request as approved (category, amount,
                             description, line_id, to_line_id), carried into next year's budgets
      manifest.json          period, version, time, finlib version, hashes of inputs and position,
                             the sign-offs it was published with (or why it was published without)
    v2/                      a supersession: same files, manifest names v1 (and its manifest's hash) and
                             the reason

and ``published/record.json`` lists every version in the order it was published, chained by hashes
(:mod:`finlib.store.record`).

A version folder is written under a temporary name and renamed into place in
one step, so an interrupted publish leaves no half-written version behind; the
highest complete version is the period's current position.  Nothing here ever
deletes or rewrites a version.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from finlib import __version__
from finlib.config import DataSet
from finlib.core.kinds import PeriodKind, RollForward
from finlib.core.period import FinancialYear, Period, is_period, parse_year
from finlib.core.revenue import STRUCTURE, Position
from finlib.core.signoff import State, Status, WithoutSignOff, unsigned
from finlib.core.stage import Monitoring, Publication
from finlib.dates import iso_time_text
from finlib.errors import InputError, Problem, Problems, PublishError, UsageError, shown
from finlib.inputs.tables import amounts, read_text_table
from finlib.money import pounds
from finlib.store import signoffs
from finlib.store.manifest import (
    AS_PUBLISHED,
    MANIFEST,
    InputRecord,
    Manifest,
    MissingExplanations,
    Supersession,
    fingerprint,
    manifest_sha256,
    read_manifest,
)
from finlib.store.record import append as record_publication
from finlib.store.record import publishing

_VERSION = re.compile(r"^v(\d+)$")
STORED = ["net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"]


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def versions(data: DataSet, period: Period) -> list[int]:
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


def version_dir(data: DataSet, period: Period, version: int) -> Path:
    return data.published_period(period) / f"v{version}"


def current(data: DataSet, period: Period) -> Path | None:
    """Folder of the period's current published version, or ``None`` if it is unpublished."""
    found = versions(data, period)
    return version_dir(data, period, found[-1]) if found else None


def manifest(data: DataSet, period: Period) -> Manifest:
    """The manifest of a period's current version."""
    folder = current(data, period)
    if folder is None:
        raise UsageError(f"{period} has not been published")
    return read_manifest(folder / MANIFEST)


def published_years(data: DataSet) -> list[FinancialYear]:
    """Financial years with at least one published period, in order."""
    folder = data.published_dir
    if not folder.is_dir():
        return []
    found = (parse_year(child.name) for child in folder.iterdir())
    return sorted(year for year in found if year is not None and published_periods(data, year))


def published_periods(data: DataSet, year: FinancialYear) -> list[Period]:
    """Periods of a financial year with a published position, in order."""
    folder = data.published_year(year)
    if not folder.is_dir():
        return []
    found = (Period.parse(p.name) for p in folder.iterdir() if is_period(p.name))
    return sorted(p for p in found if versions(data, p))


def last_reported_period(data: DataSet, period: Period, override: Period | None = None) -> Period | None:
    """Which period's position is Last Reported for ``period``.

    The latest period published before it in the same financial year, unless
    ``override`` names another published period.  A period that is itself published keeps the
    comparison it was published with, so its figures never drift.  ``None`` when there is none.
    """
    if override is not None:
        if override >= period:
            raise UsageError(f"--last-reported {override} is not before the period {period}")
        if not versions(data, override):
            year = override.financial_year
            listed = ", ".join(str(p) for p in published_periods(data, year)) or "none"
            raise UsageError(f"--last-reported {override}: that period has not been published ({year} has: {listed})")
        return override
    if versions(data, period):  # as published, even if that version is gone (loading it then says so)
        return manifest(data, period).last_reported_period
    earlier = [p for p in published_periods(data, period.financial_year) if p < period]
    return earlier[-1] if earlier else None


def recorded_last_version(data: DataSet, period: Period, last_period: Period | None) -> int | None:
    """The version of ``last_period`` that the published ``period`` was compared with, if it was."""
    if last_period is None or not versions(data, period):
        return None
    record = manifest(data, period)
    if record.last_reported_period != last_period:
        return None
    return record.last_reported_version


def load_published(data: DataSet, period: Period, version: int | None = None) -> Position:
    """A published period's position (its current version, or ``version``), exact amounts as frozen."""
    published = versions(data, period)
    if not published:
        raise UsageError(f"{period} has not been published")
    if version is not None and version not in published:
        folder = version_dir(data, period, version)
        raise InputError(
            [
                Problem(
                    shown(folder),
                    found=f"version {version} of {period} is missing",
                    expected=f"the version the published record compares with (run finlib verify --period {period})",
                )
            ]
        )
    version = version if version is not None else published[-1]
    folder = version_dir(data, period, version)
    frozen = read_manifest(folder / MANIFEST).position_sha256
    problems = Problems()
    for name in ("position.csv", "roll_forwards.csv"):
        path = folder / name
        digest = sha256(path.read_bytes()) if path.is_file() else None
        if digest != frozen.get(name):
            problems.at(path).add(found="a file changed since it was published", expected=AS_PUBLISHED)
    problems.raise_if_any()
    frame = read_text_table(folder / "position.csv", problems)
    rf = read_text_table(folder / "roll_forwards.csv", problems, required=False)
    problems.raise_if_any()
    assert frame is not None
    try:
        lines = frame.set_index("line_id")
        lines["restricted"] = lines["restricted"].str.lower().eq("true")
        for column in STORED:
            lines[column] = amounts(lines[column])
        roll_forwards = None
        if rf is not None:
            totals = dict(zip(rf["category"], (int(v) for v in amounts(rf["amount"])), strict=True))
            roll_forwards = {RollForward(c): totals[c.value] for c in RollForward}
    except (KeyError, ValueError) as exc:
        raise InputError([Problem(shown(folder / "position.csv"), found=str(exc), expected=AS_PUBLISHED)]) from exc
    return Position(period, lines[STRUCTURE + STORED], roll_forwards, version=version)


def history(data: DataSet, period: Period) -> list[Manifest]:
    """Manifests of every published version of a period, oldest first."""
    return [read_manifest(version_dir(data, period, v) / MANIFEST) for v in versions(data, period)]


def fingerprints(data: DataSet, period: Period) -> dict[int, str]:
    """Each published version of a period by its fingerprint (:func:`finlib.store.manifest.fingerprint`)."""
    return {v: fingerprint(manifest_bytes(data, period, v)) for v in versions(data, period)}


def publications(data: DataSet, periods: list[Period]) -> tuple[Publication, ...]:
    """The publication record of some periods: every published version of each, oldest first."""
    records = []
    for period in periods:
        printed = fingerprints(data, period)
        for record in history(data, period):
            records.append(
                Publication(
                    period,
                    record.version,
                    record.published_at,
                    record.supersedes.version if record.supersedes else None,
                    record.supersedes.reason if record.supersedes else None,
                    record.missing_explanations.count if record.missing_explanations else 0,
                    record.missing_explanations.reason if record.missing_explanations else None,
                    tuple(record.signoffs.values()),
                    record.without_signoff,
                    printed[record.version],
                )
            )
    return tuple(records)


def _csv(frame: pd.DataFrame) -> bytes:
    """A frozen file's bytes: every field quoted when any text holds a carriage return (the csv module
    leaves a lone ``\r`` bare when rows end in ``\n``, and a reader would split the row there)."""
    carriage = any("\r" in str(v) for column in frame.columns for v in frame[column] if isinstance(v, str))
    if carriage:
        return frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL).encode("utf-8")
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _position_csv(position: Position) -> bytes:
    lines = position.lines[STRUCTURE + STORED].copy()
    for column in STORED:
        lines[column] = [pounds(int(v)) if not pd.isna(v) else "" for v in lines[column]]
    lines["restricted"] = lines["restricted"].map({True: "true", False: "false"})
    return _csv(lines.reset_index())


def _roll_forwards_csv(position: Position) -> bytes | None:
    if position.roll_forwards is None:
        return None
    rows = [f"{c.value},{pounds(position.roll_forwards[c])}" for c in RollForward]
    return ("category,amount\n" + "\n".join(rows) + "\n").encode("utf-8")


REQUESTS = "roll_forward_requests.csv"
REQUEST_COLUMNS = ["category", "amount", "description", "line_id", "to_line_id"]


def _requests_csv(monitoring: Monitoring) -> bytes | None:
    """An outturn's roll forward requests, each as given (amounts to the penny)."""
    if monitoring.kind != PeriodKind.OUTTURN or monitoring.requests is None:
        return None
    frame = monitoring.requests.frame[REQUEST_COLUMNS].copy()
    frame["amount"] = [pounds(int(v)) for v in frame["amount"]]
    return _csv(frame)


def outturn_requests(data: DataSet, year: FinancialYear) -> pd.DataFrame | None:
    """The roll forward requests of a year's published outturn (its current version), as approved:
    category, amount (pence), description, line_id, to_line_id, date (of publication), _row; ``None``
    when the year's last period is not published as an outturn."""
    period = year.last_period
    folder = current(data, period)
    if folder is None:
        return None
    record = read_manifest(folder / MANIFEST)
    frozen = record.position_sha256
    if REQUESTS not in frozen:
        return None
    path = folder / REQUESTS
    problems = Problems()
    if not path.is_file() or sha256(path.read_bytes()) != frozen[REQUESTS]:
        problems.at(path).add(found="a file changed since it was published", expected=AS_PUBLISHED)
    problems.raise_if_any()
    frame = read_text_table(path, problems, columns=tuple(REQUEST_COLUMNS))
    problems.raise_if_any()
    assert frame is not None
    try:
        frame["amount"] = amounts(frame["amount"])
    except ValueError as exc:
        raise InputError([Problem(shown(path), found=str(exc), expected=AS_PUBLISHED)]) from exc
    frame["date"] = record.published_at[:10]  # approved with the outturn, the day it was published
    return frame.reset_index()


def relative(data: DataSet, path: Path) -> str:
    """An input's path as the manifest records it: relative to the data set's root (``2017-18/...``),
    so that a check run from any working folder, or on a moved copy of the data set, finds it."""
    try:
        return path.resolve().relative_to(data.root.resolve()).as_posix()
    except ValueError:  # not under the root: kept as given
        return str(path)


def described(status: Status, sources: Mapping[str, Path] | None = None) -> str:
    """A directorate's sign-off status in a sentence; a void one names what changed since (each input's
    file when ``sources``, the files read by role, has it)."""
    if status.state == State.NOT_SIGNED:
        return f"{status.directorate}: not signed off"
    assert status.signoff is not None
    signed = f"signed off by {status.signoff.by} ({iso_time_text(status.signoff.signed_at)})"
    if status.state == State.SIGNED:
        return f"{status.directorate}: {signed}"
    found = sources or {}
    changed = ", ".join(shown(found[role]) if role in found else role for role in status.changed)
    return f"{status.directorate}: {signed}, void: its rows of {changed} changed since"


def _unsigned_refusal(period: Period, found: list[Status], sources: Mapping[str, Path]) -> PublishError:
    count = len(found)
    lines = [
        f"{period}: {count} directorate{'s are' if count != 1 else ' is'} not signed off, or signed off before "
        "an input changed; nothing was written."
    ]
    lines += [f"  {described(status, sources)}" for status in found]
    lines.append(
        f"Have each Corporate Director sign off the position: finlib signoff --period {period} "
        '--directorate "DIRECTORATE" --by "NAME"; or publish without it, saying why: '
        '--without-signoff --reason "..."'
    )
    return PublishError("\n".join(lines))


def publish(
    data: DataSet,
    monitoring: Monitoring,
    supersede: bool = False,
    reason: str | None = None,
    now: dt.datetime | None = None,
    missing: MissingExplanations | None = None,
    without_signoff: bool = False,
) -> Path:
    """Freeze a period's position under ``published/``; return the new version's folder (see :func:`_publish`),
    holding the record of publications throughout, so that no other publication interleaves with it."""
    with publishing(data):
        return _publish(data, monitoring, supersede, reason, now, missing, without_signoff)


def manifest_bytes(data: DataSet, period: Period, version: int) -> bytes:
    return (version_dir(data, period, version) / MANIFEST).read_bytes()


def _publish(
    data: DataSet,
    monitoring: Monitoring,
    supersede: bool,
    reason: str | None,
    now: dt.datetime | None,
    missing: MissingExplanations | None,
    without_signoff: bool,
) -> Path:
    """Freeze a period's position under ``published/``; return the new version's folder.

    Refuses a period already published unless ``supersede`` with a ``reason``;
    the superseded version stays where it was.  The officers' position is frozen (never a public form).
    ``missing``: published although explanations were missing (see :func:`finlib.monitoring.publish`).
    Refuses while a directorate is not signed off, or its sign-off is void (``signoffs.json``, see
    :mod:`finlib.store.signoffs`), unless ``without_signoff`` with a ``reason``; the manifest keeps the
    sign-offs used and, when some were not, the reason and the directorates.
    """
    if monitoring.masked:
        raise ValueError("publish the officers' position, not its public form")
    position = monitoring.position
    period = position.period
    existing = versions(data, period)
    if existing and not supersede:
        raise PublishError(
            f"{period} is already published (version {existing[-1]}, "
            f"{iso_time_text(manifest(data, period).published_at)}); nothing was written. To replace it, run "
            f"'finlib publish --period {period} --supersede --reason \"...\"': the old version is kept."
        )
    later = [p for p in published_periods(data, period.financial_year) if p > period]
    if later and not existing:
        raise PublishError(
            f"{period} comes before {', '.join(str(p) for p in later)}, already published; publishing it now would "
            f"change what {later[0]} reports as Last Reported. Nothing was written."
        )
    if supersede and not (reason and reason.strip()):
        raise UsageError("--supersede needs --reason TEXT saying why the published position is replaced")
    if supersede and not existing:
        raise UsageError(f"--supersede: {period} has not been published yet; publish it without --supersede")
    if without_signoff and not (reason and reason.strip()):
        raise UsageError(
            "--without-signoff needs --reason TEXT saying why the period is published without every "
            "directorate's sign-off"
        )
    found = signoffs.statuses(data, monitoring)
    missing_signoff = unsigned(found)
    if missing_signoff and not without_signoff:
        raise _unsigned_refusal(period, missing_signoff, monitoring.sources)
    used = {s.directorate: s.signoff for s in found if s.signed and s.signoff is not None}
    without = (
        WithoutSignOff((reason or "").strip(), tuple(s.directorate for s in missing_signoff))
        if missing_signoff
        else None
    )
    version = (existing[-1] if existing else 0) + 1
    files = {"position.csv": _position_csv(position)}
    rf = _roll_forwards_csv(position)
    if rf is not None:
        files["roll_forwards.csv"] = rf
    requests = _requests_csv(monitoring)
    if requests is not None:
        files[REQUESTS] = requests
    last = position.last
    last_manifest = None
    if last is not None and last.version is not None and last.version in versions(data, last.period):
        last_manifest = manifest_sha256(manifest_bytes(data, last.period, last.version))
    replaced = (
        Supersession(existing[-1], reason.strip(), manifest_sha256(manifest_bytes(data, period, existing[-1])))
        if supersede and reason
        else None
    )
    written = Manifest(
        period=period,
        version=version,
        published_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        finlib_version=__version__,
        last_reported_period=last.period if last is not None else None,
        last_reported_version=last.version if last is not None else None,
        last_reported_manifest=last_manifest,
        supersedes=replaced,
        missing_explanations=missing,
        signoffs=used,
        without_signoff=without,
        inputs={
            role: InputRecord(relative(data, path), sha256(path.read_bytes()))
            for role, path in sorted(monitoring.sources.items())
        },
        position_sha256={name: sha256(content) for name, content in files.items()},
    )
    files[MANIFEST] = written.to_json().encode("utf-8")
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
    record_publication(data, period, version, manifest_sha256(files[MANIFEST]))
    return target
