"""Small drawing pieces shared by the marks, labels, legend and scale bar: line parts, dash
patterns, colours with alpha, arrowheads and the white halo behind a text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...cartography import PLANNED_LOOK

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox

    from .figure import Style

Point = tuple[float, float]


@dataclass
class Marks:
    """What has been drawn on the map and must stay visible."""

    points: list[Point] = field(default_factory=list)  # features the legend should not cover
    keep_clear: list[Bbox] = field(default_factory=list)  # what labels must not cover (pixels)
    flows: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)  # lines and rows
    flow_tree: Any = None  # an STRtree of the flows' outlines (map units), for labels

    def add(self, other: Marks) -> None:
        self.points += other.points
        self.keep_clear += other.keep_clear
        self.flows += other.flows
        if other.flow_tree is not None:
            self.flow_tree = other.flow_tree


def parts(geometry: Any, kind: str = "LineString") -> list[Any]:
    """The pieces of one ``kind`` (lines, or "Polygon") of a geometry, a multi-geometry or a
    collection, without empty pieces or pieces of another kind."""
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == kind:
        return [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in parts(g, kind)]
    return []


def trim_for_head(line: Any, width_pt: float, style: Style, per_pt: float) -> tuple[Any, Any]:
    """The line cut back to the base of its arrowhead, and the head (a triangle, map units).

    Sized as on the HTML map: at least 9 × 6 pixels, longer and wider for wider lines.
    """
    import numpy as np
    from shapely import LineString
    from shapely.ops import substring

    width_px = width_pt / style.px(1.0)
    length = style.px(max(9.0, width_px * 2.2)) * per_pt
    half = style.px(max(6.0, width_px * 1.5)) * per_pt
    coords = np.asarray(line.coords)
    tip = coords[-1]
    total = line.length
    if total <= length * 1.05:
        length = total * 0.5
        half = min(half, length * 0.7)
    base_point = line.interpolate(total - length)
    direction = tip - np.array([base_point.x, base_point.y])
    norm = float(np.hypot(*direction)) or 1.0
    ux, uy = direction / norm
    base = tip - np.array([ux, uy]) * length
    left = base + np.array([-uy, ux]) * half
    right = base + np.array([uy, -ux]) * half
    trimmed = substring(line, 0.0, max(0.0, total - length + per_pt * 0.5))
    if trimmed.geom_type != "LineString" or len(trimmed.coords) < 2:
        trimmed = LineString([coords[0], base])
    return trimmed, np.array([tip, left, right])


def halos(texts: Sequence[Any], colour: str = "white") -> list[Any]:
    """A white outline behind each text, drawn by a twin so the text itself stays text in SVG
    and PDF (matplotlib turns a text with an outline effect into shapes)."""
    from matplotlib import patheffects

    twins = []
    for text in texts:
        twin = text.axes.text(
            *text.get_position(),
            text.get_text(),
            transform=text.get_transform(),
            ha=text.get_ha(),
            va=text.get_va(),
            fontsize=text.get_fontsize(),
            fontweight=text.get_fontweight(),
            color=colour,
            zorder=text.get_zorder() - 0.01,
        )
        twin.set_path_effects(
            [patheffects.Stroke(linewidth=max(1.5, text.get_fontsize() * 0.3), foreground=colour)]
        )
        twins.append(twin)
    return twins


def dashes(width_pt: float) -> tuple[float, float]:
    """On-off lengths in points, as the HTML map draws them (longer for wider lines)."""
    return (max(3.0, width_pt * 1.6), max(2.25, width_pt * 1.0))


def planned_dashes(width_pt: float) -> tuple[float, float]:
    """On-off lengths in points of a planned movement (``layers.PLANNED_LOOK``)."""
    return (max(1.5, width_pt * PLANNED_LOOK["dash"]), max(2.0, width_pt * PLANNED_LOOK["gap"]))


def with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)
