"""The offline page is written in one pass, without folium, and is the page folium writes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pytest

from geo import pipeline
from geo.render.html import build_figure, render_html
from geo.render.page_extras import accessible_page

SYMBOLS_AND_FORKS = """\
id,date,actor,unit,origin,destination,troops,status,symbol,affiliation,notes
a,2022-02-02,United States,2CR,Germany,Romania,1000,ordered,cavalry squadron,friend,{{ 7*7 }}
b,2022-02-03,United States,,United States,Germany=1200;Poland=800,2000,ordered,,,
c,2022-02-04,Russia,,,Russia,30000,claimed,,,
d,2022-02-10/2022-02-20,Russia,,Russia,Belarus,~30000,announced,,,
"""


def folium_page(layers, as_of=None) -> str:
    return accessible_page(build_figure(layers, as_of=as_of).render(), layers)


@pytest.mark.parametrize("as_of", [None, dt.date(2022, 2, 3)])
def test_the_bundled_page_is_byte_for_byte_the_page_folium_writes(as_of):
    layers = pipeline.layers_for()
    assert render_html(layers, as_of=as_of) == folium_page(layers, as_of)


def test_a_page_with_symbols_forks_and_stations_is_the_page_folium_writes(tmp_path):
    csv = tmp_path / "movements.csv"
    csv.write_text(SYMBOLS_AND_FORKS, encoding="utf-8")
    layers = pipeline.layers_for(csv, title="Units & forks")
    assert render_html(layers) == folium_page(layers)


def test_an_offline_page_is_written_without_loading_folium(tmp_path):
    out = tmp_path / "map.html"
    script = textwrap.dedent(
        f"""
        import sys
        from geo import pipeline
        pipeline.write(pipeline.layers_for(), {str(out)!r})
        print(sorted(m for m in ("folium", "branca", "jinja2") if m in sys.modules))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
