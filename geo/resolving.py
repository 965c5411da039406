"""Place names of the movements → places of the gazetteer: every unknown name reported at
once (with the closest known names), a warning for each ambiguous one, and the label the map
writes beside each place.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import language
from .dataset import Dataset, PlaceRef
from .errors import Problem
from .gazetteer import (
    COORDINATES_HINT,
    Gazetteer,
    Resolution,
    UnknownPlace,
    coordinates_off_earth,
)

SUGGESTED_NAMES = 20  # unknown places that get "Did you mean": each takes ~0.2 s to look up


def resolve_places(
    dataset: Dataset, gazetteer: Gazetteer
) -> tuple[dict[str, Resolution], list[Problem]]:
    """Resolve every place the movements name; unknown names become problems, all at once.

    A file names few places many times: each name is looked up once, at its first mention
    (where an ambiguous name is warned about). Only when a name is unknown, which is reported
    on every row that names it, are all the mentions gone through.
    """
    first: dict[str, PlaceRef] = {}
    seen: set[int] = set()  # rows share their parsed destinations: go through each once
    for m in dataset:
        if m.origin is not None and m.origin not in first:
            first[m.origin] = PlaceRef(m.row, "origin", m.origin)
        if id(m.destinations) in seen:
            continue
        seen.add(id(m.destinations))
        for d in m.destinations:
            if d.place not in first:
                first[d.place] = PlaceRef(m.row, "destination", d.place)
    resolved, problems = resolve_names(dataset.path, first.values(), gazetteer)
    if len(resolved) == len(first):
        return resolved, problems
    refs = [PlaceRef(m.row, column, name) for m in dataset for column, name in m.place_names]
    return resolve_names(dataset.path, refs, gazetteer)


def resolve_names(
    file: str, refs: Iterable[PlaceRef], gazetteer: Gazetteer
) -> tuple[dict[str, Resolution], list[Problem]]:
    """Resolve each named place once, toward the file's other places: an error per unknown
    name (with the closest known names) and a warning the first time an ambiguous name is met."""
    refs = list(refs)
    answers = gazetteer.resolve_all(ref.name for ref in refs)
    resolved: dict[str, Resolution] = {}
    problems: list[Problem] = []
    warned: set[str] = set()
    suggested: set[str] = set()
    for ref in refs:
        name = ref.name
        resolution = answers[name]
        if isinstance(resolution, UnknownPlace):
            unknown = resolution
            if len(suggested) < SUGGESTED_NAMES:  # looking for close names is slow: the first few
                suggested.add(name)
            look = name in suggested
            off_earth = coordinates_off_earth(name)
            if off_earth:
                problems.append(
                    Problem(
                        file,
                        ref.row,
                        ref.column,
                        name,
                        f'"{name}" is no point on Earth: {off_earth}.',
                        COORDINATES_HINT,
                    )
                )
                continue
            problems.append(
                Problem(
                    file,
                    ref.row,
                    ref.column,
                    name,
                    f'unknown place "{name}".',
                    _suggestion(unknown, look),
                    choices=tuple(unknown.suggestions) if look else (),
                )
            )
            continue
        resolved[name] = resolution
        if resolution.warns and name not in warned:
            warned.add(name)
            problems.append(
                Problem(file, ref.row, ref.column, name, resolution.warning(), severity="warning")
            )
    return resolved, problems


def _suggestion(unknown: UnknownPlace, look: bool = True) -> str:
    if look and unknown.suggestions:
        names = ", ".join(f'"{s}"' for s in unknown.suggestions)
        return f"Did you mean {names}? Or add it to a places file (--places)."
    return "Add it to a places file (--places), or write its coordinates as lat,lon."


def place_labels(resolved: dict[str, Resolution], gazetteer: Gazetteer) -> dict[str, str]:
    """What the map writes beside each place: its name as the user wrote it, or for a place
    given as coordinates the closest named place ("near Amsterdam"), or nothing when none is
    near. The coordinates themselves stay in the popups and the GIS files."""
    words = language.words()
    labels = {}
    for name, resolution in resolved.items():
        place = resolution.place
        if place.kind != "point":
            labels[name] = name
            continue
        near = gazetteer.nearest(place.lat, place.lon)
        labels[name] = words("near {place}", place=near.name) if near is not None else ""
    return labels


def gazetteer_names(resolved: dict[str, Resolution]) -> dict[str, str]:
    return {name: r.place.name if r.place.kind != "point" else name for name, r in resolved.items()}
