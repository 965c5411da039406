"""The map on every screen, in real Chromium: a phone, an article column, two small maps side
by side, a desktop. At each size the first view frames every mark, no label overlaps another,
the panels leave the map clear, and the key opens and closes."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOCAL_SCHEMES, wait_until

HERE = Path(__file__).parent
PHONES = [(320, 568), (360, 740), (390, 844)]
COLUMN = (700, 438)
DESKTOPS = [(1280, 800), (1920, 1080)]
PHONE_AND_COLUMN_SHARE = 0.25  # the most of a map the panels may cover on a phone, in a column
DESKTOP_SHARE = 0.20  # ... and on a desktop

# What a reader sees of one map (its root: the page, or the fragment it was pasted as).
MEASURE = """(root) => {
  root = root || document.body;
  const map = root.querySelector('.folium-map'), box = map.getBoundingClientRect();
  const seen = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const rect = (el) => { const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; };
  const panels = [...root.querySelectorAll(
      '.leaflet-control, .tm-legend, .tm-title, .tm-dock, .tm-footer')].filter(seen).map(rect);
  let covered = 0, all = 0;
  for (let x = box.left + 2; x < box.right; x += 4) {
    for (let y = box.top + 2; y < box.bottom; y += 4) {
      all++;
      if (panels.some(p => x >= p[0] && x <= p[2] && y >= p[1] && y <= p[3])) covered++;
    }
  }
  const labels = [...map.querySelectorAll(
      '.tm-flow-label, .tm-station-label, .tm-place-label, .tm-country-label span')]
    .filter(el => seen(el) && !el.closest('.tm-label-hidden')).map(el => ({
      text: el.textContent, box: rect(el), figure: !el.closest('.tm-country-label')}));
  const marks = [...map.querySelectorAll('path.tm-head, path.tm-station')].map(rect);
  const view = troopmap.views.find(v => v.map.getContainer() === map);
  const focus = view.data.view.bounds;
  return {box: rect(map), covered: covered / all, labels, marks, panels,
          zoom: view.map.getZoom(), framed: view.map.getBounds().contains(focus)};
}"""


def _overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (al, at, ar, ab), (bl, bt, br, bb) = a["box"], b["box"]
            if al < br - 0.5 and bl < ar - 0.5 and at < bb - 0.5 and bt < ab - 0.5:
                pairs.append((a["text"], b["text"]))
    return pairs


def _under_panels(seen: dict[str, Any]) -> list[str]:
    """The labels shown that lie (even in part) under a panel over the map: the key, a control."""
    return [
        label["text"]
        for label in seen["labels"]
        if any(_overlapping([label, {"text": "panel", "box": panel}]) for panel in seen["panels"])
    ]


def _inside(inner: list[float], outer: list[float], slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _open_at(browser: Any, path: Path, size: tuple[int, int]) -> tuple[Any, dict[str, Any]]:
    page = browser.open(path, *size)
    page.wait_for_timeout(150)  # the resize observer's first report
    return page, page.evaluate(MEASURE)


def _bundled_in(folder: Path, lang: str) -> Path:
    from geo import pipeline
    from geo.style import Style

    path = folder / "deployments.html"
    pipeline.write(pipeline.layers_for(style=Style(lang=lang)), path)
    return path


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bundled_in(tmp_path_factory.mktemp("layout"), "en")


@pytest.fixture(scope="module", params=["en", "ar"])
def bundled_both_ways(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, bundled: Path
) -> Path:
    """The bundled page left to right (English) and right to left (Arabic)."""
    if request.param == "en":
        return bundled
    return _bundled_in(tmp_path_factory.mktemp(f"layout-{request.param}"), request.param)


@pytest.fixture(scope="module")
def one_place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geo import pipeline

    folder = tmp_path_factory.mktemp("one-place")
    csv = folder / "poland.csv"
    csv.write_text("actor,destination,troops\nUnited States,Poland,100\n", encoding="utf-8")
    path = folder / "poland.html"
    pipeline.write(pipeline.layers_for(csv), path)
    return path


@pytest.mark.parametrize("size", [*PHONES, COLUMN, *DESKTOPS], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_bundled_map_opens_framed_and_clear_at_every_size(
    browser: Any, bundled_both_ways: Path, size: tuple[int, int]
) -> None:
    """In English and in Arabic: a label written right to left stands where it was measured
    and placed, not a whole width further left (cut by the map's edge), and the first view
    keeps the labels clear of the key, whichever side of the map the key is on."""
    page, seen = _open_at(browser, bundled_both_ways, size)
    assert browser.errors == []
    assert seen["framed"], "the first view leaves out part of the focus"
    assert len(seen["marks"]) == 5  # four arrowheads (one fork) and a circle
    assert all(_inside(mark, seen["box"]) for mark in seen["marks"])
    figures = [label for label in seen["labels"] if label["figure"]]
    assert {label["text"][:7] for label in figures} >= {"1,000", "~30,000", "~100,00"}
    if size[0] >= 390:  # the figures fit whole from a phone's width up
        assert all(_inside(label["box"], seen["box"]) for label in figures), figures
    assert _overlapping(seen["labels"]) == []
    assert _under_panels(seen) == []
    limit = DESKTOP_SHARE if size in DESKTOPS else PHONE_AND_COLUMN_SHARE
    assert seen["covered"] <= limit
    page.close()


@pytest.mark.parametrize(
    "size", [(280, 280), (320, 568), COLUMN, (2560, 1440)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_a_map_of_one_place_opens_on_its_region(
    browser: Any, one_place: Path, size: tuple[int, int]
) -> None:
    page, seen = _open_at(browser, one_place, size)
    assert browser.errors == []
    assert seen["framed"]
    assert 4 <= seen["zoom"] <= 9  # a region, not the world and not a street
    assert len(seen["marks"]) == 1 and _inside(seen["marks"][0], seen["box"])
    page.close()


def test_the_key_opens_over_a_small_map_and_closes_again(browser: Any, bundled: Path) -> None:
    page = browser.open(bundled, 390, 844)
    key, legend = page.locator(".tm-key-button"), page.locator(".tm-legend")
    assert legend.is_hidden() and key.get_attribute("aria-expanded") == "false"
    key.click()
    assert legend.is_visible() and key.get_attribute("aria-expanded") == "true"
    assert "TROOPS MOVING" in legend.inner_text().upper()
    page.keyboard.press("Escape")
    assert legend.is_hidden()
    assert page.evaluate("document.activeElement.className") == "tm-key-button"
    page.keyboard.press("Enter")  # the keyboard opens it as well
    assert legend.is_visible()
    page.locator(".tm-key-close").click()
    assert legend.is_hidden() and key.get_attribute("aria-expanded") == "false"
    page.close()


def test_a_desktop_map_keeps_its_key_and_layer_list_open(browser: Any, bundled: Path) -> None:
    page = browser.open(bundled, 1280, 800)
    assert page.locator(".tm-legend").is_visible()
    assert page.locator(".tm-key-button").is_hidden()
    assert page.locator(".leaflet-control-layers-list").is_visible()
    page.close()


def test_a_popup_fits_inside_a_phone_sized_map(browser: Any, bundled: Path) -> None:
    page = browser.open(bundled, 320, 568)
    for _ in range(4):
        page.locator(".tm-nav-next").click()
        wait_until(page, "!!document.querySelector('.leaflet-popup')")
        page.wait_for_timeout(400)  # the popup's pan into view
        popup = page.locator(".leaflet-popup").bounding_box()
        map_box = page.locator(".folium-map").bounding_box()
        assert popup["x"] >= map_box["x"] - 1
        assert popup["x"] + popup["width"] <= map_box["x"] + map_box["width"] + 1
        assert popup["y"] >= map_box["y"] - 1
        assert popup["y"] + popup["height"] <= map_box["y"] + map_box["height"] + 1
    assert browser.errors == []
    page.close()


def test_the_map_frames_itself_again_when_its_box_changes(browser: Any, bundled: Path) -> None:
    page = browser.open(bundled, 1280, 800)
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(300)
    seen = page.evaluate(MEASURE)
    assert seen["framed"] and all(_inside(mark, seen["box"]) for mark in seen["marks"])
    assert _overlapping(seen["labels"]) == []
    assert browser.errors == []
    page.close()


# Noted as the page draws its map (a mutation observer runs before the browser lays the page
# out again): the size the map was framed at, and the size of its box.
SIZES_WHEN_DRAWN = """new MutationObserver((records, observer) => {
  const view = window.troopmap && troopmap.views[0];
  if (!view) return;
  const box = view.map.getContainer(), size = view.map.getSize();
  window.sizesWhenDrawn = [[size.x, size.y], [box.clientWidth, box.clientHeight]];
  observer.disconnect();
}).observe(document, {attributes: true, attributeFilter: ['data-tm-drawn'], subtree: true});"""


@pytest.mark.parametrize("size", [PHONES[-1], COLUMN, DESKTOPS[0]], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_first_view_is_framed_at_the_size_the_map_has_when_drawn(
    browser: Any, bundled: Path, size: tuple[int, int]
) -> None:
    """The timeline and the stepper take their room beside the map as it is drawn: the first
    view is framed for what is left, not for the box before them (framed again a frame later,
    it would move away from anything that had set the view in between)."""
    page = browser.open(bundled, *size, init_script=SIZES_WHEN_DRAWN)
    framed_for, box = page.evaluate("window.sizesWhenDrawn")
    assert framed_for == box
    page.close()


def test_a_view_set_by_a_script_is_kept_when_the_box_changes_size(
    browser: Any, bundled: Path
) -> None:
    """Only the page's own first view is framed again: a view set by anything else (the
    preview putting back the reader's view, a script of the report the map is in) stays."""
    page = browser.open(bundled, 1280, 800)
    page.evaluate("troopmap.views[0].map.setView([50.45, 30.52], 7, {animate: false})")
    page.set_viewport_size({"width": 1000, "height": 700})
    wait_until(page, "troopmap.views[0].map.getSize().x === 1000")
    page.wait_for_timeout(200)  # the resize observer's report
    zoom, lat, lng = page.evaluate(
        "(() => { const m = troopmap.views[0].map, c = m.getCenter();"
        " return [m.getZoom(), c.lat, c.lng]; })()"
    )
    assert zoom == 7
    assert abs(lat - 50.45) < 0.01 and abs(lng - 30.52) < 0.01
    assert browser.errors == []
    page.close()


def test_controls_are_big_enough_for_a_finger(chromium: Any, bundled: Path) -> None:
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_SCHEMES) else r.abort()
    )
    page.goto(bundled.resolve().as_uri())
    page.wait_for_selector("[data-tm-drawn]", state="attached")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    small = page.evaluate("""() => [...document.querySelectorAll(
        'button, .leaflet-bar a, .leaflet-control-layers-toggle, input[type=range]')]
      .filter(el => el.getBoundingClientRect().width > 0)
      .map(el => [el.className || el.tagName, el.getBoundingClientRect()])
      .filter(([, r]) => r.width < 44 || r.height < 44).map(([name]) => name)""")
    assert small == []
    context.close()


