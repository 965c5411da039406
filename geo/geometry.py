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


def _to_xyz(point: LonLat) -> np.ndarray:
    lon, lat = np.radians(point[0]), np.radians(point[1])
    return np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def great_circle(a: LonLat, b: LonLat, n: int = 48) -> np.ndarray:
    """``n`` points along the shorter great circle from ``a`` to ``b``, longitudes unwrapped."""
    p, q = _to_xyz(a), _to_xyz(b)
    omega = math.acos(float(np.clip(np.dot(p, q), -1.0, 1.0)))
    t = np.linspace(0.0, 1.0, n)
    if omega < 1e-9:
        xyz = np.outer(1 - t, p) + np.outer(t, q)
    else:
        xyz = (np.outer(np.sin((1 - t) * omega), p) + np.outer(np.sin(t * omega), q)) / math.sin(
            omega
        )
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    lat = np.degrees(np.arctan2(xyz[:, 2], np.hypot(xyz[:, 0], xyz[:, 1])))
    lon = np.degrees(np.unwrap(np.radians(lon)))
    lon += 360.0 * round((a[0] - lon[0]) / 360.0)
    # The ends are the places themselves, exactly (no rounding error from the sphere).
    lon[0], lat[0] = a
    lon[-1] = b[0] + 360.0 * round((lon[-1] - b[0]) / 360.0)
    lat[-1] = b[1]
    return np.column_stack([lon, lat])


def distance_km(a: LonLat, b: LonLat) -> float:
    p, q = _to_xyz(a), _to_xyz(b)
    return EARTH_RADIUS_KM * math.acos(float(np.clip(np.dot(p, q), -1.0, 1.0)))


def _bow(points: np.ndarray, bend: float) -> np.ndarray:
    """Push the middle of a path sideways (to the right of travel for bend > 0)."""
    if bend == 0 or len(points) < 3:
        return points
    scale = math.cos(math.radians(float(np.clip(points[:, 1].mean(), -80, 80))))
    x, y = points[:, 0] * scale, points[:, 1]
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    length = math.hypot(dx, dy)
    if length == 0:
        return points
    right = np.array([dy, -dx]) / length
    t = np.linspace(0.0, 1.0, len(points))
    push = bend * length * 4 * t * (1 - t) / 2
    bowed_x = x + push * right[0]
    bowed_y = np.clip(y + push * right[1], -89.9, 89.9)
    bowed = np.column_stack([bowed_x / scale, bowed_y])
    bowed[[0, -1]] = points[[0, -1]]
    return bowed


def arc_between(a: LonLat, b: LonLat, bend: float = DEFAULT_BEND, n: int = 48) -> LineString:
    """A gently curved arc from ``a`` to ``b``: the great circle, bowed to the right.

    Opposite flows (A→B and B→A) therefore bow to opposite sides and never overlap.
    """
    return LineString(_bow(great_circle(a, b, n), bend))


def fork_point(origin: LonLat, destinations: Sequence[LonLat]) -> LonLat:
    """Where a movement to several places splits: short of the destinations, on the way in.

    The trunk runs from the origin toward the destinations' centre and splits about one
    "spread of the destinations" before it, but never before half way.
    """
    centre = _centre(destinations)
    total = distance_km(origin, centre)
    spread = max(distance_km(centre, d) for d in destinations)
    back = min(max(spread * 1.2, 150.0), total * 0.5)
    fraction = 1 - back / total if total else 0.0
    path = great_circle(origin, centre, 201)
    lon, lat = path[round(fraction * 200)]
    return float(lon), float(lat)


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
    coords = np.asarray(line.coords)
    tip = coords[-1]
    scale = math.cos(math.radians(float(np.clip(tip[1], -80, 80))))
    back = line.interpolate(max(0.0, line.length - length * 1.5))
    dx, dy = (tip[0] - back.x) * scale, tip[1] - back.y
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    base_x, base_y = tip[0] * scale - ux * length, tip[1] - uy * length
    left = ((base_x - uy * width / 2) / scale, base_y + ux * width / 2)
    right = ((base_x + uy * width / 2) / scale, base_y - ux * width / 2)
    return Polygon([tuple(tip), left, right])


def bends_for(pairs: Sequence[tuple[LonLat, LonLat]], base: float = DEFAULT_BEND) -> list[float]:
    """A bend per flow so that flows between the same two places fan out instead of overlapping.

    Flows in opposite directions already bow to opposite sides; flows in the same direction get
    increasingly strong bends, in the order given.
    """
    seen: dict[tuple[float, ...], int] = {}
    bends = []
    for (a, b) in pairs:
        key = (round(a[0], 4), round(a[1], 4), round(b[0], 4), round(b[1], 4))
        count = seen.get(key, 0)
        seen[key] = count + 1
        bends.append(base + 0.14 * count)
    return bends


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
