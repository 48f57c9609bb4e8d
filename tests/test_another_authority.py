"""The sample under another authority's names and in another year: every figure is the same, every name
follows the data set, and the pack runs with that authority's own committees.

The directorates are renamed (one to a name longer than Excel's 31 characters), the year moves from
2017-18 to 2018-19 and May is published before July is reported, as a finance team would.  Nothing in
finlib knows the new names, so a figure or a sentence tied to the sample's would show here."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from finlib.cli import main
from finlib.config import slug
from finlib.core.revenue import short_name
from tests.conftest import SAMPLE
from tests.factories import sign_off_every_directorate
from tests.managers import fill_returns, read_csv

NAMES = {
    "Children, Young People & Education": "Children's Services",
    "Adult Social Care & Health": "Adults Health and Wellbeing Services of the County",
    "Growth, Environment & Transport": "Place",
    "Strategic & Corporate Services": "Resources",
}
LONG = NAMES["Adult Social Care & Health"]
YEARS = {"2019-20": "2020-21", "2018-19": "2019-20", "2017-18": "2018-19"}  # later years first
COMMITTEES = f"""committees:
  resources:
    name: Resources Scrutiny Panel
    directorates: [Resources]
    authority_summary: true
  people:
    name: People Scrutiny Panel
    directorates: ["Children's Services"]
    divisions: ["{LONG} - Adults"]
  place:
    name: Place Scrutiny Panel
    headings: [Waste Management, Highways Asset Management]
"""
FILES = (
    "authority.yaml",
    "2017-18/budget_book.csv",
    "2017-18/capital_programme.csv",
    "2017-18/kpis.csv",
    "2017-18/savings.csv",
)


def renamed(text: str) -> str:
    for old, new in NAMES.items():
        text = text.replace(old, new)
    for old, new in YEARS.items():
        text = text.replace(old, new)
    return text.replace("2017-", "2018-").replace("Kent County Council", "Shire County Council")


@pytest.fixture(scope="module")
def shire(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shire")
    folders = [SAMPLE / "2017-18" / period for period in ("2017-05", "2017-07")]
    periods = [p.relative_to(SAMPLE) for folder in folders for p in folder.iterdir()]
    for name in [*map(Path, FILES), *periods]:
        target = root / renamed(str(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(renamed((SAMPLE / name).read_text(encoding="utf-8")), encoding="utf-8")
    # the year before is not in this data set: its outturn's roll forwards are not there to reconcile May's
    # budgets with the original budget, so the book is handed in without one (budgets then start at May's)
    book = root / "2018-19" / "budget_book.csv"
    with book.open(encoding="utf-8", newline="") as handle:
        rows = [{k: v for k, v in row.items() if k != "original_budget"} for row in csv.DictReader(handle)]
    with book.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (root / "2018-19" / "2018-05" / "virements.csv").unlink()
    (root / "committees.yaml").write_text(COMMITTEES, encoding="utf-8")
    with (root / "authority.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"short_names:\n  {LONG}: Adults & Health\n")
    reason = "May's figures only; the explanations come with July's"
    sign_off_every_directorate(root, "2018-05")
    assert main(["publish", "--data", str(root), "--period", "2018-05", "--allow-missing-explanations", reason]) == 0
    return root


def totals(cell: str) -> str:
    """A directorate's total row is named after its initials (``Total S&CS`` becomes ``Total R``)."""
    for old, new in NAMES.items():
        if cell == f"Total {short_name(old)}":
            return f"Total {short_name(new)}"
    return cell


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_every_figure_is_the_samples_under_the_new_names(shire: Path, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "sample", tmp_path / "shire"
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(ours)]) == 0
    assert main(["tables", "--data", str(shire), "--period", "2018-07", "--out", str(theirs)]) == 0
    compared = 0
    for table in sorted(ours.rglob("*.csv")):
        name = table.relative_to(ours)
        if name.parent.name == "directorates":
            directorate = next(d for d in NAMES if slug(d) == name.stem)
            name = name.with_name(slug(NAMES[directorate]) + ".csv")
        expected = [[totals(renamed(cell)) for cell in row] for row in rows(table)]
        assert rows(theirs / name) == expected, name
        compared += 1
    assert compared == 7  # authority, capital, savings and the four directorates


