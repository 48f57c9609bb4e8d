"""A what-if scenario for the terminal and as files: its table in £m, as the report prints it."""

from __future__ import annotations

from pathlib import Path

from finlib.render.csv import table_csv
from finlib.render.files import write_atomic
from finlib.report.explorer import ScenarioView
from finlib.report.model import Column, Table


def scenario_lines(view: ScenarioView) -> list[str]:
    """The scenario table for a terminal: label and amount in £m, one line each."""
    table = view.table
    amount = next(c for c in table.columns if c.key == "amount")
    assert amount.unit is not None
    width = max(len(str(label)) for label in table.frame["row"])
    lines = [f"What-if {view.name}, {view.period.label} (£m)"]
    for label, pence in zip(table.frame["row"], table.frame["amount"], strict=True):
        lines.append(f"  {label:<{width}}  {amount.unit.text(int(pence)):>10}")
    return lines


def scenario_csv(view: ScenarioView) -> str:
    """``scenario.csv``: row, kind, amount (£m to 3 dp), covers (the unit an assumption concerns)."""
    frame = view.table.frame.copy()
    frame["covers"] = [
        view.covers.get(str(row), "") if kind == "line" else ""
        for row, kind in zip(frame["row"], frame["kind"], strict=True)
    ]
    columns = (*view.table.columns, Column("covers", "Covers"))
    # the start and end rows carry the authority's own labels (authority.yaml); assumptions' labels are data
    return table_csv(Table(view.table.name, view.table.caption, columns, frame, view.table.trusted))


def write_scenario(view: ScenarioView, out: Path, page: str | None = None) -> list[Path]:
    """Write ``scenario.csv`` (and ``scenario.html`` when a page is given) into ``out``."""
    written = [out / "scenario.csv"]
    write_atomic(written[0], scenario_csv(view))
    if page is not None:
        written.append(out / "scenario.html")
        write_atomic(written[1], page)
    return written


__all__ = ["scenario_csv", "scenario_lines", "write_scenario"]
