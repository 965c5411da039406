"""Movements + gazetteer → the geo layer: GeoDataFrames every renderer draws from.

``build_layers`` resolves every place (collecting every unknown name at once), draws the flows
(curved arcs, forks, arrowheads), the stationed forces and the places, tints the countries by
role, and decides the cartography shared by all outputs: a colour per actor, a width per flow
(∝ √troops), dashes for announced or claimed, fading for withdrawn.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import language
from .dataset import (
    Dataset,
    DateSpan,
    Movement,
    PlaceRef,
    collector_paused,
    remove_control_characters,
)
from .errors import DataError, Problem
from .gazetteer import (
    COORDINATES_HINT,
    Gazetteer,
    Place,
    Resolution,
    UnknownPlace,
    coordinates_off_earth,
)
from .language import N_
from .legs import FlowLegs, flow_legs, station_frame
from .paths import bundled
from .style import DEFAULT_STYLE_FILE, Style, actor_key
from .summary import long_date as long_date  # re-exported: renderers write dates alike
from .summary import summarise
from .theme import LIGHT
from .timeline import opening_day

if TYPE_CHECKING:
    import geopandas as gpd

    from .symbols import UnitSymbol

CRS = "EPSG:4326"
# A lone surrogate: bytes of a title that were not UTF-8, as Python keeps them.
_SURROGATE = re.compile("[\ud800-\udfff]")

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
FOCUS_KM = 2500.0
SUGGESTED_NAMES = 20  # unknown places that get "Did you mean": each takes ~0.2 s to look up


@dataclass
class Layers:
    """Everything a renderer needs, in EPSG:4326. Renderers read only this."""

    legs: FlowLegs  # the flows, with their arcs traced when first asked for (``geo.legs``)
    stations: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    actors: dict[str, str]
    title: str
    subtitle: str
    as_of: date | None
    sources: list[str]
    summary: str
    width_scale: float
    radius_scale: float
    warnings: list[Problem] = field(default_factory=list)
    key: str = ""
    movements: list[Movement] = field(default_factory=list)
    extent: tuple[float, float, float, float] | None = None
    csv_text: str = ""  # the user's file as CSV text, offered back by the page
    file_stem: str = "movements"  # the name of the user's file, for the files offered
    style: Style = field(default_factory=Style)  # the house choices the renderers follow

    @property
    def flows(self) -> gpd.GeoDataFrame:
        """One row per leg (a direct flow, or a fork's trunk and each branch), with its arc."""
        return self.legs.flows

    @property
    def heads(self) -> gpd.GeoDataFrame:
        """The arrowheads: one per leg that ends at a place."""
        return self.legs.heads

    def width_for(self, troops: int) -> float:
        return max(MIN_WIDTH_PX, self.width_scale * math.sqrt(troops))

    def radius_for(self, troops: int) -> float:
        return max(MIN_RADIUS_PX, self.radius_scale * math.sqrt(troops))

    @functools.cached_property
    def focus(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of where things happen: destinations, stationed forces,
        and the origins near them. A far origin (troops flown in from another continent) is
        left out, so the map frames the theatre and its arcs enter from the edge.

        A map filtered to one day (``geo.timeline.layers_as_of``) keeps the whole map's
        ``extent``, so maps of several days line up."""
        from .geometry import distance_km

        if self.extent is not None:
            return self.extent
        targets = [(g.x, g.y) for g in self.stations.geometry]
        targets += [
            (g.x, g.y)
            for g, r in zip(self.places.geometry, self.places.get("role", []), strict=True)
            if r != "origin"
        ]
        if len(self.legs):
            trunks = self.legs.table["leg"].to_numpy() == "trunk"
            targets += [tuple(p) for p in self.legs.ends()[1][trunks].tolist()]  # forks split
        if not targets:
            return self.bounds
        lon = sum(p[0] for p in targets) / len(targets)
        lat = sum(p[1] for p in targets) / len(targets)
        points = targets + [
            (g.x, g.y)
            for g, r in zip(self.places.geometry, self.places["role"], strict=True)
            if r == "origin" and distance_km((lon, lat), (g.x, g.y)) <= FOCUS_KM
        ]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of everything drawn."""
        import pandas as pd

        frames = [f for f in (self.flows, self.stations, self.places) if len(f)]
        minx, miny, maxx, maxy = (
            pd.concat([f.geometry.bounds for f in frames])
            .agg(["min", "max"])
            .to_numpy()[[0, 0, 1, 1], [0, 1, 2, 3]]
        )
        return float(minx), float(miny), float(maxx), float(maxy)


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


def resolve_places(
    dataset: Dataset, gazetteer: Gazetteer
) -> tuple[dict[str, Resolution], list[Problem]]:
    """Resolve every place the movements name; unknown names become problems, all at once.

    A file names few places many times: each name is looked up once, at its first mention
    (where an ambiguous name is warned about). Only when a name is unknown, which is reported
    on every row that names it, are all the mentions gone through.
    """
    first: dict[str, PlaceRef] = {}
    seen: set[int] = set()  # rows share their parsed destinations: go through each once
    for m in dataset:
        if m.origin is not None and m.origin not in first:
            first[m.origin] = PlaceRef(m.row, "origin", m.origin)
        if id(m.destinations) in seen:
            continue
        seen.add(id(m.destinations))
        for d in m.destinations:
            if d.place not in first:
                first[d.place] = PlaceRef(m.row, "destination", d.place)
    resolved, problems = resolve_names(dataset.path, first.values(), gazetteer)
    if len(resolved) == len(first):
        return resolved, problems
    refs = [PlaceRef(m.row, column, name) for m in dataset for column, name in m.place_names]
    return resolve_names(dataset.path, refs, gazetteer)


def resolve_names(
    file: str, refs: Iterable[PlaceRef], gazetteer: Gazetteer
) -> tuple[dict[str, Resolution], list[Problem]]:
    """Resolve each named place once, toward the file's other places: an error per unknown
    name (with the closest known names) and a warning the first time an ambiguous name is met."""
    refs = list(refs)
    answers = gazetteer.resolve_all(ref.name for ref in refs)
    resolved: dict[str, Resolution] = {}
    problems: list[Problem] = []
    warned: set[str] = set()
    suggested: set[str] = set()
    for ref in refs:
        name = ref.name
        resolution = answers[name]
        if isinstance(resolution, UnknownPlace):
            unknown = resolution
            if len(suggested) < SUGGESTED_NAMES:  # looking for close names is slow: the first few
                suggested.add(name)
            look = name in suggested
            off_earth = coordinates_off_earth(name)
            if off_earth:
                problems.append(
                    Problem(
                        file,
                        ref.row,
                        ref.column,
                        name,
                        f'"{name}" is no point on Earth: {off_earth}.',
                        COORDINATES_HINT,
                    )
                )
                continue
            problems.append(
                Problem(
                    file,
                    ref.row,
                    ref.column,
                    name,
                    f'unknown place "{name}".',
                    _suggestion(unknown, look),
                    choices=tuple(unknown.suggestions) if look else (),
                )
            )
            continue
        resolved[name] = resolution
        if resolution.warns and name not in warned:
            warned.add(name)
            problems.append(
                Problem(file, ref.row, ref.column, name, resolution.warning(), severity="warning")
            )
    return resolved, problems


def _suggestion(unknown: UnknownPlace, look: bool = True) -> str:
    if look and unknown.suggestions:
        names = ", ".join(f'"{s}"' for s in unknown.suggestions)
        return f"Did you mean {names}? Or add it to a places file (--places)."
    return "Add it to a places file (--places), or write its coordinates as lat,lon."


def _given_text(text: str) -> str:
    """A title or subtitle a program gave: without control characters, and with each lone
    surrogate (bytes that were not UTF-8, as Python keeps them) as U+FFFD, which every output
    can encode."""
    return _SURROGATE.sub("\ufffd", remove_control_characters(text)[0])


def build_layers(
    dataset: Dataset,
    gazetteer: Gazetteer | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    style: Style | None = None,
) -> Layers:
    """Resolve, draw and style the movements; raise DataError listing every unknown place.
    ``style`` holds the house choices (``geo.style``): colours pinned to actors."""
    with collector_paused(), language.speaking(style.lang if style else None):
        return _build_layers(dataset, gazetteer, title=title, subtitle=subtitle, style=style)


def _build_layers(
    dataset: Dataset,
    gazetteer: Gazetteer | None,
    *,
    title: str | None,
    subtitle: str | None,
    style: Style | None,
) -> Layers:
    import geopandas as gpd

    gazetteer = gazetteer or Gazetteer()
    resolved, problems = resolve_places(dataset, gazetteer)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    movements = list(dataset)
    style = with_row_colours(style, movements)
    colours = actor_colours([m.actor for m in movements], style)
    problems += colour_clashes(colours, dataset.path, style)
    if style is not None:
        problems += style.warnings
    width_scale, radius_scale = _scales(movements)
    table = _movement_frame(movements, colours)
    legs = flow_legs(movements, table, resolved, width_scale)
    labels = place_labels(resolved, gazetteer)
    stations = station_frame(movements, table, resolved, radius_scale, labels)
    places = _place_records(movements, resolved, gazetteer, labels)
    countries = country_frame(places)
    as_of = _as_of(movements)
    layers = Layers(
        legs=legs
        if legs is not None
        else FlowLegs.of_frames(_empty(gpd, "line"), _empty(gpd, "polygon")),
        stations=stations if stations is not None else _empty(gpd, "point"),
        places=gpd.GeoDataFrame(places, geometry="geometry", crs=CRS)
        if places
        else _empty(gpd, "point"),
        countries=countries,
        actors=colours,
        # Control characters dropped as from the CSV: an SVG or XML output cannot hold them.
        title=_given_text(title) if title else default_title(movements, as_of),
        subtitle=_given_text(subtitle) if subtitle is not None else default_subtitle(movements),
        as_of=as_of,
        sources=list(dict.fromkeys(m.source for m in movements if m.source)),
        summary=summarise(movements),
        width_scale=width_scale,
        radius_scale=radius_scale,
        warnings=[*dataset.warnings, *problems],
        movements=movements,
        csv_text=dataset.text,
        file_stem=file_stem(dataset.path),
        style=style or Style(),
    )
    layers.key = _layers_key(dataset, layers.title)
    return layers


def destinations_text(movement: Movement) -> str:
    """``Germany and Poland``; ``Rzeszów, Wiesbaden, Vilseck``: in the map's language."""
    words = language.words()
    places = [d.place for d in movement.destinations]
    if len(places) == 2:
        return words("{first} and {last}", first=places[0], last=places[1])
    return words(", ").join(places)


def file_stem(name: str) -> str:
    """The name files made from the user's file are offered under: ``data/deployments.csv``
    → ``deployments``; letters, digits, ``-``, ``_`` and ``.`` only; ``movements`` when the
    file has no name (standard input)."""
    base = re.split(r"[\\/]", name.split(" (bundled)")[0].split(", sheet ")[0])[-1]
    stem = re.sub(r"[^\w.-]+", "-", base.rsplit(".", 1)[0] if "." in base else base).strip(".-")
    return stem[:80] if stem and name != "standard input" else "movements"


def _empty(gpd: Any, kind: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=CRS)}, geometry="geometry", crs=CRS)


