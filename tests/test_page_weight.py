"""A light page: a phone reader downloads the bundled map in one go, so what it carries counts.

The speed itself (Lighthouse on a simulated phone) is measured by
``tests/benchmarks/lighthouse.py``; these tests hold the sizes and the parts that make it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely

from geo import pipeline
from geo.paths import bundled
from geo.render.html import render_html
from geo.render.inline import asset
from geo.render.page_shapes import BASEMAP_DIGITS, basemap_shapes, detail_window, encode_shapes
from geo.render.pagebasemap import basemap_data
from geo.render.pagescript import joined_script
from scripts.derive_countries import derive_coarse
from tests.conftest import wait_until

MAX_BUNDLED_PAGE_BYTES = 350_000


@pytest.fixture(scope="module")
def bundled_layers() -> Any:
    return pipeline.layers_for(None)


def shape_of(layers: Any, country: str) -> str:
    """The encoded shape the page carries for one country (by its ISO 3166 alpha-3 code)."""
    ids = layers.countries["adm0_a3"].tolist()
    return str(basemap_data(layers)["shapes"][ids.index(country)])


def detailed(layers: Any, country: str) -> Any:
    return layers.countries.geometry[layers.countries["adm0_a3"] == country].iloc[0]


def test_the_bundled_map_weighs_at_most_350_kb(render: Callable[..., Any], tmp_path: Path) -> None:
    page = tmp_path / "deployments.html"
    result = render("-o", str(page))
    assert page.stat().st_size <= MAX_BUNDLED_PAGE_BYTES, result.stdout
    assert f"({page.stat().st_size / 1000:,.1f} KB)" in result.stdout


def test_countries_around_the_data_are_drawn_in_detail(bundled_layers: Any) -> None:
    for country in ("POL", "ROU", "BLR", "DEU"):
        shape = detailed(bundled_layers, country)
        assert (
            shape_of(bundled_layers, country)
            == encode_shapes(np.array([shape], dtype=object), BASEMAP_DIGITS)[0]
        )


def test_countries_far_from_the_data_are_drawn_coarse(bundled_layers: Any) -> None:
    canada = encode_shapes(
        np.array([detailed(bundled_layers, "CAN")], dtype=object), BASEMAP_DIGITS
    )[0]
    carried = shape_of(bundled_layers, "CAN")
    assert 0 < len(carried) < len(canada) / 5
    # ... but still Canada, where it is: a reader who zooms out sees the world whole.
    coarse = shapely.MultiPolygon(
        shapely.get_parts(shapely.from_geojson(bundled("countries-coarse.geojson").read_bytes()))[
            bundled_layers.countries["adm0_a3"].tolist().index("CAN")
        ]
    )
    real = detailed(bundled_layers, "CAN")
    assert shapely.area(shapely.intersection(coarse, real)) > 0.95 * shapely.area(real)


def test_a_country_across_the_detail_edge_is_whole_and_detailed_inside(bundled_layers: Any) -> None:
    window = detail_window(bundled_layers.focus)
    countries = bundled_layers.countries
    russia = countries[countries["adm0_a3"] == "RUS"]
    drawn = basemap_shapes(russia, window)[0]
    real = detailed(bundled_layers, "RUS")
    box = shapely.box(*window)
    inside = shapely.intersection(real, box)
    changed = shapely.symmetric_difference(shapely.intersection(drawn, box), inside)
    assert shapely.area(changed) < 1e-9 * shapely.area(inside)
    assert abs(shapely.area(drawn) - shapely.area(real)) < 0.02 * shapely.area(real)
    assert shapely.get_num_coordinates(drawn) < shapely.get_num_coordinates(real) / 2


def test_the_detail_reaches_as_far_as_a_phone_shows() -> None:
    # At least 15 degrees, 1.75 times that north and south (a phone held upright shows more).
    assert detail_window((20.0, 50.0, 30.0, 54.0)) == (5.0, 23.75, 45.0, 80.25)
    # 0.6 times the focus's larger side, when that is more.
    assert detail_window((-10.0, 30.0, 50.0, 40.0)) == (-46.0, -33.0, 86.0, 90.0)


@pytest.mark.browser
@pytest.mark.parametrize("size", [(320, 568), (390, 844), (700, 438), (1280, 800), (1920, 1080)])
def test_the_first_view_lies_within_the_detailed_shapes(
    browser: Any, tmp_path: Path, bundled_layers: Any, size: tuple[int, int]
) -> None:
    page_path = tmp_path / "deployments.html"
    pipeline.write(bundled_layers, page_path)
    page = browser.open(page_path, width=size[0], height=size[1])
    shown = page.evaluate("""() => { const b = Object.values(window)
        .find(v => v && v instanceof L.Map).getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
    west, south, east, north = detail_window(bundled_layers.focus)
    assert west <= shown[0] and south <= shown[1] and shown[2] <= east and shown[3] <= north


def test_the_coarse_world_is_derived_from_the_bundled_countries() -> None:
    """``datasets/countries-coarse.geojson`` is made by ``python scripts/derive_countries.py
    --coarse-only`` from ``countries.geojson``: re-derive it if this fails."""
    assert derive_coarse() == bundled("countries-coarse.geojson").read_bytes()


def test_the_page_inlines_its_own_scripts_and_styles_minified(bundled_layers: Any) -> None:
    page = render_html(bundled_layers)  # a small map: without the canvas modules
    script = asset("troopmap.js", canvas=False)
    source = joined_script(canvas=False)
    assert script in page
    assert len(script) < 0.75 * len(source)
    assert "/* troopmap:" in source and "/* troopmap:" not in page


def test_a_fragment_loads_leaflet_only_when_its_page_has_none_yet(bundled_layers: Any) -> None:
    """Leaflet comes at the end of the map's body: a fragment pasted twice in a report still
    loads it once."""
    from geo.render.embed import render_fragment
    from geo.render.inline import leaflet_js

    fragment = render_fragment(bundled_layers)
    assert fragment.count(leaflet_js()) == 1
    guarded = fragment.index("if (!(window.L && L.version === ")
    assert guarded < fragment.index(leaflet_js()) < fragment.index("troopmap.draw(")


COUNTRIES_DRAWN = (
    "document.querySelector('.leaflet-tm-countries-pane canvas[data-tm-countries-drawn]')"
)
LAND_AT = """([lat, lon]) => {
    const map = Object.values(window).find(v => v && v instanceof L.Map);
    const canvas = document.querySelector('.leaflet-tm-countries-pane canvas');
    const at = map.latLngToContainerPoint([lat, lon]);
    const box = canvas.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
    const x = Math.round((at.x + frame.left - box.left) * canvas.width / box.width);
    const y = Math.round((at.y + frame.top - box.top) * canvas.height / box.height);
    return canvas.getContext('2d').getImageData(x, y, 1, 1).data[3] > 0;
}"""


@pytest.mark.browser
def test_a_reader_who_zooms_out_sees_the_whole_world(browser: Any, tmp_path: Path) -> None:
    page_path = tmp_path / "deployments.html"
    pipeline.write(pipeline.layers_for(), page_path)
    page = browser.open(page_path, width=1280, height=800)
    wait_until(page, COUNTRIES_DRAWN)
    assert page.evaluate(LAND_AT, [52.0, 19.5])  # Poland, in the first view
    page.evaluate("""() => Object.values(window).find(v => v && v instanceof L.Map)
                     .setView([45, -60], 2, {animate: false})""")
    wait_until(page, COUNTRIES_DRAWN)
    for lat, lon in ([56.0, -100.0], [-10.0, -55.0], [-25.0, 134.0], [52.0, 19.5]):
        assert page.evaluate(LAND_AT, [lat, lon]), (lat, lon)  # Canada, Brazil, Australia
    assert not page.evaluate(LAND_AT, [30.0, -40.0])  # the Atlantic
    assert browser.requests == [] and browser.errors == []


LEGIBLE_SHARE = """() => {
    let legible = 0, all = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim(), parent = node.parentElement;
        if (!text || !parent || parent.closest('script, style, noscript')) continue;
        if (!parent.getClientRects().length) continue;
        const style = getComputedStyle(parent);
        if (style.visibility === 'hidden') continue;
        all += text.length;
        if (parseFloat(style.fontSize) >= 12) legible += text.length;
    }
    return legible / all;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("size", [(412, 823), (360, 740)])
def test_most_of_the_text_on_a_phone_is_legible(
    browser: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    """As Lighthouse asks: at least 60 % of the text at 12 px or more."""
    page_path = tmp_path / "deployments.html"
    pipeline.write(pipeline.layers_for(), page_path)
    page = browser.open(page_path, width=size[0], height=size[1])
    assert page.evaluate(LEGIBLE_SHARE) >= 0.6


def test_the_title_and_summary_come_before_any_script(bundled_layers: Any) -> None:
    """A phone paints what comes first: the words of the map are on screen before the browser
    has run Leaflet or troopmap's scripts."""
    page = render_html(bundled_layers)
    body = page[page.index("<body>") :]
    first_script = body.index("<script")
    for words in (
        "<h1>United States and Russia: troop movements</h1>",
        bundled_layers.summary.split(":")[0],
        '<aside class="tm-panel tm-legend"',
    ):
        assert words in body[:first_script], words
    head_scripts = re.findall(r"<script>(.*?)</script>", page[: page.index("<body>")], re.S)
    assert [len(script) < 200 for script in head_scripts] == [True]  # folium's two flags only
