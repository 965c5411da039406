"""The page in Ukrainian and in Arabic, read in Chromium as a reader does: every word troopmap
writes is in the language (none of the English catalog's words is left once the CSV's own
text is set aside), dates are the locale's, and Arabic is laid out right to left."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_until

from geo.language import catalog_text
from geo.paths import bundled_dataset

pytestmark = pytest.mark.browser

# Names that stay as they are in every language: the program, the data's source, file formats,
# the symbol standard, and the source site's host.
NAMES = ("troopmap", "Natural Earth", "GeoJSON", "CSV", "APP-6", "themoscowtimes.com")


def english_words() -> set[str]:
    """Every word of three letters or more in the English catalog's messages."""
    messages = re.findall(r'^msgid(?:_plural)? "(.*)"$', catalog_text("troopmap.pot"), re.M)
    found = set()
    for message in messages:
        found |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", "", message))}
    return found - {"troopmap", "app", "natural", "earth"}


def csv_texts() -> list[str]:
    """The bundled CSV's cells, longest first (the page shows them as written)."""
    rows = list(csv.reader(io.StringIO(bundled_dataset().read_text(encoding="utf-8"))))
    cells = {cell for row in rows[1:] for cell in row if cell}
    cells |= {part.strip() for cell in list(cells) for part in cell.split(";")}
    return sorted(cells, key=len, reverse=True)


def everything_written(page: Any) -> str:
    """The page's text, its labels for screen readers, and each popup opened in turn."""
    texts = [
        page.evaluate("document.title"),
        page.evaluate("document.body.innerText"),
        page.evaluate(
            "Array.from(document.querySelectorAll('[aria-label],[title],[alt]')).map(e =>"
            " [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('alt')]"
            ".join(' ')).join('\\n')"
        ),
    ]
    for _ in range(4):
        page.locator(".tm-nav-next").click()
        wait_until(page, "!!document.querySelector('.leaflet-popup-content')")
        page.wait_for_timeout(300)  # the popup closed before may still be fading out
        texts.append(page.locator(".leaflet-popup-content").last.inner_text())
        texts.append(page.locator(".tm-nav-current").inner_text())
        texts.append(page.locator(".leaflet-popup-close-button").last.get_attribute("aria-label"))
    return "\n".join(texts)


def without_csv_text(text: str) -> str:
    for cell in [*csv_texts(), *NAMES]:
        text = text.replace(cell, " ")
    return re.sub(r"https?://\S+", " ", text)


@pytest.mark.parametrize("code", ["uk", "ar"])
def test_the_page_has_no_english_word_of_troopmap_left(
    code: str, render: Any, tmp_path: Path, browser: Any
) -> None:
    page_path = tmp_path / f"map-{code}.html"
    render("--lang", code, "-o", str(page_path))
    page = browser.open(page_path, width=1280, height=800)
    written = without_csv_text(everything_written(page))
    left = {w for w in re.findall(r"[A-Za-z]{3,}", written)}
    assert {w for w in left if w.lower() in english_words()} == set()
    assert left == set(), left  # no Latin word at all beyond the CSV's and the names
    assert browser.errors == [] and browser.requests == []


def test_the_ukrainian_page_writes_dates_and_numbers_as_ukrainian_does(
    render: Any, tmp_path: Path, browser: Any
) -> None:
    page_path = tmp_path / "map-uk.html"
    render("--lang", "uk", "-o", str(page_path))
    page = browser.open(page_path, width=1280, height=800)
    assert page.locator(".tm-asof").inner_text() == "Станом на 2 лютого 2022\u202fр."
    assert page.locator(".tm-timeline-day").inner_text() == (
        "2 лютого 2022\u202fр.: показано 4 з 4 переміщень"
    )
    page.keyboard.press("Tab")
    page.locator(".tm-slider").focus()
    page.keyboard.press("End")
    assert page.locator(".tm-asof").inner_text() == "Станом на 20 лютого 2022\u202fр."
    legend = page.locator(".tm-legend").inner_text()
    assert "30\xa0000 військових" in legend and "ХТО" in legend.upper()
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('.tm-country-label')).map(e => e.innerText)"
    )
    assert "ПОЛЬЩА" in [label.upper() for label in labels]


def test_the_arabic_page_is_laid_out_right_to_left(
    render: Any, tmp_path: Path, browser: Any
) -> None:
    page_path = tmp_path / "map-ar.html"
    render("--lang", "ar", "-o", str(page_path))
    for width, height in ((390, 844), (1280, 800)):
        page = browser.open(page_path, width=width, height=height)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        title = page.evaluate(
            "(() => { const r = document.createRange();"
            " r.selectNodeContents(document.querySelector('.tm-title h1'));"
            " const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; })()"
        )
        assert width - title["right"] < 20  # the title's words start at the right
        if width < 1180:  # the key waits behind its button, now at the left
            key = page.locator(".tm-key-button").bounding_box()
            assert key is not None and key["x"] + key["width"] <= title["left"] + 1
        footer = page.evaluate("getComputedStyle(document.querySelector('.tm-footer')).direction")
        assert footer == "rtl"
