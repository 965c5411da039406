"""The geo layer → a print-quality static map: PNG, SVG or PDF, drawn with matplotlib (Agg).

The cartography is the HTML map's: the same colour per actor, arrow widths ∝ √troops with
heads, dashes for announced or claimed movements, fading for withdrawn ones, circles for
stationed forces, the involved countries tinted, places and countries named, a title with
its subtitle and "as of" date, a legend of actors and widths, and the sources as a caption.

The map is drawn in a projection centred on where things happen (Lambert azimuthal equal-area
for a region, Equal Earth when the movements span much of the world), never plate carrée.
Sizes are given in pixels (at ``dpi``), inches, centimetres or millimetres; text is sized in
points so it stays legible in print. The same layers and options give the same bytes: the
metadata matplotlib would date-stamp is fixed, and SVG ids come from a fixed salt.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import language
from ..errors import UsageError
from ..layers import PLANNED_LOOK
from ..legend import PLANNED_WORDS, SPLIT_NOT_REPORTED, either, status_word
from ..links import link_host
from ..theme import LIGHT, Theme, theme_named

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

    from ..layers import Layers

FORMATS = ("png", "svg", "pdf")
DEFAULT_WIDTH = "8in"
DEFAULT_HEIGHT = "5.5in"
DEFAULT_DPI = 300
DEFAULT_ASPECT = 5.5 / 8
MIN_INCHES, MAX_INCHES = 2.0, 60.0
MAX_PIXELS = 100_000_000
# The header wraps the title and the subtitle to at most this many lines each, the last ending
# in "…" when the text goes on (the full text stays in the PDF's and the page's metadata).
TITLE_LINES = 3
SUBTITLE_LINES = 3

LOGO_WIDTH_INCHES = 1.1  # the house logo, top right, at most this wide (times the scale)
NATURAL_EARTH = "https://www.naturalearthdata.com/"
FONT_CHOICES = ("Liberation Sans", "Arial", "Helvetica", "DejaVu Sans")

# Above these counts the map is too busy for every label (as on the HTML map).
LABEL_LIMITS = {"flows": 60, "stations": 60, "places": 80}

# Equal-area azimuthal up to this distance (km) from the centre of the map; beyond, Equal Earth.
REGIONAL_RADIUS_KM = 4500.0


# --- sizes --------------------------------------------------------------------------------

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px|in|cm|mm|)\s*$", re.I)
_PER_INCH = {"in": 1.0, "cm": 2.54, "mm": 25.4}


def parse_length(text: str | float, dpi: int) -> float:
    """A length in inches from ``"1600"``/``"1600px"`` (pixels at ``dpi``), ``"8in"``,
    ``"20cm"`` or ``"200mm"``; UsageError for anything else."""
    match = _LENGTH.match(str(text))
    if not match:
        raise UsageError(
            f'"{text}" is not a size. Give pixels (1600 or 1600px), inches (8in), '
            "centimetres (20cm) or millimetres (200mm)."
        )
    value, unit = float(match.group(1)), match.group(2).lower()
    return value / dpi if unit in ("", "px") else value / _PER_INCH[unit]


@dataclass(frozen=True)
class Size:
    """The figure's size in inches and its resolution in dots per inch."""

    width: float
    height: float
    dpi: int

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * self.dpi), round(self.height * self.dpi)


def figure_size(
    width: str | float | None = None, height: str | float | None = None, dpi: int | None = None
) -> Size:
    """The figure size from the user's options; a missing side keeps the default shape."""
    dpi = DEFAULT_DPI if dpi is None else int(dpi)
    if not 30 <= dpi <= 1200:
        raise UsageError(f"--dpi {dpi} is out of range: give 30 to 1200 (300 is print quality).")
    if width is None and height is None:
        w, h = parse_length(DEFAULT_WIDTH, dpi), parse_length(DEFAULT_HEIGHT, dpi)
    elif height is None:
        w = parse_length(width, dpi)  # type: ignore[arg-type]
        h = w * DEFAULT_ASPECT
    elif width is None:
        h = parse_length(height, dpi)
        w = h / DEFAULT_ASPECT
    else:
        w, h = parse_length(width, dpi), parse_length(height, dpi)
    # A side worked out from the other (keeping the usual shape) is named with its cause.
    derived = (
        "height"
        if height is None and width is not None
        else "width"
        if width is None and height is not None
        else None
    )
    for side, value in (("width", w), ("height", h)):
        if side == derived and not MIN_INCHES <= value <= MAX_INCHES:
            other, given = ("height", height) if side == "width" else ("width", width)
            limit = MAX_INCHES if value > MAX_INCHES else MIN_INCHES
            fitting = limit * (DEFAULT_ASPECT if side == "width" else 1 / DEFAULT_ASPECT)
            raise UsageError(
                f"--{other} {given} keeps the map's usual shape, which makes it {value:.2f} "
                f"inches {'wide' if side == 'width' else 'tall'}, out of range ({MIN_INCHES:g} "
                f"to {MAX_INCHES:g} inches). Give a --{other} of "
                f"{'at most' if value > MAX_INCHES else 'at least'} {fitting:.2f} inches, or a "
                f"--{side} too."
            )
        if not MIN_INCHES <= value <= MAX_INCHES:
            raise UsageError(
                f"a {side} of {value:.2f} inches is out of range: give {MIN_INCHES:g} to "
                f"{MAX_INCHES:g} inches ({MIN_INCHES * dpi:.0f} to {MAX_INCHES * dpi:.0f} "
                f"pixels at {dpi} dpi)."
            )
    size = Size(w, h, dpi)
    if size.pixels[0] * size.pixels[1] > MAX_PIXELS:
        raise UsageError(
            f"{size.pixels[0]} × {size.pixels[1]} pixels is too large: lower --dpi or the size."
        )
    return size


