"""What an executed notebook becomes: a list of exporters, each writing one file of the report.

An exporter takes the executed notebook (and what the exporters before it produced) and returns the
bytes of its file.  The pack runs them in order for every report and writes each file whole or not at
all; a new output (PDF, another format) is one more exporter.
"""

from __future__ import annotations

import copy
import functools
import re
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

    def ready(self) -> None:
        """Raise :class:`~finlib.errors.UsageError` if this exporter cannot run here (checked before any
        notebook runs)."""
        ...


OUTPUT_TAB_STOP = re.compile(r'(<div class="[^"]*\bjp-OutputArea-output\b[^"]*"[^>]*?) tabindex="0"')


#: The outputs a report shows, the first a cell has: never a live widget (the page runs no script), so the
#: explorer's sections show the HTML they carry beside their widgets.
DISPLAY_PRIORITY = ("text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain")


@functools.cache
def _html_exporter() -> Any:
    """One nbconvert HTML exporter a process: its templates are loaded once."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    return HTMLExporter(  # type: ignore[no-untyped-call]
        config=Config({"NbConvertBase": {"display_data_priority": list(DISPLAY_PRIORITY)}}),
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

    def ready(self) -> None:
        return None

    def export(self, notebook: Any, title: str, done: Mapping[str, bytes]) -> bytes:
        if "widgets" in notebook.metadata:  # the explorer's widget state: the page loads no widget to use it
            notebook = copy.deepcopy(notebook)
            del notebook.metadata["widgets"]
        body, _ = _html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
        # nbconvert makes every output a tab stop, for outputs that scroll; a report's outputs never do
        # (each wide table scrolls in its own labelled region), so a keyboard reader goes straight from
        # the skip link to the contents, then through the links and the tables
        return OUTPUT_TAB_STOP.sub(r"\1", str(body)).encode("utf-8")


HTML = HtmlExporter()
DEFAULT: tuple[Exporter, ...] = (HTML,)


# ---------------------------------------------------------------------------
# PDF: the HTML report printed by Chromium (Debian's package), through Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
HEADER_STYLE = "font-family: Arial, sans-serif; font-size: 8pt; color: #333; width: 100%; margin: 0 14mm;"
#: Open every chart's table of figures before printing (a closed <details> prints closed in Chromium).
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => d.open = true)"
#: The running header a report names for its pages (set by finlib.render.html).
RUNNING_HEADER = "() => document.querySelector('meta[name=finlib-running-header]')?.content ?? document.title"
#: The running header carries RESTRICTED and DRAFT, so the page's own margin marks are not printed twice.
NO_PAGE_MARKS = "() => document.querySelectorAll('style.page-marks').forEach(s => s.remove())"


MISSING_CHROMIUM = "--pdf needs Chromium, not found at {path}: apt-get install chromium (or set FINLIB_CHROMIUM)"


def chromium_path() -> str:
    """Where Chromium is: ``$FINLIB_CHROMIUM``, else ``chromium`` on the path, else Debian's ``/usr/bin/chromium``."""
    import os
    import shutil

    return os.environ.get("FINLIB_CHROMIUM") or shutil.which("chromium") or CHROMIUM


@functools.cache
def _browser() -> Any:
    """One headless Chromium a process, started on first use and closed when the process ends."""
    import atexit
    from multiprocessing import util as mp_util

    from playwright.sync_api import sync_playwright

    PDF.ready()
    path = chromium_path()
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=list(CHROMIUM_ARGS))

    def stop() -> None:
        try:
            browser.close()
        finally:
            playwright.stop()

    atexit.register(stop)  # in the main process
    mp_util.Finalize(None, stop, exitpriority=5)  # in a worker of the pool, which ends without atexit
    return browser


#: RESTRICTED and DRAFT stand out in the running header.
MARKS = ("RESTRICTED", "DRAFT")
MARK_STYLE = "font-weight: 700; font-size: 9pt; color: #7a0019;"


def _template(text: str) -> str:
    """The running header: its marks (RESTRICTED, DRAFT) in bold dark red, then the committee and meeting."""
    from html import escape

    parts = text.split(" · ")
    shown = [f'<span style="{MARK_STYLE}">{escape(p)}</span>' if p in MARKS else escape(p) for p in parts]
    return f'<div style="{HEADER_STYLE}">{" · ".join(shown)}</div>'


def print_pdf(html: bytes) -> bytes:
    """An HTML report as a tagged A4 PDF: a running header, "Page n of m", the figures' tables open."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="finlib-pdf-") as folder:
        source = Path(folder) / "report.html"
        source.write_bytes(html)
        page = _browser().new_page()
        try:
            page.goto(source.as_uri(), wait_until="load")
            page.evaluate(OPEN_DETAILS)
            page.evaluate(NO_PAGE_MARKS)
            header = str(page.evaluate(RUNNING_HEADER))
            footer = (
                f'<div style="{HEADER_STYLE} text-align: right;">Page <span class="pageNumber"></span> of '
                '<span class="totalPages"></span></div>'
            )
            pdf: bytes = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=_template(header),
                footer_template=footer,
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                tagged=True,
                outline=True,
            )
        finally:
            page.close()
    return pdf


@dataclass(frozen=True)
class PdfExporter:
    """The report as a tagged A4 PDF, printed from its HTML by Chromium (the HTML exporter must run first)."""

    name: str = "pdf"
    suffix: str = ".pdf"

    def ready(self) -> None:
        from finlib.errors import UsageError

        if not Path(chromium_path()).exists():
            raise UsageError(MISSING_CHROMIUM.format(path=chromium_path()))

    def export(self, notebook: Any, title: str, done: Mapping[str, bytes]) -> bytes:
        if "html" not in done:
            raise ValueError("the PDF is printed from the HTML: put the HTML exporter first")
        return print_pdf(done["html"])


PDF = PdfExporter()
WITH_PDF: tuple[Exporter, ...] = (HTML, PDF)
