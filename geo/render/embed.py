"""Putting the map into someone else's page: an ``<iframe>`` snippet, an HTML fragment, and the
sandboxed frame a Jupyter notebook shows.

- ``iframe_snippet``: for a report that can host the map's page beside it. Responsive (sized
  by aspect ratio), with a ``title`` for screen readers.
- ``render_fragment``: the map as a block to paste into a page or a static-site template,
  without a second ``<html>`` element. Its ids come from the map's content, so two different
  maps on one page never clash and the same map always gives the same bytes. Its one style
  block touches only the map's box, and its layout follows that box, not the window: the same
  fragment pasted twice, side by side in a column, gives two small maps.
- ``notebook_html``: the whole page in a sandboxed ``srcdoc`` frame, as folium shows maps.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

from ..errors import UsageError

if TYPE_CHECKING:
    from ..layers import Layers

DEFAULT_RATIO = (16, 10)
MIN_HEIGHT_PX = 400
FRAGMENT_CLASS = "tm-embed"

_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_PX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", re.I)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


# --- the <iframe> snippet -----------------------------------------------------------------


# What a browser reads as a link's scheme: it first drops tabs and line breaks, and spaces and
# control characters at either end.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def _scheme(address: str) -> str | None:
    seen = re.sub(r"[\t\n\r]", "", address).strip("".join(map(chr, range(0x21))))
    found = _SCHEME.match(seen)
    return found.group(1).lower() if found else None


def _web_address(src: str) -> str:
    """``--src``: a web address (http, https) or a path relative to the report; any other
    scheme (``javascript:``, ``data:``) would run or show something else, and is refused."""
    scheme = _scheme(src)
    if scheme is not None and scheme not in ("http", "https"):
        raise UsageError(
            f'--src "{src}" is not a web address or a path: give an http:// or '
            "https:// address, or the map's path relative to the report."
        )
    return src


def _relative_address(path: Path) -> str:
    """The page's own path as the frame's address; ``./`` before one whose first part a
    browser would take for a scheme (``javascript:map.html``)."""
    address = path.name if path.is_absolute() else path.as_posix()
    return f"./{address}" if _scheme(address) is not None else address


def iframe_snippet(
    page: str | Path,
    *,
    src: str | None = None,
    width: str | None = None,
    height: str | None = None,
    title: str | None = None,
) -> str:
    """An ``<iframe>`` that shows the map page ``page`` in another page.

    ``width`` is pixels (``800``) or a percentage (``100%``, the default); ``height`` is
    pixels. With both in pixels the frame keeps their shape and shrinks on narrow screens;
    without a height it keeps the map's 16:10 shape.
    """
    path = Path(page)
    text = _read_page(path)
    found = _TITLE.search(text)
    name = title or (_unescape(found.group(1).strip()) if found else "") or "Map"
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    address = _web_address(src) if src is not None else _relative_address(path)
    box = _frame_style(width, height)
    return (
        f'<div class="troopmap-frame" id="troopmap-{key}" style="{box}">\n'
        f'  <iframe src="{escape(address, quote=True)}" title="{escape(name, quote=True)}"'
        ' loading="lazy" style="position:absolute;inset:0;width:100%;height:100%;border:0"'
        " allowfullscreen></iframe>\n"
        "</div>"
    )


def _read_page(path: Path) -> str:
    if not path.exists():
        raise UsageError(f"{path} does not exist. Make the map first: troopmap render -o {path}")
    if path.is_dir() or path.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{path} is not an HTML page; give the map's .html file.")
    return path.read_text(encoding="utf-8", errors="replace")


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _frame_style(width: str | None, height: str | None) -> str:
    """CSS for the frame's box: responsive by aspect ratio unless a fixed height is asked."""
    width_css, width_px = _width(width)
    height_px = _pixels(height, "--height") if height is not None else None
    parts = ["position:relative", f"width:{width_css if width_px is None else '100%'}"]
    if width_px is not None:
        parts.append(f"max-width:{_number(width_px)}px")
    if height_px is not None and width_px is None:
        parts.append(f"height:{_number(height_px)}px")
    else:
        ratio = (width_px, height_px) if width_px and height_px else DEFAULT_RATIO
        parts.append(f"aspect-ratio:{_number(ratio[0])}/{_number(ratio[1])}")
        parts.append(f"min-height:{MIN_HEIGHT_PX}px")
    return ";".join(parts)


