"""What a reader finds their bearings by: capitals, large cities, major rivers and lakes, drawn
faintly under the data on the page and the static map.

The data is ``datasets/context.json`` (GeoNames cities, GSHHG lakes and WDBII rivers; see
``scripts/derive_context.py``). A map takes only what lies in its view (``context_in``), so a
page carries a few kilobytes of it. The rules of what shows when live here and are given to the
page as data: a city of rank ``r`` (0 capital, 1 a million people, 2 300,000, 3 100,000 in
Europe) shows from zoom ``CITY_MIN_ZOOM[r]`` on the page; the static map names ranks by its
width (``STATIC_RANKS``) and draws the rivers and lakes.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from .paths import bundled

CITY_MIN_ZOOM = (4, 5, 6, 7)  # by rank: capital, ≥ 1,000,000, ≥ 300,000, ≥ 100,000 people
# The look, shared by the page and the static map: faint, under every mark of the data.
CONTEXT_LOOK: dict[str, Any] = {
    "water": "#a9c6dd",
    "river_width": 0.8,
    "city_text": "#595959",  # the lightest grey that reads (WCAG AA) on every land tint
    "city_dot": "#9a9a9a",
    "capital_dot": "#6e6e6e",
    "city_font": 11.0,  # CSS pixels on the page; the static map scales it
}
# A static map of this many degrees across shows ranks up to the value (a wide map: capitals).
STATIC_RANKS = ((45.0, 0), (25.0, 1), (10.0, 2), (0.0, 3))


@dataclass(frozen=True)
class City:
    name: str
    lon: float
    lat: float
    rank: int


@dataclass(frozen=True)
class Context:
    """The context inside one window: rivers as lines, lakes as polygons, cities."""

    rivers: tuple[Any, ...]
    lakes: tuple[Any, ...]
    cities: tuple[City, ...]


@functools.lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundled("context.json").read_bytes())
    return data


def _pairs(flat: list[float]) -> list[tuple[float, float]]:
    return list(zip(flat[0::2], flat[1::2], strict=True))


def _touching(
    lines: list[list[float]], window: tuple[float, float, float, float]
) -> list[list[float]]:
    """The lines (flat lon, lat lists) whose bounding box meets the window."""
    west, south, east, north = window
    return [
        line
        for line in lines
        if min(line[0::2]) <= east
        and max(line[0::2]) >= west
        and min(line[1::2]) <= north
        and max(line[1::2]) >= south
    ]


def context_in(window: tuple[float, float, float, float], max_rank: int = 3) -> Context:
    """The rivers, lakes and cities within ``window`` (west, south, east, north), the rivers
    cut at its edge, the lakes that reach into it whole; cities of rank up to ``max_rank``,
    most important first, each named in the map's language (``language.Words.city``; a city
    with no name in it is left out)."""
    import shapely

    from .language import words

    west, south, east, north = window
    box = shapely.box(west, south, east, north)
    document = _document()
    rivers = [shapely.LineString(_pairs(line)) for line in _touching(document["rivers"], window)]
    lakes = [shapely.Polygon(_pairs(ring)) for ring in _touching(document["lakes"], window)]
    rivers_in = [
        part
        for line in shapely.intersection(rivers, box)
        for part in shapely.get_parts(line)
        if part.geom_type == "LineString" and not part.is_empty
    ]
    # Lakes whole: a lake cut straight at the window's edge would show the edge.
    lakes_in = [
        part
        for lake in shapely.make_valid(lakes)
        for part in shapely.get_parts(lake)
        if part.geom_type == "Polygon" and shapely.intersects(part, box)
    ]
    language = words()
    named = (
        (language.city(name), lon, lat, rank)
        for name, lon, lat, rank, _ in document["cities"]
        if rank <= max_rank and west <= lon <= east and south <= lat <= north
    )
    cities = tuple(City(name, lon, lat, rank) for name, lon, lat, rank in named if name)
    return Context(tuple(rivers_in), tuple(lakes_in), cities)


def static_max_rank(span_degrees: float) -> int:
    """The least important rank of city a static map this wide names."""
    return next(rank for least, rank in STATIC_RANKS if span_degrees >= least)
