"""Putting the map in someone else's page: the iframe snippet, the fragment, the notebook."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import geo
from geo import pipeline
from geo.layers import Layers
from geo.render.embed import fragment_key, iframe_snippet, notebook_html, render_fragment

HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Report</title>
<style>body {{ font-family: Georgia, serif; max-width: 900px; margin: 2em auto; }}
h1 {{ color: rgb(128, 0, 128); }} header {{ background: black; }}</style></head>
<body><h1>Our report</h1><div id="map">The report's own element called map.</div>
{body}
<p>End of the report.</p></body></html>
"""

SECOND_CSV = """
    id,actor,origin,destination,troops,status
    fr,France,France,Romania,500,arrived
"""


@pytest.fixture(scope="module")
def layers() -> Layers:
    return pipeline.layers_for()


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Layers:
    csv = tmp_path_factory.mktemp("second") / "second.csv"
    csv.write_text(SECOND_CSV.replace("    ", "").lstrip(), encoding="utf-8")
    return pipeline.layers_for(csv)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, layers: Layers, second: Layers) -> Path:
    """A folder with two rendered map pages: maps/deployments.html and maps/second.html."""
    folder = tmp_path_factory.mktemp("pages")
    pipeline.write(layers, folder / "maps" / "deployments.html")
    pipeline.write(second, folder / "maps" / "second.html")
    return folder


@pytest.fixture(scope="module")
def fragment(layers: Layers) -> str:
    return render_fragment(layers)


def test_embed_prints_a_responsive_iframe_with_a_title(
    invoke: Callable[..., Any], pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pages)
    result = invoke("embed", "maps/deployments.html")
    assert result.exit_code == 0
    key = re.search(r'id="troopmap-([0-9a-f]{8})"', result.stdout).group(1)  # type: ignore[union-attr]
    assert result.stdout == (
        f'<div class="troopmap-frame" id="troopmap-{key}" style="position:relative;width:100%;'
        'aspect-ratio:16/10;min-height:400px">\n'
        '  <iframe src="maps/deployments.html" title="United States and Russia: troop '
        'movements" loading="lazy" style="position:absolute;inset:0;width:100%;height:100%;'
        'border:0" allowfullscreen></iframe>\n'
        "</div>\n"
    )


def test_embed_keeps_the_shape_of_a_size_in_pixels_and_takes_an_address(
    invoke: Callable[..., Any], pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pages / "maps")
    result = invoke(
        "embed",
        "deployments.html",
        "--width",
        "800",
        "--height",
        "500",
        "--src",
        "https://example.org/maps/map.html?a=1&b=2",
        "--title",
        'A "map"',
    )
    assert "width:100%;max-width:800px;aspect-ratio:800/500;min-height:400px" in result.stdout
    assert 'src="https://example.org/maps/map.html?a=1&amp;b=2"' in result.stdout
    assert 'title="A &quot;map&quot;"' in result.stdout
    fixed = invoke("embed", "deployments.html", "--height", "600")
    assert "width:100%;height:600px" in fixed.stdout and "aspect-ratio" not in fixed.stdout


