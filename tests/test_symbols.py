"""Unit symbols: a SIDC or plain words in the ``symbol`` column, checked like any other data,
drawn as APP-6 SVG with the frame the ``affiliation`` column sets, and only those used are
embedded in the page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.paths import bundled
from geo.symbol_svg import draw_symbol
from geo.symbols import SymbolError, describe, read_symbol
from tests.conftest import page_data_of

UNITS = bundled("examples/2022-02-02-units.csv")
ROOT = Path(__file__).resolve().parent.parent

HEADER = "id,date,actor,unit,origin,destination,troops,status,symbol,affiliation\n"


# --- reading a symbol cell --------------------------------------------------------------------


def test_plain_words_become_the_app6_code_with_the_frame_of_the_affiliation_column():
    symbol = read_symbol("armoured cavalry squadron", "friend")
    assert symbol.sidc == "10031000161205010000"
    assert symbol.name == "armored cavalry squadron"
    assert symbol.words == "armored cavalry squadron, friend frame"


def test_without_an_affiliation_the_frame_is_unknown_because_the_map_takes_no_side():
    symbol = read_symbol("airborne infantry brigade", None)
    assert symbol.sidc == "10011000181211000001"
    assert symbol.affiliation == "unknown"


@pytest.mark.parametrize(
    ("words", "sidc"),
    [
        ("mechanised infantry company", "10011000151211020000"),
        ("motor rifle regiment", "10011000171211040000"),
        ("tank battalion", "10011000161205000000"),
        ("airborne corps headquarters", "10011002220000000001"),
    ],
)
def test_british_spellings_and_common_terms_are_understood(words, sidc):
    assert read_symbol(words, None).sidc == sidc


def test_words_that_name_a_side_set_the_frame_when_the_affiliation_column_is_empty():
    assert read_symbol("hostile armored brigade", None).affiliation == "hostile"


def test_words_and_affiliation_column_that_disagree_are_an_error():
    with pytest.raises(SymbolError) as error:
        read_symbol("hostile armored brigade", "friend")
    assert error.value.message == (
        '"hostile armored brigade" says hostile but the affiliation column says "friend".'
    )


def test_a_sidc_is_checked_and_the_affiliation_column_sets_its_frame():
    assert read_symbol("10011000161205010000", "hostile").sidc == "10061000161205010000"
    assert read_symbol("1003 1000 1612 0501 0000", None).sidc == "10031000161205010000"
    assert read_symbol("10031000161205010000", None).affiliation == "friend"


def test_a_sidc_with_another_frame_than_the_affiliation_column_is_an_error():
    with pytest.raises(SymbolError, match="has a friend frame but the affiliation column"):
        read_symbol("10031000161205010000", "hostile")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1003100016", '"1003100016" has 10 digits; a symbol code (SIDC) has 20.'),
        ("SFGPUCR---*****", "not the older letter codes"),
        (
            "10031000161299990000",
            'digits 11-16 (entity) "129999" are not an entity of the land unit set (10)',
        ),
        ("90031000161205010000", 'it starts with "90"'),
        ("10091000161205010000", 'its fourth digit (identity) "9" is not one of 0 to 6'),
        ("10031000991205010000", 'digits 9-10 (echelon or mobility) "99" do not apply'),
    ],
)
def test_a_bad_code_says_which_part_is_wrong(text, message):
    with pytest.raises(SymbolError) as error:
        read_symbol(text, None)
    assert message in error.value.message
    assert error.value.suggestion


def test_a_mistyped_word_is_an_error_with_the_closest_known_word():
    with pytest.raises(SymbolError) as error:
        read_symbol("infnatry battalion", None)
    assert error.value.message == (
        '"infnatry battalion": "infnatry" is not a word of the APP-6 symbol names.'
    )
    assert error.value.suggestion == 'Did you mean "infantry"?'


def test_a_word_the_package_ignored_is_an_error_not_a_different_symbol():
    # military-symbol on its own would draw a plain squadron and drop "stryker" silently.
    with pytest.raises(SymbolError, match='"stryker" is not a word'):
        read_symbol("stryker squadron", None)
    with pytest.raises(SymbolError, match='no APP-6 symbol combines "cavalry"'):
        read_symbol("armoured wheeled cavalry squadron", "friend")


def test_describe_names_the_symbol_in_words():
    assert describe("10031002220000000001") == "airborne corps headquarters"
    assert (
        describe("10061000161205010000", identity=True)
        == "hostile armored reconnaissance battalion"
    )


# --- the CSV ----------------------------------------------------------------------------------


def test_a_bad_symbol_in_the_csv_is_a_data_error_naming_row_column_value_and_suggestion(
    invoke, write_csv
):
    path = write_csv(
        HEADER + "a,2022-02-02,United States,,Germany,Romania,1000,ordered,"
        "infnatry battalion,friend\n" + "b,2022-02-02,United States,,Germany,Poland,500,ordered,"
        "10031000161299990000,\n"
    )
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert (
        f'{path}, row 2, column "symbol": "infnatry battalion": "infnatry" is not a word '
        'of the APP-6 symbol names. Did you mean "infantry"?'
    ) in result.stderr
    assert (
        f'{path}, row 3, column "symbol": "10031000161299990000" is not a symbol code '
        "troopmap can draw"
    ) in result.stderr
    assert f"{path}: 2 errors. Fix them, then check again." in result.stderr


def test_the_symbol_and_its_frame_reach_the_movement(write_csv):
    from geo.pipeline import load

    path = write_csv(HEADER + "a,,Russia,,Russia,Belarus,30000,claimed,tank battalion,hostile\n")
    movement = load(path).movements[0]
    assert movement.unit_symbol is not None
    assert movement.unit_symbol.sidc == "10061000161205000000"
    assert movement.affiliation == "hostile"


def test_the_units_example_is_the_briefing_of_2_february_2022():
    from geo.pipeline import load

    rows = {m.id: m for m in load(UNITS)}
    assert [(m.origin, m.destination_text, m.troops, m.estimate) for m in rows.values()] == [
        ("Vilseck", "Romania", 1000, True),
        ("Fort Bragg", "Poland", 1700, True),
        ("Fort Bragg", "Germany", 300, True),
    ]
    assert all("press briefing of 2 February 2022" in m.notes for m in rows.values())
    assert all(m.affiliation == "friend" and m.unit_symbol for m in rows.values())
    assert not any(m.source for m in rows.values())  # the briefing is named, no link invented
    assert "2nd Cavalry Regiment" in rows["us-2cr-stryker-squadron"].unit
    assert rows["us-xviii-airborne-corps-hq-to-germany"].unit_symbol.sidc == "10031002220000000001"


# --- drawing ----------------------------------------------------------------------------------


def test_symbols_are_drawn_as_plain_svg_safe_to_inline():
    drawing = draw_symbol("10031000161205010000")
    markup = drawing.svg(48, title="a <b> title")
    assert markup.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 67.7333')
    assert "<title>a &lt;b&gt; title</title>" in markup
    for forbidden in ("<script", "<style", " id=", "href", " on", "url(", "<metadata"):
        assert forbidden not in drawing.body
    assert drawing == draw_symbol("10031000161205010000")


def test_drawing_writes_no_file_in_the_working_folder(tmp_path, monkeypatch):
    # military-symbol crops symbols through a temporary file in the working folder.
    monkeypatch.chdir(tmp_path)
    draw_symbol.cache_clear()
    draw_symbol("10061000171211040000")
    assert list(tmp_path.iterdir()) == []


def test_a_map_without_symbols_never_imports_military_symbol(tmp_path):
    code = (
        "import sys, geo\n"
        "layers = geo.build_layers(geo.load())\n"
        "geo.render_html(layers)\n"
        "print('military_symbol' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- the page ---------------------------------------------------------------------------------


def test_only_the_symbols_the_map_uses_are_embedded(render, tmp_path):
    out = tmp_path / "units.html"
    render(str(UNITS), "-o", str(out))
    html = out.read_text()
    defined = re.findall(r'<symbol id="(tm-sym-[\w-]+)"', html)
    frames = re.findall(r'<symbol id="(tm-frame-[\w-]+)"', html)
    assert len(defined) == 3  # three different symbols
    assert [f.rsplit("-", 1)[1] for f in frames] == ["friend"]  # the legend's frame
    data = page_data_of(html)
    assert [s["id"] for s in data["symbols"]] == defined
    assert [s["name"] for s in data["symbols"]] == [
        "wheeled cavalry squadron, friend frame",
        "airborne infantry, friend frame",
        "airborne corps headquarters, friend frame",
    ]


def test_a_page_without_symbols_has_no_symbol_definitions(render, tmp_path):
    out = tmp_path / "map.html"
    render("-o", str(out))
    html = out.read_text()
    assert "<symbol id=" not in html and 'tm-symbol-defs"' not in html


@pytest.mark.browser
def test_each_unit_shows_its_symbol_at_destination_and_origin_with_its_name(
    browser, render, tmp_path
):
    out = tmp_path / "units.html"
    render(str(UNITS), "-o", str(out))
    page = browser.open(out)
    data = page_data_of(out)
    for index, symbol in enumerate(data["movements"]["symbol"]):
        marks = page.locator(f'svg.tm-unit-symbol[data-tm-movement="{index}"]')
        assert marks.count() == 2  # destination and origin
        label = marks.first.get_attribute("aria-label")
        assert label == data["symbols"][symbol]["name"]
        use = marks.first.locator("use")
        target = use.get_attribute("href")
        assert page.locator(f"symbol{target}").count() == 1
        box = marks.first.bounding_box()
        assert box and box["width"] >= 40  # legible: the frame is about 35 px wide
    names = page.locator(".tm-unit-name").all_inner_texts()
    assert "Stryker squadron, 2nd Cavalry Regiment" in names
    assert "XVIII Airborne Corps headquarters" in names
    # The symbol is drawn: its <use> renders the frame, not an empty box.
    drawn = page.evaluate("""() => {
        const use = document.querySelector('svg.tm-unit-symbol use');
        const box = use.getBBox();
        return box.width * box.height;
    }""")
    assert drawn > 100
    assert browser.errors == [] and browser.requests == []


@pytest.mark.browser
def test_the_popup_names_the_symbol_in_words(browser, render, tmp_path):
    out = tmp_path / "units.html"
    render(str(UNITS), "-o", str(out))
    page = browser.open(out)
    page.locator('svg.tm-unit-symbol[data-tm-movement="0"]').first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Symbol" in text
    assert "wheeled cavalry squadron, friend frame" in text
    assert "Vilseck → Romania" in text


def test_the_units_page_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    # military-symbol keeps some names in set order, which differs from run to run.
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"units-{seed}.html"
        subprocess.run(
            [sys.executable, "-m", "geo", "render", str(UNITS), "-o", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


# --- for the static renderer --------------------------------------------------------------------


def _pixels_around(fig, ax, xy, radius=12):
    import numpy as np

    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
    x, y = ax.transData.transform(xy)
    row, col = int(image.shape[0] - y), int(x)
    patch = image[row - radius : row + radius, col - radius : col + radius].reshape(-1, 3)
    return {tuple(int(v) for v in p) for p in patch}


def _near(colour, colours, tolerance=4):
    return any(
        all(abs(a - b) <= tolerance for a, b in zip(colour, c, strict=True)) for c in colours
    )


@pytest.mark.parametrize(
    ("sidc", "fill"),
    [
        ("10031000161205010000", (128, 224, 255)),  # friend: light blue
        ("10061000161205010000", (255, 128, 128)),
    ],  # hostile: light red
)
def test_the_static_renderer_can_draw_the_same_symbol_as_vector_paths(sidc, fill):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geo.render.unit_symbols import add_symbol

    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    try:
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        artists = add_symbol(ax, sidc, (5, 5), height_pt=48)
        assert len(artists) >= 4  # halo, frame, icon, echelon
        colours = _pixels_around(fig, ax, (5, 5), radius=14)
        assert _near(fill, colours)
        assert any(sum(c) < 120 for c in colours)  # the frame's dark outline
        assert not _near(fill, _pixels_around(fig, ax, (1, 1)))  # nothing elsewhere
    finally:
        plt.close(fig)


def test_symbol_transforms_and_every_shape_kind_are_read():
    from geo.render.unit_symbols import Shape, symbol_shapes

    shapes, view_box = symbol_shapes("10031000001110040000")  # drawn with a transform
    assert view_box[2] == view_box[3] > 60
    outlines = [s for s in shapes if isinstance(s, Shape)]
    assert all(len(s.vertices) == len(s.codes) for s in outlines)
    xs = [x for s in outlines for x, _ in s.vertices]
    assert min(xs) >= 0 and max(xs) <= view_box[2]  # nothing thrown off the canvas


def test_a_military_symbol_release_this_python_cannot_import_is_named_with_its_fix(tmp_path):
    # military-symbol 2.x uses Python 3.12 f-strings: importing it on 3.10/3.11 fails.
    fake = tmp_path / "military_symbol"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SyntaxError(\"f-string: expecting '}'\")\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-m", "geo", "check", str(UNITS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: the installed military-symbol release cannot be imported by this Python (2.x "
        "needs Python 3.12 or newer): pip install 'military-symbol>=1.2.3,<2'"
    )


def test_a_forked_or_stationed_unit_is_marked_at_each_of_its_places(write_csv):
    from geo.layers import build_layers
    from geo.pipeline import load
    from geo.render.page_extras import SymbolTable, unit_markers

    path = write_csv(
        HEADER + "fork,,United States,,Fort Bragg,Germany=300; Poland=1700,2000,ordered,"
        "airborne infantry,friend\n"
        + "held,,Russia,,,Belarus,30000,claimed,motor rifle regiment,\n"
    )
    layers = build_layers(load(path))
    symbols = SymbolTable("t")
    units = unit_markers(layers, {"fork": 0, "held": 1}, symbols)
    fork, held = sorted(units, key=lambda u: u["m"])
    assert len(fork["at"]) == 2 and fork["from"] is not None
    assert len(held["at"]) == 1 and held["from"] is None
    assert symbols.names == [
        "airborne infantry, friend frame",
        "motorized infantry regiment, unknown frame",
    ]


def test_a_phrase_the_symbol_package_chokes_on_is_a_plain_error():
    # military-symbol raises AttributeError on this phrase; the reader sees a data error.
    with pytest.raises(SymbolError, match="is not a unit troopmap can draw"):
        read_symbol(",,,,,,,hostile,\n,Poland,,,,,,,,,friend,\n")
