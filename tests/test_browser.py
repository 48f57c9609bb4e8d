"""The reports in a real browser: no accessibility violations (axe-core), nothing from data runs.

Chromium comes from Debian's packages (`.ci/run` installs it); Playwright drives it, and
axe-playwright-python carries axe-core, so nothing is downloaded.  Outside CI the tests are skipped,
saying why, where Chromium is missing.  A screenshot of every report is written to
``build/screenshots/`` (or ``$FINLIB_SCREENSHOTS``) so that it can be looked at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from finlib import pack
from finlib.pack.exporters import CHROMIUM_ARGS, chromium_path
from tests.conftest import ROOT, TINY, write_tree

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

CHROMIUM = chromium_path()  # the browser the PDFs are printed with, started the same way
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
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
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


# ---------------------------------------------------------------------------
# Reflow, zoom, signs and focus (WCAG 2.2 1.4.10 reflow, 1.4.4 resize text, 2.4.7 focus visible)

#: Every problem a reader would meet at this width: the page scrolling sideways, a table that can be
#: reached only by scrolling something wider than its own labelled region, cell content cut off.
LAYOUT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  for (const table of document.querySelectorAll('.finlib table')) {
    if (!table.offsetParent) continue;  // a closed disclosure
    const name = (table.caption ? table.caption.textContent : table.className).slice(0, 60);
    const region = table.closest('.table-region');
    if (!region) { problems.push(`${name}: not in a scrolling region`); continue; }
    if (region.getAttribute('role') !== 'region' || !region.getAttribute('aria-labelledby'))
      problems.push(`${name}: its region is not labelled`);
    const box = region.getBoundingClientRect();
    if (box.left < -1 || box.right > width + 1) problems.push(`${name}: its region is wider than the page`);
    const overflow = getComputedStyle(region).overflowX;
    if (table.scrollWidth > region.clientWidth + 1 && !['auto', 'scroll'].includes(overflow))
      problems.push(`${name}: wider than its region, which does not scroll`);
    for (let up = region.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (up.scrollWidth > up.clientWidth + 1 && ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX))
        problems.push(`${name}: reached only by scrolling ${up.className || up.tagName}`);
    }
    for (const cell of table.querySelectorAll('th, td'))
      if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`${name}: cell '${cell.textContent}' is cut off`);
  }
  return problems;
}"""

