"""Charts of the report model, drawn with seaborn, each with a text alternative giving its figures.

Pressures (+) and underspends (−) differ by colour *and* by hatching, and each bar is labelled with
its signed figure, so the chart reads without colour.  Figures are drawn as printed (£m to 3 dp).

Each chart is drawn once per process and remembered by its content.  ``finlib report`` draws every
chart of the period once, shared among its worker processes (:func:`missing`, :func:`shares`,
:func:`draw_all`), then hands them to its notebooks with the report model (:func:`drawn`,
:func:`remember`), so seaborn is imported and a chart drawn only where one is still missing.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from finlib.money import MILLIONS, prose
from finlib.report.model import Bars, Bridge, Report
from finlib.report.model import Figure as ReportFigure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Key = tuple[object, ...]
_DRAWN: dict[Key, bytes] = {}


def _key(chart: Bars | Bridge) -> Key:
    if isinstance(chart, Bridge):
        return ("bridge", chart.title, chart.start_label, chart.start, _key(chart.steps), chart.end_label, chart.end)
    return ("bars", chart.title, tuple(chart.labels), tuple(chart.values))


def drawn() -> dict[Key, bytes]:
    """Every chart drawn so far in this process, by content."""
    return dict(_DRAWN)


def remember(charts: dict[Key, bytes]) -> None:
    """Charts drawn elsewhere (by the pack, for its notebooks)."""
    _DRAWN.update(charts)


def figures(report: Report) -> list[ReportFigure]:
    """Every chart a report shows: the authority's (when it has the authority section), then each section's."""
    found = []
    if report.authority_summary:
        found = [report.authority.chart, *([report.authority.bridge] if report.authority.bridge else [])]
    return found + [s.chart for s in report.sections]


def chart_keys(report: Report) -> set[Key]:
    """The keys of the charts a report shows."""
    return {_key(figure.chart) for figure in figures(report)}


def missing(reports: Iterable[Report]) -> list[Bars | Bridge]:
    """The charts of ``reports`` not yet drawn in this process, each once (a chart shown in the Cabinet
    report and in a committee's extract is one chart)."""
    found: dict[Key, Bars | Bridge] = {}
    for report in reports:
        for figure in figures(report):
            key = _key(figure.chart)
            if key not in _DRAWN:
                found.setdefault(key, figure.chart)
    return list(found.values())


def shares(charts: Sequence[Bars | Bridge], parts: int) -> list[list[Bars | Bridge]]:
    """``charts`` dealt into at most ``parts`` shares of about equal work (a chart costs about its bars),
    for drawing in as many processes at once."""
    loads = [0] * max(parts, 1)
    dealt: list[list[Bars | Bridge]] = [[] for _ in loads]
    for chart in sorted(charts, key=_bars, reverse=True):
        lightest = loads.index(min(loads))
        dealt[lightest].append(chart)
        loads[lightest] += _bars(chart)
    return [share for share in dealt if share]


def _bars(chart: Bars | Bridge) -> int:
    return len(chart.steps.labels) + 2 if isinstance(chart, Bridge) else len(chart.labels)


def draw_all(charts: Sequence[Bars | Bridge]) -> dict[Key, bytes]:
    """Draw ``charts`` (in a worker of the pack); each by its key."""
    return {_key(chart): svg(chart) for chart in charts}


def draw_file(given: str, drawn: str) -> None:
    """Draw the charts pickled in the file ``given`` (a share of a pack's, in a kernel of the pack) and
    write them, pickled by key, to ``drawn``.  The file is read as data only."""
    import gc
    import pickle
    from pathlib import Path

    from finlib.pack.handoff import DataOnly

    charts = DataOnly(io.BytesIO(Path(given).read_bytes())).load()
    Path(drawn).write_bytes(pickle.dumps(draw_all(charts), protocol=pickle.HIGHEST_PROTOCOL))
    gc.collect()  # the figures drawn are garbage in cycles: freed now, before the kernel's first notebook


def svg(chart: Bars | Bridge) -> bytes:
    """A chart as SVG: diverging bars for :class:`Bars`, a waterfall for :class:`Bridge`."""
    return bridge_svg(chart) if isinstance(chart, Bridge) else variance_svg(chart)


def alt(chart: Bars | Bridge) -> str:
    """A chart's text alternative, giving its figures."""
    return bridge_alt(chart) if isinstance(chart, Bridge) else variance_alt(chart)


PRESSURE, UNDERSPEND, NEUTRAL, POSITION = "#b2182b", "#2166ac", "#6b6b6b", "#3b3b3b"
HATCH = "////"
KINDS = {"Pressure (+)": PRESSURE, "Underspend (−)": UNDERSPEND, "Nil": NEUTRAL}
#: A bridge's first and last bars: the position itself, not a movement.
POSITION_KIND = "Position (last reported, now)"


def _kind(pence: int) -> str:
    steps = MILLIONS.round(pence)
    return "Pressure (+)" if steps > 0 else "Underspend (−)" if steps < 0 else "Nil"


def _label(text: str, width: int = 38) -> str:
    return textwrap.fill(text, width)


def _svg(figure: Figure) -> bytes:
    """The chart as SVG with its text kept as text (crisp at any zoom, and half the time of a PNG)."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "finlib"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _legend(ax: Any, kinds: list[str]) -> None:
    from matplotlib.patches import Patch

    colours = {**KINDS, POSITION_KIND: POSITION}
    handles = [
        Patch(facecolor=colours[k], hatch=HATCH if k.startswith("Underspend") else "", edgecolor="white", label=k)
        for k in colours
        if k in kinds
    ]
    # in the room :func:`_fit` keeps for it below the axis label
    ax.figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles), frameon=False)


X_LABEL = "£m (+ pressure, − underspend)"
WIDTH = 7.0  # inches, every chart
ROW = 0.38  # inches a bar takes
TICK_POINTS = 10.0  # the tick labels' size, as drawn (matplotlib's default "medium")
#: Room below the bars, in inches: tick labels, the axis label and the one-row legend under it.
BELOW = 0.8
ABOVE, RIGHT = 0.15, 0.35  # the right: room for half the last figure of the axis
AXIS_LEFT = 0.35  # at least, for half the first figure of the axis
BARS_AT_LEAST = 3.0  # inches of the bars' own width


def _height(bars: int) -> float:
    return ROW * bars + 1.2


@functools.cache
def _text_width(line: str) -> float:
    """A line of tick label text as wide as it is drawn, in inches (the font measured, nothing drawn)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(line, FontProperties(size=TICK_POINTS), ismath=False)
    return float(width) / 72


def _fit(figure: Figure, labels: list[str]) -> None:
    """Place the axes so the bar labels on the left, and the axis label and legend below, fit the figure.

    The same room matplotlib's constrained layout finds, found at a fraction of its cost: it lays every
    text out several times a chart, where the labels' widths are enough to know it.
    """
    longest = max((_text_width(line) for label in labels for line in label.split("\n")), default=0.0)
    left = max(longest * 1.04 + (3.5 + 3.5) / 72 + 0.12, AXIS_LEFT)  # the text (a little spare), tick and pad
    _, height = figure.get_size_inches()
    width = max(WIDTH, left + BARS_AT_LEAST + RIGHT)  # labels too wide to leave the bars room: a wider chart
    figure.set_size_inches(width, height)
    figure.subplots_adjust(left=left / width, right=1 - RIGHT / width, bottom=BELOW / height, top=1 - ABOVE / height)


def _cached(chart: Bars | Bridge, draw: Any) -> bytes:
    """A chart drawn once per process: ``draw(chart)`` the first time, remembered by content."""
    key = _key(chart)
    if key not in _DRAWN:
        _DRAWN[key] = draw(chart)
    return _DRAWN[key]


def variance_svg(bars: Bars) -> bytes:
    """Horizontal bars diverging around zero, one per label."""
    return _cached(bars, _draw_variance)


def _draw_variance(bars: Bars) -> bytes:
    return _svg(variance_figure(bars))


def variance_figure(bars: Bars) -> Figure:
    """The figure of :func:`variance_svg`."""
    import numpy as np
    import pandas as pd
    import seaborn as sns
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

    frame = pd.DataFrame(
        {
            "label": [_label(t) for t in bars.labels],
            "value": [MILLIONS.value(v) for v in bars.values],
            "kind": [_kind(v) for v in bars.values],
        }
    )
    figure = Figure(figsize=(WIDTH, _height(len(frame))))
    ax = figure.subplots()
    # labelled before seaborn draws: it then leaves the labels alone, without laying out every tick label
    # to find whether they are shown (a third of the chart's time)
    ax.set_xlabel(X_LABEL, labelpad=2)
    ax.set_ylabel(" ")
    with sns.axes_style("whitegrid"):
        sns.barplot(
            data=frame,
            y="label",
            x="value",
            hue="kind",
            palette=KINDS,
            dodge=False,
            ax=ax,
            orient="h",
            legend=False,
            errorbar=None,
        )
    for container in ax.containers:
        drawn = cast(BarContainer, container)
        values = [float(v) for v in np.asarray(drawn.datavalues)]
        for patch, value in zip(drawn.patches, values, strict=True):
            patch.set_edgecolor("white")
            if value < 0:
                patch.set_hatch(HATCH)
        ax.bar_label(drawn, labels=[_signed(v) for v in values], padding=3, fontsize=10)
    ax.axvline(0, color="#222222", linewidth=1)
    ax.set_ylabel("")
    _legend(ax, list(frame["kind"]))
    _fit(figure, list(frame["label"]))
    _pad(ax, [_signed(v) for v in values_of(frame)])
    return figure


def values_of(frame: Any) -> list[float]:
    return [float(v) for v in frame["value"]]


def _pad(ax: Any, figures: list[str]) -> None:
    """Room for the bar labels (``figures``) beyond the bars, on each side that has bars: as wide as the
    widest label, in inches of the axes as placed; none to the left of zero when nothing is negative."""
    low, high = ax.get_xlim()
    span = max(high - low, 0.001)
    sides = (low < 0) + (high > 0)
    room = max((_text_width(f) for f in figures), default=0.0) + 0.12  # the label, its padding, a margin
    inches = ax.get_position().width * ax.figure.get_size_inches()[0]
    share = min(room * sides / max(inches, 0.01), 0.6)  # of the axes' width, at most 60 %
    extra = span * share / (1 - share) / max(sides, 1)
    ax.set_xlim(low - extra if low < 0 else 0.0, high + extra if high > 0 else 0.0)


def _signed(value: float) -> str:
    if value != value:  # NaN: no bar
        return ""
    return f"+{value:.3f}" if value > 0 else f"−{-value:.3f}" if value < 0 else "0.000"


def bridge_svg(bridge: Bridge) -> bytes:
    """A horizontal waterfall from the last reported position, through each movement, to this one."""
    return _cached(bridge, _draw_bridge)


def _draw_bridge(bridge: Bridge) -> bytes:
    return _svg(bridge_figure(bridge))


def bridge_figure(bridge: Bridge) -> Figure:
    """The figure of :func:`bridge_svg`."""
    import seaborn as sns
    from matplotlib.figure import Figure

    labels = [bridge.start_label, *bridge.steps.labels, bridge.end_label]
    starts, widths, colours, hatches = [0.0], [MILLIONS.value(bridge.start)], [POSITION], [""]
    running = bridge.start
    for value in bridge.steps.values:
        starts.append(MILLIONS.value(running))
        widths.append(MILLIONS.value(running + value) - MILLIONS.value(running))
        colours.append(KINDS[_kind(value)])
        hatches.append(HATCH if _kind(value).startswith("Underspend") else "")
        running += value
    starts.append(0.0)
    widths.append(MILLIONS.value(bridge.end))
    colours.append(POSITION)
    hatches.append("")
    figure = Figure(figsize=(WIDTH, _height(len(labels))))
    ax = figure.subplots()
    with sns.axes_style("whitegrid"):
        positions = list(range(len(labels)))
        drawn = ax.barh(positions, widths, left=starts, color=colours, edgecolor="white")
    for patch, hatch in zip(drawn, hatches, strict=True):
        patch.set_hatch(hatch)
    values = [
        MILLIONS.value(bridge.start),
        *(MILLIONS.value(v) for v in bridge.steps.values),
        MILLIONS.value(bridge.end),
    ]
    ax.bar_label(drawn, labels=[_signed(v) for v in values], padding=3, fontsize=10)
    ax.set_yticks(positions, [_label(t) for t in labels])
    ax.invert_yaxis()
    ax.axvline(0, color="#222222", linewidth=1)
    ax.set_xlabel("£m")
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    _legend(ax, [POSITION_KIND, *(_kind(v) for v in bridge.steps.values)])
    _fit(figure, [_label(t) for t in labels])
    _pad(ax, [_signed(v) for v in values])
    return figure


def variance_alt(bars: Bars) -> str:
    figures = "; ".join(f"{label} {prose(value)}" for label, value in zip(bars.labels, bars.values, strict=True))
    return f"Bar chart: {bars.title}. {figures}."


def bridge_alt(bridge: Bridge) -> str:
    steps = "; ".join(f"{label} {prose(v)}" for label, v in zip(bridge.steps.labels, bridge.steps.values, strict=True))
    return (
        f"Bridge chart: {bridge.title}. {bridge.start_label} {prose(bridge.start)}; movements: {steps}; "
        f"{bridge.end_label} {prose(bridge.end)}."
    )
