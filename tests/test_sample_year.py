"""The sample's whole financial year: every period from April 2016 to July 2017 validates, computes and
builds its papers; the generator of the 2016-17 year writes exactly the committed files."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from finlib import monitoring, store
from finlib.config import DataSet
from finlib.core.period import FinancialYear, Period
from finlib.core.revenue import authority_table
from finlib.core.settings import Labels
from finlib.report import build_reports
from finlib.report.model import Bars

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = DataSet(ROOT / "data" / "sample")
PERIODS = [*FinancialYear(2016).periods(), Period(2017, 5), Period(2017, 7)]


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_every_period_of_the_sample_validates_and_builds_its_papers(period: Period) -> None:
    checked = monitoring.validate(SAMPLE, period)
    committees, papers = monitoring.reporting(SAMPLE, checked)
    reports = build_reports(checked, committees, papers=papers)
    assert reports.cabinet.paper is not None
    assert all(report.paper is not None for report in reports.extracts.values())
    assert reports.cabinet.outturn == (period == Period(2017, 3))


def test_september_2016_reproduces_the_published_position() -> None:
    """£8.335m after Corporate Director adjustments, £9.146m including roll forwards (excluding schools)."""
    table = authority_table(monitoring.monitor(SAMPLE, "2016-09").position, Labels()).set_index("kind")
    assert round(int(str(table.loc["total", "revised_net_variance"])) / 100_000_000, 3) == 8.335
    assert round(int(str(table.loc["balance", "revised_net_variance"])) / 100_000_000, 3) == 9.146


def test_the_outturn_is_the_ledgers_actuals_and_its_requests_are_carried_into_2017_18() -> None:
    outturn = monitoring.monitor(SAMPLE, "2017-03")
    assert outturn.outturn and outturn.requests is not None and len(outturn.requests) == 4
    requests = store.outturn_requests(SAMPLE, FinancialYear(2016))
    assert requests is not None and int(requests["amount"].sum()) == 725_000_50
    may = monitoring.monitor(SAMPLE, "2017-05").budget
    assert may is not None and may.since is None
    assert int(may.lines["roll forward"].sum()) == 725_000_50


def test_the_generator_writes_the_committed_year(tmp_path: Path) -> None:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE.root, copy)
    for written in [copy / "2016-17", copy / "published"]:
        for path in sorted(written.rglob("*")):
            if path.is_file() and path.name != "ledger.csv":
                path.unlink()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "sample_year.py"), "--data", str(copy)], check=True)
    compared = filecmp.dircmp(SAMPLE.root, copy)
    differ: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        differ.extend(prefix + name for name in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(compared, "")
    assert differ == []


def published_lines(period: str) -> list[dict[str, str]]:
    import csv

    path = SAMPLE.root / f"published/2016-17/{period}/v1/position.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def pence(text: str) -> int:
    from decimal import Decimal

    return int(Decimal(text or "0") * 100)


def test_a_directorate_section_shows_its_headings_report_by_report() -> None:
    report = build_reports(monitoring.monitor(SAMPLE, "2016-11")).cabinet
    section = next(s for s in report.sections if s.name == "Strategic & Corporate Services")
    assert section.trend is not None
    figure, table = section.trend
    chart = figure.chart
    assert isinstance(chart, Bars)
    assert chart.labels == ["Jun 2016", "Aug 2016", "Sep 2016", "Nov 2016"]
    for index, period in enumerate(["2016-06", "2016-08", "2016-09"]):
        rows = [r for r in published_lines(period) if r["directorate"] == "Strategic & Corporate Services"]
        assert chart.values[index] == sum(pence(r["revised_net_variance"]) for r in rows)
        bi = sum(pence(r["revised_net_variance"]) for r in rows if r["heading"] == "Business Intelligence")
        assert table.frame.set_index("heading").loc["Business Intelligence", f"m{index}"] == bi
    trend = report.authority.trend
    assert trend is not None and isinstance(trend.chart, Bars) and len(trend.chart.values) == 4


def test_the_outturn_report_says_how_early_each_forecast_settled() -> None:
    report = build_reports(monitoring.monitor(SAMPLE, "2017-03")).cabinet
    assert report.accuracy is not None
    table = report.accuracy.table.frame.set_index("directorate")
    final = [r for r in published_lines("2017-03") if r["directorate"] == "Strategic & Corporate Services"]
    outturn = sum(pence(r["net_budget"]) + pence(r["revised_net_variance"]) for r in final)
    for index, period in enumerate(["2016-06", "2016-08", "2016-09", "2016-11", "2017-01"]):
        rows = [r for r in published_lines(period) if r["directorate"] == "Strategic & Corporate Services"]
        forecast = sum(pence(r["net_budget"]) + pence(r["revised_net_variance"]) for r in rows)
        assert table.loc["Strategic & Corporate Services", f"m{index}"] == forecast - outturn
    assert report.paper is not None
    assert "Forecast accuracy" in [s.title for s in report.paper.sections]
