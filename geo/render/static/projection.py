"""Where the map is: its projection, the part of the world the axes show, and the conversions
from longitude and latitude to map units that every mark and label uses.

The map is drawn in a projection centred on where things happen (Lambert azimuthal equal-area
for a region, Equal Earth when the movements span much of the world), never plate carrée.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from pyproj import Transformer

    from ...layers import Layers
    from .figure import Style

# Equal-area azimuthal up to this distance (km) from the centre of the map; beyond, Equal Earth.
REGIONAL_RADIUS_KM = 4500.0


def projection_for(layers: Layers) -> str:
    """A PROJ definition suited to the map's extent, centred on where things happen."""
    from ...geometry import distance_km

    west, south, east, north = layers.focus
    lon0, lat0 = (west + east) / 2, (south + north) / 2
    corners = [(west, south), (west, north), (east, south), (east, north)]
    radius = max(distance_km((lon0, lat0), c) for c in corners)
    if radius <= REGIONAL_RADIUS_KM:
        return (
            f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +x_0=0 +y_0=0 "
            "+datum=WGS84 +units=m +no_defs"
        )
    return f"+proj=eqearth +lon_0={lon0:.4f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


@dataclass(frozen=True)
class MapFrame:
    """The axes once its extent is set, with the projection it is drawn in: complete when
    ``map_frame`` returns it, and never changed after."""

    ax: Axes
    crs: str
    style: Style
    forward: Transformer  # EPSG:4326 → ``crs``
    world: Any  # the outline of the globe in a world projection; None in a regional one

    def project(self, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return frame.to_crs(self.crs)

    def project_lines(self, lines: Any) -> list[Any]:
        """Lines in map units; in a world projection, cut where they cross its back meridian
        (else a flow over the Pacific would streak across the whole map)."""
        import geopandas as gpd

        lon0 = central_meridian(self.crs)
        if "eqearth" in self.crs:
            lines = [split_at_meridian(line, lon0 + 180.0) for line in lines]
        return list(gpd.GeoSeries(list(lines), crs="EPSG:4326").to_crs(self.crs))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return _xy(self.forward, lon, lat)

    @property
    def units_per_point(self) -> float:
        """Map units (metres) per typographic point at the map's scale."""
        x0, x1 = self.ax.get_xlim()
        width_pt = self.ax.get_position().width * self.style.size.width * 72
        return (x1 - x0) / width_pt

    def view(self, grow: float = 0.0) -> tuple[float, float, float, float]:
        """The box the axes shows (map units), grown by ``grow`` of its size on every side."""
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        dx, dy = (x1 - x0) * grow, (y1 - y0) * grow
        return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def map_frame(ax: Axes, layers: Layers, style: Style, crs: str) -> MapFrame:
    """Set the axes' extent to frame what happens, and give the frame to draw in."""
    from pyproj import Transformer

    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    world = _world_outline(forward, crs) if "eqearth" in crs else None
    _set_extent(ax, layers.focus, style, forward, world)
    return MapFrame(ax, crs, style, forward, world)


def _xy(forward: Transformer, lon: float, lat: float) -> tuple[float, float]:
    x, y = forward.transform(lon, lat)
    return float(x), float(y)


def _set_extent(
    ax: Axes,
    focus: tuple[float, float, float, float],
    style: Style,
    forward: Transformer,
    world: Any,
) -> None:
    """Limits that frame ``focus`` with room around it, in the axes' shape; on the globe."""
    west, south, east, north = focus
    points = [_xy(forward, lon, lat) for lon, lat in box_outline(west, south, east, north)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 300_000.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, span * 0.35) / 2 * 1.3 + span * 0.06
    half_h = max(y1 - y0, span * 0.35) / 2 * 1.3 + span * 0.06
    box = ax.get_position()
    aspect = (box.height * style.size.height) / (box.width * style.size.width)
    if half_h / half_w < aspect:
        half_h = half_w * aspect
    else:
        half_w = half_h / aspect
    if world:
        # Keep the frame on the globe: no empty band beyond a pole or the edge.
        left, bottom, right, top = world.bounds
        half_w = min(half_w, (right - left) / 2)
        half_h = min(half_h, (top - bottom) / 2)
        cx = min(max(cx, left + half_w), right - half_w)
        cy = min(max(cy, bottom + half_h), top - half_h)
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("equal", adjustable="box")
    ax.set_autoscale_on(False)


def _world_outline(forward: Transformer, crs: str) -> Any:
    """The outline of the whole globe in the world projection ``crs`` (map units)."""
    from shapely import Polygon

    lon0 = central_meridian(crs)
    edge = 180.0 - 1e-6
    lats = [-90.0 + i for i in range(181)]
    ring = [(lon0 + edge, lat) for lat in lats] + [(lon0 - edge, lat) for lat in reversed(lats)]
    return Polygon([_xy(forward, lon, lat) for lon, lat in ring])


def box_outline(
    west: float, south: float, east: float, north: float, steps: int = 8
) -> list[tuple[float, float]]:
    """Points along the edges of a box (a projected box is not a box)."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = west + (east - west) * t
        y = south + (north - south) * t
        points += [(x, south), (x, north), (west, y), (east, y)]
    return points


def central_meridian(crs: str) -> float:
    match = re.search(r"\+lon_0=(-?[\d.]+)", crs)
    return float(match.group(1)) if match else 0.0


def split_at_meridian(line: Any, seam: float) -> Any:
    """A line cut where it crosses the meridian ``seam`` (longitudes may run past ±180)."""
    from shapely import LineString, MultiLineString, affinity

    from ...geometry import split_at_antimeridian

    shifted = split_at_antimeridian(affinity.translate(line, xoff=180.0 - seam))
    edge = 180.0 - 1e-6  # exactly ±180 may be projected onto the other side

    def back(part: Any) -> Any:
        return LineString(
            [(min(edge, max(-edge, x)) + seam - 180.0, y) for x, y, *_ in part.coords]
        )

    if shifted.geom_type == "MultiLineString":
        return MultiLineString([back(part) for part in shifted.geoms])
    return affinity.translate(shifted, xoff=seam - 180.0)


def cut_at_seam(countries: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """For a world projection centred away from 0°, cut the shapes along its back meridian so
    no country is smeared across the whole map."""
    import geopandas as gpd
    import pandas as pd

    lon0 = central_meridian(crs)
    seam = ((lon0 + 180 + 180) % 360) - 180
    if abs(abs(seam) - 180) < 1e-6:
        return countries
    east = countries.clip_by_rect(-180, -90, seam - 0.01, 90)
    west = countries.clip_by_rect(seam + 0.01, -90, 180, 90)
    attributes = countries.drop(columns="geometry")
    parts = [
        gpd.GeoDataFrame(
            attributes.assign(geometry=part.values), geometry="geometry", crs=countries.crs
        )
        for part in (east, west)
    ]
    return gpd.GeoDataFrame(
        pd.concat(parts, ignore_index=True), geometry="geometry", crs=countries.crs
    )
