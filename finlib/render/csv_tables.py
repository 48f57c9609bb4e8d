"""The computed tables as CSV, rounded as printed, blank where the report shows a blank."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from finlib import capital
from finlib.money import MILLIONS, THOUSANDS, Unit, column_text
from finlib.monitor import Monitoring
from finlib.render.files import write_atomic

if TYPE_CHECKING:
    from finlib.report import Report
from finlib.revenue import AMOUNTS

AUTHORITY_COLUMNS = {
    "net_budget": "budget",
    "net_forecast_variance": "net_forecast_variance",
    "cd_adjustment": "cd_adjustment",
    "revised_net_variance": "revised_net_variance",
    "last_reported": "last_reported",
    "movement": "movement",
}


def slug(name: str) -> str:
    """``Strategic & Corporate Services`` → ``strategic-corporate-services``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def as_printed(table: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """A table of exact pence with every amount as the text the report prints."""
    printed = table.copy()
    for column in AMOUNTS:
        printed[column] = column_text(table[column], unit)
    return printed


def authority_csv(monitoring: Monitoring) -> str:
    printed = as_printed(monitoring.authority_table(), MILLIONS).rename(columns=AUTHORITY_COLUMNS)
    return printed.to_csv(index=False, lineterminator="\n")


def directorate_csv(monitoring: Monitoring, directorate: str) -> str:
    printed = as_printed(monitoring.directorate_table(directorate), THOUSANDS)
    return printed.to_csv(index=False, lineterminator="\n")


def capital_csv(cap: capital.CapitalPosition) -> str:
    """``capital.csv``: scheme, year, budget, forecast, real, rephasing in £m to 3 dp, programme order."""
    frame = capital.capital_frame(cap)
    printed = frame.copy()
    for column in capital.AMOUNTS:
        printed[column] = column_text(frame[column], MILLIONS)
    return printed[capital.FRAME_COLUMNS].to_csv(index=False, lineterminator="\n")


def capital_tables(monitoring: Monitoring, out: Path) -> dict[Path, str]:
    """``capital.csv`` when the period's year has a capital programme; nothing otherwise."""
    cap = capital.capital_position(monitoring.inputs)
    return {} if cap is None else {out / "capital.csv": capital_csv(cap)}


def write_tables(monitoring: Monitoring, out: Path) -> list[Path]:
    """Write ``authority.csv``, ``directorates/<slug>.csv`` and ``capital.csv``; return the paths written."""
    contents = {out / "authority.csv": authority_csv(monitoring)}
    for directorate in monitoring.directorates():
        contents[out / "directorates" / f"{slug(directorate)}.csv"] = directorate_csv(monitoring, directorate)
    contents.update(capital_tables(monitoring, out))
    for path, text in contents.items():
        write_atomic(path, text)
    return list(contents)


def write_working(report: Report, folder: Path) -> None:
    """The business partner's working output: explanations still needed, capital warnings."""
    rows = [
        {"directorate": m.directorate, "subject": m.subject, "about": m.about, "amount_gbpm": MILLIONS.text(m.amount)}
        for m in report.missing
    ]
    frame = pd.DataFrame(rows, columns=["directorate", "subject", "about", "amount_gbpm"])
    write_atomic(folder / "missing_explanations.csv", frame.to_csv(index=False, lineterminator="\n"))
    warnings = pd.DataFrame({"warning": report.capital_warnings})
    write_atomic(folder / "capital_warnings.csv", warnings.to_csv(index=False, lineterminator="\n"))
