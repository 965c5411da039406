"""``troopmap render --serve``: the map in the browser, reloaded at each save of the CSV.

A small web server on 127.0.0.1 (a free port; nothing outside this computer can reach it)
serves the HTML map that ``--watch`` writes, with one script added: it asks the server for news
and the server answers as soon as there is some (a long poll), so the page reloads as soon as
a new map is written.
When the saved CSV has errors, the page keeps the last good map and shows the problems over it
(file, row, column, what to write); the next good save clears them.

The page keeps its Content-Security-Policy, which allows requests to its own origin only
(``connect-src 'self'``); the served copy drops the second policy that keeps them to the site's
robots.txt, for that question. The file on disk is the map as ``render``
writes it, without the script.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import DataError, Problem, TroopmapError, UsageError

HOST = "127.0.0.1"
STATE_PATH = "/__troopmap/state"
WAIT_SECONDS = 10.0  # how long the server keeps a question for news open before saying "none"
_NO_MAP_YET = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta http-equiv="Content-Security-Policy" content="{csp}">'
    '<title>troopmap preview</title></head><body style="font:16px system-ui,sans-serif;'
    'margin:2em"><p>Drawing the map…</p></body></html>'
)


def page_to_serve(targets: Sequence[Path], fragment: bool) -> Path:
    """The HTML output the preview shows; UsageError when there is none to show."""
    if fragment:
        raise UsageError("--serve shows a whole page: leave out --fragment.")
    for target in targets:
        if Path(target).suffix.lower() in (".html", ".htm"):
            return Path(target)
    raise UsageError(
        "--serve shows the map's HTML page: add -o map.html (the other outputs are written too)."
    )


class Preview:
    """The server, and the drawing it shows: its number, its page and the current problems.

    The page's own Content-Security-Policy (in the page) is the one in force."""

    def __init__(self, page: Path, *, port: int = 0):
        from .render.pageparts import content_security_policy

        self.page = page
        self.version = 0  # the map: one more at each good drawing
        self.generation = 0  # the news: one more at each drawing, good or not
        self.html: bytes | None = None
        self.problems: list[dict[str, object]] = []
        self.policy = content_security_policy([])
        self._lock = threading.Lock()
        self._news = threading.Condition(self._lock)
        self._closing = False
        try:
            self._server = ThreadingHTTPServer((HOST, port), _handler_for(self))
        except OSError as error:  # no loopback address, or the port is taken
            raise UsageError(
                f"cannot serve the preview on {HOST}:{port or 'a free port'} "
                f"({error.strerror or error})."
            ) from None
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="troopmap-preview",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def __enter__(self) -> Preview:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._news:
            self._closing = True
            self._news.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # what the watch tells the preview
    def publishing(self, draw: Callable[[], object]) -> Callable[[], None]:
        """``draw`` that also tells the preview of each new map, or of the problems that kept
        the last one."""

        def draw_and_publish() -> None:
            try:
                draw()
            except DataError as error:
                self.show_problems([p for p in error.problems if p.severity == "error"])
                raise
            except TroopmapError as error:
                self.show_problems([Problem("Error", None, None, None, str(error))])
                raise
            except Exception as error:  # the watch says it in the terminal; the page too
                self.show_problems(
                    [Problem("Error", None, None, None, f"the map could not be drawn ({error}).")]
                )
                raise
            self.show_map(self.page.read_bytes())

        return draw_and_publish

    def show_map(self, html: bytes) -> None:
        with self._news:
            self.html = html
            self.version += 1
            self.problems = []
            self.generation += 1
            self._news.notify_all()

    def show_problems(self, problems: Sequence[Problem]) -> None:
        listed: list[dict[str, object]] = [
            {
                "location": p.location,
                "message": p.message,
                "suggestion": p.suggestion,
                "row": p.row,
                "column": p.column,
            }
            for p in problems
        ]
        with self._news:
            self.problems = listed
            self.generation += 1
            self._news.notify_all()

    # what the server answers
    def state(self, seen: int | None = None, wait: float = WAIT_SECONDS) -> bytes:
        """The map's version and the problems, once there is news since generation ``seen``
        (at once when ``seen`` is None or old, else after ``wait`` seconds at most)."""
        with self._news:
            self._news.wait_for(lambda: self.generation != seen or self._closing, timeout=wait)
            return json.dumps(
                {"version": self.version, "generation": self.generation, "problems": self.problems}
            ).encode()

    def served_page(self) -> bytes:
        """The latest map with the reload script, or a page saying it is being drawn."""
        from .render.inline import asset
        from .render.pageparts import ROBOTS_ONLY_META

        with self._lock:
            html, version = self.html, self.version
        if html is None:
            html = _NO_MAP_YET.format(csp=self.policy).encode()
        html = html.replace(ROBOTS_ONLY_META.encode(), b"", 1)
        script = (
            f'<script data-version="{version}" data-state="{STATE_PATH}">'
            f"{asset('preview.js')}</script>\n"
        ).encode()
        end = html.rfind(b"</html>")
        return html[:end] + script + html[end:] if end >= 0 else html + script


def _handler_for(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "troopmap-preview"
        sys_version = ""

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, *, with_body: bool) -> None:
            if not self._from_this_computer():
                self._send(HTTPStatus.FORBIDDEN, b"Forbidden", "text/plain", with_body)
                return
            address = urlsplit(self.path)
            if address.path in ("/", "/index.html"):
                self._send(
                    HTTPStatus.OK, preview.served_page(), "text/html; charset=utf-8", with_body
                )
            elif address.path == STATE_PATH:
                seen = parse_qs(address.query).get("seen", [""])[0]
                answer = preview.state(int(seen) if seen.isdigit() else None)
                self._send(HTTPStatus.OK, answer, "application/json", with_body)
            else:
                self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain", with_body)

        def _from_this_computer(self) -> bool:
            """Only pages of this origin: a site that renames itself to 127.0.0.1 (DNS
            rebinding) sends its own Host and is refused."""
            host = self.headers.get("Host", "")
            return host in (f"{HOST}:{preview.port}", f"localhost:{preview.port}")

        def _send(self, status: HTTPStatus, body: bytes, kind: str, with_body: bool) -> None:
            # The page may go away mid-answer (it reloaded, or was closed): nothing to say.
            with contextlib.suppress(ConnectionError):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                if with_body:
                    self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the terminal is for the map's news, not for each request

    return Handler


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the user's browser, if there is a desktop to show it on; never a text
    browser in the terminal the watch prints to."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
