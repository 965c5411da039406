"""The geo layer → a print-quality static map: PNG, SVG or PDF, drawn with matplotlib (Agg).

The cartography is the HTML map's: the same colour per actor, arrow widths ∝ √troops with
heads, dashes for announced or claimed movements, fading for withdrawn ones, circles for
stationed forces, the involved countries tinted, places and countries named, a title with
its subtitle and "as of" date, a legend of actors and widths, and the sources as a caption.
The key says what ``geo.legend`` decides for every renderer.

One module a concern, in the order a map is drawn:

- ``figure``: the figure's size, type sizes and line widths, fonts and matplotlib settings;
- ``header``: title, subtitle and "as of" above the map, sources and credits below it;
- ``projection``: the projection, the extent, and longitude/latitude → map units;
- ``basemap``: the sea, the globe's outline, the country shapes;
- ``marks``: flows and arrowheads, stationed forces, unit symbols, place dots;
- ``key``: the legend; ``scalebar``: the scale bar;
- ``placement`` and ``labels``: where each label goes, and which labels the map has;
- ``drawing``: small pieces shared by these (dashes, halos, arrowheads);
- ``draw``: the whole map in that order, its bytes, and writing it to a file.
"""

from __future__ import annotations

from ...legend import LABEL_LIMITS
from .basemap import BORDER, BORDER_INVOLVED, SEA
from .draw import FORMATS, StaticMap, draw_map, render_static, write_static
from .figure import (
    DEFAULT_ASPECT,
    DEFAULT_DPI,
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    FONT_CHOICES,
    INK,
    MAX_INCHES,
    MAX_PIXELS,
    MIN_INCHES,
    MUTED,
    Size,
    Style,
    figure_size,
    font_families,
    parse_length,
    rc_params,
)
from .header import SUBTITLE_LINES, TITLE_LINES, wrap_lines
from .labels import COUNTRY_TEXT, COUNTRY_TEXT_INVOLVED
from .projection import REGIONAL_RADIUS_KM, projection_for

__all__ = [
    "BORDER",
    "BORDER_INVOLVED",
    "COUNTRY_TEXT",
    "COUNTRY_TEXT_INVOLVED",
    "DEFAULT_ASPECT",
    "DEFAULT_DPI",
    "DEFAULT_HEIGHT",
    "DEFAULT_WIDTH",
    "FONT_CHOICES",
    "FORMATS",
    "INK",
    "LABEL_LIMITS",
    "MAX_INCHES",
    "MAX_PIXELS",
    "MIN_INCHES",
    "MUTED",
    "REGIONAL_RADIUS_KM",
    "SEA",
    "SUBTITLE_LINES",
    "TITLE_LINES",
    "Size",
    "StaticMap",
    "Style",
    "draw_map",
    "figure_size",
    "font_families",
    "parse_length",
    "projection_for",
    "rc_params",
    "render_static",
    "wrap_lines",
    "write_static",
]
