"""Capital monitoring: each scheme's budget (cash limit) per year, its forecast, and what the report lists.

Everything here takes and returns data (no files).  Amounts are exact pence in
``Int64`` columns or Python ints; they are rounded only when turned into text
(:func:`paragraphs`, the warnings' messages, and the CSV writer).

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

from dataclasses import dataclass

import pandas as pd

from finlib.config import Thresholds
from finlib.inputs import PeriodInputs
from finlib.money import MILLIONS, PENCE_PER_POUND, prose

REAL = "real"
REPHASING = "rephasing"
AMOUNTS = ["budget", "real", "rephasing", "forecast"]
SCHEME_COLUMNS = ["scheme_id", "scheme", "directorate", "restricted", "year", *AMOUNTS]
FRAME_COLUMNS = ["scheme", "year", "budget", "forecast", "real", "rephasing"]
NO_VARIANCES = "There are currently no forecast variances to cash limit."
TOTAL = "Total"


@dataclass(frozen=True)
class CapitalWarning:
    """Something for the business partner to look at; shown, never raised.

    ``kind`` is ``rephasing`` (a scheme's rephasing does not net to nil across its programme years:
    ``amount`` is the net, ``year`` the programme's years) or ``funding`` (a real variance whose
    stated funding does not add up to it: ``amount`` is the variance, ``funded`` the funding).
    """

    kind: str
    scheme_id: str
    scheme: str
    directorate: str
    year: str
    amount: int
    funded: int | None = None

    @property
    def message(self) -> str:
        if self.kind == REPHASING:
            return (
                f"{self.scheme}: rephasing nets to {exact(self.amount)} across {self.year}, not to nil "
                "(slippage beyond the programme years)"
            )
        funded = self.funded or 0
        return (
            f"{self.scheme}: real variance of {exact(self.amount)} in {self.year}, but its stated funding "
            f"adds up to {exact(funded)} (a difference of {exact(self.amount - funded)})"
        )

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Variance:
    """One listed figure of a scheme: a real variance or rephasing, in a year or a range of years."""

    kind: str  # REAL or REPHASING
    years: str  # "2017-18", or "2018-19 to 2019-20" for later years summed
    amount: int  # pence, signed: + pressure, − underspend or slippage
    funding: tuple[tuple[str, int], ...] = ()  # (source, pence) stated for a real variance, in file order


@dataclass(frozen=True)
class CapitalItem:
    """A scheme the report lists, with its listed variances and the business partner's explanation."""

    scheme_id: str
    scheme: str
    directorate: str
    restricted: bool
    variances: tuple[Variance, ...]
    explanation: str | None


@dataclass(frozen=True)
class CapitalPosition:
    """The capital programme of a period's financial year with its forecast.

    ``schemes``: one row per scheme and year, schemes in programme order (first appearance in
    capital_programme.csv), years ascending; columns :data:`SCHEME_COLUMNS`, amounts ``Int64``.
    ``funding``: scheme_id, year, source, amount (pence).  ``explanations``: capital explanation
    text by scheme_id.  ``directorates``: those with schemes, in budget book order.
    """

    year: str
    schemes: pd.DataFrame
    funding: pd.DataFrame
    explanations: dict[str, str]
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
    order = {scheme_id: i for i, scheme_id in enumerate(dict.fromkeys(rows["scheme_id"]))}
    rows = rows.assign(_order=rows["scheme_id"].map(order))
    rows = rows.sort_values(["_order", "year"], kind="stable").drop(columns="_order").reset_index(drop=True)
    real: dict[tuple[str, str], int] = {}
    rephasing: dict[tuple[str, str], int] = {}
    if inputs.capital_forecasts is not None:
        for scheme_id, year, r, p in inputs.capital_forecasts[
            ["scheme_id", "year", "real_variance", "rephasing_variance"]
        ].itertuples(index=False):
            real[(scheme_id, year)] = real.get((scheme_id, year), 0) + int(r)
            rephasing[(scheme_id, year)] = rephasing.get((scheme_id, year), 0) + int(p)
    keys = list(zip(rows["scheme_id"], rows["year"], strict=True))
    rows["budget"] = rows["budget"].astype("Int64")
    rows["real"] = pd.array([real.get(k, 0) for k in keys], dtype="Int64")
    rows["rephasing"] = pd.array([rephasing.get(k, 0) for k in keys], dtype="Int64")
    rows["forecast"] = rows["budget"] + rows["real"] + rows["rephasing"]
    funding = _funding_frame(inputs.capital_funding)
    explanations: dict[str, str] = {}
    if inputs.explanations is not None:
        capital = inputs.explanations[inputs.explanations["about"] == "capital"]
        for subject, text in zip(capital["subject"], capital["text"], strict=True):
            explanations[subject] = f"{explanations[subject]} {text}" if subject in explanations else text
    in_book = [d for d in dict.fromkeys(inputs.budget_book["directorate"]) if d in set(rows["directorate"])]
    others = [d for d in dict.fromkeys(rows["directorate"]) if d not in in_book]
    return CapitalPosition(
        year=inputs.year,
        schemes=rows[SCHEME_COLUMNS],
        funding=funding,
        explanations=explanations,
        directorates=tuple(in_book + others),
        warnings=tuple(_warnings(rows, funding)),
    )


