"""The revenue position: per line, then rolled up into the directorate and authority tables.

Everything here takes and returns data (no files).  Amounts are exact pence in
``Int64`` columns; a blank cell (no CD adjustment, no Last Reported position)
is ``<NA>``, never zero.

Rules, each defined once here:
- Net Forecast Variance = forecast outturn − net budget (+ pressure, − underspend);
- Revised Net Variance = Net Forecast Variance + CD adjustment;
- Movement = Revised Net Variance − Last Reported position;
- a line new since the last report was last reported at nil;
- a row's CD adjustment is blank when none of its lines has an adjustment row;
- the balance = revised variance excluding schools + roll forward requirements.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from finlib.core.kinds import LineKind, RollForward, RowKind
from finlib.core.parsed import PeriodInputs
from finlib.core.period import Period
from finlib.core.settings import Committee, Labels

AMOUNTS = [
    "net_budget",
    "net_forecast_variance",
    "cd_adjustment",
    "revised_net_variance",
    "last_reported",
    "movement",
]
STRUCTURE = ["directorate", "division", "heading", "kind", "tag", "restricted"]

Amount = int | None  # pence; None is a blank cell
Row = dict[str, Any]  # a table row: its label, its kind and its amounts


@dataclass(frozen=True)
class Position:
    """A period's revenue position, line by line, with the roll forward requirements.

    ``lines`` is indexed by line_id and holds the structure columns and the
    amounts in :data:`AMOUNTS`.  ``roll_forwards`` maps each category to its
    total in pence, or is ``None`` when the period has no roll-forward return.
    ``last`` is the position Last Reported, when there is one.
    """

    period: Period
    lines: pd.DataFrame
    roll_forwards: Mapping[RollForward, int] | None
    last: Position | None = None
    version: int | None = None  # the published version this position was read from, if any

    @property
    def has_last(self) -> bool:
        return self.last is not None

    def own(self, directorate: str) -> pd.DataFrame:
        """The directorate's service lines (those of its table), split out of the lines once for every
        directorate; the frame is shared: read it, never write to it."""
        return self._by_directorate.get(directorate, self.lines.iloc[0:0])

    def rolled(self, directorate: str) -> pd.DataFrame:
        """The directorate's table (:func:`directorate_table`), rolled up once; shared: read it, never write."""
        if directorate not in self._tables:
            rows = _rolled(self.own(directorate), directorate, AMOUNTS)
            rows["cd_adjustment"] = rows["cd_adjustment"].fillna(0)
            self._tables[directorate] = rows
        return self._tables[directorate]

    @functools.cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        return {}

    @functools.cached_property
    def _by_directorate(self) -> dict[str, pd.DataFrame]:
        service = service_lines(self.lines)
        return {str(d): part for d, part in service.groupby("directorate", sort=False)}


def compute_position(inputs: PeriodInputs, last: Position | None = None) -> Position:
    """The position of one period from its checked inputs, compared with ``last`` when given."""
    lines = inputs.budget_book[STRUCTURE].copy()
    forecasts = inputs.forecasts
    lines["net_budget"] = forecasts["net_budget"].reindex(lines.index).astype("Int64")
    lines["net_forecast_variance"] = forecasts["net_forecast_variance"].reindex(lines.index).astype("Int64")
    adjustments = inputs.adjustments.frame
    adjusted = adjustments.groupby("line_id")["amount"].sum()
    lines["cd_adjustment"] = adjusted.reindex(lines.index).astype("Int64")
    lines["revised_net_variance"] = lines["net_forecast_variance"] + lines["cd_adjustment"].fillna(0)
    roll_forwards = None
    if inputs.roll_forwards is not None:
        totals = inputs.roll_forwards.frame.groupby("category")["amount"].sum()
        roll_forwards = {c: int(totals.get(c.value, 0)) for c in RollForward}
    return compare(Position(inputs.period, lines, roll_forwards), last)


def compare(position: Position, last: Position | None) -> Position:
    """Attach the Last Reported position and the Movement since it.

    A line missing from the last position (new this period) was last reported
    at nil.  With no last position, both columns are blank.
    """
    lines = position.lines.copy()
    if last is None:
        lines["last_reported"] = pd.array([pd.NA] * len(lines), dtype="Int64")
    else:
        lines["last_reported"] = last.lines["revised_net_variance"].reindex(lines.index).fillna(0).astype("Int64")
    lines["movement"] = lines["revised_net_variance"] - lines["last_reported"]
    return replace(position, lines=lines[STRUCTURE + AMOUNTS], last=last)


# ---------------------------------------------------------------------------
# Roll-ups


def sums(lines: pd.DataFrame, columns: Sequence[str]) -> dict[str, Amount]:
    """The ``columns`` of a set of lines added up; a column is blank when every line's cell is blank."""
    out: dict[str, Amount] = {}
    for column in columns:
        values = lines[column]
        out[column] = None if values.isna().all() and len(values) else int(values.sum())
    return out


