"""The parts of the page that both of its writers use: the one-pass offline page
(``geo.render.page``) and folium's page with web tiles (``geo.render.html``).

Its head (the Content-Security-Policy, title, description and styles), its scripts, its data
in elements of their own, and ``page_for``: the page's data with what the page writes around
the flows (country names, the first view, the timeline, the unit symbols, the key).
"""

from __future__ import annotations

import base64
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from .. import language
from .inline import ascii_html, asset, leaflet_css, leaflet_js, script_json

if TYPE_CHECKING:
    from ..layers import Layers
    from ..legend import Legend
    from .pagedata import PageData


def content_security_policy(tile_hosts: list[str]) -> str:
    """No network origin at all, unless web tiles were asked for (then only their host).

    ``connect-src 'self'`` together with ``ROBOTS_ONLY`` (a second policy: a request must pass
    both) lets the page reach one address: ``/robots.txt`` of the site that serves it. The
    page's own scripts never ask for it; Lighthouse's SEO audit fetches it from inside the
    page (GoogleChrome/lighthouse#4386) and fails under ``connect-src 'none'``. Nothing can
    reach another origin or another path of this one; the price is that a script injected
    into the page (none can be: every CSV text is escaped) could ask the page's own site for
    its robots.txt."""
    images = " ".join(["data:", *tile_hosts])
    return (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        f"img-src {images}; font-src data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'"
    )


# The second policy of the page: requests only to a robots.txt (of any host: the first policy
# keeps them to the page's own). Any port, as a site may be served on any.
ROBOTS_ONLY = "connect-src *:*/robots.txt"
ROBOTS_ONLY_META = f'<meta http-equiv="Content-Security-Policy" content="{ROBOTS_ONLY}">'


def head_html(layers: Layers, hosts: list[str]) -> str:
    """What troopmap puts in the page's head: its policy, title, description and styles."""
    from . import page_extras

    summary = escape(layers.summary, quote=True)
    head = "\n".join(
        [
            '<meta http-equiv="Content-Security-Policy" '
            f'content="{content_security_policy(hosts)}">',
            ROBOTS_ONLY_META,
            f"<title>{escape(layers.title)}</title>",
            f'<meta name="description" content="{summary}">',
            f'<meta property="og:title" content="{escape(layers.title, quote=True)}">',
            f'<meta property="og:description" content="{summary}">',
            '<meta name="generator" content="troopmap">',
            f"<style>{leaflet_css()}</style>",
            f"<style>{asset('troopmap.css')}</style>",
            *(f"<style>{asset(name)}</style>" for name in page_extras.STYLES),
            *house_styles(layers),
        ]
    )
    return ascii_html(head)


def house_styles(layers: Layers) -> list[str]:
    """The style file's look: its font family first in the page's list (a font installed on
    the reader's computer: the page loads none), and the dark theme's colours."""
    style = layers.style
    sheets = []
    if style.font:  # geo.style allows only letters, digits, spaces, - and ' in the name
        sheets.append(f'<style>body{{font-family:"{style.font}",{BODY_FONTS}}}</style>')
    if style.theme == "dark":
        sheets.append(f"<style>{asset('theme-dark.css')}</style>")
    return sheets


BODY_FONTS = '"Helvetica Neue",Arial,"Liberation Sans",sans-serif'  # as troopmap.css


def scripts_html(canvas: bool = True) -> str:
    """Leaflet and troopmap's scripts, inlined; ``canvas``: the map is drawn on a canvas (its
    page data says so), which needs the canvas modules of the page's script."""
    from . import page_extras

    scripts = "\n".join(
        [
            f"<script>{leaflet_js()}</script>",
            f"<script>{asset('troopmap.js', canvas=canvas)}</script>",
            *(f"<script>{asset(name)}</script>" for name in page_extras.SCRIPTS),
        ]
    )
    return ascii_html(scripts)


def data_html(
    key: str,
    flows: dict[str, Any],
    countries: dict[str, Any],
    context: dict[str, Any] | None = None,
) -> str:
    """The map's data as JSON in elements of their own (``read_data`` reads them): a browser
    parses JSON several times faster than the same data written as a script's literal, which
    it also scans once more before running it (a second, at 100,000 movements). ``context``:
    the rivers, lakes and cities under the data (``pagebasemap.context_data``), if drawn."""
    parts = [("flows", flows), ("countries", countries)]
    if context is not None:
        parts.append(("context", context))
    return "\n".join(
        f'<script type="application/json" id="tm-{name}-{key}">{script_json(value)}</script>'
        for name, value in parts
    )


def read_data(name: str, key: str) -> str:
    """The script that reads the data ``data_html`` wrote under ``name``."""
    return f'JSON.parse(document.getElementById("tm-{name}-{key}").textContent)'


def page_for(layers: Layers, symbols: Any = None, as_of: date | None = None) -> PageData:
    """The page's data (see ``geo.render.pagedata``) with what the page writes around the
    flows: country names, the first view, the timeline and the unit symbols."""
    from . import page_extras
    from .pagedata import page_data
    from .pagewords import page_words

    symbols = symbols or page_extras.SymbolTable(layers.key or "tm")
    page = page_data(layers, symbols)
    index = {movement: i for i, movement in enumerate(page.order)}
    focus = layers.focus
    page.data.update(
        {
            "countries": country_labels(layers, focus=focus),
            "view": initial_view(layers, focus),
            "timeline": page_extras.timeline_config(layers, as_of),
            "units": page_extras.unit_markers(layers, index, symbols),
            "symbols": symbols.as_json(),
            "words": page_words(),
        }
    )
    page.legend = legend_of(layers, page)
    page.data["legend"] = page.legend.as_json()
    if layers.style.data_download:
        page.data["download"] = {"csv": packed_text(layers.csv_text), "file": layers.file_stem}
    return page


