"""Country shapes for the page: each country in detail where the data is and coarse beyond
(``basemap_shapes``), as text in the Encoded Polyline Algorithm Format at 2 decimals, about a
sixth of their GeoJSON size (``encode_shapes``)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

# The basemap: 2 decimals (about 1 km) are finer than the bundled shapes' simplification
# (about 3 km in Europe). Countries are drawn in detail within the focus of the map and a
# margin of 0.6 times its larger side (at least 15 degrees), 1.75 times that to the north and
# south: the first view at any size, down to a 320-pixel phone held upright, lies within it
# (``detail_window``); beyond, they are coarse (``basemap_shapes``).
BASEMAP_DIGITS = 2
DETAIL_MARGIN = 0.6
DETAIL_MARGIN_DEGREES = 15.0
DETAIL_TALL = 1.75


def detail_window(focus: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the land drawn in detail: the focus of the map and the
    margin around it that a first view shows (``DETAIL_MARGIN``), more to the north and south,
    where a phone held upright shows more (``DETAIL_TALL``)."""
    west, south, east, north = focus
    margin = max(DETAIL_MARGIN_DEGREES, DETAIL_MARGIN * max(east - west, north - south))
    return (
        max(-180.0, west - margin),
        max(-90.0, south - DETAIL_TALL * margin),
        min(180.0, east + margin),
        min(90.0, north + DETAIL_TALL * margin),
    )


def basemap_shapes(countries: Any, window: tuple[float, float, float, float]) -> np.ndarray:
    """Each country as a reader sees it: its bundled shape inside ``window``, where the data
    is, and beyond it its coarse shape (``datasets/countries-coarse.geojson``), seen only by a
    reader who zooms out to a continent. A country across the window's edge is both, joined
    along the edge. Countries without a coarse shape keep their own."""
    import shapely

    detailed = np.asarray(countries.geometry.values)
    ids = countries["adm0_a3"].tolist() if "adm0_a3" in countries else [None] * len(detailed)
    coarse_of = _coarse_shapes()
    coarse = np.array(
        [coarse_of.get(i, shape) for i, shape in zip(ids, detailed, strict=True)], dtype=object
    )
    west, south, east, north = window
    bounds = shapely.bounds(detailed)
    inside = (
        (bounds[:, 0] >= west)
        & (bounds[:, 1] >= south)
        & (bounds[:, 2] <= east)
        & (bounds[:, 3] <= north)
    )
    beyond = (
        (bounds[:, 2] < west)
        | (bounds[:, 0] > east)
        | (bounds[:, 3] < south)
        | (bounds[:, 1] > north)
    )
    shapes = np.where(inside, detailed, coarse)
    across = ~inside & ~beyond
    if across.any():
        box = shapely.box(west, south, east, north)
        joined = shapely.union(
            shapely.intersection(detailed[across], box), shapely.difference(coarse[across], box)
        )
        shapes[across] = [_polygons(shape) for shape in joined]
    return shapes


def _polygons(geometry: Any) -> Any:
    """Only the polygons of a geometry (cutting along an edge may leave lines and points)."""
    import shapely

    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    parts += [
        q
        for p in shapely.get_parts(geometry)
        if p.geom_type == "MultiPolygon"
        for q in shapely.get_parts(p)
    ]
    return shapely.multipolygons(parts) if parts else shapely.MultiPolygon()


@functools.lru_cache(maxsize=1)
def _coarse_shapes() -> dict[str, Any]:
    """The coarse country shapes by ``adm0_a3`` (see ``scripts/derive_countries.py``)."""
    import json

    import shapely

    from ..paths import bundled

    text = bundled("countries-coarse.geojson").read_bytes()
    ids = [f["properties"]["adm0_a3"] for f in json.loads(text)["features"]]
    shapes = shapely.get_parts(shapely.from_geojson(text))
    return dict(zip(ids, shapes, strict=True))