def _funding_frame(funding: pd.DataFrame | None) -> pd.DataFrame:
    if funding is None:
        return pd.DataFrame(
            {
                "scheme_id": pd.Series(dtype="str"),
                "year": pd.Series(dtype="str"),
                "source": pd.Series(dtype="str"),
                "amount": pd.Series(dtype="Int64"),
            }
        )
    frame = funding[["scheme_id", "year", "source", "amount"]].reset_index(drop=True)
    return frame.assign(amount=frame["amount"].astype("Int64"))


def _warnings(rows: pd.DataFrame, funding: pd.DataFrame) -> list[CapitalWarning]:
    found = []
    for scheme_id in dict.fromkeys(rows["scheme_id"]):
        own = rows[rows["scheme_id"] == scheme_id]
        scheme, directorate = own["scheme"].iloc[0], own["directorate"].iloc[0]
        net = int(own["rephasing"].sum())
        if net:
            found.append(CapitalWarning(REPHASING, scheme_id, scheme, directorate, year_span(list(own["year"])), net))
        stated = funding[funding["scheme_id"] == scheme_id]
        for year, real in zip(own["year"], own["real"], strict=True):
            sources = stated[stated["year"] == year]
            if sources.empty:
                continue
            funded = int(sources["amount"].sum())
            if funded != int(real):
                found.append(CapitalWarning("funding", scheme_id, scheme, directorate, year, int(real), funded))
    return found


def year_span(years: list[str]) -> str:
    """``2018-19`` for one year; ``2018-19 to 2019-20`` for several (first to last)."""
    ordered = sorted(years)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]} to {ordered[-1]}"


def exact(pence: int) -> str:
    """A signed amount to the penny for warnings, where a rounded figure could hide the difference."""
    sign = "+" if pence > 0 else "\u2212" if pence < 0 else ""
    whole, frac = divmod(abs(pence), PENCE_PER_POUND)
    return f"{sign}£{whole:,}.{frac:02d}"


# ---------------------------------------------------------------------------
# Roll-ups


def _rows(cap: CapitalPosition, directorate: str | None) -> pd.DataFrame:
    if directorate is None:
        return cap.schemes
    return cap.schemes[cap.schemes["directorate"] == directorate]


def _sums(rows: pd.DataFrame) -> dict[str, int]:
    return {column: int(rows[column].sum()) for column in AMOUNTS}


def _table(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns)
    for column in columns:
        if column in AMOUNTS or column == "programme_total":
            frame[column] = pd.array([int(v) for v in frame[column]], dtype="Int64")
    return frame


def directorates(cap: CapitalPosition) -> list[str]:
    """Directorates with capital schemes, in budget book order."""
    return list(cap.directorates)


def capital_budget(cap: CapitalPosition, directorate: str | None = None) -> int:
    """The capital budget (cash limit) of the current year: a directorate's, or the authority's."""
    rows = _rows(cap, directorate)
    return int(rows.loc[rows["year"] == cap.year, "budget"].sum())


def programme_total(cap: CapitalPosition, directorate: str | None = None) -> int:
    """The budget of every year of the programme: a directorate's, or the authority's."""
    return int(_rows(cap, directorate)["budget"].sum())


def warnings(cap: CapitalPosition, directorate: str | None = None) -> list[CapitalWarning]:
    """The warnings about a directorate's schemes (all of them when ``directorate`` is ``None``)."""
    return [w for w in cap.warnings if directorate is None or w.directorate == directorate]


