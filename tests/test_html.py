"""The HTML writer on small tables: header cells with scope, signed amounts, blanks, escaping, figures."""

from __future__ import annotations

from typing import cast

import pandas as pd
from bs4 import BeautifulSoup, Tag

from finlib.money import MILLIONS, POUNDS, THOUSANDS
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
    assert [td.get_text() for td in first.select("td.num")] == ["1,000.0", "\u221212.3"]
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


def test_every_unit_prints_with_thousands_separators_and_a_true_minus() -> None:
    frame = pd.DataFrame(
        {
            "label": ["a", "b"],
            "kind": ["line", "line"],
            "m": pd.array([1_234_567_890_00, -1_000_00], dtype="Int64"),
            "k": pd.array([172_073_700_00, -70_197_450_00], dtype="Int64"),
            "p": pd.array([-1_250_000_00, 999_99], dtype="Int64"),
        }
    )
    columns = (
        Column("label", "Label"),
        Column("m", "M", MILLIONS),
        Column("k", "K", THOUSANDS),
        Column("p", "P", POUNDS),
    )
    cells = [td.get_text() for td in parsed(html.table(Table("t", "T", columns, frame))).select("td.num")]
    assert cells == ["1,234.568", "172,073.7", "\u22121,250,000.00", "\u22120.001", "\u221270,197.5", "999.99"]


def test_a_wide_table_scrolls_in_its_own_labelled_region() -> None:
    page = parsed(html.table(sample_table()))
    region = page.select_one("div.table-region")
    assert region is not None and region.get("role") == "region" and region.get("tabindex") == "0"
    caption = cast(Tag, page.caption)
    assert region["aria-labelledby"] == caption["id"]  # announced by its caption
    assert region.select_one("table") is not None


def test_a_signed_amount_in_prose_never_breaks() -> None:
    markup = html.prose("A pressure of +£0.223m, after −£1,250.5m and £3m.")
    spans = [s.get_text() for s in parsed(markup).select("span.amount")]
    assert spans == ["+£0.223m", "\u2212£1,250.5m", "£3m"]
