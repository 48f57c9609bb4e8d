"""The monthly pack: every notebook executed on the sample, HTML without code, failures contained."""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import pickle
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import nbformat
import pytest
from bs4 import BeautifulSoup, Tag

from finlib import pack
from finlib.cli import main
from finlib.config import NOTEBOOKS, DataSet
from finlib.core.period import Period
from finlib.errors import UsageError
from finlib.pack.leftovers import HANDOFF, KERNELS, sweep_leftovers
from tests.conftest import REFERENCE, SAMPLE, explorer_job, sample_committees

COMMITTEES = sample_committees()


@pytest.fixture(scope="module")
def pack_out(sample_pack: Path) -> Path:
    return sample_pack


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


NUMBERED = re.compile(r"^(?:Table|Chart) \d+: ")


def title(caption: Tag) -> str:
    """A table's caption without its number ("Table 3: "), which depends on what comes before it."""
    return NUMBERED.sub("", caption.get_text())


def captions(page: BeautifulSoup) -> list[str]:
    return [title(t.caption) for t in page.find_all("table") if t.caption]


def table_rows(page: BeautifulSoup, caption_start: str) -> list[list[str]]:
    tables = [t for t in page.find_all("table") if t.caption and title(t.caption).startswith(caption_start)]
    assert len(tables) == 1, f"one table captioned {caption_start!r}, found {len(tables)}"
    return [[c.get_text() for c in row.find_all(["th", "td"])] for row in tables[0].find_all("tr")]


def as_printed(reference: str) -> str:
    """A reference CSV cell as the HTML prints it: thousands separators and a true minus."""
    return "" if reference == "" else format(Decimal(reference), ",").replace("-", "\u2212")


def paragraphs(page: BeautifulSoup) -> dict[str, str]:
    """The numbered paragraphs of a paper: number → text."""
    found = {}
    for p in page.find_all("p"):
        number = p.find("span", class_="number")
        if number is not None:
            found[number.get_text()] = p.get_text()[len(number.get_text()) :]
    return found


def test_every_notebook_runs_and_is_rendered_without_code(pack_out: Path) -> None:
    expected = {"cabinet", "explorer", *COMMITTEES, "cabinet-dashboard", *(f"{c}-dashboard" for c in COMMITTEES)}
    assert {p.stem for p in pack_out.glob("*.html")} == expected
    assert {p.stem for p in pack_out.glob("*.ipynb")} == expected  # executed notebooks kept as the record
    for path in pack_out.glob("*.html"):
        page = soup(path)
        assert not page.select(".jp-CodeCell .jp-InputArea"), f"{path.name} shows code"
        assert "nb.show(" not in page.get_text()
        assert not page.find_all("script", src=True), f"{path.name} loads scripts from elsewhere"
        assert not page.select('[data-mime-type="application/vnd.jupyter.stderr"]'), f"{path.name} shows stderr"
        for style in page.find_all("style"):
            style.decompose()
        assert not re.search(r"Traceback|\w+Error: ", page.get_text()), f"{path.name} shows an error"


def test_cabinet_report_holds_the_published_authority_table(pack_out: Path) -> None:
    rows = table_rows(soup(pack_out / "cabinet.html"), "Revenue position by directorate")
    with open(REFERENCE / "authority_2017_07.csv", encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle))
    assert len(rows) == len(reference) + 1
    columns = ["budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance", "last_reported", "movement"]
    for printed, want in zip(rows[1:], reference, strict=True):
        assert printed[0] == want["row"]
        assert printed[1:] == [as_printed(want[c]) for c in columns], want["row"]


def test_directorate_tables_match_the_published_ones_with_thousands_separators(pack_out: Path) -> None:
    rows = table_rows(soup(pack_out / "policy-and-resources.html"), "Strategic & Corporate Services revenue")
    with open(REFERENCE / "sacs_2017_07.csv", encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle))
    columns = ["net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"]
    assert len(rows) == len(reference) + 1
    for printed, want in zip(rows[1:], reference, strict=True):
        assert printed[0] == want["heading"]
        assert printed[1:5] == [as_printed(want[c]) for c in columns], want["heading"]
    assert rows[-1][:2] == ["Total S&CS", "70,197.5"]


