"""What the notebooks call: parameter checking, building the report, and display.

A notebook is a view: its ``parameters`` cell, a few calls into this module, and display.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from finlib import charts
from finlib.errors import UsageError
from finlib.explore import ExplorerView, explorer_view
from finlib.monitoring import monitor
from finlib.params import NOTEBOOK_PARAMETERS, check_parameters, given_parameters, load_committees
from finlib.report import Report, build_report, for_committee
from finlib.store import load_prepared


def names(namespace: dict[str, Any]) -> set[str]:
    """The names a notebook's namespace holds before its parameters are set."""
    return set(namespace)


def parameters(notebook: str, namespace: dict[str, Any], before: set[str]) -> dict[str, Any]:
    """The notebook's parameters, checked: each of its type, and no unknown ones.

    A name added to the namespace since ``before`` (taken just ahead of the parameters cell) that is
    not one of the notebook's parameters was passed in by mistake, and is rejected.
    """
    values = {name: namespace[name] for name in NOTEBOOK_PARAMETERS[notebook] if name in namespace}
    values.update(given_parameters({k: v for k, v in namespace.items() if k not in before}))
    return check_parameters(notebook, values)


def cabinet_report(params: dict[str, Any]) -> Report:
    """The period's report model: the one ``finlib report`` prepared for its notebooks, or built here."""
    if params.get("prepared"):
        prepared = load_prepared(Path(params["prepared"]))
        report = prepared.get("report") if isinstance(prepared, dict) else None
        if not isinstance(report, Report) or report.period != params["period"]:
            raise UsageError(f"{params['prepared']} is not a prepared report of {params['period']}")
        if report.restricted != params["restricted"]:
            raise UsageError(
                f"{params['prepared']} is not the {'restricted' if params['restricted'] else 'public'} report"
            )
        charts.remember(prepared.get("charts", {}))
        return report
    monitoring = monitor(params["data"], params["period"], params["last_reported"])
    return build_report(monitoring, restricted=params["restricted"])


def committee_report(params: dict[str, Any]) -> Report:
    report = cabinet_report(params)
    committees = load_committees(directorates=[s.name for s in report.sections])
    key = params["committee"]
    if key not in committees:
        raise UsageError(f"unknown committee {key!r}; params/committees.yaml has: {', '.join(committees)}")
    return for_committee(report, committees[key])


def explorer(params: dict[str, Any]) -> ExplorerView:
    monitoring = monitor(params["data"], params["period"], params["last_reported"])
    try:
        return explorer_view(monitoring, params["directorate"], params["heading"], params["top"])
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from exc


def show(*fragments: str) -> None:
    """Display HTML fragments as one styled block."""
    from IPython.display import HTML, display

    from finlib.render.html import wrap

    display(HTML(wrap(*fragments)))
