"""The compact data of the interactive page: merged flows, columns, shapes, and what the legend
says about them."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo import pipeline
from geo.layers import Layers
from geo.legend import LABEL_LIMITS
from geo.render.html import render_html
from geo.render.inline import script_json
from geo.render.page_extras import SymbolTable
from geo.render.page_shapes import _encode_numbers, basemap_shapes, detail_window
from geo.render.pagebasemap import basemap_data
from geo.render.pagedata import (
    BRANCH,
    DIRECT,
    TRUNK,
    PageData,
    page_data,
)
from tests.conftest import movement_records

HEADER = "id,date,actor,unit,origin,destination,troops,status,source,notes\n"
SOURCE = "https://example.org/report"


def layers_of(write_csv: Callable[..., Path], rows: str) -> Layers:
    return pipeline.layers_for(write_csv(HEADER + rows))


def page_of(layers: Layers) -> PageData:
    return page_data(layers, SymbolTable("test"))


def test_movements_on_the_same_route_by_the_same_actor_with_one_status_are_one_flow(
    write_csv: Callable[..., Path],
) -> None:
    layers = layers_of(
        write_csv,
        (
            f"a,2022-02-01,Russia,1st,Pskov,Minsk,1000,reported,{SOURCE},\n"
            f"b,2022-02-02,Belarus,,Pskov,Minsk,500,reported,{SOURCE},\n"
            f"c,2022-02-03,Russia,2nd,Pskov,Minsk,3000,reported,{SOURCE},\n"
            f"d,2022-02-04,Russia,3rd,Pskov,Minsk,200,claimed,{SOURCE},\n"
            f"e,2022-02-05,Russia,4th,Minsk,Pskov,100,reported,{SOURCE},\n"
        ),
    )
    page = page_of(layers)
    flows = page.data["flows"]
    assert flows["k"] == [2, 1, 1, 1]
    first = flows["m"][0]
    assert page.order[first : first + 2] == ["a", "c"]  # the rows behind it, side by side
    assert sorted(page.order) == ["a", "b", "c", "d", "e"]  # every row is still there
    assert page.merged_flows
    assert page.largest_flow == 4000  # widths are scaled to the widest merged flow
    assert len(layers.flows) == 5  # the layers (static map, GIS files) keep one flow each


def test_flows_between_the_same_places_fan_out_as_in_the_layers(
    write_csv: Callable[..., Path],
) -> None:
    layers = layers_of(
        write_csv,
        (
            "a,,Russia,,Pskov,Minsk,1000,reported,,\n"
            "b,,Belarus,,Pskov,Minsk,500,reported,,\n"
            "c,,Russia,,Minsk,Pskov,100,reported,,\n"
        ),
    )
    assert page_of(layers).data["flows"]["bend"] == pytest.approx([0.16, 0.30, 0.16])


def test_a_forked_movement_keeps_its_trunk_and_branches(write_csv: Callable[..., Path]) -> None:
    layers = layers_of(
        write_csv,
        (
            "a,,United States,,Germany,Poland=300; Romania=700,,,,\n"
            "b,,United States,,Germany,Poland; Romania,1000,,,\n"
        ),
    )
    flows = page_of(layers).data["flows"]
    assert flows["kind"] == [TRUNK, BRANCH, BRANCH] * 2
    assert flows["m"] == [0, 0, 0, 1, 1, 1] and flows["k"] == [1] * 6
    assert flows["t"] == [0, 300, 700, 0, -1, -1]  # a branch's own count; -1: not reported
    assert flows["bend"] == pytest.approx([0.08, -0.096, 0.096, 0.15, -0.18, 0.18])


def test_forces_stationed_at_one_place_merge_unless_a_row_names_several_places(
    write_csv: Callable[..., Path],
) -> None:
    layers = layers_of(
        write_csv,
        ("a,,Russia,,,Minsk,1000,,,\nb,,Russia,,,Minsk,500,,,\nc,,Russia,,,Minsk; Brest,300,,,\n"),
    )
    page = page_of(layers)
    stations = page.data["stations"]
    assert stations["k"] == [2, 1, 1]
    assert stations["t"] == [1500, 300, 300]
    assert [page.order[m] for m in stations["m"]] == ["a", "c", "c"]
    assert page.merged_stations


def test_each_movement_keeps_its_dates_labels_and_texts(write_csv: Callable[..., Path]) -> None:
    layers = layers_of(
        write_csv,
        (
            "a,2022-02-10/2022-02-20,Russia,1st Guards,Pskov,Minsk,~30000,claimed,"
            f"{SOURCE},drills\n"
            f"b,2022-02,Russia,1st Guards,Pskov,Brest; Minsk,2000,,{SOURCE},\n"
            "c,,Russia,,Pskov,Brest,5,,,\n"
        ),
    )
    data = page_of(layers).data
    a, b, c = movement_records(data)
    assert (a["row"], b["row"], c["row"]) == (2, 3, 4)
    assert (a["date"], a["start"], a["end"]) == (
        "2022-02-10/2022-02-20",
        "2022-02-10",
        "2022-02-20",
    )  # an exercise window
    assert (b["date"], b["start"], b["end"]) == ("2022-02", "2022-02-01", "")  # from then on
    assert (c["date"], c["start"], c["end"]) == ("", "", "")  # undated: always shown
    assert (a["label"], a["estimate"]) == ("~30,000", 1)
    assert (b["label"], b["estimate"]) == ("2,000 · split not reported", 0)
    assert data["movements"]["unit"][0] == data["movements"]["unit"][1]  # stored once
    assert data["sources"] == ["", SOURCE]
    assert [a["status"], b["status"]] == ["claimed", "reported"]
    assert (a["notes"], a["origin"], a["destination"]) == ("drills", "Pskov", "Minsk")


def test_a_large_map_is_drawn_on_a_canvas_fades_its_smaller_flows_and_says_so(
    write_csv: Callable[..., Path],
) -> None:
    rows = "".join(
        f"m{i},,Russia,,P{i // 39},P{(i // 39 + 1 + i % 39) % 40},{10 + i},,,\n"
        for i in range(1000)
    )  # a thousand different routes
    places = write_csv(
        "name,aliases,lat,lon,country,kind\n"
        + "".join(f"P{i},,{50 + i % 8 * 0.7},{20 + i // 8 * 0.9},PL,town\n" for i in range(40)),
        name="places.csv",
    )
    layers = pipeline.layers_for(write_csv(HEADER + rows), [places])
    page = page_of(layers)
    assert page.data["canvas"]
    assert page.data["fade"] == {"flows": 400, "stations": 0}
    assert "Where more than 400 flows are in view, the 400 largest are drawn in full" in (
        render_html(layers)
    )


def test_a_small_map_is_drawn_in_full(write_csv: Callable[..., Path]) -> None:
    page = page_of(layers_of(write_csv, "a,,Russia,,Pskov,Minsk,1000,,,\n"))
    assert not page.data["canvas"] and page.data["fade"] is None and not page.fade_flows


def test_the_legend_says_when_an_arrow_stands_for_several_movements(
    write_csv: Callable[..., Path],
) -> None:
    merged = render_html(
        layers_of(write_csv, "a,,Russia,,Pskov,Minsk,1000,,,\nb,,Russia,,Pskov,Minsk,500,,,\n")
    )
    single = render_html(layers_of(write_csv, "a,,Russia,,Pskov,Minsk,1000,,,\n"))
    note = "One arrow per route, actor and status"
    assert note in merged and note not in single


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
    data = basemap_data(layers)
    digits = data["digits"]
    geometries = basemap_shapes(layers.countries, detail_window(layers.focus))
    for shape, geometry in zip(data["shapes"], geometries, strict=True):
        rings = [
            _decode(ring, digits)
            for polygon in shape.split(";")
            if polygon
            for ring in polygon.split(" ")
        ]
        expected = [
            np.asarray(ring.coords)[:-1]
            for polygon in shapely.get_parts(geometry)
            for ring in [polygon.exterior, *polygon.interiors]
        ]
        kept = [r for r in expected if len(_dedupe(np.round(r, digits))) >= 3]
        assert len(rings) == len(kept)
        for got, want in zip(rings, kept, strict=True):
            assert np.allclose(got[:, ::-1], _dedupe(np.round(want, digits)), atol=1e-9)


def test_the_bundled_page_weighs_far_less_than_the_country_file() -> None:
    layers = pipeline.layers_for(None)
    assert len(script_json(basemap_data(layers))) < 400_000
    assert len(render_html(layers).encode()) < 700_000


def test_the_same_layers_give_the_same_page(write_csv: Callable[..., Path]) -> None:
    rows = "".join(f"m{i},,Russia,,Pskov,Minsk,{i + 1},,,\n" for i in range(50))
    layers = layers_of(write_csv, rows)
    assert render_html(layers) == render_html(layers)


def test_the_page_data_carries_every_size_limit_and_grey_the_script_draws_with(
    write_csv: Callable[..., Path],
) -> None:
    """The page's script copies no Python constant: it reads them from the page data."""
    from geo import layers as rules
    from geo.render.pageparts import map_data

    data = map_data(layers_of(write_csv, "a,,Russia,,Pskov,Minsk,900,,,\n"))
    style = data["legend"]["style"]
    assert style["minWidth"] == rules.MIN_WIDTH_PX
    assert style["minRadius"] == rules.MIN_RADIUS_PX
    assert style["unsplitBranch"] == rules.UNSPLIT_BRANCH_SHARE
    assert style["opacity"] == rules.OPACITY
    assert style["labelLimits"] == LABEL_LIMITS
    assert style["borders"] == rules.BORDERS
    assert basemap_data(layers_of(write_csv, "a,,Russia,,Pskov,Minsk,900,,,\n"))["borders"] == (
        rules.BORDERS
    )
    assert [data["kinds"][code] for code in (DIRECT, TRUNK, BRANCH)] == [
        "direct",
        "trunk",
        "branch",
    ]


