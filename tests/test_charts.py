"""Charts: pressures and underspends told apart without colour (hatching, signed labels), drawn once."""

from __future__ import annotations

import pytest

from finlib.render import charts
from finlib.report.model import Bars, Bridge


def hatched(svg: bytes) -> int:
    """How many shapes of an SVG are filled with a hatch pattern (matplotlib writes them as url(#h…))."""
    return svg.decode("utf-8").count("url(#h")


@pytest.mark.parametrize("values", [[100_000_00, -200_000_00, -50_000_00], [-1_000_00], [5_000_00, -3_000_00]])
def test_every_underspend_bar_is_hatched_and_no_pressure_is(values: list[int]) -> None:
    svg = charts.variance_svg(Bars("t", [f"h{i}" for i in range(len(values))], values))
    underspends = sum(1 for v in values if v < 0)
    assert hatched(svg) == underspends + 1  # each underspend bar, and its key in the legend


def test_pressures_alone_have_no_hatching_and_signed_labels() -> None:
    svg = charts.variance_svg(Bars("t", ["a", "b"], [100_000_00, 2_000_00])).decode("utf-8")
    assert "url(#h" not in svg
    assert "+0.100" in svg and "+0.002" in svg


def test_bridge_steps_that_reduce_the_position_are_hatched() -> None:
    bridge = Bridge("b", "Then", 1_000_000_00, Bars("m", ["x", "y"], [-300_000_00, 200_000_00]), "Now", 900_000_00)
    svg = charts.bridge_svg(bridge)
    assert hatched(svg) == 1 + 1  # the one underspend step and the legend's key
    assert charts.bridge_alt(bridge) == (
        "Bridge chart: b. Then +£1.000m; movements: x \u2212£0.300m; y +£0.200m; Now +£0.900m."
    )


def test_a_chart_is_drawn_once_and_remembered_by_content() -> None:
    bars = Bars("once", ["a"], [123_456_00])
    first = charts.variance_svg(bars)
    assert charts.variance_svg(Bars("once", ["a"], [123_456_00])) is first
    assert charts.drawn()[("bars", "once", ("a",), (123_456_00,))] is first


LONG = "Children, Young People & Education - Education & Young People Services"


@pytest.mark.parametrize(
    "chart",
    [
        Bars(
            "mixed", [LONG, "Asylum", "Adults", "Strategic & Corporate Services"], [5_000_000_00, -3_900_000_00, 1, 0]
        ),
        Bars("one", ["A"], [-1_00]),
        Bars("wide figures", ["x" * 38, "W" * 38], [-987_654_321_00, 987_654_321_00]),
        Bridge(
            "b", "Last reported", 10_000_000_00, Bars("m", [LONG, "y"], [-300_000_00, 200_000_00]), "Now", 9_900_000_00
        ),
    ],
    ids=["mixed", "one bar", "wide", "bridge"],
)
def test_every_text_of_a_chart_fits_within_it_and_clear_of_the_bars(chart: Bars | Bridge) -> None:
    """The layout is placed by the labels' widths, not searched for: everything drawn (labels, figures,
    axis label, legend) lies inside the figure, the labels on the left stay left of the bars, and the
    legend sits below the axis label."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = charts.bridge_figure(chart) if isinstance(chart, Bridge) else charts.variance_figure(chart)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]  # every text placed as it is written to the SVG
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    (ax,) = figure.axes
    drawn = figure.get_tightbbox(renderer)  # in inches: every text and shape drawn
    width, height = figure.get_size_inches()
    assert drawn.x0 >= -0.01 and drawn.x1 <= width + 0.01, f"{drawn} runs off the sides of {width} in"
    assert drawn.y0 >= -0.01 and drawn.y1 <= height + 0.01, f"{drawn} runs off the top or bottom of {height} in"
    figures = [t for t in ax.texts if t.get_text()]  # the bar labels
    assert len(figures) == (len(chart.steps.labels) + 2 if isinstance(chart, Bridge) else len(chart.labels))
    axes = ax.get_window_extent(renderer)
    for label in ax.get_yticklabels():
        assert label.get_window_extent(renderer).x1 <= axes.x0 + 0.5, f"{label.get_text()!r} runs into the bars"
    legend = figure.legends[0].get_window_extent(renderer)
    xlabel = ax.xaxis.label.get_window_extent(renderer)
    assert legend.y1 <= xlabel.y0 + 0.5, "the legend sits below the axis label"
