"""The bad input corpus (tests/bad_inputs/): each case breaks the sample, the command exits 2 naming the
problem, nothing is written (every file of the data set is as the case left it) and the published May
period is unchanged byte for byte.

A case is a folder ``tests/bad_inputs/<nn-name>/`` holding the files that replace the sample's (paths
relative to the data root; ``<path>.DELETE`` deletes a file or folder) and ``case.yaml``:

- ``command``: ``validate`` (default), ``tables``, ``publish``, ``signoff``, ``export``, ``scenario``,
  ``collect`` (``finlib returns collect`` of a folder of July's returns, issued from the sample and filled
  with its own forecasts by :mod:`tests.managers`, once per test session), or ``ledger`` (no command reads the
  ledger files: :func:`finlib.explorer.gather_ledger`, what the explorer calls, is run instead, an
  :class:`~finlib.errors.InputError` counting as exit status 2);
- ``args``: more arguments (``[--scenario, what-if]``);
- ``why``: one line;
- ``expect``: substrings that must all appear in stderr;
- ``generate`` (optional): ``{file, row, column, value[, rows]}`` sets one cell of a file of the copy
  (``row`` as in messages: the header is row 1), after its data rows are repeated to ``rows`` rows when
  given: a big file with one bad cell, made at test time;
- ``returns`` (``collect``): the edits a manager made to the returns, in order
  (:func:`tests.managers.break_return`); files under the case's ``returns/`` folder are added to the
  folder of returns, not to the data set.  The folder of returns is unchanged by the command too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import sys
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from finlib import explorer
from finlib.cli import BAD_INPUT, main
from finlib.config import DataSet
from finlib.errors import InputError
from finlib.inputs import catalogue
from finlib.inputs.catalogue import Scope
from finlib.monitoring import monitor
from tests.conftest import SAMPLE, scrub
from tests.managers import break_return, issue_and_fill

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(path for path in CORPUS.iterdir() if (path / "case.yaml").is_file())
PERIOD = "2017-07"
COMMANDS = {"validate", "tables", "publish", "signoff", "export", "scenario", "collect", "ledger"}
RETURNS = "returns"  # a case's folder of files added to the folder of returns
#: The option of each command that writes, given a path under the test's own folder.
WRITES = {"tables": "--out", "scenario": "--out", "export": "--xlsx"}


def spec(case: Path) -> dict[str, Any]:
    return cast(dict[str, Any], yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8")))


def copy_sample(root: Path) -> Path:
    """The sample with its published/ folder, without anything a test run may have left in it."""
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".publishing-*", "__pycache__"))
    return root


def apply_case(case: Path, root: Path) -> None:
    """Replace, add and delete the case's files in a copy of the sample; then generate its big file."""
    files = sorted(
        path
        for path in case.rglob("*")
        if path.is_file() and path.name != "case.yaml" and path.relative_to(case).parts[0] != RETURNS
    )
    for path in files:
        if path.suffix == ".DELETE":
            target = root / path.relative_to(case).with_suffix("")
            assert target.exists(), f"{case.name}: {target} to delete is not in the sample"
            shutil.rmtree(target) if target.is_dir() else target.unlink()
    for path in files:
        if path.suffix != ".DELETE":
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    rule = spec(case).get("generate")
    if rule:
        generate(root / rule["file"], rule)


def generate(path: Path, rule: dict[str, Any]) -> None:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle)
    if "rows" in rule:
        rows = [list(rows[i % len(rows)]) for i in range(int(rule["rows"]))]
    rows[int(rule["row"]) - 2][header.index(rule["column"])] = str(rule["value"])
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    path.write_text(text.getvalue(), encoding="utf-8", newline="")


def hashes(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: its SHA-256 (a folder: '')."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        for path in sorted(folder.rglob("*"))
    }


def apply_returns(case: Path, folder: Path) -> None:
    """Add the case's returns/ files to a folder of returns, then make its edits."""
    if (case / RETURNS).is_dir():
        shutil.copytree(case / RETURNS, folder, dirs_exist_ok=True)
    for edit in spec(case).get("returns", []):
        break_return(folder, edit)


def run(command: str, root: Path, out: Path, args: list[str], returns: Path | None = None) -> int:
    if command == "collect":
        assert returns is not None
        return main(["returns", "collect", "--data", str(root), "--period", PERIOD, str(returns), *args])
    if command == "ledger":
        try:
            explorer.gather_ledger(DataSet(root), monitor(root, PERIOD), None, None)
        except InputError as error:
            print(error, file=sys.stderr)
            return BAD_INPUT
        return 0
    argv = [command, "--data", str(root), "--period", PERIOD, *args]
    if command in WRITES:
        argv += [WRITES[command], str(out / f"{PERIOD}.xlsx" if command == "export" else out)]
    return main(argv)


@pytest.fixture(scope="session")
def filled_returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """July's returns, issued from a copy of the sample and filled with the sample's own forecasts."""
    root = tmp_path_factory.mktemp("returns")
    return issue_and_fill(copy_sample(root / "data"), root / "returns", PERIOD)


