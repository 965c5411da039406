"""The compact data of the interactive page: merged flows, columns, shapes, and what the legend
says about them."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo import pipeline
from geo.layers import Layers
from geo.render.html import render_html
from geo.render.pagedata import (
    BRANCH,
    DIRECT,
    ESTIMATE,
    TRUNK,
    UNSPLIT,
    _encode_numbers,
    basemap_data,
    encode_shapes,
    page_bends,
    page_data,
    round_down,
)

HEADER = "id,date,actor,unit,origin,destination,troops,status,source,notes\n"
SOURCE = "https://example.org/report"


def layers_of(write_csv: Callable[..., Path], rows: str) -> Layers:
    return pipeline.layers_for(write_csv(HEADER + rows))


def test_movements_on_the_same_route_by_the_same_actor_with_one_status_are_one_flow(
    write_csv: Callable[..., Path],
) -> None:
    layers = layers_of(write_csv, (
        f"a,2022-02-01,Russia,1st,Pskov,Minsk,1000,reported,{SOURCE},\n"
        f"b,2022-02-02,Belarus,,Pskov,Minsk,500,reported,{SOURCE},\n"
        f"c,2022-02-03,Russia,2nd,Pskov,Minsk,3000,reported,{SOURCE},\n"
        f"d,2022-02-04,Russia,3rd,Pskov,Minsk,200,claimed,{SOURCE},\n"
        f"e,2022-02-05,Russia,4th,Minsk,Pskov,100,reported,{SOURCE},\n"
    ))
    page = page_data(layers)
    flows, movements = page.data["flows"], page.data["movements"]
    assert flows["k"] == [2, 1, 1, 1]
    first = flows["m"][0]
    assert movements["id"][first:first + 2] == ["a", "c"]  # the rows behind it, side by side
    assert sorted(movements["id"]) == ["a", "b", "c", "d", "e"]  # every row is still there
    assert page.merged_flows
    assert page.largest_flow == 4000  # widths are scaled to the widest merged flow
    assert len(layers.flows) == 5  # the layers (static map, GIS files) keep one flow each


def test_flows_between_the_same_places_fan_out_as_in_the_layers(
    write_csv: Callable[..., Path],
) -> None:
    layers = layers_of(write_csv, (
        "a,,Russia,,Pskov,Minsk,1000,reported,,\n"
        "b,,Belarus,,Pskov,Minsk,500,reported,,\n"
        "c,,Russia,,Minsk,Pskov,100,reported,,\n"
    ))
    assert page_data(layers).data["flows"]["bend"] == pytest.approx([0.16, 0.30, 0.16])


def test_the_fan_of_a_busy_route_stops_widening() -> None:
    bends = page_bends([(0, 1)] * 9 + [(1, 0)])
    assert bends[:6] == pytest.approx([0.16, 0.30, 0.44, 0.58, 0.72, 0.86])
    assert bends[6:9] == pytest.approx([0.86] * 3)
    assert bends[9] == pytest.approx(0.16)


def test_a_forked_movement_keeps_its_trunk_and_branches(write_csv: Callable[..., Path]) -> None:
    layers = layers_of(write_csv, ("a,,United States,,Germany,Poland=300; Romania=700,,,,\n"
                                   "b,,United States,,Germany,Poland; Romania,1000,,,\n"))
    flows = page_data(layers).data["flows"]
    assert flows["kind"] == [TRUNK, BRANCH, BRANCH] * 2
    assert flows["m"] == [0, 0, 0, 1, 1, 1] and flows["k"] == [1] * 6
    assert flows["t"] == [0, 300, 700, 0, -1, -1]  # a branch's own count; -1: not reported
    assert flows["bend"] == pytest.approx([0.08, -0.096, 0.096, 0.15, -0.18, 0.18])


def test_forces_stationed_at_one_place_merge_unless_a_row_names_several_places(
    write_csv: Callable[..., Path],
) -> None:
    layers = layers_of(write_csv, (
        "a,,Russia,,,Minsk,1000,,,\n"
        "b,,Russia,,,Minsk,500,,,\n"
        "c,,Russia,,,Minsk; Brest,300,,,\n"
    ))
    page = page_data(layers)
    stations, movements = page.data["stations"], page.data["movements"]
    assert stations["k"] == [2, 1, 1]
    assert stations["t"] == [1500, 300, 300]
    assert [movements["id"][m] for m in stations["m"]] == ["a", "c", "c"]
    assert page.merged_stations


def test_each_movement_keeps_its_dates_flags_and_texts(write_csv: Callable[..., Path]) -> None:
    layers = layers_of(write_csv, (
        f"a,2022-02-10/2022-02-20,Russia,1st Guards,Pskov,Minsk,~30000,claimed,{SOURCE},drills\n"
        f"b,2022-02,Russia,1st Guards,Pskov,Brest; Minsk,2000,,{SOURCE},\n"
    ))
    data = page_data(layers).data
    m, texts = data["movements"], data["texts"]
    assert m["id"] == ["a", "b"] and m["row"] == [2, 3]
    assert [texts[i] for i in m["date"]] == ["2022-02-10/2022-02-20", "2022-02"]
    assert [texts[i] for i in m["start"]] == ["2022-02-10", "2022-02-01"]
    assert [texts[i] for i in m["end"]] == ["2022-02-20", "2022-02-28"]
    assert m["flags"] == [ESTIMATE, UNSPLIT]
    assert m["unit"][0] == m["unit"][1]  # a repeated text is stored once
    assert data["sources"] == ["", SOURCE]
    assert [data["statuses"][s] for s in m["status"]] == ["claimed", "reported"]


def test_a_large_map_fades_its_small_flows_and_says_so(write_csv: Callable[..., Path]) -> None:
    rows = "".join(f"m{i},,Russia,,P{i // 39},P{(i // 39 + 1 + i % 39) % 40},{10 + i},,,\n"
                   for i in range(1000))  # a thousand different routes
    places = write_csv("name,aliases,lat,lon,country,kind\n" + "".join(
        f"P{i},,{50 + i % 8 * 0.7},{20 + i // 8 * 0.9},PL,town\n" for i in range(40)),
        name="places.csv")
    layers = pipeline.layers_for(write_csv(HEADER + rows), [places])
    page = page_data(layers)
    assert page.data["canvas"]
    totals = sorted(page_data(layers).data["movements"]["troops"], reverse=True)
    assert page.fade_below == round_down(totals[300])  # about 300 flows drawn in full
    assert page.data["fade"]["below"] == page.fade_below
    page_html = render_html(layers)
    assert f"flows of fewer than {page.fade_below:,} troops are drawn as thin" in page_html


def test_a_small_map_is_drawn_in_full(write_csv: Callable[..., Path]) -> None:
    page = page_data(layers_of(write_csv, "a,,Russia,,Pskov,Minsk,1000,,,\n"))
    assert not page.data["canvas"] and page.data["fade"] is None and not page.fade_below


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0), (1, 1), (7, 6), (1499, 1000), (2600, 2500), (7999, 7500), (12_345, 10_000),
    (19_999, 15_000),
])
def test_thresholds_are_round_numbers(value: int, expected: int) -> None:
    assert round_down(value) == expected


def test_polyline_encoding_is_the_published_algorithm() -> None:
    # The example of Google's "Encoded Polyline Algorithm Format" page.
    points = np.array([[38.5, -120.2], [40.7, -120.95], [43.252, -126.453]])
    grid = np.round(points * 1e5).astype(np.int64)
    deltas = np.vstack([grid[:1], np.diff(grid, axis=0)])
    text, ends = _encode_numbers(deltas.ravel())
    assert text == b"_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert ends[-1] == len(text)
    assert _encode_numbers(deltas.ravel(), batch=2)[0] == text


def test_country_shapes_decode_to_the_layers_coordinates() -> None:
    layers = pipeline.layers_for(None)
    shapes = basemap_data(layers)["shapes"]
    geometries = np.asarray(layers.countries.geometry.values)
    for shape, geometry in zip(shapes, geometries, strict=True):
        rings = [_decode(ring) for polygon in shape.split(";") for ring in polygon.split(" ")]
        expected = [np.asarray(ring.coords)[:-1] for polygon in shapely.get_parts(geometry)
                    for ring in [polygon.exterior, *polygon.interiors]]
        kept = [r for r in expected if len(np.unique(np.round(r, 3), axis=0)) >= 3]
        assert len(rings) == len(kept)
        for got, want in zip(rings, kept, strict=True):
            assert np.allclose(got[:, ::-1], _dedupe(np.round(want, 3)), atol=1e-9)


def test_the_bundled_page_shapes_are_the_bundled_countries() -> None:
    """datasets/countries-page.json is derived from countries.geojson (scripts/
    derive_countries.py --page-only): re-derive it if this fails."""
    layers = pipeline.layers_for(None)
    encoded = encode_shapes(np.asarray(layers.countries.geometry.values), 3)
    assert basemap_data(layers)["shapes"] == encoded


def test_the_page_weighs_far_less_than_the_country_file() -> None:
    layers = pipeline.layers_for(None)
    assert len(json.dumps(basemap_data(layers))) < 400_000
    assert len(render_html(layers).encode()) < 700_000


def test_the_same_layers_give_the_same_page(write_csv: Callable[..., Path]) -> None:
    rows = "".join(f"m{i},,Russia,,Pskov,Minsk,{i + 1},,,\n" for i in range(50))
    layers = layers_of(write_csv, rows)
    assert render_html(layers) == render_html(layers)


def test_the_footer_names_the_source_sites_not_every_report(
    write_csv: Callable[..., Path],
) -> None:
    rows = "".join(f"m{i},,Russia,,Pskov,Minsk,1,,https://site{i % 12}.example/r{i},\n"
                   for i in range(40))
    page_html = render_html(layers_of(write_csv, rows))
    footer = page_html[page_html.index('<footer'):page_html.index("</footer>")]
    assert footer.count("<a ") == 8 + 1  # eight sites and Natural Earth
    assert "4 more sites" in footer


def test_flow_kinds_are_known_to_the_script() -> None:
    assets = Path(__file__).parent.parent / "geo" / "render" / "assets"
    script = (assets / "troopmap.js").read_text()
    assert f"DIRECT = {DIRECT}, TRUNK = {TRUNK}, BRANCH = {BRANCH}" in script
    assert f"ESTIMATE = {ESTIMATE}, UNSPLIT = {UNSPLIT}" in script


def _decode(text: str) -> np.ndarray:
    values, number, shift = [], 0, 0
    for char in text:
        byte = ord(char) - 63
        number |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(number >> 1) if number & 1 else number >> 1)
            number, shift = 0, 0
    return np.cumsum(np.array(values).reshape(-1, 2), axis=0) / 1000


def _dedupe(points: np.ndarray) -> np.ndarray:
    keep = np.r_[True, (np.diff(points, axis=0) != 0).any(axis=1)]
    return points[keep]


def test_widths_follow_the_square_root_of_the_total(write_csv: Callable[..., Path]) -> None:
    page = page_data(layers_of(write_csv, (
        "a,,Russia,,Pskov,Minsk,900,,,\nb,,Russia,,Pskov,Minsk,700,,,\nc,,Russia,,Minsk,Pskov,400,,,\n"
    )))
    assert page.width_for(1600) == pytest.approx(16.0)
    assert page.width_for(400) == pytest.approx(16.0 * math.sqrt(400 / 1600))
