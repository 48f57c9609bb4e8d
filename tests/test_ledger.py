"""The ledger: reading extracts with DuckDB, the unmapped bucket, control totals, roll-ups, the sample
generator and the cross-check against hledger."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.sample_ledger import write_sample_ledger
from finlib.config import DataSet
from finlib.core import actuals as tables
from finlib.core import revenue
from finlib.core.period import FinancialYear
from finlib.core.settings import Labels
from finlib.errors import InputError, Problems
from finlib.inputs import ledger, load_period
from finlib.money import parse_amount, pounds
from tests.conftest import SAMPLE, TINY, write_tree

CENTRES = "2017-18/cost_centres.csv"
LEDGER = "2017-18/ledger.csv"
LAST_LEDGER = "2016-17/ledger.csv"
METHODS = "2017-18/forecast_methods.csv"

# The tiny authority's ledger: April to July 2017 (this year) and all of 2016-17 (last year).
# A1: 100.00 a month (C1 60 + C2 40); A2 175.00 a month; A3 16,667p in all; B1 −25.00 a month;
# F1 3p in April; nothing on B2 and S1.  Unmapped: C9 (12.50 in May) and a blank cost centre (1.00).
TINY_LEDGER = {
    CENTRES: (
        "cost_centre,line_id,description\n"
        "C1,A1,Roads north 1\nC2,A1,Roads north 2\nC3,A2,Roads north 3\nC4,A3,Parks\n"
        "C5,B1,Libraries\nC6,B2,Asset Utilisation\nC7,F1,Debt\nC8,S1,Schools\n"
    ),
    LEDGER: (
        "period,cost_centre,account,amount,description\n"
        + "".join(f"2017-0{m},C1,5001,60.00,pay\n2017-0{m},C2,5001,40,pay\n" for m in (4, 5, 6, 7))
        + "".join(f"2017-0{m},C3,5301,175.00,goods\n2017-0{m},C5,9101,(25.00),fees\n" for m in (4, 5, 6, 7))
        + '2017-04,C4,5301,"£166.67",parks\n2017-04,C7,5001,0.03,interest\n'
        + "2017-05,C9,5301,12.5,suspense\n2017-06,,5301,1,no cost centre\n"
    ),
    LAST_LEDGER: (
        "period,cost_centre,account,amount\n"
        + "".join(f"2016-{m:02d},C1,5001,75\n2016-{m:02d},C3,5001,150\n" for m in (4, 5, 6, 7))
        + "".join(f"{2016 + (m < 4)}-{m:02d},C1,5001,112.50\n" for m in (8, 9, 10, 11, 12, 1, 2, 3))
        + "".join(f"{2016 + (m < 4)}-{m:02d},C3,5001,175\n" for m in (8, 9, 10, 11, 12, 1, 2, 3))
        + "".join(f"{2016 + (m < 4)}-{m:02d},C5,5001,-37.50\n" for m in (8, 9, 10, 11, 12, 1, 2, 3))
    ),
}


@pytest.fixture
def tiny_ledger(tmp_path: Path) -> DataSet:
    return write_tree(tmp_path / "tiny", {**TINY, **TINY_LEDGER})


def replaced(name: str, old: str, new: str) -> dict[str, str | None]:
    text = TINY_LEDGER[name]
    assert old in text, f"{old!r} not in {name}"
    return {name: text.replace(old, new, 1)}


# ---------------------------------------------------------------------------
# Actuals, the unmapped bucket and control totals


def test_actuals_by_line_and_month(tiny_ledger: DataSet) -> None:
    actuals = ledger.load_actuals(tiny_ledger, "2017-07")
    assert actuals.month_columns == ["2017-04", "2017-05", "2017-06", "2017-07"]
    lines = actuals.lines
    assert list(lines.loc["A1", actuals.month_columns]) == [10000] * 4 and lines.at["A1", "ytd"] == 40000
    assert lines.at["A2", "ytd"] == 70000 and lines.at["A3", "ytd"] == 16667
    assert lines.at["B1", "ytd"] == -10000 and lines.at["F1", "2017-04"] == 3
    assert lines.at["B2", "ytd"] == 0 and lines.at["S1", "ytd"] == 0  # lines with no rows are nil, not missing
    assert list(lines.index) == ["A1", "A2", "A3", "B1", "B2", "F1", "S1"]  # budget book order


def test_unmapped_bucket_is_reported_with_its_total_and_never_dropped(tiny_ledger: DataSet) -> None:
    actuals = ledger.load_actuals(tiny_ledger, "2017-07")
    unmapped = actuals.unmapped
    assert set(unmapped.index) == {"C9", tables.BLANK_CENTRE}
    assert unmapped.at["C9", "2017-05"] == 1250 and unmapped.at[tables.BLANK_CENTRE, "2017-06"] == 100
    assert actuals.unmapped_total == 1350 and list(unmapped["rows"]) == [1, 1]
    table = tables.authority_actuals(actuals, Labels())
    row = table[table["kind"] == "unmapped"].iloc[0]
    assert row["row"] == "Not mapped to a budget line" and row["ytd"] == 1350
    everything = table.iloc[-1]
    assert everything["row"] == "Ledger total" and everything["ytd"] == 40000 + 70000 + 16667 - 10000 + 3 + 1350
    listed = tables.unmapped_table(actuals)
    assert listed.iloc[-1]["ytd"] == 1350 and listed.iloc[-1]["rows"] == 2


def test_control_totals_reconcile_to_the_penny(tiny_ledger: DataSet) -> None:
    control = ledger.load_actuals(tiny_ledger, "2017-07").control
    assert list(control["period"]) == ["2017-04", "2017-05", "2017-06", "2017-07", "total"]
    assert (control["difference"] == 0).all()
    assert list(control["rows"]) == [6, 5, 5, 4, 20]
    assert control.iloc[-1]["extract"] == 118_020 and control.iloc[-1]["unmapped"] == 1350


def test_a_period_reads_april_to_that_month_only(tiny_ledger: DataSet) -> None:
    actuals = ledger.load_actuals(tiny_ledger, "2017-05")
    assert actuals.month_columns == ["2017-04", "2017-05"] and actuals.lines.at["A1", "ytd"] == 20000
    assert len(actuals.control) == 5  # the control totals still cover every month of the extract


def _money_text(pence: int, style: int) -> str:
    """An amount in one of the forms of the data contract."""
    plain = pounds(abs(pence))
    whole, frac = plain.split(".")
    grouped = f"{int(whole):,}.{frac}"
    if style == 0:
        return pounds(pence)
    if style == 1:
        return ("-" if pence < 0 else "") + grouped
    if style == 2:
        return ("-£" if pence < 0 else "£") + grouped
    short = grouped[:-1] if frac.endswith("0") else grouped  # one decimal place: 1,234.5
    return f"({short})" if pence < 0 else short


ROWS = st.lists(
    st.tuples(
        st.integers(0, 3),  # month, April first
        st.sampled_from(["C1", "C2", "C3", "C5", "C8", "C9", "X1", "", " C4 "]),
        st.integers(-(10**11), 10**11),  # pence
        st.integers(0, 3),  # how the amount is written
    ),
    max_size=40,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_property_lines_plus_unmapped_equal_the_extract_total(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[int, str, int, int]]
) -> None:
    root = tmp_path_factory.getbasetemp() / "reconcile"
    data = write_tree(root, {**TINY, **TINY_LEDGER})
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(["period", "cost_centre", "account", "amount"])
    for month in range(4):  # every month has a row
        writer.writerow([f"2017-{month + 4:02d}", "C1", "5001", "0"])
    for month, centre, pence, style in rows:
        writer.writerow([f"2017-{month + 4:02d}", centre, "5001", _money_text(pence, style)])
    (root / LEDGER).write_text(body.getvalue(), encoding="utf-8")
    actuals = ledger.read_actuals(data, FinancialYear(2017))
    expected = sum(pence for _, _, pence, _ in rows)
    assert int(actuals.lines["ytd"].sum()) + actuals.unmapped_total == expected
    for month in range(4):
        in_month = sum(p for m, _, p, _ in rows if m == month)
        period = f"2017-{month + 4:02d}"
        assert int(actuals.lines[period].sum()) + int(actuals.unmapped[period].sum()) == in_month
    unmapped = sum(p for _, c, p, _ in rows if c.strip() not in {"C1", "C2", "C3", "C4", "C5", "C8"})
    assert actuals.unmapped_total == unmapped
    assert actuals.control.iloc[-1]["extract"] == expected and (actuals.control["difference"] == 0).all()


@pytest.fixture(scope="module")
def amount_sql() -> Iterator[Callable[[str], object]]:
    """DuckDB's reading of one text amount, as finlib.ledger writes it, on one connection."""
    import duckdb

    select = ledger._select(
        {"period": ("p", "VARCHAR"), "cost_centre": ("c", "VARCHAR"), "amount": ("a", "VARCHAR")},
        Path("x.csv"),
        Problems(),
    )
    assert select is not None
    value = select[0].split(" AS amount, ")[1].removesuffix(" AS value")
    con = duckdb.connect()

    def amount(text: str) -> object:
        row = con.execute(f"SELECT {value} FROM (SELECT $1::VARCHAR AS a)", [text]).fetchone()
        assert row is not None
        return row[0]

    yield amount
    con.close()