def packed_text(text: str) -> str:
    """A text as the page carries it for download: gzip (no time stamp: the same text gives
    the same bytes), then base64. A CSV shrinks to a fifth or so: 10,000 movements add about
    0.3 MB to their page instead of 1.4 MB. The page unpacks it with the browser's
    DecompressionStream (download.js)."""
    import gzip

    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode(
        "ascii"
    )


def map_data(layers: Layers, symbols: Any = None, as_of: date | None = None) -> dict[str, Any]:
    """The compact JSON that troopmap.js draws (see ``geo.render.pagedata``)."""
    return page_for(layers, symbols, as_of).data


# The first view (troopmap.js ``frame``): each side of the map keeps this share of the box for
# the labels (top, right, bottom, left; labels are written to the right of their point), the
# margins of an axis never take more than VIEW_MAX_MARGIN of it, and a focus smaller than
# VIEW_MIN_SPAN_KM (one place) is widened to it: a regional view, not a street map.
VIEW_MARGIN = (0.08, 0.14, 0.06, 0.06)
VIEW_MAX_MARGIN = 0.6
VIEW_MIN_SPAN_KM = 400.0
VIEW_MAX_ZOOM = 9


def initial_view(
    layers: Layers, focus: tuple[float, float, float, float] | None = None
) -> dict[str, Any]:
    """The first view: the focus of the map, at least VIEW_MIN_SPAN_KM across, and the margins
    the page keeps around it (a share of the map's box, whatever its size)."""
    west, south, east, north = widened(focus or layers.focus, VIEW_MIN_SPAN_KM)
    return {
        "bounds": [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]],
        "margin": list(VIEW_MARGIN),
        "maxMargin": VIEW_MAX_MARGIN,
        "maxZoom": VIEW_MAX_ZOOM,
    }


def widened(
    box: tuple[float, float, float, float], span_km: float
) -> tuple[float, float, float, float]:
    """(west, south, east, north) grown about its centre to at least ``span_km`` each way."""
    import math

    west, south, east, north = box
    half_lat = span_km / 2 / 111.32
    centre_lat = (south + north) / 2
    half_lon = half_lat / max(0.1, math.cos(math.radians(centre_lat)))
    if north - south < 2 * half_lat:
        south, north = max(-85.0, centre_lat - half_lat), min(85.0, centre_lat + half_lat)
    if east - west < 2 * half_lon:
        centre_lon = (west + east) / 2
        west, east = centre_lon - half_lon, centre_lon + half_lon
    return west, south, east, north


def _rough_area(frame: Any) -> Any:
    """Area in square degrees scaled by latitude: enough to rank countries by size."""
    import numpy as np
    import shapely

    with np.errstate(all="ignore"):
        area = shapely.area(frame.geometry.to_numpy())
        return area * np.cos(np.radians(frame["label_lat"].to_numpy()))


def country_labels(
    layers: Layers, limit: int = 40, focus: tuple[float, float, float, float] | None = None
) -> list[dict[str, Any]]:
    """Names for the countries in and around the focus of the map, largest first."""
    west, south, east, north = focus or layers.focus
    pad_x, pad_y = max(8.0, (east - west) * 0.6), max(5.0, (north - south) * 0.6)
    countries = layers.countries
    inside = countries[
        countries["label_lon"].between(west - pad_x, east + pad_x)
        & countries["label_lat"].between(south - pad_y, north + pad_y)
    ]
    inside = inside.assign(_area=_rough_area(inside)).sort_values(
        ["_area", "name"], ascending=[False, True]
    )
    words = language.words()
    return [
        {
            "name": words.country(row["adm0_a3"], row["name"]),
            "lat": round(float(row["label_lat"]), 2),
            "lon": round(float(row["label_lon"]), 2),
            "big": bool(row["_area"] > 40),
            "involved": bool(row["role"]),
            "box": _part_box(row.geometry, float(row["label_lon"]), float(row["label_lat"])),
        }
        for _, row in inside.head(limit).iterrows()
    ]


def _part_box(geometry: Any, lon: float, lat: float) -> list[float]:
    """West, south, east, north of the part of a country its name is written on (the page
    moves a name only within it: a name moved into a neighbour would name the neighbour)."""
    import shapely

    parts = list(getattr(geometry, "geoms", [geometry]))
    at = shapely.Point(lon, lat)
    part = min(parts, key=lambda p: p.distance(at))
    return [round(float(v), 2) for v in part.bounds]


def legend_of(layers: Layers, page: PageData) -> Legend:
    """The page's key (``geo.legend``), with widths and radii as the page draws them."""
    from ..legend import legend_for

    return legend_for(
        layers,
        width_for=page.width_for,
        radius_for=page.radius_for,
        largest_flow=page.largest_flow,
        largest_station=page.largest_station,
        planned="due" in page.data["movements"],
    )
