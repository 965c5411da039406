"""The key is decided once (``geo.legend``): the page's key is written from it and the page's
script draws by the same rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo import pipeline
from geo.legend import legend_for
from geo.render.html import render_html
from tests.conftest import page_data_of


def _layers(write_csv: Callable[..., Path]) -> Any:
    csv = write_csv("""
        actor,origin,destination,troops,status
        United States,Germany,Romania,1000,announced
        United States,United States,Germany; Poland,2000,ordered
        Russia,Russia,Belarus,30000,withdrawn
        Russia,,Rostov-on-Don,~100000,reported
    """)
    return pipeline.layers_for(csv)


def test_the_key_names_each_actor_size_and_stroke_the_map_draws(write_csv):
    key = legend_for(_layers(write_csv))
    assert [(s.label, s.colour) for s in key.actors] == [
        ("United States", "#0072B2"),
        ("Russia", "#D55E00"),
    ]
    assert [w.label for w in key.widths] == ["2,000 troops", "10,000 troops", "30,000 troops"]
    assert [w.pixels for w in key.widths] == sorted(w.pixels for w in key.widths)
    assert [r.label for r in key.radii] == ["20,000 stationed", "100,000 stationed"]
    assert [(s.label, s.dashed, s.faded) for s in key.strokes] == [
        ("announced", True, False),
        ("withdrawn", False, True),
    ]
    assert key.notes == ("A fork without counts: the split was not reported.",)
    assert [s.label for s in key.countries] == ["receives or hosts troops", "sends troops only"]


def test_a_map_without_dashed_movements_shows_no_stroke_in_its_key(write_csv):
    csv = write_csv("actor,destination,troops\nUnited States,Poland,100\n")
    key = legend_for(pipeline.layers_for(csv))
    assert key.strokes == () and key.widths == () and key.notes == ()
    assert [r.label for r in key.radii] == ["20 stationed", "100 stationed"]


def test_the_page_key_and_its_script_read_the_same_legend(write_csv):
    layers = _layers(write_csv)
    page = render_html(layers)
    data = page_data_of(page)
    key = re.search(r'<aside class="tm-panel tm-legend".*?</aside>', page, re.S).group(0)
    text = re.sub(r"<[^>]+>", " ", key)
    for swatch in data["legend"]["actors"] + data["legend"]["countries"]:
        assert swatch["label"] in text
    for size in data["legend"]["widths"] + data["legend"]["radii"]:
        assert size["label"] in text
        assert f'="{size["pixels"]:.1f}"' in key  # drawn at the width the key gives
    assert data["legend"]["rules"] == {"dashed": ["announced", "claimed"], "faded": ["withdrawn"]}


def test_the_page_dashes_and_fades_the_flows_its_legend_says(
    write_csv: Callable[..., Path], tmp_path: Path, browser: Any
) -> None:
    path = tmp_path / "map.html"
    pipeline.write(_layers(write_csv), path)
    page = browser.open(path)
    strokes = page.evaluate("""() => troopmap.views[0].model.flows.map(
        f => [f.status, f.dashed, f.faded])""")
    assert ["announced", True, False] in strokes
    assert ["withdrawn", False, True] in strokes
    assert ["ordered", False, False] in strokes
    assert page.locator("path.tm-flow[stroke-dasharray]").count() == 1
    assert browser.errors == []


def test_a_map_with_a_plan_keys_the_planned_look_under_status(render, tmp_path):
    from geo.legend import PLANNED_WORDS

    key = legend_for(pipeline.layers_for())  # the bundled file: the Belarus claim, reported ahead
    assert [(s.label, s.planned) for s in key.strokes] == [
        ("claimed", False),
        (PLANNED_WORDS, True),
    ]
    out = tmp_path / "map.html"
    render("-o", str(out))
    status = out.read_text().split("<h2>Status</h2>")[1].split("</ul>")[0]
    assert PLANNED_WORDS in status
