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

from . import language
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
    one day, ``geo.layers.layers_as_of``)."""

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
    return f"{'~' if destination.estimate else ''}{language.words().number(destination.troops)}"


def leg_width(width_scale: float, troops: float) -> float:
    from .cartography import MIN_WIDTH_PX

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
    """The legs of the moving forces (None when every force is stationed), in the order of the
    movements: a direct movement's one leg, a forked movement's trunk then its branches.

    Worked out for all legs at once; only forked movements (a few in a hundred) are gone
    through one by one. The arcs are traced later, if an output asks for them."""
    import pandas as pd

    from . import geometry

    moving = np.array([i for i, m in enumerate(movements) if m.origin is not None], dtype=int)
    if not len(moving):
        return None
    names = pd.Index(list(resolved))  # places by number, for numpy
    xy = np.array([(r.place.lon, r.place.lat) for r in resolved.values()], dtype=float)
    chosen = [movements[i] for i in moving.tolist()]
    origin_of = names.get_indexer([m.origin for m in chosen])
    target_of = names.get_indexer([m.destinations[0].place for m in chosen])
    bends = geometry.fan_bends(*_rounded_ids(xy, origin_of, target_of))
    counts = np.array([len(m.destinations) for m in chosen])
    per_movement = np.where(counts == 1, 1, counts + 1)  # a fork: its trunk and each branch
    first_leg = np.cumsum(per_movement) - per_movement
    troops_of = np.array([m.troops for m in chosen], dtype=np.int64)
    distinct, which = np.unique(troops_of, return_inverse=True)  # counts repeat: once each
    width_of = np.array([leg_width(width_scale, t) for t in distinct.tolist()])[which]
    direct = first_leg[counts == 1]
    legs = _Legs(int(per_movement.sum()))
    legs.rows = np.repeat(moving, per_movement)
    legs.kinds[direct] = "direct"
    legs.places[direct] = [m.destinations[0].place for m, c in zip(chosen, counts) if c == 1]
    legs.troops = np.repeat(troops_of, per_movement).astype(object)
    legs.widths = np.repeat(width_of, per_movement)
    legs.start[direct] = xy[origin_of[counts == 1]]
    legs.to[direct] = xy[target_of[counts == 1]]
    legs.end[direct] = geometry.arc_ends(legs.start[direct], legs.to[direct])
    legs.bend[direct] = bends[counts == 1]
    groups = [_ArcGroup(direct, 48, True, FLOW_BATCH)] if len(direct) else []
    forked = np.flatnonzero(counts > 1)
    if len(forked):
        groups += _fork_legs(
            [chosen[i] for i in forked.tolist()],
            first_leg[forked],
            bends[forked],
            xy[origin_of[forked]],
            (names, xy, width_scale),
            legs,
        )
    frame = with_columns(
        table,
        legs.rows,
        {
            "leg": legs.kinds.tolist(),
            "leg_destination": legs.places.tolist(),
            "leg_troops": legs.troops.tolist(),
            "leg_label": legs.labels.tolist(),
            "width": _rounded_widths(legs.widths),
        },
    )
    return FlowLegs(frame, legs.start, legs.to, legs.end, legs.bend, legs.widths, tuple(groups))


class _Legs:
    """The columns of the legs while they are worked out."""

    def __init__(self, count: int):
        self.rows = np.zeros(count, dtype=int)
        self.kinds = np.full(count, "", dtype=object)
        self.places = np.full(count, "", dtype=object)
        self.troops = np.zeros(count, dtype=object)
        self.labels = np.full(count, "", dtype=object)  # a branch's own count, as written on it
        self.widths = np.zeros(count)  # unrounded: the arrowheads are sized from them
        self.start = np.zeros((count, 2))  # where each arc begins
        self.to = np.zeros((count, 2))  # where it is traced to
        self.end = np.zeros((count, 2))  # where it ends (``to``, unwrapped as the arc is)
        self.bend = np.zeros(count)


def _rounded_widths(widths: np.ndarray) -> list[float]:
    """Each width at 2 decimals, as Python rounds (widths repeat: each rounded once)."""
    distinct, which = np.unique(widths, return_inverse=True)
    return np.array([round(w, 2) for w in distinct.tolist()])[which].tolist()


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
    forks: list[Movement],
    trunks: np.ndarray,
    bends: np.ndarray,
    origins: np.ndarray,
    places: tuple[Any, np.ndarray, float],
    legs: _Legs,
) -> list[_ArcGroup]:
    """Trunks and branches of forked movements (see ``geometry.fork``), each trunk at its leg
    in ``trunks`` and its branches after it, into ``legs``."""
    from . import geometry
    from .cartography import MIN_WIDTH_PX, UNSPLIT_BRANCH_SHARE

    names, xy, width_scale = places
    number = {name: n for n, name in enumerate(names)}
    targets, branch_legs, branch_of, branch_bends = [], [], [], []
    for n, (movement, trunk, bend) in enumerate(zip(forks, trunks.tolist(), bends.tolist())):
        legs.kinds[trunk] = "trunk"
        width = legs.widths[trunk]
        targets.append(xy[[number[d.place] for d in movement.destinations]])
        for i, destination in enumerate(movement.destinations):
            leg = trunk + 1 + i
            count = destination.troops
            legs.kinds[leg] = "branch"
            legs.places[leg] = destination.place
            legs.troops[leg] = count
            legs.labels[leg] = count_label(destination)
            legs.widths[leg] = (
                leg_width(width_scale, count)
                if count is not None
                else max(MIN_WIDTH_PX, width * UNSPLIT_BRANCH_SHARE)
            )
            branch_legs.append(leg)
            branch_of.append(n)
            branch_bends.append(bend * (1 if i % 2 else -1) * 0.6)
    splits = geometry.fork_points(origins, [[tuple(p) for p in t.tolist()] for t in targets])
    split_ends = geometry.arc_ends(origins, splits)
    legs.start[trunks], legs.to[trunks], legs.end[trunks] = origins, splits, split_ends
    legs.bend[trunks] = bends * 0.5
    branches = np.array(branch_legs)
    legs.start[branches] = np.column_stack([split_ends[:, 0], splits[:, 1]])[branch_of]
    legs.to[branches] = np.concatenate(targets)
    legs.end[branches] = geometry.arc_ends(legs.start[branches], legs.to[branches], 24)
    legs.bend[branches] = branch_bends
    return [_ArcGroup(trunks, 48, False, len(trunks)), _ArcGroup(branches, 24, True, len(branches))]


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

    from .cartography import MIN_RADIUS_PX

    rows: list[int] = []
    extra: dict[str, list[Any]] = {
        "place": [],
        "place_label": [],
        "leg_troops": [],
        "leg_label": [],
        "radius": [],
        "area": [],  # the area it is drawn as (geo.gazetteer.areas), or ""
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
            extra["area"].append(place.area)
            coords.append((place.lon, place.lat))
    if not rows:
        return None
    frame = with_columns(table, rows, extra)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapely.points(coords), crs=CRS), crs=CRS)
