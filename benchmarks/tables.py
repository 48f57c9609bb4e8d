"""`finlib tables` against the analyst's version: a plain pandas script over the same files.

Both run as whole processes on a synthetic authority (``make_authority.py``) and write the authority
table and one table per directorate as CSV.  The script reads the budget book, the forecasts and the
Corporate Director adjustments, adds the adjustments to the variances and sums by division and by
heading, in floating-point pounds, with no checking of what it reads: the floor a spreadsheet user's
script sets.  finlib checks every cell, works in exact pence and writes the commentary's figures too.
Each is timed over several runs (the median kept), with its peak memory, at each size, and the fit of
finlib's time against the number of lines is given (seconds per 100,000 lines and the fixed cost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from benchmarks.make_authority import write  # noqa: E402
from benchmarks.record import append_rows  # noqa: E402

PERIOD = "2017-07"

#: The analyst's version, run as ``python -c``: DATA and OUT are its two arguments.
PLAIN_PANDAS = """
import sys
from pathlib import Path
import pandas as pd
data, out = Path(sys.argv[1]), Path(sys.argv[2])
year, period = data / "2017-18", data / "2017-18" / "2017-07"
book = pd.read_csv(year / "budget_book.csv", dtype=str, keep_default_na=False)
forecasts = pd.read_csv(period / "forecasts.csv")
adjustments = pd.read_csv(period / "adjustments.csv")
lines = book.merge(forecasts, on="line_id")
lines["cd_adjustment"] = lines["line_id"].map(adjustments.groupby("line_id")["amount"].sum()).fillna(0)
lines["revised_net_variance"] = lines["net_forecast_variance"] + lines["cd_adjustment"]
amounts = ["net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance"]
service = lines[lines["kind"] == "service"]
(out / "directorates").mkdir(parents=True, exist_ok=True)
service.groupby(["directorate", "division"], sort=False)[amounts].sum().to_csv(out / "authority.csv")
for directorate, own in service.groupby("directorate", sort=False):
    name = "".join(c if c.isalnum() else "-" for c in directorate.lower())
    own.groupby("heading", sort=False)[amounts].sum().to_csv(out / "directorates" / f"{name}.csv")
"""


def run(command: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (MiB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command[:3]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss // 1024


def ours(data: Path, out: Path) -> list[str]:
    return [str(BIN / "finlib"), "tables", "--data", str(data), "--period", PERIOD, "--out", str(out)]


def theirs(data: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", PLAIN_PANDAS, str(data), str(out)]


def measure(command: list[str], repeat: int) -> tuple[float, int]:
    runs = [run(command) for _ in range(repeat)]
    return statistics.median(s for s, _ in runs), max(m for _, m in runs)


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares: seconds = fixed + per_line × lines; returns (fixed, per 100,000 lines)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / max(sum((x - mean_x) ** 2 for x, _ in points), 1)
    return mean_y - slope * mean_x, slope * 100_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--directorates", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    rows, points = [], []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for lines in args.lines:
            data = write(Path(tmp) / f"authority-{lines}", lines, args.directorates)
            mine, my_memory = measure(ours(data, Path(tmp) / f"ours-{lines}"), args.repeat)
            plain, plain_memory = measure(theirs(data, Path(tmp) / f"plain-{lines}"), args.repeat)
            points.append((lines, mine))
            ratio = mine / plain
            print(
                f"tables, {lines:,} lines, {args.directorates} directorates: finlib {mine:.2f} s ({my_memory} MiB), "
                f"plain pandas {plain:.2f} s ({plain_memory} MiB): {ratio:.2f}x its time"
            )
            rows.append(
                f"| {dt.date.today().isoformat()} | tables: {lines:,} lines, {args.directorates} directorates "
                f"(peak {my_memory} MiB; pandas {plain_memory} MiB; load {load:.1f}) | {os.cpu_count()} | "
                f"{mine:.2f} s | {plain:.2f} s (a plain pandas script) | {ratio:.2f}x its time |\n"
            )
    if len(points) > 1:
        fixed, per = fit(points)
        print(f"fit: {fixed:.2f} s + {per:.2f} s per 100,000 lines")
        rows.append(
            f"| {dt.date.today().isoformat()} | tables: linear fit over {', '.join(f'{x:,}' for x, _ in points)} lines "
            f"| {os.cpu_count()} | {fixed:.2f} s + {per:.2f} s per 100,000 lines | | |\n"
        )
    append_rows(args.record, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