#: Signed amounts (a sign, the £ and the figure; a table's figures) that a line break splits.
BROKEN_AMOUNTS = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('.finlib .amount, .finlib td.num')) {
    if (!el.offsetParent) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(el.textContent);
  }
  return broken;
}"""

#: Signed amounts in the text that are not held together (outside any .amount).
LOOSE_AMOUNTS = r"""() => {
  const loose = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest('.amount, td, th, style, script, title, img')) continue;
    const found = node.textContent.match(/[+\u2212-]\s*£\s*[\d,.]+m?/g);
    if (found) loose.push(...found);
  }
  return loose;
}"""

WIDTHS = [320, 390, 1280]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name",
    ["cabinet", "policy-and-resources", "environment-transport", "cabinet-dashboard", "policy-and-resources-dashboard"],
)
def test_every_column_is_reachable_and_no_sign_wraps(
    browser: Browser, sample_pack: Path, name: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((sample_pack / f"{name}.html").resolve().as_uri())
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    assert page.evaluate(BROKEN_AMOUNTS) == []
    assert page.evaluate(LOOSE_AMOUNTS) == []
    if width == 320:  # the narrowest: the wide tables do scroll, each within its own region
        scrolling = page.evaluate(
            "() => [...document.querySelectorAll('.finlib .table-region')]"
            ".filter(r => r.offsetParent && r.scrollWidth > r.clientWidth + 1).length"
        )
        assert scrolling >= 1
        captions = page.evaluate(
            "() => [...document.querySelectorAll('.finlib .table-region caption')].filter(c => c.offsetParent)"
            ".filter(c => c.getBoundingClientRect().right"
            " > c.closest('.table-region').getBoundingClientRect().right + 1)"
            ".map(c => c.textContent)"
        )
        assert captions == [], "a wide table's caption wraps within the screen"
        fades = page.evaluate(
            "async () => { const r = [...document.querySelectorAll('.finlib .table-region')]"
            ".find(r => r.offsetParent && r.scrollWidth > r.clientWidth + 1); r.scrollIntoView();"
            " const fade = () => getComputedStyle(r).getPropertyValue('--finlib-fade');"
            " const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));"
            " await frame(); const start = fade(); r.scrollLeft = r.scrollWidth; await frame();"
            " const end = fade(); r.scrollLeft = 0; return [start, end]; }"
        )
        assert fades == ["40px", "0px"], "the right edge fades while more columns lie beyond it"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-320.png"), full_page=False)
        page.locator(".finlib .table-region").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{name}-320-table.png"), full_page=False)
    page.close()


def test_nothing_is_clipped_at_200_percent_zoom(browser: Browser, sample_pack: Path) -> None:
    # 200 % zoom of a 1280 px window: 640 CSS px wide, each CSS px two device pixels
    page = browser.new_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page.goto((sample_pack / "policy-and-resources.html").resolve().as_uri())
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    assert page.evaluate(BROKEN_AMOUNTS) == []
    movement = page.evaluate(
        "() => [...document.querySelectorAll('.finlib thead th')].filter(th => th.textContent === 'Movement')"
        ".map(th => { const r = th.closest('.table-region'); th.scrollIntoView(); "
        "const a = th.getBoundingClientRect(), b = r.getBoundingClientRect(); "
        "return a.left >= b.left - 1 && a.right <= b.right + 1; })"
    )
    assert movement and all(movement), "the Movement column scrolls fully into view"
    labels = page.evaluate(
        "() => [...document.querySelectorAll('.finlib .table-region')]"
        ".filter(r => r.offsetParent && r.scrollWidth > r.clientWidth + 1 && r.querySelector('tbody th'))"
        ".map(r => { r.scrollLeft = r.scrollWidth; const th = r.querySelector('tbody th'); "
        "const a = th.getBoundingClientRect(), b = r.getBoundingClientRect(); "
        "return a.left >= b.left - 1 && a.left < b.right; })"
    )
    assert labels and all(labels), "scrolled to its last column, a table still shows its row labels"
    page.screenshot(path=str(SCREENSHOTS / "policy-and-resources-200pc.png"), full_page=False)
    page.close()


def test_contents_skip_link_and_a_visible_focus_ring(browser: Browser, sample_pack: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((sample_pack / "cabinet.html").resolve().as_uri())
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => { const a = document.activeElement; const r = a.getBoundingClientRect(); "
        "return [a.textContent, a.getAttribute('href'), r.width > 0 && r.height > 0]; }"
    )
    assert skip == ["Skip to the contents", "#contents", True], "the first Tab shows the skip link"
    links = page.evaluate("() => [...document.querySelectorAll('nav#contents a')].map(a => a.getAttribute('href'))")
    assert len(links) >= 8
    assert page.evaluate("(ids) => ids.every(id => document.getElementById(id.slice(1)))", links)
    for _ in range(80):  # Tab on to the first table region
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('table-region')"):
            break
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); "
        "return [document.activeElement.className, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] == "table-region" and ring[1] != "none" and ring[2] >= 2, ring
    page.close()


def test_chart_text_is_at_least_11_px(browser: Browser, sample_pack: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((sample_pack / "cabinet.html").resolve().as_uri())
    sizes = page.evaluate(
        r"""async () => {
          const found = [];
          for (const img of document.querySelectorAll('.finlib figure img')) {
            const svg = atob(img.src.split(',')[1]);
            const box = svg.match(/viewBox="0 0 ([\d.]+)/);
            const fonts = [...svg.matchAll(/font-size: ([\d.]+)px/g)].map(m => parseFloat(m[1]));
            found.push(Math.min(...fonts) * img.clientWidth / parseFloat(box[1]));
          }
          return found;
        }"""
    )
    assert len(sizes) == 11  # the authority's three (variance, bridge, trend) and each directorate's two
    assert min(sizes) >= 11, sizes
    page.close()


HOSTILE = {
    "heading": "<img src=x onerror=alert(1)>",
    "directorate": "<script>window.__xss='directorate'</script>Beta",
    "explanation": "<img src=x onerror=\"window.__xss='explanation'\">caused by <b>storms</b>",
    "reason": "<svg onload=\"window.__xss='reason'\"></svg>",
    "authority": "<script>window.__xss='authority'</script>Tiny Council",
    "label": "<img src=x onerror=\"window.__xss='label'\">TOTAL",
    "committee": "<iframe srcdoc=\"<script>parent.__xss='committee'</script>\"></iframe>Beta Committee",
    "supersede": "<script>window.__xss='supersede'</script>Corrected",
    "signed": "<img src=x onerror=\"window.__xss='signed'\">Dana Director",
}


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack of a tiny authority whose names and texts are HTML and script: its authority's name, a
    label, a committee's name, the reasons of its adjustments, of publishing without an explanation and
    of superseding, and the name signing off, published twice and then reported."""
    import json

    from finlib.cli import main
    from tests.factories import sign_off_every_directorate

    root = tmp_path_factory.mktemp("hostile")
    book = TINY["2017-18/budget_book.csv"].replace("Roads", HOSTILE["heading"]).replace("Beta & Gamma", "BETA")
    book = book.replace("BETA", '"' + HOSTILE["directorate"].replace('"', '""') + '"')
    explanation = '"' + HOSTILE["explanation"].replace('"', '""') + '"'
    settings = {
        "name": HOSTILE["authority"],
        "thresholds": {"variance_commentary": 1},
        "labels": {"total": HOSTILE["label"]},
    }
    committees = {"committees": {"beta": {"name": HOSTILE["committee"], "directorates": [HOSTILE["directorate"]]}}}
    data = write_tree(
        root / "data",
        {
            "2017-18/budget_book.csv": book,
            "2017-18/2017-07/explanations.csv": f'subject,about,text\n"{HOSTILE["heading"]}",variance,{explanation}\n',
            "2017-18/2017-07/adjustments.csv": TINY["2017-18/2017-07/adjustments.csv"].replace(
                "Management action", '"' + HOSTILE["reason"].replace('"', '""') + '"'
            ),
            "authority.yaml": json.dumps(settings) + "\n",  # JSON is YAML: every quote kept as it is
            "committees.yaml": json.dumps(committees) + "\n",
        },
    )
    for name, text in TINY.items():
        if not (data.root / name).exists():
            write_tree(data.root, {name: text})
    sign_off_every_directorate(data, "2017-07", by=HOSTILE["signed"])
    publish = ["publish", "--data", str(data.root), "--period", "2017-07"]
    allowed = ["--allow-missing-explanations", HOSTILE["reason"]]
    assert main([*publish, *allowed]) == 0
    assert main([*publish, "--supersede", "--reason", HOSTILE["supersede"], *allowed]) == 0
    result = pack.monthly_pack(data.root, "2017-07", root / "out", workers=1, progress=False)
    assert not result.failed, [o.error for o in result.failed]
    return root / "out"


@pytest.fixture(scope="module")
def hostile_report(hostile_pack: Path) -> Path:
    return hostile_pack / "cabinet.html"


@pytest.mark.parametrize("name", ["cabinet", "beta"])
def test_no_script_from_the_data_runs(browser: Browser, hostile_pack: Path, name: str) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page = browser.new_page()
    page.on("dialog", dismiss)
    page.goto((hostile_pack / f"{name}.html").resolve().as_uri())
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    text = page.inner_text("body")
    assert "<script>window.__xss='directorate'</script>Beta" in text
    if name == "cabinet":  # the heading and its explanation are Alpha's
        assert HOSTILE["heading"] in text, "the heading is shown as text"
        assert "caused by <b>storms</b>" in text
    for shown in ("authority", "supersede", "signed", "reason"):
        assert HOSTILE[shown] in text, f"the {shown} is shown as text"
    assert HOSTILE["label" if name == "cabinet" else "committee"] in text
    assert (
        page.evaluate("() => document.querySelectorAll('script, img[onerror], .finlib svg:not([role]), iframe').length")
        == 0
    )
    page.close()


# ---------------------------------------------------------------------------
# The browsable archive (finlib site): every page in Chromium


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive of a copy of the sample with May (as bundled) and July published, with its PDFs."""
    import shutil

    from finlib.cli import main
    from finlib.site import build_site
    from tests.conftest import SAMPLE
    from tests.factories import sign_off_every_directorate

    data = tmp_path_factory.mktemp("site") / "council"
    shutil.copytree(SAMPLE, data)
    sign_off_every_directorate(data, "2017-07")
    publish = ["publish", "--data", str(data), "--period", "2017-07", "--allow-missing-explanations", "to follow"]
    assert main(publish) == 0
    out = tmp_path_factory.mktemp("site-out")
    build_site(data, out, pdf=True, progress=False)
    return out


def test_every_page_of_the_archive_passes_axe(browser: Browser, sample_site: Path) -> None:
    axe = axe_module.Axe()
    pages = sorted(sample_site.rglob("*.html"))
    # the index; each of two years: its index and four directorates; each of eight periods: its index and six papers
    assert len(pages) == 1 + 2 * (1 + 4) + 8 * (1 + 6)
    found: dict[str, list[str]] = {}
    for path in pages:
        page = open_page(browser, path)
        violations = axe.run(page).response["violations"]
        found[path.relative_to(sample_site).as_posix()] = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations
        ]
        page.close()
    assert found == {name: [] for name in found}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("index", "2017-18/index", "2017-18/directorates/strategic-corporate-services"):
        page = open_page(browser, sample_site / f"{name}.html")
        page.screenshot(path=str(SCREENSHOTS / f"site-{name.replace('/', '-')}.png"), full_page=True)
        page.close()


@pytest.mark.parametrize(
    "name",
    ["index", "2017-18/index", "2017-18/2017-07/index", "2017-18/directorates/strategic-corporate-services"],
)
def test_archive_pages_reflow_at_320_px_and_skip_to_the_main_content(
    browser: Browser, sample_site: Path, name: str
) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto((sample_site / f"{name}.html").resolve().as_uri())
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    assert page.evaluate(BROKEN_AMOUNTS) == []
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => { const a = document.activeElement; const r = a.getBoundingClientRect(); "
        "return [a.textContent, a.getAttribute('href'), r.width > 0 && r.height > 0]; }"
    )
    assert skip == ["Skip to the main content", "#main", True]
    page.close()


def test_each_paper_of_the_archive_has_its_pdf_printed_once(sample_site: Path) -> None:
    from finlib.site import build_site

    papers = sorted(p for p in sample_site.glob("2017-18/20*/*.html") if p.name != "index.html")
    pdfs = {p.with_suffix(".pdf"): p.with_suffix(".pdf").read_bytes() for p in papers}
    assert len(pdfs) == 12 and all(content.startswith(b"%PDF") for content in pdfs.values())
    assert 'href="cabinet.pdf"' in (sample_site / "2017-18/2017-07/cabinet.html").read_text(encoding="utf-8")
    data = next(sample_site.parent.glob("site*/council"))
    again = build_site(data, sample_site, pdf=True, progress=False)
    assert again.written == []
    assert {path: path.read_bytes() for path in pdfs} == pdfs


# ---------------------------------------------------------------------------
# The business partner's page of returns (finlib returns status)


@pytest.fixture(scope="module")
def returns_status(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """July's status page with every state: returned, missing, invalid, unchanged and to challenge."""
    import shutil

    from finlib.cli import main
    from tests.conftest import SAMPLE
    from tests.managers import break_return, issue_and_fill

    root = tmp_path_factory.mktemp("returns")
    data = shutil.copytree(SAMPLE, root / "council")
    folder = issue_and_fill(data, root / "returns", "2017-07")
    break_return(folder, {"file": "sinead-murphy.xlsx", "delete": True})
    break_return(folder, {"file": "helen-price.xlsx", "sheet": "Forecast", "cell": "M5", "value": "tbc"})
    fresh = root / "fresh"
    assert main(["returns", "issue", "--data", str(data), "--period", "2017-07", "--out", str(fresh)]) == 0
    shutil.copyfile(fresh / "mark-ellison.xlsx", folder / "mark-ellison.xlsx")  # as issued: unchanged
    break_return(folder, {"file": "tom-whitfield.xlsx", "sheet": "Forecast", "cell": "M5", "value": 1})  # far out
    assert main(["returns", "status", "--data", str(data), "--period", "2017-07", str(folder)]) == 0
    return folder / "working" / "returns_status.html"


def test_the_returns_status_page_passes_axe_and_reflows(browser: Browser, returns_status: Path) -> None:
    text = returns_status.read_text(encoding="utf-8")
    for state in ("<strong>Returned<", "<strong>Missing<", "<strong>Invalid: to correct<", "Unchanged since last"):
        assert state in text, state
    assert "far from every computed forecast: GET-01" in text and "by more than £100,000." in text
    page = open_page(browser, returns_status)
    violations = axe_module.Axe().run(page).response["violations"]
    assert [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-status.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling of the page
    page.close()