@settings(max_examples=150, deadline=None)
@given(
    text=st.from_regex(r"\A ?\(?-?£?[0-9,]{1,9}(\.[0-9]{0,3})?\)? ?\Z") | st.text("0123456789,.()-£ x１٣", max_size=8)
)
def test_property_text_amounts_read_by_duckdb_as_money_py_reads_them(
    amount_sql: Callable[[str], object], text: str
) -> None:
    try:
        expected: int | None = parse_amount(text)
    except ValueError:
        expected = None
    assert amount_sql(text) == expected


# ---------------------------------------------------------------------------
# Roll-ups: parent = sum of children


def test_actuals_roll_up_the_revenue_hierarchy_on_the_sample() -> None:
    actuals = ledger.load_actuals(SAMPLE, "2017-07")
    lines = actuals.lines
    table = tables.authority_actuals(actuals, Labels())
    columns = actuals.columns
    for directorate in revenue.ordered(lines.loc[lines["kind"] == "service", "directorate"]):
        own = lines[(lines["kind"] == "service") & (lines["directorate"] == directorate)]
        parts = table[table["row"].str.startswith(directorate) & (table["kind"] == "line")]
        subtotal = table[table["row"] == f"Sub Total {directorate}"]
        for column in columns:
            assert int(parts[column].sum()) == int(own[column].sum())
            if len(subtotal):
                assert int(subtotal[column].iloc[0]) == int(parts[column].sum())
        heading_table = tables.directorate_actuals(actuals, directorate)
        for column in columns:
            assert int(heading_table[column].iloc[-1]) == int(heading_table[column].iloc[:-1].sum())
            assert int(heading_table[column].iloc[-1]) == int(own[column].sum())
    rows = {kind: table[table["kind"] == kind] for kind in ("line", "total", "schools", "grand_total", "unmapped")}
    for column in columns:
        assert int(rows["total"][column].iloc[0]) == int(rows["line"][column].sum())
        grand, everything = (int(v) for v in rows["grand_total"][column])
        assert grand == int(rows["total"][column].iloc[0]) + int(rows["schools"][column].iloc[0])
        assert everything == grand + int(rows["unmapped"][column].iloc[0])
    assert int(table.iloc[-1]["ytd"]) == int(actuals.control.iloc[-1]["extract"])
    for month in actuals.month_columns:
        assert int(lines[month].sum()) + int(actuals.unmapped[month].sum()) == int(
            cast(Any, actuals.control.set_index("period").at[month, "extract"])
        )
    assert (lines["ytd"] == lines[actuals.month_columns].sum(axis=1)).all()


