"""The shape of the code: data flows one way, and only the readers, the store and the writers touch files.

Read from the source's own imports (``ast``), so that a change that breaks the design fails here:
- the domain (``finlib.core``) imports no reader, store, report, writer or pack;
- no writer (``finlib.render``) calls the domain: it formats the report model;
- the report model reads no file and imports no reader;
- the command line holds no computation: it imports no domain module;
- outside the readers, the store, the writers and the pack, no module opens a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "finlib"
DOMAIN_RULES = ("finlib.core.revenue", "finlib.core.capital", "finlib.core.commentary", "finlib.core.forecast",
                "finlib.core.scenario", "finlib.core.exempt", "finlib.core.stage", "finlib.core.actuals")  # fmt: skip
READERS = ("finlib.inputs", "finlib.store", "finlib.monitoring", "finlib.explorer")
#: Calls that read or write files.
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "iterdir", "unlink", "glob",
              "rglob", "mkstemp", "mkdtemp", "NamedTemporaryFile", "load_workbook", "copytree", "rmtree"}  # fmt: skip
OS_CALLS = {"replace", "rename", "remove", "listdir", "scandir", "makedirs"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every finlib module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("finlib"):
            found.add(node.module)
            found.update(
                f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in MODULES
            )
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("finlib"))
    return found


def under(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def modules_in(*packages: str) -> list[str]:
    return [name for name in MODULES if under(name, *packages)]


@pytest.mark.parametrize("name", modules_in("finlib.core"))
def test_the_domain_imports_no_reader_writer_or_report(name: str) -> None:
    banned = [m for m in imports(MODULES[name]) if under(m, *READERS, "finlib.report", "finlib.render", "finlib.pack",
                                                         "finlib.config", "finlib.cli", "finlib.notebook")]  # fmt: skip
    assert not banned, f"{name} imports {banned}"


@pytest.mark.parametrize("name", modules_in("finlib.render"))
def test_no_writer_calls_the_domain(name: str) -> None:
    banned = [m for m in imports(MODULES[name]) if under(m, *DOMAIN_RULES, *READERS)]
    assert not banned, f"{name} imports {banned}"


@pytest.mark.parametrize("name", modules_in("finlib.report"))
def test_the_report_model_reads_no_file(name: str) -> None:
    banned = [m for m in imports(MODULES[name]) if under(m, *READERS, "finlib.render", "finlib.pack")]
    assert not banned, f"{name} imports {banned}"


def test_the_command_line_holds_no_computation() -> None:
    banned = [m for m in imports(MODULES["finlib.cli"]) if under(m, *DOMAIN_RULES, "finlib.report.build")]
    assert not banned, f"finlib.cli imports {banned}"


def file_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            on_os = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "os"
            if name in FILE_CALLS or (on_os and name in OS_CALLS):
                found.append(f"{name} (line {node.lineno})")
    return found


TOUCH_FILES = ("finlib.inputs", "finlib.store", "finlib.render", "finlib.pack")
#: Modules allowed to read a file outside those packages, and why.
ALSO_READ = {"finlib.notebook": "reads a notebook's own parameters cell, where its parameters are declared"}


@pytest.mark.parametrize("name", [n for n in MODULES if not under(n, *TOUCH_FILES) and n not in ALSO_READ])
def test_only_readers_the_store_writers_and_the_pack_touch_files(name: str) -> None:
    assert not file_calls(MODULES[name]), f"{name}: {file_calls(MODULES[name])}"


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_call_only_the_notebook_module_and_the_writers(path: Path) -> None:
    banned = [m for m in imports(path) if not under(m, "finlib.notebook", "finlib.render", "finlib")]
    used = [
        m
        for m in imports(path)
        if m not in ("finlib", "finlib.notebook", "finlib.render", "finlib.render.explorer_html")
    ]
    assert not banned and not used, f"{path.name} imports {used or banned}"
