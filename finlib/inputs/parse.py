"""Checked text frames into typed frames: amounts into pence, flags into booleans, words lower-cased.

Each function is the parser of one kind of file (:mod:`finlib.inputs.catalogue`); it runs only on a
frame whose every cell has passed its schema and the checks across files.
"""

from __future__ import annotations

import pandas as pd

from finlib.core.kinds import LineKind
from finlib.core.parsed import ROW
from finlib.inputs.tables import amounts


def budget_book(frame: pd.DataFrame) -> pd.DataFrame:
    """Index line_id: directorate, division, heading, kind (``service`` when blank), tag, restricted,
    original_budget (pence; ``<NA>`` when the book gives none), _row."""
    frame = frame.copy()
    frame["kind"] = frame["kind"].str.lower().replace("", LineKind.SERVICE.value)
    frame["restricted"] = frame["restricted"].str.lower().eq("true")
    frame["original_budget"] = amounts(frame["original_budget"])
    return frame.reset_index().set_index("line_id")


def forecasts(frame: pd.DataFrame) -> pd.DataFrame:
    """Index line_id: net_budget, net_forecast_variance (outturn − budget when the outturn is given), _row."""
    frame = frame.copy()
    frame["net_budget"] = amounts(frame["net_budget"])
    if (frame["net_forecast_outturn"] != "").any():
        frame["net_forecast_variance"] = amounts(frame["net_forecast_outturn"]) - frame["net_budget"]
    else:
        frame["net_forecast_variance"] = amounts(frame["net_forecast_variance"])
    return frame.reset_index().set_index("line_id")[["net_budget", "net_forecast_variance", ROW]]


def _amount_rows(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """_row and ``columns`` (``amount`` in pence); no file: no rows."""
    if frame is None:
        empty = {c: pd.Series(dtype="Int64" if c == "amount" else "str") for c in columns}
        return pd.DataFrame({ROW: pd.Series(dtype="int64"), **empty})
    frame = frame[columns].copy()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()


def adjustments(frame: pd.DataFrame | None) -> pd.DataFrame:
    """_row, line_id, amount, reason, author, date; no file: no rows."""
    return _amount_rows(frame, ["line_id", "amount", "reason", "author", "date"])


def roll_forwards(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """_row, category, amount, description, line_id, to_line_id; no file: ``None`` (the categories are blank)."""
    if frame is None:
        return None
    frame = frame[["category", "amount", "description", "line_id", "to_line_id"]].copy()
    frame["category"] = frame["category"].str.lower()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()


VIREMENT_COLUMNS = ["from_line_id", "to_line_id", "amount", "reason", "approved_by", "date"]


def virements(frame: pd.DataFrame | None) -> pd.DataFrame:
    """_row, from_line_id, to_line_id (blank: none), amount (pence, positive), reason, approved_by, date;
    no file: no rows."""
    return _amount_rows(frame, VIREMENT_COLUMNS)


def explanations(frame: pd.DataFrame | None) -> pd.DataFrame:
    """_row, subject, about, text; no file: no rows."""
    if frame is None:
        return pd.DataFrame(
            {ROW: pd.Series(dtype="int64"), **{c: pd.Series(dtype="str") for c in ("subject", "about", "text")}}
        )
    frame = frame[["subject", "about", "text"]].copy()
    frame["about"] = frame["about"].str.lower()
    return frame.reset_index()


def capital_programme(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """_row, scheme_id, scheme, directorate, year, budget, restricted; no file: ``None``."""
    if frame is None:
        return None
    frame = frame[["scheme_id", "scheme", "directorate", "year", "budget", "restricted"]].copy()
    frame["budget"] = amounts(frame["budget"])
    frame["restricted"] = frame["restricted"].str.lower().eq("true")
    return frame.reset_index()


def capital_forecasts(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """_row, scheme_id, year, real_variance, rephasing_variance (a blank cell is nil); no file: ``None``."""
    if frame is None:
        return None
    frame = frame[["scheme_id", "year", "real_variance", "rephasing_variance"]].copy()
    for column in ("real_variance", "rephasing_variance"):
        frame[column] = amounts(frame[column]).fillna(0)
    return frame.reset_index()


def capital_funding(frame: pd.DataFrame | None) -> pd.DataFrame:
    """_row, scheme_id, year, source, amount, approved (``true``: agreed; blank or ``false``: proposed);
    no file: no rows."""
    columns = ["scheme_id", "year", "source", "amount"]
    if frame is None:
        empty = {c: pd.Series(dtype="Int64" if c == "amount" else "str") for c in columns}
        return pd.DataFrame({ROW: pd.Series(dtype="int64"), **empty, "approved": pd.Series(dtype="bool")})
    frame = frame[[*columns, "approved"]].copy()
    frame["amount"] = amounts(frame["amount"])
    frame["approved"] = frame["approved"].str.lower().eq("true")
    return frame.reset_index()


def cost_centres(frame: pd.DataFrame) -> pd.DataFrame:
    """Index cost_centre: line_id, description, _row."""
    return frame.reset_index().set_index("cost_centre")[["line_id", "description", ROW]]


def managers(frame: pd.DataFrame) -> pd.DataFrame:
    """Index line_id: manager, email, _row."""
    return frame.reset_index().set_index("line_id")[["manager", "email", ROW]]


def forecast_methods(frame: pd.DataFrame) -> dict[str, str]:
    """line_id → method, for the lines that use another method than the default."""
    return dict(zip(frame["line_id"], frame["method"].str.lower(), strict=True))


def scenario(frame: pd.DataFrame) -> pd.DataFrame:
    """_row, label, kind, directorate, division, heading, amount (blank for a unit that balances)."""
    frame = frame[["label", "kind", "directorate", "division", "heading", "amount"]].copy()
    frame["kind"] = frame["kind"].str.lower()
    frame["amount"] = amounts(frame["amount"])
    return frame.reset_index()
