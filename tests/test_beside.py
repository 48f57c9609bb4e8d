"""Savings and performance indicators beside the money in the finance papers, the tables and the workbook,
and in the published record: the manifest, finlib verify and the sign-offs."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from finlib.cli import main
from finlib.core.savings import EXEMPT_ITEMS
from finlib.core.settings import Committee
from finlib.monitoring import monitor, reporting
from finlib.report.build import build_reports
from finlib.report.model import Report, Table
from finlib.report.paper import Paragraph, Subheading
from tests.conftest import REFERENCE, SAMPLE
from tests.factories import sign_off_every_directorate

SACS = "Strategic & Corporate Services"
ADULTS = "Adult Social Care & Health"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pounds(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def copy_sample(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLE, tmp_path / "data", ignore=shutil.ignore_patterns(".publishing-*", "__pycache__"))


def section_texts(report: Report, anchor: str) -> list[str]:
    assert report.paper is not None
    return [b.text for b in report.paper.section(anchor).blocks if isinstance(b, Paragraph)]


def section_tables(report: Report, anchor: str) -> list[Table]:
    assert report.paper is not None
    found = []
    for block in report.paper.section(anchor).blocks:
        table = getattr(block, "table", None)
        if table is not None:
            found.append(table)
    return found


@pytest.fixture(scope="module")
def july() -> dict[str, Report]:
    monitoring = monitor(SAMPLE, "2017-07")
    committees, papers = reporting(SAMPLE, monitoring)
    reports = build_reports(monitoring, committees, papers=papers)
    return {"cabinet": reports.cabinet, **reports.extracts}


# ---------------------------------------------------------------------------
# Savings in the papers


def test_the_cabinet_paper_says_the_authoritys_savings_in_its_paragraph_summary_and_section(
    july: dict[str, Report],
) -> None:
    cabinet = july["cabinet"]
    sentence = "Of £73.0m of savings, £62.3m is forecast to be delivered this year, a shortfall of £10.7m."
    assert sentence in section_texts(cabinet, "authority")
    assert cabinet.paper is not None and cabinet.paper.summary[1].startswith(sentence)
    texts = section_texts(cabinet, "savings")
    assert texts[0] == f"{sentence} Of the 20 savings, 12 are rated GREEN, 6 AMBER and 2 RED. " + (
        "1 of these ratings was set in the forecast rather than by the rule."
    )


def test_the_roll_up_by_directorate_adds_up_the_plan_file_to_the_penny(july: dict[str, Report]) -> None:
    plan = read_csv(SAMPLE / "2017-18" / "savings.csv")
    forecast = {
        r["saving_id"]: pounds(r["forecast"]) for r in read_csv(SAMPLE / "2017-18" / "2017-07" / "savings_forecast.csv")
    }
    table = section_tables(july["cabinet"], "savings")[0]
    assert table.name == "savings-by-directorate"
    rows = {r["directorate"]: r for r in table.records()}
    for directorate in {r["directorate"] for r in plan}:
        mine = [r for r in plan if r["directorate"] == directorate]
        planned = -sum(pounds(r["amount"]) for r in mine)
        delivered = -sum(forecast[r["saving_id"]] for r in mine)
        assert rows[directorate]["plan"] == int(planned * 100)
        assert rows[directorate]["delivered"] == int(delivered * 100)
        assert rows[directorate]["shortfall"] == int((planned - delivered) * 100)
    assert rows["Total"]["plan"] == 73_000_000_00 and rows["Total"]["delivered"] == 62_310_000_00


def test_each_directorate_lists_its_savings_under_its_name(july: dict[str, Report]) -> None:
    cabinet = july["cabinet"]
    assert cabinet.paper is not None
    blocks = cabinet.paper.section("savings").blocks
    headings = [b.text for b in blocks if isinstance(b, Subheading)]
    assert headings == [s.name for s in cabinet.sections]
    plan = read_csv(SAMPLE / "2017-18" / "savings.csv")
    for table in section_tables(cabinet, "savings")[1:]:
        name = table.caption.removesuffix(": savings delivery")
        listed = [r["saving_id"] for r in table.records() if r["kind"] == "line"]
        assert listed == [r["saving_id"] for r in plan if r["directorate"] == name]
    texts = section_texts(cabinet, "savings")
    assert (
        "Of £35.0m of savings planned for Adult Social Care & Health, £31.6m is forecast to be delivered this year, "
        "a shortfall of £3.5m. Of the 6 savings, 3 are rated GREEN and 3 AMBER. 1 of these ratings was set in the "
        "forecast rather than by the rule." in texts
    )
    adults = next(t for t in section_tables(cabinet, "savings") if t.caption.startswith(ADULTS))
    overridden = next(r for r in adults.records() if r["saving_id"] == "SAV-ASCH-06")
    assert overridden["rag"] == "AMBER"
    assert (
        overridden["note"]
        == "Restructure agreed; consultation still open. RAG set in the forecast; by the rule it is GREEN."
    )


def test_a_committee_of_some_headings_sees_the_savings_on_its_lines_only(july: dict[str, Report]) -> None:
    transport = july["environment-transport"]
    table = section_tables(transport, "savings")[0]
    assert [r["saving_id"] for r in table.records() if r["kind"] == "line"] == [
        "SAV-GET-01",
        "SAV-GET-02",
        "SAV-GET-03",
    ]
    assert table.records().__next__()["plan"] == 6_100_000_00
    growth = july["growth-economic-development-communities"]
    assert [r["saving_id"] for r in section_tables(growth, "savings")[0].records() if r["kind"] == "line"] == [
        "SAV-GET-04"
    ]
    # a directorate's saving on no line is the whole directorate's: the Cabinet paper reports it
    adults = Committee("adults", "Adults", divisions=(f"{ADULTS} - Adults",))
    people = build_reports(monitor(SAMPLE, "2017-07"), {"adults": adults}).extracts["adults"]
    text = " ".join(section_texts(people, "savings"))
    assert "The directorate's savings on no one budget line (£2.5m) are reported in the Cabinet report." in text
    assert "SAV-ASCH-06" not in {r["saving_id"] for t in section_tables(people, "savings") for r in t.records()}


def test_a_committee_without_a_savings_forecast_has_no_savings_section() -> None:
    monitoring = monitor(SAMPLE, "2017-05")
    assert monitoring.savings is None
    reports = build_reports(monitoring)
    assert reports.cabinet.paper is not None
    assert "savings" not in {s.anchor for s in reports.cabinet.paper.sections}


def test_a_saving_on_a_restricted_line_is_exempt_items_in_the_public_papers_only(tmp_path: Path) -> None:
    data = copy_sample(tmp_path)
    book = data / "2017-18" / "budget_book.csv"
    text = book.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("ASCH-ADU-06,"))
    book.write_text(text.replace(line, line.replace(",service,,,", ",service,,true,")), encoding="utf-8")
    monitoring = monitor(data, "2017-07")
    public = build_reports(monitoring).cabinet
    officers = build_reports(monitoring, restricted=True).cabinet

    def adults(report: Report) -> Table:
        return next(t for t in section_tables(report, "savings") if t.caption.startswith(ADULTS))

    shown = [(r["saving"], r["saving_id"]) for r in adults(public).records()]
    assert (EXEMPT_ITEMS, "") in shown
    assert "SAV-ASCH-01" not in {i for _, i in shown}
    words = " ".join(str(v) for t in public.tables() for r in t.records() for v in r.values())
    assert "Transforming residential care" not in words and "Delays in moving people" not in words
    assert "SAV-ASCH-01" in {r["saving_id"] for r in adults(officers).records()}
    total = [r for r in adults(public).records() if r["kind"] == "total"]
    assert total == [r for r in adults(officers).records() if r["kind"] == "total"]


# ---------------------------------------------------------------------------
# Performance indicators in each directorate's section


def test_each_directorate_counts_its_kpis_as_the_published_dashboard_rates_them(july: dict[str, Report]) -> None:
    published = read_csv(REFERENCE / "kpi_sacs_2017_07.csv")
    activity = read_csv(REFERENCE / "kpi_activity_sacs_2017_07.csv")
    for key in ("cabinet", "policy-and-resources"):
        section = next(s for s in july[key].sections if s.name == SACS)
        assert section.performance is not None
        kpis, ranged = section.performance.counts.records()
        for rating in ("GREEN", "AMBER", "RED"):
            assert int(kpis[rating.lower()]) == sum(1 for r in published if r["latest_rag"] == rating)
        assert int(kpis["total"]) == len(published)
        with_range = [r for r in activity if r["in_expected_range"] in ("Yes", "Above", "Below")]
        assert int(ranged["total"]) == len(with_range)
        assert int(ranged["outside"]) == sum(1 for r in with_range if r["in_expected_range"] != "Yes")
        assert (
            "Latest month performance is reported as Green for 21 indicators, Amber for 4 indicators, with 1 "
            "indicator Red" in section.performance.paragraphs[0]
        )
        assert section.performance.outside is not None
        outside = [(r["ref"], r["alert"]) for r in section.performance.outside.records()]
        assert outside == [
            (r["ref"], r["in_expected_range"]) for r in activity if r["in_expected_range"] in ("Above", "Below")
        ]


def test_the_performance_part_sits_in_the_directorate_section_before_its_capital(july: dict[str, Report]) -> None:
    cabinet = july["cabinet"]
    assert cabinet.paper is not None
    section = next(s for s in cabinet.paper.sections if s.title == SACS)
    subheadings = [b.text for b in section.blocks if isinstance(b, Subheading)]
    assert subheadings == ["Performance indicators", "Capital"]
    adults = next(s for s in cabinet.sections if s.name == ADULTS)
    assert adults.performance is not None and adults.performance.outside is not None
    said = adults.performance.paragraphs[1]
    assert said.startswith("The one activity indicator with an expected range, ASC01b, is above it.")
    assert said.endswith("{table} below lists it.")


def test_no_performance_part_without_results_this_period(tmp_path: Path) -> None:
    data = copy_sample(tmp_path)
    (data / "2017-18" / "2017-07" / "kpi_results.csv").unlink()
    monitoring = monitor(data, "2017-07")
    assert monitoring.indicators is None
    assert all(s.performance is None for s in build_reports(monitoring).cabinet.sections)


# ---------------------------------------------------------------------------
# Tables and workbook


def test_tables_and_the_workbook_hold_every_saving(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(out)]) == 0
    rows = read_csv(out / "savings.csv")
    plan = read_csv(SAMPLE / "2017-18" / "savings.csv")
    order = dict.fromkeys(r["directorate"] for r in read_csv(SAMPLE / "2017-18" / "budget_book.csv"))
    assert [r["saving_id"] for r in rows if r["kind"] == "line"] == [
        r["saving_id"] for d in order for r in plan if r["directorate"] == d
    ]
    total = next(r for r in rows if r["kind"] == "total")
    assert (total["plan"], total["delivered"], total["shortfall"]) == ("73000.0", "62310.0", "10690.0")
    workbook = tmp_path / "july.xlsx"
    assert main(["export", "--data", str(SAMPLE), "--period", "2017-07", "--xlsx", str(workbook)]) == 0
    sheet = openpyxl.load_workbook(workbook)["Savings"]
    values = [[c for c in row] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert values[-1][0] == "Total" and values[-1][3:6] == [73000.0, 62310.0, 10690.0]


def test_no_savings_csv_without_a_forecast(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-05", "--out", str(out)]) == 0
    assert not (out / "savings.csv").exists()


# ---------------------------------------------------------------------------
# The record


@pytest.fixture(scope="module")
def published_july(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_sample(tmp_path_factory.mktemp("record"))
    sign_off_every_directorate(data, "2017-07")
    reason = "EP&E explanation to follow"
    assert main(["publish", "--data", str(data), "--period", "2017-07", "--allow-missing-explanations", reason]) == 0
    return data


def test_the_manifest_records_the_kpi_and_savings_files(published_july: Path) -> None:
    manifest = json.loads((published_july / "published" / "2017-18" / "2017-07" / "v1" / "manifest.json").read_text())
    recorded = {role: entry["path"] for role, entry in manifest["inputs"].items()}
    assert recorded["kpis"] == "2017-18/kpis.csv"
    assert recorded["kpi_results"] == "2017-18/2017-07/kpi_results.csv"
    assert recorded["savings"] == "2017-18/savings.csv"
    assert recorded["savings_forecast"] == "2017-18/2017-07/savings_forecast.csv"
    assert main(["verify", "--data", str(published_july), "--period", "2017-07"]) == 0


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("2017-18/2017-07/kpi_results.csv", "CS04,95%", "CS04,96%"),
        ("2017-18/2017-07/savings_forecast.csv", "SAV-SCS-02,-1350000.00", "SAV-SCS-02,-1300000.00"),
        ("2017-18/savings.csv", "Contact Centre channel shift", "Contact Centre channel shifted"),
    ],
)
def test_verify_names_a_changed_kpi_or_savings_file(
    published_july: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str
) -> None:
    data = shutil.copytree(published_july, tmp_path / "changed")
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", "--data", str(data), "--period", "2017-07"]) != 0
    assert str(Path(name).name) in capsys.readouterr().out + capsys.readouterr().err


def test_a_changed_result_voids_only_its_directorates_sign_off(tmp_path: Path) -> None:
    data = copy_sample(tmp_path)
    before = monitor(data, "2017-07").signoff_digests
    results = data / "2017-18" / "2017-07" / "kpi_results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace("CS04,95%", "CS04,96%"), encoding="utf-8")
    after = monitor(data, "2017-07").signoff_digests
    changed = {d: sorted(k for k in after[d] if after[d][k] != before[d].get(k)) for d in after}
    assert changed == {d: (["kpi_results"] if d == SACS else []) for d in after}
    forecast = data / "2017-18" / "2017-07" / "savings_forecast.csv"
    forecast.write_text(
        forecast.read_text(encoding="utf-8").replace("SAV-ASCH-02,-7800000.00", "SAV-ASCH-02,-7000000.00"),
        encoding="utf-8",
    )
    last = monitor(data, "2017-07").signoff_digests
    assert {d for d in last if last[d] != after[d]} == {ADULTS}
    assert sorted(k for k in last[ADULTS] if last[ADULTS][k] != after[ADULTS][k]) == ["savings_forecast"]
