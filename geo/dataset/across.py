"""Rules across the rows of a movements CSV: ids, an actor's colour, a number split by its
comma, and rows that repeat a movement."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import numpy as np

from ..errors import Problem
from ..style import actor_key
from .rows import RowChecker
from .schema import MAX_FIELD_CHARS, DateSpan, Destination, Movement
from .table import Table

_THREE_DIGITS = re.compile(r"^\s*\d{3}\s*$")
_FIRST_GROUP = re.compile(r"^\s*(?:~\s*)?\d{1,3}\s*$")


def check_ids(checker: RowChecker, table: Table, movements: list[Movement]) -> None:
    """An id names one row: every row that repeats one is reported, whatever else is wrong
    with either row, and so is an id that troopmap gives a row without one (``row-N``)."""
    ids = list(map(str.strip, table.columns.get("id", ())))
    if not all(map(str.isascii, ids)):  # the same letters, composed or not, are the same id
        ids = [unicodedata.normalize("NFC", ident) for ident in ids]
    given, times = _counted(ids)
    repeated = {i for i in given[times > 1].tolist() if i and len(i) <= MAX_FIELD_CHARS}
    first_row: dict[str, int] = {}
    for row, ident in zip(table.rows, ids) if repeated else ():
        if ident not in repeated:
            continue
        if ident in first_row:
            checker.problem(
                row,
                "id",
                ident,
                f'"{ident}" is already the id of row {first_row[ident]}.',
                "Give every movement its own id, or leave id empty.",
            )
        else:
            first_row[ident] = row
    named_like_rows = {i for i in given.tolist() if i.startswith("row-")}
    defaults = (
        {m.id: m.row for m in movements if m.id in named_like_rows and m.id == f"row-{m.row}"}
        if named_like_rows
        else {}
    )
    for row, ident in zip(table.rows, ids) if defaults else ():
        if ident in defaults and defaults[ident] != row:
            other = defaults.pop(ident)
            checker.problem(
                row,
                "id",
                ident,
                f'"{ident}" is the id troopmap gives row {other}, which has none.',
                f"Choose another id, or give row {other} one.",
            )


def split_numbers(name: str, table: Table, delimiter: str) -> list[Problem]:
    """Rows where a comma inside the troops number (1,000 not in quotes) put its last digits
    in the next column: the row still has as many values as the header, and would be read
    as 1 troop with "000" in the next column."""
    if delimiter != ",":
        return []
    import pandas as pd

    found = []
    codes, cells = pd.factorize(np.asarray(table.after_troops, dtype=object), sort=False)
    three = np.fromiter((bool(_THREE_DIGITS.match(c)) for c in cells.tolist()), bool, len(cells))
    for index in np.flatnonzero(three[codes]).tolist() if three.any() else ():
        troops = table.columns["troops"][index]
        if _FIRST_GROUP.match(troops):
            rest = table.after_troops[index].strip()
            number = f"{troops.strip()},{rest}"
            found.append(
                Problem(
                    name,
                    table.rows[index],
                    "troops",
                    troops,
                    f'"{troops.strip()}" and the next value, "{rest}", look like one number, '
                    f"{number}, split by its comma.",
                    f"Write it without the comma ({number.replace(',', '')}), or in quotes "
                    f'("{number}").',
                    choices=(number.replace(",", ""),),
                )
            )
    return found


def _counted(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, and how many times each is given."""
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    return uniques, np.bincount(codes, minlength=len(uniques))


def check_colours(checker: RowChecker, movements: list[Movement]) -> None:
    """An actor has one colour: a row that gives it another is an error."""
    first: dict[str, Movement] = {}
    for movement in movements:
        if not movement.colour:
            continue
        key = actor_key(movement.actor)
        earlier = first.setdefault(key, movement)
        if earlier.colour != movement.colour:
            checker.problem(
                movement.row,
                "colour",
                movement.colour,
                f'"{movement.colour}" differs from {earlier.colour}, the colour row '
                f"{earlier.row} gives {movement.actor}.",
                "Give an actor one colour, or leave the cell empty.",
            )