def test_budget_against_actual_by_month() -> None:
    inputs = load_period(SAMPLE, "2017-07")
    actuals = ledger.load_actuals(SAMPLE, "2017-07")
    frame = tables.budget_vs_actual(inputs.forecasts["net_budget"], actuals)
    assert len(frame) == 51 * 4
    assert (frame["variance"] == frame["actual"] - frame["budget"]).all()
    assert sum(tables.monthly_budget(int(cast(Any, inputs.forecasts.at["SCS-FIN-01", "net_budget"])))) == 781462951
    assert tables.monthly_budget(100_00) == [833] * 11 + [837]


# ---------------------------------------------------------------------------
# Problems: every one listed with file, row, column, found and expected


CASES = [
    (
        "missing column",
        replaced(LEDGER, "period,cost_centre,account,amount", "period,cost_centre,account,value"),
        [("ledger.csv", 1, "amount", "no such column")],
    ),
    (
        "amount to a fraction of a penny, and text",
        {LEDGER: TINY_LEDGER[LEDGER].replace("60.00,pay", "60.001,pay", 1).replace("0.03,interest", "3p,x")},
        [("ledger.csv", 2, "amount", "'60.001'"), ("ledger.csv", 19, "amount", "'3p'")],
    ),
    (
        "period outside the year and badly written",
        {LEDGER: TINY_LEDGER[LEDGER].replace("2017-04,C4", "2018-04,C4").replace("2017-04,C7", "2017/04,C7")},
        [("ledger.csv", 18, "period", "'2018-04'"), ("ledger.csv", 19, "period", "'2017/04'")],
    ),
    (
        "a month with no rows",
        {LEDGER: "".join(line + "\n" for line in TINY_LEDGER[LEDGER].splitlines() if not line.startswith("2017-06"))},
        [("ledger.csv", None, "period", "no rows for 2017-06")],
    ),
    (
        "cost centre of no line, and twice",
        replaced(CENTRES, "C8,S1", "C7,Z9"),
        [
            ("cost_centres.csv", 8, "cost_centre", "appears only once"),
            ("cost_centres.csv", 9, "cost_centre", "appears only once"),
            ("cost_centres.csv", 9, "line_id", "'Z9'"),
        ],
    ),
    ("no extract", {LEDGER: None}, [("2017-18", None, None, "no ledger.csv, ledger.parquet or ledger/ folder")]),
    ("an empty file", {LEDGER: ""}, [("ledger.csv", None, None, "an empty file")]),
    (
        "an unquoted comma in an amount",
        replaced(LEDGER, "2017-04,C1,5001,60.00,pay", "2017-04,C1,5001,1,060.00,pay"),
        [("ledger.csv", 2, None, "more than 5 cells")],
    ),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_problems_are_listed_with_file_row_and_column(
    tmp_path: Path,
    case: str,
    changes: dict[str, str | None],
    expected: list[tuple[str, int | None, str | None, str]],
) -> None:
    data = write_tree(tmp_path / "tiny", {**TINY, **TINY_LEDGER, **changes})
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(data, "2017-07")
    problems = raised.value.problems
    for end, row, column, text in expected:
        assert any(p.file.endswith(end) and p.row == row and p.column == column and text in str(p) for p in problems), (
            f"{case}: no problem {end}, {row}, {column}, {text!r} in:\n{raised.value}"
        )
    assert len(problems) == len(expected), str(raised.value)


def test_many_bad_rows_are_listed_up_to_a_limit_then_counted(tmp_path: Path) -> None:
    bad = "".join(f"2017-04,C1,5001,{n}.001\n" for n in range(ledger.PROBLEMS_LISTED + 5))
    data = write_tree(tmp_path / "tiny", {**TINY, **TINY_LEDGER, LEDGER: TINY_LEDGER[LEDGER] + bad})
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(data, "2017-07")
    problems = raised.value.problems
    assert len(problems) == ledger.PROBLEMS_LISTED + 1
    assert "5 more rows like these" in str(problems[0])


def test_an_extract_that_is_not_utf8_says_so(tiny_ledger: DataSet) -> None:
    (tiny_ledger.root / LEDGER).write_bytes(b"period,cost_centre,account,amount\n2017-04,C1,5001,\xa3100\n")
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(tiny_ledger, "2017-07")
    (problem,) = raised.value.problems
    assert (problem.row, problem.found) == (2, "bytes that are not UTF-8") and "CSV UTF-8" in problem.expected


def test_both_a_csv_and_a_parquet_extract_is_a_problem(tiny_ledger: DataSet) -> None:
    shutil.copy(tiny_ledger.root / LEDGER, tiny_ledger.root / "2017-18" / "ledger.parquet")
    with pytest.raises(InputError, match=r"both ledger\.csv and ledger\.parquet"):
        ledger.load_actuals(tiny_ledger, "2017-07")


# ---------------------------------------------------------------------------
# A ledger/ folder: the year's extract in parts


def _split_by_month(data: DataSet, fmt: str = "csv") -> Path:
    """The tiny year's ledger.csv written again as ``ledger/<month>.<fmt>`` (one part a month), then removed."""
    source = data.root / LEDGER
    header, *rows = source.read_text(encoding="utf-8").splitlines(keepends=True)
    folder = data.root / "2017-18" / "ledger"
    folder.mkdir()
    for month in sorted({row[:7] for row in rows}):
        mine = [row for row in rows if row.startswith(month)]
        if fmt == "csv":
            (folder / f"{month}.csv").write_text(header + "".join(mine), encoding="utf-8")
        else:
            table = next(csv.reader(io.StringIO(header + "".join(mine))))
            cells = list(csv.reader(io.StringIO("".join(mine))))
            pq.write_table(
                pa.table({name: [c[i] for c in cells] for i, name in enumerate(table)}), folder / f"{month}.parquet"
            )
    source.unlink()
    return folder


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_folder_of_monthly_parts_reads_as_the_single_file_does(tiny_ledger: DataSet, fmt: str) -> None:
    whole = ledger.load_actuals(tiny_ledger, "2017-07")
    folder = _split_by_month(tiny_ledger, fmt)
    assert len(list(folder.iterdir())) == 4
    parts = ledger.load_actuals(tiny_ledger, "2017-07")
    pd.testing.assert_frame_equal(parts.lines, whole.lines)
    pd.testing.assert_frame_equal(parts.unmapped, whole.unmapped)
    pd.testing.assert_frame_equal(parts.control, whole.control)
    assert parts.source == folder


def test_parts_of_different_amount_types_are_summed_exactly(tiny_ledger: DataSet) -> None:
    folder = tiny_ledger.root / "2017-18" / "ledger"
    (folder / "2017").mkdir(parents=True)  # parts may sit in subfolders
    (tiny_ledger.root / LEDGER).unlink()
    amounts = {
        "2017/04.parquet": pa.array([Decimal("0.10")], pa.decimal128(18, 2)),
        "2017/05.parquet": pa.array([0.2], pa.float64()),
        "2017/06.parquet": pa.array(["£0.30"], pa.string()),
        "07.parquet": pa.array([Decimal("1000000000.07")], pa.decimal128(12, 2)),
    }
    for (name, amount), month in zip(amounts.items(), ["2017-04", "2017-05", "2017-06", "2017-07"], strict=True):
        _parquet(folder / name, amount, [month])
    actuals = ledger.load_actuals(tiny_ledger, "2017-07")
    assert list(actuals.lines.loc["A1", actuals.month_columns]) == [10, 20, 30, 100_000_000_007]
    assert actuals.control.iloc[-1]["rows"] == 4


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_parts_partitioned_by_period_in_folders_named_period_are_read(tiny_ledger: DataSet, fmt: str) -> None:
    """As DuckDB or Spark write them (``COPY … PARTITION_BY (period)``): the period is in the folder's name."""
    import duckdb

    whole = ledger.load_actuals(tiny_ledger, "2017-07")
    source, folder = tiny_ledger.root / LEDGER, tiny_ledger.root / "2017-18" / "ledger"
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_csv(?, all_varchar=true)) TO '{folder}' (FORMAT {fmt}, PARTITION_BY (period))",
            [str(source)],
        )
    source.unlink()
    assert sorted(p.parent.name for p in folder.rglob(f"*.{fmt}")) == [f"period=2017-0{m}" for m in (4, 5, 6, 7)]
    parts = ledger.load_actuals(tiny_ledger, "2017-07")
    pd.testing.assert_frame_equal(parts.lines, whole.lines)
    pd.testing.assert_frame_equal(parts.unmapped, whole.unmapped)


