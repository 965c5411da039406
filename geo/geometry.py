"""Pure geometry for flow maps: curved great-circle arcs, forks, arrowheads, offsets.

Coordinates are (lon, lat) in degrees. Arcs are *unwrapped*: a line that crosses the
antimeridian keeps going past ±180° instead of jumping across the map, which is what web maps
draw correctly; ``split_at_antimeridian`` gives the RFC 7946 form for files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from shapely import LineString, MultiLineString, Polygon
from shapely.ops import substring

LonLat = tuple[float, float]

EARTH_RADIUS_KM = 6371.0088
DEFAULT_BEND = 0.16
BEND_STEP = 0.14  # how much more each further flow between the same two places bends
MAX_FAN = 6  # past this many flows between the same two places, they share the widest bend
ARC_BATCH = 4096  # flows computed together: fast, yet the temporary arrays stay a few MB


def _to_xyz(point: LonLat) -> np.ndarray:
    return _xyz(np.asarray(point, dtype=float)[None, :])[0]


def _xyz(points: np.ndarray) -> np.ndarray:
    """Unit vectors (N, 3) of (N, 2) lon/lat points in degrees."""
    lon, lat = np.radians(points[:, 0]), np.radians(points[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def great_circle(a: LonLat, b: LonLat, n: int = 48) -> np.ndarray:
    """``n`` points along the shorter great circle from ``a`` to ``b``, longitudes unwrapped."""
    return great_circles(np.array([a], dtype=float), np.array([b], dtype=float), n)[0]


def great_circles(a: np.ndarray, b: np.ndarray, n: int = 48) -> np.ndarray:
    """:func:`great_circle` for many pairs at once: (N, 2) and (N, 2) → (N, n, 2)."""
    p, q = _xyz(a), _xyz(b)
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", p, q), -1.0, 1.0))
    t = np.linspace(0.0, 1.0, n)
    same = omega < 1e-9  # (nearly) the same point: a straight blend instead of a slerp
    towards = np.where(same[:, None], 1 - t, np.sin(np.outer(omega, 1 - t)))
    away = np.where(same[:, None], t, np.sin(np.outer(omega, t)))
    divisor = np.where(same, 1.0, np.sin(omega))[:, None]
    x = (towards * p[:, 0, None] + away * q[:, 0, None]) / divisor
    y = (towards * p[:, 1, None] + away * q[:, 1, None]) / divisor
    z = (towards * p[:, 2, None] + away * q[:, 2, None]) / divisor
    lon = np.degrees(np.arctan2(y, x))
    lat = np.degrees(np.arctan2(z, np.hypot(x, y)))
    jumps = np.diff(lon, axis=1)
    if (np.abs(jumps) > 180).any():  # crosses the antimeridian: keep going past ±180°
        lon[:, 1:] -= np.cumsum(
            np.where(np.abs(jumps) > 180, 360.0 * np.round(jumps / 360), 0), axis=1
        )
    lon += 360.0 * np.round((a[:, 0] - lon[:, 0]) / 360.0)[:, None]
    # The ends are the places themselves, exactly (no rounding error from the sphere).
    lon[:, 0], lat[:, 0] = a[:, 0], a[:, 1]
    lon[:, -1] = b[:, 0] + 360.0 * np.round((lon[:, -1] - b[:, 0]) / 360.0)
    lat[:, -1] = b[:, 1]
    return np.stack([lon, lat], axis=-1)


def distance_km(a: LonLat, b: LonLat) -> float:
    p, q = _to_xyz(a), _to_xyz(b)
    return EARTH_RADIUS_KM * math.acos(float(np.clip(np.dot(p, q), -1.0, 1.0)))


def _bow(points: np.ndarray, bend: float) -> np.ndarray:
    """Push the middle of a path sideways (to the right of travel for bend > 0)."""
    return _bows(points[None], np.array([bend], dtype=float))[0]


def _bows(points: np.ndarray, bend: np.ndarray) -> np.ndarray:
    """:func:`_bow` for (N, n, 2) paths and N bends at once."""
    n = points.shape[1]
    if n < 3:
        return points
    scale = np.cos(np.radians(np.clip(points[:, :, 1].mean(axis=1), -80, 80)))
    x, y = points[:, :, 0] * scale[:, None], points[:, :, 1]
    dx, dy = x[:, -1] - x[:, 0], y[:, -1] - y[:, 0]
    length = np.hypot(dx, dy)
    bowed = (bend != 0) & (length != 0)
    safe = np.where(length == 0, 1.0, length)
    right_x, right_y = dy / safe, -dx / safe
    t = np.linspace(0.0, 1.0, n)
    push = (bend * length * 4)[:, None] * t * (1 - t) / 2
    bowed_x = x + push * right_x[:, None]
    bowed_y = np.clip(y + push * right_y[:, None], -89.9, 89.9)
    result = np.stack([bowed_x / scale[:, None], bowed_y], axis=-1)
    result[:, [0, -1]] = points[:, [0, -1]]  # the ends stay exactly on the places
    return np.where(bowed[:, None, None], result, points)


def arcs(
    a: np.ndarray, b: np.ndarray, bend: np.ndarray | float = DEFAULT_BEND, n: int = 48
) -> np.ndarray:
    """:func:`arc_between` for many flows at once: coordinates (N, n, 2), no Python loop."""
    a, b = np.asarray(a, dtype=float).reshape(-1, 2), np.asarray(b, dtype=float).reshape(-1, 2)
    bends = np.broadcast_to(np.asarray(bend, dtype=float), (len(a),))
    result = np.empty((len(a), n, 2))
    circles: np.ndarray | None = None
    inverse = np.arange(len(a))
    if len(a) > 64:
        # Flows repeat routes: trace each great circle once, then bow every flow on its own.
        # The routes are told apart by their bytes, much faster than row by row as numbers.
        ends = np.ascontiguousarray(np.hstack([a, b]))
        _, first, found = np.unique(
            ends.view(np.dtype((np.void, ends.itemsize * 4))).ravel(),
            return_index=True,
            return_inverse=True,
        )
        pairs = ends[first]
        if len(pairs) < len(a) * 0.9:
            circles = np.empty((len(pairs), n, 2))
            for start in range(0, len(pairs), ARC_BATCH):
                rows = slice(start, start + ARC_BATCH)
                circles[rows] = great_circles(pairs[rows, :2], pairs[rows, 2:], n)
            inverse = found.reshape(-1)
    for start in range(0, len(a), ARC_BATCH):  # in batches: the temporaries stay small
        rows = slice(start, start + ARC_BATCH)
        path = circles[inverse[rows]] if circles is not None else great_circles(a[rows], b[rows], n)
        result[rows] = _bows(path, bends[rows])
    return result


def arc_between(a: LonLat, b: LonLat, bend: float = DEFAULT_BEND, n: int = 48) -> LineString:
    """A gently curved arc from ``a`` to ``b``: the great circle, bowed to the right.

    Opposite flows (A→B and B→A) therefore bow to opposite sides and never overlap.
    """
    return LineString(arcs(np.array([a]), np.array([b]), bend, n)[0])


def fork_point(origin: LonLat, destinations: Sequence[LonLat]) -> LonLat:
    """Where a movement to several places splits: short of the destinations, on the way in.

    The trunk runs from the origin toward the destinations' centre and splits about one
    "spread of the destinations" before it, but never before half way.
    """
    points = fork_points(np.array([origin], dtype=float), [destinations])
    return float(points[0, 0]), float(points[0, 1])


def fork_points(origins: np.ndarray, destinations: Sequence[Sequence[LonLat]]) -> np.ndarray:
    """:func:`fork_point` for many forked movements at once: (F, 2) origins → (F, 2)."""
    sizes = np.array([len(d) for d in destinations])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    places = np.array([p for d in destinations for p in d], dtype=float).reshape(-1, 2)
    xyz = _xyz(places)
    centre_xyz = np.add.reduceat(xyz, starts, axis=0) / sizes[:, None]
    centres = np.column_stack(
        [
            np.degrees(np.arctan2(centre_xyz[:, 1], centre_xyz[:, 0])),
            np.degrees(np.arctan2(centre_xyz[:, 2], np.hypot(centre_xyz[:, 0], centre_xyz[:, 1]))),
        ]
    )
    total = _distances_km(_xyz(origins), _xyz(centres))
    spread = np.maximum.reduceat(
        _distances_km(np.repeat(_xyz(centres), sizes, axis=0), xyz), starts
    )
    back = np.minimum(np.maximum(spread * 1.2, 150.0), total * 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(total != 0, 1 - back / total, 0.0)
    paths = great_circles(origins, centres, 201)
    return paths[np.arange(len(origins)), np.round(fraction * 200).astype(int)]


def _distances_km(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    return EARTH_RADIUS_KM * np.arccos(np.clip(np.einsum("ij,ij->i", p, q), -1.0, 1.0))


def _centre(points: Sequence[LonLat]) -> LonLat:
    xyz = np.mean([_to_xyz(p) for p in points], axis=0)
    lon = math.degrees(math.atan2(xyz[1], xyz[0]))
    lat = math.degrees(math.atan2(xyz[2], math.hypot(xyz[0], xyz[1])))
    return lon, lat


def fork(
    origin: LonLat, destinations: Sequence[LonLat], bend: float = DEFAULT_BEND
) -> tuple[LineString, list[LineString]]:
    """A trunk from the origin to the fork point, and one branch from there to each place."""
    split = fork_point(origin, destinations)
    trunk = arc_between(origin, split, bend * 0.5)
    end_lon = trunk.coords[-1][0]
    branches = []
    for i, destination in enumerate(destinations):
        side = bend * (1 if i % 2 else -1) * 0.6
        branch = np.array(arc_between((end_lon, split[1]), destination, side, 24).coords)
        branches.append(LineString(branch))
    return trunk, branches


def shorten(line: LineString, fraction_from_end: float) -> LineString:
    """The line without its last ``fraction_from_end`` of length (room for an arrowhead)."""
    if fraction_from_end <= 0:
        return line
    return substring(line, 0.0, max(0.0, 1.0 - fraction_from_end), normalized=True)


def arrowhead(line: LineString, length: float, width: float) -> Polygon:
    """A triangle whose tip is the line's end, pointing along the line's last stretch.

    ``length`` and ``width`` are in degrees of latitude; longitude is scaled by the latitude
    so the head is not squashed away from the equator.
    """
    coords = np.asarray(line.coords)[None, :, :2]
    return Polygon(arrowheads(coords, np.array([length]), np.array([width]))[0])


def arrowheads(coords: np.ndarray, length: np.ndarray, width: np.ndarray) -> np.ndarray:
    """:func:`arrowhead` for (N, n, 2) lines at once: the triangles' corners, (N, 3, 2).

    The point ``length * 1.5`` back from the tip is found along the line as shapely's
    ``interpolate`` finds it (planar, in degrees), with numpy instead of a loop.
    """
    if len(coords) > ARC_BATCH:  # in batches: the temporary arrays stay a few MB
        return np.concatenate(
            [
                arrowheads(
                    coords[i : i + ARC_BATCH], length[i : i + ARC_BATCH], width[i : i + ARC_BATCH]
                )
                for i in range(0, len(coords), ARC_BATCH)
            ]
        )
    tip = coords[:, -1]
    scale = np.cos(np.radians(np.clip(tip[:, 1], -80, 80)))
    back = _point_along(coords, length * 1.5)
    dx, dy = (tip[:, 0] - back[:, 0]) * scale, tip[:, 1] - back[:, 1]
    norm = np.hypot(dx, dy)
    norm = np.where(norm == 0, 1.0, norm)
    ux, uy = dx / norm, dy / norm
    base_x, base_y = tip[:, 0] * scale - ux * length, tip[:, 1] - uy * length
    left = np.column_stack([(base_x - uy * width / 2) / scale, base_y + ux * width / 2])
    right = np.column_stack([(base_x + uy * width / 2) / scale, base_y - ux * width / 2])
    return np.stack([tip, left, right], axis=1)


def _point_along(coords: np.ndarray, from_end: np.ndarray) -> np.ndarray:
    """The point of each line ``from_end`` before its end (the start if the line is shorter)."""
    segments = np.hypot(*np.moveaxis(np.diff(coords, axis=1), -1, 0))
    cumulative = np.cumsum(segments, axis=1)
    wanted = np.maximum(0.0, cumulative[:, -1] - from_end)
    index = np.minimum((cumulative <= wanted[:, None]).sum(axis=1), segments.shape[1] - 1)
    rows = np.arange(len(coords))
    before = cumulative[rows, index] - segments[rows, index]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(
            segments[rows, index] > 0, (wanted - before) / segments[rows, index], 0.0
        )
    start, end = coords[rows, index], coords[rows, index + 1]
    return start + (end - start) * fraction[:, None]


def bends_for(pairs: Sequence[tuple[LonLat, LonLat]], base: float = DEFAULT_BEND) -> list[float]:
    """A bend per flow so that flows between the same two places fan out instead of overlapping.

    Flows in opposite directions already bow to opposite sides; flows in the same direction get
    increasingly strong bends, in the order given, up to the ``MAX_FAN``-th: that one and any
    after it share the widest bend, so a busy route stays near its places instead of looping
    far off the map.
    """
    rounded: dict[LonLat, LonLat] = {}  # places repeat: round each one once

    def key(point: LonLat) -> LonLat:
        found = rounded.get(point)
        if found is None:
            found = rounded[point] = (round(point[0], 4), round(point[1], 4))
        return found

    seen: dict[tuple[LonLat, LonLat], int] = {}
    bends = []
    for start, end in pairs:
        pair = (key(start), key(end))
        count = seen.get(pair, 0)
        seen[pair] = count + 1
        bends.append(base + BEND_STEP * min(count, MAX_FAN - 1))
    return bends


def fan_bends(starts: np.ndarray, ends: np.ndarray, base: float = DEFAULT_BEND) -> np.ndarray:
    """:func:`bends_for` for flows given as integer ids of their places (equal ids for places
    that round to the same point), without a Python loop: the k-th flow between the same two
    places, in the order given, bends like the k-th of ``bends_for``."""
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if not len(starts):
        return np.zeros(0)
    pair = starts * (int(max(starts.max(), ends.max())) + 1) + ends
    order = np.argsort(pair, kind="stable")
    ranked = pair[order]
    first = np.r_[True, ranked[1:] != ranked[:-1]]
    position = np.arange(len(pair))
    rank = position - np.maximum.accumulate(np.where(first, position, 0))
    count = np.empty(len(pair), dtype=np.int64)
    count[order] = rank
    return base + BEND_STEP * np.minimum(count, MAX_FAN - 1)


def arc_ends(a: np.ndarray, b: np.ndarray, n: int = 48) -> np.ndarray:
    """Where :func:`arcs` from ``a`` to ``b`` end, without tracing them: ``b`` itself, its
    longitude unwrapped as the arc's is when the arc crosses the antimeridian."""
    a, b = np.asarray(a, dtype=float).reshape(-1, 2), np.asarray(b, dtype=float).reshape(-1, 2)
    ends = b.copy()
    # Within (-180, 180] and less than 180 degrees apart, a great circle's longitude goes the
    # short way from one end to the other and never wraps: the arc ends at b exactly.
    inside = (np.abs(a[:, 0]) <= 180) & (np.abs(b[:, 0]) <= 180)
    far = np.flatnonzero(~inside | (np.abs(b[:, 0] - a[:, 0]) >= 180))
    for start in range(0, len(far), ARC_BATCH):
        rows = far[start : start + ARC_BATCH]
        ends[rows, 0] = great_circles(a[rows], b[rows], n)[:, -1, 0]
    return ends


def split_at_antimeridian(line: LineString) -> LineString | MultiLineString:
    """RFC 7946 form of an unwrapped line: longitudes in [-180, 180], cut where it crosses."""
    coords = np.asarray(line.coords)
    if coords[:, 0].min() >= -180 and coords[:, 0].max() <= 180:
        return line
    parts: list[list[tuple[float, float]]] = [[]]
    previous = None
    for lon, lat in coords:
        wrapped = ((lon + 180) % 360) - 180
        if previous is not None and abs(wrapped - previous[0]) > 180:
            edge = 180.0 if previous[0] > 0 else -180.0
            span = (wrapped + 360 if edge > 0 else wrapped - 360) - previous[0]
            t = (edge - previous[0]) / span if span else 0.0
            mid_lat = previous[1] + t * (lat - previous[1])
            parts[-1].append((edge, mid_lat))
            parts.append([(-edge, mid_lat)])
        parts[-1].append((wrapped, float(lat)))
        previous = (wrapped, float(lat))
    return MultiLineString([p for p in parts if len(p) >= 2])
