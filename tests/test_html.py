"""The HTML writer on small tables: header cells with scope, signed amounts, blanks, escaping, figures."""

from __future__ import annotations

from typing import cast

import pandas as pd
from bs4 import BeautifulSoup, Tag

from finlib.money import MILLIONS, THOUSANDS
from finlib.render import html
from finlib.report.model import KIND, Bars, Column, Figure, Table
from finlib.report.tables import bars_table


def sample_table() -> Table:
    frame = pd.DataFrame(
        {
            "heading": ["Roads <b>", "Total"],
            "kind": ["line", "total"],
            "net_budget": pd.array([1_000_000_00, 1_000_000_00], dtype="Int64"),
            "movement": pd.array([-12_345_00, -12_345_00], dtype="Int64"),
            "last_reported": pd.array([None, None], dtype="Int64"),
            "note": ["a & b", ""],
        }
    )
    columns = (
        Column("heading", "Budget Book Heading"),
        KIND,
        Column("net_budget", "Net Budget", THOUSANDS),
        Column("last_reported", "Last Reported position", THOUSANDS),
        Column("movement", "Movement", THOUSANDS),
        Column("note", "Note"),
    )
    return Table("directorate", "Alpha revenue position", columns, frame)


def parsed(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def test_every_header_cell_has_its_scope() -> None:
    page = parsed(html.table(sample_table()))
    column_heads = page.select("thead th")
    assert column_heads and all(th.get("scope") == "col" for th in column_heads)
    row_heads = page.select("tbody th")
    assert len(row_heads) == 2 and all(th.get("scope") == "row" for th in row_heads)
    assert page.select("tbody td") and not page.select("tbody td[scope]")


def test_amounts_are_right_cells_with_a_true_minus_and_text_is_escaped() -> None:
    markup = html.table(sample_table())
    page = parsed(markup)
    assert cast(Tag, page.caption).get_text() == "Alpha revenue position (£'000)"
    assert [th.get_text() for th in page.select("thead th")] == [
        "Budget Book Heading",
        "Net Budget",
        "Movement",
        "Note",
    ]
    first = page.select("tbody tr")[0]
    assert first["class"] == ["line"]
    assert [td.get_text() for td in first.select("td.num")] == ["1000.0", "\u221212.3"]
    assert [td.get_text() for td in first.select("td.text")] == ["a & b"]
    assert "Roads &lt;b&gt;" in markup and "<b>" not in markup  # text from data never becomes markup
    assert page.select("tbody tr")[1]["class"] == ["total"]


def test_a_column_blank_on_every_row_is_left_out_of_the_html() -> None:
    headings = [th.get_text() for th in parsed(html.table(sample_table())).select("thead th")]
    assert "Last Reported position" not in headings  # no last report: the column would be empty


def test_a_figure_has_its_text_alternative_and_its_figures_in_a_table() -> None:
    bars = Bars("Variance by heading, £m", ["Roads", "Parks"], [223_000_00, -82_000_00])
    page = parsed(html.figure(Figure(bars, bars_table(bars, "Budget Book Heading"))))
    image = page.select_one("figure img")
    assert image is not None
    assert image["alt"] == "Bar chart: Variance by heading, £m. Roads +£0.223m; Parks \u2212£0.082m."
    assert cast(str, image["src"]).startswith("data:image/svg+xml;base64,")
    rows = [[c.get_text() for c in r.find_all(["th", "td"])] for r in page.select("details tr")]
    assert rows == [["Budget Book Heading", "Revised Net Variance"], ["Roads", "0.223"], ["Parks", "\u22120.082"]]


def test_millions_tables_print_three_decimals() -> None:
    frame = pd.DataFrame({"label": ["x"], "kind": ["line"], "value": pd.array([10_993_000_00], dtype="Int64")})
    table = Table("t", "T", (Column("label", "Label"), Column("value", "Value", MILLIONS)), frame)
    assert cast(Tag, parsed(html.table(table)).select_one("td.num")).get_text() == "10.993"
