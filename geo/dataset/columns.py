"""The column-wise reader: the Movements of the rows with nothing to report, a column at a
time, each distinct cell read once by the same rules the row-by-row checker words.

A column repeats the same few texts (dates, statuses, places, sources) thousands of times:
each distinct cell is read once, and rules that read two cells together (origin and
destination, troops and destination, affiliation and symbol) run once for each distinct pair
that can break them. Rows with equal cells share one parsed value (one DateSpan, one tuple of
destinations), which also keeps a large dataset small. A row with anything to report is left
(None) for :class:`~geo.dataset.rows.RowChecker`, which words its problems.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from .cells import actor_of, choice_of, colour_of, name_of, source_of, symbol_of, within_field_limit
from .schema import (
    AFFILIATIONS,
    DEFAULT_AFFILIATION,
    DEFAULT_STATUS,
    MAX_NAME_CHARS,
    STATUSES,
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


def _objects(values: Iterable[Any], count: int) -> np.ndarray:
    """A one-dimensional array of any objects (tuples too)."""
    return np.fromiter(values, dtype=object, count=count)


def _flags(values: Iterable[bool], count: int) -> np.ndarray:
    return np.fromiter(values, dtype=bool, count=count)


class _Column:
    """What a rule makes of each distinct cell of a column: ``values[codes]`` is the value of
    each row, None where ``unusual[codes]``, the row's cell having a problem."""

    def __init__(self, codes: np.ndarray, uniques: np.ndarray, read: Callable[[str], Any]):
        self.codes = codes
        self.cells = uniques
        self.unusual = np.zeros(len(uniques), dtype=bool)

        def value(at: int, cell: str) -> Any:
            try:
                return read(within_field_limit(cell))
            except CellProblem:
                self.unusual[at] = True
                return None

        self.values = _objects(map(value, range(len(uniques)), uniques.tolist()), len(uniques))

    def part(self, at: int, default: Any = None) -> np.ndarray:
        """Item ``at`` of each distinct value (they are tuples); ``default`` for unusual ones."""
        return _objects(
            (default if v is None else v[at] for v in self.values.tolist()), len(self.values)
        )

    def of(self, rows: np.ndarray, values: np.ndarray | None = None) -> list[Any]:
        """The values (or ``values``, one for each distinct cell) of the given rows."""
        return (self.values if values is None else values)[self.codes[rows]].tolist()


