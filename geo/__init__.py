"""troopmap: turn a spreadsheet of force movements into a map you can publish.

The pipeline runs one way, and each step can be used alone::

    import geo
    dataset = geo.load("movements.csv")            # read and check the CSV
    layers = geo.build_layers(dataset)               # resolve places, draw flows
    geo.write(layers, "outputs/map.html")            # or .png, .svg, ...

Heavy libraries are imported on first use, so ``import geo`` is quick.
"""

from __future__ import annotations

from typing import Any

from .errors import DataError, Problem, TroopmapError, UsageError

__all__ = [
    "DataError",
    "Gazetteer",
    "Problem",
    "TroopmapError",
    "UsageError",
    "build_layers",
    "layers_as_of",
    "load",
    "read_movements",
    "render_html",
    "write",
]

_LAZY = {
    "load": ("pipeline", "load"),
    "write": ("pipeline", "write"),
    "read_movements": ("dataset", "read_movements"),
    "Gazetteer": ("gazetteer", "Gazetteer"),
    "build_layers": ("layers", "build_layers"),
    "layers_as_of": ("timeline", "layers_as_of"),
    "render_html": ("render.html", "render_html"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attribute)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
