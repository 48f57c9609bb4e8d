"""The ledger: finlib against the best plain DuckDB query, a bare scan and hledger, on the same data in the same run.

1. Aggregation of a Parquet ledger (the sample authority's 2017-18, twelve months, 5,000 cost centres;
   10 and 30 million rows) to every level of the revenue hierarchy by month.  finlib:
   ``finlib.inputs.ledger.read_actuals`` (checks, cost-centre mapping, unmapped bucket, control totals)
   and the roll-ups of every table.  Its peers, each on the same file:
   - the best plain DuckDB query: aggregate first (``GROUP BY period, cost_centre``), then join the small
     result to the mapping and ``GROUP BY period, ROLLUP(directorate, division, heading, line_id)``;
   - a bare scan (``SUM(amount)`` of every row): what reading the file costs at the least.
   finlib also reads the same rows as a ``ledger/`` folder of twelve monthly parts (``period=…``
   folders, as ``COPY … PARTITION_BY`` writes them).  Each side runs in its own process, five times
   (median), twice in turn; extra memory is the peak resident size during the runs less the size
   before them (``ru_maxrss``).
2. Budget against actual by line and month on a 200,000-transaction ledger, each as a whole process:
   a Python process running finlib (``finlib.inputs.ledger.load_budget_vs_actual``: check the budget book, the
   period's forecasts and the cost centres, read the Parquet extract; then write CSV) against
   ``hledger balance --budget -M -O csv`` on the equivalent journal (the same transactions and budgets),
   and against one DuckDB process running the same report as one query (no checks; a test holds its
   output to finlib's).  The finlib process runs as installed without the dev extras (Hypothesis is hidden
   from it: pandera would otherwise import it on its first check, 0.2 s that no user's installation spends).

The data are made by ``benchmarks/sample_ledger.py`` under ``build/bench/`` (once; deterministic).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.record import append_rows  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
BUILD = ROOT / "build" / "bench"
BEST_QUERY = """
    WITH cells AS (
        SELECT period, cost_centre, SUM(amount) AS amount FROM read_parquet('{ledger}') GROUP BY ALL
    )
    SELECT c.period, b.directorate, b.division, b.heading, m.line_id, SUM(c.amount) AS amount
    FROM cells c
    LEFT JOIN read_csv('{centres}', all_varchar=true) m USING (cost_centre)
    LEFT JOIN read_csv('{book}', all_varchar=true) b USING (line_id)
    GROUP BY c.period, ROLLUP(b.directorate, b.division, b.heading, m.line_id)
"""
SCAN_QUERY = "SELECT SUM(amount) FROM read_parquet('{ledger}')"
# Budget against actual as one query: every line of the period's forecasts by month, April to the period;
# the monthly budget is the net budget in twelve whole-penny instalments (half away from zero), as finlib's.
BUDGET_QUERY = """
    COPY (
        WITH months AS (SELECT unnest($months) AS period),
        budgets AS (
            SELECT line_id, CAST(round(CAST(net_budget AS DECIMAL(18, 2)) * 100) AS BIGINT) AS pence
            FROM read_csv($forecasts, all_varchar=true)
        ),
        actuals AS (
            SELECT m.line_id, trim(l.period) AS period, CAST(SUM(l.amount) * 100 AS BIGINT) AS actual
            FROM read_parquet($ledger) l
            JOIN read_csv($centres, all_varchar=true) m ON trim(l.cost_centre) = m.cost_centre
            WHERE trim(l.period) IN (SELECT period FROM months)
            GROUP BY ALL
        )
        SELECT line_id, period, budget, coalesce(actual, 0) AS actual, coalesce(actual, 0) - budget AS variance
        FROM (
            SELECT b.line_id, m.period,
                   CASE WHEN b.pence >= 0 THEN (b.pence + 6) // 12 ELSE -((6 - b.pence) // 12) END AS budget
            FROM budgets b CROSS JOIN months m
        ) LEFT JOIN actuals USING (line_id, period)
        ORDER BY line_id, period
    ) TO '{out}' (HEADER, DELIMITER ',')
