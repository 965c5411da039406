"""Movements + gazetteer → the geo layer: GeoDataFrames every renderer draws from.

``build_layers`` resolves every place (collecting every unknown name at once), draws the flows
(curved arcs, forks, arrowheads), the stationed forces and the places, tints the countries by
role, and decides the cartography shared by all outputs: a colour per actor, a width per flow
(∝ √troops), dashes for announced or claimed, fading for withdrawn.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dataset import Dataset, Movement, PlaceRef, remove_control_characters
from .errors import DataError, Problem
from .gazetteer import Gazetteer, Place, Resolution, UnknownPlace
from .paths import bundled
from .summary import long_date as long_date  # re-exported: renderers write dates alike
from .summary import summarise

if TYPE_CHECKING:
    import geopandas as gpd

CRS = "EPSG:4326"

# Okabe & Ito's colour-blind-safe palette, without its yellow (too pale on a light map).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MAX_WIDTH_PX = 16.0
MIN_WIDTH_PX = 1.5
MAX_RADIUS_PX = 34.0
MIN_RADIUS_PX = 4.0
DASHED = ("announced", "claimed")
FADED = ("withdrawn",)

LAND = "#f4f1ea"
ROLE_COLOURS = {"receives": "#efdcae", "sends": "#ddd6ea", "both": "#efdcae"}
ROLE_WORDS = {"receives": "receives or hosts troops", "sends": "sends troops only"}
FOCUS_KM = 2500.0
SUGGESTED_NAMES = 20  # unknown places that get "Did you mean": each takes ~0.2 s to look up


@dataclass
class Layers:
    """Everything a renderer needs, in EPSG:4326. Renderers read only this."""

    flows: gpd.GeoDataFrame
    heads: gpd.GeoDataFrame
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

    def width_for(self, troops: int) -> float:
        return max(MIN_WIDTH_PX, self.width_scale * math.sqrt(troops))

    def radius_for(self, troops: int) -> float:
        return max(MIN_RADIUS_PX, self.radius_scale * math.sqrt(troops))

    @property
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
        targets += [(g.x, g.y) for g, r in zip(self.places.geometry, self.places.get("role", []))
                    if r != "origin"]
        if len(self.flows):
            trunks = self.flows[self.flows["leg"] == "trunk"].geometry
            targets += [line.coords[-1] for line in trunks]  # where forks split
        if not targets:
            return self.bounds
        lon = sum(p[0] for p in targets) / len(targets)
        lat = sum(p[1] for p in targets) / len(targets)
        points = targets + [
            (g.x, g.y) for g, r in zip(self.places.geometry, self.places["role"])
            if r == "origin" and distance_km((lon, lat), (g.x, g.y)) <= FOCUS_KM
        ]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of everything drawn."""
        import pandas as pd

        frames = [f for f in (self.flows, self.stations, self.places) if len(f)]
        minx, miny, maxx, maxy = pd.concat([f.geometry.bounds for f in frames]).agg(
            ["min", "max"]
        ).to_numpy()[[0, 0, 1, 1], [0, 1, 2, 3]]
        return float(minx), float(miny), float(maxx), float(maxy)


def actor_colours(actors: list[str]) -> dict[str, str]:
    """A colour per actor, stable for a name: its hash picks a slot, clashes take the next."""
    colours: dict[str, str] = {}
    taken: set[int] = set()
    for actor in sorted(set(actors), key=str.casefold):
        slot = int(hashlib.sha1(actor.strip().casefold().encode()).hexdigest(), 16) % len(PALETTE)
        for step in range(len(PALETTE)):
            candidate = (slot + step) % len(PALETTE)
            if candidate not in taken or len(taken) >= len(PALETTE):
                break
        taken.add(candidate)
        colours[actor] = PALETTE[candidate]
    return {a: colours[a] for a in dict.fromkeys(actors)}


def resolve_places(
    dataset: Dataset, gazetteer: Gazetteer
) -> tuple[dict[str, Resolution], list[Problem]]:
    """Resolve every place the movements name; unknown names become problems, all at once."""
    refs = [PlaceRef(m.row, column, name) for m in dataset for column, name in m.place_names]
    return resolve_names(dataset.path, refs, gazetteer)


def resolve_names(
    file: str, refs: Iterable[PlaceRef], gazetteer: Gazetteer
) -> tuple[dict[str, Resolution], list[Problem]]:
    """Resolve each named place once: an error per unknown name (with the closest known names)
    and a warning the first time an ambiguous name is met."""
    resolved: dict[str, Resolution] = {}
    problems: list[Problem] = []
    warned: set[str] = set()
    suggested: set[str] = set()
    for ref in refs:
        name = ref.name
        try:
            resolution = gazetteer.resolve(name)
        except UnknownPlace as unknown:
            if len(suggested) < SUGGESTED_NAMES:  # looking for close names is slow: the first few
                suggested.add(name)
            look = name in suggested
            problems.append(
                Problem(file, ref.row, ref.column, name, f'unknown place "{name}".',
                        _suggestion(unknown, look),
                        choices=tuple(unknown.suggestions) if look else ())
            )
            continue
        resolved[name] = resolution
        if resolution.ambiguous and name not in warned:
            warned.add(name)
            problems.append(Problem(file, ref.row, ref.column, name, resolution.warning(),
                                    severity="warning"))
    return resolved, problems


