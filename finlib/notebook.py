"""What the notebooks call: their parameters checked, the report or the exploration, and display.

A notebook is a view: its ``parameters`` cell, a few calls into this module, and display.  Each
notebook's parameters are declared, with their types, in its own ``parameters`` cell
(``period: str = "2017-07"``, ``last_reported: Optional[str] = None``); :func:`spec` reads them from
there, so the notebook is the one place that says what it takes, and :func:`parameters` refuses
unknown or ill-typed ones.
"""

from __future__ import annotations

import ast
import functools
import json
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finlib.config import EXPLORER_EXPORTS, NOTEBOOKS, from_project, project_root
from finlib.core.period import Period
from finlib.errors import UsageError
from finlib.pack.handoff import load_prepared
from finlib.render import charts, html
from finlib.report import Report
from finlib.report.build import Reports, build_reports

if TYPE_CHECKING:  # each loaded by the notebook that uses it: a report's kernel holds none of them
    from finlib.dashboard import DashboardPaper
    from finlib.report.explorer import Exploration
    from finlib.widgets import Explorer


@dataclass(frozen=True)
class Spec:
    """One notebook parameter: its type(s) and whether it may be None, as its annotation says."""

    kinds: tuple[type, ...]
    optional: bool = False


_TYPES: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float}
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}
#: Parameters naming a file or folder: a relative one is read from the project root (:func:`resolve_paths`).
PATH_PARAMETERS = ("data", "prepared", "export")


def _annotation(node: ast.expr, where: str) -> Spec:
    """``str``, ``int``, ``bool``, ``float`` or ``Optional[...]`` of one of them → a :class:`Spec`.

    ``Optional[str]`` rather than ``str | None``: papermill reads annotations of that form only.
    """
    optional = isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Optional"
    inner = node.slice if isinstance(node, ast.Subscript) and optional else node
    if not (isinstance(inner, ast.Name) and inner.id in _TYPES):
        raise ValueError(f"{where}: a parameter's annotation is str, int, bool or float, or Optional[...] of one")
    return Spec((_TYPES[inner.id],), optional=optional)


@functools.cache
def spec(notebook: str, folder: Path = NOTEBOOKS) -> dict[str, Spec]:
    """The parameters a notebook declares in its ``parameters`` cell, each with its type."""
    path = folder / f"{notebook}.ipynb"
    document = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in document["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{path}: expected one cell tagged parameters, found {len(cells)}")
    source = "".join(cells[0]["source"])
    declared: dict[str, Spec] = {}
    for statement in ast.parse(source).body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            raise ValueError(f"{path}: every line of the parameters cell is 'name: type = default'")
        declared[statement.target.id] = _annotation(statement.annotation, f"{path}, {statement.target.id}")
    return declared


def names(namespace: dict[str, Any]) -> set[str]:
    """The names a notebook's namespace holds before its parameters are set."""
    return set(namespace)


def given_parameters(namespace: dict[str, Any]) -> dict[str, Any]:
    """The variables a notebook's namespace holds, leaving out modules, functions and IPython's own."""
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in _IPYTHON_NAMES
        and not isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type)
    }