def test_cabinet_report_has_every_directorate_commentary_and_charts(pack_out: Path) -> None:
    page = soup(pack_out / "cabinet.html")
    sections = [cast(Tag, s.h2).get_text() for s in page.find_all("section")]
    assert sections == [
        "Summary",
        "Recommendation(s)",
        "1. Introduction",
        "2. Revenue position of the authority",
        "3. Savings delivery",
        "4. Capital position of the authority",
        "5. Children, Young People & Education",
        "6. Adult Social Care & Health",
        "7. Growth, Environment & Transport",
        "8. Strategic & Corporate Services",
        "9. Recommendations",
        "10. Background documents",
        "11. Contact details",
        "Appendix: adjustments and publication record",
    ]
    images = page.find_all("img")
    assert len(images) == 3 + 4 * 2  # authority variance, bridge and trend; each directorate's variance and trend
    for image in images:
        alt = cast(str, image["alt"])
        assert alt.startswith(("Bar chart:", "Bridge chart:")) and "£" in alt
    bridge = next(i["alt"] for i in images if cast(str, i["alt"]).startswith("Bridge chart"))
    assert "Last reported (May 2017-18) +£11.273m" in bridge and "Now (July 2017-18) +£10.993m" in bridge
    text = page.get_text()
    assert "Budget managers are forecasting a pressure of +£18.885m excluding schools." in text
    assert "(£m) (£m)" not in text


def cover(page: BeautifulSoup) -> dict[str, str]:
    block = cast(Tag, page.select_one("header dl.cover"))
    return {dt.get_text().rstrip(":"): cast(Tag, dt.find_next_sibling("dd")).get_text() for dt in block.find_all("dt")}


def test_the_cabinet_paper_has_the_published_shape(pack_out: Path) -> None:
    page = soup(pack_out / "cabinet.html")
    assert cover(page) == {
        "From": "Corporate Director of Finance",
        "To": "Cabinet",
        "Date of meeting": "18 September 2017",  # papers.yaml
        "Subject": "Revenue and capital budget monitoring: July 2017-18",
        "Classification": "Unrestricted",
    }
    summary = cast(Tag, page.select_one("#summary"))
    assert (
        cast(Tag, summary.find("p"))
        .get_text()
        .startswith(
            "The authority is forecasting a pressure of +£10.993m excluding schools, after Corporate Director "
            "adjustments of −£7.892m."
        )
    ), "the headline figure is the first thing a member reads"
    assert "It is not unusual at this point" in summary.get_text()  # explanations.csv, about=summary
    recommendations = cast(Tag, page.select_one("#recommendations-summary"))
    assert "Cabinet is asked to:" in recommendations.get_text()
    assert next(li.get_text() for li in recommendations.find_all("li")) == (
        "note the forecast revenue and capital budget monitoring position for 2017-18"
    )
    numbered = paragraphs(page)
    assert list(numbered)[:3] == ["1.1", "1.2", "2.1"]
    assert numbered["2.1"] == "Table 1 below details the revenue position by directorate (£m)."
    assert "£73m of savings" in " ".join(numbered.values())  # explanations.csv, about=authority
    contacts = cast(Tag, page.find("section", id="contacts")).get_text()
    assert "Report Author: Jo Bloggs, Finance Business Partner; telephone 01632 960 101" in contacts
    for link in cast(Tag, page.find("nav", id="contents")).find_all("a"):
        assert page.find(id=cast(str, link["href"]).lstrip("#")) is not None, link["href"]


def test_every_table_is_numbered_referred_to_and_before_its_commentary(pack_out: Path) -> None:
    for name in ("cabinet", *COMMITTEES):
        page = soup(pack_out / f"{name}.html")
        numbered = [t.caption.get_text() for t in page.find_all("table") if t.caption]
        numbered = [c.split(":")[0] for c in numbered if c.startswith("Table ")]
        assert numbered == [f"Table {n}" for n in range(1, len(numbered) + 1)], name
        text = " ".join(paragraphs(page).values())
        for label in numbered:
            assert f"{label} below" in text, f"{name}: {label} is never referred to"
        for section in page.select("section[id]"):
            blocks = section.find_all(["table", "p"])
            tables = [
                i
                for i, b in enumerate(blocks)
                if b.name == "table" and b.caption and "revenue position" in title(b.caption)
            ]
            opening = [i for i, b in enumerate(blocks) if b.name == "p" and "is forecasting" in b.get_text()]
            if tables and opening:  # a directorate's table comes first, then what it says
                assert tables[0] < opening[0], f"{name}: {section['id']}"