def _width(width: str | None) -> tuple[str, float | None]:
    if width is None:
        return "100%", None
    percent = _PERCENT.match(width)
    if percent:
        value = float(percent.group(1))
        if not 0 < value <= 100:
            raise UsageError(f'--width "{width}": a percentage is more than 0 and at most 100.')
        return f"{_number(value)}%", None
    return "", _pixels(width, "--width")


def _pixels(text: str, option: str) -> float:
    match = _PX.match(str(text))
    if not match or not 50 <= float(match.group(1)) <= 10_000:
        raise UsageError(
            f'{option} "{text}" is not a size in pixels: give a number from 50 to 10000'
            + (", or a percentage such as 100%." if option == "--width" else ".")
        )
    return float(match.group(1))


def _number(value: float) -> str:
    return f"{value:g}"


# --- the HTML fragment --------------------------------------------------------------------


def fragment_key(layers: Layers, tiles: str | None = None) -> str:
    """8 hex digits from everything the page shows: the same map gives the same ids, two
    different maps (even of the same CSV, titled alike) do not."""
    from shapely import to_wkb

    digest = hashlib.sha1()
    for part in (
        layers.key,
        layers.title,
        layers.subtitle,
        str(layers.as_of),
        "\n".join(layers.sources),
        tiles or "",
        repr(sorted(layers.actors.items())),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    for frame in (layers.flows, layers.stations, layers.places):
        if len(frame):
            for blob in to_wkb(frame.geometry.values, hex=False, output_dimension=2):
                digest.update(blob)
            for column in ("label", "name", "width", "radius"):
                if column in frame:
                    digest.update("\0".join(map(str, frame[column])).encode("utf-8"))
    return digest.hexdigest()[:8]


def render_fragment(layers: Layers, *, tiles: str | None = None, as_of: date | None = None) -> str:
    """The map as an HTML fragment: one ``<div>`` holding its styles, scripts and panels."""
    from ..language import words_for
    from .html import render_html

    key = fragment_key(layers, tiles)
    page = render_html(dataclasses.replace(layers, key=key), tiles=tiles, as_of=as_of)
    words = words_for(layers.style.lang)
    return page_to_fragment(
        page, key=key, title=layers.title, language=words.code, direction=words.direction
    )


def page_to_fragment(
    page: str, *, key: str, title: str, language: str = "en", direction: str = "ltr"
) -> str:
    """Turn a whole map page into a fragment: keep its styles, scripts and body; drop the
    document's own elements (doctype, html, head, meta, title).

    The fragment holds one ``<style>`` block whose every rule is scoped to the fragment's box,
    and its map finds its own element (``troopmap.container``): the same fragment pasted twice
    into one page draws two maps."""
    head, body, tail = _split_page(page)
    blocks = _head_blocks(head)
    styles = [_inner(block) for block in blocks if block.lower().startswith("<style")]
    scripts = [_guard_leaflet(block) for block in blocks if not block.lower().startswith("<style")]
    body = _BLOCK.sub(lambda found: _guard_leaflet(found.group(0)), body)  # scripts at its end
    box = (
        "position:relative;width:100%;height:auto;margin:0;padding:0;"
        f"aspect-ratio:{DEFAULT_RATIO[0]}/{DEFAULT_RATIO[1]};"
        f"min-height:{MIN_HEIGHT_PX}px;overflow:hidden"
    )
    # The host page's rules for bare elements (h1 { color: purple }) stop at the map's edge;
    # the map's own rules, more specific, still apply.
    reset = (
        ":is(h1, h2, p, ul, li, header, aside, footer) { color: inherit;"
        " font-family: inherit; letter-spacing: normal; text-align: start; text-transform: none;"
        " text-shadow: none; background: none; border: 0; box-shadow: none; }"
        " :is(img, svg, canvas) { max-width: none; }"
    )
    style = "<style>" + scope_css("\n".join([reset, *styles]), f"#tm-embed-{key}") + "</style>"
    return (
        "\n".join(
            [
                f'<div class="{FRAGMENT_CLASS}" id="tm-embed-{key}" lang="{language}" '
                f'dir="{direction}" role="figure" '
                f'aria-label="{escape(title, quote=True)}" style="{box}">',
                style,
                *scripts,
                body.strip(),
                _own_container(tail.strip()),
                "</div>",
            ]
        )
        + "\n"
    )


_MAP_ELEMENT = re.compile(r'L\.map\(\s*"(map_\w+)"')


def _own_container(script: str) -> str:
    """folium finds the map's element by id; a fragment pasted twice has the id twice, so each
    copy looks for the element inside itself instead."""
    return _MAP_ELEMENT.sub(lambda m: f'L.map(troopmap.container("{m.group(1)}")', script, count=1)


def _split_page(page: str) -> tuple[str, str, str]:
    try:
        head = page[page.index("<head>") + len("<head>") : page.index("</head>")]
        body_start = page.index("<body>") + len("<body>")
        body_end = page.rindex("</body>")
        tail_end = page.rindex("</html>")
    except ValueError:
        raise UsageError("this is not a map page troopmap can turn into a fragment.") from None
    return head, page[body_start:body_end], page[body_end + len("</body>") : tail_end]


_BLOCK = re.compile(r"<(style|script)\b[^>]*>.*?</\1>", re.S | re.I)


def _head_blocks(head: str) -> list[str]:
    """The page head's styles and scripts, in order; its meta and title belong to the host."""
    return [match.group(0) for match in _BLOCK.finditer(head)]


def _inner(block: str) -> str:
    return block.partition(">")[2].rpartition("</")[0]


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"(?P<selectors>[^{}@;]+)\{(?P<body>[^{}]*)\}")


