"""The report model: built once from the position stage, every table with its column spec, the
public version chosen once, a committee's extract a view of the Cabinet report (no notebooks here)."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup

from finlib.config import DataSet
from finlib.core import exempt
from finlib.core.frames import AuthorityTable, CapitalSchemes, DirectorateTable, PositionLines
from finlib.core.settings import Committee
from finlib.monitoring import monitor
from finlib.render import html
from finlib.render.csv import table_csv
from finlib.render.xlsx import workbook
from finlib.report import Part, build_report, build_reports, for_committee, order
from finlib.report.model import Report
from tests.conftest import SAMPLE, sample_committees

SACS = "Strategic & Corporate Services"


@pytest.fixture(scope="module")
def july() -> Report:
    return build_report(monitor(SAMPLE, "2017-07"))


def test_the_domains_frames_have_the_declared_shape() -> None:
    monitoring = monitor(SAMPLE, "2017-07")
    PositionLines.validate(monitoring.position.lines)
    AuthorityTable.validate(monitoring.authority_table())
    for name in monitoring.directorates():
        DirectorateTable.validate(monitoring.directorate_table(name))
    assert monitoring.capital is not None
    CapitalSchemes.validate(monitoring.capital.schemes)


def test_each_table_has_its_column_spec(july: Report) -> None:
    table = july.authority.table
    assert [c.csv_name for c in table.columns] == [
        "row", "kind", "budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance",
        "last_reported", "movement",
    ]  # fmt: skip
    assert [c.heading for c in table.printed][:3] == ["Directorate", "Budget", "Net Forecast Variance"]
    assert table.unit is not None and table.unit.name == "£m"
    sacs = next(s for s in july.sections if s.name == SACS)
    assert sacs.table.unit is not None and sacs.table.unit.name == "£'000"
    assert [c.heading for c in sacs.table.printed][:2] == ["Budget Book Heading", "Net Budget"]
    assert july.capital_schemes is not None
    assert [c.csv_name for c in july.capital_schemes.columns] == [
        "scheme",
        "year",
        "budget",
        "forecast",
        "real",
        "rephasing",
    ]


def cells_of_csv(text: str) -> list[list[str]]:
    return [row[:1] + row[2:] for row in list(csv.reader(io.StringIO(text)))[1:]]  # without the kind column


def cells_of_html(markup: str) -> list[list[str]]:
    rows = BeautifulSoup(markup, "html.parser").select("tbody tr")
    cells = [[c.get_text().replace("\u2212", "-") for c in r.find_all(["th", "td"])] for r in rows]
    return [[row[0], *(c.replace(",", "") for c in row[1:])] for row in cells]  # no thousands separators


def test_every_writer_prints_the_same_cells_of_the_same_table(july: Report) -> None:
    book = workbook(july)
    for table, sheet in [(july.authority.table, "Authority"), (july.sections[-1].table, SACS)]:
        from_csv, from_html = cells_of_csv(table_csv(table)), cells_of_html(html.table(table))
        assert from_csv == from_html, table.caption
        from_xlsx = [
            [("" if v is None else str(v)) for v in row] for row in book[sheet].iter_rows(min_row=6, values_only=True)
        ]
        numbers = [[c for c in row[1:]] for row in from_csv]
        assert [[str(float(c)) if c else "" for c in row] for row in numbers] == [
            [str(float(c)) if c else "" for c in row[1:]] for row in from_xlsx
        ]


def titles(report: Report) -> list[str]:
    assert report.paper is not None
    return [s.title for s in report.paper.sections]


def test_the_cabinet_paper_reads_authority_first_a_committee_paper_its_directorates_first(july: Report) -> None:
    closing = ["Recommendations", "Background documents", "Contact details"]
    assert titles(july) == [
        "Introduction",
        "Revenue position of the authority",
        "Savings delivery",
        "Capital position of the authority",
        "Children, Young People & Education",
        "Adult Social Care & Health",
        "Growth, Environment & Transport",
        SACS,
        *closing,
    ]
    monitoring = monitor(SAMPLE, "2017-07")
    overview = for_committee(monitoring, Committee("pr", "P&R", (SACS,), authority_summary=True))
    savings = "Savings delivery"
    assert titles(overview) == ["Introduction", SACS, savings, "Financial position of the authority", *closing]
    narrow = for_committee(monitoring, Committee("x", "X", ("Growth, Environment & Transport",)))
    assert titles(narrow) == ["Introduction", "Growth, Environment & Transport", savings, *closing]
    parts = [s.part for s in order(narrow)]
    assert parts == [Part.COVER, *[Part.SECTION] * 6, Part.APPENDIX]
    assert len(html.fragments(narrow)) == 8


def test_a_committee_extract_covers_its_remit(july: Report) -> None:
    reports = build_reports(monitor(SAMPLE, "2017-07"), sample_committees())
    get = reports.extracts["environment-transport"]
    assert [(s.name, s.part) for s in get.sections] == [("Growth, Environment & Transport", True)]
    assert (
        get.title == "Revenue and capital budget monitoring: extract for the Environment & Transport Cabinet Committee"
    )
    headings = list(get.sections[0].table.frame["heading"])
    assert headings == [
        "Highways Asset Management",
        "Public Transport & Concessionary Fares",
        "Waste Management",
        "Environment, Planning & Enforcement",
        "Total GE&T (this committee's headings)",
    ]
    assert set(get.appendix.adjustments.frame["directorate"]) == {"Growth, Environment & Transport"}
    assert [m.subject for m in get.missing] == ["Environment, Planning & Enforcement"]
    assert list(get.missing_table.frame["subject"]) == ["Environment, Planning & Enforcement"]
    growth = reports.extracts["growth-economic-development-communities"]
    assert list(growth.sections[0].table.frame["heading"])[:-1] == [
        "Libraries, Registration & Archives",
        "Economic Development",
    ]
    assert growth.missing == [] and not growth.draft and get.draft
    sacs = reports.extracts["policy-and-resources"]
    assert sacs.missing == [] and sacs.authority_summary
    assert sacs.sections[0] is next(s for s in reports.cabinet.sections if s.name == SACS)  # shared, not rebuilt
    assert reports.unassigned.empty  # every heading is in a remit


def test_the_public_version_is_chosen_once_where_the_model_is_built(tiny: DataSet) -> None:
    book = tiny.root / "2017-18" / "budget_book.csv"
    text = (
        book.read_text()
        .replace("tag\n", "tag,restricted\n")
        .replace("A3,Alpha Services,South,Parks,service,", "A3,Alpha Services,South,Parks,service,,true")
    )
    book.write_text(text)
    monitoring = monitor(tiny, "2017-07")
    public, officers = build_report(monitoring), build_report(monitoring, restricted=True)
    assert public.notice == exempt.NOTICE and officers.notice is None
    assert "Alpha Services - Exempt items" in list(public.authority.table.frame["row"])
    assert "Alpha Services - South" in list(officers.authority.table.frame["row"])
    again = build_report(exempt.public(monitoring))  # an already public stage is not masked twice
    assert list(again.authority.table.frame["row"]) == list(public.authority.table.frame["row"])
    assert again.notice == exempt.NOTICE
    with pytest.raises(ValueError, match="officers' version"):
        build_report(exempt.public(monitoring), restricted=True)


def test_the_frame_models_reject_a_frame_that_breaks_an_identity() -> None:
    import pandera.errors

    monitoring = monitor(SAMPLE, "2017-07")
    assert monitoring.capital is not None
    schemes = monitoring.capital.schemes.copy()
    schemes["forecast"] = schemes["forecast"] + 1
    with pytest.raises(pandera.errors.SchemaError, match="forecast_is_budget_plus_variances"):
        CapitalSchemes.validate(schemes)
    lines = monitoring.position.lines.copy()
    lines["revised_net_variance"] = lines["revised_net_variance"] + 1
    with pytest.raises(pandera.errors.SchemaError, match="revised_is_variance_plus_adjustment"):
        PositionLines.validate(lines)
