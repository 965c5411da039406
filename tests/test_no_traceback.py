"""Inputs a user can give that once ended in a traceback, an unreadable print map, or raw
control characters on the terminal; each now draws, or says what is wrong in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.links import link_host

Invoke = Callable[..., Any]
WriteCsv = Callable[..., Path]


@pytest.mark.parametrize(
    "source", ["https://[x.y/", "https://x.org:99999/a", "https://www.bbc.co.uk&x=1@evil.example/"]
)
def test_a_source_that_check_accepts_is_one_render_can_draw(
    source: str, invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv(f"""
        actor,origin,destination,troops,source
        United States,Germany,Poland,1000,{source}
    """)

    checked = invoke("check", str(path))
    rendered = invoke(
        "render", str(path), "-o", str(tmp_path / "map.html"), "-o", str(tmp_path / "map.png")
    )

    assert checked.exit_code == rendered.exit_code == 1
    assert f'Error: {path}, row 2, column "source": "{source}"' in checked.stderr
    assert not (tmp_path / "map.html").exists()


def test_a_link_with_a_user_name_says_which_site_it_opens(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        actor,origin,destination,troops,source
        United States,Germany,Poland,1000,https://www.bbc.co.uk&x=1@evil.example/
    """)

    result = invoke("check", str(path))

    assert result.stderr.splitlines()[0] == (
        f'Error: {path}, row 2, column "source": "https://www.bbc.co.uk&x=1@evil.example/" '
        'opens evil.example: the part before "@" is a user name, not the site. Give the '
        "report's own address."
    )


def test_the_host_shown_for_a_link_is_the_host_it_opens() -> None:
    assert link_host("https://www.reuters.com/world/a#b") == "reuters.com"
    assert link_host("https://x.org@evil.example/") is None
    assert link_host("https://[x.y/") is None
    assert link_host("javascript:alert(1)//x.org") is None


