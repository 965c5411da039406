"""Movements + gazetteer → the geo layer: GeoDataFrames every renderer draws from.

``build_layers`` resolves every place (collecting every unknown name at once), draws the flows
(curved arcs, forks, arrowheads), the stationed forces and the places, tints the countries by
role, and decides the cartography shared by all outputs: a colour per actor, a width per flow
(∝ √troops), dashes for announced or claimed, fading for withdrawn.

Each stage has its module, whose public names are importable from here too:
``geo.resolving`` (names → places), ``geo.movement_table`` (the movement columns),
``geo.legs`` (flows and stationed forces), ``geo.place_frames`` (places, countries, areas) and
``geo.cartography`` (colours, widths, looks).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from . import language
from .cartography import (
    ACTOR_ALIASES,
    BORDERS,
    CONVENTIONAL_COLOURS,
    CRS,
    DASHED,
    FADED,
    HASHED_PALETTE,
    LAND,
    MAX_RADIUS_PX,
    MAX_WIDTH_PX,
    MIN_RADIUS_PX,
    MIN_WIDTH_PX,
    OPACITY,
    PALETTE,
    PLANNED_LOOK,
    ROLE_COLOURS,
    ROLE_WORDS,
    UNSPLIT_BRANCH_SHARE,
    actor_colour,
    actor_colours,
    colour_clashes,
    with_row_colours,
)
from .dataset import Dataset, Movement, collector_paused, remove_control_characters
from .errors import DataError, Problem
from .gazetteer import Gazetteer
from .legs import FlowLegs, flow_legs, station_frame
from .movement_table import destinations_text, movement_frame, troops_label
from .place_frames import area_frame, country_frame, load_countries, place_records
from .resolving import (
    SUGGESTED_NAMES,
    gazetteer_names,
    place_labels,
    resolve_names,
    resolve_places,
)
from .style import Style
from .summary import (
    default_subtitle,
    long_date,  # re-exported: renderers write dates alike
    summarise,
)
from .timeline import movements_on, opening_day, planned_label, presence

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ACTOR_ALIASES",
    "BORDERS",
    "CONVENTIONAL_COLOURS",
    "CRS",
    "DASHED",
    "FADED",
    "FOCUS_KM",
    "HASHED_PALETTE",
    "LAND",
    "MAX_RADIUS_PX",
    "MAX_WIDTH_PX",
    "MIN_RADIUS_PX",
    "MIN_WIDTH_PX",
    "OPACITY",
    "PALETTE",
    "PLANNED_LOOK",
    "ROLE_COLOURS",
    "ROLE_WORDS",
    "SUGGESTED_NAMES",
    "UNSPLIT_BRANCH_SHARE",
    "Layers",
    "actor_colour",
    "actor_colours",
    "area_frame",
    "build_layers",
    "colour_clashes",
    "country_frame",
    "default_subtitle",
    "default_title",
    "destinations_text",
    "file_stem",
    "gazetteer_names",
    "layers_as_of",
    "load_countries",
    "long_date",
    "place_labels",
    "reference_width_ratio",
    "resolve_names",
    "resolve_places",
    "troops_label",
    "with_row_colours",
]

# A lone surrogate: bytes of a title that were not UTF-8, as Python keeps them.
_SURROGATE = re.compile("[\ud800-\udfff]")

FOCUS_KM = 2500.0


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
    # The areas forces are stationed in (a station's ``area`` column names its row here):
    # columns ``area`` (the key, see geo.gazetteer.areas), ``name``; polygon geometry.
    # None: no areas.
    areas: gpd.GeoDataFrame | None = None
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

        A map filtered to one day (``layers_as_of``) keeps the whole map's
        ``extent``, so maps of several days line up."""
        from .geometry import distance_km

        if self.extent is not None:
            return self.extent
        targets = [(g.x, g.y) for g in self.stations.geometry]
        if self.areas is not None:  # an area a force is stationed in is framed whole
            for west, south, east, north in self.areas.geometry.bounds.to_numpy():
                targets += [(west, south), (east, north)]
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
    table = movement_frame(movements, colours)
    legs = flow_legs(movements, table, resolved, width_scale)
    labels = place_labels(resolved, gazetteer)
    stations = station_frame(movements, table, resolved, radius_scale, labels)
    places = place_records(movements, resolved, gazetteer, labels)
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
        areas=area_frame(stations, resolved),
        csv_text=dataset.text,
        file_stem=file_stem(dataset.path),
        style=style or Style(),
    )
    layers.key = _layers_key(dataset, layers.title)
    return layers


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


def layers_as_of(layers: Layers, day: date) -> Layers:
    """The map as it stood on ``day``: only the movements shown then, framed like the whole map
    so that maps of several days line up. Renderers use it for ``--as-of``."""
    shown = movements_on(layers.movements, day)
    ids = {m.id for m in shown}
    plans = {m.id: m.date for m in shown if m.date is not None and presence(m).planned(day)}
    names = {m.origin for m in shown if m.origin} | {d.place for m in shown for d in m.destinations}

    def keep(frame: Any) -> Any:
        if "movement" not in frame or not len(frame):
            return frame
        frame = frame[frame["movement"].isin(ids)].copy()
        frame["planned"] = frame["movement"].isin(plans)
        if frame["planned"].any():
            frame["label"] = [
                planned_label(label, plans[m]) if m in plans else label
                for m, label in zip(frame["movement"], frame["label"], strict=True)
            ]
        return frame

    places = (
        layers.places[layers.places["name"].isin(names)] if len(layers.places) else layers.places
    )
    subtitle = layers.subtitle
    if subtitle == default_subtitle(layers.movements):
        words = language.words()
        subtitle = default_subtitle(shown) if shown else words("Nothing reported yet")
    return dataclasses.replace(
        layers,
        legs=FlowLegs.of_frames(keep(layers.flows), keep(layers.heads)),
        stations=keep(layers.stations),
        places=places,
        countries=country_frame(places.to_dict("records")),
        subtitle=subtitle,
        as_of=day,
        summary=summarise(shown, as_of=day),
        sources=list(dict.fromkeys(m.source for m in shown if m.source)),
        movements=shown,
        extent=layers.extent or layers.focus,
    )
