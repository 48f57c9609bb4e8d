"""The report model: built once from the position stage, read by every writer.

:func:`build_reports` builds the Cabinet report and every committee's extract, choosing the public or
the officers' version once; :func:`order` gives the order of a report's parts.
"""

from finlib.core.settings import Committee
from finlib.report.build import Reports, build_report, build_reports, for_committee
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
    "Reports",
    "Section",
    "Table",
    "build_report",
    "build_reports",
    "for_committee",
    "order",
]
