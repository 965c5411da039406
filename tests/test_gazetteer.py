"""Place names → coordinates, offline, forgiving of accents, case and old spellings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.gazetteer import (
    BUNDLED,
    CITIES,
    COUNTRIES,
    USER,
    Gazetteer,
    Place,
    UnknownPlace,
    distance_km,
    place_key,
)
from geo.names import loose_key


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
    assert 'Write "Brest, Country" to choose.' in resolution.warning()


def test_raw_coordinates_are_taken_as_they_are(gazetteer):
    place = gazetteer.resolve("50.45, 30.52").place
    assert (place.lat, place.lon) == (50.45, 30.52)


def test_unknown_place_suggests_the_closest_names(gazetteer):
    with pytest.raises(UnknownPlace) as caught:
        gazetteer.resolve("Grafenwhor")
    assert caught.value.suggestions[0] == "Grafenwöhr Training Area"


def test_user_places_win_over_bundled_ones(tmp_path):
    places = tmp_path / "places.csv"
    places.write_text(
        "name,aliases,lat,lon,country,kind\n"
        "Ramstein Air Base,Ramstein,49.5,7.5,DE,air base\n"
        "Forward Base Alpha,FBA,54.0,23.0,LT,army base\n",
        encoding="utf-8",
    )
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


def test_a_frontline_town_of_a_few_thousand_people_is_found(gazetteer):
    chasiv_yar = gazetteer.resolve("Chasiv Yar").place
    assert (chasiv_yar.country, chasiv_yar.kind, chasiv_yar.source) == ("UA", "town", CITIES)
    assert chasiv_yar.population < 15_000


def test_a_town_is_not_placed_at_the_bigger_city_whose_old_name_it_shares(gazetteer):
    # Engels, on the Volga, was called Pokrovsk until 1931 and has three times the people.
    resolution = gazetteer.resolve("Pokrovsk")
    assert (resolution.place.name, resolution.place.country) == ("Pokrovsk", "UA")
    assert resolution.reason == (
        "the one whose own name it is (for Engels, RU it is an alternate or former name)"
    )


def test_the_files_other_places_settle_a_namesake(gazetteer):
    in_yakutia = gazetteer.resolve_all(["Yakutsk", "Pokrovsk"])["Pokrovsk"]
    assert (in_yakutia.place.country, round(in_yakutia.place.lat)) == ("RU", 61)
    assert in_yakutia.reason == "the one near the file's other places"
    in_donbas = gazetteer.resolve_all(["Avdiivka", "Bakhmut", "Pokrovsk"])["Pokrovsk"]
    assert (in_donbas.place.country, in_donbas.ambiguous) == ("UA", False)


def test_a_country_named_in_the_file_does_not_pull_a_city_name_to_a_hamlet(gazetteer):
    # A Brest of a few hundred people lies in Lower Saxony; Brest in Belarus has 340,000.
    brest = gazetteer.resolve_all(["Germany", "Brest"])["Brest"]
    assert brest.place.country == "BY"


def test_only_a_close_choice_is_warned_about_and_the_warning_says_why(gazetteer):
    brest = gazetteer.resolve("Brest")
    assert brest.warning().startswith(
        '"Brest" could be several places; using Brest, BY (city), '
        "the largest (347,138 people). Others: Brest, FR (city)."
    )
    assert not gazetteer.resolve("Kharkiv").ambiguous


@pytest.mark.parametrize(
    "spelling",
    [
        "Kharkov",
        "Zaporozhye",
        "Zaporizhia",
        "Zaporizhzhya",
        "Kyjiw",
        "Nikolaev",
        "Dnepropetrovsk",
        "Artemivsk",
        "Ugledar",
        "Avdeevka",
        "Yel'sk",
    ],
)
def test_romanisations_and_old_names_meet_at_the_same_place(gazetteer, spelling):
    canonical = {
        "Kharkov": "Kharkiv, Ukraine",
        "Zaporozhye": "Zaporizhzhia, Ukraine",
        "Zaporizhia": "Zaporizhzhia, Ukraine",
        "Zaporizhzhya": "Zaporizhzhia, Ukraine",
        "Kyjiw": "Kyiv, Ukraine",
        "Nikolaev": "Mykolaiv, Ukraine",
        "Dnepropetrovsk": "Dnipro, Ukraine",
        "Artemivsk": "Bakhmut, Ukraine",
        "Ugledar": "Vuhledar, Ukraine",
        "Avdeevka": "Avdiivka, Ukraine",
        "Yel'sk": "Yelsk, Belarus",
    }[spelling]
    assert distance_km(gazetteer.resolve(spelling).place, gazetteer.resolve(canonical).place) < 25


def test_cyrillic_is_read_in_latin_letters(gazetteer):
    assert place_key("Харків") == "kharkiv"
    assert place_key("Мачулищи") == "machulishchi"
    assert gazetteer.resolve("Харків").place.name == "Kharkiv"
    assert gazetteer.resolve("Мариуполь").place.name == "Mariupol"
    assert gazetteer.resolve("Зябровка").place.name == "Zyabrovka Air Base"


def test_loose_spellings_forget_what_romanisations_disagree_on():
    assert loose_key(place_key("Zaporizhzhia")) == loose_key(place_key("Zaporizhia"))
    assert loose_key(place_key("Kyjiw")) == loose_key(place_key("Kyiv"))
    assert loose_key(place_key("Khmelnytskyi")) == loose_key(place_key("Hmelnitskiy"))


@pytest.mark.parametrize(
    "name",
    [
        "Ramstein airbase",
        "Ramstein AB",
        "Belbek airbase",
        "Lielvarde air base",
        "Machulishchy airfield",
    ],
)
def test_air_bases_match_with_or_without_their_site_word(gazetteer, name):
    assert gazetteer.resolve(name).place.kind == "air base"


def test_a_town_named_with_a_site_word_is_the_town(gazetteer):
    engels = gazetteer.resolve("Engels air base").place
    assert (engels.name, engels.country) == ("Engels", "RU")


def test_landmarks_reporting_names_are_bundled(gazetteer):
    kinds = {
        name: gazetteer.resolve(name).place.kind
        for name in (
            "Zaporizhzhia NPP",
            "Kakhovka dam",
            "Kerch Bridge",
            "Snake Island",
            "Azovstal",
            "Antonivskyi Bridge",
            "Hostomel airfield",
        )
    }
    assert kinds == {
        "Zaporizhzhia NPP": "power plant",
        "Kakhovka dam": "dam",
        "Kerch Bridge": "bridge",
        "Snake Island": "island",
        "Azovstal": "steelworks",
        "Antonivskyi Bridge": "bridge",
        "Hostomel airfield": "airfield",
    }


def test_bundled_places_from_airportsdata_are_where_airportsdata_puts_them():
    import airportsdata

    from geo.gazetteer import read_places
    from geo.paths import bundled

    airports = airportsdata.load("ICAO")
    cited = [
        (place, source)
        for place, _ in read_places(bundled("places.csv"), BUNDLED)
        for source in [_source_of(place.name)]
        if source.startswith("airportsdata")
    ]
    assert len(cited) >= 20
    for place, source in cited:
        code = source.split("ICAO ")[1].rstrip(")")
        assert distance_km(place, Place("", airports[code]["lat"], airports[code]["lon"])) < 1


def _source_of(name: str) -> str:
    import csv

    from geo.paths import bundled

    with open(bundled("places.csv"), encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return next(row["source"] for row in rows if row["name"] == name)


def test_unknown_names_are_suggested_nearest_the_files_other_places_first(gazetteer):
    alone = gazetteer.resolve_all(["Marinca"])["Marinca"]
    in_donbas = gazetteer.resolve_all(["Marinca", "Avdiivka", "Pokrovsk"])["Marinca"]
    assert "Mar'yinka" not in alone.suggestions  # Mainz, Maricá, Mar'ino are as close in spelling
    assert in_donbas.suggestions[0] == "Mar'yinka"  # Marinka, west of Donetsk


def test_a_loose_spelling_is_read_and_said_to_be_read(gazetteer):
    resolution = gazetteer.resolve("Novaya Kakhovka")  # the Russian form of Nova Kakhovka
    assert (resolution.place.name, resolution.place.country) == ("Nova Kakhovka", "UA")
    assert resolution.warning() == (
        '"Novaya Kakhovka" is not known as written; read as Nova Kakhovka, UA (city), whose name '
        "is spelt alike. If that is not the place, add it to a places file."
    )


def test_a_typo_of_a_western_name_is_not_read_loosely(gazetteer):
    # Loose spellings are for names that reach English through Cyrillic.
    with pytest.raises(UnknownPlace) as caught:
        gazetteer.resolve("Polandd")
    assert caught.value.suggestions[0] == "Poland"


def test_a_region_no_source_knows_stands_at_its_town_with_a_warning(gazetteer):
    # The bundled areas cover Europe and the former Soviet Union, not Afghanistan.
    resolution = gazetteer.resolve("Kandahar Province")
    assert (resolution.place.name, resolution.place.country) == ("Kandahār", "AF")
    assert resolution.warns
    assert resolution.warning().startswith(
        'No area or point is known for "Kandahar Province"; it is drawn at Kandahār, AF (city), '
        "the town it is named after."
    )


def test_a_region_of_the_bundled_places_is_its_own_area(gazetteer):
    donetsk_oblast = gazetteer.resolve("Donetsk Oblast")
    assert (donetsk_oblast.place.kind, donetsk_oblast.warns) == ("region", False)
    assert donetsk_oblast.place.area == "regions:UA-14"


def test_a_citys_former_name_does_not_outweigh_a_town_whose_own_name_it_is(gazetteer):
    # GeoNames gives Belgorod, Russia (345,000 people) the alternate name
    # Bilhorod-Dnistrovskyi, the own name of a Ukrainian town of 48,000.
    town = gazetteer.resolve("Bilhorod-Dnistrovskyi")
    assert (town.place.country, town.ambiguous) == ("UA", True)


def test_the_gazetteer_can_be_used_without_the_later_stages_of_the_pipeline():
    # dataset → gazetteer → layers → render: the gazetteer reads no stage after it, nor the CSV.
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, geo.gazetteer; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    later = ("geo.dataset", "geo.layers", "geo.legs", "geo.render", "geo.pipeline", "geo.cli")
    assert [m for m in loaded if m.startswith(later)] == []
    assert "geo.gazetteer.resolver" in loaded
