"""Context on the basemap: the capitals, large cities, rivers and lakes a reader finds their
bearings by, taken from the bundled data for the map's view only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import shapely

from geo import pipeline
from geo.context import CITY_MIN_ZOOM, context_in, static_max_rank
from geo.language import speaking
from geo.paths import bundled
from geo.render.pagebasemap import CONTEXT_PAGE_RANK, context_data

EASTERN_FLANK = (14.0, 43.0, 41.0, 60.0)  # west, south, east, north


def test_the_capitals_of_the_eastern_flank_are_named() -> None:
    capitals = {c.name for c in context_in(EASTERN_FLANK, max_rank=0).cities}
    assert {"Kyiv", "Minsk", "Warsaw", "Vilnius", "Riga", "Tallinn", "Bucharest"} <= capitals
    assert {"Chisinau", "Moscow", "Budapest", "Berlin"} - capitals == {"Berlin"}  # west of 14°


def test_a_map_in_another_language_names_its_cities_in_it_or_not_at_all() -> None:
    with speaking("uk"):
        ukrainian = [c.name for c in context_in(EASTERN_FLANK, max_rank=1).cities]
    with speaking("de"):
        german = {c.name for c in context_in(EASTERN_FLANK, max_rank=1).cities}
    assert {"Київ", "Мінськ", "Варшава", "Кишинів"} <= set(ukrainian)
    # Kharkiv is no time zone's city, so CLDR gives no Ukrainian name: it is left out, never
    # written in English on a Ukrainian map.
    assert not any(ch.isascii() and ch.isalpha() for name in ukrainian for ch in name)
    assert {"Kiew", "Warschau", "Minsk"} <= german and "Kharkiv" not in german


def test_large_cities_come_after_the_capitals_and_towns_after_them() -> None:
    cities = context_in(EASTERN_FLANK).cities
    ranks = [c.rank for c in cities]
    assert ranks == sorted(ranks)
    by_name = {c.name: c.rank for c in cities}
    assert by_name["Kharkiv"] == 1  # 1.4 million people
    assert by_name["Lviv"] == 2  # 720,000
    assert by_name["Rzeszów"] == 3  # 196,000


def test_the_major_rivers_and_lakes_run_where_they_do() -> None:
    found = context_in(EASTERN_FLANK)
    rivers = shapely.MultiLineString(found.rivers)
    # The Dnieper at Kyiv, the Vistula at Warsaw, the Danube at Galați.
    for lon, lat in ((30.55, 50.45), (21.03, 52.23), (28.05, 45.43)):
        assert rivers.distance(shapely.Point(lon, lat)) < 0.15, (lon, lat)
    lakes = shapely.MultiPolygon(found.lakes)
    assert lakes.contains(shapely.Point(27.5, 58.7))  # Lake Peipus
    for shape in found.rivers:  # cut at the view's edge
        west, south, east, north = shape.bounds
        assert west >= 14.0 and east <= 41.0 and south >= 43.0 and north <= 60.0


def test_a_wide_static_map_names_only_capitals_and_a_close_one_towns() -> None:
    assert static_max_rank(60.0) == 0
    assert static_max_rank(10.0) == 2
    assert static_max_rank(3.0) == 3


def test_the_page_gets_only_the_cities_around_its_data() -> None:
    layers = pipeline.layers_for(None)
    data = context_data(layers)
    names = data["cities"]["name"]
    assert "Kyiv" in names and "Warsaw" in names
    assert "Lisbon" not in names and "Beijing" not in names
    assert max(data["cities"]["rank"]) <= CONTEXT_PAGE_RANK
    assert data["zoom"] == list(CITY_MIN_ZOOM[: CONTEXT_PAGE_RANK + 1])
    size = len(json.dumps(data, separators=(",", ":")))
    assert size < 1_500, f"the context adds {size:,} bytes to the bundled page"


def test_the_context_file_is_compact_and_sorted() -> None:
    path = bundled("context.json")
    assert path.stat().st_size < 300_000
    document = json.loads(path.read_bytes())
    assert set(document) == {"rivers", "lakes", "cities"}
    ranks = [row[3] for row in document["cities"]]
    assert ranks == sorted(ranks)


def test_the_page_carries_the_areas_of_the_stationed_forces(
    write_csv: Callable[..., Path],
) -> None:
    from geo.render.page_extras import SymbolTable
    from geo.render.pagedata import page_data

    csv = write_csv(
        "actor,destination,troops\nRussia,Crimea,30000\nBelarus,Gomel Oblast,5000\n"
        "Poland,Rzeszów,800\n"
    )
    layers = pipeline.layers_for(csv)
    data = page_data(layers, SymbolTable("tm")).data
    assert data["stations"]["area"] == [0, 1, -1]
    assert len(data["areas"]["shapes"]) == 2
    assert data["areas"]["digits"] == 3


def test_a_page_without_areas_carries_none() -> None:
    from geo.render.page_extras import SymbolTable
    from geo.render.pagedata import page_data

    data = page_data(pipeline.layers_for(None), SymbolTable("tm")).data
    assert "areas" not in data and "area" not in data["stations"]
