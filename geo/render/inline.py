"""What a page inlines, made safe to inline: our scripts and styles (minified, in ASCII),
Leaflet's from the ``xstatic-leaflet`` package, data as JSON that cannot end or bend a script,
and HTML with every character outside ASCII as a reference.

Every page writer uses these (the full page, the fragment, the local preview); they depend on
nothing else of the renderer.
"""

from __future__ import annotations

import base64
import json
import re
from importlib import resources
from typing import Any

from .pagescript import joined_script


def asset(name: str, *, canvas: bool = True) -> str:
    """A script or style to inline, minified (``minified``), in ASCII (see ``ascii_html``): a
    script's other characters (in its strings) as JavaScript escapes. ``canvas``: for
    ``troopmap.js``, with the modules that draw a map on a canvas (``pagescript``)."""
    text = minified(name, _asset_source(name, canvas))
    if name.endswith(".js") and not text.isascii():
        text = _NOT_ASCII.sub(
            lambda m: "".join(f"\\u{unit:04x}" for unit in _utf16(m.group())), text
        )
    return text


def _asset_source(name: str, canvas: bool = True) -> str:
    """An asset's text; ``troopmap.js`` is joined from the modules of ``assets/map``
    (``pagescript``)."""
    if name == "troopmap.js":
        return joined_script(canvas)
    return (resources.files("geo.render") / "assets" / name).read_text(encoding="utf-8")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def minified(name: str, text: str) -> str:
    """A script (``.js``) or style (``.css``) without its comments and needless spaces, by
    rJSmin and rCSSmin: a pass over the text with one regular expression, the same output for
    the same input, and code left as it is written (names are not shortened). Licence
    comments (``/*! ... */``) stay."""
    if name.endswith(".js"):
        import rjsmin

        return str(rjsmin.jsmin(text, keep_bang_comments=True))
    if name.endswith(".css"):
        import rcssmin

        return str(rcssmin.cssmin(text, keep_bang_comments=True))
    return text


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def ascii_html(text: str) -> str:
    """HTML with every character outside ASCII as a character reference.

    The page is written in ASCII (its data as JSON escapes, its scripts with JavaScript
    escapes): Python then keeps each copy of the page made while it is put together at one
    byte a character instead of two or four, which at 10,000 movements is several MB."""
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def leaflet_js() -> str:
    return _xstatic_file("leaflet.js")


def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as data URIs."""
    css = _xstatic_file("leaflet.css")

    def inline(match: re.Match[str]) -> str:
        image = _xstatic_bytes(f"images/{match.group(1)}")
        return "url(data:image/png;base64," + base64.b64encode(image).decode("ascii") + ")"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, minified("leaflet.css", css))


def _xstatic_file(name: str) -> str:
    return _xstatic_bytes(name).decode("utf-8")


def _xstatic_bytes(name: str) -> bytes:
    import xstatic.pkg.leaflet as leaflet

    return (resources.files(leaflet) / "data" / name).read_bytes()


def script_json(value: Any) -> str:
    """JSON that is safe inside an inline <script> and inert to templates.

    No ``</script>``, ``<!--`` or U+2028 can end or bend the script, and braces inside strings
    are escaped: folium renders a map's scripts through Jinja a second time, so a CSV cell
    holding ``{{ ... }}`` would otherwise be evaluated as a template.
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=_json_value)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JSON_STRING.sub(
        lambda m: (
            m.group(0)
            .replace("{", "\\u007b")
            .replace("}", "\\u007d")
            .replace("%", "\\u0025")
            .replace("#", "\\u0023")
        ),
        text,
    )


# A JSON string, "unrolled" so that the engine repeats a group only at each escape, not at each
# character: a long string (an encoded country) would otherwise cost megabytes of match stack.
def _json_value(value: Any) -> Any:
    """numpy's arrays and numbers (the page's columns) as JSON takes them."""
    import numpy as np

    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def in_own_task(script: str) -> str:
    """``script`` run in a task of its own, after the ones already queued: the browser may
    paint and answer the reader between the map's steps (one long task would block it)."""
    return f"setTimeout(function () {{ {script} }});"
