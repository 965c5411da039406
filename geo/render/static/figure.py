"""The figure's size, its type sizes and line widths, and the fonts and matplotlib settings
every static map is drawn with.

Sizes are given in pixels (at ``dpi``), inches, centimetres or millimetres; text is sized in
points so it stays legible in print. The same layers and options give the same bytes: the
metadata matplotlib would date-stamp is fixed (``output``), and SVG ids come from a fixed salt.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...errors import UsageError
from ...theme import LIGHT, Theme

DEFAULT_WIDTH = "8in"
DEFAULT_HEIGHT = "5.5in"
DEFAULT_DPI = 300
DEFAULT_ASPECT = 5.5 / 8
MIN_INCHES, MAX_INCHES = 2.0, 60.0
MAX_PIXELS = 100_000_000

INK = LIGHT.ink  # the light theme's; a map takes its theme's (Style.theme, geo.theme)
MUTED = LIGHT.muted
LOGO_WIDTH_INCHES = 1.1  # the house logo, top right, at most this wide (times the scale)
FONT_CHOICES = ("Liberation Sans", "Arial", "Helvetica", "DejaVu Sans")

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


def text_width(renderer: Any, text: str, fontsize: float, weight: str = "normal") -> float:
    """How wide ``text`` is drawn, in display pixels, measured with the real font."""
    from matplotlib.font_manager import FontProperties

    # The family of the figure being drawn (draw_map's rc_context): the house font, if any.
    props = FontProperties(size=fontsize, weight=weight)
    width, _, _ = renderer.get_text_width_height_descent(text, props, ismath=False)
    return float(width)
