"""The explorer's controls: choose a period, a directorate, a heading and a line, and every section
of the explorer is drawn again in place; export the selection with a button.

Each section is an :class:`ipywidgets.Output` whose contents are replaced when a choice changes (the
callbacks are plain methods, so a test sets a control's value and reads the section's HTML).  A
section is displayed as a :class:`Panel`, which offers JupyterLab the live widget and, beside it, the
section's HTML for the default selection: a notebook run headless (papermill, the pack's HTML) shows
that HTML, as no widget can run there.

The data of a period are gathered once (:func:`finlib.explorer.gather`) and kept; a new directorate,
heading or line is a view of them, and only a line's drill-down reads the ledger again (DuckDB).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from finlib import explorer
from finlib.config import DataSet
from finlib.core.period import Period
from finlib.errors import FinlibError, UsageError
from finlib.render import explorer_html as page
from finlib.render import html
from finlib.render.selection import write_selection
from finlib.report.explorer import DrillDown, Exploration, ExplorerData, exploration

WHOLE_AUTHORITY = "Whole authority"
ALL_HEADINGS = "All headings"
NO_LINE = "No line"
#: The explorer's sections, in reading order; each is one Output widget.
SECTIONS = ("header", "position", "history", "largest", "drill", "actuals", "methods", "forecast_history", "scenario")


class Panel:
    """A section as displayed: the live Output widget, with the section's HTML for where widgets cannot run."""

    def __init__(self, widget: widgets.Widget, text: Callable[[], str]):
        self.widget = widget
        self._text = text

    def html(self) -> str:
        return self._text()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = dict(self.widget._repr_mimebundle_() or {})
        bundle["text/html"] = self.html()
        return bundle


def _shown(fragment: str) -> tuple[dict[str, Any], ...]:
    """An Output widget's contents: one display of the fragment as styled HTML."""
    return ({"output_type": "display_data", "data": {"text/html": html.wrap(fragment)}, "metadata": {}},)


