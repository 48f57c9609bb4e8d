"""Across the year boundary: last year's headings restated on this year's exactly, and the year to date
against the budget profiled on last year's spending."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from finlib import monitoring
from finlib.config import DataSet
from finlib.core.restate import Mapped, restate, split_exactly
from tests.conftest import SAMPLE


@given(st.integers(-(10**12), 10**12), st.lists(st.integers(1, 1000), min_size=1, max_size=7))
def test_a_split_heading_adds_up_to_the_whole_exactly(pence: int, weights: list[int]) -> None:
    shares = [Fraction(w, sum(weights)) for w in weights]
    parts = split_exactly(pence, shares)
    assert sum(parts) == pence
    assert all(abs(part - pence * share) < 1 for part, share in zip(parts, shares, strict=True))


@given(st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), st.integers(-(10**10), 10**10), min_size=1))
def test_restating_keeps_the_total(amounts: dict[str, int]) -> None:
    mapping = [Mapped("A", "X", Fraction(1, 3)), Mapped("A", "Y", Fraction(2, 3)), Mapped("B", "X", Fraction(1))]
    restated = restate(amounts, mapping)
    assert sum(restated.values()) == sum(amounts.values())
    assert set(restated) <= {"X", "Y", "C", "D"}


def pence(text: str) -> int:
    return int(Decimal(text) * 100)


def test_the_prior_year_outturn_follows_the_heading_map() -> None:
    prior = monitoring.monitor(SAMPLE, "2017-07").prior
    assert prior is not None
    with (SAMPLE / "published/2016-17/2017-03/v1/position.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    outturn: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["kind"] == "service":
            outturn[row["heading"]] += pence(row["net_budget"]) + pence(row["revised_net_variance"] or "0")
    spr = outturn["Strategy, Policy, Relationships & Corporate Assurance"]
    assert prior["Finance"] == outturn["Finance & Procurement"]
    assert prior["Strategic Commissioning"] + prior["Other Support to Front Line Services"] == (
        spr + outturn["Governance & Law"]
    )
    assert abs(prior["Strategic Commissioning"] - spr * Fraction(3, 4)) < 1
    total_now = sum(v for h, v in prior.items())
    assert total_now == sum(outturn.values())


def test_the_year_to_date_budget_follows_last_years_spending() -> None:
    ytd = monitoring.monitor(SAMPLE, "2017-07").ytd
    assert ytd is not None and str(ytd.through) == "2017-07"
    with (SAMPLE / "2017-18/cost_centres.csv").open(encoding="utf-8") as handle:
        centres = {r["cost_centre"] for r in csv.DictReader(handle) if r["line_id"] == "SCS-EOD-01"}
    months: dict[str, int] = defaultdict(int)
    with (SAMPLE / "2016-17/ledger.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cost_centre"] in centres:
                months[row["period"]] += pence(row["amount"])
    share = Fraction(sum(months[p] for p in ("2016-04", "2016-05", "2016-06", "2016-07")), sum(months.values()))
    with (SAMPLE / "2017-18/2017-07/forecasts.csv").open(encoding="utf-8") as handle:
        budget = next(pence(r["net_budget"]) for r in csv.DictReader(handle) if r["line_id"] == "SCS-EOD-01")
    line = ytd.lines.loc["SCS-EOD-01"]
    assert line["basis"] == "last year"
    assert abs(int(str(line["profiled"])) - budget * share) <= Fraction(1, 2)


def test_a_year_with_no_ledger_before_it_profiles_evenly() -> None:
    ytd = monitoring.monitor(DataSet(SAMPLE), "2016-09").ytd
    assert ytd is not None and set(ytd.lines["basis"]) == {"even"}


def test_a_years_first_report_can_compare_with_last_years_outturn(tmp_path: Path) -> None:
    import shutil

    from finlib.core.revenue import directorate_table

    data = tmp_path / "sample"
    shutil.copytree(SAMPLE, data)
    with (data / "authority.yaml").open("a", encoding="utf-8") as settings:
        settings.write("year_start_last_reported: outturn\n")
    may = monitoring.monitor(data, "2017-05")
    assert may.last_period is not None and str(may.last_period) == "2017-03"
    with (SAMPLE / "published/2016-17/2017-03/v1/position.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["directorate"] == "Strategic & Corporate Services"]
    table = directorate_table(may.position, "Strategic & Corporate Services").set_index("heading")
    finance = sum(pence(r["revised_net_variance"]) for r in rows if r["heading"] == "Finance & Procurement")
    assert table.loc["Finance", "last_reported"] == finance
    assert table.iloc[-1]["last_reported"] == sum(pence(r["revised_net_variance"]) for r in rows)
    assert monitoring.monitor(SAMPLE, "2017-05").last_period is None  # the sample's setting: blank
