"""Movement rows as a table, a column at a time, as the header names the columns."""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable, Sequence
from typing import Protocol, TypeAlias

import numpy as np

from .schema import COLUMNS, normalise_header

Factorized = tuple[np.ndarray, np.ndarray]  # a code for each cell, and the distinct cells
Cells: TypeAlias = "Sequence[str] | np.ndarray"  # a column's cells, as a list or an array


class ShortRows(Container[int], Protocol):
    """By index, the rows with fewer values than the header names: how many."""

    def __getitem__(self, index: int, /) -> int: ...


class Table:
    """The movement rows of a file a column at a time, as the header names the columns.

    Equal cells of a column are kept as one string (ids excepted: they differ), so that a
    large file takes little more memory than its distinct values; rows are taken a few
    thousand at a time; of a row with more values than the header has columns, what its
    problem needs is kept. With ``csv_rows`` (text, where a missing delimiter shifts the cells
    after it), so are the rows with fewer values, and the values that follow troops.
    """

    CHUNK = 2048

    def __init__(
        self, rows: Iterable[tuple[int, list[str]]], columns: list[str], csv_rows: bool = False
    ):
        self.width = width = len(columns)
        known = [(name, at) for at, name in enumerate(columns) if name]
        columns_of: dict[str, list[str]] = {name: [] for name, _ in known}
        self.columns: dict[str, Cells] = dict(columns_of)
        self.rows: list[int] = []
        # By index, the rows with values past the header: how many values, and the first.
        self.long_rows: dict[int, tuple[int, str]] = {}
        # By index, the rows of a CSV with fewer values than the header names: how many.
        short_rows: dict[int, int] = {}
        self.short_rows: ShortRows = short_rows
        # The values right after troops, whatever their column (CSV only).
        after = columns.index("troops") + 1 if csv_rows and "troops" in columns else width
        after_troops: list[str] = []
        self.after_troops: Cells = after_troops
        self._factorized: dict[str, Factorized] = {}
        shared: dict[str, dict[str, str]] = {name: {} for name, _ in known if name != "id"}
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, self.CHUNK)):
            start = len(self.rows)
            self.rows += [row for row, _ in chunk]
            cells = [cells for _, cells in chunk]
            if max(map(len, cells)) > width:
                for index, row_cells in enumerate(cells):
                    if len(row_cells) > width:
                        extra = next((c for c in row_cells[width:] if c.strip()), None)
                        if extra is not None:
                            self.long_rows[start + index] = (len(row_cells), extra)
                        cells[index] = row_cells[:width]
            if csv_rows and min(map(len, cells)) < width:
                short_rows.update(
                    (start + index, len(row_cells))
                    for index, row_cells in enumerate(cells)
                    if len(row_cells) < width
                )
            by_column = list(itertools.zip_longest(*cells, fillvalue=""))
            blank = ("",) * len(chunk)
            if after < width:
                after_troops += by_column[after] if after < len(by_column) else blank
            for name, at in known:
                values = by_column[at] if at < len(by_column) else blank
                if name in shared:
                    same = shared[name].setdefault
                    columns_of[name] += map(same, values, values)
                else:
                    columns_of[name] += values

    @classmethod
    def of_columns(
        cls,
        rows: list[int],
        width: int,
        columns: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
        long_rows: dict[int, tuple[int, str]],
        short_rows: ShortRows,
        after_troops: Cells,
    ) -> Table:
        """A table of columns read already: for each, its cells, and their codes into its
        distinct cells (see :meth:`factorized`)."""
        table = cls((), [])
        table.rows, table.width = rows, width
        table.columns = {name: cells for name, (cells, _, _) in columns.items()}
        table._factorized = {
            name: (codes, uniques) for name, (_, codes, uniques) in columns.items()
        }
        table.long_rows, table.short_rows, table.after_troops = long_rows, short_rows, after_troops
        return table

    def factorized(self, name: str) -> Factorized:
        """A code for each cell of a column, and its distinct cells (the code is the index of
        the cell among them): a column missing from the file is all empty cells."""
        if name not in self._factorized:
            if name in self.columns:
                import pandas as pd

                cells = np.empty(len(self.rows), dtype=object)
                cells[:] = self.columns[name]
                self._factorized[name] = pd.factorize(cells, sort=False)
            else:
                self._factorized[name] = (
                    np.zeros(len(self.rows), dtype=np.int64),
                    np.array([""], dtype=object),
                )
        return self._factorized[name]

    def cells(self, index: int) -> dict[str, str]:
        """The cells of one row, by column, in the header's order."""
        return {name: str(values[index]) for name, values in self.columns.items()}


def columns_named(header: list[str]) -> list[str]:
    """The column of COLUMNS each header cell names: "" for an unknown one, and for a name
    given a second time."""
    columns: list[str] = []
    seen: set[str] = set()
    for raw in header:
        name = normalise_header(raw)
        columns.append(name if name in COLUMNS and name not in seen else "")
        seen.add(name)
    return columns
