"""The geo layer: what every renderer draws from."""

from __future__ import annotations

import pytest

from geo import pipeline
from geo.dataset import parse_movements
from geo.errors import DataError
from geo.gazetteer import Gazetteer
from geo.layers import (
    PALETTE,
    actor_colours,
    build_layers,
    reference_width_ratio,
    resolve_places,
)


@pytest.fixture(scope="module")
def layers():
    return pipeline.layers_for()


def test_layers_are_geodataframes_in_wgs84(layers):
    for frame in (layers.flows, layers.heads, layers.stations, layers.places, layers.countries):
        assert str(frame.crs) == "EPSG:4326"


def test_the_fork_is_one_movement_with_a_trunk_and_two_branches(layers):
    fork = layers.flows[layers.flows["movement"] == "us-to-germany-and-poland"]
    assert sorted(fork["leg"]) == ["branch", "branch", "trunk"]
    assert set(fork["label"]) == {"2,000 · split not reported"}
    assert set(fork["troops"]) == {2000}


def test_the_stationed_force_is_a_circle_not_an_arrow(layers):
    assert list(layers.stations["movement"]) == ["russia-on-ukraine-border"]
    assert "russia-on-ukraine-border" not in set(layers.flows["movement"])


def test_width_grows_with_the_square_root_of_troops(layers):
    assert reference_width_ratio(layers, 1000, 4000) == pytest.approx(2.0)


def test_claims_are_dashed(layers):
    belarus = layers.flows[layers.flows["movement"] == "russia-to-belarus"]
    assert belarus["dashed"].all()


def test_countries_are_tinted_by_role(layers):
    role = dict(zip(layers.countries["iso_a2"], layers.countries["role"]))
    assert role["RO"] == "receives"
    assert role["US"] == "sends"
    assert role["DE"] == "both"
    assert role["FR"] == ""


def test_colours_are_stable_for_a_name_whatever_else_is_on_the_map():
    first = actor_colours(["United States", "Russia"])
    again = actor_colours(["Russia", "Ukraine", "United States", "Netherlands", "Poland"])
    assert first.items() <= again.items()
    assert actor_colours(["USA", " russia "]) == {
        "USA": first["United States"],
        " russia ": first["Russia"],
    }
    letters = actor_colours(list("ABCDEFGHIJ"))
    assert set(letters.values()) <= set(PALETTE) - {first["United States"], first["Russia"]}


def test_every_unknown_place_is_reported_at_once():
    dataset = parse_movements(
        "actor,origin,destination,troops\nUS,Grafenwhor,Romania,5\nUS,Germany,Polnad,5\n", "m.csv"
    )
    with pytest.raises(DataError) as caught:
        build_layers(dataset, Gazetteer())
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith(
        'm.csv, row 2, column "origin": unknown place "Grafenwhor". '
        'Did you mean "Grafenwöhr Training Area"'
    )
    assert messages[1].startswith(
        'm.csv, row 3, column "destination": unknown place "Polnad". Did you mean "Poland"'
    )


def test_a_place_named_on_many_rows_is_warned_about_once_but_unknown_on_each_row():
    dataset = parse_movements(
        "actor,origin,destination,troops\n"
        "US,Germany,Brest,5\nUS,Germany,Polnad,5\nUS,Polnad,Brest,5\n"
        "US,Germany,Polnad,5\n",
        "m.csv",
    )
    _, problems = resolve_places(dataset, Gazetteer())
    assert [(p.row, p.column, p.value, p.severity) for p in problems] == [
        (2, "destination", "Brest", "warning"),
        (3, "destination", "Polnad", "error"),
        (4, "origin", "Polnad", "error"),
        (5, "destination", "Polnad", "error"),
    ]


def test_summary_reads_like_a_sentence(layers):
    assert layers.summary == (
        "Four movements reported on 2 February 2022: 1,000 United States troops ordered from "
        "Germany to Romania; 2,000 ordered from the United States to Germany and Poland, split "
        "not reported; about 100,000 Russian troops stationed in the Russia–Ukraine border area; "
        "about 30,000 claimed to be going from Russia to Belarus between 10 and 20 February 2022."
    )
