"""Committees belong to the data set: another authority's committees, remits by directorate, division
and heading, a year's own file, no file at all, one committee run while another is broken."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, cast

import pytest
from bs4 import BeautifulSoup, Tag

from finlib.cli import main
from finlib.config import DataSet
from finlib.errors import InputError, UsageError
from finlib.inputs.committees import load_committees
from finlib.monitoring import monitor
from finlib.report import build_reports
from tests.conftest import write_tree

#: The tiny authority's committees: its directorates are not the sample's.
COMMITTEES = """committees:
  roads:
    name: Roads Committee
    divisions: ["Alpha Services - North"]
  parks-and-libraries:
    name: Parks & Libraries Committee
    headings: [Parks]
    directorates: [Beta & Gamma]
    authority_summary: true
"""


@pytest.fixture
def tiny_committees(tiny: DataSet) -> DataSet:
    return write_tree(tiny.root, {"committees.yaml": COMMITTEES})


def headings(path: Path, caption_start: str) -> list[str]:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    (table,) = [t for t in page.find_all("table") if t.caption and caption_start in t.caption.get_text()]
    return [cast(Tag, row.find("th")).get_text() for row in table.select("tbody tr")]


def test_another_authority_runs_with_its_own_committees(
    tiny_committees: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["report", "--data", str(tiny_committees.root), "--period", "2017-07", "--out", str(out)]) == 0
    assert {p.name for p in out.glob("*.html")} == {"cabinet.html", "roads.html", "parks-and-libraries.html"}
    # a remit of a division: North's Roads, a part of Alpha Services with the remit's own total
    assert headings(out / "roads.html", "Alpha Services revenue position") == [
        "Roads",
        "Total AS (this committee's headings)",
    ]
    # a remit of a heading (South's Parks) and a whole directorate
    both = out / "parks-and-libraries.html"
    assert headings(both, "Alpha Services revenue position") == ["Parks", "Total AS (this committee's headings)"]
    assert headings(both, "Beta & Gamma revenue position") == ["Libraries", "Total B&G"]
    assert "Revenue position by directorate" in both.read_text(encoding="utf-8")
    assert "Revenue position by directorate" not in (out / "roads.html").read_text(encoding="utf-8")
    assert "no such file" not in capsys.readouterr().out


def test_without_a_committees_file_the_pack_is_the_cabinet_report_alone_and_says_so(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["report", "--data", str(tiny.root), "--period", "2017-07", "--out", str(out)]) == 0
    assert {p.name for p in out.glob("*.html")} == {"cabinet.html"}
    assert "committees.yaml: no such file, so the pack is the Cabinet report alone" in capsys.readouterr().out
    assert main(["report", "--data", str(tiny.root), "--period", "2017-07", "--out", str(out), "--committee", "x"]) == 2
    assert "has no committees.yaml" in capsys.readouterr().err


def test_a_remit_naming_what_the_budget_book_lacks_names_file_committee_and_name(tiny: DataSet) -> None:
    broken = COMMITTEES.replace("headings: [Parks]", "headings: [Pavements]").replace(
        "directorates: [Beta & Gamma]", "directorates: [Beta & Gamma, Gamma Rays]"
    )
    write_tree(tiny.root, {"committees.yaml": broken})
    with pytest.raises(InputError) as raised:
        load_committees(tiny, "2017-07")
    message = str(raised.value)
    assert (
        "committees.yaml, column committees.parks-and-libraries.headings: found 'Pavements'; expected for the Parks "
        "& Libraries Committee, one of the headings of the 2017-18 budget book: Roads; Parks; Libraries" in message
    )
    assert "column committees.parks-and-libraries.directorates: found 'Gamma Rays'" in message
    assert "2 problems" in message


def test_a_name_close_to_one_of_the_budget_books_is_suggested(tiny: DataSet) -> None:
    write_tree(tiny.root, {"committees.yaml": COMMITTEES.replace("headings: [Parks]", "headings: [Parkss]")})
    with pytest.raises(InputError, match=r"budget book \(did you mean 'Parks'\?\)"):
        load_committees(tiny, "2017-07")


def test_one_committee_runs_however_the_others_stand(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tiny.root, {"committees.yaml": COMMITTEES.replace("headings: [Parks]", "headings: [Pavements]")})
    args = ["report", "--data", str(tiny.root), "--period", "2017-07"]
    assert main([*args, "--out", str(tmp_path / "all")]) == 2
    assert "found 'Pavements'" in capsys.readouterr().err
    assert not (tmp_path / "all").exists()
    assert main([*args, "--out", str(tmp_path / "one"), "--committee", "roads"]) == 0
    assert {p.name for p in (tmp_path / "one").glob("*.html")} == {"roads.html"}
    with pytest.raises(UsageError, match="unknown committee 'road'"):
        load_committees(tiny, "2017-07", only="road")


def test_a_years_own_committees_file_is_read_instead(tiny_committees: DataSet) -> None:
    write_tree(
        tiny_committees.root,
        {
            "2017-18/committees.yaml": (
                "committees:\n  everything:\n    name: Everything\n    directorates: [Alpha Services]\n"
            )
        },
    )
    assert list(load_committees(tiny_committees, "2017-07")) == ["everything"]


def test_headings_in_no_remit_are_listed_in_working(
    tiny: DataSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tiny.root, {"committees.yaml": COMMITTEES.replace("    headings: [Parks]\n", "")})
    reports = build_reports(monitor(tiny, "2017-07"), load_committees(tiny, "2017-07"))
    assert list(reports.unassigned.frame[["directorate", "heading"]].itertuples(index=False, name=None)) == [
        ("Alpha Services", "Parks")
    ]
    out = tmp_path / "out"
    assert main(["report", "--data", str(tiny.root), "--period", "2017-07", "--out", str(out)]) == 0
    with open(out / "working" / "unassigned_headings.csv", encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [["directorate", "heading"], ["Alpha Services", "Parks"]]
    assert "1 heading(s) in no committee's remit" in capsys.readouterr().err


def test_a_part_of_a_directorate_has_the_remits_own_total(tiny_committees: DataSet) -> None:
    reports = build_reports(monitor(tiny_committees, "2017-07"), load_committees(tiny_committees, "2017-07"))
    (section,) = reports.extracts["roads"].sections
    assert section.part
    mine = dict(zip(section.table.frame["heading"], section.table.frame["revised_net_variance"], strict=True))
    alpha = next(s for s in reports.cabinet.sections if s.name == "Alpha Services").table.frame
    whole: dict[str, Any] = dict(zip(alpha["heading"], alpha["revised_net_variance"], strict=True))
    assert list(mine) == ["Roads", "Total AS (this committee's headings)"]
    assert mine["Roads"] == whole["Roads"] == mine["Total AS (this committee's headings)"]
    assert whole["Total AS"] != whole["Roads"]  # the remit's total, not Alpha's
    part, whole_directorate = reports.extracts["parks-and-libraries"].sections
    assert part.part and not whole_directorate.part
