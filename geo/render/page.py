"""The offline page written in one pass, without folium.

The page is the one folium makes of troopmap's map (``html.build_figure``): the same elements
with the same ids, byte for byte, as a test checks. Written here as one text it needs neither
folium nor its templates (importing folium compiles some fifty Jinja templates: about half a
second of every map), and the page's large parts, its data above all, are copied once.
Web tiles, which only a user who asks for them gets, still go through folium.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .pageparts import data_html, head_html, page_for, read_data, scripts_html
from .panels import panels_html

if TYPE_CHECKING:
    from ..layers import Layers

# folium numbers its elements in a fixed order (``html._fix_ids``): the map is the fifth, the
# pane of the countries the tenth.
MAP_NUMBER = 4
PANE_NUMBER = 9

_HEAD = "\n".join(
    [
        "<!DOCTYPE html>",
        "<html>",
        "<head>",
        "    ",
        '    <meta http-equiv="content-type" content="text/html; charset=UTF-8" />',
        "    {head}",
        "    ",
        '            <meta name="viewport" content="width=device-width,',
        '                initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />',
        "            <style>",
        "                #{map} {{",
        "                    position: relative;",
        "                    width: 100.0%;",
        "                    height: 100.0%;",
        "                    left: 0.0%;",
        "                    top: 0.0%;",
        "                }}",
        "                .leaflet-container {{ font-size: 1rem; }}",
        "            </style>",
        "",
        "            <style>html, body {{",
        "                width: 100%;",
        "                height: 100%;",
        "                margin: 0;",
        "                padding: 0;",
        "            }}",
        "            </style>",
        "",
        "            <style>#map {{",
        "                position:absolute;",
        "                top:0;",
        "                bottom:0;",
        "                right:0;",
        "                left:0;",
        "                }}",
        "            </style>",
        "",
        "            <script>",
        "                L_NO_TOUCH = false;",
        "                L_DISABLE_3D = false;",
        "            </script>",
        "",
        "        ",
        "</head>",
        "<body>",
        "    ",
        "    {panels}",
        "    ",
        '            <div class="folium-map" id="{map}" ></div>',
        "        ",
        "    ",
    ]
)

_MAP_SCRIPT = "\n".join(
    [
        "",
        "</body>",
        "<script>",
        "    ",
        "    ",
        "            var {map} = L.map(",
        '                "{map}",',
        "                {{",
        "                    center: [0.0, 0.0],",
        "                    crs: L.CRS.EPSG3857,",
        "                    ...{{",
        '  "zoom": 1,',
        '  "zoomControl": true,',
        '  "preferCanvas": false,',
        '  "zoomSnap": 0.25,',
        '  "worldCopyJump": false,',
        '  "attributionControl": false,',
        "}}",
        "",
        "                }}",
        "            );",
        "",
        "            ",
        "",
        "        ",
        "    ",
        "            var {pane} = {map}.createPane(",
        '                "tm-countries");',
        "            {pane}.style.zIndex = 250;",
        "            ",
        "                {pane}.style.pointerEvents = 'none';",
        "            ",
        "        ",
        "    ",
    ]
)

_END = "\n".join(
    [
        "",
        "</script>",
        "</html>",
    ]
)


def offline_page(layers: Layers, as_of: date | None = None, *, context: bool = True) -> str:
    """The whole page without web tiles, as ``html.render_html`` gives it; ``context``: with
    the rivers, lakes and cities under the data (``pagebasemap.context_data``)."""
    from .inline import in_own_task
    from .page_extras import SymbolTable, accessible_page
    from .pagebasemap import basemap_data, context_data

    key = layers.key or "tm"
    names = {"map": f"map_{key}{MAP_NUMBER:03d}", "pane": f"pane_{key}{PANE_NUMBER:03d}"}
    symbols = SymbolTable(key)
    page = page_for(layers, symbols, as_of)
    flows = in_own_task(f"troopmap.draw({names['map']}, {read_data('flows', key)});")
    countries = in_own_task(f"troopmap.countries({names['map']}, {read_data('countries', key)});")
    context_json = context_data(layers) if context else None
    if context:
        countries += "\n    " + in_own_task(
            f"troopmap.context({names['map']}, {read_data('context', key)});"
        )
    text = "".join(
        [
            _HEAD.format(
                head=head_html(layers, []),
                panels=panels_html(layers, symbols, page),
                map=names["map"],
            ),
            scripts_html(canvas=page.data["canvas"]),
            "\n",
            data_html(key, page.data, basemap_data(layers), context_json),
            _MAP_SCRIPT.format(**names),
            flows,
            "\n    ",
            countries,
            _END,
        ]
    )
    return accessible_page(text, layers)
