"""Unit symbols for the static renderer: the SVG that ``geo.symbol_svg`` draws, as matplotlib
paths, so PNG, SVG and PDF maps show the same APP-6 symbols as the page (vector, not an image).

    from geo.render.unit_symbols import add_symbol
    add_symbol(ax, "10031000161205010000", (x, y), height_pt=22)

The symbol keeps its size in points whatever the map's scale, centred on ``(x, y)`` in data
coordinates (or standing on it with ``anchor="bottom"``, as on the page).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ARC_STEPS = 16
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class Shape:
    """One filled and/or stroked outline of a symbol, in the symbol's own units (y down)."""

    vertices: tuple[tuple[float, float], ...]
    codes: tuple[int, ...]
    fill: str | None
    stroke: str | None
    stroke_width: float
    alpha: float
    dashes: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Label:
    """A letter or word inside a symbol (a few symbols have them)."""

    text: str
    x: float
    y: float
    size: float
    colour: str
    anchor: str


@lru_cache(maxsize=256)
def symbol_shapes(sidc: str) -> tuple[tuple[Shape | Label, ...], tuple[float, float, float, float]]:
    """The shapes of a symbol in drawing order, and its view box (x, y, width, height)."""
    from ..symbol_svg import draw_symbol

    drawing = draw_symbol(sidc)
    root = ET.fromstring(f"<svg>{drawing.body}</svg>")
    shapes: list[Shape | Label] = []
    for child in root:
        _collect(child, _IDENTITY, {}, shapes)
    return tuple(shapes), drawing.view_box


