"""The explorer's drill-down: one line's postings from a 10-million-row Parquet ledger, finlib against
pandas reading the same file and filtering it, in the same run.

- finlib: ``finlib.explorer.drill_down`` for the line the explorer drills into first (the whole
  authority's largest revised variance), April to July 2017: the DuckDB query over the ledger (the
  cost centres and months as parameters), the postings in whole pence, the cost-centre table and
  the check that the postings add up to the line's actuals to the penny.  What the explorer gathers
  once for the period (monitoring, actuals, forecast methods) is read before the clock starts.
- peer: ``pandas.read_parquet`` of the same file with the same cost centres and months as pyarrow
  filters (pushed down to the row groups), then the total per cost centre: the least a pandas user
  would write for the same rows.

Each side runs five times in turn (median).  The ledger is the one ``make data-large`` (``--data``) or
``benchmarks/ledger.py`` makes (``build/bench/ledger-<rows>``, made once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ledger import BUILD, made  # noqa: E402
from benchmarks.record import append_rows  # noqa: E402

PERIOD = "2017-07"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the large ledger")
    parser.add_argument("--data", type=Path, help="a data set with a large ledger (default: made under build/bench)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()

    import pandas as pd

    from finlib import explorer
    from finlib.core.period import Period

    data = args.data or made(
        BUILD / f"ledger-{args.rows}",
        *("--rows", str(args.rows), "--previous-rows", "10000", "--through", "2018-03"),
        *("--cost-centres", "5000", "--format", "parquet", "--journal", "no"),
    )
    cores = os.cpu_count()
    print(f"explorer drill-down benchmark, {cores} cores", flush=True)
    gathered = explorer.gather(data, PERIOD)
    assert gathered.ledger is not None
    rows = gathered.ledger.actuals.rows
    (_, line_id), *_ = gathered.lines(None, None)
    centres = list(gathered.ledger.centres.index[gathered.ledger.centres["line_id"] == line_id])
    months = [str(p) for p in Period.parse(PERIOD).financial_year.periods()[: Period.parse(PERIOD).month_of_year]]
    ledger_file = gathered.ledger.actuals.source

    def ours() -> int:
        drill = explorer.drill_down(data, gathered, line_id)
        assert drill is not None
        return len(drill.postings.frame)

    def peer() -> int:
        frame = pd.read_parquet(ledger_file, filters=[("cost_centre", "in", centres), ("period", "in", months)])
        frame.groupby("cost_centre")["amount"].sum()
        return len(frame)

    found: dict[str, list[float]] = {"finlib": [], "pandas": []}
    counts = set()
    for _ in range(args.repeat):
        for side, run in (("finlib", ours), ("pandas", peer)):
            started = time.perf_counter()
            counts.add(run())
            found[side].append(time.perf_counter() - started)
    if len(counts) != 1:
        raise SystemExit(f"the two sides found different postings: {sorted(counts)}")
    (postings,) = counts
    mine, theirs = statistics.median(found["finlib"]), statistics.median(found["pandas"])
    ratio = mine / theirs
    print(f"  drill-down of {line_id} ({len(centres)} cost centres, {postings:,} postings) in {rows:,} rows:")
    print(f"    finlib.explorer.drill_down: {mine:.3f} s (median of {args.repeat})")
    print(f"    pandas.read_parquet with filters: {theirs:.3f} s")
    print(f"    ratio: {ratio:.2f}x pandas' time")
    append_rows(
        args.record,
        [
            f"| {dt.date.today().isoformat()} | explorer drill-down: one line ({len(centres)} cost centres, "
            f"{postings:,} postings, April to July) from {rows:,} Parquet rows | {cores} | {mine:.3f} s | "
            f"{theirs:.3f} s (pandas.read_parquet with filters) | {ratio:.2f}x pandas' time |\n"
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
