"""What the page draws under its data: the country shapes (``basemap_data``), the areas
forces are stationed in (``area_data``) and the capitals and large cities around the data
(``context_data``), each encoded compactly for ``troopmap.countries``, ``troopmap.draw`` and
``troopmap.context``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .page_shapes import BASEMAP_DIGITS, basemap_shapes, detail_window, encode_shapes
from .pagetables import Table

if TYPE_CHECKING:
    from ..layers import Layers

AREA_DIGITS = 3  # about 100 m: an area's outline is seen close up


def basemap_data(layers: Layers) -> dict[str, Any]:
    """The country shapes of the layers at the detail the view needs (``basemap_shapes``),
    encoded, with each country's fill and whether it takes part (drawn with a darker border)."""
    from ..theme import theme_named

    theme = theme_named(layers.style.theme)
    countries = layers.countries
    fills = Table(())
    return {
        "shapes": encoded_basemap(countries, detail_window(layers.focus)),
        "fill": fills.codes([theme.fill_for(role) for role in countries["role"]]),
        "fills": fills.values,
        "involved": [int(bool(r)) for r in countries["role"]],
        "digits": BASEMAP_DIGITS,
        "borders": {"other": theme.border, "involved": theme.border_involved},
    }


def area_data(layers: Layers, keys: list[str]) -> dict[str, Any]:
    """The shapes of the areas forces are stationed in (``stations.area`` indexes them),
    encoded as the countries are, to ``AREA_DIGITS`` decimals."""
    assert layers.areas is not None
    shapes = dict(zip(layers.areas["area"], layers.areas.geometry, strict=True))
    geometries = np.array([shapes[key] for key in keys], dtype=object)
    return {"shapes": encode_shapes(geometries, AREA_DIGITS), "digits": AREA_DIGITS}


# The page's share of the context, kept to a kilobyte (the bundled page's weight target): the
# degrees around the data's focus it covers, and the least city rank it names (geo.context).
CONTEXT_MARGIN = 1.5
CONTEXT_PAGE_RANK = 1


def context_data(layers: Layers) -> dict[str, Any]:
    """The capitals and large cities around the data (``geo.context``), for the page to name
    faintly under it: ``cities`` as ``name``, ``at`` (flat lon, lat) and ``rank``, ``zoom``
    (from which zoom each rank shows) and ``look``. The page leaves the rivers and lakes to the
    static map: its weight target has no room for them."""
    from ..context import CITY_MIN_ZOOM, CONTEXT_LOOK, context_in

    west, south, east, north = layers.focus
    m = CONTEXT_MARGIN
    found = context_in((west - m, south - m, east + m, north + m), CONTEXT_PAGE_RANK)
    return {
        "cities": {
            "name": [c.name for c in found.cities],
            "at": [v for c in found.cities for v in (round(c.lon, 2), round(c.lat, 2))],
            "rank": [c.rank for c in found.cities],
        },
        "zoom": list(CITY_MIN_ZOOM[: CONTEXT_PAGE_RANK + 1]),
        "look": {k: CONTEXT_LOOK[k] for k in ("city_text", "city_dot", "capital_dot", "city_font")},
    }


# The encoded shapes of the last few windows, by window and shapes: a map drawn again after a
# save (``render --watch``) usually has the same window and always the bundled shapes.
_ENCODED: dict[tuple[Any, ...], tuple[Any, list[str]]] = {}
_ENCODED_KEPT = 4


def encoded_basemap(countries: Any, window: tuple[float, float, float, float]) -> list[str]:
    """``encode_shapes(basemap_shapes(countries, window))``, kept for the next map of the same
    window and shapes. Shapes are told apart by identity; each encoding kept holds on to the
    shapes it was made from, so an identity is never reused while it is kept."""
    geometries = countries.geometry.values
    key = (window, *map(id, geometries))
    found = _ENCODED.get(key)
    if found is None:
        encoded = encode_shapes(basemap_shapes(countries, window), BASEMAP_DIGITS)
        if len(_ENCODED) >= _ENCODED_KEPT:
            _ENCODED.pop(next(iter(_ENCODED)))
        found = _ENCODED[key] = (geometries, encoded)
    return found[1]