def test_the_pack_follows_the_authoritys_own_committees(shire: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    assert main(["report", "--data", str(shire), "--period", "2018-07", "--out", str(out)]) == 0
    papers = {"cabinet", "resources", "people", "place"}
    assert {p.name for p in out.glob("*.html")} == {f"{n}{d}.html" for n in papers for d in ("", "-dashboard")}
    dashboard = BeautifulSoup((out / "resources-dashboard.html").read_text(encoding="utf-8"), "html.parser")
    words = " ".join(dashboard.get_text(" ").split())
    assert "results to July 2018-19 of 26 Key Performance Indicators and 18 activity indicators of the Resources" in (
        words
    )
    assert "Resources Performance Dashboard: July 2018-19" in words
    people = BeautifulSoup((out / "people.html").read_text(encoding="utf-8"), "html.parser").get_text("")
    assert "The People Scrutiny Panel is asked to" in people
    assert "Children's Services directorate is forecasting a pressure of +£7.961m" in people
    # a division's remit: Adults without Disabled Children Services or Public Health
    assert f"{LONG} budget headings in this committee's remit are forecasting a pressure of +£2.535m" in people
    assert "Older People - Nursing Care" in people and "Public Health - Mandated Services" not in people
    # compared with May as published, in the new year
    assert "compares them with the last report to Cabinet, May 2018-19" in people
    unassigned = rows(out / "working" / "unassigned_headings.csv")
    assert [LONG, "Public Health Grant & Reserves"] in [row[:2] for row in unassigned]
    assert ["Place", "Economic Development"] in [row[:2] for row in unassigned]


def test_the_workbook_names_a_long_directorate_by_its_short_name(shire: Path, tmp_path: Path) -> None:
    book = tmp_path / "shire.xlsx"
    assert main(["export", "--data", str(shire), "--period", "2018-07", "--xlsx", str(book)]) == 0
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets[:5] == ["Authority", "Children's Services", "Adults & Health", "Place", "Resources"]
    title = openpyxl.load_workbook(book)["Adults & Health"]["A2"].value
    assert title == f"{LONG} revenue position, July 2018-19"


def test_the_sample_is_left_as_it_was(shire: Path) -> None:
    assert not (SAMPLE / "published" / "2018-19").exists()
    assert (shire / "published" / "2018-19" / "2018-05" / "v1").is_dir()


def test_returns_go_round_with_the_managers_in_the_budget_book(shire: Path, tmp_path: Path) -> None:
    """Another authority, no ledger, managers named in the budget book's own columns, variances entered:
    issue, fill as the managers would, collect; the tables are those of the authority's own forecasts."""
    data = tmp_path / "shire"
    shutil.copytree(shire, data)
    book = data / "2018-19" / "budget_book.csv"
    holders = {row["line_id"]: row for row in read_csv(SAMPLE / "2017-18" / "managers.csv")}
    lines = read_csv(book)
    with book.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*lines[0], "manager", "manager_email"], lineterminator="\n")
        writer.writeheader()
        for line in lines:
            holder = holders[line["line_id"]]
            writer.writerow({**line, "manager": holder["manager"], "manager_email": holder["email"]})
    out = tmp_path / "returns"
    issue = ["returns", "issue", "--data", str(data), "--period", "2018-07", "--out", str(out), "--enter", "variance"]
    assert main(issue) == 0
    header = [cell.value for cell in openpyxl.load_workbook(out / "amira-hussain.xlsx")["Forecast"][4]]
    assert "Your forecast variance £" in header and not any("Actual" in str(title) for title in header)
    fill_returns(out, data / "2018-19" / "2018-07", book)
    collect = ["returns", "collect", "--data", str(data), "--period", "2018-07", str(out), "--replace"]
    assert main(collect) == 0
    for name, root in (("collected", data), ("own", shire)):
        assert main(["tables", "--data", str(root), "--period", "2018-07", "--out", str(tmp_path / name)]) == 0
    tables = sorted(p.relative_to(tmp_path / "own") for p in (tmp_path / "own").rglob("*.csv"))
    assert len(tables) == 7
    for table in tables:
        assert (tmp_path / "collected" / table).read_bytes() == (tmp_path / "own" / table).read_bytes(), table