def _scales(movements: list[Movement]) -> tuple[float, float]:
    moving = [m.troops for m in movements if not m.stationed] or [1]
    stationed = [m.troops for m in movements if m.stationed] or [1]
    return (
        MAX_WIDTH_PX / math.sqrt(max(max(moving), 1)),
        MAX_RADIUS_PX / math.sqrt(max(max(stationed), 1)),
    )


def _point(resolution: Resolution) -> tuple[float, float]:
    return resolution.place.lon, resolution.place.lat


def troops_label(movement: Movement) -> str:
    """``"~30,000"``, ``"2,000 · split not reported"``."""
    words = language.words()
    text = f"{'~' if movement.estimate else ''}{words.number(movement.troops)}"
    if not movement.split_reported:
        text += " · " + words("split not reported")
    return text


def _movement_columns(movements: list[Movement], colours: list[str]) -> dict[str, list[Any]]:
    """The movement columns of the layers, one entry per movement, built column by column.

    Values many rows share (a day, a troop count, a symbol) are written out once, and the rows
    share the one string.
    """
    dates = [m.date for m in movements]
    statuses = [m.status for m in movements]
    days: dict[int, tuple[str, str, str]] = {}  # by id: rows share their parsed dates
    by_value: dict[DateSpan, tuple[str, str, str]] = {}  # and equal dates, their strings
    for d in dates:
        if d is not None and id(d) not in days:
            found = by_value.get(d)
            if found is None:
                found = by_value[d] = (d.text, d.start.isoformat(), d.end.isoformat())
            days[id(d)] = found
    undated = ("", "", "")
    date_texts = [days[id(d)] if d is not None else undated for d in dates]
    split: dict[int, bool] = {}  # rows share their parsed destinations: judge each once
    texts: dict[int, str] = {}
    for m in movements:
        if id(m.destinations) not in split:
            split[id(m.destinations)] = m.split_reported
            texts[id(m.destinations)] = destinations_text(m)
    splits = [split[id(m.destinations)] for m in movements]
    labels: dict[tuple[int, bool, bool], str] = {}
    for m, reported in zip(movements, splits, strict=True):
        key = (m.troops, m.estimate, reported)
        if key not in labels:
            labels[key] = troops_label(m)
    symbols: dict[UnitSymbol, tuple[str, str]] = {}
    unit_symbols = [m.unit_symbol for m in movements]
    for symbol in unit_symbols:
        if symbol is not None and symbol not in symbols:
            symbols[symbol] = (symbol.sidc, symbol.words)
    no_symbol = ("", "")
    symbol_texts = [symbols[s] if s is not None else no_symbol for s in unit_symbols]
    reported_days: dict[date, str] = {}
    for m in movements:
        if m.reported is not None and m.reported not in reported_days:
            reported_days[m.reported] = m.reported.isoformat()
    return {
        "movement": [m.id for m in movements],
        "row": [m.row for m in movements],
        "actor": [m.actor for m in movements],
        "unit": [m.unit for m in movements],
        "origin": [m.origin or "" for m in movements],
        "destination": [texts[id(m.destinations)] for m in movements],
        "troops": [m.troops for m in movements],
        "estimate": [m.estimate for m in movements],
        "split_reported": splits,
        "label": [
            labels[(m.troops, m.estimate, reported)]
            for m, reported in zip(movements, splits, strict=True)
        ],
        "date": [t[0] for t in date_texts],
        "date_start": [t[1] for t in date_texts],
        "date_end": [t[2] for t in date_texts],
        "reported": [
            reported_days[m.reported] if m.reported is not None else "" for m in movements
        ],
        "status": statuses,
        "source": [m.source for m in movements],
        "notes": [m.notes for m in movements],
        "symbol": [m.symbol for m in movements],
        "affiliation": [m.affiliation for m in movements],
        "sidc": [t[0] for t in symbol_texts],
        "symbol_name": [t[1] for t in symbol_texts],
        "colour": colours,
        "dashed": [s in DASHED for s in statuses],
        "faded": [s in FADED for s in statuses],
    }