def _amounts(values: pd.Series) -> list[Amount]:
    """A column of pence as ``int``s, ``None`` for a blank cell."""
    blank = values.isna().to_numpy(dtype=bool).tolist()
    whole = values.to_numpy(dtype="int64", na_value=0).tolist()
    return [None if b else v for v, b in zip(whole, blank, strict=True)]


def grouped_rows(lines: pd.DataFrame, by: str, columns: Sequence[str], label: str, kind: RowKind) -> list[Row]:
    """One row per value of ``by`` (in order of first appearance), its lines' ``columns`` added up in one
    grouped pass (exact: Int64 pence); a cell is blank when every line's cell is blank, as in :func:`sums`."""
    if lines.empty:
        return []
    grouped = lines.groupby(by, sort=False)[list(columns)].sum(min_count=1)
    cells = [_amounts(grouped[c]) for c in columns]
    return [
        {label: key, "kind": kind, **dict(zip(columns, values, strict=True))}
        for key, *values in zip(grouped.index.tolist(), *cells, strict=True)
    ]


def total(lines: pd.DataFrame) -> dict[str, Amount]:
    """The amounts of a set of lines added up; a column is blank when every line's cell is blank."""
    return sums(lines, AMOUNTS)


def table(rows: Sequence[Row], label: str, columns: Sequence[str] = AMOUNTS) -> pd.DataFrame:
    """Rows of exact pence (``None`` for a blank) as a table; amounts go straight into ``Int64``,
    never through a float column."""
    frame = pd.DataFrame({label: [r[label] for r in rows], "kind": [str(r["kind"]) for r in rows]})
    for column in columns:
        frame[column] = pd.array([r[column] for r in rows], dtype="Int64")
    return frame


def ordered(values: pd.Series | Sequence[str]) -> list[str]:
    """Distinct values in order of first appearance."""
    if isinstance(values, pd.Series):
        values = values.drop_duplicates().tolist()  # a column: its distinct values first, then as text
    return list(dict.fromkeys(str(v) for v in values))


def short_name(directorate: str) -> str:
    """Initials of a directorate, ampersands kept: ``Strategic & Corporate Services`` → ``S&CS``."""
    words = re.findall(r"[A-Za-z]+|&", directorate)
    return "".join(w if w == "&" else w[0].upper() for w in words if w == "&" or w[0].isupper())


def service_lines(lines: pd.DataFrame) -> pd.DataFrame:
    return lines[(lines["kind"] == LineKind.SERVICE).to_numpy()]  # a plain mask: no lookups in the index


def directorates(position: Position) -> list[str]:
    """Directorates with a table of their own (those holding service lines), in budget book order."""
    return ordered(service_lines(position.lines)["directorate"])


def directorate_rollup(lines: pd.DataFrame, directorate: str, columns: Sequence[str]) -> pd.DataFrame:
    """The directorate table's rows over any amount ``columns`` of the lines (actuals by month, forecasts
    by method…): one row per Budget Book Heading of its service lines, then ``Total <initials>``."""
    own = service_lines(lines)
    return _rolled(own[(own["directorate"] == directorate).to_numpy()], directorate, columns)


def _rolled(own: pd.DataFrame, directorate: str, columns: Sequence[str]) -> pd.DataFrame:
    """:func:`directorate_rollup` of the directorate's own service lines."""
    if own.empty:
        raise KeyError(f"no service lines for directorate {directorate!r}")
    rows = grouped_rows(own, "heading", columns, "heading", RowKind.LINE)
    rows.append({"heading": f"Total {short_name(directorate)}", "kind": RowKind.TOTAL, **sums(own, columns)})
    return table(rows, "heading", columns)


def directorate_table(position: Position, directorate: str) -> pd.DataFrame:
    """One row per Budget Book Heading of the directorate, then its total (exact pence).

    The directorate table prints a CD adjustment of 0.0 where there is none.
    """
    return position.rolled(directorate).copy()


def division_label(directorate: str, division: str) -> str:
    return f"{directorate} - {division}" if division else directorate


def remit_lines(lines: pd.DataFrame, committee: Committee) -> pd.Series:
    """Which lines a committee's remit covers: service lines of its directorates, divisions or headings."""
    where = ["directorate", "division", "heading"]
    places = pd.MultiIndex.from_frame(lines[where].astype(str))
    # each place (directorate, division, heading) asked once, however many lines it holds
    covered = [
        place for place in places.unique() if committee.covers(place[0], division_label(place[0], place[1]), place[2])
    ]
    return pd.Series(places.isin(covered) & lines["kind"].eq(LineKind.SERVICE).to_numpy(), index=lines.index)


