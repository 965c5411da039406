"""Areas and context as a reader sees them: on the page in Chromium and on the static map."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from geo import pipeline
from geo.render.static import draw_map, figure_size

AREAS = """\
actor,unit,origin,destination,troops
Russia,Black Sea Fleet,,Crimea,30000
Belarus,,,Gomel Oblast,5000
Russia,,Rostov-on-Don,Donetsk Oblast,2000
"""
RUSSIA = "#D55E00"

AREA_PATHS = """() => Array.from(document.querySelectorAll('.leaflet-container path.tm-area'))
  .map(p => {
    const box = p.getBoundingClientRect();
    const id = (p.getAttribute('fill') || '').replace(/^url\\(#|\\)$/g, '');
    const pattern = id ? document.getElementById(id) : null;
    const line = pattern ? pattern.querySelector('line') : null;
    return {fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),
            inMap: !!p.closest('.leaflet-container'),
            hatch: line ? line.getAttribute('stroke') : null,
            box: [box.left, box.top, box.right, box.bottom]};
  })"""

LABELS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(n => !n.closest('.tm-label-hidden') && !n.classList.contains('tm-label-hidden'))
  .map(n => { const s = n.classList.contains('tm-city-label') ? n.lastChild : n;
              const r = s.getBoundingClientRect();
              return {text: n.textContent, box: [r.left, r.top, r.right, r.bottom]}; })
  .filter(l => l.box[2] > l.box[0])"""


@pytest.fixture
def area_page(render: Callable[..., Any], write_csv: Callable[..., Path], tmp_path: Path) -> Path:
    page = tmp_path / "areas.html"
    render(str(write_csv(AREAS)), "-o", str(page))
    return page


def inside(inner: list[float], outer: list[float]) -> bool:
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (700, 438), (390, 844)])
def test_a_force_in_an_area_is_the_area_hatched_in_its_colour_with_its_figure_inside(
    browser: Any, area_page: Path, width: int, height: int
) -> None:
    page = browser.open(area_page, width, height)
    areas = page.evaluate(AREA_PATHS)
    assert len(areas) == 2
    crimea = next(a for a in areas if a["stroke"] == RUSSIA)
    assert crimea["inMap"] and crimea["fill"].startswith("url(#tm-hatch-")
    assert crimea["hatch"] == RUSSIA  # the pattern's lines are in the actor's colour
    figures = page.evaluate(LABELS, ".tm-area-label")
    figure = next(f for f in figures if f["text"].startswith("30,000"))
    centre = [(figure["box"][0] + figure["box"][2]) / 2, (figure["box"][1] + figure["box"][3]) / 2]
    assert inside([*centre, *centre], crimea["box"]), (figure, crimea)
    assert not page.evaluate("document.querySelector('.tm-station:not(.tm-area)')")  # no circle
    assert browser.requests == [] and browser.errors == []


@pytest.mark.browser
def test_the_context_names_cities_by_zoom_and_never_over_the_datas_labels(
    browser: Any, render: Callable[..., Any], tmp_path: Path
) -> None:
    page_path = tmp_path / "bundled.html"
    render("-o", str(page_path))
    page = browser.open(page_path, 1280, 800)
    page.wait_for_selector("[data-tm-cities]", state="attached", timeout=10_000)
    cities = page.evaluate(LABELS, ".tm-city-label")
    names = {c["text"] for c in cities}
    assert {"Warsaw", "Kyiv", "Moscow"} <= names
    data_labels = page.evaluate(
        LABELS, ".tm-flow-label, .tm-station-label, .tm-place-label, .tm-country-label"
    )
    assert data_labels
    for city in cities:
        for label in data_labels:
            assert not overlap(city["box"], label["box"]), (city, label)
    counted = "Number(document.querySelector('[data-tm-cities]').dataset.tmCities)"
    page.evaluate("troopmap.views[0].map.setZoom(4, {animate: false})")
    page.wait_for_timeout(300)
    capitals = page.evaluate(counted)
    page.evaluate("troopmap.views[0].map.setZoom(6, {animate: false})")
    page.wait_for_timeout(300)
    assert page.evaluate(counted) > capitals > 0  # cities of a million join closer in
    assert browser.requests == [] and browser.errors == []


def test_no_context_leaves_the_page_without_it(render: Callable[..., Any], tmp_path: Path) -> None:
    with_context, without = tmp_path / "with.html", tmp_path / "without.html"
    render("-o", str(with_context))
    render("-o", str(without), "--no-context")
    assert "troopmap.context(" in with_context.read_text()
    assert "troopmap.context(" not in without.read_text()
    assert without.stat().st_size < with_context.stat().st_size


def test_the_static_map_hatches_an_area_in_its_actors_colour_with_the_figure_inside(
    write_csv: Callable[..., Path],
) -> None:
    from matplotlib.colors import to_hex
    from matplotlib.patches import PathPatch

    layers = pipeline.layers_for(write_csv(AREAS))
    drawn = draw_map(layers, figure_size(dpi=100))
    hatched = [p for p in drawn.ax.patches if isinstance(p, PathPatch) and p.get_hatch()]
    assert sorted(to_hex(p.get_edgecolor()).upper() for p in hatched) == ["#56B4E9", RUSSIA]
    texts = {t.get_text(): t for t in drawn.ax.texts}
    crimea = next(p for p in hatched if to_hex(p.get_edgecolor()).upper() == RUSSIA)
    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    box = texts["30,000"].get_window_extent(renderer)
    centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    assert crimea.contains_point(centre)
    # The hatch is drawn: around Crimea's point, pixels of Russia's colour.
    image = np.asarray(Image.open(io.BytesIO(drawn.to_bytes("png"))).convert("RGB")).astype(int)
    column, row = drawn.pixel_of(34.0, 45.6)
    patch = image[int(row) - 25 : int(row) + 25, int(column) - 25 : int(column) + 25]
    orange = np.array([0xD5, 0x5E, 0x00])
    assert (np.abs(patch - orange).sum(axis=2) < 60).sum() > 20
    assert not any(c.get_offsets().shape[0] for c in drawn.ax.collections if _is_circle(c))


def _is_circle(collection: Any) -> bool:
    """A scatter of stationed forces' circles (large markers)."""
    from matplotlib.collections import PathCollection

    sizes = collection.get_sizes() if isinstance(collection, PathCollection) else []
    return len(sizes) > 0 and float(np.max(sizes)) > 400


def test_the_static_map_names_capitals_and_draws_rivers_faintly(
    write_csv: Callable[..., Path],
) -> None:
    layers = pipeline.layers_for(write_csv(AREAS))
    drawn = draw_map(layers, figure_size(dpi=100))
    names = {t.get_text() for t in drawn.ax.texts}
    assert {"Kyiv", "Minsk", "Chisinau"} <= names
    bare = draw_map(layers, figure_size(dpi=100), context=False)
    assert "Kyiv" not in {t.get_text() for t in bare.ax.texts}
