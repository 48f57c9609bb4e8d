"""The monthly pack: `finlib report` against running each notebook with the command-line tools.

The do-it-yourself way is what a team would script by hand: for each report, the `papermill` command
then `jupyter nbconvert --to html --no-input`, one after another.  Both produce the same reports
(Cabinet and every committee extract) from the same notebooks and parameters.
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

from benchmarks.record import append_rows  # noqa: E402
from finlib.inputs.committees import load_committees  # noqa: E402
from finlib.pack import Job, plan  # noqa: E402


def jobs(data: Path, period: str) -> list[Job]:
    """The reports of the pack: Cabinet and each committee of the data set's committees file."""
    return plan(data, period, load_committees(data, period))


def ours(data: Path, period: str, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "finlib"), "report", "--data", str(data), "--period", period, "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def by_hand(data: Path, period: str, out: Path) -> float:
    started = time.perf_counter()
    for job in jobs(data, period):
        executed = out / f"{job.name}.ipynb"
        parameters = [
            arg for name, value in job.parameters.items() if value is not None for arg in ("-p", name, str(value))
        ]
        subprocess.run(
            [str(BIN / "papermill"), str(job.notebook), str(executed), *parameters, "--no-progress-bar"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--period", default="2017-07")
    parser.add_argument("--repeat", type=int, default=3, help="runs of finlib report (median taken)")
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    reports = len(jobs(args.data, args.period))
    with tempfile.TemporaryDirectory() as tmp:
        times = [ours(args.data, args.period, Path(tmp) / f"ours{i}") for i in range(args.repeat)]
        hand_dir = Path(tmp) / "by-hand"
        hand_dir.mkdir()
        hand = by_hand(args.data, args.period, hand_dir)
    median = statistics.median(times)
    ratio = hand / median
    print(f"pack of {reports} reports, {args.period}, {os.cpu_count()} cores")
    print(f"  finlib report (median of {args.repeat}: {', '.join(f'{t:.2f}' for t in times)} s): {median:.2f} s")
    print(f"  papermill + nbconvert commands, one after another: {hand:.2f} s")
    print(f"  ratio: {ratio:.1f}x faster")
    row = (
        f"| {dt.date.today().isoformat()} | pack {args.period} ({reports} reports) | {os.cpu_count()} | "
        f"{median:.2f} s | {hand:.2f} s (papermill + nbconvert commands) | {ratio:.1f}x |\n"
    )
    append_rows(args.record, [row])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
