"""The gazetteer: its sources in order, look-ups settled by the file's other places, the
nearest named place to a point, and suggestions for a name no source knows."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from ..geonames import GeoNamesIndex
from ..names import place_key, region_key
from ..paths import bundled
from .areas import REGIONS
from .countries import COUNTRY_ALIASES, bundled_country_properties
from .namesakes import (
    NO_CONTEXT,
    SAME_PLACE_KM,
    Candidate,
    Context,
    choose,
    distance_km,
    rank,
)
from .place import (
    AIRPORTS,
    BUNDLED,
    CITIES,
    COUNTRIES,
    NEAR_KM,
    NEAR_POPULATION,
    USER,
    Place,
    Resolution,
    UnknownPlace,
    describe,
    parse_lat_lon,
)
from .placesfile import places_file_loader
from .sources import (
    GeoNamesTier,
    RegionTier,
    Source,
    Tier,
    acceptable,
    airport_places,
    looks_in,
    ways,
)


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
            self.tiers.append(Tier(USER, places_file_loader(Path(path), USER)))
        if bundled_places:
            self.tiers.append(Tier(BUNDLED, places_file_loader(bundled("places.csv"), BUNDLED)))
        self.tiers.append(Tier(COUNTRIES, self._country_places))
        self.tiers.append(RegionTier())
        self.tiers.append(GeoNamesTier(geonames))
        self.tiers.append(Tier(AIRPORTS, airport_places))
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
        return replace(chosen, note=note.format(place=describe(chosen.place))) if note else chosen

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
            for finder, wanted in ways(name):
                for tier in tiers:
                    if not looks_in(tier, finder):
                        continue
                    found = acceptable(getattr(tier, finder)(wanted), finder, country)
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
            for finder, wanted in ways(name):
                places: list[Place] = []
                for tier in tiers:
                    if not looks_in(tier, finder):
                        continue
                    found = acceptable(getattr(tier, finder)(wanted), finder, country)
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
            if isinstance(tier, Tier) and tier.source in (USER, BUNDLED)
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
        tier = next(t for t in self.tiers if isinstance(t, GeoNamesTier))
        cities = [
            GeoNamesTier.place_of(e) for e in tier.geonames.places_of_at_least(NEAR_POPULATION)
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
_SUGGESTION_BONUS = {USER: 6.0, BUNDLED: 5.0, COUNTRIES: 5.0, REGIONS: 3.0, AIRPORTS: -5.0}