def _movement_frame(movements: list[Movement], colours: dict[str, str]) -> Any:
    """The movement columns as a frame. Each column is handed over as an array of its type (a
    text column as objects), so that pandas need not look at every value to find it."""
    import numpy as np
    import pandas as pd

    columns = _movement_columns(movements, [colours[m.actor] for m in movements])
    if not movements:
        return pd.DataFrame(columns)
    return pd.DataFrame(
        {
            name: np.array(values, dtype=object)
            if values and isinstance(values[0], str)
            else np.array(values)
            for name, values in columns.items()
        }
    )


def place_labels(resolved: dict[str, Resolution], gazetteer: Gazetteer) -> dict[str, str]:
    """What the map writes beside each place: its name as the user wrote it, or for a place
    given as coordinates the closest named place ("near Amsterdam"), or nothing when none is
    near. The coordinates themselves stay in the popups and the GIS files."""
    words = language.words()
    labels = {}
    for name, resolution in resolved.items():
        place = resolution.place
        if place.kind != "point":
            labels[name] = name
            continue
        near = gazetteer.nearest(place.lat, place.lon)
        labels[name] = words("near {place}", place=near.name) if near is not None else ""
    return labels


def _place_records(
    movements: list[Movement],
    resolved: dict[str, Resolution],
    gazetteer: Gazetteer,
    labels: dict[str, str],
) -> list[dict[str, Any]]:
    from shapely import Point

    roles: dict[str, set[str]] = {}
    for movement in movements:
        if movement.origin:
            roles.setdefault(movement.origin, set()).add("origin")
        for destination in movement.destinations:
            role = "station" if movement.stationed else "destination"
            roles.setdefault(destination.place, set()).add(role)
    records = []
    seen: set[Place] = set()
    for name, role_set in roles.items():
        place = resolved[name].place
        if place in seen:
            continue
        seen.add(place)
        records.append(
            {
                "name": name,
                "label": labels[name] if place.kind == "point" else place.name,
                "resolved_name": place.name,
                "kind": place.kind,
                "country": place.country,
                "country_name": gazetteer.country_name(place.country) if place.country else "",
                "source": place.source,
                "role": "+".join(sorted(role_set)),
                "geometry": Point(place.lon, place.lat),
            }
        )
    return records


