"""Hostile text in any text cell stays inert in every writer: HTML shows it as text (no element, no
attribute from the data), CSV and the workbook never hand a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import TYPE_STRING

from finlib.render import html
from finlib.render.csv import table_csv
from finlib.render.xlsx import tables_workbook
from finlib.report.model import KIND, Column, Table
from finlib.report.paper import Cover, Paper, PaperSection, Paragraph

#: What a spreadsheet would take for the start of a formula, the full-width forms too.
STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PIECES = st.sampled_from(
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'><svg onload=x>", "&amp;", "{x}", "=1+1",
     "\uff1dSUM(A1)", "@cmd", "+1", "-2", "\x1b[31m", "\u202e", "\t", "\r\n", "\x00"]
)  # fmt: skip
HOSTILE = st.lists(st.one_of(PIECES, st.text(max_size=8)), min_size=1, max_size=5).map("".join)

COLUMNS = (Column("label", "Label"), KIND, Column("text", "Text"), Column("wide", "Note", form="wide"))


class Elements(HTMLParser):
    """The elements and attributes of a fragment, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def table_of(texts: list[str]) -> Table:
    frame = pd.DataFrame({"label": texts, "kind": "line", "text": texts, "wide": texts})
    return Table("hostile", "Hostile text", COLUMNS, frame)


SAFE_TAGS = {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "p", "span", "strong"}
SAFE_ATTRIBUTES = {"class", "role", "aria-labelledby", "tabindex", "id", "scope", "aria-hidden"}


@settings(max_examples=150, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=3))
def test_hostile_text_is_text_in_html(texts: list[str]) -> None:
    markup = html.table(table_of(texts), "Table 1")
    parsed = Elements()
    parsed.feed(markup + html.paragraphs(texts))
    assert {tag for tag, _ in parsed.tags} <= SAFE_TAGS
    for _, attributes in parsed.tags:
        assert {name for name, _ in attributes} <= SAFE_ATTRIBUTES
    shown = "".join(parsed.text)
    for text in texts:
        assert text in shown, "each cell shows its text as it is"


@settings(max_examples=150, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=3))
def test_hostile_text_is_never_a_formula_in_csv(texts: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(table_csv(table_of(texts)), newline="")))
    assert len(rows) == len(texts) + 1  # a quote or newline in the data never makes or swallows a row
    for row, text in zip(rows[1:], texts, strict=True):
        for cell in (row[0], row[2], row[3]):
            assert not cell.startswith(STARTS), cell
            assert cell.removeprefix("'") == text


@settings(max_examples=60, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=3))
def test_hostile_text_is_a_string_cell_in_the_workbook(texts: list[str]) -> None:
    class Title:
        authority_name = "Council <script>"
        period_label = "July 2017-18"

    book = tables_workbook(Title(), [("=Sheet", table_of(texts))])
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells
    for cell in cells:
        assert cell.data_type == TYPE_STRING, cell.value
        if str(cell.value).startswith(STARTS):
            assert cell.quotePrefix, cell.value


def test_a_paper_section_escapes_its_title_and_paragraphs() -> None:
    hostile = "<script>alert('x')</script>"
    section = PaperSection(1, hostile, "hostile", (Paragraph("1.1", hostile),))
    markup = html.paper_section(section)
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    paper = Paper(Cover(hostile, hostile, hostile, hostile, hostile), (hostile,), (hostile,), hostile, (), (), ())
    cover = html.paper_cover(paper, hostile)
    assert "<script>" not in cover
