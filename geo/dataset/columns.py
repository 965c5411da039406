"""The column-wise reader: the Movements of the rows with nothing to report, a column at a
time, each distinct cell read once by the same rules the row-by-row checker words.

A column repeats the same few texts (dates, statuses, places, sources) thousands of times:
each is read once, and rows with equal cells share one parsed value (one DateSpan, one tuple
of destinations), which also keeps a large dataset small. A row with anything to report is
left (None) for :class:`~geo.dataset.rows.RowChecker`, which words its problems.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .cells import actor_of, choice_of, colour_of, name_of, source_of, symbol_of, within_field_limit
from .schema import (
    AFFILIATIONS,
    DEFAULT_AFFILIATION,
    DEFAULT_STATUS,
    MAX_NAME_CHARS,
    STATUSES,
    Destination,
    Movement,
)
from .values import (
    CellProblem,
    counted_total,
    date_of,
    destinations_of,
    reported_of,
    row_troops,
    troops_of,
)

if TYPE_CHECKING:
    from .table import Table

_UNUSUAL = object()  # a cell with a problem: its row goes to the row-by-row checker


class _Memo(dict[str, Any]):
    """What ``read`` makes of each distinct cell of a column, worked out once; ``_UNUSUAL`` for
    a cell longer than any cell may be or that ``read`` finds a problem with."""

    def __init__(self, read: Callable[[str], Any]):
        super().__init__()
        self.read = read
        self.unusual = False  # True once a cell was

    def __missing__(self, cell: str) -> Any:
        try:
            value = self.read(within_field_limit(cell))
        except CellProblem:
            value = _UNUSUAL
            self.unusual = True
        self[cell] = value
        return value


def _stripped(cell: str) -> str:
    return cell.strip()


def _actor(cell: str) -> str:
    return actor_of(name_of("actor", cell))


def _origin(cell: str) -> tuple[str | None, str | None]:
    origin = cell.strip()
    return (origin, origin.casefold()) if origin else (None, None)


def _status(cell: str) -> str:
    return choice_of("status", cell, STATUSES, DEFAULT_STATUS)


def _affiliation(cell: str) -> tuple[str, str | None]:
    """The affiliation, and the one the symbol's frame must show (None when none is given)."""
    affiliation = choice_of("affiliation", cell, AFFILIATIONS, DEFAULT_AFFILIATION)
    return affiliation, (affiliation if cell.strip() else None)


def _is_usual_id(cell: str) -> bool:
    try:
        name_of("id", within_field_limit(cell))
    except CellProblem:
        return False
    return True


class UsualRows:
    """The Movement of every row whose cells are all usual, checked a column at a time.

    Only rows :class:`~geo.dataset.rows.RowChecker` would accept without a word come out of
    here, and they come out the same.
    """

    def __init__(self, dot_groups: bool):
        self.dot_groups = dot_groups
        self.symbol = {
            given: _Memo(functools.partial(symbol_of, affiliation=given))
            for given in (None, *AFFILIATIONS)
        }

    def movements(self, table: Table, reported_rows: set[int]) -> list[Movement | None]:
        """A Movement or None for each row: None for a row with anything to report, a row with
        more values than the header has columns, or one of ``reported_rows``."""
        blank = ("",) * len(table.rows)
        unusual: set[int] = set(table.long_rows)  # the rows with an unusual cell

        def column(name: str) -> Sequence[str]:
            return table.columns.get(name, blank)

        def parsed(name: str, read: Callable[[str], Any]) -> list[Any]:
            memo = _Memo(read)
            values = list(map(memo.__getitem__, column(name)))
            if memo.unusual:
                unusual.update(i for i, value in enumerate(values) if value is _UNUSUAL)
            return values

        ids = column("id")
        if max(map(len, ids), default=0) > MAX_NAME_CHARS:
            unusual.update(i for i, ident in enumerate(ids) if not _is_usual_id(ident))
        columns = (
            map(str.strip, ids),
            parsed("actor", _actor),
            parsed("unit", _stripped),
            parsed("origin", _origin),
            parsed("destination", self._destinations),
            parsed("troops", self._troops),
            column("troops"),
            parsed("date", date_of),
            parsed("reported", reported_of),
            parsed("colour", colour_of),
            parsed("status", _status),
            parsed("source", source_of),
            parsed("notes", _stripped),
            parsed("affiliation", _affiliation),
            column("symbol"),
        )
        symbols = self.symbol
        result: list[Movement | None] = []
        add = result.append
        for index, row, *cells in zip(range(len(table.rows)), table.rows, *columns):
            if index in unusual or row in reported_rows:
                add(None)
                continue
            add(self._movement(row, *cells, symbols=symbols))
        return result

    @staticmethod
    def _movement(
        row: int,
        ident: str,
        actor: str,
        unit: str,
        origin: tuple[str | None, str | None],
        places: tuple[tuple[Destination, ...], set[str], int | None, bool],
        troops: tuple[int | None, bool],
        troops_text: str,
        when: Any,
        reported: Any,
        colour: str,
        status: str,
        source: str,
        notes: str,
        affiliation: tuple[str, str | None],
        symbol: str,
        *,
        symbols: dict[str | None, _Memo],
    ) -> Movement | None:
        """The Movement of one row of usual cells, unless its cells disagree."""
        (origin_name, folded), (destinations, names, total, approximate) = origin, places
        if folded in names:  # the origin is also a destination
            return None
        try:
            count = row_troops(troops[0], troops_text, total)
        except CellProblem:
            return None
        unit_symbol = symbols[affiliation[1]][symbol]
        if unit_symbol is _UNUSUAL or count is None:
            return None
        frame = affiliation[0]
        if unit_symbol is not None and unit_symbol.affiliation != "unknown":
            frame = unit_symbol.affiliation
        return Movement(
            id=ident or f"row-{row}",
            row=row,
            actor=actor,
            destinations=destinations,
            troops=count,
            origin=origin_name,
            date=when,
            unit=unit,
            estimate=troops[1] or approximate,
            status=status,
            source=source,
            notes=notes,
            symbol=symbol.strip(),
            affiliation=frame,
            unit_symbol=unit_symbol,
            reported=reported,
            colour=colour,
        )

    def _troops(self, cell: str) -> tuple[int | None, bool]:
        return troops_of(cell, self.dot_groups)

    def _destinations(
        self, cell: str
    ) -> tuple[tuple[Destination, ...], set[str], int | None, bool]:
        """The places, their names casefolded, the sum of their counts when there are several
        places and each has a count (else None), and whether a count is approximate."""
        places, problems = destinations_of(cell, None, self.dot_groups)
        if problems:
            raise problems[0]
        names = {d.place.casefold() for d in places}
        return tuple(places), names, counted_total(places), any(d.estimate for d in places)
