"""The whole static map, in the order it is drawn: header and caption, then on the map's axes
the basemap, the marks, the legend and scale bar, and last the labels, which keep clear of all
of them; and the map as PNG, SVG or PDF bytes with fixed metadata (no date stamp).

Each step hands on what it made (the frame, the marks, the legend's box), so no step depends
on another having left something behind.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import language
from ...errors import UsageError
from ...theme import theme_named
from .figure import LOGO_WIDTH_INCHES, Size, Style, figure_size, font_families, rc_params

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

    from ...layers import Layers

FORMATS = ("png", "svg", "pdf")


@dataclass
class StaticMap:
    """A drawn figure and what is needed to find places on it (tests and callers use it)."""

    figure: Figure
    ax: Axes
    crs: str
    size: Size
    layers: Layers
    placed: list[Bbox] = field(default_factory=list)

    def pixel_of(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a point falls in the PNG: (column, row), rows counted from the top."""
        from pyproj import Transformer

        x, y = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True).transform(lon, lat)
        column, row = self.ax.transData.transform((x, y))
        return float(column), float(self.size.pixels[1] - row)

    def to_bytes(self, fmt: str) -> bytes:
        """The figure as PNG, SVG or PDF bytes."""
        import matplotlib

        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UsageError(f'"{fmt}" is not a static format. Use one of: png, svg, pdf.')
        buffer = io.BytesIO()
        with matplotlib.rc_context(rc_params(font_families(self.layers.style.font))):
            self.figure.savefig(
                buffer,
                format=fmt,
                dpi=self.size.dpi,
                metadata=_metadata(self.layers, fmt),
                facecolor=theme_named(self.layers.style.theme).paper,
            )
        return buffer.getvalue()


def _metadata(layers: Layers, fmt: str) -> dict[str, Any]:
    """Fixed metadata: title and description for catalogues, and no date stamp."""
    if fmt == "png":
        return {
            "Title": layers.title,
            "Description": layers.summary,
            "Software": "troopmap",
            "Source": ", ".join(layers.sources) or None,
        }
    if fmt == "svg":
        return {
            "Title": layers.title,
            "Description": layers.summary,
            "Creator": "troopmap",
            "Date": None,
        }
    return {
        "Title": layers.title,
        "Subject": layers.summary,
        "Creator": "troopmap",
        "CreationDate": None,
        "ModDate": None,
    }


def render_static(
    layers: Layers,
    fmt: str,
    *,
    width: str | float | None = None,
    height: str | float | None = None,
    dpi: int | None = None,
) -> bytes:
    """The map as PNG, SVG or PDF bytes, ``width`` × ``height`` (pixels, or "8in", "20cm")."""
    return draw_map(layers, figure_size(width, height, dpi)).to_bytes(fmt)


def draw_map(layers: Layers, size: Size | None = None, *, key: Layers | None = None) -> StaticMap:
    """Draw the whole static map: header, map, legend, caption.

    ``key``: the layers the legend describes, when not ``layers`` (each day of an animation
    keeps the legend of the whole timeline, so it does not change from one day to the next)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .header import draw_caption, draw_header
    from .projection import projection_for

    size = size or figure_size()
    fonts = font_families(layers.style.font)
    style = Style(size, fonts, theme_named(layers.style.theme))
    with matplotlib.rc_context(rc_params(fonts)), language.speaking(layers.style.lang):
        paper = style.theme.paper
        figure = Figure(figsize=(size.width, size.height), dpi=size.dpi, facecolor=paper)
        FigureCanvasAgg(figure)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        top = draw_header(figure, layers, style, renderer)
        bottom = draw_caption(figure, layers, style, renderer)
        margin_x = style.margin / size.width
        if top - bottom < 0.2:
            raise UsageError(
                f"a map of {size.width:g} × {size.height:g} in leaves too little room for the "
                "map under its title and above its sources; make it taller or the title "
                "shorter."
            )
        ax = figure.add_axes((margin_x, bottom, 1 - 2 * margin_x, top - bottom))
        crs = projection_for(layers)
        placed = _draw_map_area(figure, ax, layers, style, crs, renderer, key or layers)
        draw_logo(figure, layers, style)
        _without_byte_order_marks(figure)
        return StaticMap(figure, ax, crs, size, layers, placed)


def _draw_map_area(
    figure: Figure, ax: Axes, layers: Layers, style: Style, crs: str, renderer: Any, key: Layers
) -> list[Bbox]:
    """Countries, flows, stations, symbols, places, legend, scale bar and labels on ``ax``;
    returns the labels' boxes (display pixels)."""
    from .basemap import draw_countries, draw_globe, style_axes
    from .key import draw_legend
    from .labels import label_map
    from .marks import draw_marks
    from .placement import Labeller
    from .projection import map_frame
    from .scalebar import draw_scale_bar

    style_axes(ax, style.theme)
    frame = map_frame(ax, layers, style, crs)
    draw_globe(frame)
    countries = draw_countries(frame, layers)
    marks = draw_marks(frame, layers)
    legend = draw_legend(frame, renderer, key, marks.points)
    keep_clear = [*marks.keep_clear, legend.box]
    if frame.world is None:  # a world map's scale changes too much across it for a bar
        keep_clear.append(draw_scale_bar(frame, renderer, legend.corner))
    labeller = Labeller(frame, figure, renderer, keep_clear=keep_clear, flow_tree=marks.flow_tree)
    label_map(labeller, layers, marks.flows, countries)
    return labeller.placed


