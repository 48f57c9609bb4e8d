"""The monthly pack: `finlib report` against running each notebook with the command-line tools.

The do-it-yourself way is what a team would script by hand: for each report, the `papermill` command
then `jupyter nbconvert --to html --no-input`, one after another.  Both produce the same reports
(Cabinet and every committee extract) from the same notebooks and parameters.

On the sample, or with ``--directorates N`` on a synthetic authority (``make_authority.py``: one committee
per directorate, so N + 1 reports).  The peak memory is that of the whole tree of processes (the command,
its workers and their kernels), sampled from /proc ten times a second, both as the sum of proportional
sizes (PSS: a page shared by several processes counted once) and as the sum of resident sizes (RSS).
``--no-peer`` leaves out the do-it-yourself loop (at 101 reports it would take a quarter of an hour) and
gives instead the marginal seconds per report, against a pack of 6 reports of the same authority's size.
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
from finlib import dashboard  # noqa: E402
from finlib.inputs.committees import load_committees  # noqa: E402
from finlib.pack import Job, plan  # noqa: E402


def jobs(data: Path, period: str) -> list[Job]:
    """The reports of the pack, as `finlib report` makes them: the Cabinet report and each committee's,
    then the Performance Dashboards where the year has performance indicators."""
    shown = list(dashboard.gather(data, period).papers) if dashboard.available(data, period) else []
    return plan(data, period, load_committees(data, period), dashboards=shown)


def tree_memory(pid: int) -> tuple[int, int]:
    """Memory of ``pid`` and every process below it, in MiB, read from /proc: the sum of their resident
    sizes (RSS, which counts a page shared by several processes once in each: the libraries, and what
    the workers share with the command they were forked from) and of their proportional sizes (PSS, which
    counts a shared page once across them: what the run takes from the machine)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    resident = proportional = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("Rss", "Pss"):
                    kib = int(value.split()[0])
                    resident += kib if name == "Rss" else 0
                    proportional += kib if name == "Pss" else 0
        except (OSError, ValueError):
            continue
    return resident // 1024, proportional // 1024


def ours(data: Path, period: str, out: Path) -> tuple[float, tuple[int, int]]:
    """Seconds of one `finlib report` and the peak memory of its processes (MiB: RSS, PSS)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "finlib"), "report", "--data", str(data), "--period", period, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak = (0, 0)
    while process.poll() is None:
        now = tree_memory(process.pid)
        peak = (max(peak[0], now[0]), max(peak[1], now[1]))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"finlib report failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, peak


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


def timed(data: Path, period: str, tmp: Path, repeat: int) -> tuple[float, list[float], tuple[int, int]]:
    runs = [ours(data, period, tmp / f"ours{i}") for i in range(repeat)]
    peak = (max(m[0] for _, m in runs), max(m[1] for _, m in runs))
    return statistics.median(t for t, _ in runs), [t for t, _ in runs], peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--period", default="2017-07")
    parser.add_argument("--directorates", type=int, help="a synthetic authority of this many directorates instead")
    parser.add_argument("--lines", type=int, default=10_000, help="its budget lines")
    parser.add_argument("--no-peer", action="store_true", help="no do-it-yourself loop: the marginal cost instead")
    parser.add_argument("--repeat", type=int, default=3, help="runs of finlib report (median taken)")
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        data, what = args.data, args.period
        if args.directorates:
            data = write(tmp / "authority", args.lines, args.directorates)
            what = f"{args.period}, synthetic: {args.directorates} directorates, {args.lines:,} lines"
        reports = len(jobs(data, args.period))
        median, times, peak = timed(data, args.period, tmp, args.repeat)
        print(f"pack of {reports} reports ({what}), {os.cpu_count()} cores, load {load:.1f}")
        print(f"  finlib report (median of {args.repeat}: {', '.join(f'{t:.2f}' for t in times)} s): {median:.2f} s")
        rss, pss = peak
        print(f"  peak memory of its processes: {pss} MiB proportional (PSS), {rss} MiB resident (RSS) summed")
        head = (
            f"| {dt.date.today().isoformat()} | pack {what} ({reports} reports; peak {pss} MiB across processes "
            f"by PSS, {rss} MiB by RSS summed"
        )
        if args.no_peer:
            small = write(tmp / "small", args.lines, 5)
            base, _, _ = timed(small, args.period, tmp / "small-out", args.repeat)
            marginal = (median - base) / (reports - 6)
            print(f"  6 reports of the same size: {base:.2f} s; marginal {marginal:.3f} s per report")
            row = (
                f"{head}; load {load:.1f}) | {os.cpu_count()} | {median:.2f} s | "
                f"{base:.2f} s (6 reports, same lines) | {marginal:.3f} s per report |\n"
            )
        else:
            hand_dir = tmp / "by-hand"
            hand_dir.mkdir()
            hand = by_hand(data, args.period, hand_dir)
            ratio = hand / median
            print(f"  papermill + nbconvert commands, one after another: {hand:.2f} s")
            print(f"  ratio: {ratio:.1f}x faster")
            row = (
                f"{head}; load {load:.1f}) | {os.cpu_count()} | {median:.2f} s | "
                f"{hand:.2f} s (papermill + nbconvert commands) | {ratio:.1f}x |\n"
            )
    append_rows(args.record, [row])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
