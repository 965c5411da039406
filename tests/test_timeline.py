"""The timeline: a date slider and play button in the page, the day kept in the URL hash,
exercise windows only inside their dates, undated movements always shown; movements on the map
from the day they were reported, plans drawn as planned; and ``--as-of`` for the other outputs,
by the same rule."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.dataset import parse_date, parse_movements
from geo.layers import layers_as_of
from geo.paths import bundled_dataset
from geo.render import WRITERS, Options, write
from geo.timeline import parse_day, plan_words, presence, shown_on, timeline_span
from tests.conftest import page_data_of, wait_until, without_reported

DATED = """\
id,date,actor,origin,destination,troops,status
early,2022-02-02,United States,Germany,Romania,1000,ordered
later,2022-02-08,United States,United States,Poland,1700,ordered
drills,2022-02-10/2022-02-20,Russia,Russia,Belarus,~30000,claimed
undated,,Russia,,Belarus,5000,reported
"""


def drawn_flows(page: Any) -> int:
    """How many flow lines the browser has drawn (SVG paths of the flow layer)."""
    return page.locator("path.tm-flow").count()


def slider_day(page: Any) -> str:
    return page.locator(".tm-slider").get_attribute("aria-valuetext")


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "shown"),
    [
        ("2022-02-02", "2022-02-01", False),
        ("2022-02-02", "2022-02-02", True),
        ("2022-02-02", "2022-03-30", True),  # reported: stays on the map
        ("2022-02", "2022-02-01", True),  # a month shows from its first day
        ("2022-02-10/2022-02-20", "2022-02-09", False),
        ("2022-02-10/2022-02-20", "2022-02-10", True),
        ("2022-02-10/2022-02-20", "2022-02-20", True),
        ("2022-02-10/2022-02-20", "2022-02-21", False),  # a window only inside its dates
    ],
)
def test_a_movement_shows_from_its_day_and_a_window_only_inside_it(text, day, shown):
    assert shown_on(parse_date(text), date.fromisoformat(day)) is shown


def test_an_undated_movement_always_shows():
    assert shown_on(None, date(1900, 1, 1))


def test_the_timeline_runs_from_the_first_to_the_last_day_and_only_when_dates_differ():
    from geo.dataset import parse_movements

    assert timeline_span(parse_movements(DATED).movements) == (date(2022, 2, 2), date(2022, 2, 20))
    same_day = parse_movements(
        "actor,destination,troops,date\nA,Romania,1,2022-02-02\nB,Poland,2,2022-02-02\n"
    )
    assert timeline_span(same_day.movements) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-02-30", '"2022-02-30" is not a real date'),
        ("10/02/2022", '"10/02/2022" is not a day in the form YYYY-MM-DD, e.g. 2022-02-10'),
    ],
)
def test_a_bad_day_says_what_is_wrong(text, message):
    with pytest.raises(ValueError) as error:
        parse_day(text)
    assert str(error.value) == message


# --- as of a day, for static outputs --------------------------------------------------------


@pytest.fixture
def undated_reports(tmp_path) -> Path:
    """The bundled file without its reported column: dates alone, as older files have them."""
    path = tmp_path / "no-reported.csv"
    path.write_text(
        without_reported(bundled_dataset().read_text(encoding="utf-8")), encoding="utf-8"
    )
    return path


@pytest.fixture
def bundled_layers(undated_reports) -> Any:
    from geo.pipeline import layers_for

    return layers_for(undated_reports)


def test_without_a_reported_column_layers_as_of_a_day_keep_what_the_date_says(bundled_layers):
    before = layers_as_of(bundled_layers, date(2022, 2, 5))
    during = layers_as_of(bundled_layers, date(2022, 2, 15))
    assert set(before.flows["movement"]) == {"us-germany-to-romania", "us-to-germany-and-poland"}
    assert "russia-to-belarus" in set(during.flows["movement"])
    assert len(before.heads) == 3 and len(during.heads) == 4
    assert list(before.stations["movement"]) == ["russia-on-ukraine-border"]
    assert "Belarus" not in set(before.places["name"])
    assert before.as_of == date(2022, 2, 5)
    assert before.subtitle == "2 movements and 1 stationed force as reported"
    assert before.focus == during.focus == bundled_layers.focus  # days line up
    belarus = before.countries[before.countries["iso_a2"] == "BY"]
    assert list(belarus["role"]) == [""]  # not tinted before the drills


def test_as_of_reaches_every_writer_but_the_page(bundled_layers, tmp_path, monkeypatch):
    seen: dict[str, Any] = {}

    def fake_writer(layers: Any, path: Path, options: Options) -> None:
        seen["flows"] = set(layers.flows["movement"])
        path.write_text("drawn")

    monkeypatch.setitem(WRITERS, ".png", fake_writer)
    write(bundled_layers, tmp_path / "map.png", Options(as_of=date(2022, 2, 5)))
    assert "russia-to-belarus" not in seen["flows"]
    write(bundled_layers, tmp_path / "map.png", Options(as_of=date(2022, 2, 12)))
    assert "russia-to-belarus" in seen["flows"]


def test_render_as_of_opens_the_pages_timeline_on_that_day(invoke, tmp_path):
    out = tmp_path / "map.html"
    result = invoke("render", "--as-of", "2022-02-05", "-o", str(out))
    assert result.exit_code == 0
    page = out.read_text()
    assert '"timeline":{"first":"2022-02-02","last":"2022-02-20","start":"2022-02-05"' in page
    assert ">As of 5 February 2022</p>" in page


def test_the_page_opens_on_its_as_of_day(render, tmp_path, undated_reports):
    with_reported, without = tmp_path / "bundled.html", tmp_path / "dates-only.html"
    render("-o", str(with_reported))
    render(str(undated_reports), "-o", str(without))
    for page in (with_reported, without):
        assert page_data_of(page)["timeline"]["start"] == "2022-02-02"
        assert ">As of 2 February 2022</p>" in page.read_text()


# --- reported days ------------------------------------------------------------------------

PLANS = """\
id,date,reported,actor,origin,destination,troops,status
drills,2022-02-10/2022-02-20,2022-02-02,Russia,Russia,Belarus,~30000,claimed
convoy,2022-02-08,2022-02-04,United States,Germany,Poland,500,ordered
late,2022-02-01,2022-02-06,United States,Germany,Romania,300,arrived
rumour,,2022-02-03,Russia,,Belarus,1000,reported
"""


@pytest.mark.parametrize(
    ("movement", "day", "seen"),
    [
        ("drills", "2022-02-01", None),  # not yet reported
        ("drills", "2022-02-02", "planned"),  # reported on the 2nd for the 10th to the 20th
        ("drills", "2022-02-09", "planned"),
        ("drills", "2022-02-10", "shown"),  # under way inside its window
        ("drills", "2022-02-20", "shown"),
        ("drills", "2022-02-21", None),  # over
        ("convoy", "2022-02-03", None),
        ("convoy", "2022-02-04", "planned"),
        ("convoy", "2022-02-08", "shown"),
        ("convoy", "2022-03-30", "shown"),  # done: it stays
        ("late", "2022-02-05", None),  # it happened on the 1st but nobody had said so
        ("late", "2022-02-06", "shown"),
        ("rumour", "2022-02-02", None),
        ("rumour", "2022-02-03", "shown"),
    ],
)
def test_a_movement_exists_from_the_day_it_was_reported_and_a_plan_until_it_begins(
    movement, day, seen
):
    found = {m.id: m for m in parse_movements(PLANS)}[movement]
    when, on = presence(found), date.fromisoformat(day)
    assert (("planned" if when.planned(on) else "shown") if when.shown(on) else None) == seen


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2022-02-10/2022-02-20", "planned 10–20 Feb"),
        ("2022-02-10", "planned 10 Feb"),
        ("2022-02-28/2022-03-03", "planned 28 Feb–3 Mar"),
        ("2022-03", "planned Mar 2022"),
        ("2022-12-30/2023-01-02", "planned 30 Dec 2022–2 Jan 2023"),
    ],
)
def test_a_plan_is_labelled_with_its_dates(text, words):
    assert plan_words(parse_date(text)) == words


def test_the_bundled_map_of_2_february_shows_all_four_items_as_afp_reported_them():
    from geo.pipeline import layers_for

    layers = layers_for(None)
    assert layers.as_of == date(2022, 2, 2)
    that_day = layers_as_of(layers, date(2022, 2, 2))
    assert [m.id for m in that_day.movements] == [
        "us-germany-to-romania",
        "us-to-germany-and-poland",
        "russia-on-ukraine-border",
        "russia-to-belarus",
    ]
    belarus = that_day.flows[that_day.flows["movement"] == "russia-to-belarus"]
    assert list(belarus["planned"]) == [True]
    assert list(belarus["label"]) == ["~30,000 · planned 10–20 Feb"]
    assert not that_day.flows[that_day.flows["movement"] != "russia-to-belarus"]["planned"].any()
    during = layers_as_of(layers, date(2022, 2, 15))
    assert list(during.flows[during.flows["movement"] == "russia-to-belarus"]["label"]) == [
        "~30,000"
    ]
    after = layers_as_of(layers, date(2022, 2, 21))
    assert "russia-to-belarus" not in {m.id for m in after.movements}


def test_a_reported_day_that_is_not_a_day_is_an_error_with_the_fix(invoke, write_csv):
    path = write_csv(
        "actor,destination,troops,reported\nRussia,Belarus,5,2022-02\nRussia,Belarus,6,2022-02-30\n"
    )
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert (
        f'Error: {path}, row 2, column "reported": "2022-02" is not a day in the form '
        "YYYY-MM-DD. Write the day the source reported it as YYYY-MM-DD, e.g. 2022-02-02."
    ) in result.stderr
    assert 'row 3, column "reported": "2022-02-30" is not a real date.' in result.stderr


def test_a_still_map_with_reported_days_is_drawn_on_its_as_of_day(tmp_path, monkeypatch):
    from geo.pipeline import layers_for

    seen: dict[str, Any] = {}

    def fake_writer(layers: Any, path: Path, options: Options) -> None:
        seen["labels"] = list(layers.flows["label"])
        path.write_text("drawn")

    monkeypatch.setitem(WRITERS, ".png", fake_writer)
    write(layers_for(None), tmp_path / "map.png")
    assert "~30,000 · planned 10–20 Feb" in seen["labels"]


def test_render_as_of_a_bad_day_is_a_usage_error(invoke, tmp_path):
    result = invoke("render", "--as-of", "2022-02-30", "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 2
    assert "Invalid value for '--as-of': \"2022-02-30\" is not a real date." in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_a_map_whose_dates_do_not_differ_has_no_timeline(render, write_csv, tmp_path):
    path = write_csv("actor,origin,destination,troops,date\nA,Germany,Romania,1,2022-02-02\n")
    out = tmp_path / "m.html"
    render(str(path), "-o", str(out))
    assert '"timeline":null' in out.read_text()


# --- in the browser -------------------------------------------------------------------------


@pytest.fixture
def bundled_page(render, tmp_path, undated_reports) -> Path:
    """The bundled map from dates alone (no reported column)."""
    out = tmp_path / "deployments.html"
    render(str(undated_reports), "-o", str(out))
    return out


def as_of_line(page: Any) -> str:
    return page.locator(".tm-asof").inner_text()


@pytest.mark.browser
def test_the_slider_filters_the_drawn_flows(browser, bundled_page):
    page = browser.open(bundled_page)
    assert slider_day(page) == "2 February 2022"  # opens on its as-of day
    assert drawn_flows(page) == 4
    slider = page.locator(".tm-slider")
    slider.focus()
    page.keyboard.press("End")
    assert drawn_flows(page) == 5
    page.keyboard.press("Home")
    assert slider_day(page) == "2 February 2022"
    assert drawn_flows(page) == 4  # the drills in Belarus are not on the map yet
    assert (
        page.locator(".tm-timeline-day").inner_text() == "2 February 2022: 3 of 4 movements shown"
    )
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    assert slider_day(page) == "9 February 2022"
    assert drawn_flows(page) == 4
    page.keyboard.press("ArrowRight")
    assert slider_day(page) == "10 February 2022"
    assert drawn_flows(page) == 5  # the drills begin
    page.keyboard.press("PageUp")
    assert slider_day(page) == "17 February 2022"
    page.keyboard.press("End")
    assert drawn_flows(page) == 5
    assert browser.errors == [] and browser.requests == []


@pytest.mark.browser
def test_the_as_of_line_follows_the_slider(browser, render, tmp_path):
    out = tmp_path / "deployments.html"
    render("-o", str(out))
    page = browser.open(out)
    assert as_of_line(page) == "As of 2 February 2022" and slider_day(page) == "2 February 2022"
    page.locator(".tm-slider").focus()
    for _ in range(13):
        page.keyboard.press("ArrowRight")
    assert slider_day(page) == "15 February 2022"
    assert as_of_line(page) == "As of 15 February 2022"
    page.keyboard.press("End")
    assert as_of_line(page) == "As of 20 February 2022"
    page.evaluate("location.hash = '#date=2022-02-05'")
    wait_until(page, "document.querySelector('.tm-asof').textContent === 'As of 5 February 2022'")
    assert browser.errors == []


def flow_labels(page: Any) -> list[str]:
    return sorted(page.locator(".tm-flow-label").all_inner_texts())


@pytest.mark.browser
def test_the_bundled_page_opens_on_2_february_with_the_belarus_claim_as_planned(
    browser, render, tmp_path
):
    out = tmp_path / "deployments.html"
    render("-o", str(out))
    page = browser.open(out)
    assert (
        page.locator(".tm-timeline-day").inner_text() == "2 February 2022: 4 of 4 movements shown"
    )
    assert drawn_flows(page) == 5
    assert "~30,000 · planned 10–20 Feb" in flow_labels(page)
    assert "~100,000" in page.locator(".tm-station-label").inner_text()
    legend = page.locator(".tm-legend").inner_text()
    assert "Movements show from the day they were reported" in legend
    assert "planned: reported ahead of its dates" in legend
    assert "Exercise windows show only between their dates." not in legend
    assert page.evaluate("""() => { const view = window.troopmap.views[0];
        for (let i = 0; i < view.count; i++) {
          if (view.movement(i).destination === 'Belarus') return view.openPopup(i);
        } }""")
    popup = page.locator(".tm-popup").inner_text()
    assert "2022-02-10/2022-02-20" in popup and "Reported\n2022-02-02" in popup
    page.keyboard.press("Escape")

    def belarus_dashes() -> str:
        return page.evaluate("""() => [...document.querySelectorAll('path.tm-flow')]
            .map(p => p.getAttribute('stroke-dasharray') + '|' + p.getAttribute('stroke-opacity'))
            .join(' ')""")

    planned_look = belarus_dashes()
    page.locator(".tm-slider").focus()
    for _ in range(13):
        page.keyboard.press("ArrowRight")
    assert "~30,000" in flow_labels(page)  # under way: no longer a plan
    assert "~30,000 · planned 10–20 Feb" not in flow_labels(page)
    assert belarus_dashes() != planned_look
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    assert drawn_flows(page) == 5  # on the last day of the drills, still there
    assert browser.errors == []


@pytest.mark.browser
def test_the_url_hash_keeps_the_chosen_day(browser, bundled_page):
    """The address the reader sees follows the slider. (Playwright's ``page.url`` learns of
    the page's new address from an event that may come after the key press has returned:
    under load, read at once, it can still be the address before; so the test waits for it.)"""
    page = browser.open(bundled_page)
    page.locator(".tm-slider").focus()
    assert page.evaluate("location.hash") == ""  # opening the page leaves its address as it was
    for key, day, words in (
        ("End", "2022-02-20", "20 February 2022"),
        ("Home", "2022-02-02", "2 February 2022"),
        ("ArrowRight", "2022-02-03", "3 February 2022"),
    ):
        page.keyboard.press(key)
        page.wait_for_url(re.compile(f"#date={day}$"), timeout=5000)
        assert slider_day(page) == words


@pytest.mark.browser
def test_a_link_with_a_date_opens_the_map_as_it_stood_that_day(browser, bundled_page):
    page = browser.open(bundled_page)
    link = bundled_page.resolve().as_uri() + "#date=2022-02-05"
    page.goto(link)  # following a link within the page
    wait_until(
        page,
        "document.querySelector('.tm-slider').getAttribute('aria-valuetext') === '5 February 2022'",
    )
    assert drawn_flows(page) == 4
    page.reload()  # opening the link afresh
    page.wait_for_selector("[data-tm-drawn]", state="attached")
    assert page.url == link
    assert slider_day(page) == "5 February 2022"
    assert drawn_flows(page) == 4
    page.evaluate("location.hash = '#date=2022-02-12'")
    wait_until(
        page,
        "document.querySelector('.tm-slider').getAttribute('aria-valuetext') "
        "=== '12 February 2022'",
    )
    assert drawn_flows(page) == 5
    assert browser.errors == []


@pytest.mark.browser
def test_play_walks_through_the_days_and_pause_stops(browser, bundled_page):
    page = browser.open(bundled_page)
    page.clock.install()
    page.locator(".tm-slider").focus()
    page.keyboard.press("Home")
    play = page.locator(".tm-play")
    assert play.inner_text() == "Play"
    play.press("Enter")
    assert play.inner_text() == "Pause"
    page.clock.run_for(650 * 8 + 10)
    assert slider_day(page) == "10 February 2022"
    assert drawn_flows(page) == 5
    play.press(" ")
    assert play.inner_text() == "Play"
    page.clock.run_for(650 * 5)
    assert slider_day(page) == "10 February 2022"
    play.click()
    page.clock.run_for(650 * 20)
    assert slider_day(page) == "20 February 2022"
    assert play.inner_text() == "Play"  # stops at the end


@pytest.mark.browser
def test_undated_movements_always_show_and_the_legend_says_so(browser, write_csv, render, tmp_path):
    path = write_csv(DATED)
    out = tmp_path / "dated.html"
    render(str(path), "-o", str(out))
    page = browser.open(out)
    legend = page.locator(".tm-legend").inner_text()
    assert "Undated movements are always shown." in legend
    assert "Exercise windows show only between their dates." in legend
    page.locator(".tm-slider").focus()
    page.keyboard.press("Home")
    assert drawn_flows(page) == 1  # only the first movement
    assert page.locator("path.tm-station").count() == 1  # the undated force
    page.keyboard.press("End")
    assert drawn_flows(page) == 3
    assert page.locator("path.tm-station").count() == 1


@pytest.mark.browser
def test_a_page_whose_dates_do_not_differ_has_no_slider(browser, write_csv, render, tmp_path):
    path = write_csv("actor,origin,destination,troops,date\nA,Germany,Romania,1,2022-02-02\n")
    out = tmp_path / "m.html"
    render(str(path), "-o", str(out))
    page = browser.open(out)
    assert page.locator(".tm-timeline").count() == 0
    assert drawn_flows(page) == 1


def test_a_row_with_an_empty_reported_cell_follows_its_date():
    rows = parse_movements(
        "id,date,reported,actor,origin,destination,troops,status\n"
        "drills,2022-02-10/2022-02-20,,Russia,Russia,Belarus,30000,claimed\n"
        "early,2022-02-02,2022-02-02,Russia,Pskov,Minsk,100,ordered\n"
    )
    drills = {m.id: m for m in rows}["drills"]
    assert not presence(drills).shown(date(2022, 2, 2))
    assert presence(drills).shown(date(2022, 2, 10)) and not presence(drills).planned(
        date(2022, 2, 10)
    )
    assert not presence(drills).shown(date(2022, 2, 21))
