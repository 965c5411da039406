"""The page's panels as HTML: the title, the key, the symbols' sprite, the sources and the
text for readers without scripts. Both of the page's writers put them in its body."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from .. import language
from .credits import FOOTER_SOURCES, NATURAL_EARTH, source_sites
from .inline import ascii_html
from .pageparts import legend_of

if TYPE_CHECKING:
    from ..layers import Layers
    from ..legend import Legend, Stroke
    from .pagedata import PageData


def _legend_html(legend: Legend, page: PageData, extra: str = "") -> str:
    """The key as HTML, formatted from the legend model, with the page's own notes."""
    words = language.words()
    items = [
        f'<li><span class="tm-swatch" style="background:{escape(s.colour, quote=True)}">'
        f"</span>{escape(s.label)}</li>"
        for s in legend.actors
    ]
    parts = [section(words("Who"), items)]
    if legend.widths:
        widths = [
            f'<li><svg width="44" height="{max(12, int(w.pixels) + 4)}" aria-hidden="true">'
            f'<line x1="2" x2="42" y1="50%" y2="50%" stroke="#555" '
            f'stroke-width="{w.pixels:.1f}"/></svg>{escape(w.label)}</li>'
            for w in legend.widths
        ]
        if page.merged_flows:
            widths.append(
                '<li class="tm-legend-note">'
                + escape(
                    words(
                        "One arrow per route, actor and status, as wide as its movements' "
                        "total; click it to list them."
                    )
                )
                + "</li>"
            )
        if page.fade_flows:
            widths.append(
                '<li class="tm-legend-note">'
                + escape(
                    words(
                        "Where more than {count} flows are in view, the {count} largest are "
                        "drawn in full and the others as thin, faint lines: zoom in to see them.",
                        count=words.number(page.fade_flows),
                    )
                )
                + "</li>"
            )
        parts.append(section(words("Troops moving"), widths))
    if legend.radii:
        circles = []
        for r in legend.radii:
            size = int(r.pixels * 2 + 4)
            circles.append(
                f'<li><svg width="{size}" height="{size}" aria-hidden="true">'
                f'<circle cx="{size / 2}" cy="{size / 2}" r="{r.pixels:.1f}" fill="#999" '
                f'fill-opacity="0.3" stroke="#555"/></svg>{escape(r.label)}</li>'
            )
        if page.merged_stations:
            circles.append(
                '<li class="tm-legend-note">'
                + escape(words("One circle per place, actor and status."))
                + "</li>"
            )
        if page.fade_stations:
            circles.append(
                '<li class="tm-legend-note">'
                + escape(
                    words(
                        "Where more than {count} are in view, the smaller ones are drawn faint.",
                        count=words.number(page.fade_stations),
                    )
                )
                + "</li>"
            )
        parts.append(section(words("Troops stationed"), circles))
    notes = [_stroke_html(stroke) for stroke in legend.strokes]
    notes += [f"<li>{escape(note)}</li>" for note in legend.notes]
    if notes:
        parts.append(section(words("Status"), notes))
    if legend.countries:
        items = [
            f'<li><span class="tm-swatch tm-country-swatch" style="background:'
            f'{escape(s.colour, quote=True)}"></span>{escape(s.label)}</li>'
            for s in legend.countries
        ]
        parts.append(section(words("Countries"), items))
    parts.append(extra)
    legend_label = words("Legend")
    # tabindex: a legend taller than the map scrolls, and the keyboard must reach it too.
    return (
        f'<aside class="tm-panel tm-legend" aria-label="{escape(legend_label, quote=True)}" '
        'tabindex="0">' + "".join(parts) + "</aside>"
    )


def section(title: str, items: list[str]) -> str:
    """A section of the key: its title, then its items."""
    return f"<h2>{escape(title)}</h2><ul>" + "".join(items) + "</ul>"


