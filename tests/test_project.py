"""The project's set-up: conda and pip users get the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT


def normalise(requirement: str) -> str:
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip()).groups()  # type: ignore[union-attr]
    return re.sub(r"[-_.]+", "-", name).lower() + spec.replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    entries = [d for d in environment["dependencies"] if isinstance(d, str)]
    for section in (d for d in environment["dependencies"] if isinstance(d, dict)):
        entries += [d for d in section.get("pip", []) if not d.startswith("-e")]
    listed = {normalise(d) for d in entries}
    listed = {d for d in listed if d != "pip" and not d.startswith(("python=", "python>", "python<"))}
    assert listed == wanted