def test_policy_and_resources_extract(pack_out: Path) -> None:
    page = soup(pack_out / "policy-and-resources.html")
    found = captions(page)
    directorate_tables = [c for c in found if "revenue position, July 2017-18" in c]
    assert directorate_tables == ["Strategic & Corporate Services revenue position, July 2017-18 (£'000)"]
    assert any(c.startswith("Revenue position by directorate") for c in found), "authority summary"
    rows = table_rows(page, "Strategic & Corporate Services revenue position")
    assert rows[-1][:3] == ["Total S&CS", "70,197.5", "222.5"]
    text = page.get_text()
    assert "+£0.206m on Contact Centre, Digital Web Services & Gateways: Call volumes" in text
    assert "−£0.193m on Engagement, Organisation Design & Development" in text
    assert "The forecast excluding Asset Utilisation is an underspend of −£0.082m" in text
    # Infrastructure is explained net of the Asset Utilisation it holds: +£0.536m less +£0.305m
    assert "+£0.231m on Infrastructure (ICT & Property Services) & Business Services Centre, excluding Asset" in text
    assert "+£0.536m" not in text
    assert "All other budget headings have variances of less than +/- £0.100m." in text
    for other in ("Children, Young People & Education", "Adult Social Care & Health", "Growth, Environment"):
        assert not any(c.startswith(other) for c in found)
        assert not [h for h in page.find_all("h2") if other in h.get_text()]
    assert cover(page)["To"] == "Policy & Resources Cabinet Committee"
    assert cover(page)["Date of meeting"] == "15 September 2017"
    summary = cast(Tag, page.select_one("#summary")).find_all("p")
    assert (
        summary[0].get_text() == "The Strategic & Corporate Services directorate is forecasting a pressure of +£0.223m."
    )
    sections = [s.h2.get_text() for s in page.select("section[id]") if s.h2]
    assert sections[2:6] == [
        "1. Introduction",
        "2. Strategic & Corporate Services",
        "3. Savings delivery",
        "4. Financial position of the authority",
    ]
    assert "Alex Jones" in cast(Tag, page.find("section", id="contacts")).get_text()  # its own author


def test_a_committee_without_the_overview_gets_no_authority_summary(pack_out: Path) -> None:
    page = soup(pack_out / "adult-social-care-health.html")
    found = captions(page)
    assert not any(c.startswith("Revenue position by directorate") for c in found)
    assert any(c.startswith("Adult Social Care & Health revenue position") for c in found)
    assert cover(page)["Date of meeting"] == "Not yet set"  # papers.yaml gives none for this committee


def test_committees_whose_remits_split_a_directorate_by_heading(pack_out: Path) -> None:
    environment = soup(pack_out / "environment-transport.html")
    growth = soup(pack_out / "growth-economic-development-communities.html")
    mine = table_rows(environment, "Growth, Environment & Transport revenue position")
    theirs = table_rows(growth, "Growth, Environment & Transport revenue position")
    assert [r[0] for r in mine[1:]] == [
        "Highways Asset Management",
        "Public Transport & Concessionary Fares",
        "Waste Management",
        "Environment, Planning & Enforcement",
        "Total GE&T (this committee's headings)",
    ]
    assert [r[0] for r in theirs[1:]] == [
        "Libraries, Registration & Archives",
        "Economic Development",
        "Total GE&T (this committee's headings)",
    ]
    assert mine != theirs


def test_explorer_shows_position_history_and_largest(pack_out: Path) -> None:
    page = soup(pack_out / "explorer.html")
    history = table_rows(page, "Whole authority: revised net variance in each published period")
    assert [r[0] for r in history[1:]] == ["May 2017-18", "July 2017-18"]
    largest = table_rows(page, "The 5 largest revised variances")
    assert len(largest) == 6


