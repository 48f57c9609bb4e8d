"""Budget managers' returns: issue and collect for 500 managers and 10,000 lines, finlib against openpyxl
writing and reading the same cells, in the same run.

The data set (made once, deterministically, under ``build/bench/returns-<managers>x<lines>``): the
sample's ``authority.yaml`` and a generated 2017-18 with ``budget_book.csv`` (10,000 service lines in
the sample's four service directorates, two headings of ten lines for each manager), ``managers.csv``
(500 managers of 20 lines each) and, for 2017-07, ``forecasts.csv`` (net budget and Net Forecast
Variance of every line) and ``explanations.csv`` (a variance text for every heading); the ledger
(``cost_centres.csv`` and both years' ``ledger.csv``) is written by ``benchmarks/sample_ledger.py`` for
that book and those forecasts, so the returns carry the actuals of April to July and the run-rate and
profiled forecasts.  Nothing is published, so 2017-07 is the year's first report: the returns have no
last reported outturn (that column is blank) and the budgets are the book's original budgets.
``finlib validate`` must accept the data set before anything is timed.

- finlib, issue: ``finlib.returns.issue`` (what ``finlib returns issue --period 2017-07 --out DIR`` runs):
  gather the budget book, managers, budgets, the ledger's actuals and computed forecasts, and write
  the 500 protected workbooks with XlsxWriter and ``issued.csv``.
- finlib, collect: ``finlib.returns.collect(..., replace=True)`` (``finlib returns collect --period
  2017-07 DIR --replace``; the generated ``forecasts.csv`` is made by hand, as the sample's): gather
  again, read the 500 returns with python-calamine and the scan of their sheet XML for formulas, check
  every cell, and write ``forecasts.csv``, ``explanations.csv`` and ``returns_collected.json``.  Each
  repeat collects into a fresh copy of the data set (copied before the clock starts).  The returns are
  filled once, before any timing, with openpyxl as managers would (``tests/managers.py``
  ``fill_returns``: the generated forecasts and explanations entered into every return).
- peer, write: openpyxl alone writing the same cells to 500 workbooks: for each issued workbook, the
  same three sheets with the same values in the same cells (as read back from finlib's workbook before
  the clock starts; numbers as numbers, blanks left out), every sheet protected, the editable cells of
  the Forecast sheet unlocked and one decimal data validation on its forecast column; then ``save``.
  No formats, widths or comments: the least openpyxl must do to hold the same cells.
- peer, read: ``openpyxl.load_workbook(path, read_only=True, data_only=False)`` of each of the 500
  returned (filled) workbooks, iterating ``iter_rows(values_only=True)`` over every sheet; no checks.

Each side runs ``--repeat`` times (default 3) in turn; the median of each is printed with the ratio
(finlib's time over openpyxl's), and two rows (issue, collect) are appended to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.record import append_rows  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
BUILD = ROOT / "build" / "bench"  # as benchmarks/ledger.py's (git ignores build/)
PERIOD = "2017-07"
YEAR = "2017-18"
SEED = 2017
DIRECTORATES = (
    ("CYPE", "Children, Young People & Education"),
    ("ASCH", "Adult Social Care & Health"),
    ("GET", "Growth, Environment & Transport"),
    ("SCS", "Strategic & Corporate Services"),
)
HEADINGS_PER_MANAGER = 2


def _pounds(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_data(folder: Path, managers: int = 500, lines_each: int = 20, seed: int = SEED) -> Path:
    """Write the data set described above into ``folder`` (which must not exist); the same arguments
    always give the same bytes."""
    import numpy as np

    from benchmarks.sample_ledger import write_sample_ledger

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    shutil.copyfile(SAMPLE / "authority.yaml", folder / "authority.yaml")
    year, period = folder / YEAR, folder / YEAR / PERIOD
    count = managers * lines_each
    budgets = np.round(rng.lognormal(14.5, 1.2, count) * 100).astype(np.int64)  # pence, about £2m typical
    budgets[rng.random(count) < 0.05] *= -1  # a few income lines
    variances = np.round(budgets * rng.normal(0, 0.02, count)).astype(np.int64)
    book, people, forecasts, explanations = [], [], [], []
    per_heading = max(lines_each // HEADINGS_PER_MANAGER, 1)
    for m in range(managers):
        code, directorate = DIRECTORATES[m % len(DIRECTORATES)]
        division = f"Division {m % 25 + 1:02d}"
        name = f"Manager {m + 1:03d}"
        email = f"manager.{m + 1:03d}@council.example.gov.uk"
        for k in range(lines_each):
            i = m * lines_each + k
            line_id = f"{code}-{m + 1:03d}-{k + 1:02d}"
            heading = f"Service {m + 1:03d}{chr(ord('a') + k // per_heading)}"
            book.append([line_id, directorate, division, heading, "service", "", "", _pounds(int(budgets[i]))])
            people.append([line_id, name, email])
            forecasts.append([line_id, _pounds(int(budgets[i])), _pounds(int(variances[i]))])
            if k % per_heading == 0:
                explanations.append([heading, "variance", f"demand and prices in {heading} against the budget"])
    columns = ["line_id", "directorate", "division", "heading", "kind", "tag", "restricted", "original_budget"]
    _write_csv(year / "budget_book.csv", columns, book)
    _write_csv(year / "managers.csv", ["line_id", "manager", "email"], people)
    _write_csv(period / "forecasts.csv", ["line_id", "net_budget", "net_forecast_variance"], forecasts)
    _write_csv(period / "explanations.csv", ["subject", "about", "text"], explanations)
    # the ledger: about one and a fifth cost centres a line, ten rows a line a month
    write_sample_ledger(
        folder, forecasts_period=PERIOD, rows=count * 40, previous_rows=count * 60, cost_centres=count * 6 // 5
    )
    return folder


def made(managers: int, lines_each: int) -> Path:
    """The data set under ``build/bench`` (kept between runs; remade when the generator's options change)."""
    folder = BUILD / f"returns-{managers}x{lines_each}"
    stamp = folder / "made.json"
    wanted = json.dumps({"managers": managers, "lines": lines_each, "seed": SEED})
    if stamp.is_file() and stamp.read_text() == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    make_data(folder, managers, lines_each)
    stamp.write_text(wanted)
    print(f"  made {folder.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


# ---------------------------------------------------------------------------
# The peer: openpyxl alone


def issued_cells(folder: Path) -> list[tuple[str, dict[str, list[tuple[object, ...]]], list[int], int]]:
    """What the peer writes, read from finlib's issued workbooks: for each, its file name, every sheet's
    rows of values, the Forecast sheet's editable columns (1-based: the forecast and its two
    explanations) and its number of lines."""
    from openpyxl import load_workbook

    from finlib.core.returns import FIRST_ROW, HEADER_ROW

    found = []
    for path in sorted(folder.glob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
        book.close()
        header = sheets["Forecast"][HEADER_ROW - 1]
        entry = next(i for i, title in enumerate(header) if str(title).startswith("Your forecast")) + 1
        lines = len(sheets["Forecast"]) - FIRST_ROW + 1
        found.append((path.name, sheets, [entry, entry + 1, entry + 2], lines))
    return found


def peer_write(cells: list[tuple[str, dict[str, list[tuple[object, ...]]], list[int], int]], out: Path) -> int:
    """openpyxl writing the same cells to as many workbooks; the number of cells written."""
    from openpyxl import Workbook
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from finlib.core.returns import FIRST_ROW
    from finlib.render.returns import LARGEST

    out.mkdir(parents=True)
    unlocked = Protection(locked=False)
    written = 0
    for name, sheets, editable, lines in cells:
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
                written += sum(value not in (None, "") for value in row)
            sheet.protection.sheet = True
            if title == "Forecast" and lines:
                for number in range(FIRST_ROW, FIRST_ROW + lines):
                    for column in editable:
                        sheet.cell(number, column).protection = unlocked
                validation = DataValidation(
                    type="decimal", operator="between", formula1=str(-LARGEST), formula2=str(LARGEST)
                )
                first = sheet.cell(FIRST_ROW, editable[0]).coordinate
                last = sheet.cell(FIRST_ROW + lines - 1, editable[0]).coordinate
                validation.add(f"{first}:{last}")
                sheet.add_data_validation(validation)
        book.save(out / name)
    return written


def peer_read(folder: Path) -> int:
    """openpyxl reading every cell of every returned workbook; the number of cells holding a value."""
    from openpyxl import load_workbook

    values = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = load_workbook(path, read_only=True, data_only=False)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                values += sum(value not in (None, "") for value in row)
        book.close()
    return values


# ---------------------------------------------------------------------------


def check_collected(data: Path, collected: Path) -> None:
    """The collected forecasts are the generated ones (net budget + variance = the outturn entered)."""
    from decimal import Decimal

    def rows(path: Path) -> dict[str, dict[str, str]]:
        with open(path, encoding="utf-8", newline="") as handle:
            return {r["line_id"]: r for r in csv.DictReader(handle)}

    given, got = rows(data / YEAR / PERIOD / "forecasts.csv"), rows(collected / YEAR / PERIOD / "forecasts.csv")
    if given.keys() != got.keys():
        raise SystemExit("collect gave other lines than the data set's")
    for line_id, row in given.items():
        outturn = Decimal(row["net_budget"]) + Decimal(row["net_forecast_variance"])
        if Decimal(got[line_id]["net_budget"]) != Decimal(row["net_budget"]) or (
            Decimal(got[line_id]["net_forecast_outturn"]) != outturn
        ):
            raise SystemExit(f"collect gave another forecast for {line_id}: {got[line_id]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--managers", type=int, default=500)
    parser.add_argument("--lines", type=int, default=20, help="budget lines of each manager")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()

    from finlib import returns
    from finlib.monitoring import validate
    from tests.managers import fill_returns

    data = made(args.managers, args.lines)
    cores = os.cpu_count()
    print(f"returns benchmark, {cores} cores", flush=True)
    lines = len(validate(data, PERIOD).position.lines)
    print(f"  {data.relative_to(ROOT)}: {PERIOD} valid, {lines:,} budget lines", flush=True)
    found: dict[str, list[float]] = {"issue": [], "write": [], "collect": [], "read": []}
    with tempfile.TemporaryDirectory(dir=BUILD) as temporary:
        tmp = Path(temporary)
        # once, before the clock: the returns issued and filled as managers would, and what the peer writes
        issued = tmp / "issued"
        returns.issue(data, PERIOD, issued, quiet=True)
        filled = tmp / "filled"
        shutil.copytree(issued, filled)
        fill_returns(filled, data / YEAR / PERIOD, data / YEAR / "budget_book.csv")
        cells = issued_cells(issued)
        if len(cells) != args.managers or sum(c[3] for c in cells) != lines:
            raise SystemExit(f"issue wrote {len(cells)} returns of {sum(c[3] for c in cells)} lines")
        counts: dict[str, set[int]] = {"write": set(), "read": set()}
        for repeat in range(args.repeat):
            copy = tmp / f"data-{repeat}"
            shutil.copytree(data, copy)
            started = time.perf_counter()
            returns.issue(data, PERIOD, tmp / f"issue-{repeat}", quiet=True)
            found["issue"].append(time.perf_counter() - started)
            started = time.perf_counter()
            counts["write"].add(peer_write(cells, tmp / f"write-{repeat}"))
            found["write"].append(time.perf_counter() - started)
            started = time.perf_counter()
            result = returns.collect(copy, PERIOD, filled, replace=True)
            found["collect"].append(time.perf_counter() - started)
            if result.returned != args.managers:
                raise SystemExit(f"collect took {result.returned} returns of {args.managers}")
            started = time.perf_counter()
            counts["read"].add(peer_read(filled))
            found["read"].append(time.perf_counter() - started)
            check_collected(data, copy)
            for folder in (copy, tmp / f"issue-{repeat}", tmp / f"write-{repeat}"):
                shutil.rmtree(folder)
    median = {side: statistics.median(times) for side, times in found.items()}
    (written,), (read,) = counts["write"], counts["read"]
    what = f"{args.managers} managers, {lines:,} lines, April to July actuals"
    today = dt.date.today().isoformat()
    rows = []
    for step, peer, doing, cells_done in (
        ("issue", "write", "writing the same cells", written),
        ("collect", "read", "reading every cell", read),
    ):
        ratio = median[step] / median[peer]
        print(f"  returns {step}: {what}:")
        print(f"    finlib.returns.{step}: {median[step]:.2f} s (median of {args.repeat})")
        print(f"    openpyxl {doing} ({cells_done:,} values): {median[peer]:.2f} s")
        print(f"    ratio: {ratio:.2f}x openpyxl's time")
        rows.append(
            f"| {today} | returns {step}: {args.managers} workbooks ({what}) | {cores} | {median[step]:.2f} s | "
            f"{median[peer]:.2f} s (openpyxl {doing}, {cells_done:,} values) | {ratio:.2f}x openpyxl's time |\n"
        )
    append_rows(args.record, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
