"""What a look-up gives: a place, the resolution of a name (with its namesakes), an unknown
name with its suggestions; the names of the sources; places written as coordinates."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import TroopmapError

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

LAT_LON = re.compile(r"^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[,\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str = ""
    kind: str = ""
    source: str = ""
    population: int = 0
    # An area the place covers (``geo.gazetteer.areas``): "regions:KEY" for a bundled one, else WKT.
    area: str = field(default="", repr=False)

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
        others = "; ".join(describe(p) for p in self.alternatives[:3])
        why = f", {self.reason}" if self.reason else ""
        same_country = all(p.country == self.place.country for p in self.alternatives)
        choose = (
            "write its coordinates as lat,lon to choose"
            if same_country and self.place.country
            else f'Write "{self.query}, Country" to choose'
        )
        choose = choose[0].upper() + choose[1:]
        return (
            f'"{self.query}" could be several places; using {describe(self.place)}{why}. '
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


def describe(place: Place) -> str:
    where = f", {place.country}" if place.country and place.kind != "country" else ""
    kind = f" ({place.kind})" if place.kind else ""
    return f"{place.name}{where}{kind}"


def parse_lat_lon(text: str) -> Place | None:
    """``"50.45, 30.52"`` → a Place at those coordinates; None when it is not coordinates."""
    match = LAT_LON.match(text)
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
    match = LAT_LON.match(text)
    if not match:
        return None
    reasons = []
    if not -90 <= float(match.group(1)) <= 90:
        reasons.append(f"{match.group(1)} is not a latitude (-90 to 90)")
    if not -180 <= float(match.group(2)) <= 180:
        reasons.append(f"{match.group(2)} is not a longitude (-180 to 180)")
    return " and ".join(reasons) or None
