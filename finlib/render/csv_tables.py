"""The computed tables as CSV, rounded as printed, blank where the report shows a blank."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from finlib import capital
from finlib.config import slug
from finlib.money import MILLIONS, THOUSANDS, Unit, column_text
from finlib.monitoring import Monitoring
from finlib.render.files import write_atomic
from finlib.render.safe import configured_labels, neutral, neutral_column
from finlib.revenue import AMOUNTS

if TYPE_CHECKING:
    from finlib.report import Report

AUTHORITY_COLUMNS = {
    "net_budget": "budget",
    "net_forecast_variance": "net_forecast_variance",
    "cd_adjustment": "cd_adjustment",
    "revised_net_variance": "revised_net_variance",
    "last_reported": "last_reported",
    "movement": "movement",
}


def as_printed(table: pd.DataFrame, unit: Unit, trusted: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A table of exact pence with every amount as the text the report prints, and every other
    column (text from data) neutralised against formulas, ``trusted`` labels apart."""
    printed = table.copy()
    for column in table.columns:
        if column in AMOUNTS:
            printed[column] = column_text(table[column], unit)
        else:
            printed[column] = neutral_column(table[column], trusted)
    return printed


def trusted_labels(monitoring: Monitoring) -> frozenset[str]:
    """The authority table's row labels from authority.yaml, printed as configured (see finlib.render.safe)."""
    return configured_labels(monitoring.inputs.settings.labels, monitoring.directorates())


def authority_csv(monitoring: Monitoring) -> str:
    printed = as_printed(monitoring.authority_table(), MILLIONS, trusted_labels(monitoring))
    return printed.rename(columns=AUTHORITY_COLUMNS).to_csv(index=False, lineterminator="\n")


def directorate_csv(monitoring: Monitoring, directorate: str) -> str:
    printed = as_printed(monitoring.directorate_table(directorate), THOUSANDS)
    return printed.to_csv(index=False, lineterminator="\n")


def capital_csv(cap: capital.CapitalPosition) -> str:
    """``capital.csv``: scheme, year, budget, forecast, real, rephasing in £m to 3 dp, programme order."""
    frame = capital.capital_frame(cap)
    printed = frame.copy()
    for column in capital.FRAME_COLUMNS:
        if column in capital.AMOUNTS:
            printed[column] = column_text(frame[column], MILLIONS)
        else:
            printed[column] = neutral_column(frame[column])
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
        {
            "directorate": neutral(m.directorate),
            "subject": neutral(m.subject),
            "about": neutral(m.about),
            "amount_gbpm": MILLIONS.text(m.amount),
        }
        for m in report.missing
    ]
    frame = pd.DataFrame(rows, columns=["directorate", "subject", "about", "amount_gbpm"])
    write_atomic(folder / "missing_explanations.csv", frame.to_csv(index=False, lineterminator="\n"))
    warnings = pd.DataFrame({"warning": [neutral(w) for w in report.capital_warnings]})
    write_atomic(folder / "capital_warnings.csv", warnings.to_csv(index=False, lineterminator="\n"))