def country_frame(places: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """The bundled country shapes, each with its role in the movements (or none)."""
    import geopandas as gpd

    countries = load_countries()
    role: dict[str, str] = {}
    for place in places:
        if not place["country"]:
            continue
        roles = set(place["role"].split("+"))
        kind = "sends" if roles == {"origin"} else "both" if "origin" in roles else "receives"
        previous = role.get(place["country"])
        role[place["country"]] = kind if previous in (None, kind) else "both"
    countries = countries.copy()
    countries["role"] = [role.get(code, "") for code in countries["iso_a2"]]
    countries["fill"] = countries["role"].map(ROLE_COLOURS).fillna(LAND)
    return gpd.GeoDataFrame(countries, geometry="geometry", crs=CRS)


_COUNTRIES_CACHE: dict[str, Any] = {}


def load_countries() -> gpd.GeoDataFrame:
    """The bundled Natural Earth country shapes (recognised borders: Crimea is Ukraine)."""
    import geopandas as gpd
    import pandas as pd

    from .gazetteer import bundled_country_properties, bundled_country_shapes

    path: Path = bundled("countries.geojson")
    if str(path) not in _COUNTRIES_CACHE:
        # Read with json and GEOS rather than GDAL: the same frame, without loading GDAL
        # (about 100 MB of memory and a quarter of a second) for one small file.
        properties = pd.DataFrame(bundled_country_properties())
        shapes = gpd.GeoSeries(bundled_country_shapes(), crs=CRS)
        _COUNTRIES_CACHE[str(path)] = gpd.GeoDataFrame(properties, geometry=shapes, crs=CRS)
    return _COUNTRIES_CACHE[str(path)]


def _as_of(movements: list[Movement]) -> date | None:
    """The latest reported day (see ``timeline.opening_day``)."""
    return opening_day(movements)


def default_title(movements: list[Movement], as_of: date | None) -> str:
    words = language.words()
    actors = list(dict.fromkeys(m.actor for m in movements))
    if len(actors) <= 3:
        who = (
            words("{first} and {last}", first=", ".join(actors[:-1]), last=actors[-1])
            if len(actors) > 1
            else "".join(actors)
        )
        return words("{actors}: troop movements", actors=who)
    return words("Troop movements")


def default_subtitle(movements: list[Movement]) -> str:
    moving = sum(1 for m in movements if not m.stationed)
    stationed = len(movements) - moving
    words = language.words()
    parts = []
    if moving:
        parts.append(words.plural("{count} movement", "{count} movements", moving))
    if stationed:
        parts.append(words.plural("{count} stationed force", "{count} stationed forces", stationed))
    if len(parts) == 2:
        return words(
            "{movements} and {stationed} as reported", movements=parts[0], stationed=parts[1]
        )
    return words("{movements} as reported", movements="".join(parts))


def gazetteer_names(resolved: dict[str, Resolution]) -> dict[str, str]:
    return {name: r.place.name if r.place.kind != "point" else name for name, r in resolved.items()}


def _layers_key(dataset: Dataset, title: str) -> str:
    """A short id unique to this map's content: element ids stay deterministic yet never clash
    when two maps share a page."""
    digest = hashlib.sha1(title.encode())
    places: dict[int, str] = {}  # rows share their parsed destinations: write each out once
    parts = []
    for m in dataset:
        destinations = places.get(id(m.destinations))
        if destinations is None:
            destinations = places[id(m.destinations)] = repr(m.destinations)
        # the text of repr((m.id, m.actor, m.origin, m.destinations, m.troops))
        parts.append(f"({m.id!r}, {m.actor!r}, {m.origin!r}, {destinations}, {m.troops!r})")
        if len(parts) == 4096:  # hashed as it goes: the text of a large file is many MB
            digest.update("".join(parts).encode())
            parts.clear()
    digest.update("".join(parts).encode())
    return digest.hexdigest()[:8]


def reference_width_ratio(layers: Layers, small: int, large: int) -> float:
    """How much wider the flow of ``large`` troops is drawn than that of ``small``."""
    return layers.width_for(large) / layers.width_for(small)
