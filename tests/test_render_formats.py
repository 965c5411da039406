"""``troopmap render -o …``: the extension picks the format, several at once, one reading."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from geo import pipeline

SIX = ("map.html", "map.png", "map.svg", "map.pdf", "map.geojson", "map.gpkg")
SIGNATURES = {
    ".html": b"<!DOCTYPE html>",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".svg": b"<?xml",
    ".pdf": b"%PDF-",
    ".geojson": b'{"type":"FeatureCollection"',
    ".gpkg": b"SQLite format 3\x00",
}
DOCS = Path(__file__).resolve().parent.parent / "docs" / "reports.md"


def test_one_command_writes_all_six_formats_from_one_reading(
    invoke: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    calls = []
    build = pipeline.build_layers

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_layers", counted)
    args = [arg for name in SIX for arg in ("-o", f"out/{name}")]
    result = invoke("render", *args, "--dpi", "50")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1  # the CSV is read and its places resolved once
    lines = result.stdout.splitlines()
    assert [re.sub(r" \(.*", "", line) for line in lines] == [f"Wrote out/{n}" for n in SIX]
    for name in SIX:
        path = tmp_path / "out" / name
        assert path.read_bytes().startswith(SIGNATURES[path.suffix]), name
    assert Image.open(tmp_path / "out" / "map.png").size == (400, 275)
    assert json.loads((tmp_path / "out" / "map.geojson").read_text())["name"] == (
        "United States and Russia: troop movements"
    )


def test_an_unknown_extension_is_a_usage_error_that_lists_the_formats(
    invoke: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "-o", "map.png", "-o", "map.bmp")
    assert result.exit_code == 2
    assert (
        'Error: map.bmp: ".bmp" is not a format troopmap writes. Use one of: .html, .png, '
        ".svg, .pdf, .geojson, .gpkg, .gif, .mp4, .webm."
    ) in result.stderr
    assert list(tmp_path.iterdir()) == []  # not even the PNG


def test_width_height_and_dpi_size_the_static_map(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    target = tmp_path / "map.png"
    result = invoke(
        "render", "-o", str(target), "--width", "1200", "--height", "700", "--dpi", "100"
    )
    assert result.exit_code == 0
    assert Image.open(target).size == (1200, 700)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--width", "3ft"],
            "Invalid value for '--width': \"3ft\" is not a size. Give pixels "
            "(1600 or 1600px), inches (8in), centimetres (20cm) or "
            "millimetres (200mm).",
        ),
        (
            ["--width", "100"],
            "a width of 0.33 inches is out of range: give 2 to 60 inches "
            "(600 to 18000 pixels at 300 dpi).",
        ),
        (["--dpi", "5"], "Invalid value for '--dpi': 5 is not in the range 30<=x<=1200."),
    ],
)
def test_an_impossible_size_is_refused_before_any_work(
    invoke: Callable[..., Any], tmp_path: Path, args: list[str], message: str
) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.png"), *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert not (tmp_path / "map.png").exists()


def test_help_names_every_format_and_the_embed_command(invoke: Callable[..., Any]) -> None:
    render_help = " ".join(invoke("render", "--help").stdout.split())
    for word in (
        ".png",
        ".svg",
        ".pdf",
        ".geojson",
        ".gpkg",
        "--width",
        "--height",
        "--dpi",
        "--fragment",
        ".gif",
        ".mp4",
        ".webm",
        "--frame-size",
        "--duration",
        "--frames-per-day",
        "--serve",
        "--no-open",
    ):
        assert word in render_help
    embed_help = " ".join(invoke("embed", "--help").stdout.split())
    assert "Print an <iframe> snippet" in embed_help
    assert "troopmap render --fragment" in embed_help


def test_the_guide_shows_every_new_option_and_command() -> None:
    guide = DOCS.read_text(encoding="utf-8")
    for word in (
        "--width",
        "--height",
        "--dpi",
        "--fragment",
        "troopmap embed",
        ".gpkg",
        ".geojson",
        "_repr_html_",
        "geo.Map",
        "static-map.png",
        "--frame-size",
        "--duration",
        "--frames-per-day",
        "animation.gif",
        "troopmap[video]",
    ):
        assert word in guide, word
    assert (DOCS.parent / "static-map.png").exists()


def perceptual_distance(first: Path, second: Path) -> float:
    """How different two pictures of the map look: both seen at a quarter of their size and
    slightly blurred (so anti-aliasing does not count), the largest mean colour difference
    (0 to 1) over an 8 × 8 grid of tiles, so a change in one place (a word, a line's colour, a
    fading) is not averaged away over the whole map."""
    import numpy as np
    from PIL import ImageFilter

    size = (Image.open(first).width // 4, Image.open(first).height // 4)

    def seen(path: Path) -> Any:
        image = Image.open(path).convert("RGB").resize(size, Image.Resampling.BOX)
        return np.asarray(image.filter(ImageFilter.GaussianBlur(1)), dtype=float) / 255

    difference = np.abs(seen(first) - seen(second)).mean(axis=2)
    rows, columns = difference.shape[0] // 8, difference.shape[1] // 8
    return max(
        float(difference[r : r + rows, c : c + columns].mean())
        for r in range(0, 8 * rows, rows)
        for c in range(0, 8 * columns, columns)
    )


def test_the_guide_shows_the_static_map_as_troopmap_draws_it_today(
    invoke: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/static-map.png, against a fresh drawing by the command the guide says made it: a
    change to the static map's look fails here until the picture is made again."""
    made_by = re.search(
        r"\*Made by `troopmap (render -o docs/static-map\.png[^`]*)`",
        DOCS.read_text(encoding="utf-8"),
    )
    assert made_by, "the guide names the command that made static-map.png"
    monkeypatch.chdir(tmp_path)
    args = made_by.group(1).replace("docs/static-map.png", "fresh.png").split()
    assert invoke(*args).exit_code == 0
    committed = DOCS.parent / "static-map.png"
    assert Image.open(committed).size == Image.open(tmp_path / "fresh.png").size
    assert perceptual_distance(committed, tmp_path / "fresh.png") < 0.004
