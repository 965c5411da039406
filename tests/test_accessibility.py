"""Both maps can be read with a screen reader and used with a keyboard: axe-core finds no
violation, Tab and the arrow keys open each movement's popup in turn, focus is visible, and all
text on the map meets WCAG AA contrast.

axe-core comes from the npm registry as a dev dependency (``npm ci`` at the repository root)
and is injected into the page by the test only; the page itself never contains it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.paths import bundled, bundled_dataset
from tests.conftest import wait_until, without_reported

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
UNITS = bundled("examples/2022-02-02-units.csv")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            "axe-core is missing: run `npm ci` at the repository root "
            "(package.json lists it as a dev dependency)."
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def bundled_page(render, tmp_path) -> Path:
    out = tmp_path / "deployments.html"
    render("-o", str(out))
    return out


@pytest.fixture
def units_page(render, tmp_path) -> Path:
    out = tmp_path / "units.html"
    render(str(UNITS), "-o", str(out))
    return out


def axe_violations(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def test_the_page_does_not_ship_axe(bundled_page):
    html = bundled_page.read_text()
    assert "axe.run" not in html and "axe-core" not in html


def test_axe_finds_no_violation_on_the_bundled_map(browser, bundled_page, axe_source):
    page = browser.open(bundled_page)
    assert axe_violations(page, axe_source) == []


def test_axe_finds_no_violation_with_a_popup_open_on_an_earlier_day(
    browser, bundled_page, axe_source
):
    page = browser.open(bundled_page)
    page.locator(".tm-slider").focus()
    page.keyboard.press("Home")
    page.locator(".tm-nav-next").click()
    page.locator(".leaflet-popup").wait_for()
    # Leaflet fades a popup in; measure contrast once it is fully shown, as a reader sees it.
    wait_until(page, "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert axe_violations(page, axe_source) == []


def test_axe_finds_no_violation_on_the_units_map(browser, units_page, axe_source):
    page = browser.open(units_page)
    assert axe_violations(page, axe_source) == []


def test_the_page_has_a_language_a_main_landmark_and_lets_readers_zoom(browser, bundled_page):
    html = bundled_page.read_text()
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1.0">' in html
    assert "user-scalable=no" not in html
    page = browser.open(bundled_page)
    assert page.locator("main .folium-map").count() == 1
    assert page.locator("main .tm-dock").count() == 1  # the controls are in the landmark


# --- keyboard -------------------------------------------------------------------------------


def focused(page: Any) -> str:
    return page.evaluate("""() => {
        const e = document.activeElement;
        return e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
            ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
    }""")


def tab_to(page: Any, selector: str, limit: int = 30) -> list[str]:
    """Press Tab until ``selector`` has focus; the focus path taken."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        path.append(focused(page))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return path
    raise AssertionError(f"Tab never reached {selector}: {path}")


def popup_text(page: Any) -> str:
    """The text of the open popup, once the one it replaced has gone."""
    wait_until(page, "document.querySelectorAll('.leaflet-popup').length === 1")
    return page.locator(".leaflet-popup-content").inner_text()


def test_tab_reaches_the_timeline_then_the_movements(browser, bundled_page):
    page = browser.open(bundled_page)
    path = tab_to(page, ".tm-nav-next")
    names = [p.split(".")[1] if "." in p else p for p in path]
    assert names.index("tm-play") < names.index("tm-slider") < names.index("tm-nav-previous")
    assert names[-1] == "tm-nav-next"


def test_keyboard_opens_each_popup_in_turn_in_the_order_of_the_csv(browser, bundled_page):
    page = browser.open(bundled_page)
    tab_to(page, ".tm-nav-next")
    page.keyboard.press("Enter")
    assert "Germany → Romania" in popup_text(page)
    status = page.locator(".tm-nav-current")
    assert status.inner_text() == "1 of 4: United States, 1,000 troops, Germany → Romania"
    page.keyboard.press("ArrowRight")
    assert "United States → Germany and Poland" in popup_text(page)
    page.keyboard.press("ArrowDown")
    assert "Stationed at Russia–Ukraine border area" in popup_text(page)
    assert status.inner_text().startswith("3 of 4: Russia, ~100,000 troops")
    page.keyboard.press("ArrowRight")
    assert "Russia → Belarus" in popup_text(page)
    page.keyboard.press("ArrowRight")  # round again
    assert "Germany → Romania" in popup_text(page)
    page.keyboard.press("End")
    assert "Russia → Belarus" in popup_text(page)
    page.keyboard.press("ArrowLeft")
    assert "Stationed at" in popup_text(page)
    page.keyboard.press("Escape")
    wait_until(page, "document.querySelectorAll('.leaflet-popup').length === 0")
    assert focused(page) == "button.tm-nav-next"  # focus stays where the reader is
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Previous
    assert "United States → Germany and Poland" in popup_text(page)
    assert browser.errors == []


def test_keyboard_steps_only_through_the_movements_shown_on_the_chosen_day(
    browser, render, write_csv, tmp_path
):
    dates_only = write_csv(without_reported(bundled_dataset().read_text(encoding="utf-8")))
    out = tmp_path / "dates-only.html"
    render(str(dates_only), "-o", str(out))
    page = browser.open(out)
    page.locator(".tm-slider").focus()
    page.keyboard.press("End")
    page.keyboard.press("Home")  # 2 February: the drills in Belarus are not shown yet
    seen = []
    page.locator(".tm-nav-next").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        seen.append(popup_text(page))
    assert not any("Belarus" in text for text in seen)
    assert page.locator(".tm-nav-current").inner_text().startswith("1 of 3:")


