"""The computed tables as CSV, rounded as printed, blank where the report shows a blank."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from finlib.money import MILLIONS, THOUSANDS, Unit, column_text
from finlib.monitor import Monitoring
from finlib.render.files import write_atomic
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


def write_tables(monitoring: Monitoring, out: Path) -> list[Path]:
    """Write ``authority.csv`` and ``directorates/<slug>.csv``; return the paths written."""
    contents = {out / "authority.csv": authority_csv(monitoring)}
    for directorate in monitoring.directorates():
        contents[out / "directorates" / f"{slug(directorate)}.csv"] = directorate_csv(monitoring, directorate)
    for path, text in contents.items():
        write_atomic(path, text)
    return list(contents)