def test_a_byte_order_mark_inside_text_draws_in_every_print_format(
    invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv("""
        actor,unit,origin,destination,troops
        United\ufeffStates,2nd\ufeffCavalry,Germany,Poland,1000
    """)
    outputs = [tmp_path / f"map.{fmt}" for fmt in ("pdf", "png", "svg")]

    result = invoke(
        "render",
        str(path),
        "--title",
        "Week\ufeff6",
        *(arg for out in outputs for arg in ("-o", str(out))),
    )

    assert result.exit_code == 0, result.stderr
    assert all(out.stat().st_size > 1000 for out in outputs)
    assert "United\u2060States" in outputs[2].read_text(encoding="utf-8")


@pytest.mark.parametrize("option", ["--title", "--subtitle"])
def test_a_title_in_another_encoding_is_a_usage_error(
    option: str, invoke: Invoke, tmp_path: Path
) -> None:
    latin1 = b"Caf\xe9".decode("utf-8", "surrogateescape")  # as Python gets it from argv

    result = invoke("render", option, latin1, "-o", str(tmp_path / "map.png"))

    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '{option}': is not UTF-8 text (it holds bytes of another "
        "encoding). Set the terminal or the script that runs troopmap to UTF-8."
    ) in result.stderr
    assert not (tmp_path / "map.png").exists()


def test_a_utf8_title_from_the_command_line_is_kept(invoke: Invoke, tmp_path: Path) -> None:
    utf8 = "Café".encode().decode("utf-8", "surrogateescape")

    result = invoke("render", "--title", utf8, "-o", str(tmp_path / "map.svg"))

    assert result.exit_code == 0, result.stderr
    assert "Café" in (tmp_path / "map.svg").read_text(encoding="utf-8")


def test_four_hundred_sources_and_a_long_title_leave_room_for_the_map(
    invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    rows = "\n".join(
        f"United States,Germany,Poland,{n + 1},https://site{n}.example.org/report"
        for n in range(400)
    )
    path = write_csv("actor,origin,destination,troops,source\n" + rows)
    outputs = [tmp_path / f"map.{fmt}" for fmt in ("pdf", "png", "svg")]

    result = invoke(
        "render",
        str(path),
        "--title",
        " ".join(["word"] * 3000),
        "--subtitle",
        "x" * 3600,
        *(arg for out in outputs for arg in ("-o", str(out))),
    )

    assert result.exit_code == 0, result.stderr
    svg = outputs[2].read_text(encoding="utf-8")
    assert "site7.example.org," in svg and "site8.example.org" not in svg
    assert "and 392 more sites." in svg


def test_bidirectional_overrides_from_the_csv_are_escaped_on_the_terminal(
    invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States\u202e,Germany,Poland,1000
    """)

    result = invoke(
        "render",
        str(path),
        "-o",
        str(tmp_path / "map.geojson"),
        "--summary",
        "--title",
        "Week\u202e6",
        "--subtitle",
        "as\u202ereported",
        "-v",
    )

    assert result.exit_code == 0, result.stderr
    assert "\u202e" not in result.stdout + result.stderr
    assert "1,000 United States\\u202e troops from Germany to Poland" in result.stdout
    assert ": as\\u202ereported." in result.stdout


# --- messages that name the real cause ----------------------------------------------------------


def test_a_height_alone_that_makes_the_map_too_wide_says_so(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.png"), "--height", "50in")

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --height 50in keeps the map's usual shape, which makes it 72.73 inches wide, "
        "out of range (2 to 60 inches). Give a --height of at most 41.25 inches, or a --width "
        "too."
    )


@pytest.mark.parametrize(
    ("tiles", "words"),
    [
        (
            "",
            "Error: --tiles is empty: give a tile set such as OpenStreetMap, or leave the option "
            "out for a map without web tiles.",
        ),
        (
            "Thunderforest.OpenCycleMap",
            'Error: --tiles: "Thunderforest.OpenCycleMap" needs an API key, '
            "which troopmap does not "
            "take: it would be written into every copy of the page. Try OpenStreetMap or "
            "Esri.WorldGrayCanvas.",
        ),
    ],
)
def test_tiles_that_cannot_be_drawn_are_named_for_what_they_are(
    tiles: str, words: str, invoke: Invoke, tmp_path: Path
) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.html"), "--tiles", tiles)

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == words
    assert not (tmp_path / "map.html").exists()


def test_tiles_from_several_hosts_are_all_allowed_by_the_page_policy(
    invoke: Invoke, tmp_path: Path
) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.html"), "--tiles", "OneMapSG.Default")

    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert (
        "img-src data: https://maps-a.onemap.sg https://maps-b.onemap.sg https://maps-c.onemap.sg;"
    ) in page


def test_coordinates_off_the_earth_are_named_as_such(invoke: Invoke, write_csv: WriteCsv) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,"91, 181",1000
    """)

    looked_up = invoke("places", "91, 181")
    checked = invoke("check", str(path))

    assert looked_up.exit_code == 1
    assert looked_up.stdout.splitlines() == [
        '"91, 181" is no point on Earth: 91 is not a latitude (-90 to 90) and 181 is not a '
        "longitude (-180 to 180).",
        "Write coordinates as lat,lon, the latitude first (e.g. 50.45,30.52).",
    ]
    assert checked.stderr.splitlines()[0] == (
        f'Error: {path}, row 2, column "destination": "91, 181" is no point on Earth: 91 is '
        "not a latitude (-90 to 90) and 181 is not a longitude (-180 to 180). Write "
        "coordinates as lat,lon, the latitude first (e.g. 50.45,30.52)."
    )


def test_as_of_takes_every_day_the_csv_takes(
    invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    day = "２０２２-０２-０２"  # full-width digits, which the date column reads
    path = write_csv(f"""
        date,actor,origin,destination,troops
        {day},United States,Germany,Poland,1000
    """)

    result = invoke("render", str(path), "-o", str(tmp_path / "map.png"), "--as-of", day)

    assert result.exit_code == 0, result.stderr


# --- small holes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    ["javascript:alert(1)", " java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>"],
)
def test_embed_refuses_a_frame_address_that_is_not_a_web_address_or_a_path(
    src: str, invoke: Invoke, render: Any, tmp_path: Path
) -> None:
    render("-o", str(tmp_path / "map.html"))

    result = invoke("embed", str(tmp_path / "map.html"), "--src", src)

    assert result.exit_code == 2
    assert (
        "is not a web address or a path: give an http:// or https:// address, or the "
        "map's path relative to the report." in result.stderr
    )
    assert "<iframe" not in result.stdout


def test_embed_keeps_web_addresses_and_paths(invoke: Invoke, render: Any, tmp_path: Path) -> None:
    render("-o", str(tmp_path / "map.html"))

    for src in ("https://example.org/maps/map.html", "maps/map.html"):
        result = invoke("embed", str(tmp_path / "map.html"), "--src", src)
        assert result.exit_code == 0
        assert f'<iframe src="{src}"' in result.stdout


def test_an_output_that_is_the_input_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    data = tmp_path / "movements.html"  # a CSV with an unlucky name
    data.write_text("actor,origin,destination,troops\nUnited States,Germany,Poland,1000\n")

    result = invoke("render", str(data), "-o", str(data))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: -o {data}: that is the file the map is read from; writing the map there "
        "would replace it. Give the map another name."
    )
    assert data.read_text().startswith("actor,")


@pytest.mark.parametrize("sign", ["=", "+", "@"])
def test_a_symbol_that_a_spreadsheet_would_run_as_a_formula_is_refused(
    sign: str, invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv(f"""
        actor,origin,destination,troops,symbol
        United States,Germany,Poland,1000,{sign}infantry
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'Error: {path}, row 2, column "symbol": "{sign}infantry" starts with "{sign}", which a '
        "spreadsheet opening the GIS data would run as a formula. Write the symbol without it: "
        "infantry."
    )


def test_sheet_names_in_a_message_are_escaped(invoke: Invoke, tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Movements\u202eslx.exe"
    sheet.append(["actor", "origin", "destination", "troops"])
    sheet.append(["United States", "Germany", "Poland", 1000])
    path = tmp_path / "movements.xlsx"
    workbook.save(path)

    result = invoke("check", str(path), "--sheet", "Other")

    assert result.exit_code == 2
    assert "Movements\\u202eslx.exe" in result.stderr
    assert "\u202e" not in result.stderr


def test_a_program_giving_a_title_with_bytes_of_another_encoding_gets_a_map(
    tmp_path: Path,
) -> None:
    import geo

    title = b"Caf\xe9".decode("utf-8", "surrogateescape")
    layers = geo.build_layers(geo.load(None), title=title, subtitle=title)

    for name in ("map.html", "map.png"):
        geo.write(layers, tmp_path / name)
    assert layers.title == "Caf\ufffd" and layers.subtitle == "Caf\ufffd"


def test_json_for_editors_writes_bidirectional_overrides_as_escapes(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    import json

    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Roma\u202eina,1000
    """)

    checked = invoke("check", str(path), "--format", "json")
    looked_up = invoke("places", "Roma\u202eina", "--format", "json")

    for result in (checked, looked_up):
        assert "\u202e" not in result.stdout
        assert "\\u202e" in result.stdout
    assert json.loads(checked.stdout)["problems"][0]["value"] == "Roma\u202eina"
    assert json.loads(looked_up.stdout)["query"] == "Roma\u202eina"
