"""Exempt items: restricted lines and schemes are never named in a public output, their figures are
shown only in "Exempt items" rows, every total is the authority's total; the officers' version names them.

One tiny authority (tests/conftest.py TINY, with larger amounts and a small capital programme) holds a
restricted service line in a division of its own, a restricted financing line, a restricted schools
line and a restricted capital scheme, each with tell-tale names, tags, adjustments, explanations and
funding.  The public and restricted versions of every output are compared table by table: the public
table is the officers' table with the exempt names replaced, figure for figure.
"""

from __future__ import annotations

import base64
import csv
import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup, Tag

from finlib import pack
from finlib.cli import main
from finlib.config import DataSet
from finlib.core import exempt
from finlib.core.settings import EXEMPT
from finlib.monitoring import monitor
from finlib.report import build_report
from tests.conftest import SAMPLE, TINY, write_tree
from tests.factories import sign_off_every_directorate

PERIOD, LABEL = "2017-07", "July 2017-18"

EXEMPT_TINY = {
    **TINY,
    "authority.yaml": (
        "name: Tiny Council\nthresholds:\n  variance_commentary: 100000\n  movement_commentary: 10000\n"
        "  capital_real: 1000\n  capital_rephasing: 1000\n"
    ),
    "2017-18/budget_book.csv": (
        "line_id,directorate,division,heading,kind,tag,restricted\n"
        "A1,Alpha Services,North,Roads,service,,\n"
        "A2,Alpha Services,North,Roads,service,,false\n"
        "A3,Alpha Services,South,Parks,service,,\n"
        "HUSH1,Alpha Services,Covert Unit,Secret Settlement,service,Hush Tag,true\n"
        "B1,Beta & Gamma,,Libraries,service,,\n"
        "B2,Beta & Gamma,,Libraries,service,Asset Utilisation,\n"
        "F1,Financing Items,,Debt charges,financing,,\n"
        "HUSH2,Financing Items,,Covert Loan,financing,,TRUE\n"
        "S1,Alpha Services,,Schools' Delegated Budgets,schools,,\n"
        "HUSH3,Alpha Services,,Hidden School Fund,schools,,true\n"
    ),
    "2017-18/2017-05/forecasts.csv": (
        "line_id,net_budget,net_forecast_variance\n"
        "A1,1000000.00,10000.00\nA2,2000000.00,-5000.00\nA3,500000.00,0\nHUSH1,250000.00,300000.00\n"
        "B1,-300000.00,1000.00\nB2,0,50000.00\nF1,700000.00,-20000.00\nHUSH2,90000.00,1234.56\n"
        "S1,0,7000.00\nHUSH3,0,-333.33\n"
    ),
    "2017-18/2017-07/forecasts.csv": (
        "line_id,net_budget,net_forecast_variance\n"
        'A1,"1,000,000.00",123456.78\nA2,£2000000,"(5,012.34)"\nA3,500000.00,55.55\n'
        "HUSH1,250000.00,400070.07\nB1,-300000,2500.50\nB2,0,60000\nF1,700000,-20490.49\n"
        "HUSH2,90000.00,2345.67\nS1,0,8000\nHUSH3,0,-444.44\n"
    ),
    "2017-18/2017-07/adjustments.csv": (
        "line_id,amount,reason,author,date\n"
        "A1,-2000.00,Management action,Director A,2017-08-10\n"
        "HUSH1,-55555.55,Hush money returned,Agent Smith,2017-08-10\n"
        "A1,-1000.00,More action,Director A,2017-08-11\n"
        "HUSH2,-111.11,Quiet refinancing,Agent Smith,2017-08-11\n"
        "S1,3000.00,Schools reserve,Director A,2017-08-12\n"
        "HUSH3,222.22,Hidden School top-up,Agent Smith,2017-08-12\n"
    ),
    "2017-18/2017-07/explanations.csv": (
        "subject,about,text\n"
        "Roads,variance,pothole repairs after the winter\n"
        "Roads,movement,more potholes\n"
        "Libraries,movement,longer opening hours\n"
        "Secret Settlement,variance,Tribunal award to a former employee\n"
        "Secret Settlement,movement,Tribunal award increased\n"
        "Hush Tag,variance,Tribunal award costs\n"
        "Covert Loan,variance,Tribunal award financed\n"
        "CLANDESTINE,capital,Confidential land purchase brought forward\n"
        "A-RD,capital,Depot roof replaced early\n"
    ),
    "2017-18/capital_programme.csv": (
        "scheme_id,scheme,directorate,year,budget,restricted\n"
        'A-RD,Road Depot,Alpha Services,2017-18,"1,000,000.00",\n'
        'A-RD,Road Depot,Alpha Services,2018-19,"500,000.00",\n'
        'CLANDESTINE,Clandestine Depot,Alpha Services,2017-18,"800,000.00",true\n'
        'CLANDESTINE,Clandestine Depot,Alpha Services,2018-19,"200,000.00",true\n'
        'B-LIB,Library Refit,Beta & Gamma,2017-18,"300,000.00",\n'
        'B-LIB,Library Refit,Beta & Gamma,2018-19,"100,000.00",\n'
    ),
    "2017-18/2017-07/capital_forecasts.csv": (
        "scheme_id,year,real_variance,rephasing_variance\n"
        "A-RD,2017-18,20000.00,\n"
        "CLANDESTINE,2017-18,75250.25,-100000.00\n"
        "CLANDESTINE,2018-19,,100000.00\n"
        "B-LIB,2017-18,,\n"
    ),
    "2017-18/2017-07/capital_funding.csv": (
        "scheme_id,year,source,amount\n"
        "A-RD,2017-18,capital receipts,20000.00\n"
        "CLANDESTINE,2017-18,Whisper Fund,75250.25\n"
    ),
}

