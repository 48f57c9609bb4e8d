"""The words of a paper that are not figures (papers.yaml and its defaults), drafts until every
explanation is given, publishing with explanations missing, dates and times as the papers print them,
and quiet runs."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from bs4 import BeautifulSoup, Tag

from finlib.cli import main
from finlib.config import DataSet
from finlib.dates import long_date, uk_time
from finlib.inputs.papers import load_papers
from finlib.monitoring import monitor
from finlib.render import html
from finlib.report import build_report
from tests.conftest import TINY, write_tree
from tests.factories import sign_off_every_directorate

FORECASTS = "2017-18/2017-07/forecasts.csv"
#: Roads forecasts +£0.250m: over the default threshold of £0.100m, so it needs an explanation.
NEEDS_ONE = {FORECASTS: TINY[FORECASTS].replace('A1,"1,000.00",12.34', 'A1,"1,000.00",250000.00')}
EXPLAINED = "subject,about,text\nRoads,variance,pothole repairs after the winter\n"


@pytest.fixture
def unexplained(tiny: DataSet) -> DataSet:
    return write_tree(tiny.root, NEEDS_ONE)


def markup(data: DataSet, period: str = "2017-07") -> BeautifulSoup:
    return BeautifulSoup(html.cover(build_report(monitor(data, period))), "html.parser")


# ---------------------------------------------------------------------------
# papers.yaml


def test_without_papers_yaml_every_paper_takes_sensible_defaults(tiny: DataSet) -> None:
    paper = build_report(monitor(tiny, "2017-07")).paper
    assert paper is not None
    assert paper.cover.from_ == "Corporate Director of Finance"
    assert paper.cover.to == "Cabinet"
    assert paper.cover.meeting == "Not yet set"
    assert paper.cover.classification == "Unrestricted"
    # the tiny authority has no capital programme, so the paper is about revenue alone
    assert paper.recommendations == ("note the forecast revenue budget monitoring position for 2017-18",)
    assert [(role, c.name) for role, c in paper.contacts] == [("Contact", "Finance, Tiny Council")]


def test_papers_yaml_sets_the_words_each_paper_takes_or_leaves_to_the_defaults(tiny: DataSet) -> None:
    write_tree(
        tiny.root,
        {
            "papers.yaml": (
                "defaults:\n  from: Director of Resources\n  author: {name: A. Person, title: Accountant}\n"
                "cabinet:\n  to: Executive\n  meetings: {'2017-07': 2017-09-21}\n"
                "  recommendations: [agree the action plan]\n"
            )
        },
    )
    paper = build_report(monitor(tiny, "2017-07"), papers=load_papers(tiny)).paper
    assert paper is not None
    assert (paper.cover.from_, paper.cover.to, paper.cover.meeting) == (
        "Director of Resources",
        "Executive",
        "21 September 2017",
    )
    assert paper.recommendations == ("agree the action plan",)
    assert paper.asked == "Executive is asked to"
    author = paper.contacts[0]
    assert (author[0], author[1].name, author[1].title) == ("Report Author", "A. Person", "Accountant")


def test_a_meeting_date_must_be_a_date(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tiny.root, {"papers.yaml": "cabinet:\n  meetings: {'2017-07': 18/09/2017}\n"})
    assert main(["validate", "--data", str(tiny.root), "--period", "2017-07"]) == 2
    assert "papers.yaml, column cabinet.meetings.2017-07: found '18/09/2017'" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# DRAFT until every explanation is given


def test_a_paper_missing_an_explanation_is_a_draft_on_every_page(unexplained: DataSet) -> None:
    report = build_report(monitor(unexplained, "2017-07"))
    assert report.draft
    page = markup(unexplained)
    banner = cast(Tag, page.select_one(".banner.draft"))
    assert banner.get_text().startswith("DRAFT: not for publication until every explanation the report needs")
    assert [li.get_text() for li in banner.find_all("li")] == ["Alpha Services: Roads (variance +£0.250m)"]
    running = cast(Tag, page.find("meta", attrs={"name": "finlib-running-header"}))
    assert str(running["content"]).startswith("DRAFT · ")  # the PDF's header, on every page
    # the figure without its explanation is printed only in a paper marked DRAFT
    (alpha, _) = report.sections
    assert alpha.commentary.paragraphs[1].startswith("+£0.250m on Roads (a forecast of +£0.250m")


def test_a_paper_with_every_explanation_is_no_draft(unexplained: DataSet) -> None:
    write_tree(unexplained.root, {"2017-18/2017-07/explanations.csv": EXPLAINED})
    assert not build_report(monitor(unexplained, "2017-07")).draft
    assert not markup(unexplained).select(".draft")


def test_publish_refuses_missing_explanations_unless_told_why(
    unexplained: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off_every_directorate(unexplained, "2017-07")
    args = ["publish", "--data", str(unexplained.root), "--period", "2017-07"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "2017-07 has 1 explanation(s) missing, so its papers are drafts; nothing was written" in err
    assert "Alpha Services / Roads: variance +£0.250m" in err
    assert not (unexplained.root / "published").exists()
    assert main([*args, "--allow-missing-explanations", "  "]) == 2
    assert "--allow-missing-explanations needs a reason" in capsys.readouterr().err
    assert main([*args, "--allow-missing-explanations", "Roads explanation to follow from the area office"]) == 0
    (manifest,) = (unexplained.root / "published").rglob("manifest.json")
    assert json.loads(manifest.read_text(encoding="utf-8"))["missing_explanations"] == {
        "count": 1,
        "reason": "Roads explanation to follow from the area office",
    }


def test_the_publication_record_keeps_why_a_period_went_out_with_explanations_missing(tiny: DataSet) -> None:
    may = "2017-18/2017-05/forecasts.csv"
    write_tree(tiny.root, {may: TINY[may].replace("A1,1000.00,10.00", "A1,1000.00,250000.00")})
    reason = "Roads explanation to follow"
    sign_off_every_directorate(tiny, "2017-05")
    args = ["publish", "--data", str(tiny.root), "--period", "2017-05", "--allow-missing-explanations", reason]
    assert main(args) == 0
    record = build_report(monitor(tiny, "2017-07")).appendix.publications.frame
    (row,) = record.to_dict("records")
    assert (row["period"], row["missing"]) == ("2017-05", f"1: {reason}")
    text = BeautifulSoup(html.appendix(build_report(monitor(tiny, "2017-07"))), "html.parser").get_text()
    assert "Explanations missing" in text and reason in text


def test_a_period_with_none_missing_records_none(tiny: DataSet) -> None:
    sign_off_every_directorate(tiny, "2017-05")
    assert main(["publish", "--data", str(tiny.root), "--period", "2017-05"]) == 0
    (manifest,) = (tiny.root / "published").rglob("manifest.json")
    assert json.loads(manifest.read_text(encoding="utf-8"))["missing_explanations"] is None


# ---------------------------------------------------------------------------
# Dates and times


def test_dates_and_times_as_the_papers_print_them() -> None:
    assert long_date(dt.date(2017, 8, 14)) == "14 August 2017"
    assert long_date(dt.date(2017, 9, 1)) == "1 September 2017"
    assert uk_time(dt.datetime(2017, 8, 14, 8, 30, tzinfo=dt.UTC)) == "14 August 2017, 09:30 BST"
    assert uk_time(dt.datetime(2026, 11, 22, 6, 9, tzinfo=dt.UTC)) == "22 November 2026, 06:09 GMT"
    assert uk_time(dt.datetime(2017, 3, 26, 0, 59)) == "26 March 2017, 00:59 GMT"  # naive: taken as UTC
    assert uk_time(dt.datetime(2017, 3, 26, 1, 0, tzinfo=dt.UTC)) == "26 March 2017, 02:00 BST"


def test_the_appendix_prints_dates_and_times_not_timestamps(tiny: DataSet) -> None:
    sign_off_every_directorate(tiny, "2017-05")
    assert main(["publish", "--data", str(tiny.root), "--period", "2017-05"]) == 0
    text = BeautifulSoup(html.appendix(build_report(monitor(tiny, "2017-07"))), "html.parser").get_text()
    assert "10 August 2017" in text  # an adjustment's date
    assert not [word for word in text.split() if len(word) > 18 and word[:4].isdigit() and "T" in word]
    assert " GMT" in text or " BST" in text


# ---------------------------------------------------------------------------
# Quiet runs


def test_a_run_outside_a_terminal_is_quiet_and_plain(tiny: DataSet, tmp_path: Path) -> None:
    finlib = Path(sys.executable).parent / "finlib"
    run = subprocess.run(
        [str(finlib), "report", "--data", str(tiny.root), "--period", "2017-07", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "TERM": "dumb"},
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    both = run.stdout + run.stderr
    assert "TCP" not in both and "eavesdropping" not in both  # no kernel transport warning
    assert "\r" not in both and "\x1b" not in both  # no progress-bar control characters in a log
    assert "report 1 of 1 done: cabinet" in both
