"""The sample data reproduces the published July 2017 tables cell for cell, totals included."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from finlib.cli import main
from tests.conftest import REFERENCE, SAMPLE


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize(
    ("reference", "produced", "key"),
    [
        ("authority_2017_07.csv", "authority.csv", "row"),
        ("sacs_2017_07.csv", "directorates/strategic-corporate-services.csv", "heading"),
    ],
)
def test_every_cell_matches_the_published_table(tables: Path, reference: str, produced: str, key: str) -> None:
    expected = read(REFERENCE / reference)
    actual = read(tables / produced)
    assert [r[key] for r in actual] == [r[key] for r in expected], "rows and their order"
    compared = 0
    for want, got in zip(expected, actual, strict=True):
        for column, value in want.items():
            assert got[column] == value, f"{produced}: {want[key]!r}, {column}: {got[column]!r} != {value!r}"
            compared += 1
    assert compared == len(expected) * len(expected[0])


def test_the_sacs_row_of_the_authority_table_is_the_directorate_total(tables: Path) -> None:
    authority = {r["row"]: r for r in read(tables / "authority.csv")}
    total = read(tables / "directorates/strategic-corporate-services.csv")[-1]
    sacs = authority["Strategic & Corporate Services"]
    assert total["heading"] == "Total S&CS"
    assert (total["net_budget"], sacs["budget"]) == ("70197.5", "70.198")
    assert (total["revised_net_variance"], sacs["revised_net_variance"]) == ("222.5", "0.223")


def test_every_directorate_has_a_table(tables: Path) -> None:
    names = sorted(p.name for p in (tables / "directorates").iterdir())
    assert names == [
        "adult-social-care-health.csv",
        "children-young-people-education.csv",
        "growth-environment-transport.csv",
        "strategic-corporate-services.csv",
    ]
    for name in names:
        rows = read(tables / "directorates" / name)
        assert list(rows[0]) == [
            "heading",
            "kind",
            "net_budget",
            "net_forecast_variance",
            "cd_adjustment",
            "revised_net_variance",
            "last_reported",
            "movement",
        ]
        assert [r["kind"] for r in rows].count("total") == 1 and rows[-1]["kind"] == "total"


def test_asset_utilisation_split_matches_the_published_text() -> None:
    from finlib import monitor
    from finlib.core.revenue import tag_splits
    from finlib.money import prose

    position = monitor(SAMPLE, "2017-07").position
    (split,) = tag_splits(position, "Strategic & Corporate Services")
    assert split.tag == "Asset Utilisation"
    assert (prose(split.excluding), prose(split.tagged), prose(split.overall)) == (
        "\u2212£0.082m",
        "+£0.305m",
        "+£0.223m",
    )
