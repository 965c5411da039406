"""Place names → coordinates, offline, forgiving of accents, case and old spellings."""

from __future__ import annotations

import pytest

from geo.gazetteer import BUNDLED, CITIES, COUNTRIES, USER, Gazetteer, UnknownPlace, place_key


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def test_accents_case_and_cedillas_do_not_matter():
    assert place_key("Mihail Kogălniceanu") == place_key("mihail kogalniceanu")
    assert place_key("Constanţa") == place_key("Constanța") == "constanta"
    assert place_key("Łask") == "lask"
    assert place_key("Grafenwöhr") == "grafenwohr"


def test_countries_come_from_the_bundled_shapes(gazetteer):
    romania = gazetteer.resolve("Romania").place
    assert (romania.kind, romania.country, romania.source) == ("country", "RO", COUNTRIES)
    assert gazetteer.resolve("USA").place == gazetteer.resolve("United States").place
    assert gazetteer.resolve("DEU").place.name == "Germany"


def test_installations_from_the_bundled_places(gazetteer):
    mk = gazetteer.resolve("mihail kogalniceanu air base").place
    assert mk.source == BUNDLED and mk.country == "RO"
    assert 44.2 < mk.lat < 44.5 and 28.3 < mk.lon < 28.6
    assert gazetteer.resolve("Grafenwoehr").place.name == "Grafenwöhr Training Area"


def test_the_border_area_lies_on_russias_side(gazetteer):
    from shapely import Point

    from geo.layers import load_countries

    place = gazetteer.resolve("Russia–Ukraine border area").place
    countries = load_countries()
    russia = countries[countries["iso_a2"] == "RU"].geometry.iloc[0]
    ukraine = countries[countries["iso_a2"] == "UA"].geometry.iloc[0]
    assert russia.contains(Point(place.lon, place.lat))
    assert ukraine.distance(Point(place.lon, place.lat)) < 1.5  # degrees: near the border


def test_crimea_is_drawn_inside_ukraine():
    from shapely import Point

    from geo.layers import load_countries

    countries = load_countries()
    simferopol = Point(34.10, 44.95)
    holder = countries[countries.contains(simferopol)]
    assert list(holder["iso_a2"]) == ["UA"]


def test_cities_with_alternate_names_from_geonames(gazetteer):
    rzeszow = gazetteer.resolve("Rzeszow").place
    assert (rzeszow.name, rzeszow.country, rzeszow.source) == ("Rzeszów", "PL", CITIES)
    assert gazetteer.resolve("Reichshof").place == rzeszow  # the old German name


def test_city_country_chooses_between_namesakes(gazetteer):
    assert gazetteer.resolve("Brest, Belarus").place.country == "BY"
    assert gazetteer.resolve("Brest, France").place.country == "FR"


def test_ambiguous_bare_name_names_the_alternatives(gazetteer):
    resolution = gazetteer.resolve("Brest")
    assert resolution.ambiguous
    assert "Write \"Brest, Country\" to choose." in resolution.warning()


def test_raw_coordinates_are_taken_as_they_are(gazetteer):
    place = gazetteer.resolve("50.45, 30.52").place
    assert (place.lat, place.lon) == (50.45, 30.52)


def test_unknown_place_suggests_the_closest_names(gazetteer):
    with pytest.raises(UnknownPlace) as caught:
        gazetteer.resolve("Grafenwhor")
    assert caught.value.suggestions[0] == "Grafenwöhr Training Area"


def test_user_places_win_over_bundled_ones(tmp_path):
    places = tmp_path / "places.csv"
    places.write_text("name,aliases,lat,lon,country,kind\n"
                      "Ramstein Air Base,Ramstein,49.5,7.5,DE,air base\n"
                      "Forward Base Alpha,FBA,54.0,23.0,LT,army base\n", encoding="utf-8")
    gazetteer = Gazetteer([places])
    assert gazetteer.resolve("Ramstein").place.source == USER
    assert gazetteer.resolve("FBA").place.lat == 54.0


def test_installations_are_preferred_over_towns_of_the_same_name(gazetteer):
    assert gazetteer.resolve("Powidz").place.kind == "air base"


def test_small_sources_answer_without_loading_the_city_gazetteer():
    gazetteer = Gazetteer()
    gazetteer.resolve("Poland")
    gazetteer.resolve("Ramstein Air Base")
    cities = next(t for t in gazetteer.tiers if t.source == CITIES)
    assert not cities.opened