def test_the_script_copies_no_python_constant() -> None:
    """No number of geo.layers written into the page's script (its old copies: 1.5, 0.35 ...)."""
    from geo.render.pagescript import MODULES, module_source

    for name in MODULES:
        source = module_source(name)
        for copy in ("MIN_WIDTH", "MIN_RADIUS", "LABEL_LIMIT", "#8c8c8c", "#b5b5b5", "BRANCH = 2"):
            assert copy not in source, f"{name}.js: {copy}"


def test_widths_follow_the_square_root_of_the_total(write_csv: Callable[..., Path]) -> None:
    page = page_of(
        layers_of(
            write_csv,
            (
                "a,,Russia,,Pskov,Minsk,900,,,\nb,,Russia,,Pskov,Minsk,700,,,\nc,,Russia,,Minsk,Pskov,400,,,\n"
            ),
        )
    )
    assert page.width_for(1600) == pytest.approx(16.0)
    assert page.width_for(400) == pytest.approx(16.0 * math.sqrt(400 / 1600))


def _decode(text: str, digits: int) -> np.ndarray:
    values, number, shift = [], 0, 0
    for char in text:
        byte = ord(char) - 63
        number |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(number >> 1) if number & 1 else number >> 1)
            number, shift = 0, 0
    return np.cumsum(np.array(values).reshape(-1, 2), axis=0) / 10**digits


