"""The bundled map in a real headless Chromium, offline: what a reader sees."""

from __future__ import annotations

import pytest

from geo import pipeline

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "deployments.html"
    pipeline.write(pipeline.layers_for(), path)
    return path


def test_arrows_are_drawn_and_nothing_leaves_the_page(browser, bundled_page):
    page = browser.open(bundled_page)
    flows = page.locator(".leaflet-overlay-pane path.tm-flow")
    heads = page.locator(".leaflet-overlay-pane path.tm-head")
    assert flows.count() == 5  # direct, direct, trunk + two branches
    assert heads.count() == 4
    assert page.locator(".leaflet-overlay-pane path.tm-station").count() == 1
    assert browser.requests == []
    assert browser.errors == []


def test_clicking_the_romania_arrow_shows_1000_troops(browser, bundled_page):
    page = browser.open(bundled_page)
    page.locator(".leaflet-overlay-pane path.tm-flow").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "1,000 troops" in text
    assert "Germany → Romania" in text
    assert "ordered" in text
    link = popup.locator("a")
    assert link.get_attribute("href").startswith("https://www.themoscowtimes.com/2022/02/02/")
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_arrows_point_where_the_places_are(browser, bundled_page):
    page = browser.open(bundled_page)
    tips = page.evaluate("""() => {
        const map = Object.values(window).find(v => v && v instanceof L.Map);
        const out = {};
        map.eachLayer(l => {
            if (l instanceof L.Polygon && l.options.className === 'tm-head') {
                const p = l.getLatLngs()[0][0];
                out[p.lat.toFixed(1) + ',' + p.lng.toFixed(1)] = true;
            }
        });
        return Object.keys(out).sort();
    }""")
    # Romania, Germany, Poland, Belarus: Natural Earth's label points
    assert tips == ["45.7,25.0", "51.0,9.7", "52.0,19.5", "53.8,28.4"]


def test_the_map_frames_europe_and_the_legend_names_both_actors(browser, bundled_page):
    page = browser.open(bundled_page)
    bounds = page.evaluate("""() => {
        const map = Object.values(window).find(v => v && v instanceof L.Map);
        const b = map.getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    }""")
    west, south, east, north = bounds
    assert west < 9.7 and east > 44.7 and south < 45.7 and north > 58.2
    assert east - west < 80  # Europe, not the whole North Atlantic
    legend = page.locator(".tm-legend").inner_text()
    assert "United States" in legend and "Russia" in legend
    assert page.locator(".leaflet-control-layers").inner_text().count("Russia") == 1
