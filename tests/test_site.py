"""`finlib site`: the archive of every published period, its paths, what it shows, and that it is stable.

A copy of the sample, with July published beside the sample's May, gives two periods of one year;
the tiny authority gives the errors, and the exempt authority of tests/test_exempt.py the leak check.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from finlib import monitoring
from finlib.cli import main
from finlib.config import DataSet
from finlib.core.kinds import RowKind
from finlib.core.period import FinancialYear, Period
from finlib.report import build_report
from finlib.site import build_site
from finlib.site import model as site
from tests.conftest import SAMPLE, write_tree
from tests.factories import sign_off_every_directorate
from tests.test_exempt import EXEMPT_TINY, leaks

MAY, JULY = Period(2017, 5), Period(2017, 7)
YEAR = FinancialYear(2017)
PAPERS = (
    "cabinet",
    "policy-and-resources",
    "children-young-people-education",
    "adult-social-care-health",
    "environment-transport",
    "growth-economic-development-communities",
)
DIRECTORATES = (
    "children-young-people-education",
    "adult-social-care-health",
    "growth-environment-transport",
    "strategic-corporate-services",
)
#: what the archive holds: the sample's published periods (2016-17, May 2017-18) and July
PUBLISHED = {
    "2016-17": ("2016-06", "2016-08", "2016-09", "2016-11", "2017-01", "2017-03"),
    "2017-18": ("2017-05", "2017-07"),
}
ALLOW = ["--allow-missing-explanations", "EP&E explanation to follow <b>in September</b>"]


def publish(data: DataSet, period: str, *extra: str) -> None:
    sign_off_every_directorate(data, period)
    assert main(["publish", "--data", str(data.root), "--period", period, *extra]) == 0


def sample_copy(folder: Path) -> DataSet:
    """A copy of the sample (May published), to publish into."""
    shutil.copytree(SAMPLE, folder)
    return DataSet(folder)


def files(out: Path) -> dict[str, bytes]:
    """Every file of a site, by its path in the site."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def page(out: Path, path: str) -> Any:
    """A page of the site, parsed (typed loosely: the tests walk it as they expect it to be)."""
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataSet, Path]:
    """The sample with May (as bundled) and July published, and its site."""
    data = sample_copy(tmp_path_factory.mktemp("site") / "council")
    publish(data, "2017-07", *ALLOW)
    out = tmp_path_factory.mktemp("site-out")
    assert main(["site", "--data", str(data.root), "--out", str(out)]) == 0
    return data, out


# ---------------------------------------------------------------------------
# Paths


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (site.year_page(YEAR), "2017-18/index.html"),
        (site.period_page(JULY), "2017-18/2017-07/index.html"),
        (site.paper_page(JULY, "cabinet"), "2017-18/2017-07/cabinet.html"),
        (site.paper_page(Period(2018, 3), "policy-and-resources", ".pdf"), "2017-18/2018-03/policy-and-resources.pdf"),
        (site.directorate_page(YEAR, "Strategic & Corporate Services"),
         "2017-18/directorates/strategic-corporate-services.html"),
        (site.directorate_page(YEAR, "Children, Young People & Education"),
         "2017-18/directorates/children-young-people-education.html"),
    ],
)  # fmt: skip
def test_each_page_has_one_path(path: str, expected: str) -> None:
    assert path == expected


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("index.html", "2017-18/index.html", "2017-18/index.html"),
        ("2017-18/2017-07/cabinet.html", "index.html", "../../index.html"),
        ("2017-18/directorates/x.html", "2017-18/2017-05/cabinet.html", "../2017-05/cabinet.html"),
        ("2017-18/2017-07/index.html", "2017-18/2017-07/cabinet.pdf", "cabinet.pdf"),
    ],
)
def test_links_are_relative_so_the_site_can_be_served_from_anywhere(source: str, target: str, expected: str) -> None:
    assert site.link(source, target) == expected


def test_the_site_has_every_page_at_its_path(archive: tuple[DataSet, Path]) -> None:
    _, out = archive
    expected = {"index.html"}
    for year, periods in PUBLISHED.items():
        expected |= {f"{year}/index.html"} | {f"{year}/directorates/{name}.html" for name in DIRECTORATES}
        for period in periods:
            expected |= {f"{year}/{period}/index.html"} | {f"{year}/{period}/{key}.html" for key in PAPERS}
    assert set(files(out)) == expected