def test_the_same_fragment_twice_in_a_column_gives_two_framed_maps(
    browser: Any, tmp_path: Path, render: Callable[..., Any]
) -> None:
    fragment = tmp_path / "map-fragment.html"
    render("-o", str(fragment), "--fragment")
    text = fragment.read_text(encoding="utf-8")
    assert text.count("<style") == 1
    cell = f'<div style="width:326px">{text}</div>'
    host = tmp_path / "report.html"
    host.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Report</title>'
        "<style>body { max-width: 700px; margin: 0 auto; } h1 { color: purple; }</style></head>"
        '<body><h1>Two maps</h1><div style="display:flex;gap:48px">'
        f"{cell}{cell}</div></body></html>",
        encoding="utf-8",
    )
    page = browser.open(host, 1400, 900)  # a desktop window: only the maps' boxes are small
    wait_until(page, "document.querySelectorAll('[data-tm-drawn]').length === 2")
    page.wait_for_timeout(200)
    roots = page.locator(".tm-embed")
    assert roots.count() == 2
    for i in range(2):
        seen = page.evaluate(MEASURE, roots.nth(i).element_handle())
        assert seen["framed"] and len(seen["marks"]) == 5
        assert all(_inside(mark, seen["box"]) for mark in seen["marks"])
        assert seen["box"][2] - seen["box"][0] == pytest.approx(326, abs=1)
        assert _overlapping(seen["labels"]) == []
        assert seen["covered"] <= PHONE_AND_COLUMN_SHARE
    assert roots.nth(0).locator(".tm-legend").is_hidden()  # small boxes: keys behind buttons
    roots.nth(1).locator(".tm-key-button").click()  # each key is its own
    assert roots.nth(1).locator(".tm-legend").is_visible()
    assert roots.nth(0).locator(".tm-legend").is_hidden()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(128, 0, 128)"
    )  # the host's own heading keeps its style
    assert browser.errors == []
    page.close()


