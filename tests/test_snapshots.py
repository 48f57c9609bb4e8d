"""What members read, kept as reviewed snapshots: each section's words, each table's markup, each chart's
SVG and the workbook's cells, for the July 2017 sample (public version), without running the notebooks.

A change to any of them fails here and shows the difference.  When the change is meant, update the
snapshots with ``make snapshots`` and review the diff of ``tests/__snapshots__/`` before committing it.
Timestamps and folders are scrubbed before comparing (:func:`tests.conftest.scrub`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.image import SVGImageSnapshotExtension

from finlib.inputs.committees import load_committees
from finlib.monitoring import monitor
from finlib.render import charts, html
from finlib.render.xlsx import xlsx_bytes
from finlib.report import build_report, for_committee
from finlib.report.model import Report
from tests.conftest import SAMPLE, scrub

COMMITTEES = load_committees()
NAMES = ["cabinet", *COMMITTEES]


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    cabinet = build_report(monitor(SAMPLE, "2017-07"))
    return {"cabinet": cabinet, **{key: for_committee(cabinet, c) for key, c in COMMITTEES.items()}}


def words(report: Report) -> dict[str, Any]:
    """Every sentence of a report built from figures, by section."""
    found: dict[str, Any] = {"header": scrub(html.header(report))}
    if report.authority_summary:
        found["authority"] = report.authority.paragraphs
    for section in report.sections:
        found[section.name] = section.commentary.paragraphs
        if section.capital is not None:
            found[f"{section.name}: capital"] = [section.capital.opening, *section.capital.paragraphs]
    found["alternatives"] = [charts.alt(f.chart) for f in charts.figures(report)]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_the_words_of_each_section(reports: dict[str, Report], name: str, snapshot: SnapshotAssertion) -> None:
    assert words(reports[name]) == snapshot


@pytest.mark.parametrize("name", NAMES)
def test_the_markup_of_each_table(reports: dict[str, Report], name: str, snapshot: SnapshotAssertion) -> None:
    markup = {t.caption: scrub(html.table(t)).replace("<tr", "\n<tr") for t in reports[name].tables()}
    assert markup == snapshot  # a row a line, so that a change shows as the rows it changes


def test_the_charts(reports: dict[str, Report], snapshot: SnapshotAssertion) -> None:
    for figure in charts.figures(reports["cabinet"]):
        assert charts.svg(figure.chart) == snapshot(extension_class=SVGImageSnapshotExtension)


def test_the_workbooks_cells(reports: dict[str, Report], tmp_path: Path, snapshot: SnapshotAssertion) -> None:
    path = tmp_path / "july.xlsx"
    path.write_bytes(xlsx_bytes(reports["cabinet"]))
    book = openpyxl.load_workbook(path)
    cells = {
        sheet.title: [
            [(cell.value, cell.number_format) if cell.data_type == "n" else cell.value for cell in row]
            for row in sheet.iter_rows()
        ]
        for sheet in book
    }
    assert cells == snapshot