def check_parameters(notebook: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check a notebook's parameters: no unknown names, each of its type. Raises UsageError."""
    declared = spec(notebook)
    problems = []
    for name in sorted(set(values) - set(declared)):
        problems.append(f"unknown parameter {name!r} (the {notebook} notebook takes: {', '.join(declared)})")
    for name, rule in declared.items():
        if name not in values:
            problems.append(f"parameter {name!r} is missing")
            continue
        value = values[name]
        if value is None and rule.optional:
            continue
        if (isinstance(value, bool) and bool not in rule.kinds) or not isinstance(value, rule.kinds):
            wanted = " or ".join(k.__name__ for k in rule.kinds) + (" or None" if rule.optional else "")
            problems.append(f"parameter {name!r} is {value!r} ({type(value).__name__}); expected {wanted}")
    if problems:
        raise UsageError(f"the {notebook} notebook's parameters are wrong:\n  " + "\n  ".join(problems))
    return {name: values[name] for name in declared}


def parameters(notebook: str, namespace: dict[str, Any], before: set[str]) -> dict[str, Any]:
    """The notebook's parameters, checked: each of its type, and no unknown ones.

    A name added to the namespace since ``before`` (taken just ahead of the parameters cell) that is
    not one of the notebook's parameters was passed in by mistake, and is rejected.
    """
    values = {name: namespace[name] for name in spec(notebook) if name in namespace}
    values.update(given_parameters({k: v for k, v in namespace.items() if k not in before}))
    return resolve_paths(check_parameters(notebook, values))


def resolve_paths(params: dict[str, Any]) -> dict[str, Any]:
    """Relative paths among the parameters read from the project root, not the kernel's working folder.

    JupyterLab starts a notebook's kernel in the notebook's folder (``notebooks/``), papermill in
    whatever folder it is given: ``data/sample`` means the project's sample either way.  A scenario
    given as a path (``my/what-if.csv``, rather than a name in the data set's ``scenarios/``) likewise.
    """
    resolved = dict(params)
    for name in PATH_PARAMETERS:
        if isinstance(resolved.get(name), str):
            resolved[name] = str(from_project(resolved[name]))
    scenario = resolved.get("scenario")
    if isinstance(scenario, str) and (Path(scenario).suffix or len(Path(scenario).parts) > 1):
        resolved["scenario"] = str(from_project(scenario))
    return resolved


# ---------------------------------------------------------------------------
# The reports


def _reports(params: dict[str, Any]) -> Reports:
    """The period's report models: the ones ``finlib report`` prepared for its notebooks, or built here."""
    period = Period.parse(params["period"])
    if params.get("prepared"):
        prepared = load_prepared(Path(params["prepared"]), params.get("prepared_sha256"))
        if prepared is None or prepared.reports.cabinet.period != period:
            raise UsageError(f"{params['prepared']} is not a prepared report of {period}")
        if prepared.reports.cabinet.restricted != params["restricted"]:
            raise UsageError(
                f"{params['prepared']} is not the {'restricted' if params['restricted'] else 'public'} report"
            )
        charts.remember(prepared.charts)
        return prepared.reports
    last = Period.parse(params["last_reported"], "last_reported") if params["last_reported"] else None
    from finlib.monitoring import monitor, reporting

    monitoring = monitor(params["data"], period, last)
    committees, papers = reporting(params["data"], monitoring, params.get("committee"))
    return build_reports(monitoring, committees, params["restricted"], papers)


def report(params: dict[str, Any]) -> Report:
    """The Cabinet report, or the committee's extract when the parameters name a committee."""
    reports = _reports(params)
    key = params.get("committee")
    if key is not None and key not in reports.extracts:
        raise UsageError(f"unknown committee {key!r}; the data set's committees are: {', '.join(reports.extracts)}")
    return reports.get(key)


def dashboard(params: dict[str, Any]) -> DashboardPaper:
    """The Performance Dashboard paper of the committee the parameters name (Cabinet's without one)."""
    from finlib import dashboard as dashboards

    key = params.get("committee") or dashboards.CABINET
    built = dashboards.gather(params["data"], params["period"], key)
    if key not in built.papers:
        raise UsageError(f"{key}: no Performance Dashboard: no indicator of kpis.csv is in its remit")
    return built.papers[key]


def dashboard_fragments(shown: DashboardPaper) -> list[str]:
    """A dashboard paper's parts as HTML: its cover, then each numbered section."""
    return html.dashboard_fragments(shown.paper, shown.authority)


def fragments(built: Report) -> list[str]:
    """The report's parts as HTML, in the order :func:`finlib.report.order` gives."""
    return html.fragments(built)


def explore(params: dict[str, Any]) -> Exploration:
    """What the forecast explorer shows for the notebook's selection, gathered once."""
    from finlib.explorer import explore as gather

    try:
        return gather(
            params["data"],
            params["period"],
            params["last_reported"],
            params["directorate"],
            params["heading"],
            params["top"],
            params["scenario"],
        )
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from exc


def explorer(params: dict[str, Any]) -> Explorer:
    """The explorer's controls and sections for the notebook's selection (its default selection drawn)."""
    from finlib.widgets import Explorer

    try:
        return Explorer(
            params["data"],
            params["period"],
            last_reported=params["last_reported"],
            directorate=params["directorate"],
            heading=params["heading"],
            line=params["line"],
            top=params["top"],
            scenario=params["scenario"],
            export=params["export"] or from_project(EXPLORER_EXPORTS),
        )
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from exc


def export(chosen: Explorer, params: dict[str, Any]) -> None:
    """With the parameter ``export`` set, write the selection there now (a run without widgets can export
    too); say where the Export button writes either way."""
    folder = chosen.folder
    root = project_root()
    where = str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder)
    if params["export"]:
        written = chosen.export()
        show(html.paragraphs([f"Exported {len(written)} files to {where}, among them {written[-1].name}."]))
    else:
        show(html.paragraphs([f"The Export selection button writes CSV files and a workbook to {where}."]))


def show(*fragments: str) -> None:
    """Display HTML fragments as one styled block."""
    from IPython.display import HTML, display

    display(HTML(html.wrap(*fragments)))  # type: ignore[no-untyped-call]
