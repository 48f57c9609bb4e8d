"""finlib: monthly revenue and capital budget monitoring for a council's Cabinet report."""

__version__ = "0.1.0"

from finlib.config import DataSet
from finlib.errors import FinlibError, InputError, Problem
from finlib.monitor import Monitoring, monitor

__all__ = ["DataSet", "FinlibError", "InputError", "Monitoring", "Problem", "__version__", "monitor"]
