"""Places that are areas: their shapes, where they come from, and how a places file writes one.

A place with an area (``Place.area``) is drawn as that area when a force is stationed in it,
and a movement to it ends at its point (``Place.lat``/``lon``: a point inside the area). The
area is kept as text, so that places stay small, hashable values:

- ``regions:KEY``: one of the bundled areas of ``datasets/regions.geojson`` (Natural Earth
  admin-1 units and a few composites, derived by ``scripts/derive_regions.py``), by its key
  (an ISO 3166-2 code such as ``UA-14``, or ``Crimea``);
- otherwise Well-Known Text (``POLYGON ((...))``, ``MULTIPOLYGON (...)``), as a places file
  gave it, or as its GeoJSON geometry was turned into.

Shapes are parsed only when something draws them.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any

from ..paths import bundled

if TYPE_CHECKING:
    from .place import Place

REGIONS = "Natural Earth regions"
BUNDLED_PREFIX = "regions:"
# Columns of a places file that may hold an area, the first found wins.
AREA_COLUMNS = ("area", "geometry", "wkt", "geojson")
AREA_DECIMALS = 5  # about a metre: what a places file's area is kept to

_FLAT_PROPERTIES = re.compile(rb'"properties":(\{[^{}]*\})')


class AreaError(ValueError):
    """An area text that is not a usable polygon; the message says why and how to fix it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


# --- the bundled areas --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _regions_text() -> bytes:
    return bundled("regions.geojson").read_bytes()


@functools.lru_cache(maxsize=1)
def _region_property_texts() -> tuple[bytes, ...]:
    """The properties object of each bundled area, as text (parsed only when needed)."""
    text = _regions_text()
    found = _FLAT_PROPERTIES.findall(text)
    if len(found) != text.count(b'"type":"Feature"'):
        features = json.loads(text)["features"]
        return tuple(json.dumps(f["properties"]).encode() for f in features)
    return tuple(found)


def bundled_region_properties() -> tuple[dict[str, Any], ...]:
    """The properties of every bundled area (key, name, names, keys, country, kind, lat,
    lon), read without parsing the shapes."""
    return tuple(json.loads(t) for t in _region_property_texts())


_KEYS = re.compile(rb'"keys":"([^"]*)"')


@functools.lru_cache(maxsize=1)
def region_keys() -> tuple[tuple[str, ...], ...]:
    """Each bundled area's names as ``place_key`` compares them, its own name first: all a
    look-up needs until it finds an area (then ``region_place`` makes it)."""
    texts = _region_property_texts()
    found = [_KEYS.search(t) for t in texts]
    if all(found):
        return tuple(tuple(m.group(1).decode().split("|")) for m in found if m)
    return tuple(tuple(str(p["keys"]).split("|")) for p in bundled_region_properties())


@functools.cache
def region_place(number: int) -> Place:
    """The ``number``-th bundled area as a gazetteer place."""
    from .place import Place

    props = json.loads(_region_property_texts()[number])
    return Place(
        name=str(props["name"]),
        lat=float(props["lat"]),
        lon=float(props["lon"]),
        country=str(props["country"]),
        kind=str(props["kind"]),
        source=REGIONS,
        area=BUNDLED_PREFIX + str(props["key"]),
    )


@functools.lru_cache(maxsize=1)
def _region_geometries() -> dict[str, bytes]:
    """Each bundled area's GeoJSON geometry text, by key."""
    import shapely

    from .countries import feature_geometries

    text = _regions_text()
    keys = [str(p["key"]) for p in bundled_region_properties()]
    geometries = feature_geometries(text)
    if geometries is None:  # laid out otherwise than scripts/derive_regions.py writes it
        features = json.loads(text)["features"]
        geometries = [shapely.to_geojson(shapely.from_geojson(json.dumps(f["geometry"]))).encode()
                      for f in features]  # fmt: skip
    return dict(zip(keys, geometries, strict=True))


