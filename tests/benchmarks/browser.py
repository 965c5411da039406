"""Pages in headless Chromium with the network cut off: when a page is drawn, and how smoothly
its map pans (``run.py`` reports both beside the folium scripts' pages).

The folium pages load Leaflet from a CDN: their requests for it are served from the same
Leaflet release on disk (``xstatic-leaflet``), and jQuery (which folium's popups call) from a
few-line stand-in, so they can draw offline; their map tiles, Bootstrap and fonts are refused,
like every other request.
"""

from __future__ import annotations

import itertools
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("TROOPMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL = ("file:", "data:", "blob:", "about:")
JQUERY_STAND_IN = (
    "window.$ = window.jQuery = function (html) {"
    " var t = document.createElement('template'); t.innerHTML = String(html).trim();"
    " return [t.content.firstChild]; };"
)
DRAWN = {
    "troopmap": "document.querySelector('[data-tm-drawn]') !== null",
    "naive": "document.querySelectorAll('.leaflet-overlay-pane path').length > 0",
    "skilled": "document.querySelector('.leaflet-overlay-pane canvas, "
    ".leaflet-overlay-pane path') !== null",
}


@dataclass
class PageResult:
    drawn_ms: list[float] = field(default_factory=list)
    short_pan_ms: list[float] = field(default_factory=list)
    long_pan_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def drawn(self) -> float:
        return statistics.median(self.drawn_ms) if self.drawn_ms else float("nan")

    @property
    def short_pan(self) -> float:
        return statistics.median(self.short_pan_ms) if self.short_pan_ms else float("nan")

    @property
    def long_pan(self) -> float:
        return statistics.median(self.long_pan_ms) if self.long_pan_ms else float("nan")


class Chromium:
    """Headless Chromium, network cut off; CDN Leaflet served from disk for the folium pages."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        import xstatic.pkg.leaflet as leaflet

        data = Path(leaflet.BASE_DIR)
        self.leaflet_js = (data / "leaflet.js").read_bytes()
        self.leaflet_css = (data / "leaflet.css").read_bytes()

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        elif "leaflet@" in url and url.endswith("leaflet.js"):
            route.fulfill(body=self.leaflet_js, content_type="text/javascript")
        elif "leaflet@" in url and url.endswith("leaflet.css"):
            route.fulfill(body=self.leaflet_css, content_type="text/css")
        elif "jquery" in url:
            route.fulfill(body=JQUERY_STAND_IN, content_type="text/javascript")
        else:
            route.abort()

    def load(
        self, page_path: Path, kind: str, pan: bool, timeout_s: float
    ) -> tuple[float, float, float]:
        """(ms from navigation start to the first frame after the flows are drawn; the longest
        frame in ms while dragging the map 400 px, then 700 px more; nan when not asked)."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", self._route)
        try:
            page.goto(page_path.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(f"() => {DRAWN[kind]}", polling="raf", timeout=timeout_s * 1000)
            drawn = page.evaluate(
                "new Promise(r => requestAnimationFrame(() => r(performance.now())))"
            )
            short = self._pan(page, 400) if pan else float("nan")
            long = self._pan(page, 700) if pan else float("nan")
        finally:
            context.close()
        if errors:
            raise RuntimeError(f"{page_path.name}: page errors: {errors[:2]}")
        return float(drawn), short, long

    @staticmethod
    def _pan(page, distance: int) -> float:  # type: ignore[no-untyped-def]
        """Drag the map ``distance`` px to the right (and a little down) like a reader, from
        the left of the map where no panel is in the way; the longest frame (ms) from the
        press until 1.5 s after the release, when every redraw is over."""
        page.wait_for_timeout(300)
        page.evaluate("""() => { window.__frames = []; window.__stop = false;
            const tick = (t) => { window.__frames.push(t);
                if (!window.__stop) requestAnimationFrame(tick); };
            requestAnimationFrame(tick); }""")
        page.mouse.move(100, 400)
        page.mouse.down()
        for step in range(1, 21):
            page.mouse.move(100 + distance * step / 20, 400 + 5 * step)
            page.wait_for_timeout(16)
        page.mouse.up()
        page.wait_for_timeout(1500)
        frames = page.evaluate("() => { window.__stop = true; return window.__frames; }")
        gaps = [b - a for a, b in itertools.pairwise(frames)]
        return max(gaps) if gaps else float("nan")


def measure_pages(
    chromium: Chromium, pages: dict[str, Path], repeat: int, pan: bool, log: Callable[[str], None]
) -> dict[str, PageResult]:
    results = {kind: PageResult() for kind in pages}
    for attempt in range(repeat):
        for kind, path in pages.items():
            try:
                drawn, short, long = chromium.load(path, kind, pan and kind != "naive", 180)
            except Exception as error:  # a page that never draws is reported, not fatal
                results[kind].errors.append(str(error).splitlines()[0])
                log(f"  {kind} page: FAILED {results[kind].errors[-1]}")
                continue
            results[kind].drawn_ms.append(drawn)
            if short == short:
                results[kind].short_pan_ms.append(short)
                results[kind].long_pan_ms.append(long)
            log(
                f"  {kind} page #{attempt + 1}: drawn {drawn:.0f} ms"
                + (
                    f", longest frame dragging 400 px {short:.0f} ms, 700 px more {long:.0f} ms"
                    if short == short
                    else ""
                )
            )
    return results