#: Text that only the restricted items carry: none of it may appear in a public output.
TELL_TALES = (
    "Secret Settlement",
    "Covert Unit",
    "Hush Tag",
    "HUSH1",
    "Hush money",
    "Agent Smith",
    "Tribunal award",
    "Covert Loan",
    "Quiet refinancing",
    "Hidden School",
    "Clandestine Depot",
    "CLANDESTINE",
    "Whisper Fund",
    "Confidential land",
)
#: A cell of the officers' version → the same cell of the public version (every other cell is equal).
TO_PUBLIC = {
    "Alpha Services - Covert Unit": f"Alpha Services - {EXEMPT}",
    "Secret Settlement": EXEMPT,
    "Covert Loan": EXEMPT,
    "Hidden School Fund": EXEMPT,
    "Clandestine Depot": EXEMPT,
    "Hush money returned": exempt.EXEMPT_TEXT,
    "Quiet refinancing": exempt.EXEMPT_TEXT,
    "Hidden School top-up": exempt.EXEMPT_TEXT,
    "Agent Smith": exempt.EXEMPT_TEXT,
}
VERSIONS = ("public", "restricted")


def leaks(text: str) -> list[str]:
    """The tell-tales in ``text``, including inside base64 data (the charts' SVG images)."""
    decoded = [base64.b64decode(chunk).decode("utf-8", "replace") for chunk in re.findall(r"base64,([\w+/=]+)", text)]
    whole = "\n".join([text, *decoded]).lower()
    return [t for t in TELL_TALES if t.lower() in whole]


