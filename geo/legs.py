"""The flows and stationed forces of the geo layer, one row per leg or station.

A flow is a leg: a direct movement, or a forked movement's trunk and each of its branches. Its
values (the movement's columns and the leg's own) are a table; its line is an arc from where
the leg begins to where it ends, bent by ``bend`` (``geo.geometry.arcs``). The arcs (48 points
a leg) and the arrowheads are traced only when an output first asks for them: the static map,
the GIS files and the animations draw them, while the interactive page needs only each leg's
two ends and its bend (the browser traces the curve), so a page of 100,000 movements never
holds five million points it does not write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .dataset import Destination, Movement

if TYPE_CHECKING:
    import geopandas as gpd

    from .gazetteer import Resolution

CRS = "EPSG:4326"
FLOW_BATCH = 16_384  # legs traced together: their coordinates take about 12 MB


@dataclass(frozen=True)
class _ArcGroup:
    """Legs traced together, as the arcs were always traced: the direct legs in batches, the
    trunks of forks at once, the branches (24 points) at once."""

    legs: np.ndarray
    points: int
    heads: bool
    batch: int


class FlowLegs:
    """The flows of the layers: ``table`` (one row per leg), where each leg begins and ends,
    and its bend; ``flows`` and ``heads`` are the GeoDataFrames with the traced arcs and
    arrowheads, made on first use.

    ``FlowLegs.of_frames`` wraps frames that already hold their geometry (a map filtered to
    one day, ``geo.timeline.layers_as_of``)."""

    def __init__(
        self,
        table: Any,
        start: np.ndarray | None = None,
        to: np.ndarray | None = None,
        end: np.ndarray | None = None,
        bend: np.ndarray | None = None,
        widths: np.ndarray | None = None,
        groups: tuple[_ArcGroup, ...] = (),
        flows: gpd.GeoDataFrame | None = None,
        heads: gpd.GeoDataFrame | None = None,
    ):
        self.table = table
        self._start, self._end, self._bend = start, end, bend
        self._to = to  # where each arc is traced to (``end`` is that point as the arc ends)
        self._widths = widths  # unrounded: the arrowheads are sized from them
        self._groups = groups
        self._flows = flows
        self._heads = heads

    @classmethod
    def of_frames(cls, flows: gpd.GeoDataFrame, heads: gpd.GeoDataFrame) -> FlowLegs:
        return cls(flows, flows=flows, heads=heads)

    def __len__(self) -> int:
        return len(self.table)

    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """The first and last point of each leg's arc, (N, 2) each."""
        if self._start is None or self._end is None:
            self._start, self._end = _endpoints(np.asarray(self.flows.geometry.values))
        return self._start, self._end

    @property
    def flows(self) -> gpd.GeoDataFrame:
        if self._flows is None:
            self._trace()
        assert self._flows is not None
        return self._flows

    @property
    def heads(self) -> gpd.GeoDataFrame:
        if self._heads is None:
            self._trace()
        assert self._heads is not None
        return self._heads

    def _trace(self) -> None:
        """The arcs of every leg and the arrowheads of the legs that end at a place."""
        import geopandas as gpd
        import shapely

        from . import geometry

        assert self._start is not None and self._to is not None and self._bend is not None
        assert self._widths is not None
        lines = np.empty(len(self.table), dtype=object)
        triangles = np.empty(len(self.table), dtype=object)
        for group in self._groups:
            for first in range(0, len(group.legs), group.batch):
                legs = group.legs[first : first + group.batch]
                coords = geometry.arcs(
                    self._start[legs], self._to[legs], self._bend[legs], group.points
                )
                lines[legs] = shapely.linestrings(coords)
                if group.heads:
                    triangles[legs] = arrowheads(coords, self._widths[legs])
                del coords  # the geometry is in GEOS now
        self._flows = gpd.GeoDataFrame(self.table, geometry=gpd.GeoSeries(lines, crs=CRS), crs=CRS)
        del lines
        head_legs = np.flatnonzero(self.table["leg"].to_numpy() != "trunk")
        columns = [c for c in self.table.columns if c not in LEG_ONLY]
        heads = self.table[columns].take(head_legs).reset_index(drop=True)
        self._heads = gpd.GeoDataFrame(
            heads, geometry=gpd.GeoSeries(triangles[head_legs], crs=CRS), crs=CRS
        )


# The columns of a leg that its arrowhead does not repeat.
LEG_ONLY = ("leg", "leg_troops", "leg_label")


