"""The published record as a hash chain: every version's manifest chained to the versions it supersedes
and compares with, the record of publications, the fingerprint a paper prints, and finlib verify finding
any single edit, deletion, addition, forgery, link or leftover under ``published/``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finlib import store
from finlib.cli import main
from finlib.config import DataSet
from finlib.core.period import Period
from finlib.errors import InputError, PublishError
from finlib.monitoring import monitor
from finlib.report.build import build_report
from finlib.store import record
from finlib.store.manifest import fingerprint
from finlib.store.verify import check_fingerprint, verify_all
from tests.conftest import TINY, write_tree
from tests.factories import sign_off_every_directorate

MAY, JULY = Period(2017, 5), Period(2017, 7)


def publish(data: DataSet, period: str, *extra: str) -> None:
    sign_off_every_directorate(data, period)
    assert main(["publish", "--data", str(data.root), "--period", period, *extra]) == 0


@pytest.fixture(scope="module")
def chained(tmp_path_factory: pytest.TempPathFactory) -> DataSet:
    """May published, July published against it, then July superseded."""
    data = write_tree(tmp_path_factory.mktemp("chained") / "tiny", TINY)
    publish(data, "2017-05")
    publish(data, "2017-07")
    publish(data, "2017-07", "--supersede", "--reason", "Late adjustment")
    return data


@pytest.fixture
def copy(chained: DataSet, tmp_path: Path) -> DataSet:
    return DataSet(shutil.copytree(chained.root, tmp_path / "tiny", symlinks=True))


def manifest_of(data: DataSet, period: Period, version: int) -> Path:
    return data.published_period(period) / f"v{version}" / "manifest.json"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changes(data: DataSet) -> list[str]:
    return [str(f) for f in verify_all(data)]


def test_each_manifest_records_the_hashes_of_the_versions_it_relies_on(chained: DataSet) -> None:
    july2 = json.loads(manifest_of(chained, JULY, 2).read_text(encoding="utf-8"))
    assert july2["supersedes"]["manifest"] == sha(manifest_of(chained, JULY, 1))
    assert july2["last_reported_manifest"] == sha(manifest_of(chained, MAY, 1))
    entries = record.read_entries(chained)
    assert [(str(e.period), e.version) for e in entries] == [("2017-05", 1), ("2017-07", 1), ("2017-07", 2)]
    assert entries[-1].manifest == sha(manifest_of(chained, JULY, 2))
    assert verify_all(chained) == [] and store.verify(chained, JULY) == []


def test_manifests_are_canonical_json(chained: DataSet) -> None:
    text = manifest_of(chained, JULY, 2).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_a_position_edited_with_its_hash_recomputed_is_found(copy: DataSet) -> None:
    folder = copy.published_period(JULY) / "v2"
    position = folder / "position.csv"
    position.write_text(position.read_text(encoding="utf-8").replace("12.34", "99.99"), encoding="utf-8")
    path = folder / "manifest.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["position_sha256"]["position.csv"] = sha(position)
    path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    found = changes(copy)
    assert any("v2/manifest.json: changed since publication" in f for f in found), found


def test_mays_position_and_manifest_edited_after_july_are_found_from_july(copy: DataSet) -> None:
    folder = copy.published_period(MAY) / "v1"
    position = folder / "position.csv"
    position.write_text(position.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    path = folder / "manifest.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["position_sha256"]["position.csv"] = sha(position)
    path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    found = [str(f) for f in store.verify(copy, JULY)]
    assert any("compares with 2017-05 version 1, whose manifest has changed since" in f for f in found), found


@pytest.mark.parametrize(
    ("removed", "said"),
    [
        ("2017-07/v1", "supersedes version 1, which is gone"),
        ("2017-05/v1", "compares with 2017-05 version 1, which is gone"),
        ("2017-05/v1/manifest.json", "compares with 2017-05 version 1, which is gone"),
        ("2017-07/v2", "a version the record lists is gone"),
    ],
)
def test_a_deleted_version_or_manifest_is_found(copy: DataSet, removed: str, said: str) -> None:
    target = copy.published_dir / "2017-18" / removed
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    found = changes(copy)
    assert any(said in f for f in found), found


def test_july_never_silently_re_bases_on_another_version_of_may(copy: DataSet) -> None:
    publish(copy, "2017-05", "--supersede", "--reason", "Corrected after July")
    shutil.rmtree(copy.published_period(MAY) / "v1")  # the version July was published against
    with pytest.raises(InputError) as raised:
        monitor(copy, "2017-07")
    assert "found 'version 1 of 2017-05 is missing'" in str(raised.value)


def test_a_forged_version_without_a_supersession_record_is_found(copy: DataSet) -> None:
    folder = copy.published_period(JULY)
    forged = folder / "v3"
    shutil.copytree(folder / "v1", forged)
    found = changes(copy)
    assert any("v3/manifest.json: version 3 does not record the version it supersedes" in f for f in found), found
    assert any("v3/manifest.json: not in the record of publications" in f for f in found), found


def test_a_staging_folder_left_by_an_interrupted_publish_is_named(copy: DataSet) -> None:
    (copy.published_period(JULY) / ".publishing-abc123").mkdir()
    found = changes(copy)
    assert any(".publishing-abc123: a staging folder left by an interrupted publish" in f for f in found), found


def test_a_symbolic_link_in_published_is_found(copy: DataSet, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("x\n", encoding="utf-8")
    (copy.published_period(JULY) / "v2" / "extra.csv").symlink_to(outside)
    found = changes(copy)
    assert any("extra.csv: a symbolic link" in f for f in found), found


def test_an_edited_or_removed_record_entry_is_found(copy: DataSet) -> None:
    path = record.record_path(copy)
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["versions"][0]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert any("record.json: entry 1 (2017-07 v1) breaks the chain" in f for f in changes(copy))
    path.unlink()
    assert any("record.json: missing" in f for f in changes(copy))


def test_no_publication_while_another_holds_the_record(copy: DataSet) -> None:
    with record.publishing(copy):
        monitoring = monitor(copy, "2017-07")
        with pytest.raises(PublishError, match="another finlib publish is writing"):
            store.publish(copy, monitoring, supersede=True, reason="behind the other")
    assert store.versions(copy, JULY) == [1, 2]


def test_a_refused_publication_creates_nothing(tmp_path: Path) -> None:
    data = write_tree(tmp_path / "tiny", TINY)
    assert main(["publish", "--data", str(data.root), "--period", "2017-07"]) == 2  # not signed off
    assert not data.published_dir.exists()


# ---------------------------------------------------------------------------
# The fingerprint a paper prints


def test_the_paper_prints_the_fingerprints_it_relies_on_and_they_verify(
    chained: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    report = build_report(monitor(chained, "2017-07"))
    printed = list(report.appendix.publications.frame["fingerprint"])
    own = fingerprint(manifest_of(chained, JULY, 2).read_bytes())
    last = fingerprint(manifest_of(chained, MAY, 1).read_bytes())
    assert f"Fingerprint: {own}" in printed and f"Fingerprint: {last}" in printed
    capsys.readouterr()
    assert (
        main(["verify", "--data", str(chained.root), "--period", "2017-07", "--fingerprint", f"Fingerprint: {own}"])
        == 0
    )
    assert "the fingerprint is version 2's, the current version" in capsys.readouterr().out
    assert check_fingerprint(chained, MAY, last) == (1, True)
    assert main(["verify", "--data", str(chained.root), "--period", "2017-07", "--fingerprint", last]) == 1
    assert "no published version has the fingerprint" in capsys.readouterr().out


def test_a_fingerprint_stops_verifying_after_any_edit(copy: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    own = fingerprint(manifest_of(copy, JULY, 2).read_bytes())
    position = copy.published_period(MAY) / "v1" / "position.csv"
    position.write_bytes(position.read_bytes() + b" ")
    capsys.readouterr()
    assert main(["verify", "--data", str(copy.root), "--period", "2017-07", "--fingerprint", own]) == 1
    assert "changed since publication" in capsys.readouterr().out


def test_verify_all_and_period_say_what_they_checked(chained: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--data", str(chained.root), "--all"]) == 0
    assert "published/: verified: 2 periods" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# Any single change under published/ is found


def _files(data: DataSet) -> list[Path]:
    return sorted(p for p in data.published_dir.rglob("*") if p.is_file())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_single_edit_deletion_or_addition_is_found(chained: DataSet, tmp_path: Path, data: st.DataObject) -> None:
    target = tmp_path / f"case-{os.urandom(4).hex()}"
    copy = DataSet(shutil.copytree(chained.root, target))
    try:
        files = _files(copy)
        chosen = data.draw(st.sampled_from(files), label="file")
        how = data.draw(st.sampled_from(["flip", "append", "truncate", "delete", "add"]), label="how")
        content = chosen.read_bytes()
        if how == "flip":
            at = data.draw(st.integers(0, len(content) - 1), label="at")
            chosen.write_bytes(content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :])
        elif how == "append":
            chosen.write_bytes(content + data.draw(st.binary(min_size=1, max_size=8), label="extra"))
        elif how == "truncate":
            chosen.write_bytes(content[: data.draw(st.integers(0, len(content) - 1), label="keep")])
        elif how == "delete":
            chosen.unlink()
        else:
            (chosen.parent / f"added-{data.draw(st.integers(0, 99))}.csv").write_text("x\n", encoding="utf-8")
        assert verify_all(copy), f"{how} {chosen.relative_to(copy.root)} was not found"
    finally:
        shutil.rmtree(target)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("supersedes", {"version": "<script>alert(1)</script>", "reason": "x", "manifest": "0" * 64}),
        ("supersedes", {"version": 1, "reason": "x", "manifest": "0" * 64, "script": "<script>"}),
        ("published_at", ["<script>"]),
        ("unexpected", "<script>alert(1)</script>"),
    ],
)
def test_a_manifest_field_of_the_wrong_type_or_unknown_is_refused(copy: DataSet, field: str, value: object) -> None:
    path = manifest_of(copy, JULY, 2)
    document = json.loads(path.read_text(encoding="utf-8"))
    document[field] = value
    path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    found = changes(copy)
    assert any("v2/manifest.json: cannot be read as a manifest" in f for f in found), found
    with pytest.raises(InputError, match="not a manifest"):
        monitor(copy, "2017-07")