def add_symbol(
    ax: Axes,
    sidc: str,
    xy: tuple[float, float],
    height_pt: float = 22.0,
    *,
    anchor: str = "center",
    zorder: float = 6.0,
) -> list[Any]:
    """Draw a unit symbol on ``ax`` at ``xy`` (data coordinates), ``height_pt`` tall."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D, ScaledTranslation

    shapes, (vx, vy, vw, vh) = symbol_shapes(sidc)
    inches = height_pt / 72.0 / vh
    centre_y = vy + (vh if anchor == "bottom" else vh / 2)
    to_points = Affine2D().translate(-(vx + vw / 2), -centre_y).scale(inches, -inches)
    # ScaledTranslation maps xy through transData at draw time, so the symbol follows the
    # point if the axes' limits change afterwards (the stubs ask for an affine transform).
    at_point = ScaledTranslation(xy[0], xy[1], ax.transData)  # type: ignore[arg-type]
    transform = to_points + ax.figure.dpi_scale_trans + at_point
    artists: list[Any] = []
    for order, shape in enumerate(shapes):
        if isinstance(shape, Label):
            artists.append(
                ax.text(
                    shape.x,
                    shape.y,
                    shape.text,
                    transform=transform,
                    fontsize=shape.size * inches * 72,
                    color=shape.colour,
                    ha=shape.anchor,
                    va="baseline",
                    zorder=zorder + order * 1e-4,
                    clip_on=False,
                )
            )
            continue
        patch = PathPatch(
            MplPath(shape.vertices, shape.codes),
            transform=transform,
            facecolor=shape.fill or "none",
            edgecolor=shape.stroke or "none",
            linewidth=shape.stroke_width * inches * 72 if shape.stroke else 0,
            alpha=shape.alpha,
            zorder=zorder + order * 1e-4,
            clip_on=False,
            joinstyle="round",
            capstyle="butt",
        )
        if shape.dashes and shape.stroke:
            patch.set_linestyle(
                (0, tuple(d * inches * 72 / max(patch.get_linewidth(), 0.1) for d in shape.dashes))
            )
        ax.add_patch(patch)
        artists.append(patch)
    return artists


# --- SVG → shapes ------------------------------------------------------------------------------

_IDENTITY: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # a b c d e f, as in SVG's matrix()
_INHERITED = (
    "fill",
    "stroke",
    "stroke-width",
    "fill-opacity",
    "stroke-dasharray",
    "font-size",
    "text-anchor",
)


def _collect(
    element: ET.Element, matrix: tuple[float, ...], style: dict[str, str], out: list[Shape | Label]
) -> None:
    matrix = _multiply(matrix, _parse_transform(element.get("transform", "")))
    style = {**style, **{k: element.get(k, "") for k in _INHERITED if element.get(k)}}
    opacity = float(element.get("opacity", "1") or 1)
    if opacity <= 0:
        return
    tag = element.tag
    if tag == "g":
        for child in element:
            _collect(
                child,
                matrix,
                {**style, "opacity": str(float(style.get("opacity", "1")) * opacity)},
                out,
            )
        return
    if tag == "text":
        _text(element, matrix, style, out)
        return
    outline = _outline(tag, element)
    if outline is None:
        return
    vertices, codes = outline
    fill = style.get("fill", "#000000")
    stroke = style.get("stroke") or None
    alpha = float(style.get("opacity", "1")) * opacity * float(style.get("fill-opacity", "1"))
    out.append(
        Shape(
            vertices=tuple(_apply(matrix, x, y) for x, y in vertices),
            codes=tuple(codes),
            fill=None if fill in ("none", "") else fill,
            stroke=None if stroke in (None, "none") else stroke,
            stroke_width=float(style.get("stroke-width", "1") or 1) * _scale_of(matrix),
            alpha=max(0.0, min(1.0, alpha)),
            dashes=_dashes(style.get("stroke-dasharray", "")),
        )
    )


def _outline(tag: str, element: ET.Element) -> tuple[list[tuple[float, float]], list[int]] | None:
    number = lambda name: float(element.get(name, "0") or 0)  # noqa: E731
    if tag == "path":
        return _path_outline(element.get("d", ""))
    if tag in ("circle", "ellipse"):
        rx = number("r") if tag == "circle" else number("rx")
        ry = number("r") if tag == "circle" else number("ry")
        return _ellipse(number("cx"), number("cy"), rx, ry)
    if tag == "rect":
        x, y, w, h = number("x"), number("y"), number("width"), number("height")
        return (
            [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)],
            [_MOVETO, _LINETO, _LINETO, _LINETO, _CLOSE],
        )
    return None


_MOVETO, _LINETO, _CURVE3, _CURVE4, _CLOSE = 1, 2, 3, 4, 79  # matplotlib.path.Path codes


def _path_outline(d: str) -> tuple[list[tuple[float, float]], list[int]] | None:
    from svgpathtools import Arc, CubicBezier, Line, QuadraticBezier, parse_path

    try:
        path = parse_path(d)
    except Exception:
        return None
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for subpath in path.continuous_subpaths():
        if not len(subpath):
            continue
        vertices.append(_xy(subpath[0].start))
        codes.append(_MOVETO)
        for segment in subpath:
            if isinstance(segment, Line):
                vertices.append(_xy(segment.end))
                codes.append(_LINETO)
            elif isinstance(segment, CubicBezier):
                vertices.extend([_xy(segment.control1), _xy(segment.control2), _xy(segment.end)])
                codes.extend([_CURVE4] * 3)
            elif isinstance(segment, QuadraticBezier):
                vertices.extend([_xy(segment.control), _xy(segment.end)])
                codes.extend([_CURVE3] * 2)
            elif isinstance(segment, Arc):
                for step in range(1, ARC_STEPS + 1):
                    vertices.append(_xy(segment.point(step / ARC_STEPS)))
                    codes.append(_LINETO)
        if subpath.isclosed():
            vertices.append(vertices[-1])
            codes.append(_CLOSE)
    return (vertices, codes) if vertices else None


def _ellipse(
    cx: float, cy: float, rx: float, ry: float
) -> tuple[list[tuple[float, float]], list[int]] | None:
    if rx <= 0 or ry <= 0:
        return None
    # Four cubic Béziers, the usual approximation of an ellipse.
    k = 0.5522847498
    points = [(cx + rx, cy)]
    codes = [_MOVETO]
    for start in range(4):
        a0, a1 = start * math.pi / 2, (start + 1) * math.pi / 2
        p0 = (cx + rx * math.cos(a0), cy + ry * math.sin(a0))
        p3 = (cx + rx * math.cos(a1), cy + ry * math.sin(a1))
        c1 = (p0[0] - k * rx * math.sin(a0), p0[1] + k * ry * math.cos(a0))
        c2 = (p3[0] + k * rx * math.sin(a1), p3[1] - k * ry * math.cos(a1))
        points.extend([c1, c2, p3])
        codes.extend([_CURVE4] * 3)
    points.append(points[-1])
    codes.append(_CLOSE)
    return points, codes


def _text(
    element: ET.Element, matrix: tuple[float, ...], style: dict[str, str], out: list[Shape | Label]
) -> None:
    text = "".join(element.itertext()).strip()
    if not text:
        return
    x, y = _apply(matrix, float(element.get("x", "0") or 0), float(element.get("y", "0") or 0))
    size = _first_number(style.get("font-size", "")) or 12.0
    anchor = {"middle": "center", "end": "right"}.get(style.get("text-anchor", ""), "left")
    fill = style.get("fill", "#000000")
    out.append(
        Label(
            text,
            x,
            y,
            size * _scale_of(matrix),
            "#000000" if fill in ("none", "") else fill,
            anchor,
        )
    )


def _xy(point: complex) -> tuple[float, float]:
    return (float(point.real), float(point.imag))


def _first_number(text: str) -> float | None:
    found = re.search(_NUMBER, text)
    return float(found.group(0)) if found else None


def _dashes(text: str) -> tuple[float, ...] | None:
    values = tuple(float(v) for v in re.findall(_NUMBER, text))
    return values if values and any(values) else None


def _parse_transform(text: str) -> tuple[float, ...]:
    matrix = _IDENTITY
    step: tuple[float, ...]
    for name, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        values = [float(v) for v in re.findall(_NUMBER, arguments)]
        if name == "matrix" and len(values) == 6:
            step = tuple(values)
        elif name == "translate" and values:
            step = (1, 0, 0, 1, values[0], values[1] if len(values) > 1 else 0)
        elif name == "scale" and values:
            step = (values[0], 0, 0, values[1] if len(values) > 1 else values[0], 0, 0)
        elif name == "rotate" and values:
            angle = math.radians(values[0])
            cos, sin = math.cos(angle), math.sin(angle)
            step = (cos, sin, -sin, cos, 0, 0)
            if len(values) == 3:
                cx, cy = values[1], values[2]
                step = _multiply(_multiply((1, 0, 0, 1, cx, cy), step), (1, 0, 0, 1, -cx, -cy))
        else:
            continue
        matrix = _multiply(matrix, step)
    return matrix


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def _scale_of(m: tuple[float, ...]) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
