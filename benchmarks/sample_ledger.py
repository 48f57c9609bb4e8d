"""A deterministic general ledger for the sample authority: the committed sample, tests and benchmarks.

This module writes files (it is a generator, like the renderers): for a data set laid out as the data
contract says, it writes ``<FY>/cost_centres.csv``, ``<FY>/ledger.csv`` or ``ledger.parquet`` for this
year (April to ``through``) and the year before (all twelve months), and optionally the equivalent
hledger journal ``<FY>/ledger.journal`` with ``~ monthly`` budget rules.

How the figures are made, so that they are plausible against the managers' forecasts:

- each line's outturn this year is its forecast outturn at ``forecasts_period`` (net budget + Net
  Forecast Variance); last year's is that within a few per cent;
- each line has a monthly profile (flat, winter peak, school year, quarterly grant, year-end
  charges); last year's actuals follow it; this year's follow it too, scaled by a small per-line
  factor (kept within £60,000 of the forecast), except for a few *drift* lines that run well above or
  below their manager's forecast, so that the forecast methods have something to challenge;
- each line's spend is split over one or more cost centres; two cost centres are in no line (a
  suspense account and a cost centre opened but not yet mapped): the unmapped bucket;
- each (month, cost centre) total is split over rows of random size and sign that add up to it
  exactly, in whole pence.

Everything comes from one seeded ``numpy`` generator, vectorised, so 10 million rows take seconds and
the same arguments always give the same bytes.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from finlib.config import DataSet
from finlib.core.actuals import monthly_budget
from finlib.core.period import FinancialYear, Period
from finlib.inputs import catalogue, load_period

SEED = 2017
#: Lines whose spend this year runs away from the manager's forecast (factor on the forecast rate).
DRIFT = {"CYPE-ASY-01": 1.12, "GET-03": 1.08, "ASCH-ADU-04": 1.06, "SCS-EOD-01": 0.85}
PROFILES = {
    "CYPE-EYP-03": "school",
    "CYPE-EYP-04": "school",
    "GET-01": "winter",
    "GET-02": "school",
    "ASCH-ADU-01": "winter",
    "ASCH-ADU-03": "winter",
    "ASCH-PH-03": "quarterly",
    "FIN-01": "year-end",
    "FIN-03": "year-end",
}
UNMAPPED = {"CC99001": "Suspense - awaiting coding", "CC99002": "New cost centre, not yet mapped"}
ACCOUNTS = np.array(["5001", "5101", "5201", "5301", "5501", "5801", "9101"])
ACCOUNT_NAMES = {
    "5001": "Employees",
    "5101": "Premises",
    "5201": "Transport",
    "5301": "Supplies & services",
    "5501": "Third party payments",
    "5801": "Transfer payments",
    "9101": "Income",
}


@dataclass(frozen=True)
class Written:
    """What the generator wrote."""

    cost_centres: Path
    ledgers: dict[FinancialYear, Path]  # financial year → extract
    journals: dict[FinancialYear, Path]  # financial year → hledger journal
    rows: dict[FinancialYear, int]


def profile(kind: str) -> np.ndarray:
    """Twelve monthly shares (April first) that add up to one."""
    months = np.arange(12)
    if kind == "winter":
        shape = 1 + 0.25 * np.cos(2 * np.pi * (months - 8.5) / 12)
    elif kind == "school":
        shape = np.where(months == 4, 0.3, 1.0) + np.where(months == 5, 0.2, 0.0)  # August low, September high
    elif kind == "quarterly":
        shape = np.where(months % 3 == 0, 1.0, 0.02)
    elif kind == "year-end":
        shape = np.where(months == 11, 4.0, 1.0)
    else:
        shape = np.ones(12)
    return np.asarray(shape / shape.sum())


def _split(total: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Whole-penny amounts for ``total[i] * shares[i, j]`` whose rows add up to ``total`` exactly."""
    parts = np.floor(total[:, None] * shares).astype(np.int64)
    parts[:, -1] += total - parts.sum(axis=1)
    return np.asarray(parts)