def encode_shapes(geometries: np.ndarray, digits: int) -> list[str]:
    """Each (multi)polygon as text: polygons separated by ``;``, a polygon's rings (outer first)
    by a space, each ring in the Encoded Polyline Algorithm Format (lat, lon; ``digits``
    decimals; the closing point left out). Rings that collapse at that precision are dropped.

    Works on shapely's ragged arrays (coordinates and offsets), not on a geometry per ring.
    """
    import shapely

    kind, coords, offsets = shapely.to_ragged_array(geometries)
    if kind == shapely.GeometryType.POLYGON:  # all single polygons: one polygon per shape
        offsets = (*offsets, np.arange(len(geometries) + 1))
    ring_bounds, polygon_bounds, shape_bounds = offsets
    ring_of = np.repeat(np.arange(len(ring_bounds) - 1), np.diff(ring_bounds))
    grid = np.round(coords * 10**digits).astype(np.int64)
    keep = np.ones(len(grid), dtype=bool)
    keep[ring_bounds[1:][np.diff(ring_bounds) > 0] - 1] = False  # closing point = first point
    keep[1:] &= ~((grid[1:] == grid[:-1]).all(axis=1) & (ring_of[1:] == ring_of[:-1]))
    sizes = np.bincount(ring_of[keep], minlength=len(ring_bounds) - 1)
    polygon_of = np.repeat(np.arange(len(polygon_bounds) - 1), np.diff(polygon_bounds))
    outer = np.zeros(len(sizes), dtype=bool)
    outer[polygon_bounds[:-1][np.diff(polygon_bounds) > 0]] = True
    usable = sizes >= 3
    polygon_ok = np.zeros(len(polygon_bounds) - 1, dtype=bool)
    polygon_ok[polygon_of[outer & usable]] = True
    usable &= polygon_ok[polygon_of]  # a hole without its outer ring goes too
    keep &= usable[ring_of]
    grid, ring_of = grid[keep], ring_of[keep]
    starts = np.r_[True, ring_of[1:] != ring_of[:-1]] if len(ring_of) else np.zeros(0, bool)
    deltas = grid[:, ::-1].copy()  # lat, lon as the format has them
    deltas[1:] -= grid[:-1, ::-1]
    deltas[starts] = grid[starts][:, ::-1]
    text, ends = _encode_numbers(deltas.ravel())
    ring_ends = ends[1::2][np.r_[starts[1:], True]] if len(ring_of) else ends
    ring_starts = np.r_[0, ring_ends[:-1]] if len(ring_ends) else ring_ends
    kept_rings = np.flatnonzero(usable)
    decoded = text.decode("ascii")
    ring_text = {
        int(r): decoded[a:b]
        for r, a, b in zip(kept_rings, ring_starts.tolist(), ring_ends.tolist(), strict=True)
    }
    shape_of = np.repeat(np.arange(len(shape_bounds) - 1), np.diff(shape_bounds))
    shapes: list[list[str]] = [[] for _ in range(len(shape_bounds) - 1)]
    for polygon in range(len(polygon_bounds) - 1):
        rings = [
            ring_text[r]
            for r in range(polygon_bounds[polygon], polygon_bounds[polygon + 1])
            if r in ring_text
        ]
        if rings:
            shapes[int(shape_of[polygon])].append(" ".join(rings))
    return [";".join(polygons) for polygons in shapes]


def _encode_numbers(values: np.ndarray, batch: int = 1 << 15) -> tuple[bytes, np.ndarray]:
    """The polyline encoding of each integer, concatenated, and where each one's text ends.

    A number takes one character per 5 bits of its zigzag form (sign in the lowest bit); every
    character but a number's last carries 0x20; all are offset by 63 into printable ASCII.
    Done ``batch`` numbers at a time, so that the temporary arrays stay small.
    """
    texts, ends, offset = [], [], 0
    for first in range(0, len(values), batch):
        part = values[first : first + batch].astype(np.int64)
        zigzag = np.where(part < 0, ~(part << 1), part << 1)
        size = np.ones(len(part), dtype=np.int64)
        for i in range(1, 13):
            size += zigzag >= (1 << (5 * i))
        part_ends = np.cumsum(size)
        out = np.empty(int(part_ends[-1]), dtype=np.uint8)
        starts = part_ends - size
        for i in range(int(size.max())):
            has = np.flatnonzero(size > i)
            more = (size[has] - 1 > i) * 0x20
            out[starts[has] + i] = ((zigzag[has] >> (5 * i)) & 0x1F | more) + 63
        texts.append(out.tobytes())
        ends.append(part_ends + offset)
        offset += int(part_ends[-1])
    return b"".join(texts), (np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64))
