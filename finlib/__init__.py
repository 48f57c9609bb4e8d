"""finlib: monthly revenue and capital budget monitoring for a council's Cabinet report."""

from __future__ import annotations

__version__ = "0.1.0"

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