def _rows(cell_totals: np.ndarray, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Split each cell's total over rows (at least one each, ``count`` in all) that add up to it exactly.

    Returns each row's cell index and amount in pence.
    """
    cells = len(cell_totals)
    weight = np.abs(cell_totals).astype(np.float64) + 1.0
    extra = rng.multinomial(max(count - cells, 0), weight / weight.sum()) if count > cells else np.zeros(cells, int)
    per_cell = 1 + extra
    cell = np.repeat(np.arange(cells), per_cell)
    starts = np.concatenate([[0], np.cumsum(per_cell)[:-1]])
    share = rng.exponential(size=len(cell))
    share /= np.add.reduceat(share, starts)[cell]
    base = cell_totals[cell] * share
    noise = rng.normal(0, 1, size=len(cell)) * np.abs(cell_totals[cell]) / per_cell[cell] * 0.15
    amounts = np.round(base + noise).astype(np.int64)
    amounts[starts] += cell_totals - np.add.reduceat(amounts, starts)
    return cell, amounts


def _pounds(pence: np.ndarray) -> list[str]:
    sign = np.where(pence < 0, "-", "")
    whole, frac = np.divmod(np.abs(pence), 100)
    return [f"{s}{w}.{f:02d}" for s, w, f in zip(sign, whole.tolist(), frac.tolist(), strict=True)]


def write_sample_ledger(
    data: DataSet | Path | str,
    out: Path | None = None,
    *,
    forecasts_period: str = "2017-07",
    through: str | None = None,
    rows: int = 1_000,
    previous_rows: int | None = None,
    cost_centres: int = 80,
    fmt: str = "csv",
    journal: bool = False,
    seed: int = SEED,
) -> Written:
    """Write a ledger for the data set ``data`` (its budget book and ``forecasts_period``'s forecasts).

    ``out`` (default: ``data`` itself) receives a copy of the data set first when it is another
    folder.  This year's extract covers April to ``through`` (default ``forecasts_period``) in
    ``rows`` rows; last year's all twelve months in ``previous_rows`` (default: ``rows``, at most a
    million).  ``cost_centres`` is how many cost centres map to lines (at least one per line).
    """
    source = DataSet.at(data)
    target = DataSet(out) if out is not None else source
    if target.root.resolve() != source.root.resolve():
        shutil.copytree(
            source.root,
            target.root,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("ledger.csv", "ledger.parquet", "ledger.journal", "cost_centres.csv"),
        )
    inputs = load_period(source, forecasts_period)
    period = Period.parse(forecasts_period)
    year = period.financial_year
    last_month = Period.parse(through or forecasts_period)
    rng = np.random.default_rng(seed)

    book = inputs.budget_book
    line_ids = list(book.index)
    budget = inputs.forecasts["net_budget"].reindex(line_ids).astype("int64").to_numpy()
    outturn = budget + inputs.forecasts["net_forecast_variance"].reindex(line_ids).astype("int64").to_numpy()
    shapes = np.array([profile(PROFILES.get(line, "flat")) for line in line_ids])

    # cost centres: at least one per line, the rest spread over the lines
    lines_n = len(line_ids)
    per_line = 1 + rng.multinomial(max(cost_centres - lines_n, 0), np.full(lines_n, 1 / lines_n))
    centre_line = np.repeat(np.arange(lines_n), per_line)
    codes = [f"CC{10001 + i}" for i in range(len(centre_line))]
    centre_share = rng.dirichlet(np.full(len(centre_line), 2.0))
    centre_share /= np.bincount(centre_line, centre_share, minlength=lines_n)[centre_line]
    mapping = pd.DataFrame(
        {
            "cost_centre": codes,
            "line_id": [line_ids[i] for i in centre_line],
            "description": [
                f"{book['heading'].iloc[i]} ({k + 1})" for i, k in zip(centre_line, _ranks(centre_line), strict=True)
            ],
        }
    )
    all_codes = np.array(codes + list(UNMAPPED))
    target.year_dir(year).mkdir(parents=True, exist_ok=True)
    centres_path = catalogue.COST_CENTRES.candidates(target, period)[0]
    mapping.to_csv(centres_path, index=False, lineterminator="\n")

    # monthly totals by line: last year (12 months) and this year
    last_year = year.previous
    last_outturn = np.round(outturn * (1 + np.clip(rng.normal(0, 0.03, lines_n), -0.06, 0.06))).astype(np.int64)
    last_shape = shapes * (1 + rng.normal(0, 0.01, shapes.shape))
    last_shape /= last_shape.sum(axis=1, keepdims=True)
    last_months = _split(last_outturn, last_shape)
    limit = np.minimum(0.004, 60_000_00 / np.maximum(np.abs(outturn), 1))
    factor = 1 + rng.uniform(-1, 1, lines_n) * limit
    for line, drift in DRIFT.items():
        if line in line_ids:
            factor[line_ids.index(line)] = drift
    elapsed = period.month_of_year
    run_rate_part = np.round(outturn * last_shape[:, :elapsed].sum(axis=1) * factor).astype(np.int64)
    # months to forecasts_period follow last year's profile scaled by the factor; later ones take the rest
    this_months = np.zeros((lines_n, 12), dtype=np.int64)
    early = last_shape[:, :elapsed] / last_shape[:, :elapsed].sum(axis=1, keepdims=True)
    this_months[:, :elapsed] = _split(run_rate_part, early)
    if elapsed < 12:
        later = last_shape[:, elapsed:] / last_shape[:, elapsed:].sum(axis=1, keepdims=True)
        this_months[:, elapsed:] = _split(outturn - run_rate_part, later)

    written: dict[FinancialYear, Path] = {}
    journals: dict[FinancialYear, Path] = {}
    counts: dict[FinancialYear, int] = {}
    previous = previous_rows if previous_rows is not None else min(rows, 1_000_000)
    plans = [(last_year, last_months, 12, previous), (year, this_months, last_month.month_of_year, rows)]
    for plan_year, months, count, wanted in plans:
        periods = [str(p) for p in plan_year.periods()[:count]]
        centre_months = _split_centres(months[:, :count], centre_line, centre_share)
        unmapped = np.round(rng.normal([[300_000], [1_200_000]], [[400_000], [200_000]], (2, count))).astype(np.int64)
        cells = np.vstack([centre_months, unmapped])  # (cost centres, months)
        cell_totals = cells.T.reshape(-1)  # month-major: all cost centres of April, then May...
        cell, amounts = _rows(cell_totals, wanted, rng)
        month = cell // len(all_codes)
        centre = cell % len(all_codes)
        order = np.lexsort((rng.random(len(cell)), month))  # by month, shuffled within it
        month, centre, amounts = month[order], centre[order], amounts[order]
        account = rng.integers(0, len(ACCOUNTS), len(cell))
        folder = target.year_dir(plan_year)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in catalogue.LEDGER.candidates(target, plan_year.periods()[0]):
            stale.unlink(missing_ok=True)
        path = folder / f"ledger.{fmt}"
        if fmt == "parquet":
            _write_parquet(path, (periods, month), (all_codes, centre), (ACCOUNTS, account), amounts)
        else:
            _write_csv(path, np.array(periods)[month], all_codes[centre], ACCOUNTS[account], amounts)
        written[plan_year] = path
        counts[plan_year] = len(amounts)
        if journal and plan_year == year:
            mapped_line = np.array([line_ids[i] for i in centre_line] + [""] * len(UNMAPPED))
            journals[plan_year] = _write_journal(
                target.journal(plan_year),
                np.array(periods)[month],
                all_codes[centre],
                mapped_line[centre],
                ACCOUNTS[account],
                amounts,
                dict(zip(line_ids, budget.tolist(), strict=True)),
                plan_year,
            )
    return Written(centres_path, written, journals, counts)


def _ranks(groups: np.ndarray) -> list[int]:
    """Position of each element within its run of equal values: [0, 0, 1, 2, 2] → [0, 0, 1, 0, 1]."""
    seen: dict[int, int] = {}
    ranks = []
    for group in groups.tolist():
        ranks.append(seen.get(group, 0))
        seen[group] = ranks[-1] + 1
    return ranks


def _split_centres(line_months: np.ndarray, centre_line: np.ndarray, centre_share: np.ndarray) -> np.ndarray:
    """Each line's monthly totals split over its cost centres, exactly (rows: cost centres)."""
    out = np.floor(line_months[centre_line] * centre_share[:, None]).astype(np.int64)
    lines = line_months.shape[0]
    short = line_months - np.array([out[centre_line == i].sum(axis=0) for i in range(lines)])
    first = np.searchsorted(centre_line, np.arange(lines))
    out[first] += short
    return np.asarray(out)


def _write_csv(path: Path, periods: np.ndarray, centres: np.ndarray, accounts: np.ndarray, pence: np.ndarray) -> None:
    texts = _pounds(pence)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["period", "cost_centre", "account", "amount", "description"])
        for row in zip(periods.tolist(), centres.tolist(), accounts.tolist(), texts, strict=True):
            writer.writerow([*row, ACCOUNT_NAMES[row[2]]])


