"""Performance indicators: RAG against target and floor, direction of travel, activity alerts and the
counts' sentences (finlib.core.kpi), on values as printed, compared as exact decimals; and the golden
check against the published Strategic & Corporate Services dashboard of July 2017."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finlib.config import DataSet
from finlib.core import kpi
from finlib.core.kpi import Alert, Counts, Direction, Rag
from finlib.core.period import Period
from finlib.errors import Problems
from finlib.inputs.kpi import Dashboard, read_dashboard
from tests.conftest import REFERENCE, SAMPLE

SACS = "Strategic & Corporate Services"
ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def july() -> Dashboard:
    problems = Problems()
    dashboard = read_dashboard(DataSet(SAMPLE), Period.parse("2017-07"), None, problems)
    assert not problems, list(problems)
    assert dashboard is not None and dashboard.previous_period == Period.parse("2017-05")
    return dashboard


def test_every_published_rating_of_the_sacs_dashboard(july: Dashboard) -> None:
    rated = {r.indicator.ref: r for r in july.rated() if r.indicator.directorate == SACS}
    published = read(REFERENCE / "kpi_sacs_2017_07.csv")
    assert len(published) == 26
    for row in published:
        ours = rated[row["ref"]]
        assert ours.result.latest is not None and ours.result.latest.text == row["latest"], row["ref"]
        assert (ours.rag, ours.direction) == (Rag(row["latest_rag"]), Direction(row["dot"])), row["ref"]
        assert (ours.ytd_rag.value if ours.ytd_rag else "") == row["ytd_rag"], row["ref"]
        assert ours.ytd_text == row["year_to_date_or_previous_forecast"], row["ref"]


def test_every_published_activity_alert(july: Dashboard) -> None:
    rated = {r.indicator.ref: r for r in july.rated() if r.indicator.directorate == SACS}
    published = read(REFERENCE / "kpi_activity_sacs_2017_07.csv")
    assert len(published) == 18
    for row in published:
        ours = rated[row["ref"]]
        assert ours.rag is None and ours.direction is None, row["ref"]
        assert (ours.alert.value if ours.alert else "") == row["in_expected_range"], row["ref"]


def test_the_covering_papers_counts_in_its_words(july: Dashboard) -> None:
    kpis = [r for r in july.rated() if r.indicator.directorate == SACS and r.indicator.kind == "kpi"]
    counts = kpi.counts(kpis)
    assert kpi.rag_sentence(counts) == (
        "Latest month performance is reported as Green for 21 indicators, Amber for 4 indicators, with 1 indicator Red"
    )
    assert kpi.direction_sentence(counts) == (
        "Direction of Travel for the latest results shows 14 KPIs improving, 6 stable and 4 indicators showing "
        "lower results, with two new indicators where previous results are not available"
    )


def test_printed_values_are_exact_decimals() -> None:
    icts = kpi.parse_value("99.8%", "%"), kpi.parse_value("99.5%", "%"), kpi.parse_value("99.80%", "%")
    assert icts[0] is not None and icts[1] is not None and icts[2] is not None
    assert icts[0].number > icts[1].number and icts[0].number == icts[2].number == Decimal("99.8")
    assert kpi.rag(icts[1].number, icts[0].number, Decimal(99)) == Rag.AMBER  # ICT03's year to date
    assert kpi.parse_value("1,778", "number") == kpi.Value(Decimal(1778), "1,778")
    assert kpi.parse_value("£23,445", "£000") == kpi.Value(Decimal(23445), "£23,445")
    assert kpi.parse_value("N/a", "%") is None and kpi.parse_value("New", "number") is None
    for text, unit in (("97", "%"), ("97%", "number"), ("1,77,8", "number"), ("12 34", "number"), ("1e3", "number")):
        with pytest.raises(ValueError):
            kpi.parse_value(text, unit)


@given(decimals, decimals, decimals, decimals)
def test_rag_is_monotone_in_the_result_for_each_polarity(a: Decimal, b: Decimal, t: Decimal, f: Decimal) -> None:
    low, high = sorted((a, b))
    if kpi.lower_is_better(t, f):
        assert ORDER[kpi.rag(low, t, f)] >= ORDER[kpi.rag(high, t, f)]
    else:
        assert ORDER[kpi.rag(low, t, f)] <= ORDER[kpi.rag(high, t, f)]


@given(decimals, decimals, decimals, st.one_of(st.none(), decimals))
def test_negating_every_value_turns_the_polarity_and_nothing_else(
    r: Decimal, t: Decimal, f: Decimal, previous: Decimal | None
) -> None:
    if t == f:
        return  # one value for both: no polarity to turn
    assert kpi.rag(-r, -t, -f) == kpi.rag(r, t, f)
    lower = kpi.lower_is_better(t, f)
    assert kpi.lower_is_better(-t, -f) is not lower
    turned = -previous if previous is not None else None
    assert kpi.direction(-r, turned, not lower) == kpi.direction(r, previous, lower)


@given(decimals, decimals)
def test_bounds_are_inclusive(x: Decimal, y: Decimal) -> None:
    low, high = sorted((x, y))
    assert kpi.alert(low, low, high) == kpi.alert(high, low, high) == Alert.WITHIN
    if low != high:
        # higher is better with the target high and the floor low; lower is better the other way round
        assert kpi.rag(high, high, low) == Rag.GREEN and kpi.rag(low, high, low) == Rag.AMBER
        assert kpi.rag(low, low, high) == Rag.GREEN and kpi.rag(high, low, high) == Rag.AMBER


def test_alerts_and_directions() -> None:
    assert kpi.alert(Decimal("196.4"), Decimal("177.6"), Decimal("196.3")) == Alert.ABOVE
    assert kpi.alert(Decimal("177.5"), Decimal("177.6"), Decimal("196.3")) == Alert.BELOW
    assert kpi.alert(Decimal(5), None, None) is None
    assert (
        kpi.alert(Decimal(5), Decimal(6), None) == Alert.BELOW
        and kpi.alert(Decimal(7), None, Decimal(6)) == Alert.ABOVE
    )
    assert kpi.direction(Decimal(24), Decimal(23), lower_better=True) == Direction.FALLEN  # PI01
    assert kpi.direction(Decimal(49), Decimal(50), lower_better=True) == Direction.IMPROVED  # FN09
    assert kpi.direction(Decimal(5), None, lower_better=False) == Direction.NEW


@pytest.mark.parametrize(
    ("counts", "rags", "directions"),
    [
        (
            Counts(green=1, improved=1),
            "Latest month performance is reported as Green for 1 indicator",
            "Direction of Travel for the latest results shows 1 KPI improving",
        ),
        (
            Counts(green=3, amber=2, unchanged=4, fallen=1),
            "Latest month performance is reported as Green for 3 indicators and Amber for 2 indicators",
            "Direction of Travel for the latest results shows 4 stable and 1 indicator showing lower results",
        ),
        (
            Counts(red=2, new=2),
            "Latest month performance is reported as Red for 2 indicators",
            "Direction of Travel is not yet shown: two new indicators",
        ),
        (
            Counts(green=1, red=1, improved=1, new=1),
            "Latest month performance is reported as Green for 1 indicator, with 1 indicator Red",
            "Direction of Travel for the latest results shows 1 KPI improving, with one new indicator where previous "
            "results are not available",
        ),
        (Counts(), "No indicator has a latest month result to report", "No indicator has a direction of travel"),
    ],
)
def test_the_sentences_for_other_counts(counts: Counts, rags: str, directions: str) -> None:
    assert kpi.rag_sentence(counts) == rags
    assert kpi.direction_sentence(counts) == directions


def test_a_quarterly_indicator_is_compared_with_its_last_result(tmp_path: Path) -> None:
    import shutil

    data = shutil.copytree(SAMPLE, tmp_path / "council")
    kpis = data / "2017-18" / "kpis.csv"
    text = kpis.read_text(encoding="utf-8")
    kpis.write_text(text.replace("Agilisys,%,95%,90%,,,\n", "Agilisys,%,95%,90%,,,quarterly\n", 1), encoding="utf-8")
    # July's folder is the last with results; a June folder with results for other indicators only
    june = data / "2017-18" / "2017-06"
    june.mkdir()
    (june / "kpi_results.csv").write_text("ref,latest,ytd,previous_year,results_to\nCS04,96%,,,\n", encoding="utf-8")
    problems = Problems()
    dashboard = read_dashboard(DataSet(data), Period.parse("2017-07"), None, problems)
    assert not problems and dashboard is not None
    rated = {r.indicator.ref: r for r in dashboard.rated()}
    assert rated["CS01"].indicator.frequency == "quarterly"
    assert rated["CS01"].direction == Direction.FALLEN  # against May's 98%, its last result
    assert rated["CS04"].direction == Direction.FALLEN  # monthly: against June's 96%
    assert rated["CS05"].direction == Direction.NEW  # monthly, with no result in June
