"""Capital monitoring: each scheme's budget (cash limit) per year, its forecast, and what the report lists.

Everything here takes and returns data (no files).  Amounts are exact pence in ``Int64`` columns or
Python ints; the words about them are :mod:`finlib.core.commentary`'s.

Rules, each defined once here:
- Forecast = budget + real variance + rephasing variance, per scheme and year;
- a **real variance** is a genuine over- or underspend; where its funding is stated, the sources
  should add up to it, or a warning says so;
- a **rephasing variance** moves spend between years, so a scheme's rephasing should net to nil
  across its programme years; if not, a warning says so (slippage beyond the programme);
- the report lists, per scheme, real variances strictly over ``Thresholds.capital_real`` either way
  in the current year and in the later years (summed, labelled ``2018-19 to 2019-20`` when more than
  one later year has a real variance), and rephasing strictly over ``Thresholds.capital_rephasing``
  in the current year.  Rephasing is listed in the year it leaves: its counterpart in later years is
  the same money, not a second variance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finlib.core.kinds import RowKind, VarianceKind, WarningKind
from finlib.core.parsed import PeriodInputs
from finlib.core.period import FinancialYear
from finlib.core.records import Records
from finlib.core.settings import Thresholds

AMOUNTS = ["budget", "real", "rephasing", "forecast"]
SCHEME_COLUMNS = ["scheme_id", "scheme", "directorate", "restricted", "year", *AMOUNTS]
FUNDING_COLUMNS = ["scheme_id", "year", "source", "amount", "approved"]
TOTAL = "Total"


@dataclass(frozen=True)
class CapitalWarning:
    """Something for the business partner to look at; shown, never raised.

    ``kind`` REPHASING: a scheme's rephasing does not net to nil across its programme years (``amount``
    is the net, ``year`` the programme's years); FUNDING: a real variance whose stated funding does not
    add up to it (``amount`` is the variance, ``funded`` the funding).
    """

    kind: WarningKind
    scheme_id: str
    scheme: str
    directorate: str
    year: str
    amount: int
    funded: int | None = None


@dataclass(frozen=True)
class Funding:
    """A source of funding for a real variance: approved, or still proposed."""

    source: str
    amount: int  # pence
    approved: bool = False


@dataclass(frozen=True)
class Variance:
    """One listed figure of a scheme: a real variance or rephasing, in a year or a range of years."""

    kind: VarianceKind
    years: str  # "2017-18", or "2018-19 to 2019-20" for later years summed
    amount: int  # pence, signed: + pressure, − underspend or slippage
    funding: tuple[Funding, ...] = ()  # stated for a real variance, sources in file order


@dataclass(frozen=True)
class CapitalItem:
    """A scheme the report lists, with its listed variances."""

    scheme_id: str
    scheme: str
    directorate: str
    restricted: bool
    variances: tuple[Variance, ...]


@dataclass(frozen=True)
class CapitalPosition:
    """The capital programme of a period's financial year with its forecast.

    ``schemes``: one row per scheme and year, schemes in programme order (first appearance in
    capital_programme.csv), years ascending; columns :data:`SCHEME_COLUMNS`, amounts ``Int64``.
    ``funding``: scheme_id, year, source, amount (pence).  ``directorates``: those with schemes, in
    budget book order.
    """

    year: FinancialYear
    schemes: pd.DataFrame
    funding: Records
    directorates: tuple[str, ...]
    warnings: tuple[CapitalWarning, ...]


# ---------------------------------------------------------------------------
# The position


def capital_position(inputs: PeriodInputs) -> CapitalPosition | None:
    """The capital position of a period; ``None`` when its year has no capital programme."""
    programme = inputs.capital_programme
    if programme is None:
        return None
    rows = programme[["scheme_id", "scheme", "directorate", "restricted", "year", "budget"]].copy()
    rows = in_programme_order(rows)
    real: dict[tuple[str, str], int] = {}  # a scheme-year has one row of capital_forecasts.csv at most
    rephasing: dict[tuple[str, str], int] = {}
    if inputs.capital_forecasts is not None:
        forecasts = inputs.capital_forecasts
        columns = ("scheme_id", "year", "real_variance", "rephasing_variance")
        for scheme_id, year, r, p in zip(*(forecasts[c] for c in columns), strict=True):
            real[(scheme_id, year)], rephasing[(scheme_id, year)] = int(r), int(p)
    keys = list(zip(rows["scheme_id"], rows["year"], strict=True))
    rows["budget"] = rows["budget"].astype("Int64")
    rows["real"] = pd.array([real.get(k, 0) for k in keys], dtype="Int64")
    rows["rephasing"] = pd.array([rephasing.get(k, 0) for k in keys], dtype="Int64")
    rows["forecast"] = rows["budget"] + rows["real"] + rows["rephasing"]
    funding = inputs.capital_funding.replace_frame(_funding_frame(inputs.capital_funding.frame))
    return from_schemes(inputs.year, rows[SCHEME_COLUMNS], funding, list(inputs.budget_book["directorate"]))


def from_schemes(
    year: FinancialYear, schemes: pd.DataFrame, funding: Records, book_directorates: Sequence[str]
) -> CapitalPosition:
    """A capital position from its scheme-years and funding (directorates ordered as the budget book)."""
    present = set(schemes["directorate"])
    in_book = [d for d in dict.fromkeys(book_directorates) if d in present]
    others = [d for d in dict.fromkeys(schemes["directorate"]) if d not in in_book]
    return CapitalPosition(
        year=year,
        schemes=schemes.reset_index(drop=True),
        funding=funding,
        directorates=tuple(in_book + others),
        warnings=tuple(find_warnings(schemes, funding.frame)),
    )


def in_programme_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Scheme-years with schemes in order of first appearance and years ascending within each."""
    order = {scheme_id: i for i, scheme_id in enumerate(dict.fromkeys(rows["scheme_id"]))}
    rows = rows.assign(_order=rows["scheme_id"].map(order))
    return rows.sort_values(["_order", "year"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _funding_frame(funding: pd.DataFrame) -> pd.DataFrame:
    frame = funding[FUNDING_COLUMNS].reset_index(drop=True)
    return frame.assign(amount=frame["amount"].astype("Int64"))


def find_warnings(schemes: pd.DataFrame, funding: pd.DataFrame) -> list[CapitalWarning]:
    """Rephasing that does not net to nil across a scheme's years; funding that does not add up."""
    found = []
    stated_by_scheme = dict(tuple(funding.groupby("scheme_id", sort=False))) if len(funding) else {}
    for scheme_id, own in schemes.groupby("scheme_id", sort=False):
        scheme, directorate = str(own["scheme"].iloc[0]), str(own["directorate"].iloc[0])
        net = int(own["rephasing"].sum())
        if net:
            years = year_span([str(y) for y in own["year"]])
            found.append(CapitalWarning(WarningKind.REPHASING, str(scheme_id), scheme, directorate, years, net))
        stated = stated_by_scheme.get(scheme_id)
        if stated is None:
            continue
        for year, real in zip(own["year"], own["real"], strict=True):
            sources = stated[stated["year"] == year]
            if sources.empty:
                continue
            funded = int(sources["amount"].sum())
            if funded != int(real):
                found.append(
                    CapitalWarning(
                        WarningKind.FUNDING, str(scheme_id), scheme, directorate, str(year), int(real), funded
                    )
                )
    return found


def year_span(years: Sequence[str]) -> str:
    """``2018-19`` for one year; ``2018-19 to 2019-20`` for several (first to last)."""
    ordered = sorted(years)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]} to {ordered[-1]}"


