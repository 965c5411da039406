"""Actor colours: stable for a name whatever else is on the map, conventional for the best-known
actors, and pinned by a newsroom's style file on every output."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from geo import pipeline
from geo.layers import CONVENTIONAL_COLOURS, PALETTE
from tests.conftest import page_data_of

TWO = """\
actor,origin,destination,troops
Russia,Russia,Belarus,300
Poland,Poland,Lithuania,200
"""


def colours_of(page: Path) -> dict[str, str]:
    return {a["name"]: a["colour"] for a in page_data_of(page)["actors"]}


def test_an_actor_keeps_its_colour_when_another_actor_is_added(write_csv, render, tmp_path):
    before, after = tmp_path / "before.html", tmp_path / "after.html"
    render(str(write_csv(TWO, "two.csv")), "-o", str(before))
    render(
        str(
            write_csv(
                TWO + "Netherlands,Netherlands,Lithuania,100\nGermany,Germany,Lithuania,500\n",
                "more.csv",
            )
        ),
        "-o",
        str(after),
    )
    assert colours_of(before).items() <= colours_of(after).items()
    assert set(colours_of(after).values()) <= set(PALETTE)


def test_the_united_states_and_russia_get_the_colours_news_maps_give_them(render, tmp_path):
    out = tmp_path / "map.html"
    render("-o", str(out))
    assert colours_of(out) == {
        "United States": CONVENTIONAL_COLOURS["united states"],
        "Russia": CONVENTIONAL_COLOURS["russia"],
    }


def test_actors_that_share_a_colour_are_warned_of_with_a_free_colour_to_pin(
    write_csv, invoke, tmp_path
):
    path = write_csv(
        "actor,origin,destination,troops\nPoland,Poland,Lithuania,200\nLithuania,,Vilnius,50\n"
    )
    result = invoke("render", str(path), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 0
    assert (
        f'Warning: {path}, column "actor": "Poland" and "Lithuania" share a colour '
        "(#CC79A7) on this map. To tell them apart, pin one in a style file (--style, or "
        'troopmap.toml): [colours] "Lithuania" = "#0072B2".'
    ) in result.stderr


HOUSE = """\
# Our house colours
[colours]
Russia = "#c0392b"
"United States" = "#1F4E9C"
"""


def test_a_style_file_pins_the_colours_on_every_output(write_csv, render, tmp_path):
    style = write_csv(HOUSE, "house.toml")
    outputs = [tmp_path / f"map.{ext}" for ext in ("html", "svg", "geojson", "gpkg")]
    render("--style", str(style), *(arg for out in outputs for arg in ("-o", str(out))))
    assert colours_of(outputs[0]) == {"United States": "#1F4E9C", "Russia": "#C0392B"}
    svg = outputs[1].read_text().lower()
    assert "#c0392b" in svg and "#1f4e9c" in svg
    features = json.loads(outputs[2].read_text())["features"]
    assert {
        (f["properties"]["actor"], f["properties"]["colour"])
        for f in features
        if f["properties"]["layer"] == "legs"
    } == {("United States", "#1F4E9C"), ("Russia", "#C0392B")}
    with sqlite3.connect(outputs[3]) as db:
        assert set(db.execute("SELECT actor, colour FROM legs")) == {
            ("United States", "#1F4E9C"),
            ("Russia", "#C0392B"),
        }


def test_troopmap_toml_in_the_working_folder_is_the_style(write_csv, render, tmp_path, monkeypatch):
    write_csv(HOUSE, "troopmap.toml")
    monkeypatch.chdir(tmp_path)
    render("-o", "map.html")
    assert colours_of(tmp_path / "map.html")["Russia"] == "#C0392B"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[colours]\nRussia = "red"\n',
            'Error: house.toml, column "colours": the colour of "Russia", "red", is not a colour. '
            'Write a colour as "#RRGGBB", e.g. "#D55E00".',
        ),
        ("[colours]\nUnited States = 1\n", "Error: house.toml: is not valid TOML ("),
    ],
)
def test_a_style_file_with_a_mistake_says_what_is_wrong_and_nothing_is_written(
    write_csv, invoke, tmp_path, monkeypatch, text, message
):
    write_csv(text, "house.toml")
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "--style", "house.toml", "-o", "map.html")
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (tmp_path / "map.html").exists()


def test_a_colour_column_pins_an_actors_colour_over_the_style_file(write_csv, render, tmp_path):
    style = write_csv(HOUSE, "house.toml")
    csv = write_csv(
        "actor,origin,destination,troops,colour\nRussia,Russia,Belarus,300,#222\n"
        "Russia,Pskov,Minsk,100,\nPoland,Poland,Lithuania,200,\n"
    )
    out = tmp_path / "map.html"
    render(str(csv), "--style", str(style), "-o", str(out))
    assert colours_of(out)["Russia"] == "#222222"


def test_an_actor_given_two_colours_is_an_error_naming_both_rows(write_csv, invoke):
    csv = write_csv(
        "actor,origin,destination,troops,colour\nRussia,Russia,Belarus,300,#C0392B\n"
        "Russia,Pskov,Minsk,100,#00ff00\nPoland,Poland,Lithuania,200,blue\n"
    )
    result = invoke("check", str(csv))
    assert result.exit_code == 1
    assert (
        f'Error: {csv}, row 3, column "colour": "#00FF00" differs from #C0392B, the colour '
        "row 2 gives Russia. Give an actor one colour, or leave the cell empty."
    ) in result.stderr
    assert (
        f'Error: {csv}, row 4, column "colour": "blue" is not a colour. Write a colour as '
        "#RRGGBB, e.g. #D55E00."
    ) in result.stderr


def test_a_colour_in_the_first_column_is_a_colour_not_a_comment(write_csv):
    csv = write_csv(
        "colour,actor,origin,destination,troops\n#C0392B,Russia,Russia,Belarus,300\n"
        "# a note for people\n#c0392b,Russia,Pskov,Minsk,100\n"
    )
    layers = pipeline.layers_for(csv)
    assert [m.row for m in layers.movements] == [2, 4]
    assert layers.actors == {"Russia": "#C0392B"}


def test_check_reads_the_style_file_and_warns_of_shared_colours(
    write_csv, invoke, tmp_path, monkeypatch
):
    csv = write_csv(
        "actor,origin,destination,troops\nPoland,Poland,Lithuania,200\nLithuania,,Vilnius,50\n"
    )
    monkeypatch.chdir(tmp_path)
    warned = invoke("check", str(csv))
    assert warned.exit_code == 0
    assert '"Poland" and "Lithuania" share a colour (#CC79A7)' in warned.stderr
    write_csv('[colours]\nLithuania = "#0072B2"\n', "troopmap.toml")
    assert "share a colour" not in invoke("check", str(csv)).stderr
    write_csv('[colours]\nLithuania = "teal"\n', "house.toml")
    refused = invoke("check", str(csv), "--style", "house.toml")
    assert refused.exit_code == 1
    assert (
        'Error: house.toml, column "colours": the colour of "Lithuania", "teal"' in refused.stderr
    )
