"""Budget changes: virements net to nil, budgets reconcile exactly, the year's changes are gathered from
every period since the last report, and an outturn's approved roll forwards become next year's changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finlib import monitoring, store
from finlib.config import DataSet
from finlib.core.budget import change_kind, changes_frame, line_changes, mismatches, reconcile
from finlib.core.kinds import Change
from finlib.core.period import FinancialYear, Period
from finlib.core.records import Records
from finlib.errors import InputError
from finlib.inputs import catalogue
from finlib.report import build_report
from tests.conftest import TINY, write_tree
from tests.factories import sign_off_every_directorate

LINES = pd.Index([f"L{i}" for i in range(6)], name="line_id")
pence = st.integers(min_value=1, max_value=10**11)
line = st.sampled_from(list(LINES))


def changes(rows: list[tuple[str, str, int]]) -> Records:
    frame = pd.DataFrame(
        {
            "period": "2017-07",
            "change": [change_kind(a, b).value for a, b, _ in rows],
            "from_line_id": [a for a, _, _ in rows],
            "to_line_id": [b for _, b, _ in rows],
            "amount": pd.array([v for _, _, v in rows], dtype="Int64"),
            "reason": "r",
            "approved_by": "Cabinet",
            "date": "2017-07-01",
            "_row": list(range(2, len(rows) + 2)),
        }
    )
    return Records(changes_frame([frame]), catalogue.VIREMENTS.exempt)


virement = st.tuples(line, line, pence).filter(lambda r: r[0] != r[1])
side = st.one_of(st.tuples(st.just(""), line, pence), st.tuples(line, st.just(""), pence))


@given(st.lists(virement, max_size=12))
def test_virements_net_to_nil_across_lines(rows: list[tuple[str, str, int]]) -> None:
    moved = line_changes(changes(rows).frame, LINES)
    assert int(moved.sum()) == 0


@given(st.lists(st.one_of(virement, side), max_size=12), st.lists(pence, min_size=6, max_size=6))
def test_budget_at_last_report_plus_changes_is_budget_now_exactly(
    rows: list[tuple[str, str, int]], bases: list[int]
) -> None:
    base = pd.Series(pd.array(bases, dtype="Int64"), index=LINES)
    given_changes = changes(rows)
    now = base + line_changes(given_changes.frame, LINES)
    budget = reconcile(base, given_changes, now, None)
    assert mismatches(budget) == []
    assert (budget.lines["base_budget"] + budget.lines["budget_changes"] == budget.lines["net_budget"]).all()
    one_sided = sum(v if not a else -v for a, b, v in rows if not (a and b))
    assert int(budget.lines["net_budget"].sum()) - int(base.sum()) == one_sided


@settings(max_examples=50)
@given(st.lists(st.one_of(virement, side), max_size=8), line, st.integers(-(10**9), 10**9).filter(bool))
def test_any_other_change_is_one_mismatch_of_exactly_the_difference(
    rows: list[tuple[str, str, int]], wrong: str, difference: int
) -> None:
    base = pd.Series(10**8, index=LINES, dtype="Int64")
    given_changes = changes(rows)
    now = base + line_changes(given_changes.frame, LINES)
    now[wrong] += difference
    found = mismatches(reconcile(base, given_changes, now, None))
    assert [(m.line_id, m.difference) for m in found] == [(wrong, difference)]


def test_what_a_change_is_follows_its_sides() -> None:
    assert change_kind("A", "B") == Change.VIREMENT
    assert change_kind("", "B") == Change.FUNDING
    assert change_kind("A", "") == Change.REDUCTION


# ---------------------------------------------------------------------------
# Gathered from the data set

VIREMENT_HEADER = "from_line_id,to_line_id,amount,reason,approved_by,date\n"
JULY_CHANGED = (
    "line_id,net_budget,net_forecast_variance\n"
    "A1,900.00,12.34\nA2,2100.00,(5.01)\nA3,530.00,0.05\nB1,-300,2.5\nB2,0,60\nF1,690,-20.49\nS1,0,8\n"
)


@pytest.fixture
def changed(tmp_path: Path) -> DataSet:
    """The tiny data set with May published and budgets changed in June (a folder holding only its
    virements) and July."""
    data = write_tree(
        tmp_path / "tiny",
        {
            **TINY,
            "2017-18/2017-07/forecasts.csv": JULY_CHANGED,
            "2017-18/2017-06/virements.csv": VIREMENT_HEADER + "A1,A2,100,Roads teams merged,Cabinet,2017-06-19\n",
            "2017-18/2017-07/virements.csv": VIREMENT_HEADER
            + ",A3,30,Parks grant,Director A,2017-07-03\nF1,,10,Lower interest,Director A,2017-07-04\n",
        },
    )
    sign_off_every_directorate(data, "2017-05")
    monitoring.publish(data, "2017-05")
    return data


def test_the_changes_of_every_period_since_the_last_report_reconcile(changed: DataSet) -> None:
    budget = monitoring.monitor(changed, "2017-07").budget
    assert budget is not None and budget.since is not None and str(budget.since) == "2017-05"
    assert list(budget.changes.frame["period"]) == ["2017-06", "2017-07", "2017-07"]
    assert budget.lines.loc["A1", "virement"] == -10000 and budget.lines.loc["A2", "virement"] == 10000
    assert budget.lines.loc["A3", Change.FUNDING.value] == 3000
    assert budget.lines.loc["F1", Change.REDUCTION.value] == -1000


def test_the_report_shows_the_reconciliation_and_asks_to_agree_the_changes(changed: DataSet) -> None:
    report = build_report(monitoring.monitor(changed, "2017-07"))
    assert report.budget is not None
    table = report.budget.table.frame.set_index("directorate")
    assert table.loc["Total", "base_budget"] == 390000 and table.loc["Total", "net_budget"] == 392000
    assert table.loc["Alpha Services", "virements"] == 0  # a virement within the directorate
    assert report.budget.paragraph.startswith("The net budget has risen from £0.004m at the last report (May")
    assert len(report.budget.changes.frame) == 3
    assert report.paper is not None
    assert any("agree the budget changes" in r for r in report.paper.recommendations)


def test_a_budget_change_that_no_virement_explains_is_refused(changed: DataSet) -> None:
    path = changed.root / "2017-18/2017-06/virements.csv"
    path.write_text(VIREMENT_HEADER + "A1,A2,90,Roads teams merged,Cabinet,2017-06-19\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        monitoring.monitor(changed, "2017-07")
    text = str(raised.value)
    assert "forecasts.csv, row 2, column net_budget" in text
    assert "a difference of −£10.00" in text and "row 3, column net_budget" in text


# ---------------------------------------------------------------------------
# The outturn and the year boundary

NEXT_BOOK = (
    "line_id,directorate,division,heading,kind,tag,original_budget\n"
    "A1,Alpha Services,North,Roads,service,,1000.00\nA2,Alpha Services,North,Roads,service,,2000.00\n"
    "A3,Alpha Services,South,Parks,service,,500.00\nB1,Beta & Gamma,,Libraries,service,,-300.00\n"
    "B2,Beta & Gamma,,Libraries,service,Asset Utilisation,0\nF1,Financing Items,,Debt charges,financing,,700.00\n"
    "S1,Alpha Services,,Schools' Delegated Budgets,schools,,0\n"
)
APRIL = (
    "line_id,net_budget,net_forecast_variance\n"
    "A1,1000.00,0\nA2,2000.00,0\nA3,504.00,0\nB1,-300,0\nB2,0,0\nF1,700,0\nS1,1.50,0\n"
)


@pytest.fixture
def year_end(tmp_path: Path) -> DataSet:
    """The tiny data set with 2017-18's outturn published (two roll forward requests) and 2018-19's
    April, whose budgets are the original budget plus the roll forwards carried."""
    data = write_tree(
        tmp_path / "tiny",
        {
            **TINY,
            "2017-18/2018-03/period.yaml": "kind: outturn\n",
            "2017-18/2018-03/forecasts.csv": TINY["2017-18/2017-07/forecasts.csv"],
            "2017-18/2018-03/roll_forwards.csv": (
                "category,amount,description,line_id,to_line_id\n"
                "committed,4.00,Grant carried forward,A3,\nbids,1.50,School kitchen,A1,S1\n"
            ),
            "2018-19/budget_book.csv": NEXT_BOOK,
            "2018-19/2018-04/forecasts.csv": APRIL,
        },
    )
    sign_off_every_directorate(data, "2018-03")
    monitoring.publish(data, "2018-03")
    return data


def test_the_outturn_report_puts_the_roll_forward_requests_for_approval(year_end: DataSet) -> None:
    report = build_report(monitoring.monitor(year_end, "2018-03"))
    assert report.outturn and report.title.startswith("Revenue and capital outturn")
    assert report.requests is not None and report.requests.total == 550
    assert list(report.requests.table.frame["category"]) == ["Committed", "Bids", "Total"]
    assert report.requests.table.frame["amount"].iloc[-1] == 550
    assert report.requests.paragraph == (
        "2 roll forward requests totalling £0.000m are put for approval, to be added to the 2018-19 budgets."
    )
    assert "at outturn" in report.authority.headline and "forecasting" not in report.authority.headline
    headings = [c.heading for c in report.authority.table.columns]
    assert "Net Outturn Variance" in headings and "Net Forecast Variance" not in headings
    assert report.paper is not None
    assert any(r.startswith("approve the roll forward requests") for r in report.paper.recommendations)


def test_the_approved_roll_forwards_are_next_years_budget_changes(year_end: DataSet) -> None:
    assert store.outturn_requests(year_end, FinancialYear(2017)) is not None
    budget = monitoring.monitor(year_end, "2018-04").budget
    assert budget is not None and budget.since is None
    carried = budget.changes.frame
    assert list(carried["to_line_id"]) == ["A3", "S1"] and list(carried["change"]) == ["roll forward"] * 2
    assert budget.lines.loc["A3", "roll forward"] == 400 and budget.lines.loc["S1", "roll forward"] == 150
    published = store.manifest(year_end, Period(2018, 3)).published_at[:10]
    assert set(carried["date"]) == {published}  # approved with the outturn
    report = build_report(monitoring.monitor(year_end, "2018-04"))
    assert report.budget is not None and "as originally approved" in report.budget.paragraph


def test_a_roll_forward_left_out_of_next_years_budget_is_named(year_end: DataSet) -> None:
    (year_end.root / "2018-19/2018-04/forecasts.csv").write_text(APRIL.replace("A3,504.00", "A3,500.00"))
    with pytest.raises(InputError) as raised:
        monitoring.monitor(year_end, "2018-04")
    assert "row 4, column net_budget" in str(raised.value)
    assert "the original budget of budget_book.csv was £500.00, with +£4.00 of budget changes" in str(raised.value)
