"""Unit symbols drawn as SVG by ``military-symbol``, cleaned so the markup is safe to inline in a
page: only drawing elements and presentation attributes are kept."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .symbol_package import _package, _quiet

_SVG_TAGS = {
    "svg",
    "g",
    "path",
    "circle",
    "ellipse",
    "rect",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
}
_SVG_ATTRIBUTES = {
    "d",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "width",
    "height",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linejoin",
    "stroke-linecap",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "viewBox",
}
_SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class SymbolDrawing:
    """A symbol drawn as SVG: the inner markup and the view box it is drawn in."""

    sidc: str
    view_box: tuple[float, float, float, float]
    body: str

    @property
    def view_box_text(self) -> str:
        return " ".join(_number(v) for v in self.view_box)

    def svg(self, height: float = 48, title: str = "") -> str:
        """A standalone ``<svg>`` element (for a report, a legend or a test)."""
        width = height * self.view_box[2] / self.view_box[3]
        label = f"<title>{_escape(title)}</title>" if title else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{self.view_box_text}" '
            f'width="{_number(width)}" height="{_number(height)}">{label}{self.body}</svg>'
        )

    def symbol_element(self, element_id: str) -> str:
        """A ``<symbol>`` to define once in a page and draw many times with ``<use>``."""
        return (
            f'<symbol id="{_escape(element_id)}" viewBox="{self.view_box_text}">'
            f"{self.body}</symbol>"
        )


@functools.lru_cache(maxsize=256)
def draw_symbol(sidc: str) -> SymbolDrawing:
    """Draw a checked SIDC as SVG (light fill, white halo) with military-symbol.

    Only drawing elements and presentation attributes are kept, so the markup is safe to
    inline in a page; the view box is the package's symbol canvas, the same for every
    symbol, so frames of all symbols have the same size.
    """
    _, _, military_symbol = _package()
    schema = _package()[0]
    with _quiet():
        symbol = military_symbol(schema).create_from_sidc(sidc)
        if symbol is None:
            raise ValueError(f"cannot read {sidc}")
        # pixel_padding < 0: no cropping (cropping writes a temporary file in the working folder)
        markup = symbol.get_svg(style="light", pixel_padding=-1, use_background=True)
    root = ET.fromstring(markup)
    x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    body = "".join(_clean(child) for child in root)
    if not body:
        raise ValueError(f"nothing drawn for {sidc}")
    return SymbolDrawing(sidc, (x, y, width, height), body)


def _clean(element: ET.Element) -> str:
    """Serialise an SVG element keeping only drawing elements and presentation attributes."""
    tag = element.tag.removeprefix(_SVG_NS)
    if tag not in _SVG_TAGS:
        return ""
    attributes = "".join(
        f' {name}="{_escape(value)}"'
        for name, value in element.attrib.items()
        if name in _SVG_ATTRIBUTES and "url(" not in value.lower()
    )
    inner = _escape(element.text.strip()) if element.text and element.text.strip() else ""
    inner += "".join(_clean(child) for child in element)
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else f"<{tag}{attributes}/>"


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