def _pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The code of each row's pair of codes among the distinct pairs, and the distinct pairs."""
    import pandas as pd

    width = int(second.max(initial=0)) + 1
    codes, uniques = pd.factorize(first.astype(np.int64) * width + second, sort=False)
    return codes, list(zip((uniques // width).tolist(), (uniques % width).tolist()))


def _stripped(cell: str) -> str:
    return cell.strip()


def _origin(cell: str) -> str | None:
    return cell.strip() or None


def _actor(cell: str) -> str:
    return actor_of(name_of("actor", cell))


def _status(cell: str) -> str:
    return choice_of("status", cell, STATUSES, DEFAULT_STATUS)


def _affiliation(cell: str) -> str:
    return choice_of("affiliation", cell, AFFILIATIONS, DEFAULT_AFFILIATION)


def _id(cell: str) -> str:
    return name_of("id", cell)


class UsualRows:
    """The Movement of every row whose cells are all usual, checked a column at a time.

    Only rows :class:`~geo.dataset.rows.RowChecker` would accept without a word come out of
    here, and they come out the same.
    """

    def __init__(self, dot_groups: bool):
        self.dot_groups = dot_groups

    def movements(self, table: Table, reported_rows: set[int]) -> list[Movement | None]:
        """A Movement or None for each row: None for a row with anything to report, a row with
        more values than the header has columns, or one of ``reported_rows``."""
        count = len(table.rows)
        if not count:
            return []
        unusual = np.zeros(count, dtype=bool)
        unusual[list(table.long_rows)] = True
        rows = np.asarray(table.rows)
        if reported_rows:
            unusual |= np.isin(rows, list(reported_rows))

        def column(name: str, read: Callable[[str], Any]) -> _Column:
            read_column = _Column(*table.factorized(name), read)
            if read_column.unusual.any():
                unusual[read_column.unusual[read_column.codes]] = True
            return read_column

        ids = self._ids(table, unusual)
        actor = column("actor", _actor)
        unit = column("unit", _stripped)
        notes = column("notes", _stripped)
        origin = column("origin", _origin)
        places = column("destination", self._destinations)
        troops = column("troops", self._troops)
        dates = column("date", date_of)
        reported = column("reported", reported_of)
        colour = column("colour", colour_of)
        status = column("status", _status)
        source = column("source", source_of)
        affiliation = column("affiliation", _affiliation)
        symbol = column("symbol", _stripped)
        unusual |= self._goes_home(origin, places)
        troops_count = self._troops_of_rows(places, troops, unusual)
        frames, unit_symbols = self._symbols(affiliation, symbol, unusual)
        good = np.flatnonzero(~unusual)
        estimate = troops.part(1, False).astype(bool)[troops.codes[good]]
        estimate |= places.part(3, False).astype(bool)[places.codes[good]]
        good_rows = rows[good].tolist()
        made = Movement.of_columns(
            id=[ids[i] or f"row-{r}" for i, r in zip(good.tolist(), good_rows)],
            row=good_rows,
            actor=actor.of(good),
            destinations=places.of(good, places.part(0)),
            troops=troops_count[good].tolist(),
            origin=origin.of(good),
            date=dates.of(good),
            unit=unit.of(good),
            estimate=estimate.tolist(),
            status=status.of(good),
            source=source.of(good),
            notes=notes.of(good),
            symbol=symbol.of(good),
            affiliation=frames[good].tolist(),
            unit_symbol=unit_symbols[good].tolist(),
            reported=reported.of(good),
            colour=colour.of(good),
        )
        result: list[Movement | None] = [None] * count
        for index, movement in zip(good.tolist(), made):
            result[index] = movement
        return result

    @staticmethod
    def _ids(table: Table, unusual: np.ndarray) -> list[str]:
        """The ids, stripped. Ids differ from row to row, and the rules of an id are of its
        length: only an id longer than a name may be is read by them."""
        cells = table.columns.get("id")
        if cells is None:
            return [""] * len(unusual)
        ids = [cell.strip() for cell in cells]
        if max(map(len, cells), default=0) > MAX_NAME_CHARS:
            unusual[[not _usual(_id, cell) for cell in cells]] = True
        return ids

    @staticmethod
    def _goes_home(origin: _Column, places: _Column) -> np.ndarray:
        """For each row, whether its origin is also one of its destinations: a single place is
        compared by code, several once for each distinct pair of cells."""
        folded = [o.casefold() if o else None for o in origin.values.tolist()]
        code_of = {name: at for at, name in enumerate(folded) if name is not None}
        # Origins equal but for case and spaces share one code; no origin has none (-3).
        same = np.array([code_of.get(name, -3) for name in folded], dtype=np.int64)
        names = places.part(1)  # each destination cell's places, casefolded
        single = _objects(
            (
                code_of.get(next(iter(n)), -1) if n is not None and len(n) == 1 else -2
                for n in names.tolist()
            ),
            len(names),
        ).astype(np.int64)
        home = single[places.codes] == same[origin.codes]
        several = np.flatnonzero(single[places.codes] == -2)
        if len(several):
            pairs, distinct = _pairs(origin.codes[several], places.codes[several])
            hits = _flags(
                (
                    folded[o] is not None and names[d] is not None and folded[o] in names[d]
                    for o, d in distinct
                ),
                len(distinct),
            )
            home[several] = hits[pairs]
        return home

    @staticmethod
    def _troops_of_rows(places: _Column, troops: _Column, unusual: np.ndarray) -> np.ndarray:
        """The troops of each row, by :func:`row_troops`: a row with a number and no counts
        for several places has its number; the others (several counts, or no number) are
        worked out once for each distinct pair of cells. Where troops and the destination
        counts disagree or are both missing, the row is unusual."""
        given = troops.part(0)
        counts = given[troops.codes]
        totals = places.part(2)
        others = np.flatnonzero(_flags((t is not None for t in totals), len(totals))[places.codes])
        others = np.union1d(others, np.flatnonzero(_missing(given)[troops.codes]))
        if len(others):
            pairs, distinct = _pairs(troops.codes[others], places.codes[others])
            worked = _objects(
                (_row_troops(troops, t, totals[d], places.unusual[d]) for t, d in distinct),
                len(distinct),
            )
            counts[others] = worked[pairs]
        unusual |= _missing(counts)
        return counts

    @staticmethod
    def _symbols(
        affiliation: _Column, symbol: _Column, unusual: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each row, the affiliation (the symbol's own when it has one) and the unit symbol,
        read once for each distinct pair of affiliation and symbol; unusual where a symbol
        cannot be read."""
        if not symbol.values.any():  # no symbols: the affiliations as given
            return affiliation.values[affiliation.codes], np.full(len(unusual), None)
        pairs, distinct = _pairs(affiliation.codes, symbol.codes)
        frames = np.empty(len(distinct), dtype=object)
        unit_symbols = np.empty(len(distinct), dtype=object)
        for at, (a, s) in enumerate(distinct):
            word, text = affiliation.values[a], symbol.values[s]
            if word is None or text is None:
                continue  # an unusual cell: the row is unusual already
            frame = word if affiliation.cells[a].strip() else None
            try:
                found = symbol_of(text, frame)
            except CellProblem:
                continue
            unit_symbols[at] = found
            frames[at] = found.affiliation if found and found.affiliation != "unknown" else word
        unusual |= _missing(frames)[pairs]
        return frames[pairs], unit_symbols[pairs]

    def _troops(self, cell: str) -> tuple[int | None, bool]:
        return troops_of(cell, self.dot_groups)

    def _destinations(self, cell: str) -> tuple[tuple[Any, ...], set[str], int | None, bool]:
        """The places, their names casefolded, the sum of their counts when there are several
        places and each has a count (else None), and whether a count is approximate."""
        places, problems = destinations_of(cell, None, self.dot_groups)
        if problems:
            raise problems[0]
        names = {d.place.casefold() for d in places}
        return tuple(places), names, counted_total(places), any(d.estimate for d in places)


def _row_troops(troops: _Column, at: int, total: int | None, unusual: bool) -> int | None:
    """:func:`row_troops` of a distinct troops cell and a destination's total; None for a
    problem (or an unusual destination cell, whose row is unusual already)."""
    given = troops.values[at]
    if given is None or unusual:
        return None
    with contextlib.suppress(CellProblem):
        return row_troops(given[0], troops.cells[at], total)
    return None


def _usual(rule: Callable[[str], Any], cell: str) -> bool:
    try:
        rule(within_field_limit(cell))
    except CellProblem:
        return False
    return True


def _missing(values: np.ndarray) -> np.ndarray:
    return _flags((value is None for value in values.tolist()), len(values))
