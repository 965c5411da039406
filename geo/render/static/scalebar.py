"""The scale bar: a round number of kilometres, in a bottom corner the legend leaves free."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import language
from .drawing import halos

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox

    from .projection import MapFrame


def draw_scale_bar(frame: MapFrame, renderer: Any, legend_corner: str) -> Bbox:
    """A bar of a round number of kilometres, in the bottom corner the legend leaves free;
    returns its box (display pixels)."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    ax, style = frame.ax, frame.style
    words = language.words()
    x0, _y0, x1, _y1 = frame.view()
    target_km = (x1 - x0) / 1000 / 6
    nice = [v * 10**k for k in range(0, 5) for v in (1, 2, 5)]
    km = max([v for v in nice if v <= target_km] or [nice[0]])
    edge = ax.get_window_extent(renderer)
    left_side = legend_corner != "lower left"
    inset = 10 * style.scale * style.size.dpi / 72
    to_data = ax.transData.inverted()
    if left_side:
        start_px = edge.x0 + inset
    else:
        start_px = edge.x1 - inset - (km * 1000) / (x1 - x0) * edge.width
    base_x, base_y = to_data.transform((start_px, edge.y0 + inset))
    end_x = base_x + km * 1000
    tick = frame.units_per_point * 3
    lw = max(0.6, style.px(1.2))
    ax.add_line(
        Line2D(
            [base_x, base_x, end_x, end_x],
            [base_y + tick, base_y, base_y, base_y + tick],
            color=style.theme.caption,
            linewidth=lw,
            zorder=7,
            solid_joinstyle="miter",
        )
    )
    text = ax.text(
        (base_x + end_x) / 2,
        base_y + tick,
        words("{count} km", count=words.number(km)),
        ha="center",
        va="bottom",
        fontsize=style.small,
        color=style.theme.caption,
        zorder=7,
    )

    halos([text], style.theme.halo)
    extent = Bbox.union(
        [
            text.get_window_extent(renderer),
            Bbox.from_extents(
                *ax.transData.transform((base_x, base_y)),
                *ax.transData.transform((end_x, base_y)),
            ),
        ]
    )
    return extent.padded(3)
