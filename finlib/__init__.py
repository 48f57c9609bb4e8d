"""finlib: monthly revenue and capital budget monitoring for a council's Cabinet report."""

from __future__ import annotations

__version__ = "0.1.0"

import atexit
import gc
from typing import Any

from finlib.config import DataSet
from finlib.core.period import FinancialYear, Period
from finlib.errors import FinlibError, InputError, Problem

__all__ = [
    "DataSet",
    "FinancialYear",
    "FinlibError",
    "InputError",
    "Monitoring",
    "Period",
    "Problem",
    "__version__",
    "build_report",
    "monitor",
]


# At exit the interpreter's last collections walk every object pandas, Arrow and DuckDB have made, to
# find cycles nothing will use again: 0.1-0.2 s of every command.  Moving them out of the collector's
# reach first skips that walk; files are closed by their ``with`` blocks long before, and finalizers
# registered with ``weakref.finalize`` (temporary folders) still run.
atexit.register(gc.freeze)


def __getattr__(name: str) -> Any:
    """``monitor``, ``Monitoring`` and ``build_report`` load pandas and pandera, so they are imported when
    first used: ``finlib report`` starts its workers before that import, and ``import finlib`` stays quick."""
    if name in ("monitor", "Monitoring"):
        from finlib import monitoring

        return getattr(monitoring, name)
    if name == "build_report":
        from finlib.report import build_report

        return build_report
    raise AttributeError(f"module 'finlib' has no attribute {name!r}")
