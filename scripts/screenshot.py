"""Render the bundled map and photograph it in headless Chromium, offline, for the README.

    python -m scripts.screenshot docs/map.png
    python -m scripts.screenshot docs/map-phone.png --width 390 --height 844
    python -m scripts.screenshot docs/map-ar-dark-phone.png --width 390 --height 844 \
        --style house.toml --lang ar

The size is the browser window's, in CSS pixels: a desktop (1280 x 800, the default) or a
phone held upright (390 x 844).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from geo import pipeline

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def screenshot(
    target: Path,
    width: int = 1280,
    height: int = 800,
    style: Path | None = None,
    lang: str | None = None,
) -> None:
    """Photograph the bundled map, drawn with a style file and in a language if given."""
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "deployments.html"
        house = pipeline.style_for(style, lang=lang)
        pipeline.write(pipeline.layers_for(style=house), page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                ),
            )
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("[data-tm-drawn]", state="attached")
            page.wait_for_timeout(300)
            page.screenshot(path=str(target))
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="docs/map.png", type=Path)
    parser.add_argument("--width", type=int, default=1280, help="window width in CSS pixels")
    parser.add_argument("--height", type=int, default=800, help="window height in CSS pixels")
    parser.add_argument("--style", type=Path, help="a style file (TOML) of house choices")
    parser.add_argument("--lang", help="the language of the map (en, ar, de, es, fr, pl, ru, uk)")
    options = parser.parse_args(argv)
    screenshot(options.target, options.width, options.height, options.style, options.lang)


if __name__ == "__main__":
    main()