def _endpoints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last point of each line, read from the coordinates in one go."""
    import shapely

    if not len(values):
        return np.zeros((0, 2)), np.zeros((0, 2))
    counts = shapely.get_num_coordinates(values)
    coords = shapely.get_coordinates(values)
    ends = np.cumsum(counts)
    return coords[ends - counts], coords[ends - 1]


def arrowheads(lines: Any, widths: Any) -> Any:
    """Arrowheads for lines (an (N, n, 2) array), sized for a map of about 1,000 km across; the
    static map rescales."""
    import shapely

    from . import geometry

    size = 0.05 + 0.045 * widths
    return shapely.polygons(geometry.arrowheads(lines, size * 1.6, size * 1.4))


def count_label(destination: Destination) -> str:
    """A place's own count as the map writes it ("~1,700" for an estimate); "" for none."""
    if destination.troops is None:
        return ""
    return f"{'~' if destination.estimate else ''}{destination.troops:,}"


def leg_width(width_scale: float, troops: float) -> float:
    from .layers import MIN_WIDTH_PX

    return max(MIN_WIDTH_PX, width_scale * math.sqrt(troops))


def with_columns(table: Any, rows: Any, extra: dict[str, list[Any]]) -> Any:
    """Rows of the movement table (repeated as the legs need), then extra columns."""
    import pandas as pd

    frame = table.take(rows).reset_index(drop=True)
    for name, values in extra.items():
        frame[name] = pd.Series(values)
    return frame


def flow_legs(
    movements: list[Movement],
    table: Any,
    resolved: dict[str, Resolution],
    width_scale: float,
) -> FlowLegs | None:
    """The legs of the moving forces (None when every force is stationed).

    The Python loop only decides which legs there are; where they begin and end, and how they
    bend, is worked out for all legs at once; the arcs are traced later, if asked for."""
    from . import geometry

    moving = [i for i, m in enumerate(movements) if not m.stationed]
    if not moving:
        return None
    from .layers import MIN_WIDTH_PX

    names = list(resolved)
    number = {name: n for n, name in enumerate(names)}  # places by number, for numpy
    xy = np.array([(r.place.lon, r.place.lat) for r in resolved.values()], dtype=float).reshape(
        -1, 2
    )
    origin_of = np.array([number[movements[i].origin or ""] for i in moving], dtype=np.int64)
    target_of = np.array(
        [number[movements[i].destinations[0].place] for i in moving], dtype=np.int64
    )
    bends = geometry.fan_bends(*_rounded_ids(xy, origin_of, target_of))
    rows: list[int] = []
    kinds: list[str] = []
    places: list[str] = []
    troops: list[int | None] = []
    leg_labels: list[str] = []  # a branch's own count, as written on it
    widths: list[float] = []  # the arrowheads are sized from the unrounded width
    direct: list[int] = []  # legs
    direct_ends: list[tuple[int, int]] = []  # (origin, destination) numbers
    direct_bends: list[float] = []
    forks: list[tuple[int, float, int]] = []  # (trunk leg, bend, movement)
    width_of: dict[int, float] = {}  # troop counts repeat: work each width out once

    for index, bend in zip(moving, bends.tolist(), strict=True):
        movement = movements[index]
        width = width_of.get(movement.troops)
        if width is None:
            width = width_of[movement.troops] = leg_width(width_scale, movement.troops)
        if len(movement.destinations) == 1:
            place = movement.destinations[0].place
            direct.append(len(rows))
            direct_ends.append((number[movement.origin or ""], number[place]))
            direct_bends.append(bend)
            rows.append(index)
            kinds.append("direct")
            places.append(place)
            troops.append(movement.troops)
            leg_labels.append("")
            widths.append(width)
            continue
        forks.append((len(rows), bend, index))
        rows.append(index)
        kinds.append("trunk")
        places.append("")
        troops.append(movement.troops)
        leg_labels.append("")
        widths.append(width)
        for destination in movement.destinations:
            count = destination.troops
            rows.append(index)
            kinds.append("branch")
            places.append(destination.place)
            troops.append(count)
            leg_labels.append(count_label(destination))
            widths.append(
                leg_width(width_scale, count)
                if count is not None
                else max(MIN_WIDTH_PX, width * 0.6)
            )

    frame = with_columns(
        table,
        rows,
        {
            "leg": kinds,
            "leg_destination": places,
            "leg_troops": troops,
            "leg_label": leg_labels,
            "width": [round(w, 2) for w in widths],
        },
    )
    start = np.zeros((len(rows), 2))
    to = np.zeros((len(rows), 2))
    end = np.zeros((len(rows), 2))
    bend_of = np.zeros(len(rows))
    groups: list[_ArcGroup] = []
    if direct:
        at = np.array(direct)
        ends = np.array(direct_ends).reshape(-1, 2)
        start[at], to[at], bend_of[at] = xy[ends[:, 0]], xy[ends[:, 1]], direct_bends
        end[at] = geometry.arc_ends(xy[ends[:, 0]], xy[ends[:, 1]])
        groups.append(_ArcGroup(at, 48, True, FLOW_BATCH))
    if forks:
        groups += _fork_legs(movements, forks, xy, number, (start, to, end, bend_of))
    return FlowLegs(frame, start, to, end, bend_of, np.array(widths), tuple(groups))