def _dedupe(points: np.ndarray) -> np.ndarray:
    keep = np.r_[True, (np.diff(points, axis=0) != 0).any(axis=1)]
    return points[keep]


def test_the_footer_names_the_source_sites_not_every_report(
    write_csv: Callable[..., Path],
) -> None:
    rows = "".join(
        f"m{i},,Russia,,Pskov,Minsk,1,,https://site{i % 12}.example/r{i},\n" for i in range(40)
    )
    page_html = render_html(layers_of(write_csv, rows))
    footer = page_html[page_html.index("<footer") : page_html.index("</footer>")]
    assert footer.count('target="_blank"') == 8 + 1  # eight sites and Natural Earth
    assert "4 more sites" in footer


def test_a_place_given_as_coordinates_is_labelled_near_a_town_and_its_popup_keeps_the_numbers(
    write_csv, tmp_path
):
    from geo.render.pageparts import map_data

    csv = write_csv(
        'actor,origin,destination,troops\nNetherlands,"52.37,4.90",Poland,200\n'
        'Netherlands,,"45.0,-30.0",50\n'
    )
    data = map_data(pipeline.layers_for(csv))
    labels = {
        data["texts"][name]
        for name, shown in zip(data["places"]["name"], data["places"]["label"])
        if shown
    }
    assert labels == {"near Amsterdam", "Poland"}
    assert [data["texts"][t] for t in data["stations"]["tag"]] == [""]  # nothing is near
    records = movement_records(data)
    assert [r["origin"] for r in records] == ["52.37,4.90", ""]
    assert records[1]["destination"] == "45.0,-30.0"
