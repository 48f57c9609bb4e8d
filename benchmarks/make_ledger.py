"""Write a deterministic general ledger for the sample authority (see benchmarks/sample_ledger.py).

    python benchmarks/make_ledger.py                              # the committed sample, in data/sample
    python benchmarks/make_ledger.py --rows 10000000 --out build/large --format parquet --through 2018-03

With ``--out``, the sample data set is copied there first and the ledger written into the copy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sample_ledger import SEED, write_sample_ledger  # noqa: E402

JOURNAL_UP_TO = 1_000_000  # --journal auto: write the hledger journal up to this many rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample", help="the data set (budgets, forecasts)")
    parser.add_argument("--out", type=Path, help="write a copy of the data set with its ledger here")
    parser.add_argument("--rows", type=int, default=1_000, help="rows of this year's extract")
    parser.add_argument("--previous-rows", type=int, help="rows of last year's (default: --rows, at most a million)")
    parser.add_argument("--period", default="2017-07", help="whose forecasts the ledger follows")
    parser.add_argument("--through", help="the last month of this year's extract (default: --period)")
    parser.add_argument("--cost-centres", type=int, default=80, help="cost centres mapped to the budget lines")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument(
        "--journal",
        choices=["auto", "yes", "no"],
        default="auto",
        help=f"write the hledger journal (auto: up to {JOURNAL_UP_TO:,} rows)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    journal = args.journal == "yes" or (args.journal == "auto" and args.rows <= JOURNAL_UP_TO)
    if args.out is None and args.journal == "auto":
        journal = False  # the committed sample keeps no journal: the tests write one when they need it
    started = time.perf_counter()
    written = write_sample_ledger(
        args.data,
        args.out,
        forecasts_period=args.period,
        through=args.through,
        rows=args.rows,
        previous_rows=args.previous_rows,
        cost_centres=args.cost_centres,
        fmt=args.format,
        journal=journal,
        seed=args.seed,
    )
    for year, path in written.ledgers.items():
        print(f"{year}: {written.rows[year]:,} rows in {path}")
    for year, path in written.journals.items():
        print(f"{year}: hledger journal {path}")
    print(f"cost centres: {written.cost_centres} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
