"""Shared fixtures: a CLI runner, tiny CSVs written in the test, and a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.cli import main

ARTICLE = (
    "https://www.themoscowtimes.com/2022/02/02/"
    "us-deploys-3000-troops-in-russia-ukraine-standoff-a76243"
)
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
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="session", autouse=True)
def geonames_index() -> Path:
    """The GeoNames index, derived before any test runs (once per installation and release, as
    the first look-up of a user's would): a command's output then reads as it always will."""
    from geo.geonames import ensure_index

    return ensure_index()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., Any]:
    """Run ``troopmap ARGS`` in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args: str) -> Any:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def render(invoke: Callable[..., Any]) -> Callable[..., Any]:
    """``troopmap render ARGS``, which must succeed (else the test shows what it said)."""

    def run(*args: str) -> Any:
        result = invoke("render", *args)
        assert result.exit_code == 0, result.stderr
        return result

    return run


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a small CSV (dedented) into the test's folder and return its path."""

    def write(text: str, name: str = "movements.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
        return path

    return write


class Browser:
    """A page in headless Chromium with every network request blocked and recorded."""

    def __init__(self, browser: Any):
        self.browser = browser
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def open(
        self, path: Path, width: int = 1280, height: int = 800, init_script: str | None = None
    ) -> Any:
        """Open the page and wait until the map is drawn; ``init_script`` runs before the
        page's own scripts."""
        page = self.browser.new_page(viewport={"width": width, "height": height})
        if init_script:
            page.add_init_script(init_script)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                self.requests.append(url)
                route.abort()

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.route("**/*", route)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", on_dialog)
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_selector("[data-tm-drawn]", state="attached", timeout=20_000)
        return page


def wait_until(page: Any, script: str, timeout_ms: int = 5000) -> None:
    """Wait until a JS expression is true (the page's CSP forbids Playwright's own polling)."""
    for _ in range(timeout_ms // 25):
        if page.evaluate(script):
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"never true: {script}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium: Any) -> Browser:
    return Browser(chromium)


def without_reported(text: str) -> str:
    """The CSV as it was before it had a ``reported`` column."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index("reported")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(r[:at] + r[at + 1 :] for r in rows)
    return out.getvalue()


def page_data_of(page: Path | str) -> dict[str, Any]:
    """The JSON a page (a path, or the page's text) hands to ``troopmap.draw``."""
    html = page if isinstance(page, str) else page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="tm-flows-\w+">(.*?)</script>', html)
    assert found and "troopmap.draw(" in html, "the page does not call troopmap.draw"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


TEXT_COLUMNS = ("unit", "origin", "destination", "label", "date", "start", "end", "notes")


def movement_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's movement columns read back as one record per movement, texts decoded."""
    columns = data["movements"]
    records = []
    for i in range(len(columns["row"])):
        record = {name: values[i] for name, values in columns.items()}
        for name in TEXT_COLUMNS:
            record[name] = data["texts"][record[name]]
        record["actor"] = data["actors"][record["actor"]]["name"]
        record["status"] = data["statuses"][record["status"]]
        record["source"] = data["sources"][record["source"]]
        records.append(record)
    return records
