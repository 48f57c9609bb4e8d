"""The readers of a data set's input files: every problem collected, then typed frames of exact amounts.

Only this package (with :mod:`finlib.store` and the renderers) touches files.  What each kind of file
is lives in :mod:`~finlib.inputs.catalogue`; :mod:`~finlib.inputs.tables` reads a file as text with its
row numbers, :mod:`~finlib.inputs.schemas` checks its cells, :mod:`~finlib.inputs.checks` checks files
against each other, :mod:`~finlib.inputs.parse` turns checked text into typed frames;
:mod:`~finlib.inputs.ledger` reads a general-ledger extract.
"""

from finlib.inputs import ledger
from finlib.inputs.analysis import read_budget_book, read_cost_centres, read_forecast_methods, read_scenario
from finlib.inputs.period import load_period
from finlib.inputs.settings import read_settings
from finlib.inputs.tables import read_text_table

__all__ = [
    "ledger",
    "load_period",
    "read_budget_book",
    "read_cost_centres",
    "read_forecast_methods",
    "read_scenario",
    "read_settings",
    "read_text_table",
]
