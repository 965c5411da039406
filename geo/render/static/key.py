"""The static map's legend: ``geo.legend``'s key of the map (who is which colour, reference
widths and circles, the strokes of statuses, the notes) formatted with matplotlib, in the
corner of the map that hides the fewest features.

A map in a language written right to left has its key mirrored, as its page has: the left
corners first, each drawing at the right of its words, the words aligned at the right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ... import language
from ...cartography import OPACITY, PLANNED_LOOK
from ...legend import either
from ...theme import LIGHT
from .drawing import dashes, planned_dashes, with_alpha

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox

    from ...layers import Layers
    from ...legend import Legend, Stroke
    from .figure import Style
    from .projection import MapFrame

CORNERS = ("lower right", "lower left", "upper right", "upper left")  # in order of preference
MIRRORED = {"left": "right", "right": "left"}
KEY_GREY = LIGHT.muted  # the light theme's; a map takes its theme's (geo.theme)


@dataclass(frozen=True)
class PlacedLegend:
    """The legend on the map: its box (display pixels) and the corner it sits in."""

    box: Bbox
    corner: str


def draw_legend(
    frame: MapFrame, renderer: Any, key: Layers, points: Sequence[tuple[float, float]]
) -> PlacedLegend:
    """The legend of ``key`` in the corner that covers the fewest of ``points`` (map units)."""
    from ...legend import legend_for

    content = legend_content(legend_for(key, one_day=True), key, frame.style)
    display: list[tuple[float, float]] = (
        [tuple(p) for p in frame.ax.transData.transform(points)] if points else []
    )
    scores = []
    for rank, corner in enumerate(corners(language.words().direction)):
        trial = _anchored(frame.ax, content, corner, frame.style.theme.paper)
        extent = trial.get_window_extent(renderer)
        scores.append((sum(1 for p in display if extent.contains(*p)), rank, corner))
        trial.remove()
    corner = min(scores)[2]
    placed = _anchored(frame.ax, content, corner, frame.style.theme.paper)
    return PlacedLegend(placed.get_window_extent(renderer), corner)


def corners(direction: str) -> tuple[str, ...]:
    """The corners in order of preference: for a language written right to left (``rtl``),
    the left ones first, where its page shows its key."""
    if direction != "rtl":
        return CORNERS
    return tuple(" ".join(MIRRORED.get(w, w) for w in corner.split()) for corner in CORNERS)


def _anchored(ax: Any, content: Any, corner: str, paper: str = "white") -> Any:
    from matplotlib.offsetbox import AnchoredOffsetbox

    anchored = AnchoredOffsetbox(loc=corner, child=content, pad=0.35, borderpad=0.6, frameon=True)
    anchored.patch.set_boxstyle("round,pad=0,rounding_size=0.4")
    anchored.patch.set_facecolor(paper)
    anchored.patch.set_alpha(0.94)
    anchored.patch.set_edgecolor("#bbbbbb")
    anchored.patch.set_linewidth(0.5)
    anchored.set_zorder(7)
    ax.add_artist(anchored)
    return anchored


def legend_content(legend: Legend, key: Layers, style: Style) -> Any:
    """The legend's sections: who, troops moving, troops stationed, status.

    Widths and radii are drawn at ``key``'s own scale (``Layers.width_for``/``radius_for``),
    unrounded, as the map draws its flows and circles."""
    from matplotlib.offsetbox import VPacker

    words = language.words()
    rows = _Rows(style, rtl=words.direction == "rtl")
    sections: list[Any] = [rows.heading(words("Who"))]
    sections += [rows.row(rows.swatch(s.colour), s.label) for s in legend.actors]
    if legend.widths:
        sections.append(rows.heading(words("Troops moving")))
        sections += [
            rows.row(rows.width(style.px(key.width_for(w.troops))), w.label) for w in legend.widths
        ]
    if legend.radii:
        sections.append(rows.heading(words("Troops stationed")))
        sections += [
            rows.row(rows.circle(style.px(key.radius_for(r.troops))), r.label) for r in legend.radii
        ]
    notes = [rows.row(rows.stroke(s), stroke_words(s, legend)) for s in _stroke_order(legend)]
    notes += [rows.text(note.replace(": ", ":\n", 1)) for note in legend.notes]
    if notes:
        sections += [rows.heading(words("Status")), *notes]
    return VPacker(children=sections, align=rows.align, pad=0, sep=style.small * 0.35)


def stroke_words(stroke: Stroke, legend: Legend) -> str:
    """What a stroke stands for on the static map: every status drawn that way ("announced or
    claimed"), as the map's rule has it, or the words of a plan."""
    if stroke.dashed:
        return either(tuple(legend.rules["dashed"]))
    if stroke.faded:
        return either(tuple(legend.rules["faded"]))
    return stroke.label


def _stroke_order(legend: Legend) -> list[Stroke]:
    """Dashed, then planned (short dashes, beside the dashes they resemble), then faded."""
    return sorted(legend.strokes, key=lambda s: (not s.dashed, not s.planned))


class _Rows:
    """The pieces of the legend, sized for one figure; ``rtl``: laid out right to left."""

    def __init__(self, style: Style, rtl: bool = False):
        self.style = style
        self.rtl = rtl
        self.align: Literal["left", "right"] = "right" if rtl else "left"  # the rows' edge
        self.fontsize = style.small
        self.key_width = max(30.0, style.px(44))
        self.text_props: dict[str, Any] = {"fontsize": self.fontsize, "color": style.theme.ink}
        if rtl:
            self.text_props["multialignment"] = "right"
        self.head_props = {
            "fontsize": self.fontsize * 0.92,
            "color": style.theme.heading,
            "fontweight": "bold",
        }

    def row(self, drawing: Any, text: str) -> Any:
        from matplotlib.offsetbox import HPacker, TextArea

        words = TextArea(text, textprops=self.text_props)
        return HPacker(
            children=[words, drawing] if self.rtl else [drawing, words],
            align="center",
            pad=0,
            sep=self.fontsize * 0.6,
        )

    def heading(self, text: str) -> Any:
        from matplotlib.offsetbox import TextArea

        return TextArea(text.upper(), textprops=self.head_props)

    def text(self, text: str) -> Any:
        from matplotlib.offsetbox import TextArea

        return TextArea(text, textprops=self.text_props)

    def swatch(self, colour: str) -> Any:
        from matplotlib.offsetbox import DrawingArea
        from matplotlib.patches import Rectangle

        fontsize = self.fontsize
        area = DrawingArea(fontsize * 0.9, fontsize * 1.1, 0, 0)
        area.add_artist(
            Rectangle(
                (0, fontsize * 0.1),
                fontsize * 0.9,
                fontsize * 0.9,
                facecolor=colour,
                edgecolor="none",
            )
        )
        return area

    def width(self, width: float) -> Any:
        from matplotlib.lines import Line2D
        from matplotlib.offsetbox import DrawingArea

        height = max(self.fontsize * 1.1, width + 2)
        area = DrawingArea(self.key_width, height, 0, 0)
        area.add_artist(
            Line2D(
                [1, self.key_width - 1],
                [height / 2, height / 2],
                color=self.style.theme.muted,
                linewidth=width,
                solid_capstyle="butt",
            )
        )
        return area

    def circle(self, radius: float) -> Any:
        from matplotlib.offsetbox import DrawingArea
        from matplotlib.patches import Circle

        side = 2 * radius + 2
        area = DrawingArea(max(self.key_width, side), side, 0, 0)
        area.add_artist(
            Circle(
                (max(self.key_width, side) / 2, side / 2),
                radius,
                facecolor=with_alpha("#999999", 0.3),
                edgecolor=self.style.theme.muted,
                linewidth=self.style.px(1.0),
            )
        )
        return area

    def stroke(self, stroke: Stroke) -> Any:
        """A short line drawn as the map draws the movements of ``stroke``."""
        from matplotlib.lines import Line2D
        from matplotlib.offsetbox import DrawingArea

        width = self.style.px(3)
        look: dict[str, Any] = (
            {"dashes": dashes(width * 1.4)}
            if stroke.dashed
            else {"alpha": PLANNED_LOOK["opacity"], "dashes": planned_dashes(width * 1.4)}
            if stroke.planned
            else {"alpha": OPACITY["faded"]}
        )
        area = DrawingArea(self.key_width, self.fontsize * 1.1, 0, 0)
        area.add_artist(
            Line2D(
                [1, self.key_width - 1],
                [self.fontsize * 0.55] * 2,
                color=self.style.theme.muted,
                linewidth=width,
                **look,
            )
        )
        return area