@functools.lru_cache(maxsize=256)
def _shape_of(area: str) -> Any:
    import shapely

    if area.startswith(BUNDLED_PREFIX):
        key = area[len(BUNDLED_PREFIX) :]
        geometry = _region_geometries().get(key)
        if geometry is None:
            raise KeyError(f"no bundled area {key!r}")
        return shapely.from_geojson(geometry)
    return shapely.from_wkt(area)


def area_shape(place: Place) -> Any:
    """The shapely (multi)polygon of a place, or None when it is a point."""
    return _shape_of(place.area) if place.area else None


def point_in_area(area: str, lat: float, lon: float) -> bool:
    """Whether the point lies inside the area (given as ``Place.area`` text)."""
    import shapely

    return bool(shapely.contains_xy(_shape_of(area), lon, lat))


_KEY = re.compile(rb'"key":"([^"]*)"')


@functools.lru_cache(maxsize=1)
def _region_numbers() -> dict[str, int]:
    """Each bundled area's number (its place in the file), by its key."""
    found = [_KEY.search(t) for t in _region_property_texts()]
    if all(found):
        return {m.group(1).decode(): n for n, m in enumerate(found) if m}
    return {str(p["key"]): n for n, p in enumerate(bundled_region_properties())}


# --- areas in a places file -----------------------------------------------------------------


def parse_area(text: str) -> tuple[str, float, float]:
    """``(area, lat, lon)`` for the area text of a places file: WKT, a GeoJSON geometry (or
    Feature), or ``regions:KEY``; lat/lon are a point inside it. Raises AreaError."""
    text = text.strip()
    if text.startswith(BUNDLED_PREFIX):
        key = text[len(BUNDLED_PREFIX) :].strip()
        number = _region_numbers().get(key)
        if number is None:
            raise AreaError(
                f'"{key}" is not a bundled area.',
                "Write the area's ISO 3166-2 code, e.g. regions:UA-14 for Donetsk Oblast.",
            )
        place = region_place(number)
        return BUNDLED_PREFIX + key, place.lat, place.lon
    import shapely

    geometry = _read_geometry(text)
    _check_polygonal(geometry)
    point = shapely.point_on_surface(geometry)
    area = shapely.to_wkt(geometry, rounding_precision=AREA_DECIMALS, trim=True)
    return area, round(point.y, 6), round(point.x, 6)


def _read_geometry(text: str) -> Any:
    import shapely

    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise AreaError(
                f"is not valid GeoJSON ({error.msg} at character {error.pos + 1}).",
                'Write a geometry: {"type": "Polygon", "coordinates": [[[lon, lat], ...]]}.',
            ) from None
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        try:
            return shapely.from_geojson(json.dumps(data))
        except (shapely.errors.GEOSException, ValueError, TypeError) as error:
            raise AreaError(
                f"is not a GeoJSON geometry ({_first_line(error)}).",
                'Write a geometry: {"type": "Polygon", "coordinates": [[[lon, lat], ...]]}.',
            ) from None
    try:
        return shapely.from_wkt(text)
    except (shapely.errors.GEOSException, ValueError) as error:
        raise AreaError(
            f"is not WKT or GeoJSON ({_first_line(error)}).",
            "Write POLYGON ((lon lat, lon lat, ..., first point again)), longitude first.",
        ) from None


def _check_polygonal(geometry: Any) -> None:
    import shapely

    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise AreaError(
            f"is a {geometry.geom_type}, not an area.",
            "An area is a POLYGON or MULTIPOLYGON; give a point in the lat and lon columns.",
        )
    if geometry.is_empty:
        raise AreaError("is an empty polygon.", "Give the polygon's points.")
    west, south, east, north = geometry.bounds
    if not (west >= -180 and east <= 180 and south >= -90 and north <= 90):
        hint = "Write each point longitude first, then latitude (lon lat)."
        raise AreaError("has points off the Earth (outside -180..180, -90..90).", hint)
    if not geometry.is_valid:
        why = shapely.is_valid_reason(geometry)
        raise AreaError(
            f"is not a valid polygon ({why}).",
            "Close each ring (the last point repeats the first) and let no edge cross another.",
        )


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
