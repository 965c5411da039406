"""Render the bundled map and photograph it in headless Chromium, offline, for the README.

    python -m scripts.screenshot docs/map.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from geo import pipeline

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def screenshot(target: Path, width: int = 1280, height: int = 800) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "deployments.html"
        pipeline.write(pipeline.layers_for(), page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("file:", "data:")) else r.abort())
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("[data-tm-drawn]", state="attached")
            page.wait_for_timeout(300)
            page.screenshot(path=str(target))
            browser.close()


if __name__ == "__main__":
    screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/map.png"))