def _synthetic() -> Any:
    spec = importlib.util.spec_from_file_location("synthetic", HERE / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geo import pipeline

    folder = tmp_path_factory.mktemp("big")
    movements, places = _synthetic().write(10_000, 500, 1, folder)
    path = folder / "big.html"
    pipeline.write(pipeline.layers_for(movements, [places]), path)
    return path


@pytest.mark.parametrize("size", [(320, 568), COLUMN, (1280, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_ten_thousand_movements_open_framed_at_any_size(
    browser: Any, big_map: Path, size: tuple[int, int]
) -> None:
    page, seen = _open_at(browser, big_map, size)
    assert browser.errors == []
    assert seen["framed"]
    assert _overlapping(seen["labels"]) == []
    limit = DESKTOP_SHARE if size in DESKTOPS else PHONE_AND_COLUMN_SHARE
    assert seen["covered"] <= limit
    page.close()


def test_a_phone_sized_map_with_its_key_open_passes_axe(browser: Any, bundled: Path) -> None:
    from tests.test_accessibility import AXE, axe_violations

    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` at the repository root.")
    page = browser.open(bundled, 390, 844)
    page.locator(".tm-key-button").click()
    assert axe_violations(page, AXE.read_text(encoding="utf-8")) == []
    page.close()


def test_the_map_in_a_column_iframe_is_framed_like_the_page(browser: Any, bundled: Path) -> None:
    from geo.render.embed import iframe_snippet

    host = bundled.parent / "column-report.html"
    host.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Report</title></head>'
        '<body style="margin:0"><div style="width:700px">'
        f"{iframe_snippet(bundled)}</div></body></html>",
        encoding="utf-8",
    )
    page = browser.browser.new_page(viewport={"width": 1000, "height": 800})  # beyond the column
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_SCHEMES) else r.abort()
    )
    page.on("pageerror", lambda e: browser.errors.append(str(e)))
    page.goto(host.resolve().as_uri())
    frame = None
    for _ in range(400):  # the frame loads lazily, then draws
        frame = next((f for f in page.frames if f.url.endswith("deployments.html")), None)
        if frame and frame.evaluate("!!document.querySelector('[data-tm-drawn]')"):
            break
        page.wait_for_timeout(50)
    assert frame is not None
    page.wait_for_timeout(200)
    seen = frame.evaluate(MEASURE)
    box = frame.evaluate("[innerWidth, innerHeight]")
    assert box == [700, 438]  # the 16:10 frame of `troopmap embed`
    assert seen["framed"] and all(_inside(mark, seen["box"]) for mark in seen["marks"])
    assert seen["covered"] <= PHONE_AND_COLUMN_SHARE
    assert frame.locator(".tm-key-button").is_visible()  # laid out by its own box
    assert browser.errors == []
    page.close()


# The labels shown and the marks they must keep clear of: arrowheads and circles whole, the
# flows' lines as points every 4 px (a curve's own box would cover half the map).
LABELS_AND_MARKS = """() => {
  const map = document.querySelector('.folium-map');
  const rect = (el) => { const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; };
  const labels = [...map.querySelectorAll(
      '.tm-flow-label, .tm-station-label, .tm-place-label, .tm-country-label span')]
    .filter(el => el.getBoundingClientRect().width > 0 && !el.closest('.tm-label-hidden'))
    .map(el => ({text: el.textContent, box: rect(el),
                 figure: !!el.closest('.tm-flow-label, .tm-station-label')}));
  const shapes = [...map.querySelectorAll('path.tm-head, path.tm-station')].map(rect);
  const lines = [];
  map.querySelectorAll('path.tm-flow').forEach(path => {
    const m = path.getScreenCTM(), length = path.getTotalLength();
    for (let at = 0; at <= length; at += 4) {
      const p = path.getPointAtLength(at);
      lines.push([m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f]);
    }
  });
  return {labels, shapes, lines};
}"""


# Country names moved so far that their anchor, moved as much, leaves the box of the part of
# the country they name.
COUNTRY_NAMES_AWAY_FROM_HOME = """() => {
  const map = troopmap.views[0].map;
  return [...document.querySelectorAll('.tm-country-label.tm-label-moved')].filter(label => {
    const span = label.firstChild, b = span.dataset.tmBox.split(' ').map(Number);
    const at = map.latLngToContainerPoint(span.dataset.tmAt.split(' ').map(Number));
    const shift = label.dataset.tmShift.split(' ').map(Number);
    const moved = map.containerPointToLatLng([at.x + shift[0], at.y + shift[1]]);
    return !L.latLngBounds([b[1], b[0]], [b[3], b[2]]).contains(moved);
  }).map(label => label.textContent);
}"""


def _crossing(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _clashes(seen: dict[str, Any]) -> list[str]:
    """Labels on an arrowhead or a circle, and names (not figures) on a flow's line."""
    found = []
    for label in seen["labels"]:
        left, top, right, bottom = label["box"]
        for shape in seen["shapes"]:
            if _crossing(label["box"], shape):
                found.append(f"{label['text']!r} on a mark at {shape}")
        if not label["figure"] and any(
            left < x < right and top < y < bottom for x, y in seen["lines"]
        ):
            found.append(f"{label['text']!r} on a line")
    return found


@pytest.mark.parametrize("size", [*PHONES, COLUMN, *DESKTOPS], ids=lambda s: f"{s[0]}x{s[1]}")
def test_labels_keep_off_the_arrows_and_circles(
    browser: Any, bundled_both_ways: Path, size: tuple[int, int]
) -> None:
    """Figures first, then the places, then the countries: each label that would lie on an
    arrowhead or a circle (a name: on a line too) moves or, but for a figure, is left out; in
    English and in Arabic."""
    page, _ = _open_at(browser, bundled_both_ways, size)
    seen = page.evaluate(LABELS_AND_MARKS)
    assert len(seen["shapes"]) == 5 and seen["lines"]
    assert _clashes(seen) == []
    figures = {label["text"][:7] for label in seen["labels"] if label["figure"]}
    assert figures >= {"1,000", "~30,000", "~100,00"}  # no figure is left out for a mark
    strays = page.evaluate(COUNTRY_NAMES_AWAY_FROM_HOME)
    assert strays == []  # a name moved clear of a line stays over its own country
    for zoom in ("zoomIn", "zoomIn"):
        page.evaluate(f"troopmap.views[0].map.{zoom}(1, {{animate: false}})")
        page.wait_for_timeout(100)
        assert _clashes(page.evaluate(LABELS_AND_MARKS)) == [], zoom
    assert browser.errors == []
    page.close()


def test_labels_are_placed_again_at_each_zoom(browser: Any, bundled: Path) -> None:
    page = browser.open(bundled, 700, 438)
    for zoom in ("zoomIn", "zoomOut", "zoomOut", "zoomOut"):
        page.evaluate(f"troopmap.views[0].map.{zoom}(1, {{animate: false}})")
        page.wait_for_timeout(100)
        seen = page.evaluate(MEASURE)
        assert seen["labels"] and _overlapping(seen["labels"]) == [], zoom
    assert browser.errors == []
    page.close()


def test_a_fragment_drawn_while_hidden_is_framed_when_shown(
    browser: Any, tmp_path: Path, render: Callable[..., Any]
) -> None:
    fragment = tmp_path / "map-fragment.html"
    render("-o", str(fragment), "--fragment")
    host = tmp_path / "report.html"
    host.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Report</title>'
        '</head><body><details><summary>Show the map</summary><div style="width:700px">'
        f"{fragment.read_text(encoding='utf-8')}</div></details></body></html>",
        encoding="utf-8",
    )
    page = browser.open(host, 900, 900)  # drawn in a closed <details>: a box of no size
    page.click("summary")
    page.wait_for_timeout(300)
    seen = page.evaluate(MEASURE, page.locator(".tm-embed").element_handle())
    assert seen["box"][2] - seen["box"][0] == pytest.approx(700, abs=1)
    assert seen["framed"] and len(seen["marks"]) == 5
    assert all(_inside(mark, seen["box"]) for mark in seen["marks"])
    assert _overlapping(seen["labels"]) == []
    assert browser.errors == []
    page.close()