class Explorer:
    """The explorer's controls and sections for one data set.

    ``gather`` (for tests) reads a period's data; by default :func:`finlib.explorer.gather`.
    Raises :class:`~finlib.errors.FinlibError` or ``KeyError`` when the first selection cannot be shown;
    later, a choice that cannot be shown says why in the status line and in every section.
    """

    def __init__(
        self,
        data: DataSet | Path | str,
        period: Period | str,
        *,
        last_reported: Period | str | None = None,
        directorate: str | None = None,
        heading: str | None = None,
        line: str | None = None,
        top: int = 10,
        scenario: str | Path | None = None,
        export: Path | str = Path("reports/explorer"),
        periods: Sequence[Period] | None = None,
        gather: Callable[..., ExplorerData] = explorer.gather,
    ):
        self.data = DataSet.at(data)
        first = Period.parse(period)
        self.top, self.scenario, self.folder = top, scenario, Path(export)
        self._gather = gather
        self._first, self._last_reported = first, last_reported
        self._cache: dict[Period, ExplorerData] = {}
        self._quiet = False
        self._error: str | None = None  # why the current choice cannot be shown
        known = list(periods) if periods is not None else explorer.periods(self.data, first.financial_year)
        choices = sorted({*known, first})
        gathered = self.gathered(first)
        first_view = exploration(gathered, directorate, heading, top)  # a selection the budget book lacks: KeyError
        if line is not None and line not in [value for _, value in gathered.lines(directorate, heading)]:
            raise KeyError(f"no budget line {line!r} in {first_view.view.title}")

        self.period = widgets.Dropdown(description="Period", options=[(p.label, str(p)) for p in choices])
        self.period.value = str(first)
        self.directorate = widgets.Dropdown(description="Directorate")
        self.heading = widgets.Dropdown(description="Heading")
        self.line = widgets.Dropdown(description="Line")
        self.export_button = widgets.Button(description="Export selection", tooltip="CSV files and a workbook")
        self.status = widgets.HTML()
        self.outputs = {name: widgets.Output() for name in SECTIONS}
        self.exploration: Exploration
        self.drill: DrillDown | None = None
        self._html: dict[str, str] = {}

        self._set_choices(gathered, directorate, heading, line)
        self.render()
        self.period.observe(self._on_period, names="value")
        self.directorate.observe(self._on_directorate, names="value")
        self.heading.observe(self._on_heading, names="value")
        self.line.observe(self._on_line, names="value")
        self.export_button.on_click(lambda _: self._on_export())

    # -- the data -------------------------------------------------------------------------------

    def gathered(self, period: Period) -> ExplorerData:
        """A period's data, read once."""
        if period not in self._cache:
            last = self._last_reported if period == self._first else None
            self._cache[period] = self._gather(self.data, period, last, self.scenario)
        return self._cache[period]

    @property
    def selection(self) -> tuple[Period, str | None, str | None, str | None]:
        """The chosen period, directorate, heading and line (``None``: all of them, or no line)."""
        return Period.parse(self.period.value), self.directorate.value, self.heading.value, self.line.value

    # -- the choices ----------------------------------------------------------------------------

    def _set_choices(
        self, gathered: ExplorerData, directorate: str | None, heading: str | None, line: str | None
    ) -> None:
        """Fill the directorate, heading and line lists from the period's budget book, keeping what was
        chosen where it is still there; the line defaults to the selection's largest variance."""
        self._quiet = True
        try:
            directorates = gathered.directorates()
            directorate = directorate if directorate in directorates else None
            self.directorate.options = [(WHOLE_AUTHORITY, None), *((d, d) for d in directorates)]
            self.directorate.value = directorate
            headings = gathered.headings(directorate)
            heading = heading if heading in headings else None
            self.heading.options = [(ALL_HEADINGS, None), *((h, h) for h in headings)]
            self.heading.value = heading
            lines = gathered.lines(directorate, heading)
            ids = [value for _, value in lines]
            chosen = line if line in ids else (ids[0] if ids and gathered.ledger is not None else None)
            self.line.options = [(NO_LINE, None), *lines]
            self.line.value = chosen
        finally:
            self._quiet = False

    def _on_period(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._guarded(lambda: self._choose(Period.parse(str(change["new"]))))

    def _on_directorate(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._guarded(lambda: self._choose(Period.parse(self.period.value)))

    def _on_heading(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._guarded(lambda: self._choose(Period.parse(self.period.value)))

    def _on_line(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._guarded(lambda: self.render(("drill",)))

    def _choose(self, period: Period) -> None:
        gathered = self.gathered(period)
        self._set_choices(gathered, self.directorate.value, self.heading.value, self.line.value)
        self.render()

    def _guarded(self, action: Callable[[], None]) -> None:
        """Run a callback; a choice that cannot be shown says why instead of failing silently."""
        try:
            action()
        except (FinlibError, KeyError, ValueError) as error:
            text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
            self._error = text
            self.status.value = page.message(text)
            for name in SECTIONS:
                self._html[name] = page.message(text)
                self.outputs[name].outputs = _shown(self._html[name])

    # -- drawing --------------------------------------------------------------------------------

    def render(self, sections: Sequence[str] = SECTIONS) -> None:
        """Build the selection's views and draw ``sections`` (all of them by default) in place."""
        period, directorate, heading, line = self.selection
        gathered = self.gathered(period)
        if "drill" not in sections or len(sections) > 1:
            self.exploration = exploration(gathered, directorate, heading, self.top)
        self.drill = explorer.drill_down(self.data, gathered, line) if line else None
        shown = self.exploration
        fragments = {
            "header": html.style() + page.explorer_header(shown.view),
            "position": page.explorer_position(shown.view),
            "history": page.explorer_history(shown.view),
            "largest": page.explorer_largest(shown.view),
            "drill": page.drill(shown, self.drill),
            "actuals": page.actuals(shown),
            "methods": page.methods(shown),
            "forecast_history": page.history(shown),
            "scenario": page.scenario(shown),
        }
        for name in sections:
            self._html[name] = fragments[name]
            self.outputs[name].outputs = _shown(fragments[name])
        self._error = None
        self.status.value = page.message(f"Showing {shown.view.title}, {period.label}.")

    def section_html(self, name: str) -> str:
        """A section's HTML as now drawn."""
        return self._html[name]

    def panel(self, name: str) -> Panel:
        """A section, to display in a notebook cell."""
        return Panel(self.outputs[name], lambda: html.wrap(self._html[name]))

    def controls(self) -> Panel:
        """The header, the four choices and the export button, to display in a notebook cell."""
        box = widgets.VBox(
            [
                self.outputs["header"],
                widgets.HBox([self.period, self.directorate]),
                widgets.HBox([self.heading, self.line]),
                widgets.HBox([self.export_button, self.status]),
            ]
        )
        return Panel(box, lambda: html.wrap(self._html["header"]))

    # -- export ---------------------------------------------------------------------------------

    def export(self, folder: Path | str | None = None) -> list[Path]:
        """Write the current selection (and the line's drill-down) as CSV files and a workbook.

        Raises :class:`~finlib.errors.UsageError` while the chosen selection cannot be shown (nothing of
        an earlier selection is written in its name).
        """
        if self._error is not None:
            raise UsageError(f"the selection cannot be exported: {self._error}")
        return write_selection(self.exploration, self.drill, Path(folder) if folder else self.folder)

    def _on_export(self) -> None:
        try:
            written = self.export()
        except (FinlibError, OSError) as error:
            self.status.value = page.message(f"Nothing exported: {error}")
            return
        self.status.value = page.message(f"Exported {len(written)} files to {self.folder}: {written[-1].name} and CSV.")