def test_every_link_leads_to_a_page_of_the_site(archive: tuple[DataSet, Path]) -> None:
    _, out = archive
    broken = []
    for path in files(out):
        for anchor in page(out, path).find_all("a", href=True):
            href = str(anchor["href"])
            if href.startswith("#"):
                continue
            target = (out / path).parent / href.split("#")[0]
            if not target.is_file():
                broken.append(f"{path} → {href}")
            elif "#" in href and page(out, target.relative_to(out).as_posix()).find(id=href.split("#")[1]) is None:
                broken.append(f"{path} → {href} (no such id)")
    assert broken == []


# ---------------------------------------------------------------------------
# What the pages show


def test_the_papers_are_the_reports_of_the_published_position(archive: tuple[DataSet, Path]) -> None:
    """The frozen position read back gives the same papers as the inputs it was published from."""
    data, out = archive
    frozen = monitoring.published_stage(data, JULY)
    computed = monitoring.monitor(data, JULY)
    assert frozen.position.lines.equals(computed.position.lines)
    assert frozen.position.last is not None and frozen.position.last.version == 1
    text = page(out, "2017-18/2017-07/cabinet.html").get_text(" ")
    assert "Revenue and capital budget monitoring" in text and "Skip to the contents" in text
    policy = page(out, "2017-18/2017-07/policy-and-resources.html")
    assert "Policy & Resources Cabinet Committee" in policy.title.get_text()


def test_each_directorate_history_is_its_cabinet_total_in_each_period(archive: tuple[DataSet, Path]) -> None:
    data, out = archive
    reports = {p: build_report(monitoring.published_stage(data, p)) for p in (MAY, JULY)}
    name = "Strategic & Corporate Services"
    history = next(h for h in site.histories(YEAR, tuple(_entry(data, p) for p in (MAY, JULY))) if h.name == name)
    assert [r.period for r in history.rows] == [MAY, JULY]
    for row in history.rows:
        section = next(s for s in reports[row.period].sections if s.name == name)
        total = next(r for r in section.table.records() if r["kind"] == RowKind.TOTAL)
        assert row.revised_net_variance == int(total["revised_net_variance"])
    may, july = history.rows
    assert may.last_reported is None and may.movement is None and may.last_period is None
    assert july.last_reported == may.revised_net_variance and july.last_period == MAY
    assert july.movement == july.revised_net_variance - may.revised_net_variance  # type: ignore[operator]
    # as printed: £'000 to 1 dp, a blank where the paper has none, a true minus sign
    table = page(out, "2017-18/directorates/strategic-corporate-services.html").find("table", id="history")
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find("tbody").find_all("tr")]
    assert rows == [
        ["May 2017-18", "652.0", "", "", "none (no earlier period published)"],
        ["July 2017-18", "222.5", "652.0", "\u2212429.5", "May 2017-18"],
    ]
    assert table.caption.get_text().endswith("(£'000)")
    assert [th["scope"] for th in table.find_all("th")] == ["col"] * 5 + ["row"] * 2


def _entry(data: DataSet, period: Period) -> site.PublishedPeriod:
    from finlib.site.gather import gather_period

    return gather_period(data, period)


def test_every_page_has_a_language_a_skip_link_one_h1_and_headings_in_order(archive: tuple[DataSet, Path]) -> None:
    _, out = archive
    for path in files(out):
        soup = page(out, path)
        assert soup.html["lang"] == "en", path
        first = soup.find("a")
        assert first is not None and first["href"] == "#main" and soup.find(id="main").name == "main", path
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (path, levels)
        for table in soup.find_all("table"):
            assert table.caption is not None, path
            assert all(th.get("scope") in ("col", "row") for th in table.find_all("th")), path


def test_the_indexes_list_every_period_and_paper(archive: tuple[DataSet, Path]) -> None:
    _, out = archive
    index = page(out, "index.html")
    newest_first = [Period.parse(p).label for periods in reversed(PUBLISHED.values()) for p in reversed(periods)]
    assert [h.get_text() for h in index.find_all("h3")] == newest_first
    year = page(out, "2017-18/index.html")
    rows = year.find("table", id="published-periods").find("tbody").find_all("tr")
    assert [r.th.get_text() for r in rows] == ["May 2017-18", "July 2017-18"]
    assert rows[1].find_all("td")[2].get_text() == "May 2017-18"
    july = page(out, "2017-18/2017-07/index.html")
    assert [a["href"] for a in july.find("ul", class_="papers").find_all("a")] == [f"{k}.html" for k in PAPERS]
    # the reason for publishing with an explanation missing, escaped
    assert "<b>in September</b>" in july.get_text() and "<b>in September" not in str(july.find("main")).replace(
        "&lt;b&gt;in September", ""
    )


