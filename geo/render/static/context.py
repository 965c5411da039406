"""Context on the basemap: major rivers and lakes over the land, and the capitals and large
cities named faintly where their names fit, after every label of the data, so that they never
cover one (``geo.context`` holds the data and the look)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...context import CONTEXT_LOOK, Context, context_in, static_max_rank

if TYPE_CHECKING:
    from .placement import Labeller
    from .projection import MapFrame

MAX_CITIES = 30  # names on one map, at most
GID = "context"  # the group id of what this draws (in an SVG, and for those who inspect it)


def view_lon_lat(frame: MapFrame) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees of what the map shows; None for a world map."""
    from pyproj import Transformer

    from .projection import box_outline

    if frame.world is not None:
        return None
    west, south, east, north = frame.view()
    back = Transformer.from_crs(frame.crs, "EPSG:4326", always_xy=True)
    ring = box_outline(west, south, east, north, steps=24)
    lons, lats = back.transform([p[0] for p in ring], [p[1] for p in ring])
    points = [(lo, la) for lo, la in zip(lons, lats, strict=True) if math.isfinite(lo + la)]
    if not points:
        return None
    return (
        min(p[0] for p in points),
        min(p[1] for p in points),
        max(p[0] for p in points),
        max(p[1] for p in points),
    )


def draw_context(frame: MapFrame) -> Context | None:
    """The lakes and rivers in view, over the countries and under every mark; returns the
    context in view (with its cities, named later by ``label_cities``)."""
    import geopandas as gpd
    from matplotlib.collections import LineCollection, PathCollection
    from shapely import clip_by_rect

    from .basemap import country_path

    window = view_lon_lat(frame)
    if window is None:
        return None
    west, south, east, north = window
    context = context_in(window, static_max_rank(max(east - west, north - south)))
    water = CONTEXT_LOOK["water"]
    if context.lakes:
        lakes = frame.project(gpd.GeoDataFrame(geometry=list(context.lakes), crs="EPSG:4326"))
        shapes = clip_by_rect(lakes.geometry.values, *frame.view(0.05))
        paths = [p for p in (country_path(g) for g in shapes) if p is not None]
        frame.ax.add_collection(
            PathCollection(paths, facecolors=water, edgecolors="none", zorder=1.2, gid=GID),
            autolim=False,
        )
    if context.rivers:
        view = frame.view()
        rivers = clip_by_rect(frame.project_lines(context.rivers), *view)
        segments = [list(line.coords) for r in rivers for line in _lines(r)]
        frame.ax.add_collection(
            LineCollection(
                segments,
                colors=water,
                linewidths=frame.style.px(float(CONTEXT_LOOK["river_width"])),
                capstyle="round",
                joinstyle="round",
                zorder=1.3,
                gid=GID,
            ),
            autolim=False,
        )
    return context


def _lines(geometry: Any) -> list[Any]:
    from shapely import get_parts

    return [g for g in get_parts(geometry) if g.geom_type == "LineString" and not g.is_empty]


def label_cities(labeller: Labeller, context: Context | None) -> None:
    """A dot and the name of each city in view, most important first, where the name fits
    beside it without covering a label, a mark or a flow of the data."""
    from matplotlib.transforms import Bbox

    if context is None:
        return
    frame, style = labeller.frame, labeller.frame.style
    west, south, east, north = frame.view()
    to_px = style.size.dpi / 72
    named = 0
    xs, ys, capitals = [], [], []
    for city in context.cities:
        if named >= MAX_CITIES:
            break
        x, y = frame.xy(city.lon, city.lat)
        if not (west < x < east and south < y < north):
            continue
        px, py = frame.ax.transData.transform((x, y))
        r = style.px(2.5) * to_px
        dot = Bbox.from_extents(px - r, py - r, px + r, py + r)
        if any(dot.overlaps(other) for other in [*labeller.placed, *labeller.keep_clear]):
            continue
        gap = style.px(3.5)
        size = float(CONTEXT_LOOK["city_font"]) * (0.62 if city.rank == 0 else 0.56)
        props = {
            "fontsize": style.font(size),
            "color": CONTEXT_LOOK["city_text"],
            "fontstyle": "normal",
        }
        candidates = [
            (gap, 0, "left", "center"),
            (-gap, 0, "right", "center"),
            (0, gap, "center", "bottom"),
            (0, -gap, "center", "top"),
        ]
        placed = labeller.place_text(
            (x, y), [(city.name, props)], candidates, halo=True, required=False,
            avoid_flows=True, zorder=1.6,
        )  # fmt: skip
        if placed is None:
            continue
        labeller.keep_clear.append(dot)
        xs.append(x)
        ys.append(y)
        capitals.append(city.rank == 0)
        named += 1
    if xs:
        frame.ax.scatter(
            xs,
            ys,
            s=[(style.px(3.2 if c else 2.4)) ** 2 for c in capitals],
            c=[CONTEXT_LOOK["capital_dot" if c else "city_dot"] for c in capitals],
            linewidths=0,
            zorder=1.6,
        )