def _write_parquet(
    path: Path,
    periods: tuple[list[str], np.ndarray],
    centres: tuple[np.ndarray, np.ndarray],
    accounts: tuple[np.ndarray, np.ndarray],
    pence: np.ndarray,
) -> None:
    """Parquet with ``amount`` as DECIMAL(18,2) (the pence are the decimal's unscaled value, exactly) and
    the text columns dictionary-encoded, as (values, index of each row) pairs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def text(values: list[str] | np.ndarray, index: np.ndarray) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32)), pa.array(list(values)))

    wide = np.empty((len(pence), 2), dtype=np.int64)  # little-endian 128-bit integers
    wide[:, 0] = pence
    wide[:, 1] = pence >> 63
    amount = pa.Array.from_buffers(pa.decimal128(18, 2), len(pence), [None, pa.py_buffer(wide)])
    table = pa.table(
        {"period": text(*periods), "cost_centre": text(*centres), "account": text(*accounts), "amount": amount}
    )
    pq.write_table(table, path)


def _write_journal(
    path: Path,
    periods: np.ndarray,
    centres: np.ndarray,
    lines: np.ndarray,
    accounts: np.ndarray,
    pence: np.ndarray,
    budgets: dict[str, int],
    year: FinancialYear,
) -> Path:
    """The same rows as an hledger journal: one transaction per row, posted to ``expenses:<line_id>``
    (or ``unmapped:<cost centre>``) against ``ledger:control``, and two ``~ monthly`` budget rules that
    give each line its monthly budget (:func:`finlib.core.actuals.monthly_budget`: equal instalments to
    February, March taking what rounding leaves)."""
    periods_all = year.periods()
    start, march, end = f"{periods_all[0]}-01", f"{periods_all[-1]}-01", f"{year.start + 1}-04-01"
    plans = {line: monthly_budget(amount) for line, amount in budgets.items()}
    parts = [f"; the general ledger of {year} for hledger (written by benchmarks/sample_ledger.py)\n\n"]
    for label, first, last, index in (("April to February", start, march, 0), ("March", march, end, 11)):
        parts.append(f"; monthly budget, {label}\n~ monthly from {first} to {last}\n")
        parts.extend(f"    expenses:{line}  {_pounds(np.array([plan[index]]))[0]}\n" for line, plan in plans.items())
        parts.append("    budget:funding\n\n")
    accounts_to = np.where(
        lines != "", np.char.add("expenses:", lines.astype(str)), np.char.add("unmapped:", centres.astype(str))
    )
    texts = _pounds(pence)
    parts.extend(
        f"{period}-01 {centre} {account}\n    {posted}  {amount}\n    ledger:control\n\n"
        for period, centre, account, posted, amount in zip(
            periods.tolist(), centres.tolist(), accounts.tolist(), accounts_to.tolist(), texts, strict=True
        )
    )
    path.write_text("".join(parts), encoding="utf-8")
    return path