def test_a_bad_row_in_a_part_is_named_by_the_part_and_its_own_row(tiny_ledger: DataSet) -> None:
    folder = _split_by_month(tiny_ledger)
    may = folder / "2017-05.csv"
    lines = may.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",40,", ",40.001,")
    may.write_text("".join(lines), encoding="utf-8")
    june = folder / "2017-06.csv"
    june.write_text(june.read_text(encoding="utf-8").replace("period,", "when,", 1), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(tiny_ledger, "2017-07")
    found = {(Path(p.file).name, p.row, p.column) for p in raised.value.problems}
    assert found == {("2017-05.csv", 3, "amount"), ("2017-06.csv", 1, "period")}, str(raised.value)


@pytest.mark.parametrize(
    ("layout", "text"),
    [
        ({"ledger/a.csv": "x", "ledger/b.parquet": "x"}, "both .csv and .parquet files"),
        ({"ledger/notes.txt": "x"}, "no .csv or .parquet file"),
        ({"ledger/a.csv": "x", "ledger.csv": "x"}, "both ledger.csv and ledger/"),
        ({"ledger/a.csv": "x", "ledger.csv": "x", "ledger.parquet": "x"}, "ledger.csv, ledger.parquet and ledger/"),
    ],
)
def test_a_folder_of_parts_that_cannot_be_read_as_one_is_a_problem(
    tiny_ledger: DataSet, layout: dict[str, str], text: str
) -> None:
    (tiny_ledger.root / LEDGER).unlink()
    write_tree(tiny_ledger.root, {f"2017-18/{name}": body for name, body in layout.items()})
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(tiny_ledger, "2017-07")
    (problem,) = raised.value.problems
    assert text in str(problem.found), str(raised.value)


def test_a_part_the_engine_cannot_read_is_named(tiny_ledger: DataSet) -> None:
    folder = _split_by_month(tiny_ledger)
    june = folder / "2017-06.csv"
    june.write_text(june.read_text(encoding="utf-8") + '2017-06,C1,5001,"1.00,never closed\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(tiny_ledger, "2017-07")
    assert [Path(p.file).name for p in raised.value.problems] == ["2017-06.csv"], str(raised.value)


def test_the_drill_down_names_the_part_of_each_posting(tiny_ledger: DataSet) -> None:
    whole = ledger.read_postings(tiny_ledger, "2017-07", ["C1", "C2"])
    assert set(whole["part"]) == {""}
    _split_by_month(tiny_ledger)
    parts = ledger.read_postings(tiny_ledger, "2017-07", ["C1", "C2"])
    assert list(parts.columns) == list(ledger.POSTING_COLUMNS)
    assert parts["part"].tolist() == [f"2017-0{m}.csv" for m in (4, 4, 5, 5, 6, 6, 7, 7)]
    assert parts["row"].tolist() == [2, 3] * 4
    pd.testing.assert_frame_equal(parts.drop(columns=["part", "row"]), whole.drop(columns=["part", "row"]))


def _parquet(path: Path, amounts: pa.Array, periods: list[str] | None = None) -> None:
    periods = periods or ["2017-04", "2017-05", "2017-06", "2017-07"][: len(amounts)]
    table = pa.table(
        {
            "Period": periods,
            "cost_centre": ["C1"] * len(amounts),
            "account": ["5001"] * len(amounts),
            "amount": amounts,
        }
    )
    pq.write_table(table, path)


def test_parquet_amounts_decimal_and_floating_point_are_exact(tiny_ledger: DataSet) -> None:
    (tiny_ledger.root / LEDGER).unlink()
    path = tiny_ledger.root / "2017-18" / "ledger.parquet"
    _parquet(path, pa.array([0.1, 0.2, 0.3, 1e9 + 0.07], pa.float64()))
    actuals = ledger.load_actuals(tiny_ledger, "2017-07")
    assert list(actuals.lines.loc["A1", actuals.month_columns]) == [10, 20, 30, 100_000_000_007]
    from decimal import Decimal

    _parquet(path, pa.array([Decimal("0.10"), Decimal("-0.20"), Decimal("12345678.91"), None], pa.decimal128(18, 2)))
    with pytest.raises(InputError) as raised:
        ledger.load_actuals(tiny_ledger, "2017-07")
    (problem,) = raised.value.problems
    assert (problem.row, problem.column, problem.found) == (4, "amount", "")
    _parquet(path, pa.array([0.1, 0.2, 0.305, 4.0], pa.float64()))
    with pytest.raises(InputError, match=r"row 3, column amount: found '0\.305'"):
        ledger.load_actuals(tiny_ledger, "2017-07")
    _parquet(path, pa.array([1, 2, 3, 4], pa.int64()))
    with pytest.raises(InputError, match="column amount: found 'a column of type BIGINT'"):
        ledger.load_actuals(tiny_ledger, "2017-07")


# ---------------------------------------------------------------------------
# The sample generator and the committed sample


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> DataSet:
    """A small generated copy of the sample, with its hledger journal."""
    out = tmp_path_factory.mktemp("generated") / "sample"
    write_sample_ledger(SAMPLE, out, rows=3000, previous_rows=1500, journal=True)
    return DataSet(out)


def test_committed_sample_ledger_is_what_the_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "again"
    write_sample_ledger(SAMPLE, out, rows=1000, previous_rows=2000)
    for name in (CENTRES, LEDGER, LAST_LEDGER):
        assert (out / name).read_bytes() == (SAMPLE / name).read_bytes(), f"{name}: run make sample-ledger"


def test_parquet_and_csv_extracts_give_the_same_actuals(generated: DataSet, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    write_sample_ledger(SAMPLE, out, rows=3000, previous_rows=1500, fmt="parquet")
    from_csv = ledger.load_actuals(generated, "2017-07")
    from_parquet = ledger.load_actuals(out, "2017-07")
    assert from_csv.lines.equals(from_parquet.lines)
    assert from_csv.unmapped.equals(from_parquet.unmapped)
    assert from_csv.control.equals(from_parquet.control)


def test_hledger_budget_report_agrees_by_line_and_month(generated: DataSet) -> None:
    """`hledger balance --budget -M` on the generated journal gives finlib's budget and actual, to the penny."""
    if shutil.which("hledger") is None:
        pytest.skip(
            "hledger is not on PATH: install it (Debian: apt-get install -y hledger; .ci/run does) to cross-check"
        )
    journal = generated.journal(FinancialYear(2017))
    period = ["-b", "2017-04-01", "-e", "2017-08-01", "-O", "csv"]
    done = subprocess.run(
        ["hledger", "-f", str(journal), "balance", "--budget", "-M", *period, "^expenses:"],
        capture_output=True,
        text=True,
        check=True,
    )
    header, *rows = list(csv.reader(io.StringIO(done.stdout)))
    months = header[1::2]
    assert months == ["2017-04", "2017-05", "2017-06", "2017-07"]
    theirs: dict[tuple[object, object], tuple[int, int]] = {}
    for row in rows:
        if not row[0].startswith("expenses:"):
            continue
        line = row[0].removeprefix("expenses:")
        for index, month in enumerate(months):
            actual, budget = row[1 + 2 * index], row[2 + 2 * index]
            theirs[(line, month)] = (parse_amount(actual or "0"), parse_amount(budget or "0"))
    inputs = load_period(generated, "2017-07")
    ours = tables.budget_vs_actual(inputs.forecasts["net_budget"], ledger.load_actuals(generated, "2017-07"))
    assert len(ours) == 51 * 4 and len(theirs) == len(ours)
    for record in ours.itertuples():
        assert theirs[(record.line_id, record.period)] == (record.actual, record.budget), (
            record.line_id,
            record.period,
        )
    unmapped = subprocess.run(
        ["hledger", "-f", str(journal), "balance", "-M", *period, "^unmapped:"],
        capture_output=True,
        text=True,
        check=True,
    )
    total = next(row for row in csv.reader(io.StringIO(unmapped.stdout)) if row and row[0] == "total")
    actuals = ledger.load_actuals(generated, "2017-07")
    assert [parse_amount(v) for v in total[1:]] == [int(actuals.unmapped[m].sum()) for m in actuals.month_columns]
