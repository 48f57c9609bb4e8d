"""Publishing: frozen periods, refusal to overwrite, supersession that keeps history, atomic writes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from finlib import monitor, store
from finlib.config import DataSet
from finlib.core.period import Period
from finlib.errors import InputError, PublishError, UsageError
from tests.factories import sign_off_every_directorate

MAY, JULY = Period(2017, 5), Period(2017, 7)


def publish(data: DataSet, period: str, **kwargs: Any) -> Path:
    sign_off_every_directorate(data, period)
    return store.publish(data, monitor(data, period), **kwargs)


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_then_read_back_exactly(tiny: DataSet) -> None:
    folder = publish(tiny, "2017-05")
    assert folder == tiny.published_period(MAY) / "v1"
    frozen = store.load_published(tiny, MAY)
    computed = monitor(tiny, "2017-05").position
    for column in ("net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"):
        assert frozen.lines[column].equals(computed.lines[column]), column
    assert frozen.roll_forwards is None
    record = store.manifest(tiny, MAY)
    assert record.version == 1 and record.supersedes is None
    assert set(record.inputs) == {"authority", "budget_book", "forecasts"}
    assert all(len(entry.sha256) == 64 for entry in record.inputs.values())


def test_a_published_period_is_never_overwritten(tiny: DataSet) -> None:
    publish(tiny, "2017-05")
    before = snapshot(tiny.published_period(MAY))
    with pytest.raises(PublishError, match=r"2017-05 is already published .*--supersede --reason"):
        publish(tiny, "2017-05")
    assert snapshot(tiny.published_period(MAY)) == before


def test_supersede_keeps_the_old_version_and_records_the_reason(tiny: DataSet) -> None:
    publish(tiny, "2017-07")
    before = snapshot(tiny.published_period(JULY) / "v1")
    with pytest.raises(UsageError, match="needs --reason"):
        publish(tiny, "2017-07", supersede=True)
    folder = publish(tiny, "2017-07", supersede=True, reason="Late adjustment from CYPE")
    assert folder.name == "v2"
    assert snapshot(tiny.published_period(JULY) / "v1") == before
    record = json.loads((folder / "manifest.json").read_text())
    replaced = hashlib.sha256((tiny.published_period(JULY) / "v1" / "manifest.json").read_bytes()).hexdigest()
    assert record["supersedes"] == {"version": 1, "reason": "Late adjustment from CYPE", "manifest": replaced}
    assert [m.version for m in store.history(tiny, JULY)] == [1, 2]
    assert store.load_published(tiny, JULY).roll_forwards == {"committed": 400, "re-phased": 0, "bids": 150}


def test_supersede_of_an_unpublished_period_is_refused(tiny: DataSet) -> None:
    with pytest.raises(UsageError, match="has not been published yet"):
        publish(tiny, "2017-05", supersede=True, reason="x")


def test_an_interrupted_publish_leaves_nothing_behind(tiny: DataSet, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError("disk full")

    sign_off_every_directorate(tiny, "2017-07")  # before the disk fills: signing off writes too
    monkeypatch.setattr(os, "fsync", failing_fsync)  # the os module that finlib.store.published writes with
    with pytest.raises(OSError, match="disk full"):
        store.publish(tiny, monitor(tiny, "2017-07"))
    assert store.versions(tiny, JULY) == []
    assert list(tiny.published_period(JULY).iterdir()) == []
    monkeypatch.setattr(os, "fsync", os.fsync)
    assert publish(tiny, "2017-07").name == "v1"


def test_a_half_written_folder_from_a_crash_is_not_a_publication(tiny: DataSet) -> None:
    leftover = tiny.published_period(MAY) / ".publishing-crashed"
    leftover.mkdir(parents=True)
    (leftover / "position.csv").write_text("line_id\n")
    assert store.versions(tiny, MAY) == []
    assert store.last_reported_period(tiny, JULY) is None
    assert publish(tiny, "2017-05").name == "v1"


def test_last_reported_is_the_latest_published_period_before(tiny: DataSet) -> None:
    assert store.last_reported_period(tiny, JULY) is None
    publish(tiny, "2017-05")
    assert store.last_reported_period(tiny, JULY) == MAY
    assert store.last_reported_period(tiny, MAY) is None
    position = monitor(tiny, "2017-07").position
    assert position.last is not None and position.last.period == MAY
    may_revised = monitor(tiny, "2017-05").position.lines["revised_net_variance"]
    assert position.lines["last_reported"].equals(may_revised)


def test_last_reported_override(tiny: DataSet) -> None:
    with pytest.raises(UsageError, match="has not been published"):
        store.last_reported_period(tiny, JULY, MAY)
    publish(tiny, "2017-05")
    with pytest.raises(UsageError, match="is not before"):
        store.last_reported_period(tiny, MAY, MAY)
    assert store.last_reported_period(tiny, JULY, MAY) == MAY


def test_an_earlier_period_cannot_be_published_after_a_later_one(tiny: DataSet) -> None:
    publish(tiny, "2017-07")
    with pytest.raises(PublishError, match="2017-05 comes before 2017-07, already published"):
        publish(tiny, "2017-05")
    assert store.versions(tiny, MAY) == []


def test_a_published_period_keeps_the_comparison_it_was_published_with(tiny: DataSet) -> None:
    publish(tiny, "2017-05")
    publish(tiny, "2017-07")
    before = monitor(tiny, "2017-07").position.lines["last_reported"]
    # May is superseded after July was published: July still compares with the May it was published with
    forecasts = tiny.root / "2017-18/2017-05/forecasts.csv"
    forecasts.write_text(forecasts.read_text().replace("A1,1000.00,10.00", "A1,1000.00,99.00"))
    publish(tiny, "2017-05", supersede=True, reason="Corrected A1")
    record = store.manifest(tiny, JULY)
    assert (record.last_reported_period, record.last_reported_version) == (MAY, 1)
    assert monitor(tiny, "2017-07").position.lines["last_reported"].equals(before)


def test_a_changed_frozen_position_is_refused_not_used(tiny: DataSet) -> None:
    publish(tiny, "2017-05")
    current = store.current(tiny, MAY)
    assert current is not None
    position = current / "position.csv"
    text = position.read_text()
    assert "10.00" in text
    position.write_text(text.replace("10.00", "1010.00", 1))
    with pytest.raises(InputError, match=r"position\.csv: found 'a file changed since it was published'"):
        monitor(tiny, "2017-07")


def test_a_damaged_manifest_is_a_problem_not_a_crash(tiny: DataSet) -> None:
    publish(tiny, "2017-05")
    current = store.current(tiny, MAY)
    assert current is not None
    (current / "manifest.json").write_text("{not json")
    with pytest.raises(InputError, match=r"manifest\.json: found 'an unreadable manifest"):
        monitor(tiny, "2017-07")


def test_a_carriage_return_in_frozen_text_never_splits_a_row(tmp_path: Path) -> None:
    import pandas as pd

    from finlib.errors import Problems
    from finlib.inputs.tables import read_text_table
    from finlib.store.published import _csv

    frame = pd.DataFrame({"category": ["committed", "bids"], "description": ["line one\rline two", "plain"]})
    path = tmp_path / "frozen.csv"
    path.write_bytes(_csv(frame))
    problems = Problems()
    read = read_text_table(path, problems)
    assert not problems and read is not None
    assert list(read["description"]) == ["line one\rline two", "plain"]
    assert _csv(frame.iloc[1:]) == b"category,description\nbids,plain\n"  # quoted only where it must be