def test_embed_says_what_is_wrong(
    invoke: Callable[..., Any], tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = invoke("embed", "nowhere.html")
    assert missing.exit_code == 2
    assert (
        "nowhere.html does not exist. Make the map first: troopmap render -o nowhere.html"
        in missing.stderr
    )
    Path("map.png").write_bytes(b"\x89PNG")
    assert "map.png is not an HTML page" in invoke("embed", "map.png").stderr
    bad = invoke("embed", str(pages / "maps" / "second.html"), "--width", "wide")
    assert bad.exit_code == 2
    assert (
        '--width "wide" is not a size in pixels: give a number from 50 to 10000, or a '
        "percentage such as 100%." in bad.stderr
    )


def test_two_different_pages_get_different_frame_ids(pages: Path) -> None:
    first, second = pages / "maps" / "deployments.html", pages / "maps" / "second.html"
    ids = {
        re.search(r'id="([^"]+)"', iframe_snippet(p)).group(1)  # type: ignore[union-attr]
        for p in (first, second, first)
    }
    assert len(ids) == 2


def test_a_fragment_has_no_document_of_its_own(fragment: str, layers: Layers) -> None:
    key = fragment_key(layers)
    assert fragment.startswith(
        f'<div class="tm-embed" id="tm-embed-{key}" lang="en" dir="ltr" role="figure" '
        f'aria-label="{layers.title}"'
    )
    assert fragment.rstrip().endswith("</div>")
    for tag in ("<!DOCTYPE", "<html", "<head>", "<body", "<meta", "<title"):
        assert tag.lower() not in fragment.lower(), tag
    assert f'id="map_{key}004"' in fragment  # folium's ids carry the fragment's key


def test_a_fragment_styles_only_its_own_box(fragment: str) -> None:
    styles = "".join(re.findall(r"<style>(.*?)</style>", fragment, re.S))
    selectors = re.findall(r"(?:^|[{}])\s*([^{}@]+?)\s*\{", styles)
    flat = {s.strip() for group in selectors for s in group.split(",")}
    assert not {"html", "body", "#map"} & flat
    assert not [s for s in flat if s.startswith(("html ", "body "))]


def test_the_same_map_gives_the_same_fragment_and_another_map_other_ids(
    layers: Layers, fragment: str, second: Layers
) -> None:
    assert render_fragment(layers) == fragment
    assert fragment_key(second) != fragment_key(layers)
    # Same CSV, another subtitle: another map, so other ids too.
    retitled = pipeline.layers_for(subtitle="Reinforcements, February 2022")
    assert fragment_key(retitled) != fragment_key(layers)


def test_render_writes_a_fragment_when_asked(invoke: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "part.html"
    result = invoke("render", "--fragment", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith('<div class="tm-embed"')


@pytest.mark.browser
def test_two_fragments_and_an_iframe_share_a_page_offline(
    browser: Any, pages: Path, fragment: str, second: Layers
) -> None:
    body = "\n".join(
        [
            fragment,
            "<p>Between the maps.</p>",
            render_fragment(second),
            iframe_snippet(pages / "maps" / "second.html", src="maps/second.html"),
        ]
    )
    page_path = pages / "report.html"
    page_path.write_text(HOST_PAGE.format(body=body), encoding="utf-8")
    page = browser.open(page_path, width=1000, height=2400)
    page.wait_for_function("document.querySelectorAll('.tm-embed [data-tm-drawn]').length == 2")
    frame = page.frame_locator("iframe").locator("[data-tm-drawn]")
    frame.wait_for(state="attached")
    assert browser.requests == [] and browser.errors == []
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    boxes = page.eval_on_selector_all(
        ".tm-embed", "els => els.map(e => [e.clientWidth, e.clientHeight])"
    )
    assert boxes == [[900, 563], [900, 563]]  # 16:10 in the report's column
    # The report keeps its own look; the maps keep theirs.
    assert page.eval_on_selector("#map", "e => getComputedStyle(e).position") == "static"
    assert page.eval_on_selector("body", "e => getComputedStyle(e).marginTop") != "0px"
    title_colour = page.eval_on_selector(".tm-embed h1", "e => getComputedStyle(e).color")
    assert title_colour != "rgb(128, 0, 128)"
    flows = page.eval_on_selector_all(".tm-embed path.tm-flow", "els => els.length")
    assert flows == 6  # a trunk and four legs on the first map, one leg on the second


def test_the_map_object_shows_itself_in_a_sandboxed_frame(second: Layers) -> None:
    shown = geo.Map.from_layers(second)._repr_html_()
    assert shown.count("<iframe") == 1
    assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in shown
    assert "allow-same-origin" not in shown
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in shown
    assert "<script" not in shown  # the page is inside the attribute, escaped


@pytest.mark.browser
def test_the_notebook_frame_draws_the_map(browser: Any, pages: Path, second: Layers) -> None:
    page_path = pages / "notebook.html"
    shown = notebook_html(
        (pages / "maps" / "second.html").read_text(encoding="utf-8"), title=second.title
    )
    page_path.write_text(f"<!DOCTYPE html><html><body>{shown}</body></html>", encoding="utf-8")
    page = browser.browser.new_page(viewport={"width": 1000, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri())
    frame = page.frame_locator("iframe")
    frame.locator("[data-tm-drawn]").wait_for(state="attached")
    # The cell shows the map at its width in the notebook's 16:10: title, one arrow, its figure.
    box = page.locator("iframe").bounding_box()
    assert box is not None and box["width"] > 900
    assert box["height"] == pytest.approx(box["width"] * 0.625, abs=1)
    assert frame.locator("h1").inner_text() == second.title
    assert frame.locator("path.tm-flow").count() == 1
    assert frame.locator(".tm-flow-label", has_text="500").count() == 1
    assert errors == []


def test_the_map_object_is_the_library_in_one_call(tmp_path: Path) -> None:
    m = geo.Map(title="Reinforcements")
    assert repr(m) == (
        "<troopmap Map 'Reinforcements': 3 movements and 1 stationed force as reported>"
    )
    m.options = geo.Options(dpi=50)
    written = m.save(tmp_path / "m.png", tmp_path / "m.geojson")
    assert [p.name for p in written] == ["m.png", "m.geojson"]
    assert set(m.frames()) == {"legs", "stations", "places", "movements"}
    with pytest.raises(geo.UsageError, match=r'"\.bmp" is not a format'):
        m.save(tmp_path / "ok.svg", tmp_path / "m.bmp")
    assert not (tmp_path / "ok.svg").exists()  # every name checked before any is written
