"""Schemas of the domain's frames: what a position's lines and the report's tables hold, column by column.

Amounts are pence in nullable ``Int64`` columns (``<NA>`` where the report shows a blank); row kinds
are the words of :mod:`finlib.core.kinds`.  The tests validate every frame the domain returns against
these models (``Model.validate(frame)``), so a change of shape is caught where it is made.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Index, Series

from finlib.core.kinds import LineKind, RowKind, values
from finlib.core.period import is_financial_year

LINE_KINDS = list(values(LineKind))
ROW_KINDS = list(values(RowKind))
AMOUNTS = ["net_budget", "net_forecast_variance", "cd_adjustment", "revised_net_variance", "last_reported", "movement"]
CAPITAL_AMOUNTS = ["budget", "real", "rephasing", "forecast"]


def nullable_pence(frame: pd.DataFrame, columns: list[str]) -> bool:
    """Amounts are pence in pandas' nullable ``Int64`` (pandera alone would also take ``int64``)."""
    return all(str(frame[c].dtype) == "Int64" for c in columns if c in frame.columns)


class PositionLines(pa.DataFrameModel):
    """``Position.lines``: one row per budget line, indexed by line_id."""

    line_id: Index[str] = pa.Field(unique=True)
    directorate: Series[str]
    division: Series[str]
    heading: Series[str]
    kind: Series[str] = pa.Field(isin=LINE_KINDS)
    tag: Series[str]
    restricted: Series[bool]
    net_budget: Series[pd.Int64Dtype] = pa.Field(nullable=False)
    net_forecast_variance: Series[pd.Int64Dtype] = pa.Field(nullable=False)
    cd_adjustment: Series[pd.Int64Dtype] = pa.Field(nullable=True)  # blank: no adjustment row
    revised_net_variance: Series[pd.Int64Dtype] = pa.Field(nullable=False)
    last_reported: Series[pd.Int64Dtype] = pa.Field(nullable=True)  # blank: no last report
    movement: Series[pd.Int64Dtype] = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def revised_is_variance_plus_adjustment(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["revised_net_variance"] == frame["net_forecast_variance"] + frame["cd_adjustment"].fillna(0)

    @pa.dataframe_check
    @classmethod
    def amounts_in_nullable_pence(cls, frame: pd.DataFrame) -> bool:
        return nullable_pence(frame, AMOUNTS)

    class Config:
        strict = True


class RevenueTable(pa.DataFrameModel):
    """The rows of a revenue table (authority or directorate): a label, a kind and the six amounts."""

    kind: Series[str] = pa.Field(isin=ROW_KINDS)
    net_budget: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    net_forecast_variance: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    cd_adjustment: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    revised_net_variance: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    last_reported: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    movement: Series[pd.Int64Dtype] = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def amounts_in_nullable_pence(cls, frame: pd.DataFrame) -> bool:
        return nullable_pence(frame, AMOUNTS)


class AuthorityTable(RevenueTable):
    row: Series[str]

    class Config:
        strict = True


class DirectorateTable(RevenueTable):
    heading: Series[str]
    cd_adjustment: Series[pd.Int64Dtype] = pa.Field(nullable=False)  # the directorate table prints 0.0
    kind: Series[str] = pa.Field(isin=[RowKind.LINE.value, RowKind.TOTAL.value])

    class Config:
        strict = True


class CapitalSchemes(pa.DataFrameModel):
    """``CapitalPosition.schemes``: one row per scheme and year."""

    scheme_id: Series[str]
    scheme: Series[str]
    directorate: Series[str]
    restricted: Series[bool]
    year: Series[str] = pa.Field()
    budget: Series[pd.Int64Dtype] = pa.Field(nullable=False)
    real: Series[pd.Int64Dtype] = pa.Field(nullable=False)
    rephasing: Series[pd.Int64Dtype] = pa.Field(nullable=False)
    forecast: Series[pd.Int64Dtype] = pa.Field(nullable=False)

    @pa.check("year")
    @classmethod
    def a_financial_year(cls, years: pd.Series) -> pd.Series:
        return years.map(is_financial_year).astype(bool)

    @pa.dataframe_check
    @classmethod
    def forecast_is_budget_plus_variances(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["forecast"] == frame["budget"] + frame["real"] + frame["rephasing"]

    @pa.dataframe_check
    @classmethod
    def amounts_in_nullable_pence(cls, frame: pd.DataFrame) -> bool:
        return nullable_pence(frame, CAPITAL_AMOUNTS)

    class Config:
        strict = True
