"""Text from data made inert in spreadsheet and CSV exports: the one place formulas are neutralised.

A spreadsheet reads a cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or their full-width
forms), a tab or a carriage return as a formula (CSV and formula injection, OWASP).  Every text cell of
a CSV export that comes from data (headings, directorate and division names, scheme names,
explanations, reasons…) goes through :func:`neutral`, which writes such text with a leading ``'`` so it
is shown, never run.  A workbook has typed cells: such text is written as a string cell with Excel's
quote prefix set (:func:`formula_like`), so it shows as written and stays text if a reader edits it.

Amounts are not text from data: a printed ``-1.947`` stays a number.  The authority's own row labels
(``authority.yaml`` ``labels``, such as ``- re-phased``) are set by the finance team and printed as
published: the report model marks them ``trusted`` (:func:`finlib.report.tables.trusted_labels`).
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet read text as a formula, with their full-width forms (which
#: some spreadsheets fold to the ASCII ones as text is typed in).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula if it were typed in."""
    return text.startswith(FORMULA_STARTS)


def neutral(text: str, trusted: frozenset[str] = frozenset()) -> str:
    """``text`` as a cell that cannot be read as a formula: ``'`` before it when it starts with one of
    :data:`FORMULA_STARTS`, unless it is one of the ``trusted`` texts (the authority's own labels)."""
    if formula_like(text) and text not in trusted:
        return QUOTE + text
    return text


def neutral_column(values: pd.Series, trusted: frozenset[str] = frozenset()) -> pd.Series:
    """A column of text from data, each cell through :func:`neutral`; blanks stay blank."""
    return values.map(lambda value: value if pd.isna(value) else neutral(str(value), trusted))
