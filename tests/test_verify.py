"""`finlib verify`: a published period re-checked against its manifests, from any working folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finlib import store
from finlib.cli import main
from finlib.config import DataSet
from finlib.core.period import Period
from tests.conftest import SAMPLE
from tests.factories import sign_off_every_directorate

JULY = Period(2017, 7)


def publish(data: DataSet, period: str, *extra: str) -> None:
    sign_off_every_directorate(data, period)
    assert main(["publish", "--data", str(data.root), "--period", period, *extra]) == 0


def verify(data: DataSet, period: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["verify", "--data", str(data.root), "--period", period])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_clean_publication_verifies(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    capsys.readouterr()
    assert store.verify(tiny, JULY) == []
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 0
    assert out.splitlines() == [
        "2017-07: verified: the position files of v1, the chain back to the year's first report, and the 5 input "
        "files of v1 are as published."
    ]


def test_the_manifest_records_input_paths_relative_to_the_data_root(tiny: DataSet) -> None:
    publish(tiny, "2017-07")
    paths = {role: entry.path for role, entry in store.manifest(tiny, JULY).inputs.items()}
    assert paths["forecasts"] == "2017-18/2017-07/forecasts.csv"
    assert paths["budget_book"] == "2017-18/budget_book.csv"
    assert paths["authority"] == "authority.yaml"


def test_an_input_edited_after_publishing_is_named(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    forecasts = tiny.period_dir(JULY) / "forecasts.csv"
    forecasts.write_text(forecasts.read_text().replace("12.34", "12.35"), encoding="utf-8")
    (finding,) = store.verify(tiny, JULY)
    assert finding.path == forecasts and finding.change.startswith("changed since publication")
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 1
    assert "1 file changed since publication" in out
    assert "2017-07/forecasts.csv: changed since publication" in out


def test_a_frozen_position_edited_is_found(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    position = tiny.published_period(JULY) / "v1" / "position.csv"
    position.write_text(position.read_text().replace("12.34", "12.00"), encoding="utf-8")
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 1
    assert "v1/position.csv: changed since publication" in out


def test_a_deleted_input_is_found(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    (tiny.period_dir(JULY) / "roll_forwards.csv").unlink()
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 1
    assert "2017-07/roll_forwards.csv: missing" in out


def test_an_input_added_after_publishing_is_found(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-05")
    (tiny.period_dir(Period(2017, 5)) / "adjustments.csv").write_text(
        "line_id,amount,reason,author,date\nA1,-2.00,Late action,Director A,2017-06-10\n", encoding="utf-8"
    )
    code, out, _ = verify(tiny, "2017-05", capsys)
    assert code == 1
    assert "2017-05/adjustments.csv: added since publication" in out


def test_an_input_handed_in_again_as_a_workbook_is_found(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    (tiny.period_dir(JULY) / "adjustments.xlsx").write_bytes(b"a workbook in place of the CSV")
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 1
    assert "2017-07/adjustments.xlsx: added since publication" in out


def test_a_superseded_versions_files_are_checked_too(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    publish(tiny, "2017-07", "--supersede", "--reason", "late adjustment")
    capsys.readouterr()
    assert store.verify(tiny, JULY) == []
    old = tiny.published_period(JULY) / "v1"
    (old / "roll_forwards.csv").write_text("category,amount\ncommitted,0.00\n", encoding="utf-8")
    (old / "notes.txt").write_text("added by hand\n", encoding="utf-8")
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 1
    assert "v1/roll_forwards.csv: changed since publication" in out
    assert "v1/notes.txt: added since publication" in out
    assert "v2/" not in out
    (old / "position.csv").unlink()
    assert any(f.path == old / "position.csv" and f.change.startswith("missing") for f in store.verify(tiny, JULY))


def test_an_unreadable_manifest_is_a_finding(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    publish(tiny, "2017-07")
    manifest = tiny.published_period(JULY) / "v1" / "manifest.json"
    manifest.write_text("{not json", encoding="utf-8")
    code, out, _ = verify(tiny, "2017-07", capsys)
    assert code == 1 and "v1/manifest.json: cannot be read as a manifest" in out


@pytest.mark.parametrize("period", ["2017-07", "2017-7"])
def test_an_unpublished_period_or_a_bad_one_is_a_usage_error(
    tiny: DataSet, capsys: pytest.CaptureFixture[str], period: str
) -> None:
    code, out, err = verify(tiny, period, capsys)
    assert code == 2 and out == ""
    assert "has not been published" in err or "is not a month written YYYY-MM" in err


def test_the_samples_published_may_verifies_from_another_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["verify", "--data", str(SAMPLE.resolve()), "--period", "2017-05"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("2017-05: verified:")
    record = json.loads((SAMPLE / "published" / "2017-18" / "2017-05" / "v1" / "manifest.json").read_text())
    assert all(not entry["path"].startswith(("data/", "/")) for entry in record["inputs"].values())
