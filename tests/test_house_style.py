"""A newsroom's house style: its font, its byline, its logo and a dark theme, set once in the
style file and followed by the page and the PNG/SVG/PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from geo import pipeline
from geo.render.static import draw_map
from geo.theme import DARK, LIGHT

BALTIC_SEA = (19.5, 57.0)
RED = (200, 20, 30)


def style_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "house.toml"
    path.write_text(text, encoding="utf-8")
    return path


def red_png(path: Path, size: tuple[int, int] = (240, 64)) -> Path:
    Image.new("RGB", size, RED).save(path)
    return path


def house_layers(tmp_path: Path, text: str) -> Any:
    return pipeline.layers_for(None, style=pipeline.style_for(style_file(tmp_path, text)))


def png_of(layers: Any) -> tuple[Any, Image.Image]:
    drawn = draw_map(layers)
    return drawn, Image.open(io.BytesIO(drawn.to_bytes("png"))).convert("RGB")


def close_to(pixel: tuple[int, ...], colour: str, tolerance: int = 12) -> bool:
    wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, wanted, strict=True))


def test_the_font_family_leads_the_pages_fonts_and_draws_the_still_map(
    tmp_path: Path, render: Any
) -> None:
    style = style_file(tmp_path, 'font = "DejaVu Serif"\n')
    page = tmp_path / "map.html"
    render("--style", str(style), "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert 'body{font-family:"DejaVu Serif","Helvetica Neue"' in html
    assert "@font-face" not in html and "url(http" not in html  # no font is fetched

    layers = pipeline.layers_for(None, style=pipeline.style_for(style))
    drawn = draw_map(layers)
    assert drawn.figure.texts[0].get_fontname() == "DejaVu Serif"
    assert draw_map(pipeline.layers_for(None)).figure.texts[0].get_fontname() != "DejaVu Serif"


def test_a_font_not_installed_here_is_a_warning_and_the_still_map_falls_back(
    tmp_path: Path, invoke: Any
) -> None:
    style = style_file(tmp_path, 'font = "Newsroom Grotesk"\n')
    result = invoke("render", "--style", str(style), "-o", str(tmp_path / "m.png"))
    assert result.exit_code == 0
    assert 'the font "Newsroom Grotesk" is not installed on this computer' in result.stderr
    layers = pipeline.layers_for(None, style=pipeline.style_for(style))
    assert draw_map(layers).figure.texts[0].get_fontname() != "Newsroom Grotesk"


def test_a_font_name_that_could_break_out_of_the_page_style_is_refused(
    tmp_path: Path, invoke: Any
) -> None:
    style = style_file(tmp_path, 'font = "x\\"}body{display:none"\n')
    result = invoke("render", "--style", str(style), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert "is not a font family name" in result.stderr


def test_the_credit_line_is_in_the_footer_escaped_and_under_the_still_map(
    tmp_path: Path, render: Any, browser: Any
) -> None:
    credit = "Graphic: Ana <b>Ruiz</b> & the desk"
    style = style_file(tmp_path, f'credit = "{credit}"\n')
    page = tmp_path / "map.html"
    render("--style", str(style), "-o", str(page))
    opened = browser.open(page)
    assert opened.locator(".tm-footer .tm-credit").inner_text() == credit
    assert opened.locator(".tm-footer b").count() == 0

    layers = pipeline.layers_for(None, style=pipeline.style_for(style))
    assert credit in [t.get_text() for t in draw_map(layers).figure.texts]


def test_a_png_logo_is_embedded_in_the_page_and_drawn_on_the_still_map(
    tmp_path: Path, render: Any, browser: Any
) -> None:
    red_png(tmp_path / "logo.png")
    style = style_file(tmp_path, 'logo = "logo.png"\n')  # beside the style file
    page = tmp_path / "map.html"
    render("--style", str(style), "-o", str(page))
    opened = browser.open(page, width=390, height=844)
    logo = opened.locator("header img.tm-logo")
    assert logo.get_attribute("src").startswith("data:image/png;base64,")
    assert opened.evaluate("document.querySelector('img.tm-logo').naturalWidth") == 240
    assert browser.requests == [] and browser.errors == []

    _, png = png_of(pipeline.layers_for(None, style=pipeline.style_for(style)))
    width, height = png.size
    corner = png.crop((int(width * 0.8), 0, width, int(height * 0.12)))
    reds = sum(1 for p in corner.getdata() if close_to(p, "#C8141E", 30))
    assert reds > 1000  # the logo, in the top right corner
    rest = png.crop((0, int(height * 0.2), width, height))
    assert sum(1 for p in rest.getdata() if close_to(p, "#C8141E", 30)) < 50


def test_an_svg_logo_goes_into_the_page_only_as_an_image(tmp_path: Path, render: Any) -> None:
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20">'
        '<rect width="80" height="20" fill="#c0392b"/></svg>',
        encoding="utf-8",
    )
    style = style_file(tmp_path, 'logo = "logo.svg"\n')
    page = tmp_path / "map.html"
    render("--style", str(style), "-o", str(page))
    assert '<img class="tm-logo" src="data:image/svg+xml;base64,' in page.read_text("utf-8")


@pytest.mark.parametrize(
    ("svg", "said"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            '<image x:href="https://tracker.example/p.png"/></svg>',
            "only links inside the file",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "entities or a DTD",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(//x.example/s.css)'
            "</style></svg>",
            "loads something from outside",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
            "<foreignobject>",
        ),
    ],
)
def test_a_hostile_svg_logo_is_refused(svg: str, said: str, tmp_path: Path, invoke: Any) -> None:
    (tmp_path / "logo.svg").write_text(svg, encoding="utf-8")
    style = style_file(tmp_path, 'logo = "logo.svg"\n')
    result = invoke("render", "--style", str(style), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert said in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_a_logo_too_large_or_of_another_kind_is_refused(tmp_path: Path, invoke: Any) -> None:
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200_000)
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    for name, said in (("big.png", "a logo may be at most 100,000"), ("logo.gif", "PNG nor")):
        style = style_file(tmp_path, f'logo = "{name}"\n')
        result = invoke("render", "--style", str(style), "-o", str(tmp_path / "m.html"))
        assert result.exit_code == 1
        assert said in result.stderr


def test_the_dark_theme_darkens_the_page(tmp_path: Path, render: Any, browser: Any) -> None:
    style = style_file(tmp_path, 'theme = "dark"\n')
    page = tmp_path / "map.html"
    render("--style", str(style), "-o", str(page))
    opened = browser.open(page)
    body, footer = opened.evaluate(
        "[getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('.tm-footer')).color]"
    )
    assert body == "rgb(20, 24, 29)" and footer == "rgb(196, 196, 196)"
    assert browser.errors == [] and browser.requests == []
    light = tmp_path / "light.html"
    render("-o", str(light))
    assert "color-scheme:dark" not in light.read_text(encoding="utf-8")


def test_the_dark_theme_darkens_the_still_map(tmp_path: Path) -> None:
    drawn, png = png_of(house_layers(tmp_path, 'theme = "dark"\n'))
    sea = png.getpixel(tuple(int(v) for v in drawn.pixel_of(*BALTIC_SEA)))
    assert close_to(sea, DARK.sea)
    assert close_to(png.getpixel((3, 3)), DARK.paper)
    _, light = png_of(pipeline.layers_for(None))
    assert close_to(light.getpixel((3, 3)), LIGHT.paper)


def test_an_unknown_theme_is_an_error(tmp_path: Path, invoke: Any) -> None:
    style = style_file(tmp_path, 'theme = "sepia"\n')
    result = invoke("render", "--style", str(style), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert 'theme must be "light" or "dark", not "sepia".' in result.stderr
