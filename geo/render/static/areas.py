"""Forces stationed in an area (a province, a breakaway region, a places file's polygon): the
area outlined and hatched in the actor's colour, under the flows; its label goes inside it
(``labels.label_stations``) instead of beside a circle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cartography import DASHED, FADED, OPACITY
from .basemap import country_path
from .drawing import Marks, dashes, with_alpha

if TYPE_CHECKING:
    from ...layers import Layers
    from .projection import MapFrame

HATCH = "////"
FILL_OPACITY = 0.10  # under the hatch, so the area reads as one piece


def in_area(layers: Layers) -> list[bool]:
    """For each station, whether it is drawn as its area rather than a circle."""
    stations = layers.stations
    if layers.areas is None or not len(stations) or "area" not in stations:
        return [False] * len(stations)
    return [bool(a) for a in stations["area"]]


def draw_areas(frame: MapFrame, layers: Layers) -> Marks:
    """Each area a force is stationed in, once per actor and status, largest first."""
    import geopandas as gpd
    from matplotlib.patches import PathPatch

    flags = in_area(layers)
    if not any(flags):
        return Marks()
    assert layers.areas is not None
    shapes = gpd.GeoSeries(
        list(layers.areas.geometry), index=list(layers.areas["area"]), crs=layers.areas.crs
    )
    projected = frame.project(gpd.GeoDataFrame(geometry=shapes))
    stations = layers.stations[flags]
    looks = {(row["area"], row["colour"], row["status"]): row for _, row in stations.iterrows()}
    points = []
    order = sorted(looks, key=lambda k: (-projected.geometry[k[0]].area, k))
    for area, colour, status in order:
        path = country_path(projected.geometry[area])
        if path is None:
            continue
        alpha = OPACITY["faded"] if status in FADED else 1.0
        patch = PathPatch(
            path,
            facecolor=with_alpha(colour, FILL_OPACITY * alpha),
            edgecolor=with_alpha(colour, alpha),
            hatch=HATCH,
            linewidth=frame.style.px(1.6),
            linestyle=(0, dashes(1.6)) if status in DASHED else "solid",
            zorder=2.5,
        )
        frame.ax.add_patch(patch)
        centre = projected.geometry[area].representative_point()
        points.append((centre.x, centre.y))
    return Marks(points=points)
