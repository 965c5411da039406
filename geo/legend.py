"""The map's key as data, decided once for every renderer: who is which colour, what a line's
width and a circle's size mean in troops, which statuses are dashed or faded, what the tint of
a country says, and the notes the key must add.

    key = legend_for(layers)                       # widths and radii as the geo layer draws them
    key = legend_for(layers, width_for=page.width_for, largest_flow=page.largest_flow, ...)

A renderer formats it (the page's HTML key, the static map's legend) and may add notes of its
own (how it draws ten thousand flows); it never decides again what the key says. ``as_json``
gives it to the page's script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from . import language
from .cartography import (
    BORDERS,
    DASHED,
    FADED,
    MIN_RADIUS_PX,
    MIN_WIDTH_PX,
    OPACITY,
    ROLE_WORDS,
    UNSPLIT_BRANCH_SHARE,
    status_word,
)
from .language import N_
from .theme import theme_named
from .timeline import any_planned

if TYPE_CHECKING:
    from .layers import Layers

SPLIT_NOT_REPORTED = N_("A fork without counts: the split was not reported.")
REFERENCE_LINES = 3  # reference widths in the key, the largest first rounded down
REFERENCE_CIRCLES = 2
# Above these counts a map is too busy for every label: its figures and names are left to the
# popups (the page) or left out (the static map). Unit symbols' names are on the page only.
LABEL_LIMITS = {"flows": 60, "stations": 60, "places": 80, "units": 60}


@dataclass(frozen=True)
class Swatch:
    """A patch of colour and what it stands for (an actor, a country's part)."""

    label: str
    colour: str


@dataclass(frozen=True)
class Size:
    """A reference line width or circle radius, in screen pixels, for a number of troops."""

    troops: int
    pixels: float
    label: str


@dataclass(frozen=True)
class Stroke:
    """How the movements of some statuses are drawn: dashed, faded."""

    label: str
    statuses: tuple[str, ...]
    dashed: bool = False
    faded: bool = False
    planned: bool = False  # a plan reported ahead of its dates (``cartography.PLANNED_LOOK``)


@dataclass(frozen=True)
class Legend:
    """Everything the key of one map says, in the order it says it."""

    actors: tuple[Swatch, ...]
    widths: tuple[Size, ...] = ()
    radii: tuple[Size, ...] = ()
    strokes: tuple[Stroke, ...] = ()
    notes: tuple[str, ...] = ()
    countries: tuple[Swatch, ...] = ()
    rules: dict[str, list[str]] = field(default_factory=dict)
    style: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def legend_for(
    layers: Layers,
    *,
    width_for: Callable[[int], float] | None = None,
    radius_for: Callable[[int], float] | None = None,
    largest_flow: int | None = None,
    largest_station: int | None = None,
    one_day: bool = False,
    planned: bool | None = None,
) -> Legend:
    """The key of the map of ``layers``. A renderer that scales widths or radii its own way
    (the page scales them to its largest merged flow) passes its scale and largest values;
    one that knows already whether a movement is drawn as planned on some day, ``planned``.

    ``one_day``: the key of a map drawn as it stands on one day (a static map, a frame of an
    animation), which shows a plan only when one is drawn as planned; without it, the key of
    a map with a timeline, on which any movement reported ahead of its dates is a plan for a
    while."""
    width_for = width_for or layers.width_for
    radius_for = radius_for or layers.radius_for
    if largest_flow is None:
        largest_flow = _largest(layers.legs.table, "troops")
    if largest_station is None:
        largest_station = _largest(layers.stations, "leg_troops")
    words = language.words()
    return Legend(
        actors=tuple(Swatch(actor, colour) for actor, colour in layers.actors.items()),
        widths=tuple(
            Size(t, round(width_for(t), 1), words("{count} troops", count=words.number(t)))
            for t in _references(largest_flow, REFERENCE_LINES)
        ),
        radii=tuple(
            Size(t, round(radius_for(t), 1), words("{count} stationed", count=words.number(t)))
            for t in _references(largest_station, REFERENCE_CIRCLES)
        ),
        strokes=status_strokes(_statuses(layers))
        + (drawn_plan_strokes(layers) if one_day else plan_strokes(layers, planned)),
        notes=(words(SPLIT_NOT_REPORTED),) if _has_unsplit_fork(layers) else (),
        countries=country_swatches(layers),
        rules=stroke_rules(),
        style=drawing_style(),
    )


def drawing_style() -> dict[str, Any]:
    """The sizes, opacities, label limits and border greys every map is drawn with
    (``geo.cartography``, ``LABEL_LIMITS``): the page's script reads them from its data
    (``legend.style``) and copies none of them."""
    return {
        "minWidth": MIN_WIDTH_PX,
        "minRadius": MIN_RADIUS_PX,
        "unsplitBranch": UNSPLIT_BRANCH_SHARE,
        "opacity": dict(OPACITY),
        "labelLimits": dict(LABEL_LIMITS),
        "borders": dict(BORDERS),
    }


def stroke_rules() -> dict[str, list[str]]:
    """Which statuses are dashed and which faded: the one rule every renderer draws by."""
    return {"dashed": list(DASHED), "faded": list(FADED)}


def status_strokes(statuses: set[str]) -> tuple[Stroke, ...]:
    """The strokes the key shows for the statuses on the map: only those drawn differently."""
    strokes = []
    dashed = tuple(s for s in DASHED if s in statuses)
    if dashed:
        strokes.append(Stroke(either(dashed), dashed, dashed=True))
    faded = tuple(s for s in FADED if s in statuses)
    if faded:
        strokes.append(Stroke(either(faded), faded, faded=True))
    return tuple(strokes)


def either(statuses: tuple[str, ...]) -> str:
    """``announced or claimed``, in the map's language."""
    words = language.words()
    names = [status_word(s) for s in statuses]
    if len(names) == 1:
        return names[0]
    return words("{first} or {last}", first=", ".join(names[:-1]), last=names[-1])


PLANNED_WORDS = N_("planned: reported ahead of its dates")


def plan_strokes(layers: Layers, planned: bool | None = None) -> tuple[Stroke, ...]:
    """The stroke of a plan, when a movement of the map is one on some day (``geo.timeline``;
    ``planned`` when the caller knows)."""
    if planned if planned is not None else any_planned(layers.movements):
        words = language.words()
        return (Stroke(words(PLANNED_WORDS), (), planned=True),)
    return ()


def drawn_plan_strokes(layers: Layers) -> tuple[Stroke, ...]:
    """The stroke of a plan, when something on the map is drawn as planned on its day."""
    if any(
        bool(frame["planned"].any())
        for frame in (layers.legs.table, layers.stations)
        if "planned" in frame
    ):
        words = language.words()
        return (Stroke(words(PLANNED_WORDS), (), planned=True),)
    return ()


def country_swatches(layers: Layers) -> tuple[Swatch, ...]:
    """The tints of the countries that send or receive troops, as the map shows them."""

    theme = theme_named(layers.style.theme)
    roles = set(layers.countries["role"])
    if "both" in roles:
        roles.add("receives")
    words = language.words()
    return tuple(
        Swatch(words(ROLE_WORDS[r]), theme.fill_for(r)) for r in ("receives", "sends") if r in roles
    )


def reference_values(largest: int, count: int = 3) -> list[int]:
    """Round numbers for a legend up to the largest: 30,000 → [2,000, 10,000, 30,000]."""
    top = _round_down(max(1, largest))
    nice = sorted({m * 10**k for k in range(8) for m in (1, 2, 5)})
    values = [top]
    for divisor in (3, 10)[: count - 1]:
        below = [v for v in nice if v <= top / divisor]
        if below and below[-1] not in values:
            values.append(below[-1])
    return sorted(values)


def _references(largest: int, count: int) -> list[int]:
    return reference_values(largest, count) if largest else []


def _round_down(value: int) -> int:
    digits = len(str(value)) - 1
    unit = 10 ** max(0, digits - 1)
    return max(1, value // unit * unit)


def _largest(frame: Any, column: str) -> int:
    if not len(frame) or column not in frame:
        return 0
    return int(max(frame[column]))


def _statuses(layers: Layers) -> set[str]:
    return {
        s
        for frame in (layers.legs.table, layers.stations)
        if "status" in frame
        for s in frame["status"].unique()
    }


def _has_unsplit_fork(layers: Layers) -> bool:
    return bool(len(layers.legs)) and not bool(layers.legs.table["split_reported"].all())
