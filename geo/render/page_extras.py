"""The parts of the HTML page that help a reader read the map: the timeline's data, the unit
symbols (defined once in the page, drawn by ``units.js``), the legend's notes about dates and
frames, and the scripts and styles that go with them.

``geo.render.pageparts`` and ``geo.render.panels`` call these; they read only the geo layer.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from .. import language
from ..language import N_
from ..timeline import timeline_span
from .inline import ascii_html
from .pagetables import COORD_DIGITS

if TYPE_CHECKING:
    from ..layers import Layers

SCRIPTS = (
    "units.js",
    "timeline.js",
    "navigate.js",
    "labels.js",
    "layout.js",
    "download.js",
)  # after troopmap.js, in this order
STYLES = ("controls.css",)
FRAME_WORDS = {
    "friend": N_("friend"),
    "hostile": N_("hostile"),
    "neutral": N_("neutral"),
    "unknown": N_("unknown (no side taken)"),
}
_FRAME_IDENTITY = {"friend": "3", "hostile": "6", "neutral": "4", "unknown": "1"}
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
_MAP_DIV = re.compile(r'<div class="folium-map" id="([^"]+)"\s*>\s*</div>')


class SymbolTable:
    """The unit symbols one map uses, each stored once; movements refer to them by index."""

    def __init__(self, key: str):
        self.key = key
        self.sidcs: list[str] = []
        self.names: list[str] = []

    def index(self, sidc: str, name: str) -> int:
        if sidc not in self.sidcs:
            self.sidcs.append(sidc)
            self.names.append(name)
        return self.sidcs.index(sidc)

    def element_id(self, index: int) -> str:
        return f"tm-sym-{self.key}-{index}"

    def frame_id(self, affiliation: str) -> str:
        return f"tm-frame-{self.key}-{affiliation}"

    def as_json(self) -> list[dict[str, Any]]:
        from ..symbol_svg import draw_symbol

        return [
            {"id": self.element_id(i), "name": name, "vb": draw_symbol(sidc).view_box_text}
            for i, (sidc, name) in enumerate(zip(self.sidcs, self.names, strict=True))
        ]

    def affiliations(self) -> list[str]:
        used = {_affiliation_of(sidc) for sidc in self.sidcs}
        return [a for a in FRAME_WORDS if a in used]

    def sprite(self) -> str:
        """One hidden ``<svg>`` defining every symbol used, and a blank frame per affiliation
        for the legend."""
        if not self.sidcs:
            return ""
        from ..symbol_svg import draw_symbol

        symbols = [
            draw_symbol(sidc).symbol_element(self.element_id(i))
            for i, sidc in enumerate(self.sidcs)
        ]
        for affiliation in self.affiliations():
            frame = f"100{_FRAME_IDENTITY[affiliation]}1000000000000000"
            symbols.append(draw_symbol(frame).symbol_element(self.frame_id(affiliation)))
        return (
            '<svg class="tm-symbol-defs" aria-hidden="true" focusable="false" width="0" '
            'height="0">' + "".join(symbols) + "</svg>"
        )


def _affiliation_of(sidc: str) -> str:
    return {"3": "friend", "2": "friend", "6": "hostile", "5": "hostile", "4": "neutral"}.get(
        sidc[3], "unknown"
    )


def timeline_config(layers: Layers, start: date | None = None) -> dict[str, Any] | None:
    """First and last day of the timeline, the day the page opens on (``start``, else the map's
    "as of" day, else the last), and the id of the "As of" line that follows the slider."""
    span = timeline_span(layers.movements)
    if span is None:
        return None
    opening = start or layers.as_of
    if opening is not None:
        opening = min(max(opening, span[0]), span[1])
    return {
        "first": span[0].isoformat(),
        "last": span[1].isoformat(),
        "start": opening.isoformat() if opening else None,
        "key": layers.key or "map",
        "asOf": as_of_id(layers),
    }


def as_of_id(layers: Layers) -> str:
    """The id of the page's "As of" line."""
    return f"tm-asof-{layers.key or 'map'}"