"""
MONTHS = ["2017-04", "2017-05", "2017-06", "2017-07"]


def made(folder: Path, *options: str) -> Path:
    """A generated data set under ``build/bench`` (kept between runs; remade when the options change).

    Made by ``benchmarks/make_ledger.py`` in a process of its own, so that this one stays small: a child
    process starts with its parent's peak resident size, which would hide the workers' own.
    """
    stamp = folder / "made.json"
    wanted = json.dumps(options)
    if stamp.is_file() and stamp.read_text() == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    script = Path(__file__).with_name("make_ledger.py")
    subprocess.run([sys.executable, str(script), "--out", str(folder), *options], check=True, capture_output=True)
    stamp.write_text(wanted)
    print(f"  made {folder.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


# ---------------------------------------------------------------------------
# Workers (each run in a process of its own)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_aggregate(side: str, data: Path, repeat: int) -> dict[str, Any]:
    import duckdb

    from finlib.config import DataSet
    from finlib.core.actuals import authority_actuals, directorate_actuals
    from finlib.core.period import FinancialYear
    from finlib.core.settings import Labels
    from finlib.inputs import ledger

    dataset = DataSet(data)
    year = FinancialYear(2017)
    folder = dataset.year_dir(year)
    files = {
        "ledger": folder / "ledger.parquet",
        "centres": folder / "cost_centres.csv",
        "book": folder / "budget_book.csv",
    }

    def ours() -> None:
        actuals = ledger.read_actuals(dataset, year)
        authority_actuals(actuals, Labels())
        for directorate in actuals.lines.loc[actuals.lines["kind"] == "service", "directorate"].unique():
            directorate_actuals(actuals, directorate)

    def query(text: str) -> None:
        with duckdb.connect() as con:
            con.execute(text.format(**files)).fetchall()

    runs: dict[str, Callable[[], None]] = {
        "finlib": ours,
        "duckdb": lambda: query(BEST_QUERY),
        "scan": lambda: query(SCAN_QUERY),
    }
    before = _rss_mib()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        runs[side]()
        times.append(time.perf_counter() - started)
    return {"times": times, "extra_mib": _rss_mib() - before}


def worker_budget(data: Path, period: str, out: Path) -> None:
    """The whole budget-against-actual report, as a user's process would run it."""
    from finlib.inputs import ledger

    ledger.load_budget_vs_actual(data, period).to_csv(out, index=False)


def worker_duckdb_budget(data: Path, out: Path) -> None:
    """The same report as one DuckDB query, in a process that imports nothing else."""
    import duckdb

    folder = data / "2017-18"
    with duckdb.connect() as con:
        con.execute(
            BUDGET_QUERY.replace("{out}", str(out).replace("'", "''")),
            {
                "months": MONTHS,
                "forecasts": str(folder / "2017-07" / "forecasts.csv"),
                "ledger": str(folder / "ledger.parquet"),
                "centres": str(folder / "cost_centres.csv"),
            },
        )


def parts_of(data: Path) -> Path:
    """A copy of ``data`` whose 2017-18 ledger is a ``ledger/`` folder of monthly parts (made once, by DuckDB in
    a process of its own, as :func:`made` makes data: a child process starts with its parent's peak size)."""
    target = data.with_name(data.name + "-parts")
    stamp = target / "made.json"
    if stamp.is_file() and stamp.read_text() == (data / "made.json").read_text():
        return target
    subprocess.run([sys.executable, __file__, "--worker", "parts", "--data", str(data)], check=True)
    return target


def worker_parts(data: Path) -> None:
    import duckdb

    target = data.with_name(data.name + "-parts")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(data, target, ignore=shutil.ignore_patterns("ledger.parquet", "made.json"))
    shutil.copy(data / "2016-17" / "ledger.parquet", target / "2016-17" / "ledger.parquet")
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{data / '2017-18' / 'ledger.parquet'}')) "
            f"TO '{target / '2017-18' / 'ledger'}' (FORMAT parquet, PARTITION_BY (period))"
        )
    (target / "made.json").write_text((data / "made.json").read_text())


# ---------------------------------------------------------------------------
# The runs


