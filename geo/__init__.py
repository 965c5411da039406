"""troopmap: turn a spreadsheet of force movements into a map you can publish.

The pipeline runs one way, and each step can be used alone::

    import geo
    dataset = geo.load("movements.csv")            # read and check the CSV
    layers = geo.build_layers(dataset)               # resolve places, draw flows
    geo.write(layers, "outputs/map.html")            # or .png, .svg, .pdf, .geojson, .gpkg

    m = geo.Map("movements.csv")                     # all of it in one object; in Jupyter,
    m                                                # it shows itself

Heavy libraries are imported on first use, so ``import geo`` is quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import DataError, Problem, TroopmapError, UsageError

if TYPE_CHECKING:  # what the lazy names below are, for type checkers and editors
    from .mapview import Map
    from .render import Options
    from .render.embed import iframe_snippet, render_fragment
    from .render.export import export_layers, render_geojson
    from .render.geopackage import write_geopackage
    from .render.static import render_static

__all__ = [
    "DataError",
    "Gazetteer",
    "Map",
    "Options",
    "Problem",
    "TroopmapError",
    "UsageError",
    "build_layers",
    "export_layers",
    "iframe_snippet",
    "layers_as_of",
    "load",
    "read_movements",
    "read_style",
    "render_fragment",
    "render_geojson",
    "render_html",
    "render_static",
    "resolve_places",
    "write",
    "write_geopackage",
]

_LAZY = {
    "load": ("pipeline", "load"),
    "write": ("pipeline", "write"),
    "read_movements": ("dataset", "read_movements"),
    "read_style": ("style", "read_style"),
    "Gazetteer": ("gazetteer", "Gazetteer"),
    "build_layers": ("layers", "build_layers"),
    "layers_as_of": ("layers", "layers_as_of"),
    "render_html": ("render.html", "render_html"),
    "resolve_places": ("layers", "resolve_places"),
    "Map": ("mapview", "Map"),
    "Options": ("render", "Options"),
    "render_static": ("render.static", "render_static"),
    "render_fragment": ("render.embed", "render_fragment"),
    "iframe_snippet": ("render.embed", "iframe_snippet"),
    "render_geojson": ("render.export", "render_geojson"),
    "write_geopackage": ("render.geopackage", "write_geopackage"),
    "export_layers": ("render.export", "export_layers"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attribute)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