def movement_warnings(name: str, movements: list[Movement]) -> list[Problem]:
    """A warning for each movement that repeats an earlier one (the same actor, origin,
    destinations, troops, date and status, whatever the case of the names), and for each
    that sends troops to several places without a count for each."""
    places = _by_identity(list(map(attrgetter("destinations"), movements)))[0]
    first = _first_equal(movements, places)
    forks = _unsplit_forks(movements, places)
    warnings = []
    for index in np.flatnonzero((first != np.arange(len(movements))) | forks).tolist():
        m = movements[index]
        if first[index] != index:
            warnings.append(
                Problem(
                    name,
                    m.row,
                    None,
                    None,
                    f"repeats the movement of row {movements[first[index]].row}; both are drawn.",
                    "Delete one if it is the same report.",
                    "warning",
                )
            )
        if forks[index]:
            warnings.append(
                Problem(
                    name,
                    m.row,
                    "destination",
                    m.destination_text,
                    f"{m.troops:,} troops to {len(m.destinations)} places "
                    "without a count for each: drawn as one fork labelled "
                    '"split not reported".',
                    "",
                    "warning",
                )
            )
    return warnings


def _first_equal(movements: list[Movement], places: np.ndarray) -> np.ndarray:
    """For each movement, the index of the first movement equal to it (itself if none is
    before it): the same actor, origin, destinations, troops, date and status, names compared
    casefolded. Equal cells share one tuple of destinations and one date: each distinct one
    is worked out once, found by identity (``places``: see :func:`_by_identity`)."""
    import pandas as pd

    count = len(movements)
    if count < 2:
        return np.arange(count)
    dates, dates_first = _by_identity(list(map(attrgetter("date"), movements)))
    places_first = _first_of_codes(places)
    keys = [
        _codes(list(map(attrgetter("actor"), movements)), str.casefold),
        _codes([m.origin or "" for m in movements], str.casefold),
        _codes([_folded_places(movements[i].destinations) for i in places_first.tolist()])[places],
        _codes(list(map(attrgetter("troops"), movements))),
        _codes([_date_key(movements[i].date) for i in dates_first.tolist()])[dates],
        _codes(list(map(attrgetter("status"), movements))),
    ]
    group = keys[0]
    for key in keys[1:]:  # each step's codes stay below the count, so products fit
        group = pd.factorize(group * (int(key.max()) + 1) + key, sort=False)[0]
    return _first_of_codes(group)[group]


def _unsplit_forks(movements: list[Movement], places: np.ndarray) -> np.ndarray:
    """For each movement, whether it goes to several places without a count for each."""
    unsplit = [
        len(m.destinations) > 1 and not m.split_reported
        for m in (movements[i] for i in _first_of_codes(places).tolist())
    ]
    return np.array(unsplit, dtype=bool)[places] if len(unsplit) else np.zeros(0, dtype=bool)


def _by_identity(objects: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """A code for each object by identity, and the index of the first object of each code."""
    import pandas as pd

    ids = np.fromiter(map(id, objects), dtype=np.uint64, count=len(objects))
    codes = pd.factorize(ids, sort=False)[0]
    return codes, _first_of_codes(codes)


def _first_of_codes(codes: np.ndarray) -> np.ndarray:
    """The index of the first appearance of each code (codes given in order of first
    appearance): the indices are written backwards, so the smallest is written last."""
    first = np.empty(int(codes.max(initial=-1)) + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return first


def _codes(values: list[Any], fold: Callable[[Any], Any] | None = None) -> np.ndarray:
    """A code for each value (never None), equal values (equal once folded) sharing one."""
    import pandas as pd

    codes, uniques = pd.factorize(np.fromiter(values, object, len(values)), sort=False)
    if fold is None:
        return codes
    folded = np.fromiter(map(fold, uniques.tolist()), object, len(uniques))
    return pd.factorize(folded, sort=False)[0][codes]


def _folded_places(places: tuple[Destination, ...]) -> tuple[str, ...]:
    return tuple(d.place.casefold() for d in places)


def _date_key(when: DateSpan | None) -> tuple[object, ...]:
    return (when.start, when.end, when.text) if when else ()