def test_a_superseded_version_is_listed_with_its_reason(tmp_path: Path) -> None:
    data = sample_copy(tmp_path / "council")
    publish(data, "2017-05", "--supersede", "--reason", "Corrected <script>alert(1)</script> forecasts", *ALLOW)
    out = tmp_path / "out"
    assert main(["site", "--data", str(data.root), "--out", str(out)]) == 0
    may = page(out, "2017-18/2017-05/index.html")
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in may.find("tbody").find_all("tr")]
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[0][2] == "superseded by version 2" and rows[1][2] == "current"
    assert rows[1][3] == "Corrected <script>alert(1)</script> forecasts"
    year = page(out, "2017-18/index.html").find("table", id="superseded-versions")
    cells = [c.get_text() for c in year.find("tbody").find_all(["th", "td"])]
    assert cells[0] == "May 2017-18" and cells[1] == "1" and cells[-1].startswith("Corrected <script>")
    assert not any("<script" in text.decode() for text in files(out).values())


def test_no_exempt_item_appears_anywhere_in_the_site(tmp_path: Path) -> None:
    data = write_tree(tmp_path / "tiny", EXEMPT_TINY)
    publish(data, "2017-05")
    publish(data, "2017-07", *ALLOW)
    out = tmp_path / "out"
    assert main(["site", "--data", str(data.root), "--out", str(out)]) == 0
    found = {path: leaks(content.decode("utf-8")) for path, content in files(out).items()}
    assert found == {path: [] for path in found}
    assert "Exempt items" in (out / "2017-18/2017-07/cabinet.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Errors


def test_nothing_published_is_a_clear_error_and_writes_nothing(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["site", "--data", str(tiny.root), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "nothing is published" in err and "finlib publish --period" in err
    assert not out.exists()


def test_a_period_changed_since_publication_is_refused_and_nothing_is_written(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(tiny, "2017-05")
    adjustments = tiny.root / "2017-18/2017-05/adjustments.csv"
    adjustments.write_text("line_id,amount,reason,author,date\nA1,-1.00,Late,Director A,2017-06-10\n")
    out = tmp_path / "out"
    assert main(["site", "--data", str(tiny.root), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2017-05:" in err and "adjustments.csv" in err and "finlib verify" in err
    assert not out.exists()


@pytest.mark.parametrize("key", ["index", "cabinet"])
def test_a_committee_key_that_would_overwrite_a_page_is_refused(
    tiny: DataSet, tmp_path: Path, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(
        tiny.root, {"committees.yaml": f"committees:\n  {key}:\n    name: Odd\n    directorates: [Alpha Services]\n"}
    )
    publish(tiny, "2017-05")
    out = tmp_path / "out"
    assert main(["site", "--data", str(tiny.root), "--out", str(out)]) == 2
    assert f"committee key '{key}'" in capsys.readouterr().err
    assert not out.exists()


# ---------------------------------------------------------------------------
# Stable links, stable bytes


def test_a_new_period_keeps_every_path_and_the_bytes_of_every_unchanged_page(tmp_path: Path) -> None:
    data = sample_copy(tmp_path / "council")
    out = tmp_path / "out"
    first = build_site(data, out, progress=False)
    before = files(out)
    again = build_site(data, out, progress=False)
    assert files(out) == before and again.written == [] and again.unchanged == len(before)
    assert len(first.written) == len(before)
    publish(data, "2017-07", *ALLOW)
    build_site(data, out, progress=False)
    after = files(out)
    assert set(before) <= set(after)
    assert {p for p in after if p.startswith("2017-18/2017-07/")} == {"2017-18/2017-07/index.html"} | {
        f"2017-18/2017-07/{key}.html" for key in PAPERS
    }
    may = [p for p in before if p.startswith("2017-18/2017-05/")]
    assert may and all(after[p] == before[p] for p in may)
    changed = {p for p in before if after[p] != before[p]}
    assert changed == {"index.html", "2017-18/index.html"} | {f"2017-18/directorates/{n}.html" for n in DIRECTORATES}


def test_pages_hold_nothing_of_the_run(archive: tuple[DataSet, Path]) -> None:
    data, out = archive
    for path, content in files(out).items():
        text = content.decode("utf-8")
        assert str(out) not in text and str(data.root) not in text, path