def scope_css(css: str, scope: str) -> str:
    """Every rule of ``css`` (inside @media and @container too) limited to the element
    ``scope``: rules for ``html`` and ``body`` apply to that element itself, others to what is
    inside it; folium's rule for a ``#map`` element (which the host page may have) is dropped."""

    def rule(match: re.Match[str]) -> str:
        selectors = []
        for selector in (s.strip() for s in match.group("selectors").split(",")):
            first, _, rest = selector.partition(" ")
            if selector == "#map" or not selector:
                continue
            if first in ("html", "body"):
                selectors.append(f"{scope} {rest}".strip())
            else:
                selectors.append(f"{scope} {selector}")
        if not selectors:
            return ""
        return f"\n{', '.join(dict.fromkeys(selectors))} {{{match.group('body')}}}"

    return _RULE.sub(rule, _COMMENT.sub("", css))


def _guard_leaflet(block: str) -> str:
    """Load Leaflet only once when several maps share a page."""
    from .inline import leaflet_js

    script = leaflet_js()
    if not block.startswith("<script") or script not in block:
        return block
    version = re.search(r"Leaflet (\d+\.\d+\.\d+)", script)
    check = f'window.L && L.version === "{version.group(1)}"' if version else "window.L"
    return block.replace(script, f"if (!({check})) {{\n{script}\n}}", 1)


# --- Jupyter ------------------------------------------------------------------------------


def notebook_html(page: str, *, title: str = "Map", ratio: float = 0.625) -> str:
    """The page in a sandboxed ``srcdoc`` frame, for ``_repr_html_`` (as folium shows maps).

    Scripts run (the map needs them) but the frame cannot reach the notebook; links in the
    popups open in a new tab.
    """
    return (
        '<div style="width:100%"><div style="position:relative;width:100%;height:0;'
        f'padding-bottom:{ratio * 100:.2f}%">'
        '<span style="color:#565656">Trust the notebook (File → Trust Notebook) to show the '
        "map.</span>"
        f'<iframe srcdoc="{escape(page, quote=True)}" title="{escape(title, quote=True)}" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0" '
        "allowfullscreen></iframe></div></div>"
    )