def unit_markers(
    layers: Layers, movement_index: dict[str, int], symbols: SymbolTable
) -> list[dict[str, Any]]:
    """Where each unit symbol stands: its destinations and, when it moves, its origin."""
    import numpy as np

    units: dict[str, dict[str, Any]] = {}

    def entry(row: Any) -> dict[str, Any]:
        return units.setdefault(
            row["movement"],
            {
                "m": movement_index[row["movement"]],
                "y": symbols.index(row["sidc"], row["symbol_name"]),
                "at": [],
                "from": None,
            },
        )

    flows = layers.legs.table
    if len(flows) and "sidc" in flows:
        starts, ends = layers.legs.ends()
        for leg in np.flatnonzero(flows["sidc"].to_numpy() != ""):
            row = flows.iloc[leg]
            if row["leg"] in ("direct", "trunk"):
                entry(row)["from"] = _latlng(tuple(starts[leg].tolist()))
            if row["leg"] in ("direct", "branch"):
                entry(row)["at"].append(_latlng(tuple(ends[leg].tolist())))
    stations = layers.stations
    if len(stations) and "sidc" in stations:
        for _, row in stations[stations["sidc"] != ""].iterrows():
            entry(row)["at"].append(_latlng((row.geometry.x, row.geometry.y)))
    return list(units.values())


def _latlng(point: tuple[float, ...]) -> list[float]:
    return [round(point[1], COORD_DIGITS), round(point[0], COORD_DIGITS)]


def legend_notes(layers: Layers, symbols: SymbolTable) -> str:
    """Legend sections about time (when there is a timeline) and about the symbols' frames."""
    words = language.words()
    parts = []
    if timeline_span(layers.movements) is not None:
        notes = []
        if any(m.date is None for m in layers.movements):
            notes.append(words("Undated movements are always shown."))
        if any(m.date and m.date.is_range and not m.reported for m in layers.movements):
            notes.append(words("Exercise windows show only between their dates."))
        if any(m.date and not m.reported for m in layers.movements):
            notes.append(words("Dated movements show from their date."))
        if any(m.reported for m in layers.movements):
            notes.append(
                words(
                    "Movements show from the day they were reported; a window leaves "
                    "the map after its last day."
                )
            )
        title = escape(words("Timeline"))
        items = "".join(f"<li>{escape(note)}</li>" for note in notes)
        parts.append(f"<h2>{title}</h2><ul>{items}</ul>")
    if symbols.sidcs:
        frames = []
        for affiliation in symbols.affiliations():
            frames.append(
                '<li><svg width="26" height="26" aria-hidden="true" focusable="false">'
                f'<use href="#{symbols.frame_id(affiliation)}">'
                f"</use></svg>{escape(words(FRAME_WORDS[affiliation]))}</li>"
            )
        title = escape(words("Unit symbols (APP-6)"))
        parts.append(f"<h2>{title}</h2><ul>" + "".join(frames) + "</ul>")
    return "".join(parts)


def accessible_page(page: str, layers: Layers) -> str:
    """The rendered page, made readable by assistive technology: the map (and the controls the
    scripts add before it) inside a ``<main>`` landmark, the map described by the summary, and
    a viewport that lets readers zoom (folium's forbids it).

    Only the start of the page, up to the map's element, is edited: the page is copied once,
    however large its data."""
    found = _MAP_DIV.search(page)
    end = found.end() if found else 0
    words = language.words()
    direction = f' dir="{words.direction}"' if words.direction == "rtl" else ""
    start = page[:end].replace("<html>", f'<html lang="{words.code}"{direction}>', 1)
    start = _VIEWPORT.sub(VIEWPORT, start, count=1)

    title = ascii_html(escape(words("Map: {title}", title=layers.title), quote=True))

    def wrap(match: re.Match[str]) -> str:
        return (
            f'<main class="tm-main"><div class="folium-map" id="{match.group(1)}" '
            f'role="region" aria-label="{title}" '
            f'aria-describedby="{summary_id(layers)}"></div></main>'
        )

    return _MAP_DIV.sub(wrap, start, count=1) + page[end:]


def summary_id(layers: Layers) -> str:
    return f"tm-summary-{layers.key}"
