"""The reports in a real browser: no accessibility violations (axe-core), nothing from data runs.

Chromium comes from Debian's packages (`.ci/run` installs it); Playwright drives it, and
axe-playwright-python carries axe-core, so nothing is downloaded.  Outside CI the tests are skipped,
saying why, where Chromium is missing.  A screenshot of every report is written to
``build/screenshots/`` (or ``$FINLIB_SCREENSHOTS``) so that it can be looked at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from finlib import pack
from tests.conftest import ROOT, TINY, write_tree

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("FINLIB_SCREENSHOTS", ROOT / "build" / "screenshots"))

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: apt-get install chromium (see .ci/run)")
    pytest.skip("Chromium is not installed (apt-get install chromium); browser checks skipped", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Browser, path: Path) -> Page:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(path.resolve().as_uri())
    return page


def test_every_report_passes_axe_and_is_screenshotted(browser: Browser, sample_pack: Path) -> None:
    axe = axe_module.Axe()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reports = sorted(sample_pack.glob("*.html"))
    assert len(reports) >= 7
    found: dict[str, list[str]] = {}
    for path in reports:
        page = open_page(browser, path)
        violations = axe.run(page).response["violations"]
        found[path.name] = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations]
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"), full_page=True)
        page.close()
    assert found == {name: [] for name in found}
    assert all((SCREENSHOTS / f"{p.stem}.png").stat().st_size > 10_000 for p in reports)


def test_reports_print_on_a4_without_splitting_rows(browser: Browser, sample_pack: Path) -> None:
    page = open_page(browser, sample_pack / "cabinet.html")
    page.emulate_media(media="print")
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('.finlib tr')].map(r => getComputedStyle(r).breakInside)"
    )
    assert breaks and set(breaks) == {"avoid"}
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 3
    page.close()


def test_negative_figures_carry_a_sign_not_only_a_colour(browser: Browser, sample_pack: Path) -> None:
    page = open_page(browser, sample_pack / "policy-and-resources.html")
    cells = page.evaluate("() => [...document.querySelectorAll('.finlib td.num')].map(c => c.textContent)")
    negatives = [c for c in cells if c.startswith("\u2212")]
    assert negatives, "negative figures are written with a minus sign"
    aligned = page.evaluate(
        "() => [...document.querySelectorAll('.finlib td.num')].map(c => getComputedStyle(c).textAlign)"
    )
    assert set(aligned) == {"right"}
    page.close()


HOSTILE = {
    "heading": "<img src=x onerror=alert(1)>",
    "directorate": "<script>window.__xss='directorate'</script>Beta",
    "explanation": "<img src=x onerror=\"window.__xss='explanation'\">caused by <b>storms</b>",
    "reason": "<svg onload=\"window.__xss='reason'\"></svg>",
}


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Cabinet report of a tiny authority whose names and texts are HTML and script."""
    root = tmp_path_factory.mktemp("hostile")
    book = TINY["2017-18/budget_book.csv"].replace("Roads", HOSTILE["heading"]).replace("Beta & Gamma", "BETA")
    book = book.replace("BETA", '"' + HOSTILE["directorate"].replace('"', '""') + '"')
    explanation = '"' + HOSTILE["explanation"].replace('"', '""') + '"'
    data = write_tree(
        root / "data",
        {
            "2017-18/budget_book.csv": book,
            "2017-18/2017-07/explanations.csv": f'subject,about,text\n"{HOSTILE["heading"]}",variance,{explanation}\n',
            "2017-18/2017-07/adjustments.csv": TINY["2017-18/2017-07/adjustments.csv"].replace(
                "Management action", '"' + HOSTILE["reason"].replace('"', '""') + '"'
            ),
            "authority.yaml": "name: Tiny Council\nthresholds:\n  variance_commentary: 1\n",
        },
    )
    for name, text in TINY.items():
        if not (data.root / name).exists():
            write_tree(data.root, {name: text})
    jobs = pack.plan(data.root, "2017-07", {})
    result = pack.run_pack(jobs, root / "out", progress=False, workers=1)
    assert not result.failed, [o.error for o in result.failed]
    return root / "out" / "cabinet.html"


def test_no_script_from_the_data_runs(browser: Browser, hostile_report: Path) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page = browser.new_page()
    page.on("dialog", dismiss)
    page.goto(hostile_report.resolve().as_uri())
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    text = page.inner_text("body")
    assert HOSTILE["heading"] in text, "the heading is shown as text"
    assert "<script>window.__xss='directorate'</script>Beta" in text
    assert "caused by <b>storms</b>" in text
    assert (
        page.evaluate("() => document.querySelectorAll('.finlib script, .finlib img[onerror], .finlib svg').length")
        == 0
    )
    page.close()
