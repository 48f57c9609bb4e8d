"""The ledger: finlib against a plain DuckDB query and against hledger, on the same data in the same run.

1. Aggregation of a 10-million-row Parquet ledger (the sample authority's 2017-18, twelve months, 5,000
   cost centres) to every level of the revenue hierarchy by month: ``finlib.inputs.ledger.read_actuals`` (checks,
   cost-centre mapping, unmapped bucket, control totals) and the roll-ups of every table, against one
   DuckDB ``GROUP BY period, ROLLUP(directorate, division, heading, line_id)`` over the same file joined
   to the same mapping.  Each side runs in its own process, five times (median), twice in turn; extra
   memory is the peak resident size during the runs less the size before them (``ru_maxrss``).
2. Budget against actual by line and month on a 200,000-transaction ledger, each as a whole process:
   a Python process running finlib (``finlib.inputs.ledger.load_budget_vs_actual``: check the budget book, the
   period's forecasts and the cost centres, read the Parquet extract; then write CSV) against
   ``hledger balance --budget -M -O csv`` on the equivalent journal (the same transactions and budgets).
   The finlib process runs as installed without the dev extras (Hypothesis is hidden from it: pandera
   would otherwise import it on its first check, 0.2 s that no user's installation spends).

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.record import append_rows  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
BUILD = ROOT / "build" / "bench"
PEER_QUERY = """
    SELECT l.period, b.directorate, b.division, b.heading, c.line_id, SUM(l.amount) AS amount
    FROM read_parquet('{ledger}') l
    LEFT JOIN read_csv('{centres}', all_varchar=true) c USING (cost_centre)
    LEFT JOIN read_csv('{book}', all_varchar=true) b USING (line_id)
    GROUP BY l.period, ROLLUP(b.directorate, b.division, b.heading, c.line_id)
"""


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


def worker_aggregate(side: str, data: Path, repeat: int) -> dict:
    import duckdb

    from finlib.config import DataSet
    from finlib.core.actuals import authority_actuals, directorate_actuals
    from finlib.core.period import FinancialYear
    from finlib.core.settings import Labels
    from finlib.inputs import ledger

    dataset = DataSet(data)
    year = FinancialYear(2017)

    def ours() -> None:
        actuals = ledger.read_actuals(dataset, year)
        authority_actuals(actuals, Labels())
        for directorate in actuals.lines.loc[actuals.lines["kind"] == "service", "directorate"].unique():
            directorate_actuals(actuals, directorate)

    def peer() -> None:
        folder = dataset.year_dir(year)
        query = PEER_QUERY.format(
            ledger=folder / "ledger.parquet", centres=folder / "cost_centres.csv", book=folder / "budget_book.csv"
        )
        with duckdb.connect() as con:
            con.execute(query).fetchall()

    run = ours if side == "finlib" else peer
    before = _rss_mib()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return {"times": times, "extra_mib": _rss_mib() - before}


def worker_budget(data: Path, period: str, out: Path) -> None:
    """The whole budget-against-actual report, as a user's process would run it."""
    from finlib.inputs import ledger

    ledger.load_budget_vs_actual(data, period).to_csv(out, index=False)


# ---------------------------------------------------------------------------
# The runs