# ---------------------------------------------------------------------------
# Roll-ups


def _rows(cap: CapitalPosition, directorate: str | None) -> pd.DataFrame:
    if directorate is None:
        return cap.schemes
    return cap.schemes[cap.schemes["directorate"] == directorate]


def _sums(rows: pd.DataFrame) -> dict[str, int]:
    return {column: int(rows[column].sum()) for column in AMOUNTS}


def _table(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(records), columns=list(columns))
    for column in columns:
        if column in AMOUNTS or column == "programme_total":
            frame[column] = pd.array([int(v) for v in frame[column]], dtype="Int64")
    return frame


def capital_budget(cap: CapitalPosition, directorate: str | None = None) -> int:
    """The capital budget (cash limit) of the current year: a directorate's, or the authority's."""
    rows = _rows(cap, directorate)
    return int(rows.loc[rows["year"] == str(cap.year), "budget"].sum())


def programme_total(cap: CapitalPosition, directorate: str | None = None) -> int:
    """The budget of every year of the programme: a directorate's, or the authority's."""
    return int(_rows(cap, directorate)["budget"].sum())


def programme_years(cap: CapitalPosition, directorate: str | None = None) -> list[str]:
    return sorted({str(y) for y in _rows(cap, directorate)["year"]})


def warnings(cap: CapitalPosition, directorate: str | None = None) -> list[CapitalWarning]:
    """The warnings about a directorate's schemes (all of them when ``directorate`` is ``None``)."""
    return [w for w in cap.warnings if directorate is None or w.directorate == directorate]


def summary_table(cap: CapitalPosition, directorate: str | None = None) -> pd.DataFrame:
    """One row per programme year, then the total: year, kind (line/total), budget, real, rephasing,
    forecast in exact pence.  A directorate's, or the authority's when ``directorate`` is None."""
    rows = _rows(cap, directorate)
    records: list[dict[str, Any]] = [
        {"year": y, "kind": RowKind.LINE, **_sums(rows[rows["year"] == y])} for y in sorted(set(rows["year"]))
    ]
    records.append({"year": TOTAL, "kind": RowKind.TOTAL, **_sums(rows)})
    return _table(records, ["year", "kind", *AMOUNTS])


