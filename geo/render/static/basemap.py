"""The basemap: the sea, the globe's outline on a world map, and the country shapes in view
with the involved ones tinted (their names are placed with the other labels, ``labels``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...theme import LIGHT, Theme
from .drawing import parts
from .projection import box_outline, cut_at_seam

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

    from ...layers import Layers
    from .projection import MapFrame

SEA = LIGHT.sea  # the light theme's; a map takes its theme's (geo.theme)
BORDER = LIGHT.border
BORDER_INVOLVED = LIGHT.border_involved


def style_axes(ax: Axes, theme: Theme = LIGHT) -> None:
    """A sea-coloured frame without ticks."""
    ax.set_facecolor(theme.sea)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(0.6)


def draw_globe(frame: MapFrame) -> None:
    """On a world map, the sea inside the globe's outline and white beyond it."""
    if frame.world is None:
        return
    from matplotlib.patches import Polygon as PolygonPatch

    theme = frame.style.theme
    frame.ax.set_facecolor(theme.paper)
    frame.ax.add_patch(
        PolygonPatch(
            list(frame.world.exterior.coords),
            closed=True,
            facecolor=theme.sea,
            edgecolor="#9a9a9a",
            linewidth=frame.style.px(0.8),
            zorder=0.5,
        )
    )


def draw_countries(frame: MapFrame, layers: Layers) -> gpd.GeoDataFrame:
    """The countries in view, tinted by their role; returns them (projected) for their names."""
    from matplotlib.collections import PathCollection

    countries = visible_countries(frame, layers)
    paths, fills, edges, widths = [], [], [], []
    theme = frame.style.theme
    for geometry, role in zip(countries.geometry, countries["role"], strict=True):
        path = country_path(geometry)
        if path is None:
            continue
        paths.append(path)
        fills.append(theme.fill_for(role))
        edges.append(theme.border_involved if role else theme.border)
        widths.append(frame.style.px(1.0 if role else 0.6))
    collection = PathCollection(
        paths,
        facecolors=fills,
        edgecolors=edges,
        linewidths=widths,
        zorder=1,
        joinstyle="round",
        transform=frame.ax.transData,
    )
    frame.ax.add_collection(collection, autolim=False)
    return countries


def visible_countries(frame: MapFrame, layers: Layers) -> gpd.GeoDataFrame:
    """The country shapes in view, cut to a little beyond the frame, projected."""
    import geopandas as gpd
    from pyproj import Transformer
    from shapely import clip_by_rect, make_valid

    countries = layers.countries[
        ["name", "adm0_a3", "iso_a2", "role", "fill", "label_lon", "label_lat", "geometry"]
    ]
    west, south, east, north = frame.view(0.25)
    back = Transformer.from_crs(frame.crs, "EPSG:4326", always_xy=True)
    ring = box_outline(west, south, east, north, steps=24)
    lons, lats = back.transform([p[0] for p in ring], [p[1] for p in ring])
    finite = [(lo, la) for lo, la in zip(lons, lats, strict=True) if math.isfinite(lo + la)]
    if "eqearth" not in frame.crs and finite:
        lo = [p[0] for p in finite]
        la = [p[1] for p in finite]
        if max(lo) - min(lo) < 300 and max(la) < 89 and min(la) > -89:
            countries = (
                countries.clip_by_rect(
                    min(lo) - 5, max(-90, min(la) - 5), max(lo) + 5, min(90, max(la) + 5)
                )
                .to_frame("geometry")
                .join(countries.drop(columns="geometry"))
            )
            countries = gpd.GeoDataFrame(countries, geometry="geometry", crs=layers.countries.crs)
    else:
        countries = cut_at_seam(countries, frame.crs)
    countries = countries[~countries.geometry.is_empty]
    projected = frame.project(countries)
    if len(projected):
        projected["geometry"] = clip_by_rect(
            make_valid(projected.geometry.values), west, south, east, north
        )
    projected = projected[~projected.geometry.is_empty]
    return projected


def country_path(geometry: Any) -> Any:
    """One matplotlib path (holes and islands included) for a (multi)polygon, or None."""
    import numpy as np
    from matplotlib.path import Path

    rings = [
        ring
        for polygon in parts(geometry, "Polygon")
        for ring in (polygon.exterior, *polygon.interiors)
        if len(ring.coords) >= 4
    ]
    if not rings:
        return None
    vertices = np.concatenate([np.asarray(r.coords)[:, :2] for r in rings])
    codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type)
    start = 0
    for ring in rings:
        codes[start] = Path.MOVETO
        codes[start + len(ring.coords) - 1] = Path.CLOSEPOLY
        start += len(ring.coords)
    return Path(vertices, codes)
