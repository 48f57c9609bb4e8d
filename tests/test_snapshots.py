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

from finlib.config import DataSet
from finlib.errors import Problems
from finlib.inputs.papers import read_papers
from finlib.monitoring import monitor
from finlib.render import charts, html
from finlib.render.xlsx import xlsx_bytes
from finlib.report import build_reports
from finlib.report.model import Report
from finlib.report.paper import Exhibit, Paragraph
from tests.conftest import SAMPLE, sample_committees, scrub

COMMITTEES = sample_committees()
NAMES = ["cabinet", *COMMITTEES]


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    built = build_reports(monitor(SAMPLE, "2017-07"), COMMITTEES, papers=read_papers(DataSet(SAMPLE), Problems()))
    return {"cabinet": built.cabinet, **built.extracts}


def words(report: Report) -> dict[str, Any]:
    """Every sentence of a report's paper, by section: the cover block, the Summary, the Recommendations,
    each numbered paragraph, and the charts' text alternatives."""
    paper = report.paper
    assert paper is not None
    found: dict[str, Any] = {
        "cover": [
            paper.cover.from_,
            paper.cover.to,
            paper.cover.meeting,
            paper.cover.subject,
            paper.cover.classification,
        ],
        "summary": list(paper.summary),
        "recommendations": [paper.asked, *paper.recommendations],
    }
    for section in paper.sections:
        found[f"{section.number}. {section.title}"] = [
            f"{b.number} {b.text}" if isinstance(b, Paragraph) else f"[{b.label}]" if isinstance(b, Exhibit) else b.text
            for b in section.blocks
        ]
    found["alternatives"] = [charts.alt(f.chart) for f in charts.figures(report)]
    found["draft"] = [f"{m.directorate} / {m.subject} ({m.about})" for m in report.missing]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_the_words_of_each_section(reports: dict[str, Report], name: str, snapshot: SnapshotAssertion) -> None:
    assert words(reports[name]) == snapshot


@pytest.mark.parametrize("name", NAMES)
def test_the_markup_of_each_table(reports: dict[str, Report], name: str, snapshot: SnapshotAssertion) -> None:
    markup = {t.caption: scrub(html.table(t)).replace("<tr", "\n<tr") for t in reports[name].tables()}
    markup["cover"] = scrub(html.cover(reports[name])).replace("<tr", "\n<tr").replace("<section", "\n<section")
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