def test_explorer_shows_actuals_every_forecast_method_and_the_scenario(pack_out: Path) -> None:
    page = soup(pack_out / "explorer.html")
    actuals = table_rows(page, "Whole authority: actuals from the general ledger by month")
    assert actuals[0] == ["Directorate", "Apr 2017", "May 2017", "Jun 2017", "Jul 2017", "Year to date"]
    assert [r[0] for r in actuals[-2:]] == ["Not mapped to a budget line", "Ledger total"]
    control = table_rows(page, "Control totals: the ledger extract reconciled to the penny")
    assert {r[-1] for r in control[1:]} == {"0.00"}
    methods = table_rows(page, "Whole authority: forecast outturn by every method")
    assert methods[0][3:7] == ["Budget outturn", "Run-rate outturn", "Profiled outturn", "Manager's return outturn"]
    flagged = table_rows(page, "Lines flagged for challenge (4)")
    assert all("flagged: challenge" in r[0] for r in flagged[1:])
    what_if = table_rows(page, "What-if scenario, July 2017-18 (£m)")
    assert [r[1] for r in what_if[1:]] == ["10.993", "−1.102", "−3.900", "−2.535", "3.456"]


def failing_notebook(tmp_path: Path) -> Path:
    notebook = nbformat.read(NOTEBOOKS / "committee.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    notebook.cells.insert(3, nbformat.v4.new_code_cell('raise ValueError("forecast file is locked")'))  # type: ignore[no-untyped-call]
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)  # type: ignore[no-untyped-call]
    return path


def test_a_failing_notebook_does_not_stop_the_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = pack.plan(SAMPLE, "2017-07", {"adult-social-care-health": COMMITTEES["adult-social-care-health"]}, only=None)
    good = [j for j in good if j.name != "cabinet"]
    broken_path = failing_notebook(tmp_path)
    broken = pack.Job("broken", broken_path, good[0].parameters, "Broken")
    out.mkdir()
    (out / "broken.html").write_text("an older report")
    result = pack.run_pack([broken, *good], out, progress=False)
    (failure,) = result.failed
    assert failure.job.name == "broken"
    # cell 4 of the executed notebook: papermill inserts the injected parameters after the parameters cell
    assert failure.error == (
        'cell 4 of the executed notebook (raise ValueError("forecast file is locked")): '
        "ValueError: forecast file is locked"
    )
    assert (out / "adult-social-care-health.html").is_file()
    assert not (out / "broken.html").exists()
    assert (out / "broken.failed.ipynb").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temporary files left"
    # fixed: the same run completes
    fixed = pack.Job("broken", NOTEBOOKS / "committee.ipynb", good[0].parameters, "Fixed")
    assert not pack.run_pack([fixed], out, progress=False).failed
    assert (out / "broken.html").is_file() and not (out / "broken.failed.ipynb").exists()


def test_report_command_exits_1_and_names_the_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_path = failing_notebook(tmp_path)
    real_plan = pack.plan

    def plan_with_a_broken_report(*args: Any, **kwargs: Any) -> list[pack.Job]:
        jobs = real_plan(*args, **kwargs)
        return [*jobs, pack.Job("broken", broken_path, jobs[0].parameters, "B")]

    monkeypatch.setattr(pack, "plan", plan_with_a_broken_report)
    out = tmp_path / "reports"
    code = main(
        [
            "report",
            "--data",
            str(SAMPLE),
            "--period",
            "2017-07",
            "--out",
            str(out),
            "--committee",
            "environment-transport",
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert (
        "report broken failed at cell 4 of the executed notebook" in captured.err
        and "forecast file is locked" in captured.err
    )
    assert (out / "environment-transport.html").is_file() and not (out / "broken.html").exists()
    missing = (out / "working" / "missing_explanations.csv").read_text()
    assert '"Environment, Planning & Enforcement",variance,0.163' in missing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"colour": "red"}, "unknown parameter 'colour'"),
        ({"top": "ten"}, "parameter 'top' is 'ten' (str); expected int"),
        ({"period": "July"}, "period 'July' is not a month written YYYY-MM"),
        ({"directorate": "Finance Department"}, "no directorate 'Finance Department'"),
    ],
)
def test_notebooks_reject_bad_parameters(tmp_path: Path, overrides: dict[str, Any], message: str) -> None:
    result = pack.run_pack([explorer_job(**overrides)], tmp_path, progress=False, workers=1, fresh_kernels=True)
    (failure,) = result.failed
    assert failure.error is not None
    assert "UsageError" in failure.error and message in failure.error


