"""The command line: the data contract's commands, exit statuses and messages."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from finlib.cli import main
from finlib.config import DataSet
from finlib.render import files
from tests.conftest import SAMPLE, TINY, write_tree
from tests.factories import sign_off_every_directorate


def test_validate_ok(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(tiny.root), "--period", "2017-07"]) == 0
    assert "2017-07: inputs are valid (7 budget lines)" in capsys.readouterr().out


def test_bad_input_exits_2_lists_every_problem_and_writes_nothing(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forecasts = "2017-18/2017-07/forecasts.csv"
    write_tree(tiny.root, {forecasts: TINY[forecasts].replace("12.34", "12..34").replace("0.05", "five")})
    out = tmp_path / "out"
    assert main(["tables", "--data", str(tiny.root), "--period", "2017-07", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "2 problems in the inputs; nothing was written." in err
    assert "forecasts.csv, row 2, column net_forecast_variance: found '12..34'" in err
    assert "forecasts.csv, row 4, column net_forecast_variance: found 'five'" in err
    assert not out.exists()
    assert main(["publish", "--data", str(tiny.root), "--period", "2017-07"]) == 2
    assert not (tiny.root / "published").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tables", "--period", "2017-7", "--out", "x"], "period '2017-7' is not a month written YYYY-MM"),
        (["validate"], "the following arguments are required: --period"),
        (["frobnicate"], "invalid choice"),
        (["publish", "--period", "2017-07", "--supersede"], "needs --reason"),
        (["publish", "--period", "2017-07", "--reason", "why"], "--reason says why a position is published with"),
        (["validate", "--period", " 2017-07"], "period ' 2017-07' is not a month written YYYY-MM"),
        (["validate", "--period", "2017-07 "], "period '2017-07 ' is not a month written YYYY-MM, such as 2017-07 (it"),
        (["validate", "--period", "2017-07\n"], "(it has spaces or a line break around it)"),
        (["validate", "--period", "\u0662\u0660\u0661\u0667-\u0660\u0667"], "is not a month written YYYY-MM"),
        (["validate", "--period", "2017-07", "--last-reported", "2017-06\t"], "--last-reported '2017-06\\t' is not"),
    ],
)
def test_usage_errors_exit_2(tiny: DataSet, args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*args, "--data", str(tiny.root)] if args[0] != "frobnicate" else args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("key", ["", " ", "environment-transport ", "ENVIRONMENT-TRANSPORT", "cabinet"])
def test_a_committee_is_named_by_a_key_of_the_committees_file(
    key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["report", "--data", str(SAMPLE), "--period", "2017-07", "--committee", key, "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"unknown committee {key!r}" in err and "environment-transport" in err
    assert not out.exists(), "nothing made"


def test_control_characters_of_the_data_never_reach_the_terminal_raw(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "Alpha\x1b[2J\x1b]0;title\x07\u202eBeta\x9b"
    scenario = tmp_path / "what-if.csv"
    scenario.write_text(
        f"label,kind,directorate,division,heading,amount\n{hostile},amount,,,,-1000\n", encoding="utf-8"
    )
    assert main(["scenario", "--data", str(tiny.root), "--period", "2017-07", "--scenario", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "Alpha\\x1b[2J\\x1b]0;title\\x07\\u202eBeta\\x9b" in out, out
    assert not any(c in out for c in "\x1b\x07\u202e\x9b")
    # a message about the data escapes them too, and the exit status is unchanged
    forecasts = "2017-18/2017-07/forecasts.csv"
    write_tree(tiny.root, {forecasts: TINY[forecasts].replace("12.34", "12\x1b[31m34")})
    assert main(["validate", "--data", str(tiny.root), "--period", "2017-07"]) == 2
    err = capsys.readouterr().err
    assert "\\x1b[31m" in err and "\x1b" not in err


def test_publish_twice_is_refused(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["publish", "--data", str(tiny.root), "--period", "2017-05"]
    sign_off_every_directorate(tiny, "2017-05")
    assert main(args) == 0
    assert main(args) == 2
    assert "already published" in capsys.readouterr().err
    assert main([*args, "--supersede", "--reason", "Corrected forecast"]) == 0
    assert "v2" in capsys.readouterr().out


def test_installed_command_runs(tmp_path: Path) -> None:
    finlib = [sys.executable, "-m", "finlib.cli"]
    done = subprocess.run(
        [*finlib, "tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "authority.csv").is_file()


def test_written_files_follow_the_umask_not_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(tmp_path)]) == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "authority.csv").stat().st_mode & 0o777 == 0o644


def test_an_output_path_that_cannot_be_used_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(taken)]) == 2
    assert "finlib: cannot write there" in capsys.readouterr().err


PERIOD = ["--period", "2017-07"]


@pytest.mark.parametrize(
    ("command", "target", "why"),
    [
        (["tables", *PERIOD, "--out"], "published/tables", "inside the data set's published record"),
        (["report", *PERIOD, "--out"], "published", "inside the data set's published record"),
        (["site", "--out"], "published/2017-18/site", "inside the data set's published record"),
        (["scenario", *PERIOD, "--scenario", "what-if", "--out"], "published/x", "inside the data set's published"),
        (["returns", "issue", *PERIOD, "--out"], "published/returns", "inside the data set's published record"),
        (["export", *PERIOD, "--xlsx"], "published/tables.xlsx", "inside the data set's published record"),
        (["export", *PERIOD, "--xlsx"], "2017-18/budget_book.csv", "it is a file of the data set"),
        (["export", *PERIOD, "--xlsx"], "2017-18/2017-07/forecasts.xlsx", "read as an input of the data set"),
        (["export", *PERIOD, "--xlsx"], "authority.yaml", "it is a file of the data set"),
        (["tables", *PERIOD, "--out"], "2017-18/2017-07", "it is a folder of the data set's inputs"),
        (["returns", "issue", *PERIOD, "--out"], "2017-18", "it is a folder of the data set's inputs"),
        (["tables", *PERIOD, "--out"], "2017-18/ledger", "it is a folder of the data set's inputs"),
        (["report", *PERIOD, "--out"], "2017-18/ledger/2017", "it is a folder of the data set's inputs"),
        (["export", *PERIOD, "--xlsx"], "2017-18/ledger/tables.xlsx", "read as an input of the data set"),
        (["tables", *PERIOD, "--out"], ".", "it is the data set"),
        (["report", *PERIOD, "--out"], "/", "it is the root of the file system"),
        (["site", "--out"], "..", "it holds the data set"),
    ],
)
def test_no_writer_writes_over_inputs_or_the_published_record(
    tiny: DataSet, command: list[str], target: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off_every_directorate(tiny, "2017-05")
    assert main(["publish", "--data", str(tiny.root), "--period", "2017-05"]) == 0
    before = {p: p.read_bytes() for p in tiny.root.rglob("*") if p.is_file()}
    path = target if target == "/" else str(tiny.root / target)
    capsys.readouterr()
    assert main([*command, path, "--data", str(tiny.root)]) == 2
    err = capsys.readouterr().err
    assert f"{command[-1]} {path}: refused: " in err and why in err and "nothing was written" in err
    assert {p: p.read_bytes() for p in tiny.root.rglob("*") if p.is_file()} == before


def test_the_library_writers_refuse_the_record_too(tiny: DataSet) -> None:
    """Called from a notebook rather than the command line, the pack and the site refuse as the commands do."""
    from finlib import pack
    from finlib.errors import UsageError
    from finlib.site import build_site

    sign_off_every_directorate(tiny, "2017-05")
    assert main(["publish", "--data", str(tiny.root), "--period", "2017-05"]) == 0
    before = {p: p.read_bytes() for p in tiny.root.rglob("*") if p.is_file()}
    with pytest.raises(UsageError, match=r"out .*published.*: refused: .*inside the data set's published record"):
        pack.monthly_pack(tiny.root, "2017-07", tiny.root / "published" / "x", progress=False)
    with pytest.raises(UsageError, match="refused: it is a folder of the data set's inputs"):
        build_site(tiny.root, tiny.root / "2017-18", progress=False)
    assert {p: p.read_bytes() for p in tiny.root.rglob("*") if p.is_file()} == before


def test_a_writer_may_write_in_a_folder_of_its_own_inside_the_data_set(tiny: DataSet) -> None:
    out = tiny.root / "2017-18" / "2017-07" / "tables"
    assert main(["tables", "--data", str(tiny.root), *PERIOD, "--out", str(out)]) == 0
    assert (out / "authority.csv").is_file()


def test_restricted_tables_are_marked_and_never_replace_the_public_ones(tiny: DataSet, tmp_path: Path) -> None:
    common, tmp_path = ["--data", str(tiny.root), *PERIOD], tmp_path / "out"
    assert main(["tables", *common, "--out", str(tmp_path)]) == 0
    public = {p: p.read_bytes() for p in tmp_path.rglob("*.csv")}
    assert main(["tables", *common, "--out", str(tmp_path), "--restricted"]) == 0
    assert {p: p.read_bytes() for p in public} == public
    officers = sorted(p.relative_to(tmp_path) for p in set(tmp_path.rglob("*.csv")) - set(public))
    assert officers and all(p.name.endswith(".restricted.csv") for p in officers)
    assert [p.with_name(p.name.replace(".restricted", "")) for p in officers] == sorted(
        p.relative_to(tmp_path) for p in public
    )
    assert main(["export", *common, "--xlsx", str(tmp_path / "book.xlsx"), "--restricted"]) == 0
    assert (tmp_path / "book.restricted.xlsx").is_file() and not (tmp_path / "book.xlsx").exists()


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ],
)
@pytest.mark.parametrize("writer", ["tables", "export"])
def test_a_disk_that_refuses_a_write_is_a_clear_message_and_leaves_nothing_under_a_final_name(
    tiny: DataSet,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    why: str,
    writer: str,
) -> None:
    def half_then_fail(handle: int, data: bytes) -> None:
        with os.fdopen(handle, "wb") as out:
            out.write(data[: len(data) // 2])
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files, "_fill", half_then_fail)
    out = tmp_path / "out"
    target = {"tables": ["--out", str(out)], "export": ["--xlsx", str(out / "book.xlsx")]}[writer]
    before = {p: p.read_bytes() for p in tiny.root.rglob("*") if p.is_file()}
    assert main([writer, "--data", str(tiny.root), "--period", "2017-07", *target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finlib: cannot write there: ") and why in err and "Traceback" not in err
    assert not [p for p in out.rglob("*") if p.is_file()], "nothing under a final or a temporary name"
    assert {p: p.read_bytes() for p in tiny.root.rglob("*") if p.is_file()} == before