def aggregate(data: Path, repeat: int, rounds: int) -> dict[str, dict]:
    found: dict[str, dict] = {"duckdb": {"times": [], "extra_mib": []}, "finlib": {"times": [], "extra_mib": []}}
    for _ in range(rounds):
        for side in ("duckdb", "finlib"):
            done = subprocess.run(
                [sys.executable, __file__, "--worker", side, "--data", str(data), "--repeat", str(repeat)],
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the large ledger")
    parser.add_argument("--transactions", type=int, default=200_000, help="transactions of the journal")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--worker", choices=["finlib", "duckdb", "budget"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "budget":
        # As a user's installation runs it, without the dev extras: pandera imports Hypothesis (0.2 s) on
        # its first check when it is installed, and only the test suite needs it.
        sys.modules["hypothesis"] = None  # type: ignore[assignment]
        worker_budget(args.data, "2017-07", args.out)
        return 0
    if args.worker:
        print(json.dumps(worker_aggregate(args.worker, args.data, args.repeat)))
        return 0

    cores = os.cpu_count()
    print(f"ledger benchmarks, {cores} cores", flush=True)
    large = made(
        BUILD / f"ledger-{args.rows}",
        *("--rows", str(args.rows), "--previous-rows", "10000", "--through", "2018-03"),
        *("--cost-centres", "5000", "--format", "parquet", "--journal", "no"),
    )
    found = aggregate(large, args.repeat, rounds=2)
    ours, peer = (statistics.median(found[s]["times"]) for s in ("finlib", "duckdb"))
    ours_mib, peer_mib = (max(found[s]["extra_mib"]) for s in ("finlib", "duckdb"))
    ratio = ours / peer
    print(f"  aggregation of {args.rows:,} rows to every level by month (median of {len(found['finlib']['times'])}):")
    print(f"    finlib.ledger: {ours:.3f} s, extra memory {ours_mib:.0f} MiB")
    print(f"    DuckDB GROUP BY ROLLUP: {peer:.3f} s, extra memory {peer_mib:.0f} MiB")
    print(f"    ratio: {ratio:.2f}x the query's time (aim: at most 1.2x; memory under 400 MiB)")

    journal_set = made(
        BUILD / f"journal-{args.transactions}",
        *("--rows", str(args.transactions), "--previous-rows", "1000", "--format", "parquet", "--journal", "yes"),
    )
    rows = [
        f"| {dt.date.today().isoformat()} | ledger: {args.rows:,} Parquet rows to every level by month "
        f"(extra memory {ours_mib:.0f} MiB; query {peer_mib:.0f} MiB) | {cores} | {ours:.3f} s | "
        f"{peer:.3f} s (DuckDB GROUP BY ROLLUP) | {ratio:.2f}x the query's time |\n"
    ]
    hledger = shutil.which("hledger")
    if hledger is None:
        print("  hledger is not installed (apt-get install -y hledger): budget against actual not compared")
    else:
        out = BUILD / "budget.csv"
        ours_runs = [
            whole_process(
                [sys.executable, __file__, "--worker", "budget", "--data", str(journal_set), "--out", str(out)]
            )
            for _ in range(3)
        ]
        peer_command = [hledger, "-f", str(journal_set / "2017-18" / "ledger.journal"), "balance", "--budget", "-M"]
        peer_command += ["-b", "2017-04-01", "-e", "2017-08-01", "-O", "csv"]
        peer_runs = [whole_process(peer_command) for _ in range(2)]
        ours_time = statistics.median(t for t, _ in ours_runs)
        peer_time = statistics.median(t for t, _ in peer_runs)
        ours_rss, peer_rss = max(m for _, m in ours_runs), max(m for _, m in peer_runs)
        faster = peer_time / ours_time
        print(f"  budget against actual, {args.transactions:,} transactions, whole process:")
        print(f"    finlib: {ours_time:.2f} s, peak {ours_rss:.0f} MiB")
        print(f"    hledger balance --budget -M: {peer_time:.2f} s, peak {peer_rss:.0f} MiB")
        print(f"    ratio: {faster:.1f}x faster (aim: at least 10x)")
        rows.append(
            f"| {dt.date.today().isoformat()} | budget vs actual by line and month, {args.transactions:,} "
            f"transactions, whole process (peak {ours_rss:.0f} MiB; hledger {peer_rss:.0f} MiB) | {cores} | "
            f"{ours_time:.2f} s | {peer_time:.2f} s (hledger balance --budget -M) | {faster:.1f}x |\n"
        )
    append_rows(args.record, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
