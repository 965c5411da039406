"""The geo layer → one self-contained interactive HTML page (folium + Leaflet, all inlined).

The page makes no network request (a Content-Security-Policy forbids them) unless the user asks
for web tiles, and the same layers give the same bytes: element ids come from the map's
content, not from chance, and nothing reads the clock.

Without web tiles the page is written in one pass (``geo.render.page``); with them folium makes
it here. Both put in it the same parts (``geo.render.pageparts``, ``geo.render.panels``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import UsageError
from .page import offline_page
from .pageparts import data_html, head_html, page_for, read_data, scripts_html
from .panels import panels_html

if TYPE_CHECKING:
    from ..layers import Layers
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
    from .pagebasemap import basemap_data, context_data

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
    data = data_html(key, page.data, basemap_data(layers), context_json)
    _add_scripts(figure, data, canvas=page.data["canvas"])
    _fix_ids(figure, layers.key or "tm")
    return figure


def _add_head(figure: Any, layers: Layers, tile_layer: Any) -> None:
    hosts = _tile_hosts(tile_layer) if tile_layer is not None else []
    from . import elements

    figure.header.add_child(elements.Raw(head_html(layers, hosts)), name="troopmap_head")


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


def _add_scripts(figure: Any, data: str, *, canvas: bool) -> None:
    """Leaflet and troopmap's scripts, then the map's data (``data_html``), at the end of the
    body, after the map's element: the title, the summary and the key are on screen before the
    browser runs them. The map's own script (folium's, after the body) then makes the map (a
    global ``map_…``, as in any folium page) and queues the flows and the countries each in a
    task of their own (``in_own_task``)."""
    from . import elements

    figure.add_child(
        elements.AtRender("html", scripts_html(canvas) + "\n" + data), name="troopmap_scripts"
    )


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


def _add_panels(figure: Any, layers: Layers, symbols: Any, page: PageData) -> None:
    panels = panels_html(layers, symbols, page)
    from . import elements

    figure.html.add_child(elements.Raw(panels), name="troopmap_panels")


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
