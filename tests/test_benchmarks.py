"""The benchmarks (`make bench`) keep up with the library they measure: they plan the same pack that
`finlib report` runs, and the returns benchmark's data set is one finlib validates, issues and collects
(their timings are not taken here; see BENCHMARKS.md)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from benchmarks.pack import jobs
from benchmarks.returns import check_collected, issued_cells, make_data, peer_read, peer_write
from finlib import returns
from finlib.monitoring import validate
from tests.conftest import SAMPLE, sample_committees
from tests.managers import fill_returns, read_csv


def test_the_pack_benchmark_plans_the_reports_finlib_report_writes() -> None:
    names = [job.name for job in jobs(SAMPLE, "2017-07")]
    papers = ["cabinet", *sample_committees()]
    assert names == [*papers, *(f"{name}-dashboard" for name in papers)], "the reports and their dashboards"


def test_the_returns_benchmark_makes_a_data_set_finlib_issues_and_collects(tmp_path: Path) -> None:
    data = make_data(tmp_path / "data", managers=5, lines_each=20)
    book = read_csv(data / "2017-18" / "budget_book.csv")
    managers = read_csv(data / "2017-18" / "managers.csv")
    assert len(book) == len(managers) == 100 and len({r["line_id"] for r in book}) == 100
    assert sorted(Counter(r["manager"] for r in managers).values()) == [20] * 5
    assert (data / "2017-18" / "ledger.csv").is_file() and (data / "2016-17" / "ledger.csv").is_file()
    assert len(validate(data, "2017-07").position.lines) == 100
    issued = tmp_path / "issued"
    assert len(returns.issue(data, "2017-07", issued, quiet=True)) == 5
    cells = issued_cells(issued)
    assert [lines for *_, lines in cells] == [20] * 5
    assert "Actual Jul 2017 £" in cells[0][1]["Forecast"][3]  # the ledger's actuals are in the returns
    filled = tmp_path / "filled"
    shutil.copytree(issued, filled)
    fill_returns(filled, data / "2017-18" / "2017-07", data / "2017-18" / "budget_book.csv")
    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    assert returns.collect(copy, "2017-07", filled, replace=True).returned == 5
    check_collected(data, copy)  # the forecasts entered are the ones collected
    written = peer_write(cells, tmp_path / "peer")
    assert peer_read(tmp_path / "peer") == written
    assert peer_read(filled) == written + 10  # two explanations entered in each return


def test_the_synthetic_authority_is_one_finlib_reads_and_the_same_every_time(tmp_path: Path) -> None:
    from benchmarks.make_authority import authority, write

    data = write(tmp_path / "a", lines=400, directorates=7)
    monitoring = validate(data, "2017-07")
    assert len(monitoring.position.lines) == 400
    assert len(monitoring.directorates()) == 7
    assert len(jobs(data, "2017-07")) == 8, "the Cabinet report and one committee per directorate"
    assert authority(400, 7) == authority(400, 7), "deterministic"
    assert authority(400, 7) != authority(400, 7, seed=1)


def test_the_plain_pandas_peer_adds_up_to_what_finlib_tables_writes(tmp_path: Path) -> None:
    """The peer does the same work: its division totals are finlib's, to the display's rounding."""
    import subprocess

    from benchmarks.make_authority import write
    from benchmarks.tables import theirs
    from finlib.cli import main

    data = write(tmp_path / "a", lines=300, directorates=4)
    subprocess.run(theirs(data, tmp_path / "plain"), check=True)
    assert main(["tables", "--data", str(data), "--period", "2017-07", "--out", str(tmp_path / "ours")]) == 0
    plain = {
        f"{r['directorate']} - {r['division']}": float(r["revised_net_variance"]) / 1e6
        for r in read_csv(tmp_path / "plain" / "authority.csv")
    }
    ours = {r["row"]: float(r["revised_net_variance"]) for r in read_csv(tmp_path / "ours" / "authority.csv")}
    assert plain and set(plain) <= set(ours)
    for row, millions in plain.items():
        assert abs(ours[row] - millions) < 0.0006, row


def _small_ledger(tmp_path: Path) -> Path:
    from benchmarks.sample_ledger import write_sample_ledger

    out = tmp_path / "ledger"
    write_sample_ledger(SAMPLE, out, rows=3_000, previous_rows=500, cost_centres=120, fmt="parquet", journal=False)
    return out


def test_the_ledger_benchmarks_peers_compute_what_finlib_does(tmp_path: Path) -> None:
    """The best query's every-level roll-up and its one-query budget against actual give finlib's figures."""
    import csv

    import duckdb

    from benchmarks import ledger as bench
    from finlib.core.period import FinancialYear
    from finlib.inputs import ledger

    data = _small_ledger(tmp_path)
    folder = data / "2017-18"
    actuals = ledger.read_actuals(data, FinancialYear(2017))
    files = {
        "ledger": folder / "ledger.parquet",
        "centres": folder / "cost_centres.csv",
        "book": folder / "budget_book.csv",
    }
    with duckdb.connect() as con:
        rolled = con.execute(bench.BEST_QUERY.format(**files)).fetchall()  # exact: Decimal pounds
        (scanned,) = con.execute(bench.SCAN_QUERY.format(**files)).fetchone() or (None,)
    lines = {(line_id, period): amount for period, *_, line_id, amount in rolled if line_id is not None}
    checked = 0
    for line_id in actuals.lines.index:
        for month in actuals.month_columns:
            assert lines.get((line_id, month), 0) * 100 == int(actuals.lines.loc[line_id, month]), (line_id, month)
            checked += 1
    assert checked >= 100
    assert scanned * 100 == int(actuals.control["extract"].iloc[-1])

    ours, peer = tmp_path / "ours.csv", tmp_path / "peer.csv"
    bench.worker_budget(data, "2017-07", ours)
    bench.worker_duckdb_budget(data, peer)
    with ours.open() as mine, peer.open() as theirs:
        assert sorted(csv.DictReader(mine), key=str) == sorted(csv.DictReader(theirs), key=str)


def test_the_ledger_benchmark_splits_a_ledger_into_parts_finlib_reads_alike(tmp_path: Path) -> None:
    import pandas as pd

    from benchmarks import ledger as bench
    from finlib.core.period import FinancialYear
    from finlib.inputs import ledger

    data = _small_ledger(tmp_path)
    (data / "made.json").write_text("[]")
    parts = bench.parts_of(data)
    assert len(list((parts / "2017-18" / "ledger").rglob("*.parquet"))) == 4
    whole, split = (ledger.read_actuals(d, FinancialYear(2017)) for d in (data, parts))
    pd.testing.assert_frame_equal(whole.lines, split.lines)
    pd.testing.assert_frame_equal(whole.control, split.control)
