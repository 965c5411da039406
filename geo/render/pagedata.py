"""The country shapes of an interactive page, encoded (see ``troopmap.countries`` in
``assets/troopmap.js``).

Each country is carried in the Encoded Polyline Algorithm Format at 3 decimals (the precision of
the bundled file, so nothing is lost), about a quarter of its GeoJSON size. Ported from the perf
branch's page data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..layers import Layers

BASEMAP_DIGITS = 3


class _Table:
    """Strings stored once; values refer to them by index (first appearance first)."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def codes(self, values: Any) -> list[int]:
        out = []
        for value in values:
            code = self.index.get(value)
            if code is None:
                code = self.index[value] = len(self.values)
                self.values.append(value)
            out.append(code)
        return out


def basemap_data(layers: Layers) -> dict[str, Any]:
    """The country shapes of the layers, encoded, with each country's fill and whether it takes
    part (drawn with a darker border)."""
    countries = layers.countries
    fills = _Table()
    return {
        "shapes": encode_shapes(np.asarray(countries.geometry.values), BASEMAP_DIGITS),
        "fill": fills.codes(countries["fill"]),
        "fills": fills.values,
        "involved": [int(bool(r)) for r in countries["role"]],
        "digits": BASEMAP_DIGITS,
    }


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
    ring_text = {int(r): decoded[a:b] for r, a, b in zip(kept_rings, ring_starts.tolist(),
                                                          ring_ends.tolist(), strict=True)}
    shape_of = np.repeat(np.arange(len(shape_bounds) - 1), np.diff(shape_bounds))
    shapes: list[list[str]] = [[] for _ in range(len(shape_bounds) - 1)]
    for polygon in range(len(polygon_bounds) - 1):
        rings = [ring_text[r] for r in range(polygon_bounds[polygon], polygon_bounds[polygon + 1])
                 if r in ring_text]
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
        part = values[first:first + batch].astype(np.int64)
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
