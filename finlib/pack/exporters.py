"""What an executed notebook becomes: a list of exporters, each writing one file of the report.

An exporter takes the executed notebook (and what the exporters before it produced) and returns the
bytes of its file.  The pack runs them in order for every report and writes each file whole or not at
all; a new output (PDF, another format) is one more exporter.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class Exporter(Protocol):
    """One kind of file a report is written as."""

    @property
    def name(self) -> str:
        """``html``, ``pdf``: the key of the outcome's files."""
        ...

    @property
    def suffix(self) -> str:
        """``.html``, ``.pdf``."""
        ...

    def export(self, notebook: Any, title: str, done: Mapping[str, bytes]) -> bytes:
        """The file's bytes for an executed notebook; ``done`` holds the earlier exporters' files by name."""
        ...


@functools.cache
def _html_exporter() -> Any:
    """One nbconvert HTML exporter a process: its templates are loaded once."""
    from nbconvert import HTMLExporter

    return HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


@dataclass(frozen=True)
class HtmlExporter:
    """The report as one HTML page: no code, no prompts, no script loaded from elsewhere."""

    name: str = "html"
    suffix: str = ".html"

    def export(self, notebook: Any, title: str, done: Mapping[str, bytes]) -> bytes:
        body, _ = _html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
        return str(body).encode("utf-8")


HTML = HtmlExporter()
DEFAULT: tuple[Exporter, ...] = (HTML,)
