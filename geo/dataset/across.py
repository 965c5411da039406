"""Rules across the rows of a movements CSV: ids, an actor's colour, a number split by its
comma, and rows that repeat a movement."""

from __future__ import annotations

import collections
import re
import unicodedata

from ..errors import Problem
from ..style import actor_key
from .rows import RowChecker
from .schema import MAX_FIELD_CHARS, Movement
from .table import Table

_THREE_DIGITS = re.compile(r"^\s*\d{3}\s*$")
_FIRST_GROUP = re.compile(r"^\s*(?:~\s*)?\d{1,3}\s*$")


def check_ids(checker: RowChecker, table: Table, movements: list[Movement]) -> None:
    """An id names one row: every row that repeats one is reported, whatever else is wrong
    with either row, and so is an id that troopmap gives a row without one (``row-N``)."""
    ids = list(map(str.strip, table.columns.get("id", ())))
    if not all(map(str.isascii, ids)):  # the same letters, composed or not, are the same id
        ids = [unicodedata.normalize("NFC", ident) for ident in ids]
    given = collections.Counter(ids)
    repeated = {i for i, n in given.items() if n > 1 and i and len(i) <= MAX_FIELD_CHARS}
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
    named_like_rows = {i for i in given if i.startswith("row-")}
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
    found = []
    for index in (i for i, cell in enumerate(table.after_troops) if _THREE_DIGITS.match(cell)):
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
    warnings = []
    seen: dict[tuple[object, ...], int] = {}
    # Rows with equal cells share one tuple of destinations and one date: each is worked out
    # once, found by identity (the movements hold them, so no id is reused meanwhile).
    places: dict[int, tuple[str, ...]] = {}
    dates: dict[int, tuple[object, ...]] = {}
    for m in movements:
        folded = places.get(id(m.destinations))
        if folded is None:
            folded = tuple(d.place.casefold() for d in m.destinations)
            places[id(m.destinations)] = folded
        when = dates.get(id(m.date))
        if when is None:
            when = (m.date.start, m.date.end, m.date.text) if m.date else ()
            dates[id(m.date)] = when
        key = (m.actor.casefold(), (m.origin or "").casefold(), folded, m.troops, when, m.status)
        if key in seen:
            warnings.append(
                Problem(
                    name,
                    m.row,
                    None,
                    None,
                    f"repeats the movement of row {seen[key]}; both are drawn.",
                    "Delete one if it is the same report.",
                    "warning",
                )
            )
        else:
            seen[key] = m.row
        if len(m.destinations) > 1 and not m.split_reported:
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
