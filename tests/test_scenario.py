"""What-if scenarios: balances, stated amounts, the resulting position, the scenario file and the command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finlib.cli import main
from finlib.config import DataSet
from finlib.core import scenario
from finlib.core.settings import Labels
from finlib.core.stage import Monitoring
from finlib.errors import InputError
from finlib.explorer import gather_scenario
from finlib.inputs import read_scenario as load_scenario
from finlib.money import MILLIONS
from finlib.monitoring import monitor
from tests.conftest import SAMPLE, TINY, write_tree

HEADER = "label,kind,directorate,division,heading,amount\n"
WHAT_IF = HEADER + (
    "Alpha balances,balances,Alpha Services,,,\n"
    "North balances too,balances,Alpha Services,North,,\n"
    "Grant received,amount,,,,-10.00\n"
    "Libraries balance,balances,,,Libraries,\n"
)


@pytest.fixture(scope="module")
def tiny_july(tmp_path_factory: pytest.TempPathFactory) -> Monitoring:
    """The tiny authority's July position (read once: the tests do not change it)."""
    return monitor(write_tree(tmp_path_factory.mktemp("tiny"), TINY), "2017-07")


def assumptions(text: str, book: pd.DataFrame, tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "scenario.csv"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path, book)


def test_balances_and_stated_amounts(tiny_july: Monitoring, tmp_path: Path) -> None:
    # July: revised A1 9.34, A2 −5.01, A3 0.05, B1 2.50, B2 60.00, F1 −20.49 (S1 is schools); roll forwards 5.50
    result = scenario.apply(tiny_july.position, Labels(), assumptions(WHAT_IF, tiny_july.position.lines, tmp_path))
    assert result.start == 934 - 501 + 5 + 250 + 6000 - 2049 + 550
    assert list(result.steps["effect"]) == [-(934 - 501 + 5), 0, -1000, -(250 + 6000)]
    assert list(result.steps["lines"]) == [4, 2, 0, 2]
    assert result.end == result.start + int(result.steps["effect"].sum()) == -2499
    table = result.table
    assert list(table["row"]) == [
        "Position after CD adjustments and roll forwards",
        "Alpha balances",
        "North balances too",
        "Grant received",
        "Libraries balance",
        "Resulting position",
    ]
    assert list(table["amount"]) == [5189, -438, 0, -1000, -6250, -2499]


def test_a_unit_that_balances_has_a_revised_variance_of_nil(tiny_july: Monitoring, tmp_path: Path) -> None:
    book = tiny_july.position.lines
    result = scenario.apply(
        tiny_july.position,
        Labels(),
        assumptions(HEADER + "Parks,balances,Alpha Services,South,Parks,\n", book, tmp_path),
    )
    lines = tiny_july.position.lines
    assert result.steps["effect"].iloc[0] == -int(cast(Any, lines.at["A3", "revised_net_variance"]))
    schools_only = HEADER + "Schools,balances,,,Schools' Delegated Budgets,\n"
    result = scenario.apply(tiny_july.position, Labels(), assumptions(schools_only, book, tmp_path))
    assert result.steps["effect"].iloc[0] == 0  # the position excludes schools


SELECTIONS = [
    ("Alpha Services", "", ""),
    ("Alpha Services", "North", ""),
    ("", "", "Roads"),
    ("Beta & Gamma", "", "Libraries"),
    ("Financing Items", "", ""),
    ("", "", "Parks"),
]


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.booleans(), st.sampled_from(SELECTIONS), st.integers(-(10**9), 10**9)), min_size=1, max_size=6
    )
)
def test_property_resulting_position_is_start_plus_effects(
    tiny_july: Monitoring, steps: list[tuple[bool, tuple[str, str, str], int]]
) -> None:
    july = tiny_july
    rows: list[dict[str, Any]] = [
        {
            "label": f"step {n}",
            "kind": "balances" if balances else "amount",
            "directorate": unit[0],
            "division": unit[1],
            "heading": unit[2],
            "amount": pd.NA if balances else pence,
        }
        for n, (balances, unit, pence) in enumerate(steps)
    ]
    result = scenario.apply(july.position, Labels(), pd.DataFrame(rows))
    assert result.end == result.start + int(result.steps["effect"].sum())
    lines = july.position.lines
    balanced = pd.Series(False, index=lines.index)
    for row in rows:
        if row["kind"] == "balances":
            balanced |= scenario.selected(lines, pd.Series(row))
    counted = lines["kind"] != "schools"
    stated = sum(int(row["amount"]) for row in rows if row["kind"] == "amount")
    removed = int(lines.loc[balanced & counted, "revised_net_variance"].sum())
    assert result.end == result.start - removed + stated


