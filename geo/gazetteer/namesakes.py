"""How a name that several places share is settled.

In turn: the other places of the same file (a namesake within NEAR_OTHERS_KM of one of them
wins; one in their countries counts COUNTRY_WEIGHT times), whether the name is the place's own
or an alternate or historic name of it (the own name counts OWN_NAME_WEIGHT times), and
population.
A choice is close, and worth a warning, when the runner-up scores within CLOSE_CALL of it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from .place import Place, Resolution


@dataclass(frozen=True)
class Candidate:
    """A place a name may mean, and whether the name is the place's own (not an alternate or
    historic name of it)."""

    place: Place
    primary: bool = True


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places, in kilometres."""
    return _haversine(a.lat, a.lon, b.lat, b.lon)


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


SAME_PLACE_KM = 25.0  # namesakes closer than this are the same place for the reader
NEAR_OTHERS_KM = 150.0  # a namesake this close to another place of the file is near them
OWN_NAME_WEIGHT = 8  # a place's own name counts as eight times its population ...
COUNTRY_WEIGHT = 20  # ... being in a country of the file's other places as twenty times ...
CLOSE_CALL = 3  # ... and a choice is close when the runner-up weighs a third of it or more
_CELL = (2.0, 4.0)  # degrees of latitude, longitude of the grid Context looks points up in


@dataclass(frozen=True)
class Context:
    """The other places of a file, where a name with namesakes most likely lies."""

    points: tuple[tuple[float, float], ...] = ()
    countries: frozenset[str] = frozenset()

    @cached_property
    def _cells(self) -> dict[tuple[int, int], list[tuple[float, float]]]:
        cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for lat, lon in self.points:
            cells.setdefault(_cell(lat, lon), []).append((lat, lon))
        return cells

    def near(self, place: Place) -> bool:
        """Within NEAR_OTHERS_KM of one of the points."""
        row, column = _cell(place.lat, place.lon)
        return any(
            _haversine(place.lat, place.lon, lat, lon) <= NEAR_OTHERS_KM
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            for lat, lon in self._cells.get((row + dr, column + dc), ())
        )

    def band(self, place: Place) -> int:
        """0 near the file's places, 1 in one of their countries, 2 elsewhere."""
        if self.points and self.near(place):
            return 0
        return 1 if place.country in self.countries else 2

    def __bool__(self) -> bool:
        return bool(self.points or self.countries)

    def without(self, points: Iterable[tuple[float, float]]) -> Context:
        """The context less one occurrence of each of ``points`` (a name's own place)."""
        remaining = list(self.points)
        for point in points:
            if point in remaining:
                remaining.remove(point)
        return Context(tuple(remaining), self.countries) if points else self


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL[0]), math.floor(lon / _CELL[1])


NO_CONTEXT = Context()


def weight(candidate: Candidate) -> int:
    """Population, counted OWN_NAME_WEIGHT times when the name is the place's own."""
    people = max(candidate.place.population, 1)
    return people * OWN_NAME_WEIGHT if candidate.primary else people


def score(candidate: Candidate, context: Context = NO_CONTEXT) -> float:
    """How likely the name means this candidate, in powers of ten: its weight, times
    COUNTRY_WEIGHT in a country of the file's other places; near them it always wins."""
    bonus = (100.0, math.log10(COUNTRY_WEIGHT), 0.0)[context.band(candidate.place)]
    return math.log10(weight(candidate)) + bonus


def rank(candidates: Sequence[Candidate], context: Context = NO_CONTEXT) -> list[Candidate]:
    """Most likely first (see ``score``). Places without a population (curated sources) keep
    the order of their file."""
    return sorted(candidates, key=lambda c: -score(c, context))


def settle(
    candidates: Sequence[Candidate], context: Context = NO_CONTEXT
) -> tuple[Candidate, tuple[Place, ...], str]:
    """The best candidate, the namesakes that come close to it, and why it won."""
    ranked = rank(candidates, context)
    best = ranked[0]
    rivals = [c for c in ranked[1:] if distance_km(c.place, best.place) > SAME_PLACE_KM]
    close = tuple(
        c.place
        for c in rivals
        if score(best, context) - score(c, context) <= math.log10(CLOSE_CALL)
    )
    return best, close, _reason(best, rivals, context)


def _reason(best: Candidate, rivals: list[Candidate], context: Context) -> str:
    """Why ``best`` was taken over the strongest of ``rivals``, in words; "" without rivals."""
    if not rivals:
        return ""
    runner_up = rivals[0]
    band = context.band(best.place)
    if band < context.band(runner_up.place):
        return (
            "the one near the file's other places"
            if band == 0
            else "the one in a country of the file's other places"
        )
    if best.place.population == 0:
        return "the first in its places file"
    if best.primary and not runner_up.primary:
        return (
            f"the one whose own name it is (for {runner_up.place.name}, "
            f"{runner_up.place.country} it is an alternate or former name)"
        )
    return f"the largest ({best.place.population:,} people)"


def choose(
    query: str, candidates: Sequence[Candidate], context: Context = NO_CONTEXT
) -> Resolution:
    """The best candidate, with the namesakes that come close to it and why it won."""
    best, close, reason = settle(candidates, context)
    return Resolution(query, best.place, close, reason)
