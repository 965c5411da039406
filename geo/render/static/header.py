"""The words around the map: title, subtitle and "as of" date above it, the sources and
credits below it, wrapped with the real font so no line runs off the figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import language
from ..credits import FOOTER_SOURCES, NATURAL_EARTH, source_sites
from .figure import LOGO_WIDTH_INCHES, text_width

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ...layers import Layers
    from .figure import Style

# The header wraps the title and the subtitle to at most this many lines each, the last ending
# in "…" when the text goes on (the full text stays in the PDF's and the page's metadata).
TITLE_LINES = 3
SUBTITLE_LINES = 3


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
        if current and text_width(renderer, candidate, fontsize, weight) > max_px:
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
    if text_width(renderer, line, fontsize, weight) <= max_px:
        return line
    low, high = 0, len(line)
    while low < high:  # the longest start of the line that fits with its "…"
        middle = (low + high + 1) // 2
        if text_width(renderer, line[:middle].rstrip() + "…", fontsize, weight) <= max_px:
            low = middle
        else:
            high = middle - 1
    return line[:low].rstrip() + "…"


def draw_header(figure: Figure, layers: Layers, style: Style, renderer: Any) -> float:
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


def caption_pieces(layers: Layers) -> list[tuple[str, str | None]]:
    """The caption's words, each with its link: one link per source site (its first report),
    at most as many sites as the page's footer links."""
    words = language.words()
    pieces: list[tuple[str, str | None]] = []
    if layers.style.credit:
        pieces.append((layers.style.credit, None))
    by_host = source_sites(layers)
    if by_host:
        pieces.append((words("Sources:") if len(by_host) > 1 else words("Source:"), None))
        hosts = list(by_host.items())[:FOOTER_SOURCES]
        more = len(by_host) - len(hosts)
        for i, (host, url) in enumerate(hosts):
            tail = "." if i == len(hosts) - 1 and not more else words(", ").rstrip()
            pieces.append((host + tail, url))
        if more:
            more_sites = words.plural("and {count} more site.", "and {count} more sites.", more)
            pieces.append((more_sites, None))
    pieces += [
        (words("Borders:"), None),
        ("Natural Earth.", NATURAL_EARTH),
        (words("Map made with troopmap."), None),
    ]
    return pieces


def draw_caption(figure: Figure, layers: Layers, style: Style, renderer: Any) -> float:
    """The sources along the bottom, wrapped, each a link in SVG and PDF; returns the figure
    fraction above them. A language written right to left sets them from the right."""
    size = style.size
    rtl = language.words().direction == "rtl"
    fontsize = style.small
    # A little wider than a space: PDF and SVG set text a hair wider than Agg measures it.
    space = text_width(renderer, "a a", fontsize) - text_width(renderer, "aa", fontsize)
    space += fontsize * 0.15 * size.dpi / 72
    max_px = (size.width - 2 * style.margin) * size.dpi
    lines: list[list[tuple[str, str | None, float]]] = [[]]
    used = 0.0
    for text, url in caption_pieces(layers):
        width = text_width(renderer, text, fontsize)
        if lines[-1] and used + space + width > max_px:
            lines.append([])
            used = 0.0
        lines[-1].append((text, url, used + (space if lines[-1] else 0.0)))
        used = lines[-1][-1][2] + width
    line_height = fontsize * 1.3 / 72
    y = style.margin + line_height * (len(lines) - 1) + fontsize * 0.25 / 72
    left, right = style.margin * size.dpi, (size.width - style.margin) * size.dpi
    for line in lines:
        for text, url, offset in line:
            artist = figure.text(
                (right - offset if rtl else left + offset) / (size.width * size.dpi),
                y / size.height,
                text,
                fontsize=fontsize,
                color=style.theme.link if url else style.theme.caption,
                va="baseline",
                ha="right" if rtl else "left",
            )
            if url:
                artist.set_url(url)
        y -= line_height
    top = style.margin + line_height * len(lines) + 0.06 * style.scale
    return top / size.height