def _stroke_html(stroke: Stroke) -> str:
    from ..cartography import OPACITY, PLANNED_LOOK

    dashes = ' stroke-dasharray="6 4"' if stroke.dashed else ""
    fade = f' stroke-opacity="{OPACITY["faded"]}"' if stroke.faded else ""
    if stroke.planned:  # drawn wider than the others: its dashes are short
        look = PLANNED_LOOK
        return (
            '<li><svg width="44" height="10" aria-hidden="true"><line x1="2" x2="42" '
            f'y1="5" y2="5" stroke="#555" stroke-opacity="{look["opacity"]}" '
            f'stroke-width="5" stroke-dasharray="{5 * look["dash"]:g} {5 * look["gap"]:g}"/>'
            f"</svg>{escape(stroke.label)}</li>"
        )
    return (
        '<li><svg width="44" height="10" aria-hidden="true"><line x1="2" x2="42" y1="5" '
        f'y2="5" stroke="#555"{fade} stroke-width="3"{dashes}/></svg>'
        f"{escape(stroke.label)}</li>"
    )


def _sources_html(layers: Layers) -> str:
    """The footer: a link per source site (its first report), at most FOOTER_SOURCES of them;
    every report stays linked from its movement's popup."""
    by_host = source_sites(layers)
    links = [
        f'<a href="{escape(url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{escape(host)}</a>'
        for host, url in list(by_host.items())[:FOOTER_SOURCES]
    ]
    words = language.words()
    if len(by_host) > FOOTER_SOURCES:
        more = len(by_host) - FOOTER_SOURCES
        links.append(
            escape(
                words.plural(
                    "{count} more site (see the popups)",
                    "{count} more sites (see the popups)",
                    more,
                )
            )
        )
    sources = (
        escape(words("Sources: {sites}. ", sites="\0")).replace("\0", ", ".join(links))
        if links
        else ""
    )
    borders = escape(words("Borders: {source}.", source="\0")).replace(
        "\0",
        f'<a href="{NATURAL_EARTH}" target="_blank" rel="noopener noreferrer">Natural Earth</a>',
    )
    made = escape(words("Map made with troopmap."))
    credit = layers.style.credit
    credit = f'<span class="tm-credit">{escape(credit)}</span> ' if credit else ""
    get_data = _get_data_html(layers)
    return f'<footer class="tm-footer">{credit}{get_data}{sources}{borders} {made}</footer>'


def _get_data_html(layers: Layers) -> str:
    """The "Get the data" links: download.js makes each file from the page's data when the
    reader clicks, so they stay hidden until the script has run."""
    if not layers.style.data_download:
        return ""
    stem = escape(layers.file_stem, quote=True)
    links = [
        f'<a href="#" download="{stem}.{ext}" data-tm-get="{ext}" rel="nofollow">{label}</a>'
        for ext, label in (("csv", "CSV"), ("geojson", "GeoJSON"))
    ]
    words = language.words()
    text = escape(words("Get the data: {files}.", files="\0"))
    return f'<span class="tm-get-data" hidden>{text.replace(chr(0), " · ".join(links))} </span>'


def panels_html(layers: Layers, symbols: Any, page: PageData) -> str:
    """The title, the key, the symbols' sprite, the sources and the text without scripts."""
    from .page_extras import as_of_id, legend_notes

    as_of = ""
    timeline = page.data.get("timeline")
    opening = (
        date.fromisoformat(timeline["start"]) if timeline and timeline["start"] else layers.as_of
    )
    if opening:
        # The timeline keeps this line on the day its slider shows.
        words = language.words()
        as_of = escape(words("As of {date}", date=words.long_date(opening)))
        as_of = f'<p class="tm-asof" id="{as_of_id(layers)}">{as_of}</p>'
    subtitle = f'<p class="tm-subtitle">{escape(layers.subtitle)}</p>' if layers.subtitle else ""
    logo = layers.style.logo
    logo_html = f'<img class="tm-logo" src="{logo.data_uri()}" alt="">' if logo else ""
    summary = escape(layers.summary)
    caption = f'<p class="tm-sr-only" id="tm-summary-{layers.key}">{summary}</p>'
    panels = "\n".join(
        [
            f'<header class="tm-panel tm-title">{logo_html}<h1>{escape(layers.title)}</h1>'
            f"{subtitle}{as_of}"
            f"{caption}</header>",
            _legend_html(
                page.legend or legend_of(layers, page), page, legend_notes(layers, symbols)
            ),
            symbols.sprite(),
            _sources_html(layers),
            f'<noscript><p class="tm-noscript">{summary}</p></noscript>',
        ]
    )
    return ascii_html(panels)