def _rounded_ids(
    xy: np.ndarray, origins: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The places of each flow as numbers of their points at 4 decimals (``bends_for``'s key):
    two names for one point fan out as one route."""
    point_of: dict[tuple[float, float], int] = {}
    ids = np.array(
        [point_of.setdefault((round(x, 4), round(y, 4)), len(point_of)) for x, y in xy.tolist()],
        dtype=np.int64,
    )
    return ids[origins], ids[targets]


def _fork_legs(
    movements: list[Movement],
    forks: list[tuple[int, float, int]],
    xy: np.ndarray,
    number: dict[str, int],
    into: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> list[_ArcGroup]:
    """Trunks and branches of forked movements (see ``geometry.fork``): where each begins,
    where it is traced to, where it ends, and its bend, ``into`` those arrays at its leg."""
    from . import geometry

    start, to, end, bend_of = into
    origins, targets, trunk_bends = [], [], []
    branch_legs, branch_starts, branch_ends, branch_bends = [], [], [], []
    for trunk, bend, index in forks:
        movement = movements[index]
        origins.append(xy[number[movement.origin or ""]])
        targets.append([xy[number[d.place]] for d in movement.destinations])
        trunk_bends.append(bend * 0.5)
        for i, target in enumerate(targets[-1]):
            branch_legs.append(trunk + 1 + i)
            branch_starts.append(len(origins) - 1)
            branch_ends.append(target)
            branch_bends.append(bend * (1 if i % 2 else -1) * 0.6)
    origin_xy = np.array(origins).reshape(-1, 2)
    splits = geometry.fork_points(origin_xy, [[tuple(p) for p in t] for t in targets])
    split_ends = geometry.arc_ends(origin_xy, splits)
    trunk_legs = np.array([t for t, _, _ in forks])
    start[trunk_legs], to[trunk_legs], end[trunk_legs] = origin_xy, splits, split_ends
    bend_of[trunk_legs] = trunk_bends
    legs = np.array(branch_legs)
    branch_start = np.column_stack([split_ends[:, 0], splits[:, 1]])[branch_starts]
    branch_end = np.array(branch_ends).reshape(-1, 2)
    start[legs], to[legs] = branch_start, branch_end
    end[legs] = geometry.arc_ends(branch_start, branch_end, 24)
    bend_of[legs] = branch_bends
    return [
        _ArcGroup(trunk_legs, 48, False, len(trunk_legs)),
        _ArcGroup(legs, 24, True, len(legs)),
    ]


def station_frame(
    movements: list[Movement],
    table: Any,
    resolved: dict[str, Resolution],
    radius_scale: float,
    labels: dict[str, str],
) -> gpd.GeoDataFrame | None:
    """The stationed forces: one row per place a stationed force is at."""
    import geopandas as gpd
    import shapely

    from .layers import MIN_RADIUS_PX

    rows: list[int] = []
    extra: dict[str, list[Any]] = {
        "place": [],
        "place_label": [],
        "leg_troops": [],
        "leg_label": [],
        "radius": [],
    }
    coords: list[tuple[float, float]] = []
    radius_of: dict[int, float] = {}  # troop counts repeat: work each radius out once
    for index, movement in enumerate(movements):
        if movement.origin is not None:
            continue
        for destination in movement.destinations:
            count = destination.troops if destination.troops is not None else movement.troops
            place = resolved[destination.place].place
            radius = radius_of.get(count)
            if radius is None:
                radius = radius_of[count] = round(
                    max(MIN_RADIUS_PX, radius_scale * math.sqrt(count)), 2
                )
            rows.append(index)
            extra["place"].append(destination.place)
            extra["place_label"].append(labels[destination.place])
            extra["leg_troops"].append(count)
            extra["leg_label"].append(
                count_label(destination) if len(movement.destinations) > 1 else ""
            )
            extra["radius"].append(radius)
            coords.append((place.lon, place.lat))
    if not rows:
        return None
    frame = with_columns(table, rows, extra)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapely.points(coords), crs=CRS), crs=CRS)
