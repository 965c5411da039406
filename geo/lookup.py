"""``troopmap places QUERY``: look a name up as the renderer would, before writing it in the CSV.

Says which place the name resolves to (name, country, kind, coordinates, source), the namesakes
it was chosen over, and for an unknown name the closest known names. ``troopmap places --from
FILE`` does the same for a list of names, as a table to geocode the list once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TroopmapError, UsageError
from .gazetteer import (
    COORDINATES_HINT,
    SAME_PLACE_KM,
    Gazetteer,
    Place,
    UnknownPlace,
    coordinates_off_earth,
    distance_km,
)

SHOWN_NAMESAKES = 8


@dataclass
class Lookup:
    """What a name means to troopmap."""

    query: str
    place: Place | None
    namesakes: list[Place] = field(default_factory=list)
    suggestions: list[Place] = field(default_factory=list)
    country_names: dict[str, str] = field(default_factory=dict)
    reason: str = ""  # why the place was taken over its namesakes
    note: str = ""  # what to know about a stand-in (a region drawn at its town)

    @property
    def found(self) -> bool:
        return self.place is not None

    def describe(self, place: Place) -> str:
        """``Rzeszów, Poland (city) at 50.04132, 21.99901, from GeoNames cities``."""
        country = self.country_names.get(place.country, place.country)
        where = f", {country}" if country and place.kind != "country" else ""
        what = [w for w in (place.kind, "an area" if place.area else "") if w]
        kind = f" ({', '.join(what)})" if what else ""
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
            lines.append(
                "Add it to a places file (--places), or write its coordinates as "
                "lat,lon (e.g. 50.45,30.52)."
            )
            return lines
        lines = [f'"{self.query}" is {self.describe(self.place)}.']
        if self.note:
            lines.append(self.note)
        if self.namesakes:
            lines.append("The same name is also:")
            lines += [f"  {self.describe(p)}" for p in self.namesakes[:SHOWN_NAMESAKES]]
            if len(self.namesakes) > SHOWN_NAMESAKES:
                lines.append(f"  and {len(self.namesakes) - SHOWN_NAMESAKES:,} more")
            if self.reason:
                lines.append(f"Chosen as {self.reason}.")
            other = next(
                (
                    p
                    for p in self.namesakes
                    if p.country and p.kind != "country" and p.country != self.place.country
                ),
                None,
            )
            if other is not None and "," not in self.query:
                country = self.country_names.get(other.country, other.country)
                lines.append(f'To choose another, add its country: "{self.query}, {country}".')
        return lines

    def as_row(self) -> dict[str, object]:
        """The answer as a row of ``BATCH_COLUMNS``, as ``--format csv`` prints it."""
        warnings = (
            ([self.note] if self.note else []) if self.place else [f'unknown place "{self.query}".']
        )
        return BatchAnswer(self.query, self.place, warnings).row()

    def as_dict(self) -> dict[str, object]:
        def place(p: Place) -> dict[str, object]:
            return {
                "name": p.name,
                "country": p.country,
                "country_name": self.country_names.get(p.country, p.country),
                "kind": p.kind,
                "lat": p.lat,
                "lon": p.lon,
                "source": p.source,
            }

        return {
            "query": self.query,
            "found": self.found,
            "place": place(self.place) if self.place else None,
            "namesakes": [place(p) for p in self.namesakes],
            "suggestions": [place(p) for p in self.suggestions],
        }


def look_up(
    query: str, places: Sequence[str | Path] = (), *, gazetteer: Gazetteer | None = None
) -> Lookup:
    """Resolve ``query`` as the renderer would, with its namesakes or closest names."""
    from . import pipeline

    gazetteer = gazetteer or pipeline.gazetteer_for(places)
    query = " ".join(query.split())
    try:
        resolution = gazetteer.resolve(query)
    except UnknownPlace as unknown:
        suggestions = [_first(gazetteer, name) for name in unknown.suggestions]
        return _with_countries(
            Lookup(query, None, suggestions=[p for p in suggestions if p]), gazetteer
        )
    chosen = resolution.place
    namesakes: list[Place] = []
    for candidate in gazetteer.candidates(query):
        if candidate == chosen or distance_km(candidate, chosen) <= SAME_PLACE_KM:
            continue
        if candidate.area and candidate.area == chosen.area:
            continue  # the same area, under a curated name and Natural Earth's
        if all(distance_km(candidate, p) > SAME_PLACE_KM for p in namesakes):
            namesakes.append(candidate)
    return _with_countries(
        Lookup(query, chosen, namesakes, reason=resolution.reason, note=resolution.note), gazetteer
    )


def _first(gazetteer: Gazetteer, name: str) -> Place | None:
    try:
        return gazetteer.resolve(name).place
    except UnknownPlace:
        return None


def _with_countries(lookup: Lookup, gazetteer: Gazetteer) -> Lookup:
    shown = [p for p in (lookup.place, *lookup.namesakes, *lookup.suggestions) if p is not None]
    lookup.country_names = {
        p.country: gazetteer.country_name(p.country) for p in shown if p.country
    }
    return lookup


# --- many names at once -----------------------------------------------------------------------

BATCH_COLUMNS = ("name", "place", "country", "kind", "lat", "lon", "source", "warnings")


@dataclass
class BatchAnswer:
    """One name of a list, as the map would place it."""

    name: str
    place: Place | None
    warnings: list[str] = field(default_factory=list)

    def row(self) -> dict[str, object]:
        """The answer as a row of ``BATCH_COLUMNS`` (empty cells for an unknown name)."""
        p = self.place
        return {
            "name": self.name,
            "place": p.name if p else "",
            "country": p.country if p else "",
            "kind": p.kind if p else "",
            "lat": p.lat if p else "",
            "lon": p.lon if p else "",
            "source": p.source if p else "",
            "warnings": " ".join(self.warnings),
        }


def look_up_all(
    names: Sequence[str], places: Sequence[str | Path] = (), *, gazetteer: Gazetteer | None = None
) -> list[BatchAnswer]:
    """Resolve a list of names as one file's places: each toward the others (see
    ``Gazetteer.resolve_all``), one answer per name in the list's order."""
    from . import pipeline
    from .resolving import SUGGESTED_NAMES

    gazetteer = gazetteer or pipeline.gazetteer_for(places)
    cleaned = [" ".join(name.split()) for name in names]
    found = gazetteer.resolve_all(cleaned)
    answers: list[BatchAnswer] = []
    suggested: set[str] = set()
    for name in cleaned:
        answer = found[name]
        if not isinstance(answer, UnknownPlace):
            warnings = [answer.warning()] if answer.warns else []
            answers.append(BatchAnswer(name, answer.place, warnings))
            continue
        if len(suggested) < SUGGESTED_NAMES:  # each takes a fraction of a second
            suggested.add(name)
        close = answer.suggestions if name in suggested else []
        hint = f" Did you mean {_quoted(close)}?" if close else ""
        answers.append(BatchAnswer(name, None, [f'unknown place "{name}".{hint}']))
    return answers


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


class NoNames(TroopmapError):
    """A list of names to look up has none."""


def names_from_file(path: Path, column: str | None = None) -> list[str]:
    """The names of a list: one a line (blank lines and ``#`` comments skipped), or with
    ``column`` the cells of that column of a CSV file (comma, semicolon or tab)."""
    from .reading import read_text, sniff_delimiter

    shown = str(path)
    text = read_text(path, shown)
    if column is None:
        names = [line.strip() for line in text.splitlines()]
        return _some([n for n in names if n and not n.startswith("#")], shown)
    lines = [line for line in io.StringIO(text, newline="") if not line.lstrip().startswith("#")]
    reader = csv.reader(lines, delimiter=sniff_delimiter(text))
    header = [cell.strip().casefold() for cell in next(reader, [])]
    if column.strip().casefold() not in header:
        raise UsageError(
            f'{shown} has no column "{column}"; its columns are: {", ".join(header) or "none"}.'
        )
    at = header.index(column.strip().casefold())
    return _some([row[at].strip() for row in reader if len(row) > at and row[at].strip()], shown)


def _some(names: list[str], shown: str) -> list[str]:
    if not names:
        raise NoNames(f"{shown} has no names to look up.")
    return names
