"""The what-if scenario as text and CSV, rounded as the report prints (£m to 3 dp)."""

from __future__ import annotations

from pathlib import Path

from finlib.money import MILLIONS, column_text
from finlib.render.files import write_atomic
from finlib.render.safe import neutral, neutral_column
from finlib.scenario import Scenario


def scenario_lines(result: Scenario, title: str) -> list[str]:
    """The scenario table for a terminal: label and amount in £m, one line each."""
    width = max(len(str(label)) for label in result.table["row"])
    lines = [f"{title} (£m)"]
    for label, amount in zip(result.table["row"], result.table["amount"], strict=True):
        lines.append(f"  {label:<{width}}  {MILLIONS.text(int(amount)):>10}")
    return lines


def scenario_csv(result: Scenario) -> str:
    """``scenario.csv``: row, kind, amount (£m to 3 dp), covers (the unit an assumption concerns)."""
    table = result.table.copy()
    table["amount"] = column_text(result.table["amount"], MILLIONS)
    covers = dict(zip(result.steps["label"], result.steps["covers"], strict=True))
    table["covers"] = [
        neutral(covers.get(row, "")) if kind == "line" else ""
        for row, kind in zip(table["row"], table["kind"], strict=True)
    ]
    # The start and end rows carry the authority's own labels (authority.yaml); assumptions' labels are data.
    trusted = frozenset(table.loc[table["kind"] != "line", "row"])
    table["row"] = neutral_column(table["row"], trusted)
    return table.to_csv(index=False, lineterminator="\n")


def write_scenario(result: Scenario, out: Path, page: str | None = None) -> list[Path]:
    """Write ``scenario.csv`` (and ``scenario.html`` when a page is given) into ``out``."""
    written = [out / "scenario.csv"]
    write_atomic(written[0], scenario_csv(result))
    if page is not None:
        written.append(out / "scenario.html")
        write_atomic(written[1], page)
    return written
