"""The report model: built once from the position stage, read by every writer.

:func:`build_report` chooses the public or the officers' version, once; :func:`for_committee` narrows
the Cabinet report to a committee's remit; :func:`order` gives the order of a report's parts.
"""

from finlib.core.settings import Committee
from finlib.report.build import build_report, for_committee
from finlib.report.model import Bars, Bridge, Column, Figure, Report, Table
from finlib.report.sections import Part, Section, order

__all__ = [
    "Bars",
    "Bridge",
    "Column",
    "Committee",
    "Figure",
    "Part",
    "Report",
    "Section",
    "Table",
    "build_report",
    "for_committee",
    "order",
]
