"""The places, countries and areas of the map as GeoDataFrames: each place with its role in
the movements, the bundled country shapes tinted by role, the shapes of the areas forces are
stationed in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cartography import CRS, LAND, ROLE_COLOURS
from .dataset import Movement
from .gazetteer import Gazetteer, Place, Resolution
from .paths import bundled

if TYPE_CHECKING:
    import geopandas as gpd


def place_records(
    movements: list[Movement],
    resolved: dict[str, Resolution],
    gazetteer: Gazetteer,
    labels: dict[str, str],
) -> list[dict[str, Any]]:
    from shapely import Point

    roles: dict[str, set[str]] = {}
    for movement in movements:
        if movement.origin:
            roles.setdefault(movement.origin, set()).add("origin")
        for destination in movement.destinations:
            role = "station" if movement.stationed else "destination"
            roles.setdefault(destination.place, set()).add(role)
    records = []
    seen: set[Place] = set()
    for name, role_set in roles.items():
        place = resolved[name].place
        if place in seen:
            continue
        seen.add(place)
        records.append(
            {
                "name": name,
                "label": labels[name] if place.kind == "point" else place.name,
                "resolved_name": place.name,
                "kind": place.kind,
                "country": place.country,
                "country_name": gazetteer.country_name(place.country) if place.country else "",
                "source": place.source,
                "role": "+".join(sorted(role_set)),
                "area": place.area,
                "geometry": Point(place.lon, place.lat),
            }
        )
    return records


def area_frame(
    stations: gpd.GeoDataFrame | None, resolved: dict[str, Resolution]
) -> gpd.GeoDataFrame | None:
    """The shapes of the areas forces are stationed in, one row per area (see ``Layers``)."""
    import geopandas as gpd

    from .gazetteer.areas import area_shape

    if stations is None or not len(stations) or not any(stations["area"]):
        return None
    by_area = {r.place.area: r.place for r in resolved.values() if r.place.area}
    keys = list(dict.fromkeys(a for a in stations["area"] if a))
    return gpd.GeoDataFrame(
        {"area": keys, "name": [by_area[k].name for k in keys]},
        geometry=gpd.GeoSeries([area_shape(by_area[k]) for k in keys], crs=CRS),
        crs=CRS,
    )


def country_frame(places: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """The bundled country shapes, each with its role in the movements (or none)."""
    import geopandas as gpd

    countries = load_countries()
    role: dict[str, str] = {}
    for place in places:
        if not place["country"]:
            continue
        roles = set(place["role"].split("+"))
        kind = "sends" if roles == {"origin"} else "both" if "origin" in roles else "receives"
        previous = role.get(place["country"])
        role[place["country"]] = kind if previous in (None, kind) else "both"
    countries = countries.copy()
    countries["role"] = [role.get(code, "") for code in countries["iso_a2"]]
    countries["fill"] = countries["role"].map(ROLE_COLOURS).fillna(LAND)
    return gpd.GeoDataFrame(countries, geometry="geometry", crs=CRS)


_COUNTRIES_CACHE: dict[str, Any] = {}


def load_countries() -> gpd.GeoDataFrame:
    """The bundled Natural Earth country shapes (recognised borders: Crimea is Ukraine)."""
    import geopandas as gpd
    import pandas as pd

    from .gazetteer import bundled_country_properties, bundled_country_shapes

    path: Path = bundled("countries.geojson")
    if str(path) not in _COUNTRIES_CACHE:
        # Read with json and GEOS rather than GDAL: the same frame, without loading GDAL
        # (about 100 MB of memory and a quarter of a second) for one small file.
        properties = pd.DataFrame(bundled_country_properties())
        shapes = gpd.GeoSeries(bundled_country_shapes(), crs=CRS)
        _COUNTRIES_CACHE[str(path)] = gpd.GeoDataFrame(properties, geometry=shapes, crs=CRS)
    return _COUNTRIES_CACHE[str(path)]
