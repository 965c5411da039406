"""The movements CSV's schema: its columns, their limits, and the records a file becomes."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import DataError, Problem

if TYPE_CHECKING:
    from ..symbols import UnitSymbol

COLUMNS = (
    "id",
    "date",
    "reported",
    "actor",
    "unit",
    "origin",
    "destination",
    "troops",
    "status",
    "source",
    "notes",
    "symbol",
    "affiliation",
    "colour",
)
REQUIRED = ("actor", "destination", "troops")
STATUSES = ("announced", "ordered", "underway", "arrived", "claimed", "withdrawn", "reported")
AFFILIATIONS = ("friend", "hostile", "neutral", "unknown")
DEFAULT_STATUS = "reported"
DEFAULT_AFFILIATION = ""  # none given: the map takes no side (a symbol's frame is "unknown")

MAX_TROOPS = 10_000_000
MAX_FIELD_CHARS = 10_000
# An id or an actor is a name, repeated on every leg and station of the GIS data: kept short.
MAX_NAME_CHARS = 200
MAX_DESTINATIONS = 50
# A file of 1,000,000 rows stops at once with a message (and one of 200 MB: see
# ``geo.reading.MAX_FILE_BYTES``). The scale targets are met up to 100,000 movements.
MAX_ROWS = 200_000

Day = date  # a calendar day (inside Movement, ``date`` names the field)


@dataclass(frozen=True)
class DateSpan:
    """A reported date: a day, a month, or a window such as an exercise (inclusive)."""

    start: date
    end: date
    text: str

    @property
    def is_range(self) -> bool:
        return self.start != self.end and "/" in self.text


@dataclass(frozen=True)
class Destination:
    place: str
    troops: int | None = None
    estimate: bool = False  # the count was given as approximate: Place=~1700


@dataclass(frozen=True)
class Movement:
    """One row of the CSV: a force moving (origin given) or stationed (no origin)."""

    id: str
    row: int
    actor: str
    destinations: tuple[Destination, ...]
    troops: int
    origin: str | None = None
    date: DateSpan | None = None
    unit: str = ""
    estimate: bool = False
    status: str = DEFAULT_STATUS
    source: str = ""
    notes: str = ""
    symbol: str = ""
    affiliation: str = DEFAULT_AFFILIATION
    unit_symbol: UnitSymbol | None = None
    reported: Day | None = None  # the day the source reported it (``date``: when it happens)
    colour: str = ""  # the actor's colour, pinned by this row ("#RRGGBB"); "" for none

    @classmethod
    def of_columns(cls, **columns: Sequence[Any]) -> list[Movement]:
        """Movements of fields checked already, given by name a column at a time (one value a
        movement in each), equal to ``Movement(**fields)`` for each row's fields.

        They are made without the dataclass's ``__init__``: being frozen, it sets each field
        through ``object.__setattr__``, which takes ten times as long (a second for 100,000
        rows on a slow machine).
        """
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in columns]
        defaults = {name: _MOVEMENT_DEFAULTS[name] for name in missing}  # KeyError: required
        names, new, made = list(columns), object.__new__, []
        for values in zip(*columns.values(), strict=True):
            movement = new(cls)
            if defaults:
                movement.__dict__.update(defaults)
            movement.__dict__.update(zip(names, values))
            made.append(movement)
        return made

    @property
    def stationed(self) -> bool:
        return self.origin is None

    @property
    def forked(self) -> bool:
        return len(self.destinations) > 1

    @property
    def split_reported(self) -> bool:
        """True unless troops go to several places without a count for each."""
        return not self.forked or all(d.troops is not None for d in self.destinations)

    @property
    def place_names(self) -> list[tuple[str, str]]:
        """(column, place) for the origin and every destination."""
        names = [("origin", self.origin)] if self.origin else []
        return names + [("destination", d.place) for d in self.destinations]

    @property
    def destination_text(self) -> str:
        return (
            " and ".join(d.place for d in self.destinations)
            if len(self.destinations) <= 2
            else ", ".join(d.place for d in self.destinations)
        )


_MOVEMENT_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Movement) if f.default is not dataclasses.MISSING
}


@dataclass(frozen=True)
class PlaceRef:
    """A place a row names, kept even when the row has errors so a check can still look it up."""

    row: int
    column: str
    name: str


@dataclass
class Dataset:
    """The checked movements of one file, with the warnings found while reading it.

    ``errors`` is empty for a dataset returned by :func:`read_movements` (which raises instead);
    :func:`check_rows` fills it and keeps the good rows, so every problem can be listed at once.
    ``rejected_places`` are the places named by rows that had errors.
    """

    path: str
    movements: list[Movement]
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    rejected_places: list[PlaceRef] = field(default_factory=list)
    # The file as the user wrote it, as CSV text (a workbook's sheet written as CSV): the
    # page offers it back for download ("Get the data").
    text: str = ""

    @property
    def place_refs(self) -> list[PlaceRef]:
        """Every place named, by good rows and rejected ones, in row order."""
        refs = [
            PlaceRef(m.row, column, name) for m in self.movements for column, name in m.place_names
        ]
        return sorted([*refs, *self.rejected_places], key=lambda r: r.row)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise DataError(self.errors, partial=self)

    def __len__(self) -> int:
        return len(self.movements)

    def __iter__(self) -> Iterator[Movement]:
        return iter(self.movements)


def normalise_header(name: str) -> str:
    """A header cell as a column name: ``" Troops "`` → ``troops``, ``"Reported on"`` →
    ``reported_on``."""
    return re.sub(r"\s+", "_", name.replace("\ufeff", "").strip().lower())


def in_reading_order(problems: Iterable[Problem], movements_file: str) -> list[Problem]:
    """Problems of other files first (a places file changes every row), then row by row, and
    within a row column by column, as a person reads the file."""

    def order(problem: Problem) -> tuple[int, int, int]:
        column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
        row = problem.row if problem.row is not None else -1
        return int(problem.file == movements_file), row, column

    return sorted(problems, key=order)