def test_the_announcement_and_popups_treat_csv_text_as_text(browser, render, write_csv, tmp_path):
    path = write_csv(
        "actor,unit,origin,destination,troops\n"
        '"<img src=x onerror=alert(1)>",<b>unit</b>,Germany,Poland,10\n'
    )
    out = tmp_path / "m.html"
    render(str(path), "-o", str(out))
    page = browser.open(out)
    page.locator(".tm-nav-next").click()
    assert "<img src=x onerror=alert(1)> — <b>unit</b>" in popup_text(page)
    assert (
        page.locator(".tm-nav-current").inner_text()
        == "1 of 1: <img src=x onerror=alert(1)> (<b>unit</b>), 10 troops, Germany → Poland"
    )
    assert page.locator("img[src=x]").count() == 0 and browser.dialogs == []


def focus_ring(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor};
    }""")


@pytest.mark.parametrize(
    "selector",
    [
        ".tm-play",
        ".tm-slider",
        ".tm-nav-previous",
        ".tm-nav-next",
        ".leaflet-control-zoom-in",
        ".leaflet-control-layers-selector",
        ".tm-footer a",
        ".folium-map",
    ],
)
def test_focus_is_visible_on_everything_the_keyboard_reaches(browser, bundled_page, selector):
    page = browser.open(bundled_page)
    tab_to(page, selector)
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring


def test_the_popup_close_button_shows_its_focus(browser, bundled_page):
    page = browser.open(bundled_page)
    tab_to(page, ".tm-nav-next")
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-close-button").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring


# --- contrast -------------------------------------------------------------------------------

# For each piece of text in sight: its colour against what actually lies under it (panels,
# popups, labels' own backgrounds, the country shapes and flows drawn in SVG, the sea), taken
# at five points of its box; the worst of them counts. Text shadows (the labels' white halos)
# are not counted, so labels must pass without them.
CONTRAST = """() => {
  const parse = c => { const m = (c || '').match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
      return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const ratio = (a, b) => { const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const opacityOf = e => { let o = 1;
    for (let a = e; a && a.nodeType === 1; a = a.parentElement)
      o *= parseFloat(getComputedStyle(a).opacity);
    return o; };
  const paintOf = e => {  // the colour an element paints under the text, or null
    const s = getComputedStyle(e);
    if (e instanceof SVGElement) {
      if (!['path', 'circle', 'rect', 'ellipse', 'polygon'].includes(e.tagName)) return null;
      const fill = parse(s.fill);
      if (!fill) return null;
      return [fill[0], fill[1], fill[2], fill[3] * parseFloat(s.fillOpacity) * opacityOf(e)];
    }
    const bg = parse(s.backgroundColor);
    return bg && bg[3] > 0 ? [bg[0], bg[1], bg[2], bg[3] * opacityOf(e)] : null;
  };
  const results = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('noscript, .tm-sr-only, script, style, title, svg')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    const points = [[0.5, 0.5], [0.15, 0.3], [0.85, 0.3], [0.15, 0.7], [0.85, 0.7]]
      .map(([fx, fy]) => [r.left + r.width * fx, r.top + r.height * fy])
      .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
    if (!points.length) continue;
    const style = getComputedStyle(el);
    const colour = parse(style.color);
    let worst = Infinity;
    for (const [x, y] of points) {
      const stack = document.elementsFromPoint(x, y).filter(e => e !== el && !el.contains(e));
      const ownBg = paintOf(el);
      const paints = (ownBg ? [ownBg] : []).concat(stack.map(paintOf).filter(Boolean));
      let bg = [255, 255, 255, 1];  // beneath everything: the page
      let layers = [];
      for (const p of paints) { layers.push(p); if (p[3] >= 1) break; }
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
      const fg = over([colour[0], colour[1], colour[2], colour[3] * opacityOf(el)], bg);
      worst = Math.min(worst, ratio(fg, bg));
    }
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    results.push({text: node.textContent.trim().slice(0, 40), ratio: Math.round(worst * 100) / 100,
                  needed: large ? 3 : 4.5, onMap: Boolean(el.closest('.leaflet-map-pane'))});
  }
  return results;
}"""


@pytest.mark.parametrize("which", ["bundled_page", "units_page"])
def test_all_text_on_the_map_meets_wcag_aa_contrast(browser, which, request):
    page = browser.open(request.getfixturevalue(which))
    page.locator(".tm-nav-next").click()  # with a popup open too
    popup_text(page)
    page.wait_for_timeout(400)  # the popup has faded in
    results = page.evaluate(CONTRAST)
    assert len(results) > 20
    assert sum(r["onMap"] for r in results) > 5  # labels on the map are measured too
    failing = [r for r in results if r["ratio"] < r["needed"]]
    assert failing == []


def test_a_popup_opened_from_the_keyboard_is_not_hidden_behind_the_panels(browser, bundled_page):
    page = browser.open(bundled_page)
    tab_to(page, ".tm-nav-next")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        popup_text(page)
        page.wait_for_timeout(400)  # the map has panned
        overlaps = page.evaluate("""() => {
            const popup = document.querySelector('.leaflet-popup-content-wrapper')
                .getBoundingClientRect();
            return ['.tm-title', '.tm-legend', '.tm-dock'].filter(s => {
                const r = document.querySelector(s).getBoundingClientRect();
                return popup.left < r.right && r.left < popup.right &&
                       popup.top < r.bottom && r.top < popup.bottom;
            });
        }""")
        assert overlaps == [], page.locator(".tm-nav-current").inner_text()