def _without_byte_order_marks(figure: Figure) -> None:
    """U+FEFF inside a text (a zero-width no-break space) breaks matplotlib's PDF writer:
    every text drawn gets the word joiner U+2060 instead, which means and shows the same."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        words = text.get_text()
        if "\ufeff" in words:
            text.set_text(words.replace("\ufeff", "\u2060"))


_LAST_DRAWN: list[tuple[Any, tuple[Any, ...], StaticMap]] = []


def _drawn(layers: Layers, size: Size) -> StaticMap:
    """The drawn map, kept for the next call with the same layers and size: writing PNG, SVG
    and PDF in one run draws the map once."""
    fingerprint = (
        layers.key,
        layers.title,
        layers.subtitle,
        layers.as_of,
        tuple(layers.sources),
        len(layers.flows),
        len(layers.stations),
        size,
    )
    for kept, kept_fingerprint, drawn in _LAST_DRAWN:
        if kept is layers and kept_fingerprint == fingerprint:
            return drawn
    drawn = draw_map(layers, size)
    _LAST_DRAWN[:] = [(layers, fingerprint, drawn)]
    return drawn


def write_static(
    layers: Layers,
    path: str | Path,
    *,
    width: str | float | None = None,
    height: str | float | None = None,
    dpi: int | None = None,
) -> Path:
    """Write the map to ``path`` as PNG, SVG or PDF (by its extension), atomically."""
    from ...files import atomic_output

    target = Path(path)
    data = _drawn(layers, figure_size(width, height, dpi)).to_bytes(target.suffix)
    with atomic_output(target) as handle:
        handle.write(data)
    return target


def draw_logo(figure: Figure, layers: Layers, style: Style) -> None:
    """The house logo in the top corner the title does not start from (the right, or the left
    for a language written right to left), at most LOGO_WIDTH_INCHES wide and about as tall as
    the title's line. A PNG only: matplotlib draws no SVG, which the page alone shows."""
    logo = layers.style.logo
    if logo is None or not logo.is_png:
        return
    import numpy as np
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(logo.data)).convert("RGBA"))
    size = style.size
    height_px = style.title * 1.6 / 72 * size.dpi
    width_px = LOGO_WIDTH_INCHES * style.scale * size.dpi
    # OffsetImage sizes an image in points: one of its pixels is ``zoom`` points wide.
    zoom = min(height_px / image.shape[0], width_px / image.shape[1]) * 72 / size.dpi
    rtl = language.words_for(layers.style.lang).direction == "rtl"
    x = style.margin / size.width if rtl else 1 - style.margin / size.width
    box = AnnotationBbox(
        OffsetImage(image, zoom=zoom),
        (x, 1 - style.margin / size.height),
        xycoords="figure fraction",
        box_alignment=(0 if rtl else 1, 1),
        frameon=False,
        pad=0,
    )
    figure.add_artist(box)
