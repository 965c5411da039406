"""troopmap places QUERY: check a spelling before writing it in the CSV."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Invoke = Callable[..., Any]


def test_rzeszow_without_its_accent_finds_rzeszow(invoke: Invoke) -> None:
    result = invoke("places", "Rzeszow")
    assert result.exit_code == 0
    assert result.stdout == (
        '"Rzeszow" is Rzeszów, Poland (city) at 50.0413, 21.9990, from GeoNames cities.\n'
    )


def test_a_name_with_namesakes_shows_them_and_how_to_choose(invoke: Invoke) -> None:
    result = invoke("places", "Brest")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        '"Brest" is Brest, Belarus (city) at 52.1089, 23.7175, from GeoNames cities.',
        "The same name is also:",
        "  Brest, France (city) at 48.3903, -4.4863, from GeoNames cities",
        "  Břest, Czechia (town) at 49.3511, 17.4407, from GeoNames cities",
        "  Brest, Germany (town) at 53.4502, 9.3840, from GeoNames cities",
        # a village of Ukraine that was called Brest until it was renamed
        "  Heroyiv Mariupolya, Ukraine (town) at 49.0877, 33.4243, from GeoNames cities",
        "Chosen as the largest (347,138 people).",
        'To choose another, add its country: "Brest, France".',
    ]


def test_the_country_after_a_comma_chooses_the_namesake(invoke: Invoke) -> None:
    result = invoke("places", "Brest,", "France")
    assert result.exit_code == 0
    assert result.stdout.startswith('"Brest, France" is Brest, France (city) at 48.3903, -4.4863')


def test_an_installation_is_found_by_its_alias(invoke: Invoke) -> None:
    result = invoke("places", "Vilseck")
    assert result.exit_code == 0
    assert result.stdout == (
        '"Vilseck" is Rose Barracks, Germany (army base) at 49.6336, '
        "11.7850, from bundled places.\n"
    )


def test_an_unknown_name_gets_the_closest_names_and_exit_1(invoke: Invoke) -> None:
    result = invoke("places", "Rzeszwo")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        'No place called "Rzeszwo" is known.',
        "Closest names:",
        "  Rzeszów, Poland (city) at 50.0413, 21.9990, from GeoNames cities",
        "Add it to a places file (--places), or write its coordinates as lat,lon "
        "(e.g. 50.45,30.52).",
    ]


def test_a_name_in_the_users_places_file_wins(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    places = write_csv(
        """
        name,aliases,lat,lon,country,kind
        Rzeszów,Rzeszow,50.11,22.02,PL,airport
    """,
        name="places.csv",
    )
    result = invoke("places", "Rzeszow", "--places", str(places))
    assert result.exit_code == 0
    assert result.stdout.startswith(
        '"Rzeszow" is Rzeszów, Poland (airport) at 50.1100, 22.0200, from your places file.'
    )


def test_json_for_editors(invoke: Invoke) -> None:
    result = invoke("places", "Brest", "--format", "json")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["found"] is True
    assert answer["place"] == {
        "name": "Brest",
        "country": "BY",
        "country_name": "Belarus",
        "kind": "city",
        "lat": 52.10894,
        "lon": 23.71749,
        "source": "GeoNames cities",
    }
    assert [p["country_name"] for p in answer["namesakes"]] == [
        "France",
        "Czechia",
        "Germany",
        "Ukraine",
    ]


def test_json_of_an_unknown_name(invoke: Invoke) -> None:
    result = invoke("places", "Germny", "--format", "json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert (answer["found"], answer["place"]) == (False, None)
    assert [p["name"] for p in answer["suggestions"]] == ["Germany"]


def test_coordinates_are_a_place_too(invoke: Invoke) -> None:
    result = invoke("places", "50.45,30.52")
    assert result.exit_code == 0
    assert result.stdout == (
        '"50.45,30.52" is 50.45, 30.52 (point) at 50.4500, 30.5200, from coordinates.\n'
    )


def test_a_query_is_required(invoke: Invoke) -> None:
    result = invoke("places")
    assert result.exit_code == 2
    assert "Give a place name to look up, or --from FILE for a list of names." in result.stderr


def test_a_list_of_names_is_geocoded_once_as_csv(invoke: Invoke, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text(
        "# towns named in the week's reports\nAvdiivka\n\nБахмут\nPokrovsk\nRamstein airbase\n",
        encoding="utf-8",
    )
    result = invoke("places", "--from", str(names))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "name,place,country,kind,lat,lon,source,warnings",
        "Avdiivka,Avdiyivka,UA,city,48.14019,37.75008,GeoNames cities,",
        "Бахмут,Bakhmut,UA,city,48.59419,37.99886,GeoNames cities,",
        "Pokrovsk,Pokrovsk,UA,city,48.28014,37.17706,GeoNames cities,",
        "Ramstein airbase,Ramstein Air Base,DE,air base,49.4369,7.6003,bundled places,",
    ]


def test_a_list_settles_namesakes_toward_its_other_names(invoke: Invoke, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Yakutsk\nPokrovsk\n", encoding="utf-8")
    result = invoke("places", "--from", str(names), "--format", "json")
    assert result.exit_code == 0
    pokrovsk = json.loads(result.stdout)[1]
    assert (pokrovsk["place"], pokrovsk["country"], pokrovsk["lat"]) == ("Pokrovsk", "RU", 61.47923)


def test_a_column_of_a_csv_file_is_a_list_of_names(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        """
        town;troops
        Kupiansk;500
        Vuhledar;300
    """,
        name="towns.csv",
    )
    result = invoke("places", "--from", str(path), "--column", "Town")
    assert result.exit_code == 0
    assert [line.split(",")[:3] for line in result.stdout.splitlines()[1:]] == [
        ["Kupiansk", "Kupyansk", "UA"],
        ["Vuhledar", "Vuhledar", "UA"],
    ]


def test_an_unknown_name_in_a_list_is_a_row_with_a_warning_and_exit_1(
    invoke: Invoke, tmp_path: Path
) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Kurakhove\nKurakove\n", encoding="utf-8")
    result = invoke("places", "--from", str(names))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2] == (
        'Kurakove,,,,,,,"unknown place ""Kurakove"". Did you mean ""Kurakhove""?"'
    )
    assert "1 name of 2 unknown: see the warnings column." in result.stderr


def test_a_missing_column_names_the_columns_there_are(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        """
        town,troops
        Kupiansk,500
    """,
        name="towns.csv",
    )
    result = invoke("places", "--from", str(path), "--column", "place")
    assert result.exit_code == 2
    assert 'has no column "place"; its columns are: town, troops.' in result.stderr


def test_one_name_as_a_csv_row(invoke: Invoke) -> None:
    result = invoke("places", "Kandahar Province", "--format", "csv")
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header == "name,place,country,kind,lat,lon,source,warnings"
    assert row.startswith(
        "Kandahar Province,Kandahār,AF,city,31.61332,65.71013,GeoNames cities,"
        '"No area or point is known for ""Kandahar Province""'
    )


def test_a_column_needs_a_list(invoke: Invoke) -> None:
    result = invoke("places", "Kursk", "--column", "town")
    assert result.exit_code == 2
    assert "--column is for a list of names given with --from FILE." in result.stderr


def test_a_list_without_names_is_bad_data(invoke: Invoke, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("# nothing yet\n\n", encoding="utf-8")
    result = invoke("places", "--from", str(names))
    assert result.exit_code == 1
    assert f"Error: {names} has no names to look up." in result.stderr
