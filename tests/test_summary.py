"""A map that explains itself: one paragraph made from the data, used as the page's
description, its <noscript> text and its screen-reader caption, and printed by
``troopmap render --summary``."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest

from geo.dataset import parse_movements
from geo.paths import bundled
from geo.render.inline import ascii_html
from geo.summary import summarise, window_phrase, with_article

BUNDLED_SUMMARY = (
    "Four movements reported on 2 February 2022: 1,000 United States troops ordered from "
    "Germany to Romania; 2,000 ordered from the United States to Germany and Poland, split "
    "not reported; about 100,000 Russian troops stationed in the Russia–Ukraine border area; "
    "about 30,000 claimed to be going from Russia to Belarus between 10 and 20 February 2022."
)
UNITS_SUMMARY = (
    "Three movements reported on 2 February 2022: about 1,000 United States troops (Stryker "
    "squadron, 2nd Cavalry Regiment) ordered from Vilseck to Romania; about 1,700 (82nd "
    "Airborne Division) ordered from Fort Bragg to Poland; about 300 (XVIII Airborne Corps "
    "headquarters) ordered from Fort Bragg to Germany."
)


def movements(text: str) -> list:
    return parse_movements(text).movements


def test_the_bundled_map_is_summed_up_as_the_article_reports_it():
    from geo.pipeline import load

    assert summarise(load().movements) == BUNDLED_SUMMARY


def test_the_units_example_names_each_unit():
    from geo.pipeline import load

    assert summarise(load(bundled("examples/2022-02-02-units.csv")).movements) == UNITS_SUMMARY


def test_render_summary_prints_the_summary(invoke, tmp_path):
    result = invoke("render", "--summary", "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == BUNDLED_SUMMARY


def test_render_summary_as_of_a_day_describes_the_map_on_that_day(invoke, tmp_path):
    result = invoke("render", "--summary", "--as-of", "2022-02-21", "-o", str(tmp_path / "m.html"))
    assert result.stdout.splitlines()[-1] == (
        "On 21 February 2022 the map shows three movements reported on 2 February 2022: 1,000 "
        "United States troops ordered from Germany to Romania; 2,000 ordered from the United "
        "States to Germany and Poland, split not reported; about 100,000 Russian troops "
        "stationed in the Russia–Ukraine border area."
    )


def test_movements_on_several_days_are_dated_one_by_one():
    text = summarise(
        movements(
            "actor,origin,destination,troops,date,status\n"
            "France,France,Romania,500,2022-02-28,announced\n"
            "France,France,Estonia,300,2022-03-03,arrived\n"
            "Germany,,Lithuania,350,2022-03,reported\n"
        )
    )
    assert text == (
        "Three movements reported from 28 February to 31 March 2022: 500 French troops "
        "announced to go from France to Romania (28 February 2022); 300 arrived in Estonia from "
        "France (3 March 2022); 350 German troops stationed in Lithuania (March 2022)."
    )


def test_an_undated_map_has_no_dates_and_other_actors_keep_their_name():
    text = summarise(
        movements(
            "actor,origin,destination,troops,status\n"
            "NATO,,Baltic states,~5000,claimed\n"
            "Wagner Group,Russia,Belarus,1200,withdrawn\n"
        )
    )
    assert text == (
        "Two movements reported: about 5,000 NATO troops claimed to be stationed in the Baltic "
        "states; 1,200 Wagner Group troops sent from Russia to Belarus, since withdrawn."
    )


def test_a_long_map_names_twelve_movements_and_counts_the_rest():
    rows = "".join(f"A,Germany,Poland,{n}\n" for n in range(1, 16))
    text = summarise(movements("actor,origin,destination,troops\n" + rows))
    assert text.startswith("15 movements reported: 1 A troops from Germany to Poland; 2 from")
    assert text.endswith("; 12 from Germany to Poland; and 3 more.")


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("United States", "the United States"),
        ("Netherlands", "the Netherlands"),
        ("Russia–Ukraine border area", "the Russia–Ukraine border area"),
        ("Czech Republic", "the Czech Republic"),
        ("Germany", "Germany"),
        ("Fort Bragg", "Fort Bragg"),
        ("The Hague", "The Hague"),
        ("54.3,18.6", "54.3,18.6"),
    ],
)
def test_place_names_get_the_article_english_gives_them(name, read):
    assert with_article(name) == read


def test_a_window_across_months_is_written_in_full():
    from geo.dataset import parse_date

    assert window_phrase(parse_date("2022-02-28/2022-03-03")) == "from 28 February to 3 March 2022"
    assert (
        window_phrase(parse_date("2021-12-28/2022-01-03"))
        == "from 28 December 2021 to 3 January 2022"
    )


def test_the_summary_at_a_day_with_nothing_shown_says_so(invoke):
    from geo.layers import layers_as_of
    from geo.pipeline import layers_for

    layers = layers_as_of(layers_for(None), date(2022, 1, 1))
    assert layers.summary == "On 1 January 2022 the map shows no movements reported."


# --- in the page ----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_page_describes_itself_with_the_summary(browser, render, tmp_path):
    out = tmp_path / "m.html"
    render("-o", str(out))
    html = out.read_text()
    written = ascii_html(BUNDLED_SUMMARY)  # the page is ASCII: "–" is written "&#8211;"
    assert f'<meta name="description" content="{written}">' in html
    assert f'<meta property="og:description" content="{written}">' in html
    assert f'<noscript><p class="tm-noscript">{written}</p></noscript>' in html
    page = browser.open(out)
    caption = page.locator("header .tm-sr-only")
    assert caption.inner_text() == BUNDLED_SUMMARY
    box = caption.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1  # hidden from sight
    described = page.locator(".folium-map").get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text() == BUNDLED_SUMMARY
    # What a screen reader announces for the map region.
    snapshot = page.locator("main").aria_snapshot()
    assert 'region "Map: United States and Russia: troop movements"' in snapshot


def test_text_from_the_csv_is_escaped_in_the_summary_everywhere(render, write_csv, tmp_path):
    path = write_csv(
        "actor,origin,destination,troops,unit\n"
        '"<script>alert(1)</script>",Germany,Poland,10,"A&B ""unit"""\n'
    )
    out = tmp_path / "m.html"
    render(str(path), "-o", str(out))
    html = out.read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; troops (A&amp;B &quot;unit&quot;)" in html
    description = html.split('<meta name="description" content="')[1].split('">')[0]
    assert unescape(description) == (
        'One movement reported: 10 <script>alert(1)</script> troops (A&B "unit") from Germany '
        "to Poland."
    )
