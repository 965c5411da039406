"""``troopmap places QUERY``: look a name up as the renderer would, before writing it in the CSV.

Says which place the name resolves to (name, country, kind, coordinates, source), the namesakes
it was chosen over, and for an unknown name the closest known names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .gazetteer import (
    COORDINATES_HINT,
    Gazetteer,
    Place,
    UnknownPlace,
    coordinates_off_earth,
    distance_km,
)

SAME_PLACE_KM = 25.0
SHOWN_NAMESAKES = 8


@dataclass
class Lookup:
    """What a name means to troopmap."""

    query: str
    place: Place | None
    namesakes: list[Place] = field(default_factory=list)
    suggestions: list[Place] = field(default_factory=list)
    country_names: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.place is not None

    def describe(self, place: Place) -> str:
        """``Rzeszów, Poland (city) at 50.04132, 21.99901, from GeoNames cities``."""
        country = self.country_names.get(place.country, place.country)
        where = f", {country}" if country and place.kind != "country" else ""
        kind = f" ({place.kind})" if place.kind else ""
        return f"{place.name}{where}{kind} at {place.lat:.4f}, {place.lon:.4f}, from {place.source}"

    def lines(self) -> list[str]:
        """The answer in words, as ``troopmap places`` prints it."""
        off_earth = coordinates_off_earth(self.query)
        if self.place is None and off_earth:
            return [f'"{self.query}" is no point on Earth: {off_earth}.', COORDINATES_HINT]
        if self.place is None:
            lines = [f'No place called "{self.query}" is known.']
            if self.suggestions:
                lines.append("Closest names:")
                lines += [f"  {self.describe(p)}" for p in self.suggestions]
            lines.append("Add it to a places file (--places), or write its coordinates as "
                         "lat,lon (e.g. 50.45,30.52).")
            return lines
        lines = [f'"{self.query}" is {self.describe(self.place)}.']
        if self.namesakes:
            lines.append("The same name is also:")
            lines += [f"  {self.describe(p)}" for p in self.namesakes[:SHOWN_NAMESAKES]]
            if len(self.namesakes) > SHOWN_NAMESAKES:
                lines.append(f"  and {len(self.namesakes) - SHOWN_NAMESAKES:,} more")
            other = next((p for p in self.namesakes if p.country and p.kind != "country"
                          and p.country != self.place.country), None)
            if other is not None and "," not in self.query:
                country = self.country_names.get(other.country, other.country)
                lines.append(f'To choose another, add its country: "{self.query}, {country}".')
        return lines

    def as_dict(self) -> dict[str, object]:
        def place(p: Place) -> dict[str, object]:
            return {"name": p.name, "country": p.country,
                    "country_name": self.country_names.get(p.country, p.country),
                    "kind": p.kind, "lat": p.lat, "lon": p.lon, "source": p.source}

        return {
            "query": self.query,
            "found": self.found,
            "place": place(self.place) if self.place else None,
            "namesakes": [place(p) for p in self.namesakes],
            "suggestions": [place(p) for p in self.suggestions],
        }


def look_up(query: str, places: Sequence[str | Path] = (), *,
            gazetteer: Gazetteer | None = None) -> Lookup:
    """Resolve ``query`` as the renderer would, with its namesakes or closest names."""
    from . import pipeline

    gazetteer = gazetteer or pipeline.gazetteer_for(places)
    query = " ".join(query.split())
    try:
        resolution = gazetteer.resolve(query)
    except UnknownPlace as unknown:
        suggestions = [_first(gazetteer, name) for name in unknown.suggestions]
        return _with_countries(Lookup(query, None, suggestions=[p for p in suggestions if p]),
                               gazetteer)
    chosen = resolution.place
    namesakes: list[Place] = []
    for candidate in gazetteer.candidates(query):
        if candidate == chosen or distance_km(candidate, chosen) <= SAME_PLACE_KM:
            continue
        if all(distance_km(candidate, p) > SAME_PLACE_KM for p in namesakes):
            namesakes.append(candidate)
    return _with_countries(Lookup(query, chosen, namesakes), gazetteer)


def _first(gazetteer: Gazetteer, name: str) -> Place | None:
    try:
        return gazetteer.resolve(name).place
    except UnknownPlace:
        return None


def _with_countries(lookup: Lookup, gazetteer: Gazetteer) -> Lookup:
    shown = [p for p in (lookup.place, *lookup.namesakes, *lookup.suggestions) if p is not None]
    lookup.country_names = {p.country: gazetteer.country_name(p.country)
                            for p in shown if p.country}
    return lookup