# --- style --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Line widths and type sizes for one figure size, in points.

    The HTML map's widths are screen pixels on a page about 1,280 pixels wide; here they are
    scaled to the figure's width, and type never shrinks below what prints legibly.
    """

    size: Size
    fonts: tuple[str, ...]
    theme: Theme = LIGHT  # the house style's colours (geo.theme)

    @property
    def scale(self) -> float:
        return min(2.5, max(0.55, self.size.width / 8.0))

    def px(self, pixels: float) -> float:
        """A width of the HTML map (screen pixels) in points on this figure."""
        return pixels * 0.75 * (self.size.width / 13.33)

    def font(self, base: float, minimum: float = 6.0) -> float:
        return round(max(minimum, base * math.sqrt(self.scale)), 2)

    @property
    def title(self) -> float:
        return self.font(16.0, 10.0)

    @property
    def subtitle(self) -> float:
        return self.font(10.5, 7.5)

    @property
    def small(self) -> float:
        return self.font(8.0, 6.0)

    @property
    def label(self) -> float:
        return self.font(8.0, 6.5)

    @property
    def margin(self) -> float:
        """The white border around everything, in inches."""
        return 0.18 * self.scale


def rc_params(fonts: Sequence[str]) -> Any:
    """matplotlib settings for every static map: deterministic, text as text, embeddable fonts."""
    return {
        "font.family": list(fonts),
        "svg.fonttype": "none",  # text stays text (selectable, editable) in SVG
        "svg.hashsalt": "troopmap",  # ids from content, not from uuid4
        "pdf.fonttype": 42,  # TrueType in PDF: editable in layout programs
        "ps.fonttype": 42,
        "lines.scale_dashes": False,
        "text.parse_math": False,  # "$5m to $10m" in a title is money, not mathematics
        "path.simplify": True,
        "axes.unicode_minus": True,
    }


@cache
def font_families(house: str = "") -> tuple[str, ...]:
    """The house style's font when it is installed, else the first sans-serif font installed
    from a newspaper-like list, then DejaVu Sans (which matplotlib ships) for any character the
    first one lacks."""
    from matplotlib import font_manager

    for family in ([house] if house else []) + list(FONT_CHOICES):
        try:
            font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return tuple(dict.fromkeys([family, "DejaVu Sans", "sans-serif"]))
    return ("DejaVu Sans", "sans-serif")


# --- projection ---------------------------------------------------------------------------


def projection_for(layers: Layers) -> str:
    """A PROJ definition suited to the map's extent, centred on where things happen."""
    from ..geometry import distance_km

    west, south, east, north = layers.focus
    lon0, lat0 = (west + east) / 2, (south + north) / 2
    corners = [(west, south), (west, north), (east, south), (east, north)]
    radius = max(distance_km((lon0, lat0), c) for c in corners)
    if radius <= REGIONAL_RADIUS_KM:
        return (
            f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +x_0=0 +y_0=0 "
            "+datum=WGS84 +units=m +no_defs"
        )
    return f"+proj=eqearth +lon_0={lon0:.4f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


# --- the map --------------------------------------------------------------------------------


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

    size = size or figure_size()
    fonts = font_families(layers.style.font)
    style = Style(size, fonts, theme_named(layers.style.theme))
    with matplotlib.rc_context(rc_params(fonts)), language.speaking(layers.style.lang):
        figure = Figure(
            figsize=(size.width, size.height), dpi=size.dpi, facecolor=style.theme.paper
        )
        FigureCanvasAgg(figure)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        top = _draw_header(figure, layers, style, renderer)
        bottom = _draw_caption(figure, layers, style, renderer)
        margin_x = style.margin / size.width
        if top - bottom < 0.2:
            raise UsageError(
                f"a map of {size.width:g} × {size.height:g} in leaves too little room for the "
                "map under its title and above its sources; make it taller or the title "
                "shorter."
            )
        ax = figure.add_axes((margin_x, bottom, 1 - 2 * margin_x, top - bottom))
        crs = projection_for(layers)
        drawing = _MapDrawing(figure, ax, layers, style, crs, renderer, key)
        drawing.draw()
        _draw_logo(figure, layers, style)
        _without_byte_order_marks(figure)
        return StaticMap(figure, ax, crs, size, layers, drawing.placed)


def _without_byte_order_marks(figure: Figure) -> None:
    """U+FEFF inside a text (a zero-width no-break space) breaks matplotlib's PDF writer:
    every text drawn gets the word joiner U+2060 instead, which means and shows the same."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        words = text.get_text()
        if "\ufeff" in words:
            text.set_text(words.replace("\ufeff", "\u2060"))


# --- header and caption -------------------------------------------------------------------


def _text_width(renderer: Any, text: str, fontsize: float, weight: str = "normal") -> float:
    from matplotlib.font_manager import FontProperties

    # The family of the figure being drawn (draw_map's rc_context): the house font, if any.
    props = FontProperties(size=fontsize, weight=weight)
    width, _, _ = renderer.get_text_width_height_descent(text, props, ismath=False)
    return float(width)


def wrap_lines(
    renderer: Any,
    text: str,
    fontsize: float,
    max_px: float,
    weight: str = "normal",
    max_lines: int | None = None,
) -> list[str]:
    """Greedy word wrap measured with the real font, so no line runs off the figure; at most
    ``max_lines`` lines, the last ending in "…" when the text goes on."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and _text_width(renderer, candidate, fontsize, weight) > max_px:
            lines.append(current)
            current = word
        else:
            current = candidate
        if max_lines is not None and len(lines) >= max_lines:
            break
    if current and (max_lines is None or len(lines) < max_lines):
        lines.append(current)
    if max_lines is not None and " ".join(lines) != " ".join(text.split()):
        lines[-1] = _shortened(renderer, lines[-1] + "…", fontsize, max_px, weight)
    return [_shortened(renderer, line, fontsize, max_px, weight) for line in lines] or [""]


def _shortened(renderer: Any, line: str, fontsize: float, max_px: float, weight: str) -> str:
    """``line``, cut and ended with "…" if it is wider than ``max_px`` (one very long word)."""
    if _text_width(renderer, line, fontsize, weight) <= max_px:
        return line
    low, high = 0, len(line)
    while low < high:  # the longest start of the line that fits with its "…"
        middle = (low + high + 1) // 2
        if _text_width(renderer, line[:middle].rstrip() + "…", fontsize, weight) <= max_px:
            low = middle
        else:
            high = middle - 1
    return line[:low].rstrip() + "…"


