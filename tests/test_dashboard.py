"""The Performance Dashboard papers (finlib.dashboard, notebooks/dashboard.ipynb): one for Cabinet and one
per committee with indicators in its remit, in the paper form of the finance reports, written by
``finlib report`` beside the finance papers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from finlib import dashboard
from finlib.cli import main
from finlib.config import DataSet
from finlib.pack.jobs import plan
from finlib.render.html import dashboard_page
from finlib.report.paper import Exhibit, Paragraph
from tests.conftest import REFERENCE, SAMPLE, sample_committees
from tests.test_kpi import read


@pytest.fixture(scope="module")
def papers() -> dashboard.Dashboards:
    return dashboard.gather(SAMPLE, "2017-07")


def test_one_dashboard_for_cabinet_and_each_committee_with_indicators(papers: dashboard.Dashboards) -> None:
    assert list(papers.papers) == ["cabinet", *sample_committees()]
    resources = papers.papers["policy-and-resources"].paper
    assert resources.summary == (
        "Latest month performance is reported as Green for 21 indicators, Amber for 4 indicators, with 1 "
        "indicator Red.",
        "Direction of Travel for the latest results shows 14 KPIs improving, 6 stable and 4 indicators showing "
        "lower results, with two new indicators where previous results are not available.",
    )
    assert (
        resources.cover.to == "Policy & Resources Cabinet Committee" and resources.cover.meeting == "15 September 2017"
    )
    titles = [s.title for s in resources.sections]
    assert titles[:3] == ["Introduction", "Guidance notes", "Key Performance Indicators summary"]
    assert titles[-3:] == ["Recommendations", "Background documents", "Contact details"]
    assert "Infrastructure - Property" in titles
    cabinet = papers.papers["cabinet"].paper
    introduction = cabinet.sections[0].blocks[0]
    assert isinstance(introduction, Paragraph)
    assert "results to July 2017-18 of 36 Key Performance Indicators and 21 activity indicators" in introduction.text
    assert [s.title for s in cabinet.sections[3:7]] == [
        "Children, Young People & Education",
        "Adult Social Care & Health",
        "Growth, Environment & Transport",
        "Strategic & Corporate Services",
    ]


def test_the_kpi_tables_print_the_published_ratings(papers: dashboard.Dashboards) -> None:
    resources = papers.papers["policy-and-resources"].paper
    tables = [b.table for s in resources.sections for b in s.blocks if isinstance(b, Exhibit) and b.table is not None]
    printed = {r["ref"]: r for t in tables if t.name.startswith("kpis-") for r in t.records()}
    published = read(REFERENCE / "kpi_sacs_2017_07.csv")
    assert set(printed) == {row["ref"] for row in published}
    for row in published:
        ours = printed[row["ref"]]
        assert (ours["rag"], ours["dot"], ours["ytd_rag"]) == (row["latest_rag"], row["dot"], row["ytd_rag"])
        assert (ours["target"], ours["floor"], ours["ytd"]) == (
            row["target"],
            row["floor_standard"],
            row["year_to_date_or_previous_forecast"],
        )
        results_to = row["results_to_override"]
        assert ours["latest"] == row["latest"] + (f" (results to {results_to})" if results_to else "")
    activity = {r["ref"]: r for t in tables if t.name.startswith(("activity-", "ytd-")) for r in t.records()}
    assert activity["CS12"]["alert"] == "Above" and activity["HR13"]["value"] == "10,361 (year to date)"


def test_a_rating_is_a_word_and_a_shape_not_only_a_colour(papers: dashboard.Dashboards) -> None:
    shown = papers.papers["policy-and-resources"]
    soup = BeautifulSoup(dashboard_page(shown.paper, shown.authority, shown.title), "html.parser")
    cells = soup.select("td.rag-red")
    assert cells and all(c.get_text(" ", strip=True) in ("■ RED",) for c in cells)
    shapes = {shape.get_text() for shape in soup.select("td.rag .rag-shape")}
    assert shapes == {"●", "▲", "■"}
    assert all(s.get("aria-hidden") == "true" for s in soup.select(".rag-shape"))  # the word is read, not the shape


def test_the_pack_writes_the_dashboards_beside_the_finance_papers(tmp_path: Path) -> None:
    jobs = plan(SAMPLE, "2017-07", {}, dashboards=["cabinet"])
    assert [job.name for job in jobs] == ["cabinet", "cabinet-dashboard"]
    out = tmp_path / "pack"
    assert main(["report", "--data", str(SAMPLE), "--period", "2017-07", "--committee", "policy-and-resources",
                 "--out", str(out)]) == 0  # fmt: skip
    assert sorted(p.name for p in out.glob("*.html")) == [
        "policy-and-resources-dashboard.html",
        "policy-and-resources.html",
    ]
    text = BeautifulSoup((out / "policy-and-resources-dashboard.html").read_text(encoding="utf-8"), "html.parser")
    assert "Latest month performance is reported as Green for 21 indicators" in text.get_text(" ")


def test_no_dashboard_without_indicators(tmp_path: Path) -> None:
    data = shutil.copytree(SAMPLE, tmp_path / "council")
    for name in ("kpis.csv", "2017-05/kpi_results.csv", "2017-07/kpi_results.csv"):
        (data / "2017-18" / name).unlink()
    assert not dashboard.available(DataSet(data), "2017-07")
    out = tmp_path / "pack"
    assert main(["report", "--data", str(data), "--period", "2017-07", "--committee", "policy-and-resources",
                 "--out", str(out)]) == 0  # fmt: skip
    assert [p.name for p in out.glob("*.html")] == ["policy-and-resources.html"]


def test_a_bad_kpi_file_stops_the_pack_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = shutil.copytree(SAMPLE, tmp_path / "council")
    results = data / "2017-18" / "2017-07" / "kpi_results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace("CS04,95%", "CS04,95"), encoding="utf-8")
    out = tmp_path / "pack"
    assert main(["report", "--data", str(data), "--period", "2017-07", "--out", str(out)]) == 2
    assert "kpi_results.csv, row 3, column latest: found '95'" in capsys.readouterr().err
    assert not list(out.glob("*.html"))


def test_each_kpi_has_its_trend_over_the_year(papers: dashboard.Dashboards) -> None:
    shown = papers.papers["policy-and-resources"]
    soup = BeautifulSoup(dashboard_page(shown.paper, shown.authority, shown.title), "html.parser")
    row = next(tr for tr in soup.select("tr") if tr.th is not None and tr.th.get_text() == "CS01")
    line = row.select_one("svg.trend")
    assert line is not None and line.get("aria-label") == "Trend: May 2017 98%; Jul 2017 97%"
    new = next(tr for tr in soup.select("tr") if tr.th is not None and tr.th.get_text() == "HR22")
    assert new.select_one("svg.trend").get("aria-label") == "Trend: Jun 2017 100%"  # type: ignore[union-attr]
