"""The PDFs (``finlib report --pdf``) as a committee clerk assembles an agenda pack from them: tagged,
titled and in English, A4, numbered "Page n of m", a running header naming the committee and the
meeting, no near-empty first page, short enough, and RESTRICTED on every page of an officers' version.

Read back with pypdf.  Chromium prints them (Debian's package); where it is missing the tests are
skipped, saying why (and fail in CI, which installs it).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from finlib import pack
from finlib.pack.exporters import chromium_path
from tests.conftest import HAVE_CHROMIUM, SAMPLE, sample_committees

if not HAVE_CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the PDF tests: apt-get install chromium (see .ci/run)")
    pytest.skip("Chromium is not installed (apt-get install chromium); PDF checks skipped", allow_module_level=True)

REPORTS = ["cabinet", *sample_committees()]
A4 = (595.3, 841.9)  # points (210 × 297 mm); Chromium rounds its page size to 1/100 inch
#: The longest each report may run to: the published P&R item is about three pages of A4; the Cabinet
#: paper lists every directorate's savings too.
MOST_PAGES = {"cabinet": 24, "policy-and-resources": 8}  # the rest: 16
DASHBOARDS = ["cabinet-dashboard", "policy-and-resources-dashboard"]


def reader(folder: Path, name: str) -> PdfReader:
    return PdfReader(folder / f"{name}.pdf")


def page_texts(pdf: PdfReader) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_is_a_tagged_pdf_with_its_title_and_language(sample_pack: Path, name: str) -> None:
    pdf = reader(sample_pack, name)
    root = cast(DictionaryObject, pdf.trailer["/Root"])
    assert bool(cast(DictionaryObject, root["/MarkInfo"])["/Marked"]), "tagged"
    assert "/StructTreeRoot" in root, "with a structure tree for screen readers"
    assert str(root["/Lang"]).startswith("en")
    html_title = re.search(r"<title>(.*?)</title>", (sample_pack / f"{name}.html").read_text(encoding="utf-8"))
    assert html_title is not None and pdf.metadata is not None
    assert pdf.metadata.title == html_title.group(1).replace("&amp;", "&").replace("&#x27;", "'")
    assert pdf.outline, "headings become bookmarks"


@pytest.mark.parametrize("name", REPORTS)
def test_pages_are_a4_numbered_and_headed(sample_pack: Path, name: str) -> None:
    pdf = reader(sample_pack, name)
    texts = page_texts(pdf)
    count = len(texts)
    committee = sample_committees().get(name)
    heading = committee.name if committee is not None else "Cabinet"
    for number, (page, text) in enumerate(zip(pdf.pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5, f"{name} page {number}: {width} × {height}"
        assert f"Page {number} of {count}" in text, f"{name} page {number}"
        assert heading in text, f"{name} page {number}: the running header"
    assert len(texts[0]) > 800, f"{name}: page 1 is nearly empty"
    assert count <= MOST_PAGES.get(name, 16), f"{name} runs to {count} pages"


def test_the_running_header_names_the_meeting(sample_pack: Path) -> None:
    texts = page_texts(reader(sample_pack, "policy-and-resources"))
    assert all("Policy & Resources Cabinet Committee · meeting of 15 September 2017" in t for t in texts)
    # a report with an explanation still missing says DRAFT on every page
    cabinet = page_texts(reader(sample_pack, "cabinet"))
    assert all("DRAFT · Cabinet · meeting of 18 September 2017" in t for t in cabinet)


def test_chart_figures_print_open(sample_pack: Path) -> None:
    text = " ".join(page_texts(reader(sample_pack, "policy-and-resources")))
    # the table of figures behind Chart 1 (in a closed <details> on screen) is printed
    assert "Figures in this chart" not in text  # the disclosure's summary is not printed ...
    assert (
        text.count("Strategic & Corporate Services: revised net variance by budget heading (£m)") >= 2
    )  # ... its table is


@pytest.fixture(scope="module")
def officers_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("officers")
    run = pack.monthly_pack(
        SAMPLE, "2017-07", out, committee="policy-and-resources", restricted=True, exporters=pack.WITH_PDF,
        progress=False,
    )  # fmt: skip
    assert not run.failed, [o.error for o in run.failed]
    return out / "policy-and-resources.restricted.pdf"


def test_an_officers_version_says_restricted_on_every_page(officers_pdf: Path) -> None:
    texts = page_texts(PdfReader(officers_pdf))
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert "RESTRICTED" in text, f"page {number}"


@pytest.mark.parametrize(("name", "mark"), [("policy-and-resources.restricted", "RESTRICTED"), ("cabinet", "DRAFT")])
def test_printed_from_a_browser_the_marks_are_on_every_page(
    officers_pdf: Path, sample_pack: Path, tmp_path: Path, name: str, mark: str
) -> None:
    """An officer printing the HTML (Ctrl+P, no finlib header) still gets the mark on every page, and once."""
    from playwright.sync_api import sync_playwright

    html = (officers_pdf.parent if "restricted" in name else sample_pack) / f"{name}.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        try:
            page = browser.new_page()
            page.goto(html.as_uri())
            printed = page.pdf(format="A4")
        finally:
            browser.close()
    texts = page_texts(PdfReader(io.BytesIO(printed)))
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert mark in text, f"{name} page {number}"
    # the PDF finlib writes carries the mark in its running header only, not twice on a page
    written = page_texts(reader(officers_pdf.parent if "restricted" in name else sample_pack, name))
    assert [t.count(mark) for t in written[1:]] == [1] * (len(written) - 1)


@pytest.mark.parametrize("name", DASHBOARDS)
def test_the_dashboards_print_as_tagged_a4_pdfs_with_their_counts(sample_pack: Path, name: str) -> None:
    pdf = reader(sample_pack, name)
    root = cast(DictionaryObject, pdf.trailer["/Root"])
    assert bool(cast(DictionaryObject, root["/MarkInfo"])["/Marked"]) and "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    texts = page_texts(pdf)
    for number, (page, text) in enumerate(zip(pdf.pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5, f"{name} page {number}"
        assert f"Page {number} of {len(texts)}" in text, f"{name} page {number}"
    words = " ".join(" ".join(t.split()) for t in texts)
    if name == "policy-and-resources-dashboard":
        assert "Latest month performance is reported as Green for 21 indicators, Amber for 4 indicators" in words
    for shape, word in (("●", "GREEN"), ("▲", "AMBER"), ("■", "RED")):
        assert f"{shape} {word}" in words, f"{name}: {word} printed with its shape"
