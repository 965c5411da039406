"""The geo layer → one self-contained interactive HTML page (folium + Leaflet, all inlined).

The page makes no network request (a Content-Security-Policy forbids them) unless the user asks
for web tiles, and the same layers give the same bytes: element ids come from the map's
content, not from chance, and nothing reads the clock.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import language
from ..errors import UsageError
from .credits import FOOTER_SOURCES, NATURAL_EARTH, source_sites
from .inline import ascii_html, asset, leaflet_css, leaflet_js, script_json

if TYPE_CHECKING:
    from ..layers import Layers
    from ..legend import Legend, Stroke
    from .pagedata import PageData

WEB_LINK = re.compile(r"^https?://[^\s/?#]+", re.I)  # the only links a page may hold


def render_html(
    layers: Layers, *, tiles: str | None = None, as_of: date | None = None, context: bool = True
) -> str:
    """The whole page as text; ``as_of`` is the day its timeline opens on (default: the map's
    "as of" day); ``context``: capitals, cities, rivers and lakes under the data."""
    from ..language import speaking
    from .page_extras import accessible_page

    with speaking(layers.style.lang):
        if tiles is None:
            from .page import offline_page

            return offline_page(layers, as_of, context=context)
        figure = build_figure(layers, tiles=tiles, as_of=as_of, context=context)
        page = figure.render()
        return accessible_page(page, layers)


def build_figure(
    layers: Layers, *, tiles: str | None = None, as_of: date | None = None, context: bool = True
) -> Any:
    """A branca Figure holding the map; ``render()`` gives the page."""
    import folium
    from branca.element import Figure

    from . import elements  # imports folium: only the page with web tiles is made with it
    from .page_extras import SymbolTable
    from .pagedata import basemap_data, context_data

    figure = Figure()
    tile_layer = _tile_layer(tiles) if tiles is not None else None
    _add_head(figure, layers, tile_layer)
    fmap = elements.OfflineMap(
        location=None,
        tiles=None,
        control_scale=False,
        zoom_snap=0.25,
        world_copy_jump=False,
        attribution_control=False,
    )
    figure.add_child(fmap)
    if tile_layer is not None:
        tile_layer.add_to(fmap)
    folium.map.CustomPane("tm-countries", z_index=250, pointer_events=False).add_to(fmap)
    symbols = SymbolTable(layers.key or "tm")
    page = page_for(layers, symbols, as_of)
    key = layers.key or "tm"
    # The flows first: they set the view, so the countries are drawn once, at that view.
    elements.ScriptLayer("TroopmapFlows", "troopmap.draw", read_data("flows", key)).add_to(fmap)
    elements.ScriptLayer(
        "TroopmapCountries", "troopmap.countries", read_data("countries", key)
    ).add_to(fmap)
    if context:
        elements.ScriptLayer(
            "TroopmapContext", "troopmap.context", read_data("context", key)
        ).add_to(fmap)
    _add_panels(figure, layers, symbols, page)
    context_json = context_data(layers) if context else None
    _add_scripts(figure, data_html(key, page.data, basemap_data(layers), context_json))
    _fix_ids(figure, layers.key or "tm")
    return figure


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


def _add_head(figure: Any, layers: Layers, tile_layer: Any) -> None:
    hosts = _tile_hosts(tile_layer) if tile_layer is not None else []
    from . import elements

    figure.header.add_child(elements.Raw(head_html(layers, hosts)), name="troopmap_head")


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


def _tile_hosts(tile_layer: Any) -> list[str]:
    """The origins the tiles load from, for the page's policy: one per subdomain the tile
    address names (``*.host`` when the subdomain is the first label of the host)."""
    url = str(tile_layer.tiles)
    scheme = urlsplit(url).scheme or "https"
    hosts = []
    for subdomain in tile_layer.options.get("subdomains", "abc") if "{s}" in url else [""]:
        host = urlsplit(url.replace("{s}", subdomain)).netloc
        if subdomain and host.startswith(f"{subdomain}."):
            host = "*" + host[len(subdomain) :]
        hosts.append(f"{scheme}://{host}")
    return list(dict.fromkeys(hosts))


def _add_scripts(figure: Any, data: str) -> None:
    """Leaflet and troopmap's scripts, then the map's data (``data_html``), at the end of the
    body, after the map's element: the title, the summary and the key are on screen before the
    browser runs them. The map's own script (folium's, after the body) then makes the map (a
    global ``map_…``, as in any folium page) and queues the flows and the countries each in a
    task of their own (``in_own_task``)."""
    from . import elements

    figure.add_child(
        elements.AtRender("html", scripts_html() + "\n" + data), name="troopmap_scripts"
    )


def scripts_html() -> str:
    """Leaflet and troopmap's scripts, inlined."""
    from . import page_extras

    scripts = "\n".join(
        [
            f"<script>{leaflet_js()}</script>",
            f"<script>{asset('troopmap.js')}</script>",
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
    the rivers, lakes and cities under the data (``pagedata.context_data``), if drawn."""
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


def _tile_layer(name: str) -> Any:
    import folium
    import xyzservices

    if not name.strip():
        raise UsageError(
            "--tiles is empty: give a tile set such as OpenStreetMap, or leave "
            "the option out for a map without web tiles."
        )
    try:
        provider = xyzservices.providers.query_name(name)
    except ValueError:
        provider = None
    if provider is not None and provider.requires_token():
        raise UsageError(
            f'--tiles: "{name}" needs an API key, which troopmap does not take: '
            "it would be written into every copy of the page. Try OpenStreetMap "
            "or Esri.WorldGrayCanvas."
        )
    try:
        return folium.TileLayer(name)
    except ValueError:  # folium takes an unknown name for a tile address without attribution
        raise UsageError(
            f'--tiles: "{name}" is not a tile set troopmap knows. Try '
            "OpenStreetMap or Esri.WorldGrayCanvas."
        ) from None


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


def _legend_html(legend: Legend, page: PageData, extra: str = "") -> str:
    """The key as HTML, formatted from the legend model, with the page's own notes."""
    words = language.words()
    items = [
        f'<li><span class="tm-swatch" style="background:{escape(s.colour, quote=True)}">'
        f"</span>{escape(s.label)}</li>"
        for s in legend.actors
    ]
    parts = [section(words("Who"), items)]
    if legend.widths:
        widths = [
            f'<li><svg width="44" height="{max(12, int(w.pixels) + 4)}" aria-hidden="true">'
            f'<line x1="2" x2="42" y1="50%" y2="50%" stroke="#555" '
            f'stroke-width="{w.pixels:.1f}"/></svg>{escape(w.label)}</li>'
            for w in legend.widths
        ]
        if page.merged_flows:
            widths.append(
                '<li class="tm-legend-note">'
                + escape(
                    words(
                        "One arrow per route, actor and status, as wide as its movements' "
                        "total; click it to list them."
                    )
                )
                + "</li>"
            )
        if page.fade_flows:
            widths.append(
                '<li class="tm-legend-note">'
                + escape(
                    words(
                        "Where more than {count} flows are in view, the {count} largest are "
                        "drawn in full and the others as thin, faint lines: zoom in to see them.",
                        count=words.number(page.fade_flows),
                    )
                )
                + "</li>"
            )
        parts.append(section(words("Troops moving"), widths))
    if legend.radii:
        circles = []
        for r in legend.radii:
            size = int(r.pixels * 2 + 4)
            circles.append(
                f'<li><svg width="{size}" height="{size}" aria-hidden="true">'
                f'<circle cx="{size / 2}" cy="{size / 2}" r="{r.pixels:.1f}" fill="#999" '
                f'fill-opacity="0.3" stroke="#555"/></svg>{escape(r.label)}</li>'
            )
        if page.merged_stations:
            circles.append(
                '<li class="tm-legend-note">'
                + escape(words("One circle per place, actor and status."))
                + "</li>"
            )
        if page.fade_stations:
            circles.append(
                '<li class="tm-legend-note">'
                + escape(
                    words(
                        "Where more than {count} are in view, the smaller ones are drawn faint.",
                        count=words.number(page.fade_stations),
                    )
                )
                + "</li>"
            )
        parts.append(section(words("Troops stationed"), circles))
    notes = [_stroke_html(stroke) for stroke in legend.strokes]
    notes += [f"<li>{escape(note)}</li>" for note in legend.notes]
    if notes:
        parts.append(section(words("Status"), notes))
    if legend.countries:
        items = [
            f'<li><span class="tm-swatch tm-country-swatch" style="background:'
            f'{escape(s.colour, quote=True)}"></span>{escape(s.label)}</li>'
            for s in legend.countries
        ]
        parts.append(section(words("Countries"), items))
    parts.append(extra)
    legend_label = words("Legend")
    # tabindex: a legend taller than the map scrolls, and the keyboard must reach it too.
    return (
        f'<aside class="tm-panel tm-legend" aria-label="{escape(legend_label, quote=True)}" '
        'tabindex="0">' + "".join(parts) + "</aside>"
    )


def section(title: str, items: list[str]) -> str:
    """A section of the key: its title, then its items."""
    return f"<h2>{escape(title)}</h2><ul>" + "".join(items) + "</ul>"


def _stroke_html(stroke: Stroke) -> str:
    from ..cartography import OPACITY, PLANNED_LOOK

    dashes = ' stroke-dasharray="6 4"' if stroke.dashed else ""
    fade = f' stroke-opacity="{OPACITY["faded"]}"' if stroke.faded else ""
    if stroke.planned:  # drawn wider than the others: its dashes are short
        look = PLANNED_LOOK
        return (
            '<li><svg width="44" height="10" aria-hidden="true"><line x1="2" x2="42" '
            f'y1="5" y2="5" stroke="#555" stroke-opacity="{look["opacity"]}" '
            f'stroke-width="5" stroke-dasharray="{5 * look["dash"]:g} {5 * look["gap"]:g}"/>'
            f"</svg>{escape(stroke.label)}</li>"
        )
    return (
        '<li><svg width="44" height="10" aria-hidden="true"><line x1="2" x2="42" y1="5" '
        f'y2="5" stroke="#555"{fade} stroke-width="3"{dashes}/></svg>'
        f"{escape(stroke.label)}</li>"
    )


def _sources_html(layers: Layers) -> str:
    """The footer: a link per source site (its first report), at most FOOTER_SOURCES of them;
    every report stays linked from its movement's popup."""
    by_host = source_sites(layers)
    links = [
        f'<a href="{escape(url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{escape(host)}</a>'
        for host, url in list(by_host.items())[:FOOTER_SOURCES]
    ]
    words = language.words()
    if len(by_host) > FOOTER_SOURCES:
        more = len(by_host) - FOOTER_SOURCES
        links.append(
            escape(
                words.plural(
                    "{count} more site (see the popups)",
                    "{count} more sites (see the popups)",
                    more,
                )
            )
        )
    sources = (
        escape(words("Sources: {sites}. ", sites="\0")).replace("\0", ", ".join(links))
        if links
        else ""
    )
    borders = escape(words("Borders: {source}.", source="\0")).replace(
        "\0",
        f'<a href="{NATURAL_EARTH}" target="_blank" rel="noopener noreferrer">Natural Earth</a>',
    )
    made = escape(words("Map made with troopmap."))
    credit = layers.style.credit
    credit = f'<span class="tm-credit">{escape(credit)}</span> ' if credit else ""
    get_data = _get_data_html(layers)
    return f'<footer class="tm-footer">{credit}{get_data}{sources}{borders} {made}</footer>'


def _get_data_html(layers: Layers) -> str:
    """The "Get the data" links: download.js makes each file from the page's data when the
    reader clicks, so they stay hidden until the script has run."""
    if not layers.style.data_download:
        return ""
    stem = escape(layers.file_stem, quote=True)
    links = [
        f'<a href="#" download="{stem}.{ext}" data-tm-get="{ext}" rel="nofollow">{label}</a>'
        for ext, label in (("csv", "CSV"), ("geojson", "GeoJSON"))
    ]
    words = language.words()
    text = escape(words("Get the data: {files}.", files="\0"))
    return f'<span class="tm-get-data" hidden>{text.replace(chr(0), " · ".join(links))} </span>'


def _add_panels(figure: Any, layers: Layers, symbols: Any, page: PageData) -> None:
    panels = panels_html(layers, symbols, page)
    from . import elements

    figure.html.add_child(elements.Raw(panels), name="troopmap_panels")


def panels_html(layers: Layers, symbols: Any, page: PageData) -> str:
    """The title, the key, the symbols' sprite, the sources and the text without scripts."""
    from .page_extras import as_of_id, legend_notes

    as_of = ""
    timeline = page.data.get("timeline")
    opening = (
        date.fromisoformat(timeline["start"]) if timeline and timeline["start"] else layers.as_of
    )
    if opening:
        # The timeline keeps this line on the day its slider shows.
        words = language.words()
        as_of = escape(words("As of {date}", date=words.long_date(opening)))
        as_of = f'<p class="tm-asof" id="{as_of_id(layers)}">{as_of}</p>'
    subtitle = f'<p class="tm-subtitle">{escape(layers.subtitle)}</p>' if layers.subtitle else ""
    logo = layers.style.logo
    logo_html = f'<img class="tm-logo" src="{logo.data_uri()}" alt="">' if logo else ""
    summary = escape(layers.summary)
    caption = f'<p class="tm-sr-only" id="tm-summary-{layers.key}">{summary}</p>'
    panels = "\n".join(
        [
            f'<header class="tm-panel tm-title">{logo_html}<h1>{escape(layers.title)}</h1>'
            f"{subtitle}{as_of}"
            f"{caption}</header>",
            _legend_html(
                page.legend or legend_of(layers, page), page, legend_notes(layers, symbols)
            ),
            symbols.sprite(),
            _sources_html(layers),
            f'<noscript><p class="tm-noscript">{summary}</p></noscript>',
        ]
    )
    return ascii_html(panels)


def _fix_ids(root: Any, key: str) -> None:
    """Replace folium's random element ids by ones derived from the map's content."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = f"{key}{counter:03d}"
        counter += 1
        children = list(element._children.values())
        for part in ("header", "html", "script"):
            if hasattr(element, part):
                children.insert(0, getattr(element, part))
        stack.extend(children)
