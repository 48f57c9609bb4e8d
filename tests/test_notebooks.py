"""Notebooks: thin, stored clean, paired with their text form, parameters checked, all executed."""

from __future__ import annotations

import ast
import json

import jupytext
import nbformat
import papermill
import pytest

from finlib.config import NOTEBOOKS
from finlib.notebook import spec

NAMES = ["cabinet", "committee", "dashboard", "explorer"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_thin_and_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None, "stored without outputs"
        tree = ast.parse(cell.source)
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
        assert not defined, f"{name}: functions and classes belong in finlib"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_and_its_text_form_agree(name: str) -> None:
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    text = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in text.cells]
    assert stored.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("name", NAMES)
def test_declared_parameters_are_the_checked_ones_with_their_types(name: str) -> None:
    declared = papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
    assert set(declared) == set(spec(name))
    for parameter, details in declared.items():
        assert details["inferred_type_name"] not in ("None", ""), f"{name}: {parameter} has no type"
        rule = spec(name)[parameter]
        assert rule.optional == details["inferred_type_name"].startswith("Optional["), parameter


def test_notebooks_keep_no_stray_files() -> None:
    names = sorted(p.name for p in NOTEBOOKS.iterdir() if not p.name.startswith("."))
    assert names == sorted(["README.md", *(f"{n}.ipynb" for n in NAMES), *(f"{n}.py" for n in NAMES)])
    for name in NAMES:
        json.loads((NOTEBOOKS / f"{name}.ipynb").read_text())