def _draw_header(figure: Figure, layers: Layers, style: Style, renderer: Any) -> float:
    """Title, subtitle and "as of" at the top left; returns the figure fraction below them."""
    words = language.words()
    theme = style.theme
    size = style.size
    max_px = (size.width - 2 * style.margin) * size.dpi
    if layers.style.logo is not None and layers.style.logo.is_png:
        max_px -= LOGO_WIDTH_INCHES * style.scale * size.dpi  # the logo's corner
    y = size.height - style.margin  # inches from the bottom
    x = style.margin / size.width
    rtl = words.direction == "rtl"
    if rtl:  # a language written right to left starts its lines at the right
        x = 1 - x
    rows: list[tuple[str, float, str, str]] = [
        (line, style.title, "bold", theme.ink)
        for line in wrap_lines(
            renderer, layers.title, style.title, max_px, "bold", max_lines=TITLE_LINES
        )
    ]
    if layers.subtitle:
        rows += [
            (line, style.subtitle, "normal", theme.subtitle)
            for line in wrap_lines(
                renderer, layers.subtitle, style.subtitle, max_px, max_lines=SUBTITLE_LINES
            )
        ]
    if layers.as_of:
        as_of = words("As of {date}", date=words.long_date(layers.as_of))
        rows.append((as_of, style.small, "normal", theme.muted))
    for text, fontsize, weight, colour in rows:
        line_height = fontsize * 1.3 / 72
        y -= line_height
        figure.text(
            x,
            y / size.height,
            text,
            fontsize=fontsize,
            fontweight=weight,
            color=colour,
            va="baseline",
            ha="right" if rtl else "left",
        )
        y -= fontsize * 0.05 / 72
    y -= 0.1 * style.scale
    return y / size.height


def _caption_pieces(layers: Layers) -> list[tuple[str, str | None]]:
    """The caption's words, each with its link: one link per source site (its first report),
    at most as many sites as the page's footer links."""
    from .html import FOOTER_SOURCES

    words = language.words()
    pieces: list[tuple[str, str | None]] = []
    if layers.style.credit:
        pieces.append((layers.style.credit, None))
    by_host: dict[str, str] = {}
    for url in layers.sources:
        host = link_host(url)  # the CSV reader refuses others; a library caller may not
        if host:
            by_host.setdefault(host, url)
    if by_host:
        pieces.append((words("Sources:") if len(by_host) > 1 else words("Source:"), None))
        hosts = list(by_host.items())[:FOOTER_SOURCES]
        more = len(by_host) - len(hosts)
        for i, (host, url) in enumerate(hosts):
            tail = "." if i == len(hosts) - 1 and not more else words(", ").rstrip()
            pieces.append((host + tail, url))
        if more:
            pieces.append(
                (words.plural("and {count} more site.", "and {count} more sites.", more), None)
            )
    pieces += [
        (words("Borders:"), None),
        ("Natural Earth.", NATURAL_EARTH),
        (words("Map made with troopmap."), None),
    ]
    return pieces


def _draw_caption(figure: Figure, layers: Layers, style: Style, renderer: Any) -> float:
    """The sources along the bottom, wrapped, each a link in SVG and PDF; returns the figure
    fraction above them."""
    size = style.size
    fontsize = style.small
    # A little wider than a space: PDF and SVG set text a hair wider than Agg measures it.
    space = _text_width(renderer, "a a", fontsize) - _text_width(renderer, "aa", fontsize)
    space += fontsize * 0.15 * size.dpi / 72
    max_px = (size.width - 2 * style.margin) * size.dpi
    lines: list[list[tuple[str, str | None, float]]] = [[]]
    used = 0.0
    for text, url in _caption_pieces(layers):
        width = _text_width(renderer, text, fontsize)
        if lines[-1] and used + space + width > max_px:
            lines.append([])
            used = 0.0
        lines[-1].append((text, url, used + (space if lines[-1] else 0.0)))
        used = lines[-1][-1][2] + width
    line_height = fontsize * 1.3 / 72
    y = style.margin + line_height * (len(lines) - 1) + fontsize * 0.25 / 72
    left = style.margin * size.dpi
    for line in lines:
        for text, url, offset in line:
            artist = figure.text(
                (left + offset) / (size.width * size.dpi),
                y / size.height,
                text,
                fontsize=fontsize,
                color=style.theme.link if url else style.theme.caption,
                va="baseline",
                ha="left",
            )
            if url:
                artist.set_url(url)
        y -= line_height
    top = style.margin + line_height * len(lines) + 0.06 * style.scale
    return top / size.height


def _draw_logo(figure: Figure, layers: Layers, style: Style) -> None:
    """The house logo in the top right corner (a PNG: matplotlib draws no SVG, which the page
    alone shows), at most LOGO_WIDTH_INCHES wide and as tall as the title's first line."""
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
    zoom = min(height_px / image.shape[0], width_px / image.shape[1])
    box = AnnotationBbox(
        OffsetImage(image, zoom=zoom),
        (1 - style.margin / size.width, 1 - style.margin / size.height),
        xycoords="figure fraction",
        box_alignment=(1, 1),
        frameon=False,
        pad=0,
    )
    figure.add_artist(box)


# --- the map area -------------------------------------------------------------------------


