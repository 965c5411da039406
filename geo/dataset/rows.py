"""The row-by-row checker: one row of cells into a Movement, every problem of the row worded.

The column-wise reader (``columns``) makes the Movements of the rows with nothing to say; the
rows it leaves come here, so that each problem names its row, column and value. Both call the
same rules (``values`` and ``cells``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..errors import Problem
from .cells import actor_of, choice_of, colour_of, name_of, source_of, symbol_of, within_field_limit
from .schema import (
    AFFILIATIONS,
    DEFAULT_AFFILIATION,
    DEFAULT_STATUS,
    STATUSES,
    Movement,
    PlaceRef,
)
from .values import (
    CellProblem,
    counted_total,
    date_of,
    destinations_of,
    reported_of,
    row_troops,
    split_destinations,
    troops_of,
)

if TYPE_CHECKING:
    from ..symbols import UnitSymbol

T = TypeVar("T")


class RowChecker:
    """Turns one CSV row into a Movement, noting every problem instead of stopping."""

    def __init__(self, file: str, dot_groups: bool):
        self.file = file
        self.dot_groups = dot_groups
        self.problems: list[Problem] = []
        self.rejected_places: list[PlaceRef] = []

    def problem(
        self,
        row: int,
        column: str | None,
        value: str | None,
        message: str,
        suggestion: str = "",
        severity: str = "error",
        choices: tuple[str, ...] = (),
    ) -> None:
        self.problems.append(
            Problem(self.file, row, column, value, message, suggestion, severity, choices)
        )

    def cell_problem(self, row: int, column: str, text: str, problem: CellProblem) -> None:
        value = text if problem.value is None else problem.value
        self.problem(
            row, column, value, problem.message, problem.suggestion, choices=problem.choices
        )

    def checked(
        self, row: int, column: str, text: str, rule: Callable[[str], T], otherwise: T
    ) -> T:
        """What ``rule`` makes of the cell, or ``otherwise`` with its problem noted."""
        try:
            return rule(text)
        except CellProblem as problem:
            self.cell_problem(row, column, text, problem)
            return otherwise

    def movement(self, row: int, cells: dict[str, str]) -> Movement | None:
        before = len(self.problems)
        for column, value in cells.items():
            if self.checked(row, column, value, within_field_limit, None) is None:
                cells[column] = ""
        for column in ("id", "actor"):
            self.checked(row, column, cells.get(column, ""), functools.partial(name_of, column), "")
        actor = self.checked(row, "actor", cells.get("actor", ""), actor_of, "")
        origin = cells.get("origin", "").strip() or None
        troops_text = cells.get("troops", "")
        no_count: tuple[int | None, bool] = (None, False)
        read_troops = functools.partial(troops_of, dot_groups=self.dot_groups)
        given, estimate = self.checked(row, "troops", troops_text, read_troops, no_count)
        destinations, problems = destinations_of(
            cells.get("destination", ""), origin, self.dot_groups
        )
        for problem in problems:
            self.cell_problem(row, "destination", cells.get("destination", ""), problem)
        estimate = estimate or any(d.estimate for d in destinations)
        total = counted_total(destinations)
        troops = self.checked(
            row, "troops", troops_text, lambda t: row_troops(given, t, total), None
        )
        when = self.checked(row, "date", cells.get("date", ""), date_of, None)
        reported = self.checked(row, "reported", cells.get("reported", ""), reported_of, None)
        colour = self.checked(row, "colour", cells.get("colour", ""), colour_of, "")
        status = self.checked(
            row,
            "status",
            cells.get("status", ""),
            lambda t: choice_of("status", t, STATUSES, DEFAULT_STATUS),
            DEFAULT_STATUS,
        )
        given_affiliation = cells.get("affiliation", "")
        affiliation = self.checked(
            row,
            "affiliation",
            given_affiliation,
            lambda t: choice_of("affiliation", t, AFFILIATIONS, DEFAULT_AFFILIATION),
            DEFAULT_AFFILIATION,
        )
        source = self.checked(row, "source", cells.get("source", ""), source_of, "")
        frame = (
            affiliation
            if given_affiliation.strip() and given_affiliation.strip().lower() == affiliation
            else None
        )
        unit_symbol: UnitSymbol | None = self.checked(
            row, "symbol", cells.get("symbol", ""), lambda t: symbol_of(t, frame), None
        )
        if unit_symbol is not None and unit_symbol.affiliation != "unknown":
            affiliation = unit_symbol.affiliation
        if any(p.severity == "error" for p in self.problems[before:]):
            self.reject(row, origin, cells.get("destination", ""))
            return None
        return Movement(
            id=cells.get("id", "").strip() or f"row-{row}",
            row=row,
            actor=actor,
            destinations=tuple(destinations),
            troops=troops if troops is not None else 0,
            origin=origin,
            date=when,
            unit=cells.get("unit", "").strip(),
            estimate=estimate,
            status=status,
            source=source,
            notes=cells.get("notes", "").strip(),
            symbol=cells.get("symbol", "").strip(),
            affiliation=affiliation,
            unit_symbol=unit_symbol,
            reported=reported,
            colour=colour,
        )

    def reject(self, row: int, origin: str | None, destination_text: str) -> None:
        names = [("origin", origin)] if origin else []
        names += [
            ("destination", place) for place, _ in split_destinations(destination_text) if place
        ]
        self.rejected_places += [PlaceRef(row, column, name) for column, name in names[:5]]