def authority_rows(lines: pd.DataFrame, labels: Labels, columns: Sequence[str]) -> list[Row]:
    """The authority table's rows above the roll-forward block, over any amount ``columns`` of the lines:
    divisions, sub-totals, Financing Items, TOTAL (excl Schools), Schools and TOTAL."""
    rows: list[Row] = []
    service = service_lines(lines)
    # one grouped pass for the divisions, one for the directorates: then each directorate's rows in order
    keyed = service.assign(
        _key=pd.Series(
            list(zip(service["directorate"].tolist(), service["division"].tolist(), strict=True)),
            index=service.index,
            dtype=object,
        )
    )
    divisions: dict[str, list[Row]] = {}
    for row in grouped_rows(keyed, "_key", columns, "row", RowKind.LINE):
        directorate, division = row["row"]
        divisions.setdefault(str(directorate), []).append(
            {**row, "row": division_label(str(directorate), str(division))}
        )
    subtotals = {str(r["row"]): r for r in grouped_rows(service, "directorate", columns, "row", RowKind.SUBTOTAL)}
    for directorate, own in divisions.items():
        rows.extend(own)
        if len(own) > 1:
            rows.append({**subtotals[directorate], "row": labels.subtotal_for(directorate)})
    financing = lines[(lines["kind"] == LineKind.FINANCING).to_numpy()]
    if not financing.empty:
        rows.append({"row": labels.financing, "kind": RowKind.LINE, **sums(financing, columns)})
    rows.append({"row": labels.total, "kind": RowKind.TOTAL, **sums(excluding_schools(lines), columns)})
    schools = lines[(lines["kind"] == LineKind.SCHOOLS).to_numpy()]
    if not schools.empty:
        rows.append({"row": labels.schools, "kind": RowKind.SCHOOLS, **sums(schools, columns)})
        rows.append({"row": labels.grand_total, "kind": RowKind.GRAND_TOTAL, **sums(lines, columns)})
    return rows


def excluding_schools(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines of the headline total: every line but the schools' (delegated budgets are a memo row)."""
    return lines[(lines["kind"] != LineKind.SCHOOLS).to_numpy()]


def authority_rollup(lines: pd.DataFrame, labels: Labels, columns: Sequence[str]) -> pd.DataFrame:
    """:func:`authority_rows` as a table (exact pence, Int64)."""
    return table(authority_rows(lines, labels, columns), "row", columns)


def authority_table(position: Position, labels: Labels) -> pd.DataFrame:
    """The authority table: divisions, sub-totals, headline, Schools, TOTAL, roll forwards, balance."""
    lines = position.lines
    rows = authority_rows(lines, labels, AMOUNTS)
    rows.extend(roll_forward_block(position, total(excluding_schools(lines)), labels))
    return table(rows, "row")


def _block_row(label: str, kind: RowKind, current: Amount, last: Amount, has_last: bool) -> Row:
    """A row of the roll-forward block: only the revised, last reported and movement columns."""
    movement = None
    if has_last and (current is not None or last is not None):
        movement = (current or 0) - (last or 0)
    blank = dict.fromkeys(("net_budget", "net_forecast_variance", "cd_adjustment"))
    return {
        "row": label,
        "kind": kind,
        **blank,
        "revised_net_variance": current,
        "last_reported": last,
        "movement": movement,
    }


def roll_forward_labels(labels: Labels) -> dict[RollForward, str]:
    return {
        RollForward.COMMITTED: labels.rf_committed,
        RollForward.REPHASED: labels.rf_rephased,
        RollForward.BIDS: labels.rf_bids,
    }


def roll_forward_block(position: Position, headline: Mapping[str, Amount], labels: Labels) -> list[Row]:
    """Variance excluding schools, the roll forward requirements, and the resulting balance.

    Roll forwards add to the deficit: balance = variance excluding schools + total roll forwards.
    A category is blank for a period with no roll-forward return; the total is then nil.
    """
    has_last = position.has_last
    current = position.roll_forwards
    previous = position.last.roll_forwards if position.last is not None else None
    variance, variance_then = headline["revised_net_variance"], headline["last_reported"]
    rows = [_block_row(labels.variance_from_above, RowKind.ROLLFORWARD, variance, variance_then, has_last)]
    for category, label in roll_forward_labels(labels).items():
        now = current[category] if current is not None else None
        then = previous[category] if previous is not None else None
        rows.append(_block_row(label, RowKind.ROLLFORWARD, now, then, has_last))
    rf_now = sum(current.values()) if current is not None else 0
    rf_then = (sum(previous.values()) if previous is not None else 0) if has_last else None
    rows.append(_block_row(labels.rf_total, RowKind.ROLLFORWARD, rf_now, rf_then, has_last))
    assert variance is not None
    balance_then = variance_then + rf_then if variance_then is not None and rf_then is not None else None
    rows.append(_block_row(labels.balance, RowKind.BALANCE, variance + rf_now, balance_then, has_last))
    return rows


@dataclass(frozen=True)
class TagSplit:
    """A directorate's position split into its own part and a part reported apart (a tag)."""

    directorate: str
    tag: str
    excluding: int  # revised net variance of the directorate without the tagged lines
    tagged: int  # revised net variance of the tagged lines
    overall: int


def tag_splits(position: Position, directorate: str) -> list[TagSplit]:
    """For each tag within a directorate's service lines, the split of its revised variance."""
    lines = position.own(directorate)
    overall = int(lines["revised_net_variance"].sum())
    by_tag = lines.loc[lines["tag"] != ""].groupby("tag", sort=False)["revised_net_variance"].sum()
    return [TagSplit(directorate, str(tag), overall - int(t), int(t), overall) for tag, t in by_tag.items()]
