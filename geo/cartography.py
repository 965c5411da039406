"""The cartography every output shares: the palette and a colour per actor, line widths and
circle radii, how a status is drawn (dashed, faded, planned), and the fills of countries by role.

Each renderer reads these from here (``geo.layers`` re-exports them), so the page, the static
map and the animations draw alike.
"""

from __future__ import annotations

import dataclasses
import hashlib

from . import language
from .dataset import Movement
from .errors import Problem
from .language import N_
from .style import DEFAULT_STYLE_FILE, Style, actor_key
from .theme import LIGHT

CRS = "EPSG:4326"

# Okabe & Ito's colour-blind-safe palette, without its yellow (too pale on a light map).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# The colours news maps conventionally give the two actors most often on these maps: the United
# States (and NATO allies) blue, Russia red; here the palette's blue and vermillion. Other
# actors take one of the rest by their name's hash (see docs/editing.md, "Colours").
CONVENTIONAL_COLOURS = {"united states": "#0072B2", "russia": "#D55E00"}
ACTOR_ALIASES = {
    "usa": "united states",
    "us": "united states",
    "u.s.": "united states",
    "united states of america": "united states",
    "russian federation": "russia",
}
HASHED_PALETTE = tuple(c for c in PALETTE if c not in CONVENTIONAL_COLOURS.values())
MAX_WIDTH_PX = 16.0
MIN_WIDTH_PX = 1.5
MAX_RADIUS_PX = 34.0
MIN_RADIUS_PX = 4.0
DASHED = ("announced", "claimed")
FADED = ("withdrawn",)
# A line's opacity (faded: a status of FADED), and a stationed force's fill.
OPACITY = {"full": 0.9, "faded": 0.35, "fill": 0.28}
# A fork's branch without its own count is drawn this share of the trunk's width.
UNSPLIT_BRANCH_SHARE = 0.6
# Country outlines: those that send or receive troops darker.
BORDERS = {"other": LIGHT.border, "involved": LIGHT.border_involved}  # geo.theme's light ones
# A movement drawn as planned (see geo.timeline): short dashes, lighter. Dash and gap are in
# multiples of the line's width; every output reads them from here.
PLANNED_LOOK = {"dash": 0.6, "gap": 1.2, "opacity": 0.55}

LAND = LIGHT.land  # the light theme's (geo.theme); renderers take a dark map's from its theme
ROLE_COLOURS = {role: LIGHT.fill_for(role) for role in ("receives", "sends", "both")}
ROLE_WORDS = {"receives": N_("receives or hosts troops"), "sends": N_("sends troops only")}


def actor_colour(actor: str, style: Style | None = None) -> str:
    """The colour of an actor: pinned by the style file, else the conventional one of a
    well-known actor, else one the name's hash picks from the rest of the palette. It never
    depends on which other actors are on the map."""
    pinned = style.colour_of(actor) if style is not None else None
    if pinned is not None:
        return pinned
    key = actor_key(actor)
    key = ACTOR_ALIASES.get(key, key)
    if key in CONVENTIONAL_COLOURS:
        return CONVENTIONAL_COLOURS[key]
    return HASHED_PALETTE[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(HASHED_PALETTE)]


def actor_colours(actors: list[str], style: Style | None = None) -> dict[str, str]:
    """A colour per actor (see ``actor_colour``), in order of first appearance."""
    return {a: actor_colour(a, style) for a in dict.fromkeys(actors)}


def with_row_colours(style: Style | None, movements: list[Movement]) -> Style | None:
    """The style, with the colours the CSV's ``colour`` column pins (they win over the style
    file's: they were written for this map)."""
    pinned = {actor_key(m.actor): m.colour for m in movements if m.colour}
    if not pinned:
        return style
    style = style or Style()
    return dataclasses.replace(style, colours={**style.colours, **pinned})


def colour_clashes(colours: dict[str, str], file: str, style: Style | None = None) -> list[Problem]:
    """A warning for each colour two or more actors share on this map, unless the style file
    gave it to all of them, with a free colour of the palette to pin one of them to."""
    sharing: dict[str, list[str]] = {}
    for actor, colour in colours.items():
        sharing.setdefault(colour, []).append(actor)
    free = [c for c in PALETTE if c not in sharing]
    warnings = []
    for colour, actors in sharing.items():
        unpinned = [a for a in actors if style is None or style.colour_of(a) is None]
        if len(actors) < 2 or not unpinned:
            continue
        names = " and ".join(f'"{a}"' for a in actors)
        other = free.pop(0) if free else "#RRGGBB"
        warnings.append(
            Problem(
                file,
                None,
                "actor",
                None,
                f"{names} share a colour ({colour}) on this map.",
                f"To tell them apart, pin one in a style file (--style, or {DEFAULT_STYLE_FILE}): "
                f'[colours] "{unpinned[-1]}" = "{other}".',
                "warning",
            )
        )
    return warnings


# The statuses as the map writes them (the CSV's ``status`` takes these English keys).
STATUS_WORDS = {
    "announced": N_("announced"),
    "ordered": N_("ordered"),
    "underway": N_("underway"),
    "arrived": N_("arrived"),
    "claimed": N_("claimed"),
    "withdrawn": N_("withdrawn"),
    "reported": N_("reported"),
}


def status_word(status: str) -> str:
    """A status (``claimed``) in the map's language."""
    words = language.words()
    return words(STATUS_WORDS.get(status, status))
