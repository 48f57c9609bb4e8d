"""Shared fixtures: a tiny data set written in the test, and the bundled sample."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from finlib import pack
from finlib.config import NOTEBOOKS, DataSet
from finlib.core.settings import Committee
from finlib.inputs.committees import load_committees
from finlib.pack.exporters import chromium_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
REFERENCE = ROOT / "data" / "reference"

TINY = {
    "authority.yaml": "name: Tiny Council\nthresholds:\n  variance_commentary: 100000\n",
    "2017-18/budget_book.csv": (
        "line_id,directorate,division,heading,kind,tag\n"
        "A1,Alpha Services,North,Roads,service,\n"
        "A2,Alpha Services,North,Roads,service,\n"
        "A3,Alpha Services,South,Parks,service,\n"
        "B1,Beta & Gamma,,Libraries,service,\n"
        "B2,Beta & Gamma,,Libraries,service,Asset Utilisation\n"
        "F1,Financing Items,,Debt charges,financing,\n"
        "S1,Alpha Services,,Schools' Delegated Budgets,schools,\n"
    ),
    "2017-18/2017-05/forecasts.csv": (
        "line_id,net_budget,net_forecast_variance\n"
        "A1,1000.00,10.00\nA2,2000.00,-5.00\nA3,500.00,0\nB1,-300.00,1.00\n"
        "B2,0,50.00\nF1,700.00,-20.00\nS1,0,7.00\n"
    ),
    "2017-18/2017-07/forecasts.csv": (
        "line_id,net_budget,net_forecast_variance\n"
        'A1,"1,000.00",12.34\nA2,£2000,(5.01)\nA3,500.00,0.05\nB1,-300,2.5\n'
        "B2,0,60\nF1,700,-20.49\nS1,0,8\n"
    ),
    "2017-18/2017-07/adjustments.csv": (
        "line_id,amount,reason,author,date\n"
        "A1,-2.00,Management action,Director A,2017-08-10\n"
        "A1,-1.00,More action,Director A,2017-08-11\n"
        "S1,3.00,Schools reserve,Director A,2017-08-12\n"
    ),
    "2017-18/2017-07/roll_forwards.csv": (
        "category,amount,description,line_id\ncommitted,4.00,Grant carried forward,A3\nbids,1.50,Bid,\n"
    ),
}


def write_tree(root: Path, files: Mapping[str, str | None]) -> DataSet:
    """Write ``files`` (relative path → text; ``None`` removes the file) under ``root``."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return DataSet(root)


@pytest.fixture
def tiny(tmp_path: Path) -> DataSet:
    """A tiny authority with a May and a July period (nothing published)."""
    return write_tree(tmp_path / "tiny", TINY)


def explorer_job(**overrides: Any) -> pack.Job:
    """The analysts' forecast explorer on the sample, as a pack job."""
    parameters: dict[str, Any] = {"data": str(SAMPLE), "period": "2017-07", "last_reported": None, "directorate": None}
    parameters |= {"heading": None, "top": 5, "scenario": "what-if", **overrides}
    return pack.Job("explorer", NOTEBOOKS / "explorer.ipynb", parameters, "Forecast explorer")


#: Whether Chromium (Debian's package) is here to print PDFs and run the browser tests.
HAVE_CHROMIUM = Path(chromium_path()).exists()


@pytest.fixture(scope="session")
def sample_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole July pack of the sample (as ``finlib report --pdf`` runs it), plus the explorer, run once
    for every test that reads it."""
    out = tmp_path_factory.mktemp("pack")
    exporters = pack.WITH_PDF if HAVE_CHROMIUM else pack.DEFAULT  # the PDF tests say so where it is missing
    run = pack.monthly_pack(SAMPLE, "2017-07", out, exporters=exporters, progress=False)
    assert not run.failed, [o.error for o in run.failed]
    result = pack.run_pack([explorer_job()], out, progress=False)
    assert not result.failed, [o.error for o in result.failed]
    return out


def sample_committees() -> dict[str, Committee]:
    """The sample's committees, as its committees.yaml gives them."""
    return load_committees(SAMPLE, "2017-07")


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)?")


def scrub(text: str, *folders: Path) -> str:
    """Text with what changes from run to run replaced: the given folders (a test's own data or output
    folder) by ``<folder>``, and ISO timestamps by ``<time>``; for comparing with a snapshot."""
    for folder in folders:
        for form in {str(folder), str(folder.resolve())}:
            text = text.replace(form, "<folder>")
    return ISO_TIME.sub("<time>", text)
