"""``troopmap check``: every problem of a movements file at once, without drawing anything.

Unlike rendering, which stops at the first stage with errors, a check goes on: rows with errors
still have their places looked up, and a broken places file does not hide the movements' own
problems. Warnings (a place with namesakes, an estimate, a split not reported, a repeated
movement) are listed too but do not fail the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset, Movement, in_reading_order
from .errors import DataError, Problem
from .gazetteer import Place


@dataclass
class Report:
    """The outcome of checking one file: its problems in row order, and what it holds."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    movements: int = 0
    stationed: int = 0
    places: int = 0
    resolved: dict[str, str] = field(default_factory=dict)
    """How each place name was found, in words (printed with --verbose)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        """The report for editors and CI (``troopmap check --format json``)."""
        return {
            "file": self.file,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "movements": self.movements,
            "stationed": self.stationed,
            "places": self.places,
            "problems": [p.as_dict() for p in self.problems],
        }


def check_movements(
    csv: str | Path | None = None,
    places: Sequence[str | Path] = (),
    *,
    sheet: str | None = None,
    style: str | Path | None = None,
) -> Report:
    """Check a movements file (CSV, TSV or .xlsx; the bundled one when None), the places files
    and the style file (``style``, else ``troopmap.toml`` in the working folder); never raises
    for a problem in the data, only lists it."""
    from . import pipeline
    from .gazetteer import read_places
    from .resolving import resolve_names

    report = Report(pipeline.display_name(csv))
    try:
        dataset = pipeline.check(csv, sheet=sheet)
    except DataError as error:
        report.problems = error.problems
        return report
    usable: list[str | Path] = []
    problems: list[Problem] = []
    for path in places:
        try:
            read_places(Path(path))
        except DataError as error:
            problems += error.problems
        else:
            usable.append(path)
    gazetteer = pipeline.gazetteer_for(usable)
    resolved, place_problems = resolve_names(dataset.path, dataset.place_refs, gazetteer)
    problems += dataset.errors + dataset.warnings + place_problems + _estimates(dataset)
    problems += _colour_problems(dataset, style)
    report.problems = in_reading_order(problems, dataset.path)
    report.movements = sum(1 for m in dataset if not m.stationed)
    report.stationed = sum(1 for m in dataset if m.stationed)
    report.places = len({r.place for r in resolved.values()})
    report.resolved = {
        name: _found(r.place, gazetteer.country_name(r.place.country))
        for name, r in resolved.items()
    }
    return report


def _colour_problems(dataset: Dataset, style_file: str | Path | None) -> list[Problem]:
    """The style file's mistakes, or the actors that would share a colour on the map."""
    from . import pipeline
    from .cartography import actor_colours, colour_clashes, with_row_colours

    try:
        style = pipeline.style_for(style_file)
    except DataError as error:
        return list(error.problems)
    pinned = with_row_colours(style, dataset.movements)
    colours = actor_colours([m.actor for m in dataset], pinned)
    return [*style.warnings, *colour_clashes(colours, dataset.path, pinned)]


def _estimates(dataset: Dataset) -> list[Problem]:
    return [
        Problem(
            dataset.path, m.row, "troops", f"~{m.troops}", _estimate_words(m), severity="warning"
        )
        for m in dataset
        if m.estimate
    ]


def _estimate_words(movement: Movement) -> str:
    number = f"{movement.troops:,}"
    return (
        f'~{number} is an estimate; the map labels it "~{number}" and its summary says '
        f'"about {number}".'
    )


def _found(place: Place, country: str) -> str:
    where = f", {country}" if country and place.kind != "country" else ""
    kind = f" ({place.kind})" if place.kind else ""
    return f"{place.name}{where}{kind}, from {place.source}"