def authority_capital_table(cap: CapitalPosition) -> pd.DataFrame:
    """The authority's capital position for the Cabinet report: one row per directorate, then the total.

    Columns: directorate, kind (line/total), budget, real, rephasing, forecast (the current year),
    programme_total (the budget of every year), in exact pence.
    """
    records: list[dict[str, Any]] = []
    for directorate in [*cap.directorates, None]:
        rows = _rows(cap, directorate)
        current = rows[rows["year"] == str(cap.year)]
        records.append(
            {
                "directorate": directorate or TOTAL,
                "kind": RowKind.LINE if directorate else RowKind.TOTAL,
                **_sums(current),
                "programme_total": int(rows["budget"].sum()),
            }
        )
    return _table(records, ["directorate", "kind", *AMOUNTS, "programme_total"])


def scheme_table(cap: CapitalPosition) -> pd.DataFrame:
    """One row per scheme and year in programme order: scheme, year, budget, forecast, real, rephasing."""
    frame = cap.schemes[["scheme", "year", "budget", "forecast", "real", "rephasing"]].reset_index(drop=True)
    return frame.assign(kind=str(RowKind.LINE))


# ---------------------------------------------------------------------------
# What the report lists


def listed_items(cap: CapitalPosition, directorate: str | None, thresholds: Thresholds) -> list[CapitalItem]:
    """The schemes the report lists for a directorate (every directorate when ``None``), in programme order.

    Listed: real variances strictly over ``thresholds.capital_real`` either way in the current year,
    and the later years' real variances summed; rephasing strictly over
    ``thresholds.capital_rephasing`` either way in the current year.
    """
    rows = _rows(cap, directorate)
    year = str(cap.year)
    items = []
    for scheme_id, own in rows.groupby("scheme_id", sort=False):
        current = own[own["year"] == year]
        later = own[(own["year"] > year) & (own["real"] != 0)]
        variances = []
        real_now = int(current["real"].sum())
        if abs(real_now) > thresholds.capital_real:
            variances.append(Variance(VarianceKind.REAL, year, real_now, _funding(cap, str(scheme_id), [year])))
        real_later = int(later["real"].sum())
        if abs(real_later) > thresholds.capital_real:
            years = [str(y) for y in later["year"]]
            variances.append(
                Variance(VarianceKind.REAL, year_span(years), real_later, _funding(cap, str(scheme_id), years))
            )
        rephasing_now = int(current["rephasing"].sum())
        if abs(rephasing_now) > thresholds.capital_rephasing:
            variances.append(Variance(VarianceKind.REPHASING, year, rephasing_now))
        if variances:
            items.append(
                CapitalItem(
                    scheme_id=str(scheme_id),
                    scheme=str(own["scheme"].iloc[0]),
                    directorate=str(own["directorate"].iloc[0]),
                    restricted=bool(own["restricted"].any()),
                    variances=tuple(variances),
                )
            )
    return items


def _funding(cap: CapitalPosition, scheme_id: str, years: Sequence[str]) -> tuple[Funding, ...]:
    """The funding stated for a scheme in some years, added up by source (sources in file order); a source
    is approved only where every row of it is."""
    funding = cap.funding.frame
    stated = funding[(funding["scheme_id"] == scheme_id) & funding["year"].isin(list(years))]
    by_source: dict[str, Funding] = {}
    for source, amount, approved in zip(stated["source"], stated["amount"], stated["approved"], strict=True):
        before = by_source.get(source, Funding(str(source), 0, True))
        by_source[source] = Funding(str(source), before.amount + int(amount), before.approved and bool(approved))
    return tuple(by_source.values())


def scheme_table_by_directorate(cap: CapitalPosition) -> pd.DataFrame:
    """Every scheme and year grouped by directorate (in budget book order), each directorate followed by
    its total over all its years, then the authority's: directorate, scheme, year, kind, the amounts."""
    records: list[dict[str, Any]] = []
    columns = ["budget", "forecast", "real", "rephasing"]
    for directorate in cap.directorates:
        rows = _rows(cap, directorate)
        for scheme, year, *amounts in rows[["scheme", "year", *columns]].itertuples(index=False):
            figures = dict(zip(columns, (int(a) for a in amounts), strict=True))
            records.append(
                {"directorate": directorate, "scheme": scheme, "year": year, "kind": RowKind.LINE, **figures}
            )
        totals = {c: int(rows[c].sum()) for c in columns}
        label = f"Total {directorate}"
        records.append({"directorate": directorate, "scheme": label, "year": "", "kind": RowKind.SUBTOTAL, **totals})
    totals = {c: int(cap.schemes[c].sum()) for c in columns}
    records.append({"directorate": "", "scheme": TOTAL, "year": "", "kind": RowKind.TOTAL, **totals})
    return _table(records, ["directorate", "scheme", "year", "kind", *columns])