def _suggestion(unknown: UnknownPlace, look: bool = True) -> str:
    if look and unknown.suggestions:
        names = ", ".join(f'"{s}"' for s in unknown.suggestions)
        return f"Did you mean {names}? Or add it to a places file (--places)."
    return "Add it to a places file (--places), or write its coordinates as lat,lon."


def build_layers(
    dataset: Dataset,
    gazetteer: Gazetteer | None = None,
    *,
    title: str | None = None,
    subtitle: str | None = None,
) -> Layers:
    """Resolve, draw and style the movements; raise DataError listing every unknown place."""
    import geopandas as gpd

    gazetteer = gazetteer or Gazetteer()
    resolved, problems = resolve_places(dataset, gazetteer)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    movements = list(dataset)
    colours = actor_colours([m.actor for m in movements])
    width_scale, radius_scale = _scales(movements)
    legs, heads = _flow_records(movements, resolved, colours, width_scale)
    stations = _station_records(movements, resolved, colours, radius_scale)
    places = _place_records(movements, resolved, gazetteer)
    countries = country_frame(places)
    as_of = _as_of(movements)
    layers = Layers(
        flows=gpd.GeoDataFrame(legs, geometry="geometry", crs=CRS)
        if legs else _empty(gpd, "line"),
        heads=gpd.GeoDataFrame(heads, geometry="geometry", crs=CRS)
        if heads else _empty(gpd, "polygon"),
        stations=gpd.GeoDataFrame(stations, geometry="geometry", crs=CRS)
        if stations else _empty(gpd, "point"),
        places=gpd.GeoDataFrame(places, geometry="geometry", crs=CRS)
        if places else _empty(gpd, "point"),
        countries=countries,
        actors=colours,
        # Control characters dropped as from the CSV: an SVG or XML output cannot hold them.
        title=remove_control_characters(title)[0] if title else default_title(movements, as_of),
        subtitle=remove_control_characters(subtitle)[0] if subtitle is not None
        else default_subtitle(movements),
        as_of=as_of,
        sources=list(dict.fromkeys(m.source for m in movements if m.source)),
        summary=summarise(movements),
        width_scale=width_scale,
        radius_scale=radius_scale,
        warnings=[*dataset.warnings, *problems],
        movements=movements,
    )
    layers.key = _layers_key(dataset, layers.title)
    return layers


def _empty(gpd: Any, kind: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=CRS)}, geometry="geometry", crs=CRS)


def _scales(movements: list[Movement]) -> tuple[float, float]:
    moving = [m.troops for m in movements if not m.stationed] or [1]
    stationed = [m.troops for m in movements if m.stationed] or [1]
    return (MAX_WIDTH_PX / math.sqrt(max(max(moving), 1)),
            MAX_RADIUS_PX / math.sqrt(max(max(stationed), 1)))


def _point(resolution: Resolution) -> tuple[float, float]:
    return resolution.place.lon, resolution.place.lat


def troops_label(movement: Movement) -> str:
    """``"~30,000"``, ``"2,000 · split not reported"``."""
    text = f"{'~' if movement.estimate else ''}{movement.troops:,}"
    if not movement.split_reported:
        text += " · split not reported"
    return text


def _movement_fields(movement: Movement, colour: str) -> dict[str, Any]:
    return {
        "movement": movement.id,
        "row": movement.row,
        "actor": movement.actor,
        "unit": movement.unit,
        "origin": movement.origin or "",
        "destination": movement.destination_text,
        "troops": movement.troops,
        "estimate": movement.estimate,
        "split_reported": movement.split_reported,
        "label": troops_label(movement),
        "date": movement.date.text if movement.date else "",
        "date_start": movement.date.start.isoformat() if movement.date else "",
        "date_end": movement.date.end.isoformat() if movement.date else "",
        "status": movement.status,
        "source": movement.source,
        "notes": movement.notes,
        "symbol": movement.symbol,
        "affiliation": movement.affiliation,
        "sidc": movement.unit_symbol.sidc if movement.unit_symbol else "",
        "symbol_name": movement.unit_symbol.words if movement.unit_symbol else "",
        "colour": colour,
        "dashed": movement.status in DASHED,
        "faded": movement.status in FADED,
    }