def test_policy_and_resources_shows_the_published_capital_items(pack_out: Path) -> None:
    page = soup(pack_out / "policy-and-resources.html")
    text = page.get_text()
    assert "The Strategic & Corporate Services capital budget for 2017-18 is £21.446m" in text
    assert (
        "New Ways of Working (NWoW): +£2.127m real variance in 2017-18, funded from Modernisation of Assets "
        "£0.483m, capital receipts £1.500m, external funding £0.084m and Salix funding £0.060m; +£0.510m real "
        "variance in 2018-19 to 2019-20, proposed to be funded from Modernisation of Assets £0.510m." in text
    )
    assert (
        "Modernisation of Assets: −£0.483m real variance in 2017-18; −£0.510m real variance in 2018-19 to 2019-20."
        in text
    )
    assert "Property Investment & Acquisition Fund (PIF): +£0.215m real variance in 2017-18" in text
    assert "Dover Discovery Centre: −£4.006m rephasing in 2017-18." in text
    rows = table_rows(page, "Strategic & Corporate Services capital programme by year")
    assert rows[1][:2] == ["2017-18", "21.446"]
    # only S&CS schemes are listed in its committee's extract
    assert "Learning Disability Good Day Programme" not in text


def test_cabinet_report_shows_every_directorates_capital(pack_out: Path) -> None:
    page = soup(pack_out / "cabinet.html")
    with_capital = [
        cast(Tag, s.h2).get_text() for s in page.select("section[id]") if s.find("h3", string="Capital") is not None
    ]
    assert with_capital == [
        "5. Children, Young People & Education",
        "6. Adult Social Care & Health",
        "7. Growth, Environment & Transport",
        "8. Strategic & Corporate Services",
    ]
    rows = table_rows(page, "Capital position by directorate")
    assert [r[0] for r in rows[1:]] == [
        "Children, Young People & Education",
        "Adult Social Care & Health",
        "Growth, Environment & Transport",
        "Strategic & Corporate Services",
        "Total",
    ]


