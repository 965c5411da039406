"""The page in a real browser: its curves are the Python curves, large maps draw on a canvas,
and what a reader clicks still tells them which movements are behind it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from geo import geometry, pipeline
from geo.render.html import render_html
from geo.render.inline import asset
from tests.conftest import Browser, wait_until

pytestmark = pytest.mark.browser

HEADER = "id,date,actor,unit,origin,destination,troops,status,source,notes\n"
CASES = [
    ((13.4, 52.5), (26.1, 44.4), 0.16, 48),  # Berlin → Bucharest
    ((-77.0, 38.9), (8.7, 49.4), 0.30, 48),  # across the Atlantic
    ((170.0, -40.0), (-150.0, 60.0), -0.096, 24),  # across the antimeridian
    ((179.9, 10.0), (-179.9, 10.5), 0.16, 48),
    ((20.0, 84.0), (160.0, 84.0), 0.58, 48),  # near the pole
    ((24.0, 54.0), (24.0, 54.0), 0.16, 48),  # nowhere
]


@pytest.fixture
def bundled_page(tmp_path: Path, browser: Browser) -> Any:
    path = tmp_path / "map.html"
    path.write_text(render_html(pipeline.layers_for(None)), encoding="utf-8")
    return browser.open(path)


@pytest.fixture
def large_layers(write_csv: Callable[..., Path]) -> Any:
    """800 movements on 700 routes among 40 places: drawn on a canvas, some flows merged."""
    places = write_csv(
        "name,aliases,lat,lon,country,kind\n"
        + "".join(f"P{i},,{48 + i % 8 * 0.9},{16 + i // 8 * 1.6},PL,town\n" for i in range(40)),
        name="places.csv",
    )
    rows = [
        f"m{i},2022-03-{1 + i % 28:02d},Russia,{i % 9}th Brigade,P{i // 39},"
        f"P{(i // 39 + 1 + i % 39) % 40},{100 + i},reported,https://example.org/{i},\n"
        for i in range(700)
    ]
    rows += [
        f"x{i},2022-04-{1 + i % 30:02d},Belarus,,P0,P39,{1000 + i},ordered,,note {i}\n"
        for i in range(100)
    ]
    return pipeline.layers_for(write_csv(HEADER + "".join(rows)), [places])


@pytest.fixture
def large_map(tmp_path: Path, large_layers: Any) -> Path:
    path = tmp_path / "large.html"
    path.write_text(render_html(large_layers), encoding="utf-8")
    return path


def test_the_browser_draws_the_curves_the_python_geometry_draws(bundled_page: Any) -> None:
    for a, b, bend, n in CASES:
        in_browser = np.array(
            bundled_page.evaluate(
                "([a, b, bend, n]) => troopmap.geometry.arc(a, b, bend, n)", [a, b, bend, n]
            )
        )
        in_python = np.asarray(geometry.arc_between(a, b, bend, n).coords)
        assert np.allclose(in_browser, in_python, atol=1e-9), (a, b)


def test_the_canvas_curves_stay_within_a_quarter_pixel_of_the_curve_at_zoom_9(
    bundled_page: Any,
) -> None:
    for a, b, bend, samples in CASES[:3]:
        pieces = np.array(
            bundled_page.evaluate(
                "([a, b, bend, n]) => "
                "Array.from(troopmap.geometry.pieces(a, b, bend, undefined, 0, n))",
                [a, b, bend, samples],
            )
        ).reshape(-1, 2)
        count, steps = (len(pieces) - 1) // 2, 100
        # Piece j draws the stretch of the curve from t = j / count to (j + 1) / count; the
        # curve is the Python one, bowed as its points (48 or 24) are.
        curve = _mercator(_arc_at(a, b, bend, samples, np.linspace(0, 1, count * steps + 1)))
        for j in range(count):
            drawn = _quadratic(pieces[2 * j], pieces[2 * j + 1], pieces[2 * j + 2], steps + 1)
            exact = curve[j * steps : (j + 1) * steps + 1]
            assert np.hypot(*(drawn - exact).T).max() * 2**9 < 0.25, (a, b, j)


def test_the_projection_is_leaflets(bundled_page: Any) -> None:
    points = [[13.4, 52.5], [-77.0, 38.9], [179.9, -84.0], [200.0, 10.0]]
    ours, leaflets = bundled_page.evaluate(
        """(points) => [
        points.map(p => troopmap.geometry.project(p)),
        points.map(p => { const q = L.CRS.EPSG3857.latLngToPoint(L.latLng(p[1], p[0]), 0);
                          return [q.x, q.y]; })]""",
        points,
    )
    assert np.allclose(ours, leaflets, atol=1e-9)


def test_a_small_map_keeps_one_vector_layer_per_flow(bundled_page: Any) -> None:
    overlay = ".leaflet-overlay-pane"
    assert bundled_page.locator(f"{overlay} path.tm-flow").count() == 5
    assert bundled_page.locator(f"{overlay} path.tm-head").count() == 4
    assert bundled_page.locator(".tm-flow-label").count() == 3
    wait_until(bundled_page, "document.querySelector('.leaflet-tm-countries-pane canvas')")
    assert bundled_page.locator(".leaflet-tm-countries-pane canvas").count() == 1


def test_a_large_map_draws_every_flow_on_one_canvas(large_map: Path, browser: Browser) -> None:
    page = browser.open(large_map)
    assert page.locator(".leaflet-overlay-pane path.tm-flow").count() == 0
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert page.get_attribute("[data-tm-drawn]", "data-tm-drawn") == "701"
    assert browser.requests == [] and browser.errors == []


def test_a_small_maps_script_loaded_after_a_large_ones_still_draws_the_large_map(
    large_map: Path, browser: Browser
) -> None:
    """A fragment of a small map pasted after one of a large map: its script, without the
    canvas modules, becomes window.troopmap before the large map draws."""
    page = browser.open(large_map)
    page.evaluate(asset("troopmap.js", canvas=False))
    drawn = page.evaluate(
        """() => new Promise((done) => {
        const data = JSON.parse(document.querySelector("script[id^='tm-flows']").textContent);
        const box = document.createElement("div");
        box.style.cssText = "width: 600px; height: 400px";
        document.body.appendChild(box);
        const view = troopmap.draw(L.map(box), data);
        new MutationObserver(() => done(box.querySelectorAll("canvas").length))
            .observe(box, { attributes: true, attributeFilter: ["data-tm-drawn"] });
        if (!view.canvas) done(0);
    })"""
    )
    assert drawn >= 1
    assert browser.errors == []


def test_clicking_a_merged_flow_lists_the_movements_behind_it(
    large_map: Path,
    browser: Browser,
) -> None:
    page = browser.open(large_map)
    x, y = _on_flow(page, "f => f.k > 1")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .tm-popup-group")
    popup.wait_for(timeout=5000)
    assert "100 movements, ordered:" in popup.inner_text()
    assert popup.locator(".tm-popup-rows li").count() == 100
    assert "P0 → P39" in popup.inner_text()
    assert "note 7" in popup.inner_text()


def test_a_drag_past_the_drawing_keeps_it_on_screen_until_the_new_one_is_done(
    large_map: Path, browser: Browser
) -> None:
    """On a slow computer (the processor slowed twentyfold) the canvas is redrawn over several
    frames when the reader drags past what was drawn: the drawing on screen stays until the new
    one is complete, then the new canvas takes its place in one go."""
    page = browser.open(large_map)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 20})
    page.evaluate("troopmap.views[0].show(() => true)")  # a drawing timed at this speed
    page.evaluate(
        """() => { const pane = document.querySelector(".leaflet-overlay-pane");
        window.frames = 0; window.replacedAtFrame = null; window.mostCanvases = 0;
        window.shown = pane.querySelector("canvas");
        const count = () => { window.frames++; requestAnimationFrame(count); };
        requestAnimationFrame(count);
        new MutationObserver(() => {
            const canvases = pane.querySelectorAll("canvas").length;
            window.mostCanvases = Math.max(window.mostCanvases, canvases);
            if (window.replacedAtFrame === null && !pane.contains(window.shown))
                window.replacedAtFrame = window.frames;
        }).observe(pane, { childList: true }); }"""
    )
    page.mouse.move(100, 400)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(100 + 45 * step, 400 + 5 * step)
    page.evaluate("window.releasedAtFrame = window.frames")
    page.mouse.up()
    wait_until(page, "window.replacedAtFrame !== null", timeout_ms=20_000)
    drawing = page.evaluate(
        """() => ({ frames: window.replacedAtFrame - window.releasedAtFrame,
        canvases: document.querySelectorAll('.leaflet-overlay-pane canvas').length,
        most: window.mostCanvases })"""
    )
    assert drawing["frames"] >= 3  # spread over frames, the old drawing on screen meanwhile
    assert drawing["canvases"] == 1 and drawing["most"] == 1  # then swapped in one go
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    x, y = _on_flow(page, "f => f.k === 1 && f.troops > 700")
    page.mouse.click(x, y)
    page.locator(".leaflet-popup-content .tm-popup").wait_for(timeout=5000)
    assert browser.errors == []


def test_clicking_a_single_flow_shows_its_movement(large_map: Path, browser: Browser) -> None:
    page = browser.open(large_map)
    x, y = _on_flow(page, "f => f.k === 1 && f.troops > 700")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .tm-popup")
    popup.wait_for(timeout=5000)
    assert "troops" in popup.inner_text()
    assert (
        popup.locator("a.tm-popup-source").get_attribute("href").startswith("https://example.org/")
    )


def test_a_filter_hides_flows_and_narrows_merged_ones(large_map: Path, browser: Browser) -> None:
    page = browser.open(large_map)
    widths = page.evaluate("""() => {
        const view = troopmap.views[0];
        const merged = view.model.flows.find(f => f.k > 1);
        const before = merged.width;
        view.show(i => view.movement(i).row > 702);  // all but the first Belarusian row
        const hidden = view.model.flows.filter(f => f.visible === 0).length;
        return [before, merged.width, merged.visible, hidden];
    }""")
    before, after, visible, hidden = widths
    assert visible == 99 and after < before
    assert hidden == 700


def test_the_timeline_and_the_keyboard_work_on_a_canvas_map(
    large_map: Path,
    browser: Browser,
) -> None:
    page = browser.open(large_map)
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
    page.focus(".tm-slider")
    page.keyboard.press("Home")
    assert page.locator(".tm-timeline-day").inner_text() == (
        "1 March 2022: 25 of 800 movements shown"
    )
    assert page.get_attribute("[data-tm-shown]", "data-tm-shown") == "25"
    page.focus(".tm-nav-next")
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelectorAll('.leaflet-popup').length === 1")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "P0 → P1" in popup and "2022-03-01" in popup  # the first row shown, on its own
    assert page.locator(".tm-nav-current").inner_text().startswith("1 of 25: Russia (0th Brigade)")
    assert browser.errors == []


def _on_flow(page: Any, choose: str) -> tuple[float, float]:
    """A point of the screen where a click finds a flow that ``choose`` (a JavaScript test of
    a flow) accepts: a point along its curve, clear of the panels and of other flows."""
    found = page.evaluate(
        """(choose) => {
        const test = eval(choose), handle = troopmap.views[0], map = handle.map;
        const corner = map.getContainer().getBoundingClientRect(); // under the page's header
        for (const flow of handle.model.flows.filter(test)) {
            const points = troopmap.geometry.arc(flow.from, flow.to, flow.bend, 41);
            for (const point of points.slice(4, 37)) {
                const p = map.latLngToContainerPoint([point[1], point[0]]);
                const hit = handle.canvas._hit(map.containerPointToLayerPoint(p));
                const x = p.x + corner.left, y = p.y + corner.top;
                const top = document.elementFromPoint(x, y);
                if (hit === flow && top && top.tagName === "CANVAS") return [x, y];
            }
        }
        return null;
    }""",
        choose,
    )
    assert found, f"no flow to click for {choose}"
    return found[0], found[1]


def _arc_at(
    a: tuple[float, float], b: tuple[float, float], bend: float, samples: int, t: np.ndarray
) -> np.ndarray:
    """The arc of geometry.arc_between(a, b, bend, samples) at parameters t: its great circle,
    bowed with the scale its `samples` points give it."""
    circle = geometry.great_circles(np.array([a]), np.array([b]), len(t))[0]
    mean = geometry.great_circles(np.array([a]), np.array([b]), samples)[0][:, 1].mean()
    scale = np.cos(np.radians(np.clip(mean, -80, 80)))
    x, y = circle[:, 0] * scale, circle[:, 1]
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    length = np.hypot(dx, dy)
    push = bend * length * 4 * t * (1 - t) / 2
    return np.column_stack(
        [(x + push * dy / length) / scale, np.clip(y - push * dx / length, -89.9, 89.9)]
    )


def _mercator(lonlat: np.ndarray) -> np.ndarray:
    lat = np.radians(np.clip(lonlat[:, 1], -85.0511287798, 85.0511287798))
    return np.column_stack(
        [
            256 * (lonlat[:, 0] / 360 + 0.5),
            256 * (0.5 - np.log(np.tan(np.pi / 4 + lat / 2)) / (2 * np.pi)),
        ]
    )


def _quadratic(p: np.ndarray, c: np.ndarray, q: np.ndarray, n: int) -> np.ndarray:
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * p + 2 * t * (1 - t) * c + t**2 * q


@pytest.mark.browser
def test_a_fork_with_counts_shows_each_count_on_its_branch(
    write_csv: Callable[..., Path], tmp_path: Path, browser: Browser
) -> None:
    csv = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Rzeszów=1700; Wiesbaden=300,
        Russia,Russia,Belarus,~30000
    """)
    out = tmp_path / "fork.html"
    out.write_text(render_html(pipeline.layers_for(csv)), encoding="utf-8")
    page = browser.open(out)
    labels = sorted(page.locator(".tm-flow-label").all_inner_texts())
    assert labels == ["1,700", "2,000", "300", "~30,000"]
    assert browser.errors == []
