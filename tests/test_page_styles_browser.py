"""What a reader sees of a movement's status, in real Chromium: announced and claimed movements
are dashed, withdrawn ones faded, on the map and in its key alike; and the Leaflet internals the
page's script relies on are all in the pinned Leaflet."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo import pipeline
from geo.render.inline import leaflet_js

pytestmark = pytest.mark.browser

STATUSES = (
    "id,actor,origin,destination,troops,status\n"
    "a,Russia,Pskov,Minsk,5000,reported\n"
    "b,Russia,Moscow,Brest,4000,announced\n"
    "c,Russia,Smolensk,Gomel,3000,claimed\n"
    "d,Russia,Minsk,Vitebsk,2000,withdrawn\n"
)

STROKES = """() => [...document.querySelectorAll('path.tm-flow')].map(p => {
  const s = getComputedStyle(p);
  return {dash: s.strokeDasharray, opacity: Number(s.strokeOpacity),
          status: p.getAttribute('data-tm-status')};
})"""

KEY = """() => {
  const heading = [...document.querySelectorAll('.tm-legend h2')]
    .find(h => h.textContent.trim().toLowerCase() === 'status');
  return heading ? [...heading.nextElementSibling.querySelectorAll('li')].map(li => {
    const line = li.querySelector('line'), s = line ? getComputedStyle(line) : null;
    return {text: li.textContent.trim(), dash: s ? s.strokeDasharray : null,
            opacity: s ? Number(s.strokeOpacity) : null};
  }) : null;
}"""


@pytest.fixture(scope="module")
def statuses_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("statuses")
    csv = folder / "statuses.csv"
    csv.write_text(STATUSES, encoding="utf-8")
    path = folder / "statuses.html"
    pipeline.write(pipeline.layers_for(csv), path)
    return path


def _strokes_by_status(page: Any) -> dict[str, dict[str, Any]]:
    """Each flow's SVG line by its status (one actor: the lines are in the flows' order)."""
    page.evaluate(
        """() => troopmap.views[0].model.flows.forEach((flow, i) => {
             const line = document.querySelectorAll('path.tm-flow')[i];
             line.setAttribute('data-tm-status', flow.status);
           })"""
    )
    return {s["status"]: s for s in page.evaluate(STROKES)}


def test_announced_and_claimed_movements_are_dashed_and_withdrawn_ones_faded(
    browser: Any, statuses_page: Path
) -> None:
    page = browser.open(statuses_page, 1280, 800)
    strokes = _strokes_by_status(page)
    assert set(strokes) == {"reported", "announced", "claimed", "withdrawn"}
    assert strokes["reported"]["dash"] == "none"
    assert strokes["announced"]["dash"] != "none"
    assert strokes["claimed"]["dash"] != "none"
    assert strokes["withdrawn"]["dash"] == "none"
    assert strokes["withdrawn"]["opacity"] < 0.5 < strokes["reported"]["opacity"]
    assert strokes["announced"]["opacity"] == strokes["reported"]["opacity"]
    assert browser.errors == []


def test_the_key_says_which_statuses_are_dashed_and_faded_and_draws_them_so(
    browser: Any, statuses_page: Path
) -> None:
    page = browser.open(statuses_page, 1280, 800)
    key = page.evaluate(KEY)
    assert key is not None, "the key has no Status section"
    assert [item["text"] for item in key] == ["announced or claimed", "withdrawn"]
    dashed, faded = key
    assert dashed["dash"] != "none" and dashed["opacity"] == 1
    assert faded["dash"] == "none"
    strokes = _strokes_by_status(page)
    assert faded["opacity"] == pytest.approx(strokes["withdrawn"]["opacity"])


def test_a_fork_without_counts_is_explained_in_the_key(
    browser: Any, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    csv = tmp_path / "fork.csv"
    csv.write_text(
        "id,actor,origin,destination,troops\na,Russia,Pskov,Minsk; Gomel,2000\n",
        encoding="utf-8",
    )
    path = tmp_path / "fork.html"
    pipeline.write(pipeline.layers_for(csv), path)
    key = browser.open(path, 1280, 800).evaluate(KEY)
    assert key is not None
    assert [item["text"] for item in key] == ["A fork without counts: the split was not reported."]


def test_every_leaflet_internal_the_script_uses_is_in_the_pinned_leaflet(
    browser: Any, statuses_page: Path
) -> None:
    """The page's script reaches into Leaflet only through ``assets/map/leaflet.js``, which
    lists each internal: a Leaflet without one of them fails here, not on a reader's screen."""
    page = browser.open(statuses_page, 1280, 800)
    internals = page.evaluate("() => troopmap.leafletInternals")
    missing = page.evaluate(
        """(methods) => Object.entries(methods).flatMap(([owner, names]) => {
             const proto = owner.split('.').slice(1).reduce((o, k) => o[k], L).prototype;
             return names.filter(name => typeof proto[name] !== 'function')
                         .map(name => owner + '.' + name);
           })""",
        internals["methods"],
    )
    assert missing == []
    assert sum(len(names) for names in internals["methods"].values()) >= 8
    source = leaflet_js()
    for field in internals["fields"]:
        assert re.search(rf"\.{field}\s*=[^=]", source), f"Leaflet no longer sets {field}"
