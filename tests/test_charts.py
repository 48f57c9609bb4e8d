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