class _MapDrawing:
    """Draws the countries, flows, stations, places, labels, legend and scale on one axes."""

    def __init__(
        self,
        figure: Figure,
        ax: Axes,
        layers: Layers,
        style: Style,
        crs: str,
        renderer: Any,
        key: Layers | None = None,
    ):
        from pyproj import Transformer

        self.figure, self.ax, self.layers, self.style = figure, ax, layers, style
        self.key = key or layers  # what the legend describes
        self.crs = crs
        self.renderer = renderer
        self.forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self.placed: list[Bbox] = []  # label boxes already on the map (display pixels)
        self.keep_clear: list[Bbox] = []  # things labels should not cover (legend, scale)
        self.points: list[tuple[float, float]] = []  # features the legend should not cover

    # geometry helpers
    def project(self, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return frame.to_crs(self.crs)

    def project_lines(self, lines: Any) -> list[Any]:
        """Lines in map units; in a world projection, cut where they cross its back meridian
        (else a flow over the Pacific would streak across the whole map)."""
        import geopandas as gpd

        lon0 = _central_meridian(self.crs)
        if "eqearth" in self.crs:
            lines = [_split_at_meridian(line, lon0 + 180.0) for line in lines]
        return list(gpd.GeoSeries(list(lines), crs="EPSG:4326").to_crs(self.crs))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.forward.transform(lon, lat)
        return float(x), float(y)

    @property
    def units_per_point(self) -> float:
        """Map units (metres) per typographic point at the map's scale."""
        x0, x1 = self.ax.get_xlim()
        width_pt = self.ax.get_position().width * self.style.size.width * 72
        return (x1 - x0) / width_pt

    def draw(self) -> None:
        ax = self.ax
        theme = self.style.theme
        ax.set_facecolor(theme.sea)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#9a9a9a")
            spine.set_linewidth(0.6)
        self._set_extent()
        if self.world is not None:
            from matplotlib.patches import Polygon as PolygonPatch

            ax.set_facecolor(theme.paper)
            ax.add_patch(
                PolygonPatch(
                    list(self.world.exterior.coords),
                    closed=True,
                    facecolor=theme.sea,
                    edgecolor="#9a9a9a",
                    linewidth=self.style.px(0.8),
                    zorder=0.5,
                )
            )
        self._draw_countries()
        flows = self._draw_flows()
        self._draw_stations()
        self._draw_units()
        self._draw_places()
        legend_box = self._draw_legend()
        self.keep_clear.append(legend_box)
        if self.world is None:  # a world map's scale changes too much across it for a bar
            self.keep_clear.append(self._draw_scale_bar(legend_box))
        self._label_stations()
        self._label_places()
        self._label_flows(flows)
        self._label_countries()

    # extent
    def _set_extent(self) -> None:
        west, south, east, north = self.layers.focus
        points = [self.xy(lon, lat) for lon, lat in _box_outline(west, south, east, north)]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        span = max(x1 - x0, y1 - y0, 300_000.0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w = max(x1 - x0, span * 0.35) / 2 * 1.3 + span * 0.06
        half_h = max(y1 - y0, span * 0.35) / 2 * 1.3 + span * 0.06
        box = self.ax.get_position()
        aspect = (box.height * self.style.size.height) / (box.width * self.style.size.width)
        if half_h / half_w < aspect:
            half_h = half_w * aspect
        else:
            half_w = half_h / aspect
        if self.world:
            # Keep the frame on the globe: no empty band beyond a pole or the edge.
            left, bottom, right, top = self.world.bounds
            half_w = min(half_w, (right - left) / 2)
            half_h = min(half_h, (top - bottom) / 2)
            cx = min(max(cx, left + half_w), right - half_w)
            cy = min(max(cy, bottom + half_h), top - half_h)
        self.ax.set_xlim(cx - half_w, cx + half_w)
        self.ax.set_ylim(cy - half_h, cy + half_h)
        self.ax.set_aspect("equal", adjustable="box")
        self.ax.set_autoscale_on(False)

    @property
    def world(self) -> Any:
        """The outline of the whole globe in a world projection (None in a regional one)."""
        if "eqearth" not in self.crs:
            return None
        if not hasattr(self, "_world"):
            from shapely import Polygon

            lon0 = _central_meridian(self.crs)
            edge = 180.0 - 1e-6
            lats = [-90.0 + i for i in range(181)]
            ring = [(lon0 + edge, lat) for lat in lats] + [
                (lon0 - edge, lat) for lat in reversed(lats)
            ]
            self._world = Polygon([self.xy(lon, lat) for lon, lat in ring])
        return self._world

    def view(self, grow: float = 0.0) -> tuple[float, float, float, float]:
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        dx, dy = (x1 - x0) * grow, (y1 - y0) * grow
        return x0 - dx, y0 - dy, x1 + dx, y1 + dy

    # countries
    def _draw_countries(self) -> None:
        from matplotlib.collections import PathCollection

        countries = self._visible_countries()
        self.countries = countries
        paths, fills, edges, widths = [], [], [], []
        theme = self.style.theme
        for geometry, role in zip(countries.geometry, countries["role"], strict=True):
            path = _country_path(geometry)
            if path is None:
                continue
            paths.append(path)
            fills.append(theme.fill_for(role))
            edges.append(theme.border_involved if role else theme.border)
            widths.append(self.style.px(1.0 if role else 0.6))
        collection = PathCollection(
            paths,
            facecolors=fills,
            edgecolors=edges,
            linewidths=widths,
            zorder=1,
            joinstyle="round",
            transform=self.ax.transData,
        )
        self.ax.add_collection(collection, autolim=False)

    def _visible_countries(self) -> gpd.GeoDataFrame:
        """The country shapes in view, cut to a little beyond the frame, projected."""
        import geopandas as gpd
        from pyproj import Transformer
        from shapely import clip_by_rect, make_valid

        countries = self.layers.countries[
            ["name", "adm0_a3", "iso_a2", "role", "fill", "label_lon", "label_lat", "geometry"]
        ]
        west, south, east, north = self.view(0.25)
        back = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        ring = _box_outline(west, south, east, north, steps=24)
        lons, lats = back.transform([p[0] for p in ring], [p[1] for p in ring])
        finite = [(lo, la) for lo, la in zip(lons, lats, strict=True) if math.isfinite(lo + la)]
        if "eqearth" not in self.crs and finite:
            lo = [p[0] for p in finite]
            la = [p[1] for p in finite]
            if max(lo) - min(lo) < 300 and max(la) < 89 and min(la) > -89:
                countries = (
                    countries.clip_by_rect(
                        min(lo) - 5, max(-90, min(la) - 5), max(lo) + 5, min(90, max(la) + 5)
                    )
                    .to_frame("geometry")
                    .join(countries.drop(columns="geometry"))
                )
                countries = gpd.GeoDataFrame(
                    countries, geometry="geometry", crs=self.layers.countries.crs
                )
        else:
            countries = _cut_at_seam(countries, self.crs)
        countries = countries[~countries.geometry.is_empty]
        projected = self.project(countries)
        if len(projected):
            projected["geometry"] = clip_by_rect(
                make_valid(projected.geometry.values), west, south, east, north
            )
        projected = projected[~projected.geometry.is_empty]
        return projected

    # flows
    def _draw_flows(self) -> list[tuple[Any, dict[str, Any]]]:
        """Every leg as a line (trimmed for its head) and its arrowhead, widest first so thin
        flows stay visible on top; returns the projected lines with their rows, for labels."""
        from matplotlib.collections import LineCollection, PolyCollection
        from shapely import LineString, Polygon, STRtree, buffer, clip_by_rect

        flows = self.layers.flows
        self.flow_tree = None
        if not len(flows):
            return []
        projected = self.project_lines(flows.geometry)
        west, south, east, north = self.view(1.0)
        per_pt = self.units_per_point
        segments, colours, widths, styles = [], [], [], []
        heads, head_colours = [], []
        obstacles = []
        drawn = []
        records = flows.drop(columns="geometry").to_dict("records")
        order = sorted(range(len(flows)), key=lambda i: (-float(records[i]["width"]), i))
        for i in order:
            row = records[i]
            pieces = _parts(projected[i])
            if not pieces:
                continue
            width_pt = self.style.px(float(row["width"]))
            planned = bool(row.get("planned", False))
            colour = _with_alpha(
                row["colour"], PLANNED_LOOK["opacity"] if planned else 0.35 if row["faded"] else 0.9
            )
            head = None
            if row["leg"] != "trunk":
                pieces[-1], head = _trim_for_head(pieces[-1], width_pt, self.style, per_pt)
            for piece in pieces:
                for part in _parts(clip_by_rect(piece, west, south, east, north)):
                    segments.append(list(part.coords))
                    colours.append(colour)
                    widths.append(width_pt)
                    styles.append(
                        (0, _planned_dashes(width_pt))
                        if planned
                        else (0, _dashes(width_pt))
                        if row["dashed"]
                        else "solid"
                    )
                    obstacles.append(buffer(part, width_pt * per_pt / 2, quad_segs=2))
            if head is not None:
                heads.append(head)
                head_colours.append(colour)
                obstacles.append(Polygon(head))
                self.points.append(tuple(head[0]))
            longest = max(pieces, key=lambda piece: piece.length)
            coords = list(longest.coords)
            self.points += [coords[0], coords[len(coords) // 2], coords[-1]]
            drawn.append((LineString(coords), row))
        lines = LineCollection(
            segments,
            colors=colours,
            linewidths=widths,
            linestyles=styles,
            capstyle="butt",
            joinstyle="round",
            zorder=3,
        )
        self.ax.add_collection(lines)
        if heads:
            self.ax.add_collection(
                PolyCollection(heads, facecolors=head_colours, edgecolors="none", zorder=3)
            )
        self.flow_tree = STRtree(obstacles) if obstacles else None
        return drawn

    def covers_flow(self, box: Bbox) -> bool:
        """Whether a label's box (display pixels) would hide part of a flow."""
        from shapely import box as shapely_box

        if self.flow_tree is None:
            return False
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y1)]
        )
        return len(self.flow_tree.query(shapely_box(x0, y0, x1, y1), predicate="intersects")) > 0

    # stations
    def _draw_stations(self) -> None:
        stations = self.layers.stations
        if not len(stations):
            return
        projected = self.project(stations[["geometry"]])
        order = sorted(range(len(stations)), key=lambda i: (-float(stations["radius"].iloc[i]), i))
        xs = [projected.geometry.iloc[i].x for i in order]
        ys = [projected.geometry.iloc[i].y for i in order]
        sizes = [(2 * self.style.px(float(stations["radius"].iloc[i]))) ** 2 for i in order]
        colours = [stations["colour"].iloc[i] for i in order]
        planned = stations["planned"].tolist() if "planned" in stations else [False] * len(order)
        styles = [
            (0, _planned_dashes(2.0))
            if planned[i]
            else (0, _dashes(2.0))
            if stations["status"].iloc[i] == "claimed"
            else "solid"
            for i in order
        ]
        alphas = [0.35 if stations["status"].iloc[i] in ("withdrawn",) else 1.0 for i in order]
        self.ax.scatter(
            xs,
            ys,
            s=sizes,
            marker="o",
            facecolors=[_with_alpha(c, 0.28 * a) for c, a in zip(colours, alphas, strict=True)],
            edgecolors=[_with_alpha(c, a) for c, a in zip(colours, alphas, strict=True)],
            linewidths=self.style.px(2.0),
            linestyles=styles,
            zorder=4,
        )
        self.points += list(zip(xs, ys, strict=True))
        self._keep_marks_clear(xs, ys, [math.sqrt(size) / 2 + self.style.px(1.0) for size in sizes])

    def _draw_units(self) -> None:
        """APP-6 symbols as on the page: at each destination, and smaller at the origin of a
        unit that moves; labels keep clear of them."""
        from .unit_symbols import add_symbol

        marks: dict[tuple[str, float, float], float] = {}
        flows = self.layers.flows
        if len(flows) and "sidc" in flows:
            for _, row in flows[flows["sidc"] != ""].iterrows():
                coords = list(row.geometry.coords)
                if row["leg"] in ("direct", "trunk"):
                    marks.setdefault((row["sidc"], coords[0][0], coords[0][1]), 22.0)
                if row["leg"] in ("direct", "branch"):
                    marks[(row["sidc"], coords[-1][0], coords[-1][1])] = 34.0
        stations = self.layers.stations
        if len(stations) and "sidc" in stations:
            for _, row in stations[stations["sidc"] != ""].iterrows():
                marks[(row["sidc"], row.geometry.x, row.geometry.y)] = 34.0
        xs, ys, radii = [], [], []
        for (sidc, lon, lat), height in sorted(marks.items()):
            x, y = self.xy(lon, lat)
            add_symbol(
                self.ax, sidc, (x, y), height_pt=self.style.px(height), anchor="bottom", zorder=6.5
            )
            xs.append(x)
            ys.append(y + self.style.px(height) * 0.6 * self.units_per_point)
            radii.append(self.style.px(height) * 0.7)
        self._keep_marks_clear(xs, ys, radii)

    def _keep_marks_clear(
        self, xs: Sequence[float], ys: Sequence[float], radii_pt: Sequence[float]
    ) -> None:
        """Labels must not cover these circles or dots (radii in points)."""
        from matplotlib.transforms import Bbox

        to_px = self.style.size.dpi / 72
        for (x, y), radius in zip(
            self.ax.transData.transform(list(zip(xs, ys, strict=True))), radii_pt, strict=True
        ):
            r = radius * to_px
            self.keep_clear.append(Bbox.from_extents(x - r, y - r, x + r, y + r))

    # places
    def _draw_places(self) -> None:
        places = self.layers.places
        if not len(places):
            return
        dots = places[places["kind"] != "country"]
        if not len(dots):
            return
        projected = self.project(dots[["geometry"]])
        xs = [g.x for g in projected.geometry]
        ys = [g.y for g in projected.geometry]
        size = (2 * self.style.px(3.0) + 1) ** 2
        self.ax.scatter(
            xs,
            ys,
            s=size,
            facecolors=self.style.theme.paper,
            edgecolors=self.style.theme.caption,
            linewidths=max(0.5, self.style.px(1.0)),
            zorder=5,
        )
        self.points += list(zip(xs, ys, strict=True))
        self._keep_marks_clear(xs, ys, [math.sqrt(size) / 2] * len(xs))

    # labels
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

    def _place_text(
        self,
        anchor: tuple[float, float],
        lines: Sequence[tuple[str, dict[str, Any]]],
        candidates: Iterable[tuple[float, float, str, str]],
        *,
        box: dict[str, Any] | None = None,
        halo: bool = False,
        required: bool = True,
        avoid_flows: bool = False,
        zorder: float = 6,
    ) -> Bbox | None:
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
                self.last_placed = artists + (
                    _halos(artists, self.style.theme.halo) if halo else []
                )
                return extent
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
            self.last_placed = best[1] + (_halos(best[1], self.style.theme.halo) if halo else [])
            return best[2]
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

    def _around(self, gap: float) -> list[tuple[float, float, str, str]]:
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

    def _label_box(self) -> dict[str, Any]:
        return {
            "boxstyle": "round,pad=0.25,rounding_size=0.2",
            "facecolor": self.style.theme.paper,
            "edgecolor": "none",
            "alpha": 0.9,
        }

    def _label_stations(self) -> None:
        stations = self.layers.stations
        if not len(stations) or len(stations) > LABEL_LIMITS["stations"]:
            return
        projected = self.project(stations[["geometry"]])
        for i in range(len(stations)):
            row = stations.iloc[i]
            point = projected.geometry.iloc[i]
            radius = self.style.px(float(row["radius"]))
            lines = [
                (
                    _station_label(row),
                    {
                        "fontsize": self.style.label,
                        "fontweight": "bold",
                        "color": self.style.theme.label,
                    },
                ),
                (
                    row.get("place_label", row["place"]),
                    {"fontsize": self.style.small, "color": self.style.theme.place},
                ),
            ]
            gap = radius + 5
            # Lines are stacked downwards; lift the block so it is centred on the circle.
            lift = self.style.label * 0.55
            candidates = [
                (gap, lift, "left", "center"),
                (-gap, lift, "right", "center"),
                (0, gap + self.style.label * 2.3, "center", "bottom"),
                (0, -gap, "center", "top"),
            ]
            self._place_text(
                (point.x, point.y), lines, candidates, box=self._label_box(), avoid_flows=True
            )

    def _label_places(self) -> None:
        places = self.layers.places
        labelled = places[(places["kind"] != "country") & (places["role"] != "station")]
        if not len(labelled) or len(places) > LABEL_LIMITS["places"]:
            return
        projected = self.project(labelled[["geometry"]])
        # A place given as coordinates: "near ..." or nothing, never the numbers.
        names = [
            label if kind == "point" else name
            for name, label, kind in zip(
                labelled["name"], labelled["label"], labelled["kind"], strict=True
            )
        ]
        for name, point in zip(names, projected.geometry, strict=True):
            if not name:
                continue
            self._place_text(
                (point.x, point.y),
                [(name, {"fontsize": self.style.label, "color": self.style.theme.place})],
                self._around(self.style.px(3.0) + 2.5),
                halo=True,
                avoid_flows=True,
            )

    def _label_flows(self, flows: list[tuple[Any, dict[str, Any]]]) -> None:
        """The troops on each movement, on the visible middle of its trunk or line."""
        from shapely import clip_by_rect

        if len(self.layers.flows) > LABEL_LIMITS["flows"]:
            return
        west, south, east, north = self.view(-0.04)
        for line, row in sorted(
            flows, key=lambda item: (item[1]["row"], item[1]["leg"] == "branch")
        ):
            text = row["label"] if row["leg"] in ("trunk", "direct") else row.get("leg_label", "")
            if not text:
                continue
            visible = max(
                _parts(clip_by_rect(line, west, south, east, north)),
                key=lambda part: part.length,
                default=None,
            )
            if visible is None or visible.length == 0:
                continue
            spots = []
            for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
                point = visible.interpolate(t, normalized=True)
                spots.append((point.x, point.y))
            props = {
                "fontsize": self.style.label,
                "fontweight": "bold",
                "color": self.style.theme.label,
            }
            for spot in spots:
                if self._place_text(
                    spot,
                    [(text, props)],
                    [(0, 0, "center", "center")],
                    box=self._label_box(),
                    required=False,
                ):
                    break
            else:
                self._place_text(
                    spots[0],
                    [(text, props)],
                    [(0, 0, "center", "center")],
                    box=self._label_box(),
                )

    def _label_countries(self) -> None:
        """Country names where they fit inside the country, involved ones first and bold.

        The name of an involved country goes beside its point (where arrows start or end)
        without covering a flow; another country's name goes at its centre, if it fits there.
        """
        from shapely import Point, dwithin
        from shapely import box as shapely_box

        countries = self.countries
        if not len(countries):
            return
        west, south, east, north = self.view()
        order = sorted(
            range(len(countries)),
            key=lambda i: (
                not countries["role"].iloc[i],
                -countries.geometry.iloc[i].area,
                countries["name"].iloc[i],
            ),
        )
        to_data = self.ax.transData.inverted()
        named: set[str] = set()
        for i in order[:80]:
            row = countries.iloc[i]
            x, y = self.xy(float(row["label_lon"]), float(row["label_lat"]))
            name = language.words().country(row["adm0_a3"], row["name"])
            if not (west < x < east and south < y < north) or name in named:
                continue
            if not dwithin(row.geometry, Point(x, y), self.units_per_point * 20):
                continue  # the piece of a country cut at the seam that lacks its label point
            named.add(name)
            involved = bool(row["role"])
            for fontsize in (self.style.font(8.5, 7.0), self.style.font(7.0, 6.0)):
                props = {
                    "fontsize": fontsize,
                    "color": self.style.theme.country_text_involved
                    if involved
                    else self.style.theme.country_text,
                    "fontweight": "bold" if involved else "normal",
                }
                gap = fontsize * 0.9
                candidates = (
                    [
                        (0, -gap, "center", "center"),
                        (0, gap, "center", "center"),
                        (gap * 0.6, 0, "left", "center"),
                        (-gap * 0.6, 0, "right", "center"),
                    ]
                    if involved
                    else [(0, 0, "center", "center")]
                )
                lines = [(name.upper(), props)]
                extent = self._place_text(
                    (x, y), lines, candidates, halo=True, required=False, avoid_flows=True, zorder=2
                )
                if extent is None and involved:  # better across a flow than left out
                    extent = self._place_text(
                        (x, y), lines, candidates, halo=True, required=False, zorder=2
                    )
                if extent is None:
                    continue
                (x0, y0), (x1, y1) = to_data.transform(
                    [(extent.x0, extent.y0), (extent.x1, extent.y1)]
                )
                label_area = shapely_box(x0, y0, x1, y1)
                if involved or row.geometry.intersection(label_area).area >= 0.8 * label_area.area:
                    break
                self.placed.pop()
                for artist in self.last_placed:
                    artist.remove()

    # legend
    def _draw_legend(self) -> Bbox:
        """The legend in the corner that covers the fewest features; returns its box."""
        content = self._legend_content()
        corners = ("lower right", "lower left", "upper right", "upper left")
        display: list[tuple[float, float]] = (
            [tuple(p) for p in self.ax.transData.transform(self.points)] if self.points else []
        )
        scores = []
        for rank, corner in enumerate(corners):
            trial = self._anchored(content, corner)
            extent = trial.get_window_extent(self.renderer)
            scores.append((sum(1 for p in display if extent.contains(*p)), rank, corner))
            trial.remove()
        self.legend_corner = min(scores)[2]
        return self._anchored(content, self.legend_corner).get_window_extent(self.renderer)

    def _anchored(self, content: Any, corner: str) -> Any:
        from matplotlib.offsetbox import AnchoredOffsetbox

        anchored = AnchoredOffsetbox(
            loc=corner, child=content, pad=0.35, borderpad=0.6, frameon=True
        )
        anchored.patch.set_boxstyle("round,pad=0,rounding_size=0.4")
        anchored.patch.set_facecolor(self.style.theme.paper)
        anchored.patch.set_alpha(0.94)
        anchored.patch.set_edgecolor("#bbbbbb")
        anchored.patch.set_linewidth(0.5)
        anchored.set_zorder(7)
        self.ax.add_artist(anchored)
        return anchored

    def _legend_content(self) -> Any:
        from matplotlib.lines import Line2D
        from matplotlib.offsetbox import DrawingArea, HPacker, TextArea, VPacker
        from matplotlib.patches import Circle, Rectangle

        from .html import reference_values

        layers, style = self.key, self.style
        fontsize = style.small
        key_width = max(30.0, style.px(44))
        words = language.words()
        theme = style.theme
        text_props = {"fontsize": fontsize, "color": theme.ink}
        head_props = {"fontsize": fontsize * 0.92, "color": theme.heading, "fontweight": "bold"}

        def row(drawing: Any, text: str) -> Any:
            return HPacker(
                children=[drawing, TextArea(text, textprops=text_props)],
                align="center",
                pad=0,
                sep=fontsize * 0.6,
            )

        def heading(text: str) -> Any:
            return TextArea(text.upper(), textprops=head_props)

        sections: list[Any] = [heading(words("Who"))]
        for actor, colour in layers.actors.items():
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
            sections.append(row(area, actor))
        moving = [int(t) for t in layers.flows.get("troops", [])]
        if moving:
            sections.append(heading(words("Troops moving")))
            for troops in reference_values(max(moving)):
                width = style.px(layers.width_for(troops))
                area = DrawingArea(key_width, max(fontsize * 1.1, width + 2), 0, 0)
                mid = max(fontsize * 1.1, width + 2) / 2
                area.add_artist(
                    Line2D(
                        [1, key_width - 1],
                        [mid, mid],
                        color=theme.muted,
                        linewidth=width,
                        solid_capstyle="butt",
                    )
                )
                sections.append(row(area, words("{count} troops", count=words.number(troops))))
        stationed = [int(t) for t in layers.stations.get("leg_troops", [])]
        if stationed:
            sections.append(heading(words("Troops stationed")))
            for troops in reference_values(max(stationed), count=2):
                radius = style.px(layers.radius_for(troops))
                side = 2 * radius + 2
                area = DrawingArea(max(key_width, side), side, 0, 0)
                area.add_artist(
                    Circle(
                        (max(key_width, side) / 2, side / 2),
                        radius,
                        facecolor=_with_alpha("#999999", 0.3),
                        edgecolor=theme.muted,
                        linewidth=style.px(1.0),
                    )
                )
                sections.append(row(area, words("{count} stationed", count=words.number(troops))))
        statuses = set(layers.flows.get("status", [])) | set(layers.stations.get("status", []))
        notes = []
        if statuses & {"announced", "claimed"}:
            area = DrawingArea(key_width, fontsize * 1.1, 0, 0)
            area.add_artist(
                Line2D(
                    [1, key_width - 1],
                    [fontsize * 0.55] * 2,
                    color=theme.muted,
                    linewidth=style.px(3),
                    dashes=_dashes(style.px(3) * 1.4),
                )
            )
            notes.append(row(area, either(("announced", "claimed"))))
        if any(
            bool(frame["planned"].any())
            for frame in (layers.flows, layers.stations)
            if "planned" in frame
        ):
            area = DrawingArea(key_width, fontsize * 1.1, 0, 0)
            area.add_artist(
                Line2D(
                    [1, key_width - 1],
                    [fontsize * 0.55] * 2,
                    color=theme.muted,
                    alpha=PLANNED_LOOK["opacity"],
                    linewidth=style.px(3),
                    dashes=_planned_dashes(style.px(3) * 1.4),
                )
            )
            notes.append(row(area, words(PLANNED_WORDS)))
        if "withdrawn" in statuses:
            area = DrawingArea(key_width, fontsize * 1.1, 0, 0)
            area.add_artist(
                Line2D(
                    [1, key_width - 1],
                    [fontsize * 0.55] * 2,
                    color=theme.muted,
                    alpha=0.35,
                    linewidth=style.px(3),
                )
            )
            notes.append(row(area, status_word("withdrawn")))
        if len(layers.flows) and not layers.flows["split_reported"].all():
            notes.append(
                TextArea(words(SPLIT_NOT_REPORTED).replace(": ", ":\n", 1), textprops=text_props)
            )
        if notes:
            sections += [heading(words("Status")), *notes]
        return VPacker(children=sections, align="left", pad=0, sep=fontsize * 0.35)

    # scale bar
    def _draw_scale_bar(self, legend: Bbox) -> Bbox:
        """A bar of a round number of kilometres, in a bottom corner the legend leaves free."""
        from matplotlib.lines import Line2D
        from matplotlib.transforms import Bbox

        x0, _y0, x1, _y1 = self.view()
        target_km = (x1 - x0) / 1000 / 6
        nice = [v * 10**k for k in range(0, 5) for v in (1, 2, 5)]
        km = max([v for v in nice if v <= target_km] or [nice[0]])
        frame = self.ax.get_window_extent(self.renderer)
        left_side = getattr(self, "legend_corner", "") != "lower left"
        inset = 10 * self.style.scale * self.style.size.dpi / 72
        to_data = self.ax.transData.inverted()
        if left_side:
            start_px = frame.x0 + inset
        else:
            start_px = frame.x1 - inset - (km * 1000) / (x1 - x0) * frame.width
        base_x, base_y = to_data.transform((start_px, frame.y0 + inset))
        end_x = base_x + km * 1000
        tick = self.units_per_point * 3
        lw = max(0.6, self.style.px(1.2))
        self.ax.add_line(
            Line2D(
                [base_x, base_x, end_x, end_x],
                [base_y + tick, base_y, base_y, base_y + tick],
                color=self.style.theme.caption,
                linewidth=lw,
                zorder=7,
                solid_joinstyle="miter",
            )
        )
        text = self.ax.text(
            (base_x + end_x) / 2,
            base_y + tick,
            language.words()("{count} km", count=language.words().number(km)),
            ha="center",
            va="bottom",
            fontsize=self.style.small,
            color=self.style.theme.caption,
            zorder=7,
        )

        _halos([text], self.style.theme.halo)
        extent = Bbox.union(
            [
                text.get_window_extent(self.renderer),
                Bbox.from_extents(
                    *self.ax.transData.transform((base_x, base_y)),
                    *self.ax.transData.transform((end_x, base_y)),
                ),
            ]
        )
        return extent.padded(3)


# --- small pieces ---------------------------------------------------------------------------


def _box_outline(
    west: float, south: float, east: float, north: float, steps: int = 8
) -> list[tuple[float, float]]:
    """Points along the edges of a box (a projected box is not a box)."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = west + (east - west) * t
        y = south + (north - south) * t
        points += [(x, south), (x, north), (west, y), (east, y)]
    return points


def _central_meridian(crs: str) -> float:
    match = re.search(r"\+lon_0=(-?[\d.]+)", crs)
    return float(match.group(1)) if match else 0.0


def _split_at_meridian(line: Any, seam: float) -> Any:
    """A line cut where it crosses the meridian ``seam`` (longitudes may run past ±180)."""
    from shapely import LineString, MultiLineString, affinity

    from ..geometry import split_at_antimeridian

    shifted = split_at_antimeridian(affinity.translate(line, xoff=180.0 - seam))
    edge = 180.0 - 1e-6  # exactly ±180 may be projected onto the other side

    def back(part: Any) -> Any:
        return LineString(
            [(min(edge, max(-edge, x)) + seam - 180.0, y) for x, y, *_ in part.coords]
        )

    if shifted.geom_type == "MultiLineString":
        return MultiLineString([back(part) for part in shifted.geoms])
    return affinity.translate(shifted, xoff=seam - 180.0)


def _cut_at_seam(countries: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """For a world projection centred away from 0°, cut the shapes along its back meridian so
    no country is smeared across the whole map."""
    import geopandas as gpd
    import pandas as pd

    lon0 = _central_meridian(crs)
    seam = ((lon0 + 180 + 180) % 360) - 180
    if abs(abs(seam) - 180) < 1e-6:
        return countries
    east = countries.clip_by_rect(-180, -90, seam - 0.01, 90)
    west = countries.clip_by_rect(seam + 0.01, -90, 180, 90)
    attributes = countries.drop(columns="geometry")
    parts = [
        gpd.GeoDataFrame(
            attributes.assign(geometry=part.values), geometry="geometry", crs=countries.crs
        )
        for part in (east, west)
    ]
    return gpd.GeoDataFrame(
        pd.concat(parts, ignore_index=True), geometry="geometry", crs=countries.crs
    )


def _country_path(geometry: Any) -> Any:
    """One matplotlib path (holes and islands included) for a (multi)polygon, or None."""
    import numpy as np
    from matplotlib.path import Path

    rings = [
        ring
        for polygon in _polygons(geometry)
        for ring in (polygon.exterior, *polygon.interiors)
        if len(ring.coords) >= 4
    ]
    if not rings:
        return None
    vertices = np.concatenate([np.asarray(r.coords)[:, :2] for r in rings])
    codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type)
    start = 0
    for ring in rings:
        codes[start] = Path.MOVETO
        codes[start + len(ring.coords) - 1] = Path.CLOSEPOLY
        start += len(ring.coords)
    return Path(vertices, codes)


def _polygons(geometry: Any) -> list[Any]:
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "Polygon":
        return [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _polygons(g)]
    return []


def _parts(geometry: Any) -> list[Any]:
    """The lines of a (multi)line or collection, without empty or point pieces."""
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "LineString":
        return [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _parts(g)]
    return []


def _trim_for_head(line: Any, width_pt: float, style: Style, per_pt: float) -> tuple[Any, Any]:
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


def _halos(texts: Sequence[Any], colour: str = "white") -> list[Any]:
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


def _station_label(row: Any) -> str:
    """The troops at this place: its own count where the CSV gives one per place."""
    return str(row.get("leg_label") or row["label"])


def _dashes(width_pt: float) -> tuple[float, float]:
    """On-off lengths in points, as the HTML map draws them (longer for wider lines)."""
    return (max(3.0, width_pt * 1.6), max(2.25, width_pt * 1.0))


def _planned_dashes(width_pt: float) -> tuple[float, float]:
    """On-off lengths in points of a planned movement (``layers.PLANNED_LOOK``)."""
    return (max(1.5, width_pt * PLANNED_LOOK["dash"]), max(2.0, width_pt * PLANNED_LOOK["gap"]))


def _with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)


# --- writing ------------------------------------------------------------------------------

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
    from ..files import atomic_output

    target = Path(path)
    data = _drawn(layers, figure_size(width, height, dpi)).to_bytes(target.suffix)
    with atomic_output(target) as handle:
        handle.write(data)
    return target
