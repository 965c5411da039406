"""The sources a name is looked for in (an in-memory tier, the bundled areas, GeoNames,
airports) and the ways of looking: as written, without a site word, loosely spelt."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from ..geonames import GeoNamesIndex
from ..names import loose_key, place_key, site_key
from .areas import REGIONS, region_keys, region_place
from .namesakes import Candidate
from .place import AIRPORTS, CITIES, Place


class Source(Protocol):
    source: str

    def find(self, key: str) -> list[Candidate]: ...

    def find_loose(self, loose: str) -> list[Candidate]: ...

    def find_site(self, key: str) -> list[Candidate]: ...

    def key_chunks(self) -> Iterator[list[str]]: ...


@dataclass
class Tier:
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
                    if all(c.place is not place and c.place != place for c in found):
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
        return {key: unique(found) if len(found) > 1 else found for key, found in sites.items()}

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
        return unique([c for key in self._loose.get(loose, ()) for c in self.index[key]])

    def key_chunks(self) -> Iterator[list[str]]:
        yield list(self.index)


class RegionTier:
    """The bundled areas (``geo.gazetteer.areas``), indexed by the keys the file stores; a
    place is made only when a look-up finds it, so a look-up that needs no area costs little."""

    source = REGIONS

    @cached_property
    def _numbers(self) -> dict[str, list[tuple[int, bool]]]:
        index: dict[str, list[tuple[int, bool]]] = {}
        for number, keys in enumerate(region_keys()):
            for order, key in enumerate(keys):
                index.setdefault(key, []).append((number, order == 0))
        return index

    @cached_property
    def _loose(self) -> dict[str, list[str]]:
        loose: dict[str, list[str]] = {}
        for key in self._numbers:
            loose.setdefault(loose_key(key), []).append(key)
        return loose

    def find(self, key: str) -> list[Candidate]:
        return [Candidate(region_place(n), own) for n, own in self._numbers.get(key, ())]

    def find_loose(self, loose: str) -> list[Candidate]:
        return unique([c for key in self._loose.get(loose, ()) for c in self.find(key)])

    def find_site(self, key: str) -> list[Candidate]:
        return []  # areas have no site words

    def key_chunks(self) -> Iterator[list[str]]:
        yield list(self._numbers)


CITY_POPULATION = 15_000  # GeoNames places this large are called cities, smaller ones towns


class GeoNamesTier:
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
        return unique([self._candidate(e) for e in self.geonames.find(key)])

    def find_loose(self, loose: str) -> list[Candidate]:
        return unique([self._candidate(e) for e in self.geonames.find_loose(loose)])

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
        return Candidate(GeoNamesTier.place_of(entry), entry.primary)


def ways(name: str) -> list[tuple[str, str]]:
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


def looks_in(tier: Source, finder: str) -> bool:
    """Airports are found by code or name, exactly or without their site word; loose spellings
    are for towns and the curated places (and would cost indexing 28,000 airports loosely)."""
    return not (finder == "find_loose" and tier.source == AIRPORTS)


def acceptable(candidates: list[Candidate], finder: str, country: str) -> list[Candidate]:
    """The candidates in ``country`` (if given); of a loose match, those in CYRILLIC_NAMES."""
    return [
        c
        for c in candidates
        if (not country or c.place.country == country)
        and (finder != "find_loose" or c.place.country in CYRILLIC_NAMES)
    ]


def unique(candidates: list[Candidate]) -> list[Candidate]:
    """Each place once, as its own name if any of its matching names is."""
    own: dict[Place, bool] = {}
    for c in candidates:
        own[c.place] = own.get(c.place, False) or c.primary
    return [Candidate(place, primary) for place, primary in own.items()]


def airport_places() -> Iterator[tuple[Place, list[str]]]:
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