def aggregate(data: Path, sides: tuple[str, ...], repeat: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    found: dict[str, dict[str, list[float]]] = {side: {"times": [], "extra_mib": []} for side in sides}
    for _ in range(rounds):
        for side in sides:
            worker, where = ("finlib", parts_of(data)) if side == "finlib-parts" else (side, data)
            done = subprocess.run(
                [sys.executable, __file__, "--worker", worker, "--data", str(where), "--repeat", str(repeat)],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            found[side]["times"].extend(result["times"])
            found[side]["extra_mib"].append(result["extra_mib"])
    return found


def whole_process(command: list[str]) -> tuple[float, float]:
    """Wall time and peak resident size (MiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


SIDES = ("finlib", "finlib-parts", "duckdb", "scan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[10_000_000, 30_000_000], help="rows of each large ledger"
    )
    parser.add_argument("--transactions", type=int, default=200_000, help="transactions of the journal")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--worker", choices=["finlib", "duckdb", "scan", "budget", "duckdb-budget", "parts"], help=argparse.SUPPRESS
    )
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "budget":
        # As a user's installation runs it, without the dev extras: pandera imports Hypothesis (0.2 s) on
        # its first check when it is installed, and only the test suite needs it.
        sys.modules["hypothesis"] = None  # type: ignore[assignment]
        worker_budget(args.data, "2017-07", args.out)
        return 0
    if args.worker == "parts":
        worker_parts(args.data)
        return 0
    if args.worker == "duckdb-budget":
        worker_duckdb_budget(args.data, args.out)
        return 0
    if args.worker:
        print(json.dumps(worker_aggregate(args.worker, args.data, args.repeat)))
        return 0

    cores = os.cpu_count()
    today = dt.date.today().isoformat()
    print(f"ledger benchmarks, {cores} cores", flush=True)
    rows = []
    for count in args.rows:
        large = made(
            BUILD / f"ledger-{count}",
            *("--rows", str(count), "--previous-rows", "10000", "--through", "2018-03"),
            *("--cost-centres", "5000", "--format", "parquet", "--journal", "no"),
        )
        load = os.getloadavg()[0]
        found = aggregate(large, SIDES, args.repeat, rounds=2)
        time_of = {side: statistics.median(found[side]["times"]) for side in SIDES}
        mib = {side: max(found[side]["extra_mib"]) for side in SIDES}
        runs = len(found["finlib"]["times"])
        print(f"  aggregation of {count:,} rows to every level by month (median of {runs}; load {load:.1f}):")
        for side, name in (
            ("finlib", "finlib, ledger.parquet"),
            ("finlib-parts", "finlib, ledger/ in 12 monthly parts"),
            ("duckdb", "DuckDB, aggregate first then ROLLUP"),
            ("scan", "DuckDB, bare scan (SUM of every amount)"),
        ):
            print(f"    {name}: {time_of[side]:.3f} s, extra memory {mib[side]:.0f} MiB")
        print(
            f"    ratio: {time_of['finlib'] / time_of['duckdb']:.2f}x the best query's time (aim: at most 1x), "
            f"{time_of['finlib'] / time_of['scan']:.1f}x the bare scan's"
        )
        for side, what in (("finlib", "ledger.parquet"), ("finlib-parts", "a ledger/ folder of 12 monthly parts")):
            rows.append(
                f"| {today} | ledger: {count:,} Parquet rows to every level by month, {what} (extra memory "
                f"{mib[side]:.0f} MiB; query {mib['duckdb']:.0f} MiB; load {load:.1f}) | {cores} | "
                f"{time_of[side]:.3f} s | {time_of['duckdb']:.3f} s (DuckDB: aggregate first, then ROLLUP) | "
                f"{time_of[side] / time_of['duckdb']:.2f}x the query's time |\n"
            )
        rows.append(
            f"| {today} | ledger: {count:,} Parquet rows, against a bare scan (SUM of every amount; load {load:.1f}) "
            f"| {cores} | {time_of['finlib']:.3f} s | {time_of['scan']:.3f} s (DuckDB SUM(amount)) | "
            f"{time_of['finlib'] / time_of['scan']:.1f}x the scan's time |\n"
        )

    journal_set = made(
        BUILD / f"journal-{args.transactions}",
        *("--rows", str(args.transactions), "--previous-rows", "1000", "--format", "parquet", "--journal", "yes"),
    )
    load = os.getloadavg()[0]
    out = BUILD / "budget.csv"
    ours_runs = [
        whole_process([sys.executable, __file__, "--worker", "budget", "--data", str(journal_set), "--out", str(out)])
        for _ in range(5)
    ]
    duck_command = [sys.executable, __file__, "--worker", "duckdb-budget", "--data", str(journal_set)]
    duck_runs = [whole_process([*duck_command, "--out", str(BUILD / "budget-duckdb.csv")]) for _ in range(5)]
    ours_time = statistics.median(t for t, _ in ours_runs)
    duck_time = statistics.median(t for t, _ in duck_runs)
    ours_rss, duck_rss = max(m for _, m in ours_runs), max(m for _, m in duck_runs)
    print(f"  budget against actual, {args.transactions:,} transactions, whole process (load {load:.1f}):")
    print(f"    finlib: {ours_time:.2f} s, peak {ours_rss:.0f} MiB")
    print(f"    one DuckDB process: {duck_time:.2f} s, peak {duck_rss:.0f} MiB")
    print(f"    ratio: {ours_time / duck_time:.1f}x DuckDB's time (aim: at most 3x)")
    rows.append(
        f"| {today} | budget vs actual by line and month, {args.transactions:,} transactions, whole process "
        f"(peak {ours_rss:.0f} MiB; DuckDB {duck_rss:.0f} MiB; load {load:.1f}) | {cores} | {ours_time:.2f} s | "
        f"{duck_time:.2f} s (one DuckDB process, one query) | {ours_time / duck_time:.1f}x its time |\n"
    )
    hledger = shutil.which("hledger")
    if hledger is None:
        print("  hledger is not installed (apt-get install -y hledger): budget against actual not compared with it")
    else:
        peer_command = [hledger, "-f", str(journal_set / "2017-18" / "ledger.journal"), "balance", "--budget", "-M"]
        peer_command += ["-b", "2017-04-01", "-e", "2017-08-01", "-O", "csv"]
        peer_runs = [whole_process(peer_command) for _ in range(2)]
        peer_time = statistics.median(t for t, _ in peer_runs)
        peer_rss = max(m for _, m in peer_runs)
        faster = peer_time / ours_time
        print(f"    hledger balance --budget -M: {peer_time:.2f} s, peak {peer_rss:.0f} MiB")
        print(f"    ratio: {faster:.1f}x faster than hledger (aim: at least 10x)")
        rows.append(
            f"| {today} | budget vs actual by line and month, {args.transactions:,} "
            f"transactions, whole process (peak {ours_rss:.0f} MiB; hledger {peer_rss:.0f} MiB; load {load:.1f}) | "
            f"{cores} | {ours_time:.2f} s | {peer_time:.2f} s (hledger balance --budget -M) | {faster:.1f}x |\n"
        )
    append_rows(args.record, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
