"""Which cells of a column are among a set of values, at the speed of Arrow.

pandas' own ``isin`` on its Arrow-backed text columns turns each cell into a Python string first (0.2 s
for 100,000 cells, where Arrow's ``is_in`` takes 4 ms); the checks and the exempt-item rules ask it of
every line.  Anything that is not text falls back to pandas.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def isin(values: pd.Series | pd.Index, known: Iterable[object]) -> np.ndarray:
    """``values.isin(known)`` as a boolean array."""
    wanted = list(known)
    if pd.api.types.is_string_dtype(values.dtype) and None not in wanted:
        try:
            column = pa.array(values)
            # the known values as Arrow text: raises when one of them is not text
            found = pc.is_in(column, value_set=pa.array(wanted, type=pa.string()).cast(column.type))
            return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        except (TypeError, ValueError, pa.ArrowException):  # not Arrow text after all
            pass
    return np.asarray(values.isin(wanted), dtype=bool)
