"""The folium and branca elements of the page, defined once: the map without folium's CDN
links, and elements that put our text and scripts into the page verbatim (never through a
template, so nothing from a CSV is ever evaluated).

This module imports folium, which is slow to import: import it only when a page is made with
folium (a page with web tiles; the offline page is written without it, ``page.py``).
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, MacroElement

from .inline import in_own_task


class OfflineMap(folium.Map):
    """folium's Map without its CDN links: Leaflet is inlined in the page's head."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium reads it per class
    default_css: list[tuple[str, str]] = []  # noqa: RUF012


class Raw(Element):
    """An element that renders exactly ``text`` (no template processing of inlined code)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class AtRender(Element):
    """Text put at the end of the figure's ``part`` (its body's ``html`` or its ``script``)
    when the page is rendered: after what the map adds to them only then (its element, its
    layers' scripts)."""

    def __init__(self, part: str, text: str):
        super().__init__()
        self.part = part
        self.text = text

    def render(self, **kwargs: Any) -> str:
        figure: Any = self.get_root()
        getattr(figure, self.part).add_child(Raw(self.text), name=self.get_name())
        return ""


class ScriptLayer(MacroElement):
    """``function(map, data);`` added to the page verbatim, never through a template."""

    def __init__(self, name: str, function: str, payload: str):
        super().__init__()
        self._name = name
        self.function = function
        self.payload = payload

    def render(self, **kwargs: Any) -> str:
        parent: Any = self._parent  # the map this layer was added to
        script = in_own_task(f"{self.function}({parent.get_name()}, {self.payload});")
        figure: Any = self.get_root()
        figure.script.add_child(Raw(script), name=self.get_name())
        return ""