def test_the_sample_scenario_mirrors_september_2016_17() -> None:
    result = gather_scenario(DataSet(SAMPLE), monitor(SAMPLE, "2017-07"), "what-if")
    assert result is not None
    printed = [MILLIONS.text(int(v)) for v in result.table.frame["amount"]]
    assert printed == ["10.993", "-1.102", "-3.900", "-2.535", "3.456"]
    assert [note.split(":")[1].split("(")[0].strip() for note in result.notes] == [
        "balances",
        "a stated amount",
        "balances",
    ]


BAD = [
    ("unknown kind", "Hope,sometimes,Alpha Services,,,\n", [(2, "kind", "sometimes")]),
    ("balances with an amount", "Alpha,balances,Alpha Services,,,5.00\n", [(2, "amount", "5.00")]),
    ("amount without one", "Grant,amount,,,,\n", [(2, "amount", "")]),
    ("bad amount", "Grant,amount,,,,1.2.3\n", [(2, "amount", "1.2.3")]),
    ("unknown directorate", "X,balances,Finance Department,,,\n", [(2, "directorate", "Finance Department")]),
    ("division of another directorate", "X,balances,Beta & Gamma,North,,\n", [(2, "division", "North")]),
    ("balances of nothing", "X,balances,,,,\n", [(2, "directorate", "")]),
    ("the same label twice", "X,amount,,,,1\nX,amount,,,,2\n", [(2, "label", "X"), (3, "label", "X")]),
]


@pytest.mark.parametrize(("case", "rows", "expected"), BAD, ids=[c[0] for c in BAD])
def test_bad_scenario_file_lists_every_problem_with_file_row_and_column(
    tiny_july: Monitoring, tmp_path: Path, case: str, rows: str, expected: list[tuple[int, str, str]]
) -> None:
    with pytest.raises(InputError) as raised:
        assumptions(HEADER + rows, tiny_july.position.lines, tmp_path)
    problems = raised.value.problems
    assert [(p.row, p.column, p.found) for p in problems] == expected, str(raised.value)
    assert all(p.file.endswith("scenario.csv") for p in problems)
    if case == "division of another directorate":
        assert "a division of budget_book.csv of Beta & Gamma" in str(problems[0])


def test_missing_column_and_missing_file(tiny_july: Monitoring, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="row 1, column kind: found 'no such column'"):
        assumptions("label,directorate,amount\nX,Alpha Services,1\n", tiny_july.position.lines, tmp_path)
    with pytest.raises(InputError, match="found 'no such file'"):
        load_scenario(tmp_path / "none.csv", tiny_july.position.lines)


def test_scenario_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    args = ["scenario", "--data", str(SAMPLE), "--period", "2017-07", "--scenario", "what-if", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Position after CD adjustments and roll forwards      10.993" in printed
    assert "Resulting position" in printed and "3.456" in printed
    written = (out / "scenario.csv").read_text()
    assert "Home Office funding offsets the Asylum pressure,line,-3.900" in written
    page = (out / "scenario.html").read_text()
    assert re.search(r'<caption id="[\w-]+">What-if scenario, July 2017-18 \(£m\)</caption>', page)
    assert 'lang="en"' in page
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "GET,balances,Growth,,,\n", encoding="utf-8")
    assert main([*args[:-2], "--scenario", str(bad)]) == 2
    assert "bad.csv, row 2, column directorate: found 'Growth'" in capsys.readouterr().err
