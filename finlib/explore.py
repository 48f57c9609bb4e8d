"""Questions analysts ask of the forecasts: a selection's position, its history, its largest variances."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finlib import store
from finlib.commentary import period_label
from finlib.config import financial_year
from finlib.monitoring import Monitoring
from finlib.report import Bars
from finlib.revenue import AMOUNTS, Position, service_lines


def select(lines: pd.DataFrame, directorate: str | None, heading: str | None) -> pd.DataFrame:
    """Service lines of a directorate and/or heading (all of them when neither is given)."""
    chosen = lines[lines["kind"] == "service"] if (directorate or heading) else lines
    if directorate:
        chosen = chosen[chosen["directorate"] == directorate]
    if heading:
        chosen = chosen[chosen["heading"] == heading]
    return chosen


def check_selection(monitoring: Monitoring, directorate: str | None, heading: str | None) -> None:
    lines = service_lines(monitoring.position)
    if directorate and directorate not in set(lines["directorate"]):
        raise KeyError(f"no directorate {directorate!r}; the budget book has: {', '.join(monitoring.directorates())}")
    if heading and select(lines, directorate, heading).empty:
        where = f" in {directorate}" if directorate else ""
        raise KeyError(f"no budget heading {heading!r}{where}")


def line_table(monitoring: Monitoring, directorate: str | None, heading: str | None) -> pd.DataFrame:
    """The selected lines with their amounts (exact pence), in budget book order."""
    lines = select(monitoring.position.lines, directorate, heading)
    table = lines.reset_index()[["line_id", "heading", "kind", *AMOUNTS]].copy()
    table["line"] = table["line_id"] + " · " + table["heading"]
    table["kind"] = "line"
    return table


def largest_variances(monitoring: Monitoring, directorate: str | None, heading: str | None, top: int) -> pd.DataFrame:
    """The ``top`` lines with the largest revised variance either way."""
    table = line_table(monitoring, directorate, heading)
    order = table["revised_net_variance"].abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order[:top]].reset_index(drop=True)


def history(monitoring: Monitoring, directorate: str | None, heading: str | None) -> pd.DataFrame:
    """Revised net variance of the selection in each published period of the year, and now.

    Columns: period, label, revised_net_variance (pence), published (False for the current period
    when it is not yet published).
    """
    year = financial_year(monitoring.period)
    rows = []
    positions: list[tuple[str, Position, bool]] = [
        (p, store.load_published(monitoring.data, p), True)
        for p in store.published_periods(monitoring.data, year)
        if p < monitoring.period
    ]
    positions.append((monitoring.period, monitoring.position, False))
    for period, position, published in positions:
        chosen = select(position.lines, directorate, heading)
        rows.append(
            {
                "period": period,
                "label": period_label(period),
                "revised_net_variance": int(chosen["revised_net_variance"].sum()),
                "published": published,
            }
        )
    frame = pd.DataFrame(rows)
    frame["revised_net_variance"] = frame["revised_net_variance"].astype("Int64")
    return frame


def history_bars(frame: pd.DataFrame, title: str) -> Bars:
    return Bars(title, list(frame["label"]), [int(v) for v in frame["revised_net_variance"]])


@dataclass(frozen=True)
class ExplorerView:
    """What the forecast explorer shows for one selection."""

    title: str
    period_label: str
    level: str  # authority | directorate | heading
    position: pd.DataFrame  # exact pence
    history: pd.DataFrame
    history_chart: Bars
    largest: pd.DataFrame
    top: int


def explorer_view(monitoring: Monitoring, directorate: str | None, heading: str | None, top: int) -> ExplorerView:
    check_selection(monitoring, directorate, heading)
    if heading:
        level, position = "heading", line_table(monitoring, directorate, heading)
    elif directorate:
        level, position = "directorate", monitoring.directorate_table(directorate)
    else:
        level, position = "authority", monitoring.authority_table()
    name = " — ".join(x for x in (directorate, heading) if x) or "Whole authority"
    frame = history(monitoring, directorate, heading)
    return ExplorerView(
        title=name,
        period_label=period_label(monitoring.period),
        level=level,
        position=position,
        history=frame,
        history_chart=history_bars(frame, f"{name}: revised net variance by period, £m"),
        largest=largest_variances(monitoring, directorate, heading, top),
        top=top,
    )
