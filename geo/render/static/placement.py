"""Label placement: each label goes at the first of its candidate spots where it stays inside
the frame and covers no other label, no mark, the legend or the scale bar (and, where asked, no
flow); a required label that fits nowhere takes the least bad spot.

    labeller = Labeller(frame, figure, renderer, keep_clear=..., flow_tree=...)
    placed = labeller.place_text(anchor, lines, candidates)   # a Placed, or None
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .drawing import halos

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

    from .projection import MapFrame

Candidate = tuple[float, float, str, str]  # offset (points) and alignment


@dataclass(frozen=True)
class Placed:
    """A label put on the map: its box (display pixels) and its artists (halos included)."""

    extent: Bbox
    artists: list[Any]


class Labeller:
    """Puts labels on one map, each clear of those placed before it."""

    def __init__(
        self,
        frame: MapFrame,
        figure: Figure,
        renderer: Any,
        *,
        keep_clear: Sequence[Bbox] = (),
        flow_tree: Any = None,
    ):
        self.frame, self.ax, self.figure, self.renderer = frame, frame.ax, figure, renderer
        self.keep_clear = list(keep_clear)  # things labels should not cover (legend, marks)
        self.flow_tree = flow_tree  # the flows' outlines (map units), or None
        self.placed: list[Bbox] = []  # label boxes already on the map (display pixels)

    def covers_flow(self, box: Bbox) -> bool:
        """Whether a label's box (display pixels) would hide part of a flow."""
        from shapely import box as shapely_box

        if self.flow_tree is None:
            return False
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y1)]
        )
        return len(self.flow_tree.query(shapely_box(x0, y0, x1, y1), predicate="intersects")) > 0

    def withdraw(self, placed: Placed) -> None:
        """Take a label off the map again (a country name that does not fit its country)."""
        index = next(i for i, box in enumerate(self.placed) if box is placed.extent)
        del self.placed[index]
        for artist in placed.artists:
            artist.remove()

    def _fits(self, box: Bbox, *, avoid_flows: bool = False, inside_pad: float = 2.0) -> bool:
        frame = self.ax.get_window_extent(self.renderer)
        if (
            box.x0 < frame.x0 + inside_pad
            or box.x1 > frame.x1 - inside_pad
            or box.y0 < frame.y0 + inside_pad
            or box.y1 > frame.y1 - inside_pad
        ):
            return False
        if any(box.overlaps(other) for other in [*self.placed, *self.keep_clear]):
            return False
        return not (avoid_flows and self.covers_flow(box))

    def place_text(
        self,
        anchor: tuple[float, float],
        lines: Sequence[tuple[str, dict[str, Any]]],
        candidates: Iterable[Candidate],
        *,
        box: dict[str, Any] | None = None,
        halo: bool = False,
        required: bool = True,
        avoid_flows: bool = False,
        zorder: float = 6,
    ) -> Placed | None:
        """Put a block of text lines near ``anchor`` (map units) at the first candidate offset
        (points, alignment) where it neither leaves the frame nor covers another label.

        If none fits and the label is required, the least bad candidate inside the frame is
        used; an optional label (a country name) is left out instead.
        """
        from matplotlib.transforms import Bbox, offset_copy

        best: tuple[float, list[Any], Bbox] | None = None
        for dx, dy, ha, va in candidates:
            artists = []
            step = 0.0
            for text, props in lines:
                transform = offset_copy(
                    self.ax.transData, fig=self.figure, x=dx, y=dy - step, units="points"
                )
                artist = self.ax.text(
                    anchor[0],
                    anchor[1],
                    text,
                    transform=transform,
                    ha=ha,
                    va=va,
                    zorder=zorder,
                    **props,
                )
                if box:
                    artist.set_bbox(box)
                artists.append(artist)
                step += props.get("fontsize", 8) * 1.15
            extent = Bbox.union([a.get_window_extent(self.renderer) for a in artists])
            if box:
                extent = extent.padded(2)
            if self._fits(extent, avoid_flows=avoid_flows):
                if best is not None:
                    for artist in best[1]:
                        artist.remove()
                self.placed.append(extent)
                return Placed(
                    extent, artists + (halos(artists, self.frame.style.theme.halo) if halo else [])
                )
            penalty = self._penalty(extent) + (
                1.0 if avoid_flows and self.covers_flow(extent) else 0.0
            )
            if best is None or penalty < best[0]:
                if best is not None:
                    for artist in best[1]:
                        artist.remove()
                best = (penalty, artists, extent)
            else:
                for artist in artists:
                    artist.remove()
        if best is None:
            return None
        if required and best[0] < 1e9:
            self.placed.append(best[2])
            return Placed(
                best[2], best[1] + (halos(best[1], self.frame.style.theme.halo) if halo else [])
            )
        for artist in best[1]:
            artist.remove()
        return None

    def _penalty(self, box: Bbox) -> float:
        frame = self.ax.get_window_extent(self.renderer)
        if box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or box.y1 > frame.y1:
            return 1e9
        overlap = 0.0
        for other in [*self.placed, *self.keep_clear]:
            w = min(box.x1, other.x1) - max(box.x0, other.x0)
            h = min(box.y1, other.y1) - max(box.y0, other.y0)
            if w > 0 and h > 0:
                overlap += w * h
        return overlap


def around(gap: float) -> list[Candidate]:
    """Offsets (points) and alignments: right, left, above, below, then the diagonals."""
    return [
        (gap, 0, "left", "center"),
        (-gap, 0, "right", "center"),
        (0, gap, "center", "bottom"),
        (0, -gap, "center", "top"),
        (gap * 0.8, gap * 0.8, "left", "bottom"),
        (-gap * 0.8, gap * 0.8, "right", "bottom"),
        (gap * 0.8, -gap * 0.8, "left", "top"),
        (-gap * 0.8, -gap * 0.8, "right", "top"),
    ]


def label_box(paper: str = "white") -> dict[str, Any]:
    """The box behind a figure's label, of the map's paper colour."""
    return {
        "boxstyle": "round,pad=0.25,rounding_size=0.2",
        "facecolor": paper,
        "edgecolor": "none",
        "alpha": 0.9,
    }