def test_a_notebook_that_kills_its_kernel_fails_alone(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOKS / "committee.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    notebook.cells.insert(3, nbformat.v4.new_code_cell("import os\nos._exit(3)"))  # type: ignore[no-untyped-call]
    nbformat.write(notebook, tmp_path / "dies.ipynb")  # type: ignore[no-untyped-call]
    good = pack.plan(SAMPLE, "2017-07", COMMITTEES)[1]
    jobs = [pack.Job("dies", tmp_path / "dies.ipynb", good.parameters, "Dies"), good]
    result = pack.run_pack(jobs, tmp_path / "out", workers=1, progress=False)
    (failure,) = result.failed
    assert failure.error is not None
    assert failure.job.name == "dies" and "DeadKernelError" in failure.error
    assert (tmp_path / "out" / f"{good.name}.html").is_file(), "the next notebook ran on a restarted kernel"


class _Runs:
    """What a pickle of it does when loaded: makes a folder (as any code it named would run)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def test_the_hand_off_is_private_checked_by_its_hash_and_removed(tmp_path: Path) -> None:
    from finlib.pack.handoff import Prepared, hand_off, load_prepared
    from finlib.report.build import Reports

    prepared = Prepared(cast(Reports, None), {})
    with hand_off(prepared) as handed:
        folder = handed.path.parent
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(handed.path.stat().st_mode) == 0o600
        assert load_prepared(handed.path, handed.sha256) == prepared
        marker = tmp_path / "ran"
        handed.path.write_bytes(pickle.dumps(_Runs(marker)))
        with pytest.raises(UsageError, match="refused, not loaded: the prepared report is not the one this run"):
            load_prepared(handed.path, handed.sha256)
        with pytest.raises(UsageError, match="only with its SHA-256"):
            load_prepared(handed.path, None)
        assert not marker.exists(), "nothing in a refused file is loaded"
    assert not folder.exists()


@pytest.mark.parametrize(
    "names",
    [
        lambda marker: (os.mkdir, (str(marker),)),  # a function of the standard library
        lambda marker: (__import__("finlib.render.files", fromlist=["write_atomic"]).write_atomic, (marker, b"")),
        lambda marker: (Path, (str(marker),)),  # a class, but not finlib's data
    ],
    ids=["os.mkdir", "a finlib function", "pathlib.Path"],
)
def test_a_hand_off_that_names_code_is_refused_even_with_its_hash(
    tmp_path: Path, names: Callable[[Path], tuple[Any, ...]]
) -> None:
    """Should the hash and the file be swapped together, loading still rebuilds only data."""
    from finlib.pack.handoff import digest, load_prepared

    marker = tmp_path / "ran"

    class Names:
        def __reduce__(self) -> tuple[Any, ...]:
            return names(marker)

    content = pickle.dumps(Names())
    (tmp_path / "report.pickle").write_bytes(content)
    with pytest.raises(UsageError, match=r"refused, not loaded: the prepared report names .*not data of a report"):
        load_prepared(tmp_path / "report.pickle", digest(content))
    assert not marker.exists()


def test_a_real_hand_off_loads_whole() -> None:
    from finlib.monitoring import monitor, reporting
    from finlib.pack.handoff import Prepared, hand_off, load_prepared
    from finlib.render import charts
    from finlib.report import build_reports

    monitoring = monitor(SAMPLE, "2017-07")
    committees, papers = reporting(SAMPLE, monitoring)
    reports = build_reports(monitoring, committees, False, papers)
    drawn = charts.draw_all(charts.missing([reports.cabinet]))
    with hand_off(Prepared(reports, drawn)) as handed:
        loaded = load_prepared(handed.path, handed.sha256)
    assert loaded is not None and loaded.charts == drawn
    assert loaded.reports.cabinet.title == reports.cabinet.title
    assert [s.name for s in loaded.reports.cabinet.sections] == [s.name for s in reports.cabinet.sections]
    assert loaded.reports.cabinet.authority.table.frame.equals(reports.cabinet.authority.table.frame)


def test_a_swapped_hand_off_is_refused_by_every_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker, seen = tmp_path / "ran", cast(dict[str, Any], {})
    real_run = pack.Pool.run

    def swap_then_run(self: pack.Pool, jobs: list[pack.Job], *args: Any, **kwargs: Any) -> pack.PackResult:
        handed = Path(jobs[0].parameters["prepared"])
        seen["folder"], seen["mode"] = handed.parent, stat.S_IMODE(handed.parent.stat().st_mode)
        assert not handed.is_relative_to(tmp_path), "never beside the reports"
        handed.write_bytes(pickle.dumps(_Runs(marker)))
        return real_run(self, jobs, *args, **kwargs)

    monkeypatch.setattr(pack.Pool, "run", swap_then_run)
    run = pack.monthly_pack(SAMPLE, "2017-07", tmp_path / "out", committee="environment-transport", progress=False)
    (failure,) = run.failed
    assert failure.error is not None and "refused, not loaded" in failure.error
    assert not marker.exists(), "the swapped file ran no code"
    assert seen["mode"] == 0o700 and not seen["folder"].exists()
    assert not [p for p in (tmp_path / "out").rglob("*.pickle")]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (its children, theirs…), read from /proc."""
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def left_by(pids: set[int]) -> list[Path]:
    """The private folders of a run (hand-off, kernel sockets) made by ``pids`` still in the temporary folder."""
    return [
        folder
        for prefix in (HANDOFF, KERNELS)
        for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*")
        if folder.name[len(prefix) :].split("-")[0] in {str(p) for p in pids}
    ]


def test_the_sweep_removes_what_a_dead_run_left_and_nothing_in_use(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)
    if alive(dead):
        pytest.skip("the process id was taken again at once")
    gone = Path(tempfile.mkdtemp(prefix=f"{HANDOFF}{dead}-"))
    (gone / "report.pickle").write_bytes(b"left by a killed run")
    sockets = Path(tempfile.mkdtemp(prefix=f"{KERNELS}{dead}-"))
    in_use = Path(tempfile.mkdtemp(prefix=f"{HANDOFF}{os.getpid()}-"))
    other = Path(tempfile.mkdtemp(prefix=f"{HANDOFF}not-a-pid-"))
    try:
        removed = sweep_leftovers()
        assert gone in removed and sockets in removed
        assert not gone.exists() and not sockets.exists()
        assert in_use.is_dir() and other.is_dir(), "a folder still in use, or not named by a run, is kept"
    finally:
        for folder in (gone, sockets, in_use, other):
            shutil.rmtree(folder, ignore_errors=True)


def kernels_below(pid: int) -> set[int]:
    found = set()
    for child in descendants(pid):
        with contextlib.suppress(OSError):
            if b"ipykernel" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_and_kernels_die_with_the_report_command(tmp_path: Path, how: signal.Signals) -> None:
    command = [sys.executable, "-m", "finlib.cli", "report", "--data", str(SAMPLE), "--period", "2017-07"]
    run = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out"), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    below: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(kernels_below(run.pid)) < 2 and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        below = descendants(run.pid)
        assert len(kernels_below(run.pid)) == 2, "two workers, each with its kernel"
        os.kill(run.pid, how)
        run.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(alive(p) for p in below) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in below if alive(p)], "no worker or kernel outlives the command"
        made = {run.pid, *below}
        deadline = time.monotonic() + 10
        while left_by(made if how != signal.SIGKILL else below) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left_by(made if how != signal.SIGKILL else below), "its workers removed their kernels' sockets"
        if how == signal.SIGKILL:  # the command itself could not clean up: the next run's sweep does
            sweep_leftovers()
            assert not left_by(made)
    finally:
        if run.poll() is None:
            run.kill()
        for pid in below:  # what a failing run left
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_no_more_workers_start_than_there_are_reports(tiny: DataSet, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class Counted(pack.Pool):
        def __enter__(self) -> pack.Pool:
            started.append(self.workers)
            return super().__enter__()

    assert pack.most_reports(SAMPLE, Period(2017, 7), restricted=True) == 1 + len(COMMITTEES)
    monkeypatch.setattr(pack, "Pool", Counted)
    run = pack.monthly_pack(tiny.root, "2017-07", tiny.root.parent / "out", workers=8, progress=False)
    assert not run.failed and len(run.result.outcomes) == 1
    assert started == [1], "one report: one worker"


def test_a_full_disk_fails_the_report_clearly_and_leaves_nothing_under_a_final_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from finlib.render import files

    def half_then_fail(handle: int, data: bytes) -> None:
        with os.fdopen(handle, "wb") as out:
            out.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_fill", half_then_fail)  # before the workers fork: theirs fails too
    out = tmp_path / "reports"
    args = ["report", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(out)]
    assert main([*args, "--committee", "environment-transport"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert not [p for p in out.rglob("*") if p.is_file()], "no report, notebook or working file, whole or cut short"


def _notebook(tmp_path: Path, name: str, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]  # type: ignore[no-untyped-call]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(notebook, path)  # type: ignore[no-untyped-call]
    return path


def test_a_warm_kernel_holds_nothing_of_the_notebook_before(tmp_path: Path) -> None:
    """One worker, one kernel, three notebooks: what the first made is gone when the next starts."""
    first = _notebook(
        tmp_path,
        "first",
        "secret = 'Exempt: Project Falcon'\nimport json as renamed_module",
        "def helper():\n    return secret",
        "secret",  # an output: kept in the output cache (Out, _) until the kernel is cleared
        "import sys\nsys.modules['__main__'].__dict__['planted'] = 1",
    )
    checks = (
        "names = set(globals())\n"
        "left = {'secret', 'renamed_module', 'helper', 'planted', '_finlib_clear'} & names\n"
        "assert not left, left\n"
        "assert all('Falcon' not in repr(v) for v in Out.values()), Out\n"
        "assert 'Falcon' not in repr([globals().get(n) for n in ('_', '__', '___', '_3', '_oh')])\n"
        "assert not [i for i in In[:-1] if 'Falcon' in i], In  # the cell itself names it"
    )
    second = _notebook(tmp_path, "second", checks)
    third = _notebook(tmp_path, "third", "secret = 'again'", checks.replace("secret", "nothing"))
    jobs = [pack.Job(n, p, {}, n) for n, p in (("first", first), ("second", second), ("third", third))]
    result = pack.run_pack(jobs, tmp_path / "out", workers=1, progress=False)
    assert not result.failed, [o.error for o in result.failed]


def test_a_kernel_that_dies_between_notebooks_is_replaced_at_once() -> None:
    from finlib.pack import pool

    pool._new_kernel()
    try:
        pool._dirty = True  # it has run a notebook: the next one clears it first
        os.kill(pool._kernel.provisioner.pid, signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="the kernel died"):
            pool._clear_namespace()  # as though it died just after it was found alive
        assert time.monotonic() - started < 15, "found dead within seconds"
        engine = pool._kernel_for_job()
        assert engine["km"] is pool._kernel and pool._kernel_call("is_alive")
        assert time.monotonic() - started < 60
    finally:
        pool._stop_kernel()
        pool._kernel = None