def check_case(
    case: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str | None = None,
    filled: Path | None = None,
) -> str:
    """Run a case; assert status 2, nothing written, the published May period unchanged. Returns stderr."""
    root, out = copy_sample(tmp_path / "data"), tmp_path / "out"
    published = hashes(root / "published")
    assert published == hashes(SAMPLE / "published"), "the sample's published/ folder is not as committed"
    apply_case(case, root)
    broken = hashes(root)  # the data set as the case left it: a refused command writes none of it
    command = command or spec(case).get("command", "validate")
    returns = None
    if command == "collect":
        assert filled is not None, f"{case.name}: collect needs the filled returns"
        returns = shutil.copytree(filled, tmp_path / "returns")
        apply_returns(case, returns)
        handed_in = hashes(returns)
    capsys.readouterr()
    status = run(command, root, out, list(spec(case).get("args", [])), returns)
    captured = capsys.readouterr()
    assert status == BAD_INPUT, f"{case.name}: exit status {status}\n{captured.err}"
    assert hashes(root / "published") == published, f"{case.name}: published/ changed"
    assert hashes(root) == broken, f"{case.name}: a file of the data set was written"
    assert not out.exists(), f"{case.name}: {out} was written"
    if returns is not None:
        assert hashes(returns) == handed_in, f"{case.name}: the folder of returns was written"
    return captured.err


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_named_and_nothing_is_written(
    case: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    snapshot: SnapshotAssertion,
    request: pytest.FixtureRequest,
) -> None:
    collects = spec(case).get("command") == "collect"
    filled = cast(Path, request.getfixturevalue("filled_returns")) if collects else None
    err = check_case(case, tmp_path, capsys, filled=filled)
    missing = [text for text in spec(case)["expect"] if text not in err]
    assert not missing, f"{case.name}: {missing} not in stderr:\n{err}"
    assert scrub(err, tmp_path) == snapshot  # the whole message, as the finance team reads it


def test_a_bad_period_cannot_be_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = check_case(CORPUS / "07-forecasts-amount-1.2.3", tmp_path, capsys, command="publish")
    assert "forecasts.csv, row 4, column net_budget: found '1.2.3'" in err
    assert not (tmp_path / "data" / "published" / "2017-18" / PERIOD).exists()


@pytest.mark.parametrize("command", sorted(COMMANDS - {"publish"}))
def test_the_unbroken_sample_passes(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    """Each command succeeds on the copy without a case, so the status 2 of a case is the case's doing."""
    args = {
        "scenario": ["--scenario", "what-if"],
        "signoff": ["--directorate", "Strategic & Corporate Services", "--by", "X"],
        "collect": ["--replace"],
    }.get(command, [])
    returns = None
    if command == "collect":
        returns = shutil.copytree(cast(Path, request.getfixturevalue("filled_returns")), tmp_path / "returns")
    status = run(command, copy_sample(tmp_path / "data"), tmp_path / "out", args, returns)
    assert status == 0, capsys.readouterr().err


def test_the_corpus_covers_every_input_file_and_kind() -> None:
    assert len(CASES) >= 30
    specs = {case.name: spec(case) for case in CASES}
    for name, case in specs.items():
        assert set(case) <= {"command", "args", "why", "expect", "generate", "returns"}, name
        assert ("returns" in case) <= (case.get("command") == "collect"), name
        assert case.get("command", "validate") in COMMANDS, name
        assert case["why"].strip() and "\n" not in case["why"].strip(), name
        assert case["expect"] and all(isinstance(text, str) for text in case["expect"]), name
    touched = " ".join(
        str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*") if path.is_file() and path.name != "case.yaml"
    ) + " ".join(str(case.get("generate", {}).get("file", "")) for case in specs.values())
    for kind in catalogue.KINDS:  # every kind of input file, under each of its accepted names
        names = ["scenarios/"] if kind.scope == Scope.SCENARIOS else list(kind.names)
        for name in names:
            assert name in touched, f"no case breaks {kind.role} as {name}"
    case_names = " ".join(specs)
    for case_kind in (
        "windows-1252",
        "utf-16",
        "title-row",
        "merged-cells",
        "rows-one-bad-cell",
        "1.2.3",
        "double-minus",
        "1e400",
        "empty",
        "duplicated-header",
        "wrong-year",
        "is-",
    ):
        assert case_kind in case_names, f"no case of kind {case_kind}"


def test_the_corpus_holds_fifteen_bad_returns_named_to_the_cell() -> None:
    collects = {case.name: spec(case) for case in CASES if spec(case).get("command") == "collect"}
    to_the_cell = [
        name
        for name, case in collects.items()
        if any(re.search(r"\.xlsx, sheet \w+, cell [A-Z]+[0-9]+", text) for text in case["expect"])
    ]
    assert len(to_the_cell) >= 15, to_the_cell
    assert len(collects) > len(to_the_cell)  # and returns wrong as a whole: missing, twice, not a workbook
