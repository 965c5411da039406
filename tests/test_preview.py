"""troopmap render --serve: an editor saves the CSV and the map in the browser follows.

A real process serves the map on 127.0.0.1, real Chromium shows it, and the test edits the
file as a user would; everything is bounded in time and the process is stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_watch import Lines

ROOT = Path(__file__).resolve().parent.parent
GOOD = "actor,origin,destination,troops\nUnited States,Germany,Romania,1000\n"
EDITED = "actor,origin,destination,troops\nUnited States,Germany,Romania,1500\n"
MISTAKE = "actor,origin,destination,troops\nUnited States,Germany,Romania,1500 soldiers\n"
FIXED = "actor,origin,destination,troops\nUnited States,Germany,Romania,2000\n"
DESCRIPTION = "document.querySelector('meta[name=description]').content"
OVERLAY = "document.getElementById('troopmap-preview-problems')"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is sent as SIGINT"),
]


class Serving:
    """``troopmap render movements.csv -o map.html --serve --no-open`` running in ``folder``."""

    def __init__(self, folder: Path):
        self.folder = folder
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geo",
                "render",
                "movements.csv",
                "-o",
                "map.html",
                "--serve",
                "--no-open",
            ],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self.out, self.err = Lines(self.process.stdout), Lines(self.process.stderr)
        line = self.out.wait_for("Serving the map at ")
        self.url = line.split(" at ", 1)[1].split(" ", 1)[0]
        self.out.wait_for("Watching movements.csv")

    def save(self, text: str) -> None:
        (self.folder / "movements.csv").write_text(text, encoding="utf-8")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    (tmp_path / "movements.csv").write_text(GOOD, encoding="utf-8")
    served = Serving(tmp_path)
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait(timeout=10)


def open_served(chromium: Any, url: str) -> tuple[Any, list[str]]:
    """The served page in Chromium; every request it makes is recorded, and any that leaves
    the preview's origin is refused."""
    requests: list[str] = []
    page = chromium.new_page(viewport={"width": 1000, "height": 700})

    def route(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith(url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.wait_for_selector("[data-tm-drawn]", state="attached", timeout=20_000)
    return page, requests


def eventually(page: Any, script: str, timeout: float = 20.0) -> Any:
    """The value of ``script`` once it is true; the page may reload in between."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = page.evaluate(script)
        except Error:  # the page is reloading
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"never true: {script}")


def test_the_page_follows_each_save_and_shows_problems_over_the_last_good_map(
    serving: Serving, chromium: Any
) -> None:
    assert serving.url.startswith("http://127.0.0.1:")
    page, requests = open_served(chromium, serving.url)
    try:
        assert "1,000" in page.evaluate(DESCRIPTION)
        zoom = page.evaluate("troopmap.views[0].map.getZoom()") + 2
        page.evaluate(f"troopmap.views[0].map.setView([45.9, 24.9], {zoom}, {{animate: false}})")

        serving.save(EDITED)
        eventually(
            page, f"{DESCRIPTION}.includes('1,500') && !!document.querySelector('[data-tm-drawn]')"
        )
        # The new map opens where the reader had moved the old one.
        # (The reloaded page may first draw at its own framing, then take the reader's view.)
        assert eventually(page, f"troopmap.views[0].map.getZoom() === {zoom}")
        centre = page.evaluate("troopmap.views[0].map.getCenter()")
        assert abs(centre["lat"] - 45.9) < 0.01 and abs(centre["lng"] - 24.9) < 0.01

        serving.save(MISTAKE)
        shown = eventually(page, f"{OVERLAY} && {OVERLAY}.innerText")
        assert "The saved file has 1 problem. The map below is the last good one." in shown
        assert 'movements.csv, row 2, column "troops"' in shown
        assert (
            '"1500 soldiers" is not a whole number of troops. Write only the number: 1500.' in shown
        )
        assert "1,500" in page.evaluate(DESCRIPTION)  # the last good map stays

        serving.save(FIXED)
        eventually(page, f"{DESCRIPTION}.includes('2,000') && !{OVERLAY}")
    finally:
        page.close()

    assert requests and all(url.startswith(serving.url) for url in requests), requests
    on_disk = (serving.folder / "map.html").read_text(encoding="utf-8")
    assert "2,000" in on_disk and "__troopmap" not in on_disk
    assert 'content="connect-src *:*/robots.txt"' in on_disk  # the served copy drops it


def test_the_served_page_may_ask_nothing_of_any_other_origin(
    serving: Serving, chromium: Any
) -> None:
    page, requests = open_served(chromium, serving.url)
    try:
        answer = page.evaluate(
            "fetch('http://127.0.0.2:9/steal').then(() => 'sent', () => 'blocked')"
        )
    finally:
        page.close()
    assert answer == "blocked"
    assert not [url for url in requests if "127.0.0.2" in url]


def test_a_hostile_value_shows_in_the_problems_as_text_and_runs_nothing(
    serving: Serving, chromium: Any
) -> None:
    page, _ = open_served(chromium, serving.url)
    try:
        serving.save(
            "actor,origin,destination,troops\n"
            "United States,Germany,Romania,<img src=x onerror=window.pwned=1>\n"
        )
        shown = eventually(page, f"{OVERLAY} && {OVERLAY}.innerText")
        assert '"<img src=x onerror=window.pwned=1>" is not a whole number' in shown
        assert page.evaluate(f"{OVERLAY}.querySelector('img') === null")
        assert page.evaluate("window.pwned === undefined")
    finally:
        page.close()


def test_ctrl_c_stops_the_server_cleanly_even_while_a_page_waits_for_news(
    serving: Serving,
) -> None:
    import http.client
    import threading

    port = int(serving.url.rstrip("/").rsplit(":", 1)[1])
    waiting = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    waiting.request("GET", "/__troopmap/state?seen=1")  # news after the first map: none yet
    threading.Thread(target=lambda: _read_quietly(waiting), daemon=True).start()
    time.sleep(0.3)
    serving.process.send_signal(signal.SIGINT)
    serving.process.wait(timeout=20)

    assert serving.process.returncode == 0
    assert "Stopped watching." in serving.out.rest()
    assert not any("Traceback" in line for line in serving.err.rest())
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def _read_quietly(connection: Any) -> None:
    with contextlib.suppress(OSError):  # the server closed it: what the test wants
        connection.getresponse().read()


def test_a_file_with_errors_from_the_start_shows_them_until_the_first_good_save(
    tmp_path: Path, chromium: Any
) -> None:
    (tmp_path / "movements.csv").write_text(MISTAKE, encoding="utf-8")
    served = Serving(tmp_path)
    page = chromium.new_page()
    try:
        page.goto(served.url, wait_until="load")
        shown = eventually(page, f"{OVERLAY} && {OVERLAY}.innerText")
        assert "The saved file has 1 problem. No map has been drawn yet." in shown
        assert not (tmp_path / "map.html").exists()

        served.save(FIXED)
        eventually(
            page,
            f"!!document.querySelector('[data-tm-drawn]') && !{OVERLAY} && "
            f"{DESCRIPTION}.includes('2,000')",
        )
    finally:
        page.close()
        served.process.kill()
        served.process.wait(timeout=10)


def test_another_site_cannot_read_the_preview(serving: Serving) -> None:
    import http.client

    host, port = serving.url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", "/__troopmap/state", headers={"Host": "attacker.example"})
    assert connection.getresponse().status == 403
    connection.close()


def test_a_port_in_use_is_said_in_words(tmp_path: Path) -> None:
    from geo.errors import UsageError
    from geo.preview import Preview

    with (
        Preview(tmp_path / "map.html") as first,
        pytest.raises(
            UsageError, match=rf"^cannot serve the preview on 127\.0\.0\.1:{first.port} \("
        ),
    ):
        Preview(tmp_path / "map.html", port=first.port)


def test_serve_needs_an_html_page(tmp_path: Path, invoke: Any) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.png"), "--serve", "--no-open")
    assert result.exit_code == 2
    assert "--serve shows the map's HTML page: add -o map.html" in result.stderr