def _flow_records(
    movements: list[Movement],
    resolved: dict[str, Resolution],
    colours: dict[str, str],
    width_scale: float,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from . import geometry

    moving = [m for m in movements if not m.stationed]
    pairs = [(_point(resolved[m.origin]), _point(resolved[m.destinations[0].place]))
             for m in moving if m.origin]
    bends = geometry.bends_for(pairs)
    legs: list[dict[str, Any]] = []
    heads: list[dict[str, Any]] = []
    for movement, bend in zip(moving, bends):
        assert movement.origin is not None
        fields = _movement_fields(movement, colours[movement.actor])
        width = max(MIN_WIDTH_PX, width_scale * math.sqrt(movement.troops))
        origin = _point(resolved[movement.origin])
        targets = [_point(resolved[d.place]) for d in movement.destinations]
        if len(targets) == 1:
            line = geometry.arc_between(origin, targets[0], bend)
            branches: list[tuple[Any, str, int | None, str]] = [
                (line, movement.destinations[0].place, movement.troops, "direct")
            ]
        else:
            trunk, lines = geometry.fork(origin, targets, bend)
            branches = []
            legs.append({**fields, "leg": "trunk", "leg_destination": "",
                         "leg_troops": movement.troops, "width": round(width, 2),
                         "geometry": trunk})
            for destination, line in zip(movement.destinations, lines):
                branches.append((line, destination.place, destination.troops, "branch"))
        for line, place, count, kind in branches:
            leg_width = width
            if kind == "branch":
                leg_width = (max(MIN_WIDTH_PX, width_scale * math.sqrt(count))
                             if count is not None else max(MIN_WIDTH_PX, width * 0.6))
            legs.append({**fields, "leg": kind, "leg_destination": place,
                         "leg_troops": count, "width": round(leg_width, 2), "geometry": line})
            heads.append({**fields, "leg_destination": place, "width": round(leg_width, 2),
                          "geometry": _head(line, leg_width)})
    return legs, heads


def _head(line: Any, width_px: float) -> Any:
    """An arrowhead sized for a map of about 1,000 km across; the static map rescales."""
    from . import geometry

    size = 0.05 + 0.045 * width_px
    return geometry.arrowhead(line, length=size * 1.6, width=size * 1.4)


def _station_records(
    movements: list[Movement],
    resolved: dict[str, Resolution],
    colours: dict[str, str],
    radius_scale: float,
) -> list[dict[str, Any]]:
    from shapely import Point

    records = []
    for movement in movements:
        if not movement.stationed:
            continue
        for destination in movement.destinations:
            count = destination.troops if destination.troops is not None else movement.troops
            place = resolved[destination.place].place
            records.append({
                **_movement_fields(movement, colours[movement.actor]),
                "place": destination.place,
                "leg_troops": count,
                "radius": round(max(MIN_RADIUS_PX, radius_scale * math.sqrt(count)), 2),
                "geometry": Point(place.lon, place.lat),
            })
    return records


def _place_records(
    movements: list[Movement], resolved: dict[str, Resolution], gazetteer: Gazetteer
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
        records.append({
            "name": name,
            "resolved_name": place.name,
            "kind": place.kind,
            "country": place.country,
            "country_name": gazetteer.country_name(place.country) if place.country else "",
            "source": place.source,
            "role": "+".join(sorted(role_set)),
            "geometry": Point(place.lon, place.lat),
        })
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

    path: Path = bundled("countries.geojson")
    if str(path) not in _COUNTRIES_CACHE:
        _COUNTRIES_CACHE[str(path)] = gpd.read_file(path, engine="pyogrio")
    return _COUNTRIES_CACHE[str(path)]


def _as_of(movements: list[Movement]) -> date | None:
    """The latest reported day; exercise windows count only when nothing else is dated."""
    single = [m.date.end for m in movements if m.date and not m.date.is_range]
    windows = [m.date.start for m in movements if m.date and m.date.is_range]
    dates = single or windows
    return max(dates) if dates else None


def default_title(movements: list[Movement], as_of: date | None) -> str:
    actors = list(dict.fromkeys(m.actor for m in movements))
    if len(actors) <= 3:
        who = " and ".join([", ".join(actors[:-1]), actors[-1]] if len(actors) > 1 else actors)
        return f"{who}: troop movements"
    return "Troop movements"


def default_subtitle(movements: list[Movement]) -> str:
    moving = sum(1 for m in movements if not m.stationed)
    stationed = len(movements) - moving
    parts = []
    if moving:
        parts.append(f"{moving} movement{'s' if moving != 1 else ''}")
    if stationed:
        parts.append(f"{stationed} stationed force{'s' if stationed != 1 else ''}")
    return " and ".join(parts) + " as reported"


def gazetteer_names(resolved: dict[str, Resolution]) -> dict[str, str]:
    return {name: r.place.name if r.place.kind != "point" else name for name, r in
            resolved.items()}


def _layers_key(dataset: Dataset, title: str) -> str:
    """A short id unique to this map's content: element ids stay deterministic yet never clash
    when two maps share a page."""
    digest = hashlib.sha1(title.encode())
    for m in dataset:
        digest.update(repr((m.id, m.actor, m.origin, m.destinations, m.troops)).encode())
    return digest.hexdigest()[:8]


def reference_width_ratio(layers: Layers, small: int, large: int) -> float:
    """How much wider the flow of ``large`` troops is drawn than that of ``small``."""
    return layers.width_for(large) / layers.width_for(small)