def as_public(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    return [[TO_PUBLIC.get(c, c) if isinstance(c, str) else c for c in row] for row in rows]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> DataSet:
    """The authority with May published (so July has Last Reported and Movement figures)."""
    data = write_tree(tmp_path_factory.mktemp("exempt") / "tiny", EXEMPT_TINY)
    sign_off_every_directorate(data, "2017-05")
    assert main(["publish", "--data", str(data.root), "--period", "2017-05"]) == 0
    return data


@pytest.fixture(scope="module")
def exports(data: DataSet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``finlib tables`` and ``finlib export --xlsx``, public and restricted: version → folder."""
    folders: dict[str, Path] = {}
    for version in VERSIONS:
        out = tmp_path_factory.mktemp(version)
        extra = ["--restricted"] if version == "restricted" else []
        common = ["--data", str(data.root), "--period", PERIOD, *extra]
        assert main(["tables", *common, "--out", str(out / "tables")]) == 0
        assert main(["export", *common, "--xlsx", str(out / "tables.xlsx")]) == 0
        folders[version] = out
    return folders


@pytest.fixture(scope="module")
def reports(data: DataSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Cabinet report, public and restricted, run once through the notebooks (as ``finlib report``)."""
    out = tmp_path_factory.mktemp("reports")
    jobs = [pack.plan(data.root, PERIOD, {}, restricted=r)[0] for r in (False, True)]
    result = pack.run_pack(jobs, out, workers=2, progress=False)
    assert not result.failed, [o.error for o in result.failed]
    return out


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def csv_files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*.csv"))


def as_public_name(path: Path) -> Path:
    """An officers' file's name as the public one: ``authority.restricted.csv`` → ``authority.csv``."""
    return path.with_name(path.name.replace(".restricted.", "."))


def sheets(path: Path) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_tables(page: BeautifulSoup) -> dict[str, list[list[str]]]:
    tables: dict[str, list[list[str]]] = {}
    for table in page.find_all("table"):
        caption = re.sub(r"^Table \d+: ", "", cast(Tag, table.caption).get_text())  # by title, not number
        assert caption not in tables, f"two tables captioned {caption!r}"
        tables[caption] = [[c.get_text() for c in row.find_all(["th", "td"])] for row in table.find_all("tr")]
    return tables


# ---------------------------------------------------------------------------
# The figures, exact


def test_the_public_figures_are_the_officers_to_the_penny(data: DataSet) -> None:
    monitoring = monitor(data, PERIOD)
    public, officers = build_report(monitoring), build_report(monitoring, restricted=True)
    assert public.notice == exempt.NOTICE and officers.notice is None
    assert not public.restricted and officers.restricted

    def cells(frame: pd.DataFrame) -> list[list[object]]:
        return [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]

    assert cells(public.authority.table.frame) == as_public(cells(officers.authority.table.frame))
    for mine, theirs in zip(public.sections, officers.sections, strict=True):
        assert cells(mine.table.frame) == as_public(cells(theirs.table.frame))
    assert public.authority.capital is not None and officers.authority.capital is not None
    assert cells(public.authority.capital.frame) == cells(officers.authority.capital.frame)
    # the Exempt items row holds the restricted line's figures; the totals are the authority's
    alpha = public.sections[0].table.frame.set_index("heading")
    secret = cast("pd.Series[Any]", officers.sections[0].table.frame.set_index("heading").loc["Secret Settlement"])
    assert alpha.loc[EXEMPT].equals(secret)
    assert int(cast(Any, alpha.loc[EXEMPT, "revised_net_variance"])) == 400_070_07 - 55_555_55
    lines = monitoring.position.lines
    headline = cast("pd.Series[Any]", public.authority.table.frame.set_index("row").loc["TOTAL"])
    for column in ("net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"):
        assert int(headline[column]) == int(lines[column].fillna(0).sum()), column


# ---------------------------------------------------------------------------
# finlib tables (CSV) and finlib export --xlsx


def test_the_public_csv_tables_name_no_exempt_item(exports: dict[str, Path]) -> None:
    folder = exports["public"] / "tables"
    for path in folder.rglob("*"):
        if path.is_file():
            assert not leaks(path.read_text(encoding="utf-8")), path.name
    alpha = read_csv(folder / "directorates" / "alpha-services.csv")
    assert [r[0] for r in alpha] == ["heading", "Roads", "Parks", EXEMPT, "Total AS"]
    assert [r[0] for r in read_csv(folder / "capital.csv")].count(EXEMPT) == 2  # its two years


def test_the_public_csv_tables_are_the_officers_with_the_names_replaced(exports: dict[str, Path]) -> None:
    public, officers = exports["public"] / "tables", exports["restricted"] / "tables"
    assert all(name.name.endswith(".restricted.csv") for name in csv_files(officers)), "marked, never public names"
    assert csv_files(public) == [as_public_name(name) for name in csv_files(officers)]
    for name in csv_files(officers):
        assert read_csv(public / as_public_name(name)) == as_public(read_csv(officers / name)), name
    officers_text = "".join((officers / name).read_text(encoding="utf-8") for name in csv_files(officers))
    assert set(leaks(officers_text)) >= {"Secret Settlement", "Covert Unit", "Clandestine Depot"}


def test_the_public_workbook_names_no_exempt_item_in_any_cell_or_part(exports: dict[str, Path]) -> None:
    path = exports["public"] / "tables.xlsx"
    with zipfile.ZipFile(path) as archive:  # every part: cells, shared strings, sheet names, properties
        for part in archive.namelist():
            assert not leaks(archive.read(part).decode("utf-8", "replace")), part
    found = {title: [c for row in rows for c in row if c == EXEMPT] for title, rows in sheets(path).items()}
    # the directorate table's row, the capital programme's two years, the three adjustments of exempt lines
    assert {title: len(cells) for title, cells in found.items() if cells} == {
        "Alpha Services": 1,
        "Capital": 2,
        "Adjustments": 3,
    }
    cells = [c for rows in sheets(path).values() for row in rows for c in row if isinstance(c, str)]
    assert f"Alpha Services - {EXEMPT}" in cells


def test_the_public_workbook_is_the_officers_with_the_names_replaced(exports: dict[str, Path]) -> None:
    public = sheets(exports["public"] / "tables.xlsx")
    officers = sheets(exports["restricted"] / "tables.restricted.xlsx")
    assert (
        list(public)
        == list(officers)
        == [
            "Authority",
            "Alpha Services",
            "Beta & Gamma",
            "Capital",
            "Adjustments",
            "Commentary",
        ]
    )
    for title, rows in officers.items():
        if title != "Commentary":  # words, not a table: the public paragraphs say less (leak-tested above)
            assert public[title] == as_public(rows), title
    officers_cells = {c for rows in officers.values() for row in rows for c in row if isinstance(c, str)}
    assert {"Secret Settlement", "Alpha Services - Covert Unit", "Clandestine Depot"} <= officers_cells


# ---------------------------------------------------------------------------
# The HTML report (finlib report), through the notebooks


def test_the_public_report_names_no_exempt_item(reports: Path) -> None:
    assert {p.name for p in reports.iterdir() if p.is_file()} == {
        "cabinet.html",
        "cabinet.ipynb",
        "cabinet.restricted.html",
        "cabinet.restricted.ipynb",
    }
    for name in ("cabinet.html", "cabinet.ipynb"):  # the report and the executed notebook kept beside it
        assert not leaks((reports / name).read_text(encoding="utf-8")), name
    page = soup(reports / "cabinet.html")
    assert exempt.NOTICE in page.get_text()
    assert not page.select(".restricted"), "no RESTRICTED banner on the public report"
    assert "RESTRICTED" not in cast(Tag, page.title).get_text()
    tables = html_tables(page)
    alpha = tables[f"Alpha Services revenue position, {LABEL} (£'000)"]
    assert [r[0] for r in alpha] == ["Budget Book Heading", "Roads", "Parks", EXEMPT, "Total AS"]
    assert alpha[3][1:] == ["250.0", "400.1", "−55.6", "344.5", "300.0", "44.5"]
    authority = tables[f"Revenue position by directorate, {LABEL} (£m)"]
    assert [f"Alpha Services - {EXEMPT}", "0.250", "0.400", "−0.056", "0.345", "0.300", "0.045"] in authority
    text = page.get_text()
    assert f"Exempt items: +£0.075m real variance in {'2017-18'}" in text  # the restricted scheme, unnamed


def test_every_public_table_is_the_officers_with_the_names_replaced(reports: Path) -> None:
    public, officers = (
        html_tables(soup(reports / "cabinet.html")),
        html_tables(soup(reports / "cabinet.restricted.html")),
    )
    assert list(public) == list(officers)
    for caption, rows in officers.items():
        assert public[caption] == as_public(rows), caption


def test_the_restricted_report_names_the_items_and_says_so_on_every_page(reports: Path) -> None:
    raw = (reports / "cabinet.restricted.html").read_text(encoding="utf-8")
    assert set(leaks(raw)) >= {"Secret Settlement", "Clandestine Depot", "Whisper Fund", "Tribunal award"}
    page = soup(reports / "cabinet.restricted.html")
    assert cast(Tag, page.title).get_text().startswith("RESTRICTED")
    (banner,) = page.select(".restricted")
    assert banner.get_text().startswith("RESTRICTED: not for publication")
    assert "banner" in cast(list[str], banner["class"])
    assert banner.find_parent("header") is not None
    assert exempt.NOTICE not in page.get_text()
    (style,) = [s.get_text() for s in page.find_all("style") if ".finlib .banner" in s.get_text()]
    screen, _, printed = style.partition("@media print")
    assert re.search(r"\.finlib \.banner \{[^}]*position: sticky; top: 0", screen), "stays in view on screen"
    # printed, the banner stays at the top of page 1 (never over the text of later pages) and the mark is in
    # the top margin of every page (tests/test_pdf.py prints it)
    assert re.search(r"\.finlib \.banner \{[^}]*position: static", printed)
    (marks,) = [s.get_text() for s in page.select("style.page-marks")]
    assert '@top-right { content: "RESTRICTED' in marks
    running = cast(Tag, page.find("meta", attrs={"name": "finlib-running-header"}))
    assert str(running["content"]).startswith("RESTRICTED · "), "and in the PDF's running header"


def test_report_command_keeps_exempt_names_out_of_the_public_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sample with a GET heading exempt (one that lacks its explanation): the public run's folder
    never names it, not even in the business partner's working output; --restricted does."""
    secret = "Environment, Planning & Enforcement"
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    book = data / "2017-18" / "budget_book.csv"
    text = book.read_text(encoding="utf-8")
    line = f'GET-06,"Growth, Environment & Transport",,"{secret}",service,,,'  # restricted, then original_budget
    assert any(row.startswith(line) for row in text.splitlines())
    book.write_text(text.replace(line, line[:-1] + "true,"), encoding="utf-8")
    out = tmp_path / "reports"
    args = [
        "report",
        "--data",
        str(data),
        "--period",
        "2017-07",
        "--out",
        str(out),
        "--committee",
        "environment-transport",
    ]
    assert main(args) == 0
    public_output = capsys.readouterr()
    for path in out.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8", errors="replace"), path
    assert secret not in public_output.out + public_output.err
    assert "1 more explanation(s) or capital warning(s) concern exempt items" in public_output.err
    assert "Exempt items" in (out / "environment-transport.html").read_text(encoding="utf-8")
    assert main([*args, "--restricted"]) == 0
    capsys.readouterr()
    restricted = (out / "environment-transport.restricted.html").read_text(encoding="utf-8")
    assert secret.replace("&", "&amp;") in restricted and "RESTRICTED" in restricted
    assert secret in (out / "working.restricted" / "missing_explanations.csv").read_text(encoding="utf-8")
    assert secret not in (out / "working" / "missing_explanations.csv").read_text(encoding="utf-8")


def _with(extra_line: str, forecast: str, explanation: str, tmp_path: Path) -> DataSet:
    files = dict(EXEMPT_TINY)
    files["2017-18/budget_book.csv"] += extra_line + "\n"
    files["2017-18/2017-05/forecasts.csv"] += forecast + "\n"
    files["2017-18/2017-07/forecasts.csv"] += forecast + "\n"
    files["2017-18/2017-07/explanations.csv"] += explanation + "\n"
    return write_tree(tmp_path / "tiny", files)


def test_an_explanation_of_a_heading_shared_with_an_exempt_line_is_not_published(tmp_path: Path) -> None:
    data = _with(
        "HUSH4,Alpha Services,North,Roads,service,,true",
        "HUSH4,0,90000.00",
        "Roads,variance,mostly the confidential tribunal settlement",
        tmp_path,
    )
    monitoring = monitor(data, "2017-07")
    public = " ".join(p for s in build_report(monitoring).sections for p in s.commentary.paragraphs)
    private = " ".join(p for s in build_report(monitoring, restricted=True).sections for p in s.commentary.paragraphs)
    assert "confidential tribunal" in private
    assert "confidential tribunal" not in public and "pothole" not in public


def test_a_tag_shared_with_an_exempt_line_splits_as_in_the_officers_report(tmp_path: Path) -> None:
    data = _with(
        "HUSH5,Beta & Gamma,,Libraries,service,Asset Utilisation,true",
        "HUSH5,0,70000.00",
        "Libraries,variance,opening hours",
        tmp_path,
    )
    monitoring = monitor(data, "2017-07")
    splits = {
        restricted: [
            s.commentary.paragraphs[1]
            for s in build_report(monitoring, restricted).sections
            if s.name == "Beta & Gamma"
        ]
        for restricted in (False, True)
    }
    assert "+£0.130m" in splits[True][0]
    assert splits[False] == splits[True]
