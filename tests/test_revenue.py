"""The revenue position: identities, roll-ups and blanks, on exact amounts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finlib.config import DataSet
from finlib.core.kinds import RollForward
from finlib.core.period import Period
from finlib.core.revenue import (
    AMOUNTS,
    Position,
    authority_table,
    compare,
    compute_position,
    directorate_table,
    directorates,
    short_name,
    tag_splits,
)
from finlib.core.settings import Labels
from finlib.inputs import load_period
from tests.factories import period_inputs

LABELS = Labels()


def july(tiny: DataSet, last: Position | None = None) -> Position:
    return compute_position(load_period(tiny, "2017-07"), last)


def test_line_position(tiny: DataSet) -> None:
    lines = july(tiny).lines
    assert lines.loc["A1", "net_forecast_variance"] == 1234
    assert lines.loc["A1", "cd_adjustment"] == -300  # two adjustment rows add up
    assert lines.loc["A1", "revised_net_variance"] == 934
    assert pd.isna(cast(Any, lines.loc["A2", "cd_adjustment"]))  # no row: blank, not zero
    assert lines.loc["A2", "revised_net_variance"] == -501
    assert lines["last_reported"].isna().all() and lines["movement"].isna().all()


def test_authority_table_rows_in_report_order(tiny: DataSet) -> None:
    table = authority_table(july(tiny), LABELS)
    assert list(zip(table["row"], table["kind"], strict=True)) == [
        ("Alpha Services - North", "line"),
        ("Alpha Services - South", "line"),
        ("Sub Total Alpha Services", "subtotal"),
        ("Beta & Gamma", "line"),
        ("Financing Items", "line"),
        ("TOTAL (excl Schools)", "total"),
        ("Schools (CYP&E Directorate)", "schools"),
        ("TOTAL", "grand_total"),
        ("Variance from above (excl schools)", "rollforward"),
        ("Roll forwards - committed", "rollforward"),
        ("- re-phased", "rollforward"),
        ("- bids", "rollforward"),
        ("Total roll forward requirements", "rollforward"),
        ("(-ve) Uncommitted balance / (+ve) Deficit", "balance"),
    ]


def test_authority_figures(tiny: DataSet) -> None:
    table = authority_table(july(tiny), LABELS).set_index("row")
    assert table.loc["Alpha Services - North", "cd_adjustment"] == -300
    assert pd.isna(cast(Any, table.loc["Beta & Gamma", "cd_adjustment"]))
    assert table.loc["TOTAL (excl Schools)", "revised_net_variance"] == 934 - 501 + 5 + 250 + 6000 - 2049
    assert table.loc["TOTAL", "revised_net_variance"] == 934 - 501 + 5 + 250 + 6000 - 2049 + 1100
    assert table.loc["Roll forwards - committed", "revised_net_variance"] == 400
    assert table.loc["- re-phased", "revised_net_variance"] == 0
    assert table.loc["Total roll forward requirements", "revised_net_variance"] == 550
    balance: Any = table.loc["(-ve) Uncommitted balance / (+ve) Deficit", "revised_net_variance"]
    assert balance == cast(Any, table.loc["TOTAL (excl Schools)", "revised_net_variance"]) + 550
    assert pd.isna(cast(Any, table.loc["- bids", "net_budget"]))


def test_directorate_table(tiny: DataSet) -> None:
    table = directorate_table(july(tiny), "Alpha Services")
    assert list(table["heading"]) == ["Roads", "Parks", "Total AS"]
    assert table.loc[0, "net_budget"] == 300000  # two lines share the heading
    assert table.loc[1, "cd_adjustment"] == 0  # the directorate table prints 0.0, not blank
    assert list(table["kind"]) == ["line", "line", "total"]
    assert directorates(july(tiny)) == ["Alpha Services", "Beta & Gamma"]


def test_tag_split(tiny: DataSet) -> None:
    (split,) = tag_splits(july(tiny), "Beta & Gamma")
    assert (split.tag, split.excluding, split.tagged, split.overall) == ("Asset Utilisation", 250, 6000, 6250)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Strategic & Corporate Services", "S&CS"),
        ("Children, Young People & Education", "CYP&E"),
        ("Growth, Environment & Transport", "GE&T"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


def test_last_reported_and_movement(tiny: DataSet) -> None:
    may = compute_position(load_period(tiny, "2017-05"))
    position = july(tiny, may)
    lines = position.lines
    assert (lines["movement"] == lines["revised_net_variance"] - lines["last_reported"]).all()
    assert lines.loc["A1", "last_reported"] == 1000
    table = authority_table(position, LABELS).set_index("row")
    # May had no roll-forward return: categories blank, total nil, movement from nil
    assert pd.isna(cast(Any, table.loc["Roll forwards - committed", "last_reported"]))
    assert table.loc["Roll forwards - committed", "movement"] == 400
    assert table.loc["Total roll forward requirements", "last_reported"] == 0


# ---------------------------------------------------------------------------
# Properties on random authorities

amounts = st.integers(min_value=-(10**11), max_value=10**11)


@st.composite
def positions(draw: st.DrawFn) -> Position:
    count = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for i in range(count):
        directorate = draw(st.sampled_from(["Alpha", "Beta", "Gamma"]))
        rows.append(
            {
                "line_id": f"L{i}",
                "directorate": directorate,
                "division": draw(st.sampled_from(["", "North", "South"])),
                "heading": draw(st.sampled_from(["H1", "H2", "H3"])),
                "kind": draw(st.sampled_from(["service", "service", "service", "financing", "schools"])),
                "tag": draw(st.sampled_from(["", "", "Asset Utilisation"])),
                "restricted": False,
                "net_budget": draw(amounts),
                "net_forecast_variance": draw(amounts),
                "cd_adjustment": draw(st.one_of(st.none(), amounts)),
                "last": draw(amounts),
            }
        )
    frame = pd.DataFrame(rows).set_index("line_id")
    for column in ("net_budget", "net_forecast_variance", "cd_adjustment", "last"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    adjusted = frame["cd_adjustment"].dropna()
    inputs = period_inputs(frame, adjustment_rows=[(str(i), int(v)) for i, v in adjusted.items()])
    last_lines = frame[[]].assign(revised_net_variance=frame["last"])
    last_roll_forwards = draw(st.one_of(st.none(), st.just({"committed": 5, "re-phased": 0, "bids": 7})))
    last = Position(Period(2017, 5), last_lines, cast("Mapping[RollForward, int] | None", last_roll_forwards))
    return compute_position(inputs, last)


@settings(max_examples=60, deadline=None)
@given(positions())
def test_identities_hold_on_every_row(position: Position) -> None:
    lines = position.lines
    assert (lines["revised_net_variance"] == lines["net_forecast_variance"] + lines["cd_adjustment"].fillna(0)).all()
    tables = [authority_table(position, LABELS)] + [directorate_table(position, d) for d in directorates(position)]
    for table in tables:
        rows = table[table["kind"] != "rollforward"]
        rows = rows[rows["kind"] != "balance"]
        adjustment = rows["cd_adjustment"].fillna(0)
        assert (rows["revised_net_variance"] == rows["net_forecast_variance"] + adjustment).all()
        assert (rows["movement"] == rows["revised_net_variance"] - rows["last_reported"]).all()


@settings(max_examples=60, deadline=None)
@given(positions())
def test_parents_equal_the_sum_of_their_children(position: Position) -> None:
    table = authority_table(position, LABELS)
    lines = position.lines
    by_kind = table.set_index("row")
    for column in ("net_budget", "net_forecast_variance", "revised_net_variance", "last_reported"):
        parts = table.loc[table["kind"] == "line", column].sum()
        headline: Any = by_kind.loc["TOTAL (excl Schools)", column]
        assert headline == parts == lines.loc[lines["kind"] != "schools", column].sum()
        if (lines["kind"] == "schools").any():
            assert by_kind.loc["TOTAL", column] == headline + by_kind.loc["Schools (CYP&E Directorate)", column]
        subtotals = table[table["kind"] == "subtotal"]
        for label, value in zip(subtotals["row"], subtotals[column], strict=True):
            directorate = label.removeprefix("Sub Total ")
            mask = (lines["directorate"] == directorate) & (lines["kind"] == "service")
            assert value == lines.loc[mask, column].sum()
    for directorate in directorates(position):
        dtable = directorate_table(position, directorate)
        for column in AMOUNTS:
            assert dtable[column].iloc[-1] == dtable[column].iloc[:-1].sum()
        for split in tag_splits(position, directorate):
            assert split.excluding + split.tagged == split.overall == dtable["revised_net_variance"].iloc[-1]


@settings(max_examples=30, deadline=None)
@given(positions())
def test_balance_adds_roll_forwards_to_the_variance(position: Position) -> None:
    table = authority_table(position, LABELS).set_index("row")
    rf = sum((position.roll_forwards or {}).values())
    balance = table.loc["(-ve) Uncommitted balance / (+ve) Deficit"]
    assert balance["revised_net_variance"] == cast(Any, table.loc["TOTAL (excl Schools)", "revised_net_variance"]) + rf
    assert position.last is not None
    last_rf = sum((position.last.roll_forwards or {}).values())
    assert balance["last_reported"] == cast(Any, table.loc["TOTAL (excl Schools)", "last_reported"]) + last_rf


def test_compare_without_last_leaves_blanks(tiny: DataSet) -> None:
    position = compare(july(tiny), None)
    table = authority_table(position, LABELS)
    assert table["last_reported"].isna().all() and table["movement"].isna().all()


# ---------------------------------------------------------------------------
# Each rule's edges (cases found by mutation testing: make mutate)


def test_forecasts_in_another_order_than_the_budget_book_are_matched_by_line(tiny: DataSet) -> None:
    forecasts = tiny.root / "2017-18" / "2017-07" / "forecasts.csv"
    header, *rows = forecasts.read_text(encoding="utf-8").splitlines()
    forecasts.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    lines = july(tiny).lines
    assert list(lines.index) == ["A1", "A2", "A3", "B1", "B2", "F1", "S1"]  # budget book order
    assert lines.loc["A1", "net_budget"] == 100000 and lines.loc["S1", "net_forecast_variance"] == 800
    assert lines.loc["A1", "cd_adjustment"] == -300


def test_amounts_are_nullable_pence_and_the_period_is_kept(tiny: DataSet) -> None:
    position = july(tiny)
    assert position.period == Period(2017, 7)
    assert {str(position.lines[c].dtype) for c in AMOUNTS} == {"Int64"}
    compared = compare(position, None)
    assert str(compared.lines["last_reported"].dtype) == "Int64" and compared.lines["last_reported"].isna().all()
    may = compute_position(load_period(tiny, "2017-05"))
    assert str(compare(position, may).lines["last_reported"].dtype) == "Int64"


def test_roll_ups_over_other_columns(tiny: DataSet) -> None:
    from finlib.core.revenue import authority_rollup, directorate_rollup

    lines = july(tiny).lines.assign(ytd=pd.array([1, 2, 3, 4, 5, 6, 7], dtype="Int64"))
    authority = authority_rollup(lines, LABELS, ["ytd"])
    assert list(authority.columns) == ["row", "kind", "ytd"]
    assert list(authority["row"]) == [
        "Alpha Services - North",
        "Alpha Services - South",
        "Sub Total Alpha Services",
        "Beta & Gamma",
        "Financing Items",
        "TOTAL (excl Schools)",
        "Schools (CYP&E Directorate)",
        "TOTAL",
    ]
    assert list(authority["ytd"]) == [3, 3, 6, 9, 6, 21, 7, 28]
    directorate = directorate_rollup(lines, "Alpha Services", ["ytd"])
    assert list(directorate.columns) == ["heading", "kind", "ytd"]
    assert list(directorate["ytd"]) == [3, 3, 6]
    with pytest.raises(KeyError, match="no service lines for directorate 'Nobody'"):
        directorate_rollup(lines, "Nobody", ["ytd"])


def test_roll_forwards_last_reported_and_a_period_without_a_return(tiny: DataSet) -> None:
    reported = {RollForward.COMMITTED: 300, RollForward.REPHASED: 0, RollForward.BIDS: 50}
    last = Position(Period(2017, 5), july(tiny).lines, reported)
    position = compare(july(tiny), last)
    table = authority_table(position, LABELS).set_index("row")
    assert table.loc["Roll forwards - committed", "last_reported"] == 300
    assert table.loc["Roll forwards - committed", "movement"] == 400 - 300
    assert table.loc["- bids", "last_reported"] == 50
    # no roll-forward return this period: the categories are blank, their movement is from what was reported
    without = compare(Position(Period(2017, 7), july(tiny).lines, None), last)
    rows = authority_table(without, LABELS).set_index("row")
    committed: Any = rows.loc["Roll forwards - committed", "revised_net_variance"]
    assert pd.isna(committed)
    assert rows.loc["Roll forwards - committed", "movement"] == -300
    assert rows.loc["Total roll forward requirements", "movement"] == -350


def test_a_tag_split_names_its_directorate(tiny: DataSet) -> None:
    (split,) = tag_splits(july(tiny), "Beta & Gamma")
    assert (split.directorate, split.tag, split.tagged) == ("Beta & Gamma", "Asset Utilisation", 6000)
