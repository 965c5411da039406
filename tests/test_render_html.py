"""The HTML page as a file: self-contained, deterministic, escaped."""

from __future__ import annotations

import re

import pytest

from geo import pipeline
from geo.render.html import render_html
from geo.render.inline import script_json
from tests.conftest import movement_records, page_data_of


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(pipeline.layers_for())


def test_page_loads_nothing_from_the_network(page):
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert not re.search(r'src="(https?:)?//', markup)
    outside_links = re.findall(r'<a href="(https?://[^"]+)"[^>]*>', markup)
    assert outside_links and all(
        "noopener noreferrer" in a for a in re.findall(r'<a href="https?://[^>]+>', markup)
    )
    assert "<link" not in page


def test_content_security_policy_forbids_every_origin(page):
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy
    assert "connect-src 'self'" in policy
    assert "http" not in policy
    # ... and a second policy keeps requests to the site's robots.txt (see test_hostile_page)
    policies = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policies[1:] == ["connect-src *:*/robots.txt"]


def test_same_input_gives_the_same_bytes(page):
    assert render_html(pipeline.layers_for()) == page


def test_leaflet_is_inlined_with_its_images_as_data(page):
    assert "Leaflet" in page and "L.map(" in page
    assert "url(images/" not in page
    assert "data:image/png;base64," in page


def test_title_summary_and_sources_are_in_the_page(page):
    assert "<title>United States and Russia: troop movements</title>" in page
    assert '<meta name="description" content="Four movements reported on 2 February 2022:' in page
    assert "<noscript>" in page
    assert 'rel="noopener noreferrer">themoscowtimes.com</a>' in page


def test_csv_text_cannot_close_the_script_or_run(write_csv, tmp_path):
    payload_actor = "</script><script>alert(1)</script>"
    payload_notes = "<!-- \u2028 {{ 7*7 }} ${x}"
    csv = write_csv(f"""
        actor,origin,destination,troops,notes,unit
        "{payload_actor}",Germany,Romania,10,"{payload_notes}","<b>x</b>"
        """)
    layers = pipeline.layers_for(csv)
    html = render_html(layers)
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # legend, title
    assert "\\u003c/script\\u003e" in html  # inside the data
    assert "<b>x</b>" not in html
    notes = movement_records(page_data_of(html))[0]["notes"]
    assert "{{ 7*7 }}" in notes and "49" not in notes  # template syntax stays text, never run
    assert "\\u007b\\u007b 7*7 \\u007d\\u007d" in html


def test_script_json_escapes_what_ends_a_script():
    text = script_json({"a": "</script><!--\u2028\u2029&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text


def test_two_maps_get_different_element_ids(write_csv):
    other = write_csv("actor,origin,destination,troops\nRussia,Russia,Belarus,5\n")
    first = set(re.findall(r"map_[0-9a-f]+", render_html(pipeline.layers_for())))
    second = set(re.findall(r"map_[0-9a-f]+", render_html(pipeline.layers_for(other))))
    assert first and second and not first & second