def summary_table(cap: CapitalPosition, directorate: str | None = None) -> pd.DataFrame:
    """One row per programme year, then the total: year, kind (``year``/``total``), budget, real,
    rephasing, forecast in exact pence.  A directorate's, or the authority's when ``directorate`` is None.
    """
    rows = _rows(cap, directorate)
    records = [{"year": y, "kind": "year", **_sums(rows[rows["year"] == y])} for y in sorted(set(rows["year"]))]
    records.append({"year": TOTAL, "kind": "total", **_sums(rows)})
    return _table(records, ["year", "kind", *AMOUNTS])


def authority_capital_table(cap: CapitalPosition) -> pd.DataFrame:
    """The authority's capital position for the Cabinet report: one row per directorate, then the total.

    Columns: directorate, kind (``line``/``total``), budget, real, rephasing, forecast (the current
    year), programme_total (the budget of every year), in exact pence.
    """
    records = []
    for directorate in [*cap.directorates, None]:
        rows = _rows(cap, directorate)
        current = rows[rows["year"] == cap.year]
        records.append(
            {
                "directorate": directorate or TOTAL,
                "kind": "line" if directorate else "total",
                **_sums(current),
                "programme_total": int(rows["budget"].sum()),
            }
        )
    return _table(records, ["directorate", "kind", *AMOUNTS, "programme_total"])


def capital_frame(cap: CapitalPosition) -> pd.DataFrame:
    """One row per scheme and year in programme order: scheme, year, budget, forecast, real, rephasing."""
    return cap.schemes[FRAME_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------------
# What the report lists


def listed_items(cap: CapitalPosition, directorate: str | None, thresholds: Thresholds) -> list[CapitalItem]:
    """The schemes the report lists for a directorate (every directorate when ``None``), in programme order.

    Listed: real variances strictly over ``thresholds.capital_real`` either way in the current year,
    and the later years' real variances summed; rephasing strictly over
    ``thresholds.capital_rephasing`` either way in the current year.
    """
    rows = _rows(cap, directorate)
    items = []
    for scheme_id in dict.fromkeys(rows["scheme_id"]):
        own = rows[rows["scheme_id"] == scheme_id]
        current = own[own["year"] == cap.year]
        later = own[(own["year"] > cap.year) & (own["real"] != 0)]
        variances = []
        real_now = int(current["real"].sum())
        if abs(real_now) > thresholds.capital_real:
            variances.append(Variance(REAL, cap.year, real_now, _funding(cap, scheme_id, [cap.year])))
        real_later = int(later["real"].sum())
        if abs(real_later) > thresholds.capital_real:
            years = list(later["year"])
            variances.append(Variance(REAL, year_span(years), real_later, _funding(cap, scheme_id, years)))
        rephasing_now = int(current["rephasing"].sum())
        if abs(rephasing_now) > thresholds.capital_rephasing:
            variances.append(Variance(REPHASING, cap.year, rephasing_now))
        if variances:
            items.append(
                CapitalItem(
                    scheme_id=scheme_id,
                    scheme=own["scheme"].iloc[0],
                    directorate=own["directorate"].iloc[0],
                    restricted=bool(own["restricted"].any()),
                    variances=tuple(variances),
                    explanation=cap.explanations.get(scheme_id),
                )
            )
    return items


def _funding(cap: CapitalPosition, scheme_id: str, years: list[str]) -> tuple[tuple[str, int], ...]:
    """The funding stated for a scheme in some years, added up by source (sources in file order)."""
    stated = cap.funding[(cap.funding["scheme_id"] == scheme_id) & cap.funding["year"].isin(years)]
    by_source: dict[str, int] = {}
    for source, amount in zip(stated["source"], stated["amount"], strict=True):
        by_source[source] = by_source.get(source, 0) + int(amount)
    return tuple(by_source.items())


def paragraphs(items: list[CapitalItem]) -> list[str]:
    """The report's capital commentary, one paragraph per listed scheme.

    ``Dover Discovery Centre: −£4.006m rephasing in 2017-18. Design and procurement only this year.``
    With nothing listed: ``There are currently no forecast variances to cash limit.``
    """
    if not items:
        return [NO_VARIANCES]
    return [paragraph(item) for item in items]


def paragraph(item: CapitalItem) -> str:
    parts = []
    for variance in item.variances:
        label = "real variance" if variance.kind == REAL else "rephasing"
        part = f"{prose(variance.amount)} {label} in {variance.years}"
        if variance.funding:
            sources = [f"{source} £{MILLIONS.text(abs(amount))}m" for source, amount in variance.funding]
            part += ", funded from " + _and(sources)
        parts.append(part)
    text = f"{item.scheme}: {'; '.join(parts)}."
    if item.explanation:
        text += " " + _sentence(item.explanation)
    return text


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
