"""The analyst's explorer: paths from the project root, the controls' callbacks (no browser), the
drill-down from a line to its postings (DuckDB, parameterised, exact pence) and the export."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from openpyxl import load_workbook

from finlib import explorer
from finlib.config import NOTEBOOKS, from_project, project_root
from finlib.core.actuals import YTD
from finlib.core.period import Period
from finlib.errors import InputError
from finlib.inputs import ledger
from finlib.notebook import resolve_paths
from finlib.report.explorer import ExplorerData
from finlib.widgets import ALL_HEADINGS, NO_LINE, SECTIONS, Explorer
from tests.conftest import ROOT, SAMPLE

SCS = "Strategic & Corporate Services"
PERIOD = "2017-07"


@pytest.fixture(scope="module")
def gathered() -> ExplorerData:
    return explorer.gather(SAMPLE, PERIOD, None, "what-if")


@pytest.fixture
def controls(gathered: ExplorerData, tmp_path: Path) -> Explorer:
    """The explorer on the sample, reading each period once for the whole module."""
    cache = {gathered.period: gathered}

    def gather(data: object, period: object, last: object, scenario: object) -> ExplorerData:
        key = Period.parse(str(period))
        if key not in cache:
            cache[key] = explorer.gather(SAMPLE, key, None, "what-if")
        return cache[key]

    return Explorer(SAMPLE, PERIOD, directorate=SCS, scenario="what-if", export=tmp_path / "out", gather=gather)


# ---------------------------------------------------------------------------
# Paths from the project root


def test_relative_paths_are_read_from_the_project_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert project_root() == ROOT
    assert from_project("data/sample") == SAMPLE
    assert from_project(tmp_path / "elsewhere") == tmp_path / "elsewhere"
    given = {"data": "data/sample", "export": None, "scenario": "what-if", "top": 3}
    assert resolve_paths(given) == {"data": str(SAMPLE), "export": None, "scenario": "what-if", "top": 3}
    assert resolve_paths({"scenario": "my/what-if.csv"})["scenario"] == str(ROOT / "my" / "what-if.csv")


def test_the_explorer_runs_from_the_notebooks_folder_with_its_default_parameters(tmp_path: Path) -> None:
    """As JupyterLab runs it: the kernel starts in notebooks/, where data/sample is not."""
    out = tmp_path / "explorer.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "explorer.ipynb"), str(out), cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False
    )
    executed = nbformat.read(out, as_version=4)  # type: ignore[no-untyped-call]
    shown = "".join(
        str(o.get("data", {}).get("text/html", "")) for c in executed.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "Forecast explorer: Strategic &amp; Corporate Services" in shown
    assert "actuals by cost centre" in shown and "largest of" in shown  # the drill-down of the first line
    widgets = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    assert any("application/vnd.jupyter.widget-view+json" in o["data"] for o in widgets)


# ---------------------------------------------------------------------------
# The controls, without a browser


def test_the_first_selection_is_drawn_with_the_largest_line_drilled_into(controls: Explorer) -> None:
    period, directorate, heading, line = controls.selection
    assert (str(period), directorate, heading) == (PERIOD, SCS, None)
    assert line == controls.line.options[1][1] and controls.line.options[0] == (NO_LINE, None)
    for name in SECTIONS:
        (shown,) = controls.outputs[name].outputs
        assert shown["data"]["text/html"] == f'<div class="finlib">{controls.section_html(name)}</div>'
    assert "Strategic &amp; Corporate Services, July 2017-18" in controls.section_html("position")


def test_choosing_a_heading_redraws_the_sections_in_place(controls: Explorer) -> None:
    before = controls.outputs["position"].outputs
    heading = controls.heading.options[2][1]
    controls.heading.value = heading
    assert controls.selection[2] == heading
    assert controls.outputs["position"].outputs != before
    assert f"{SCS} — {heading}".replace("&", "&amp;") in controls.section_html("position")
    assert controls.exploration.view.position.name == "lines"
    assert controls.selection[3] in controls.exploration.view.largest.frame["line_id"].tolist()


def test_choosing_a_directorate_offers_its_headings_only(controls: Explorer, gathered: ExplorerData) -> None:
    other = gathered.directorates()[0]
    controls.directorate.value = other
    assert [label for label, _ in controls.heading.options] == [ALL_HEADINGS, *gathered.headings(other)]
    assert controls.selection[1:3] == (other, None)
    assert controls.exploration.view.title == other
    controls.directorate.value = None
    assert controls.exploration.view.position.name == "authority"


def test_choosing_a_line_redraws_its_drill_down(controls: Explorer) -> None:
    first = controls.drill
    controls.line.value = controls.line.options[2][1]
    assert controls.drill is not None and first is not None and controls.drill.line_id != first.line_id
    assert controls.drill.line_id in controls.section_html("drill")
    controls.line.value = None
    assert controls.drill is None and "Choose a budget line" in controls.section_html("drill")


def test_choosing_a_period_reads_it_and_keeps_the_selection(controls: Explorer) -> None:
    controls.period.value = "2017-05"
    assert str(controls.exploration.view.period) == "2017-05"
    assert controls.selection[1] == SCS
    assert "May 2017-18" in controls.section_html("position")


def test_a_choice_that_cannot_be_shown_says_why(controls: Explorer) -> None:
    controls.period.options = [*controls.period.options, ("June 2017-18", "2017-06")]
    controls.period.value = "2017-06"  # no folder of inputs for June
    assert "2017-06" in controls.status.value
    assert all("2017-06" in controls.section_html(name) for name in SECTIONS)
    controls.export_button.click()
    assert "Nothing exported" in controls.status.value and not controls.folder.exists()
    controls.period.value = "2017-07"
    assert "Showing" in controls.status.value and controls.export()


def test_a_section_offers_the_live_widget_and_its_html(controls: Explorer) -> None:
    bundle = controls.panel("largest")._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == controls.outputs["largest"].model_id
    assert "The 10 largest revised variances" in bundle["text/html"]
    assert "Forecast explorer" in controls.controls()._repr_mimebundle_()["text/html"]


def test_a_selection_the_budget_book_lacks_is_refused(gathered: ExplorerData) -> None:
    with pytest.raises(KeyError, match="no directorate 'Finance'"):
        Explorer(SAMPLE, PERIOD, directorate="Finance", gather=lambda *_: gathered)
    with pytest.raises(KeyError, match="no budget line 'XX-1'"):
        Explorer(SAMPLE, PERIOD, directorate=SCS, line="XX-1", gather=lambda *_: gathered)


# ---------------------------------------------------------------------------
# Drill-down


def test_a_lines_postings_add_up_to_its_actuals_to_the_penny(gathered: ExplorerData) -> None:
    assert gathered.ledger is not None
    for _, line_id in gathered.lines(SCS, None):
        drill = explorer.drill_down(SAMPLE, gathered, line_id)
        assert drill is not None
        expected = int(gathered.ledger.actuals.lines[YTD].astype("int64")[line_id])
        assert int(drill.postings.frame["amount"].sum()) == expected
        total = drill.centres.frame.iloc[-1]
        assert total["cost_centre"] == "Line total" and int(total[YTD]) == expected
        assert set(drill.postings.frame["period"]) <= {"2017-04", "2017-05", "2017-06", "2017-07"}
        assert str(drill.postings.frame["amount"].dtype) == "Int64"


def _copy_sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    return root


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_cost_centres_reach_the_query_as_parameters_not_text(tmp_path: Path) -> None:
    root = _copy_sample(tmp_path)
    odd = "CC10074'); DROP TABLE x; --"
    for name in ("cost_centres.csv", "ledger.csv"):
        _replace(root / "2017-18" / name, "CC10074", odd)
    postings = ledger.read_postings(root, PERIOD, [odd, "CC10075"])
    assert set(postings["cost_centre"]) == {odd, "CC10075"}
    plain = ledger.read_postings(SAMPLE, PERIOD, ["CC10074", "CC10075"])
    assert postings["amount"].tolist() == plain["amount"].tolist()


def test_parquet_and_csv_give_the_same_postings(tmp_path: Path) -> None:
    import duckdb

    root = _copy_sample(tmp_path)
    folder = root / "2017-18"
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT period, cost_centre, account, CAST(amount AS DECIMAL(18,2)) AS amount, description "
            "FROM read_csv(?, all_varchar=true)) TO ? (FORMAT parquet)",
            [str(folder / "ledger.csv"), str(folder / "ledger.parquet")],
        )
    (folder / "ledger.csv").unlink()
    centres = ["CC10074", "CC10075", "CC10001"]
    from_parquet = ledger.read_postings(root, PERIOD, centres)
    from_csv = ledger.read_postings(SAMPLE, PERIOD, centres)
    pd.testing.assert_frame_equal(from_parquet.drop(columns="row"), from_csv.drop(columns="row"))
    assert (from_parquet["row"] == from_csv["row"] - 1).all()  # Parquet counts records, CSV lines (header = 1)


def test_a_bad_amount_in_a_drill_down_names_file_row_and_column(tmp_path: Path) -> None:
    root = _copy_sample(tmp_path)
    path = root / "2017-18" / "ledger.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines) if ",CC10074," in text)
    cells = lines[number].split(",")
    cells[3] = "12.345"
    lines[number] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ledger.read_postings(root, PERIOD, ["CC10074"])
    (problem,) = caught.value.problems
    assert (problem.file.endswith("ledger.csv"), problem.row, problem.column) == (True, number + 1, "amount")
    assert problem.found == "12.345"


# ---------------------------------------------------------------------------
# Export


def test_the_selection_is_exported_as_csv_and_a_workbook_with_formulas_neutralised(tmp_path: Path) -> None:
    root = _copy_sample(tmp_path)
    path = root / "2017-18" / "ledger.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [t.rsplit(",", 1)[0] + ',"=HYPERLINK(""x"")"' if ",CC10074," in t else t for t in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = explorer.export_selection(
        root, PERIOD, tmp_path / "out", directorate=SCS, line="SCS-INF-AU", scenario="what-if"
    )
    names = {p.name for p in written}
    assert {"directorate.csv", "drill_centres.csv", "drill_postings.csv", "scenario.csv"} <= names
    workbook = next(p for p in written if p.suffix == ".xlsx")
    postings = next(p for p in written if p.name == "drill_postings.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""x"")"' in postings and "-44171.20" in postings
    book = load_workbook(workbook)
    assert "Postings" in book.sheetnames and "Cost centres" in book.sheetnames
    cells = [c for row in book["Postings"].iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_the_export_button_writes_the_selection_on_show(controls: Explorer) -> None:
    controls.heading.value = controls.heading.options[1][1]
    controls.export_button.click()
    assert "Exported" in controls.status.value
    written = sorted(p.name for p in controls.folder.rglob("*") if p.is_file())
    assert any(name.endswith(".xlsx") for name in written) and "lines.csv" in written
