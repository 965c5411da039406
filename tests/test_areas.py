"""Regions as areas: provinces, oblasts, breakaway regions, islands and peninsulas resolve to
their shapes, a places file may draw its own, and the GIS files carry the polygons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from geo import pipeline
from geo.errors import DataError
from geo.gazetteer import Gazetteer, read_places
from geo.gazetteer.areas import area_shape
from geo.render.geopackage import write_geopackage


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def shape_of(gazetteer: Gazetteer, name: str) -> Any:
    place = gazetteer.resolve(name).place
    shape = area_shape(place)
    assert shape is not None, f"{name} → {place} has no area"
    return place, shape


@pytest.mark.parametrize(
    ("name", "inside", "country"),
    [
        ("Gomel Oblast", (52.44, 30.98), "BY"),  # an oblast, with Homyel inside
        ("Homyel' region", (52.44, 30.98), "BY"),  # its GeoNames spelling
        ("Kharkiv Oblast", (49.99, 36.23), "UA"),
        ("Харківська область", (49.99, 36.23), "UA"),  # in Cyrillic
        ("Podlaskie", (53.13, 23.16), "PL"),  # a voivodeship: Białystok inside
        ("Kursk region", (51.73, 36.19), "RU"),
        ("Transnistria", (46.84, 29.63), "MD"),  # a breakaway region: Tiraspol inside
        ("Abkhazia", (43.00, 41.02), "GE"),  # Sukhumi inside
        ("Donetsk region", (48.00, 37.80), "UA"),
        ("Crimea", (44.95, 34.10), "UA"),  # a peninsula, in Ukraine's recognised borders
        ("Gotland", (57.64, 18.30), "SE"),  # an island: Visby inside
        ("Saaremaa", (58.25, 22.48), "EE"),  # an island: Kuressaare inside
    ],
)
def test_a_region_resolves_to_its_area(gazetteer, name, inside, country):
    place, shape = shape_of(gazetteer, name)
    lat, lon = inside
    assert shape.contains(shapely.Point(lon, lat)), f"{name}: {place.name} misses {inside}"
    assert place.country == country
    assert shape.contains(shapely.Point(place.lon, place.lat)), "its point is inside it"


def test_crimea_includes_sevastopol(gazetteer):
    _, crimea = shape_of(gazetteer, "Crimea")
    sevastopol = gazetteer.resolve("Sevastopol").place
    assert sevastopol.area == ""  # the bare name is the city
    assert crimea.contains(shapely.Point(sevastopol.lon, sevastopol.lat))


@pytest.mark.parametrize("city", ["Kharkiv", "Gomel", "Sevastopol", "Minsk", "Киев", "Kaliningrad"])
def test_a_city_that_names_its_region_stays_the_city(gazetteer, city):
    place = gazetteer.resolve(city).place
    assert place.area == "" and place.kind == "city", place


def test_minsk_oblast_is_the_region_not_the_city(gazetteer):
    place, shape = shape_of(gazetteer, "Minsk Oblast")
    assert place.name == "Minsk Oblast"
    assert shape.area > 3.0  # the oblast is about 40,000 km², the city 350


def test_the_places_command_says_a_region_is_an_area(invoke):
    result = invoke("places", "Gomel Oblast")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        '"Gomel Oblast" is Gomel Oblast, Belarus (region, an area) at 52.1969, 29.5189, '
        "from Natural Earth regions."
    )


# --- a places file's own areas -------------------------------------------------------------


WKT_PLACES = """\
name,aliases,country,kind,area
Exercise Box Alpha,Box A,PL,training area,"POLYGON ((22 53, 23 53, 23 54, 22 54, 22 53))"
"""

GEOJSON_PLACES = """\
name,lat,lon,country,kind,geometry
Zone North,55.5,24.5,LT,exercise area,"{""type"": ""Polygon"", ""coordinates"": [[[24, 55], [25, 55], [25, 56], [24, 56], [24, 55]]]}"
"""  # noqa: E501


def test_a_places_file_gives_an_area_as_wkt(write_csv: Callable[..., Path]) -> None:
    [(place, names)] = read_places(write_csv(WKT_PLACES, "places.csv"))
    assert names == ["Exercise Box Alpha", "Box A"]
    assert area_shape(place).equals(shapely.box(22, 53, 23, 54))
    assert (place.lat, place.lon) == (53.5, 22.5)  # no lat/lon given: a point inside


def test_a_places_file_gives_an_area_as_geojson(write_csv: Callable[..., Path]) -> None:
    [(place, _)] = read_places(write_csv(GEOJSON_PLACES, "places.csv"))
    assert area_shape(place).equals(shapely.box(24, 55, 25, 56))
    assert (place.lat, place.lon) == (55.5, 24.5)  # the file's own point wins


@pytest.mark.parametrize(
    ("area", "message", "suggestion"),
    [
        (
            "POLYGON ((22 53, 23 54, 23 53, 22 54, 22 53))",
            "is not a valid polygon (Self-intersection[22.5 53.5]).",
            "let no edge cross another",
        ),
        (
            "POLYGON ((53 22, 54 23",
            "is not WKT or GeoJSON",
            "Write POLYGON ((lon lat, lon lat, ..., first point again)), longitude first.",
        ),
        ("POINT (22 53)", "is a Point, not an area.", "give a point in the lat and lon"),
        (
            "POLYGON ((53 122, 54 122, 54 123, 53 122))",
            "has points off the Earth",
            "longitude first",
        ),
        ('{"type": "Polygon", "coordinates": [[[24, 55], [25', "is not valid GeoJSON", "{"),
        ("regions:XX-99", '"XX-99" is not a bundled area.', "regions:UA-14"),
    ],
)
def test_a_bad_area_is_a_data_error_with_file_row_column_and_a_fix(
    write_csv: Callable[..., Path], area: str, message: str, suggestion: str
) -> None:
    quoted = area.replace('"', '""')
    path = write_csv(f'name,country,area\nGood,PL,regions:PL-PD\nBad,PL,"{quoted}"\n', "p.csv")
    with pytest.raises(DataError) as raised:
        read_places(path)
    [problem] = raised.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 3, "area")
    assert message in problem.message
    assert suggestion in problem.suggestion


def test_a_bad_area_is_reported_by_check_with_exit_1(
    invoke: Callable[..., Any], write_csv: Callable[..., Path]
) -> None:
    places = write_csv('name,area\nBox,"POLYGON ((22 53, 23 54, 23 53, 22 54, 22 53))"\n', "p.csv")
    movements = write_csv("actor,destination,troops\nPoland,Box,100\n")
    result = invoke("check", str(movements), "--places", str(places))
    assert result.exit_code == 1
    assert 'row 2, column "area"' in result.stderr
    assert "is not a valid polygon" in result.stderr


# --- the layers and the GIS files ------------------------------------------------------------


AREA_MOVEMENTS = """\
actor,unit,origin,destination,troops
Russia,Black Sea Fleet,,Crimea,30000
Belarus,,,Gomel Oblast,5000
Russia,,Rostov-on-Don,Donetsk Oblast,2000
"""


@pytest.fixture
def area_layers(write_csv: Callable[..., Path]) -> Any:
    return pipeline.layers_for(write_csv(AREA_MOVEMENTS))


def test_a_force_stationed_in_an_area_carries_the_area(area_layers: Any) -> None:
    stations = area_layers.stations
    assert list(stations["area"]) == ["regions:Crimea", "regions:BY-HO"]
    assert list(area_layers.areas["name"]) == ["Crimea", "Gomel Oblast"]
    gomel = area_layers.areas.geometry.iloc[1]
    assert gomel.contains(stations.geometry.iloc[1])  # the label point is inside


def test_a_movement_to_an_area_ends_inside_it(area_layers: Any) -> None:
    [flow] = list(area_layers.flows.geometry)
    donetsk = area_shape(Gazetteer().resolve("Donetsk Oblast").place)
    end = shapely.Point(flow.coords[-1])
    assert donetsk.contains(end)
    assert donetsk.exterior.distance(end) > 0.3  # not at its outline


def test_the_geopackage_has_the_areas_as_polygons_and_passes_the_validator(
    tmp_path: Path, area_layers: Any
) -> None:
    from tests.test_export import ogc_validator

    target = write_geopackage(area_layers, tmp_path / "areas.gpkg")
    areas = gpd.read_file(target, layer="areas")
    assert list(areas.geom_type) == ["MultiPolygon", "MultiPolygon"]
    assert list(areas["area_name"]) == ["Crimea", "Gomel Oblast"]
    assert list(areas["place_troops"]) == [30000, 5000]
    messages: list[str] = []
    errors = ogc_validator().check(
        str(target), abort_at_first_error=False, warning_as_error=True, myprint=messages.append
    )
    assert errors == [] and messages == []


def test_the_geojson_has_the_areas_as_polygons(render, tmp_path: Path, write_csv) -> None:
    import json

    target = tmp_path / "areas.geojson"
    render(str(write_csv(AREA_MOVEMENTS)), "-o", str(target))
    features = json.loads(target.read_text())["features"]
    areas = [f for f in features if f["properties"]["layer"] == "areas"]
    assert [f["geometry"]["type"] for f in areas] == ["MultiPolygon", "MultiPolygon"]
    assert [f["properties"]["place"] for f in areas] == ["Crimea", "Gomel Oblast"]


def test_a_map_without_areas_has_no_areas_layer() -> None:
    from geo.render.export import export_layers

    assert "areas" not in export_layers(pipeline.layers_for())
