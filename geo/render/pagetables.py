"""How the page's data stores what repeats once (``geo.render.pagedata``): texts in a table
that values refer to by index, and coordinates, at ``COORD_DIGITS`` decimals, the same way."""

from __future__ import annotations

from typing import Any

import numpy as np

COORD_DIGITS = 4  # about 10 m: every point the page places (flows, stations, places, units)


class Table:
    """Strings stored once; values refer to them by index (first appearance first)."""

    def __init__(self, first: tuple[str, ...] = ("",)):
        self.values: list[str] = list(first)
        self.index = {v: i for i, v in enumerate(self.values)}

    def codes(self, values: Any) -> np.ndarray:
        return codes(values, self.index, self.values)


class Points:
    """Coordinates stored once, at COORD_DIGITS decimals."""

    def __init__(self) -> None:
        self.index: dict[tuple[float, float], int] = {}
        self.values: list[tuple[float, float]] = []

    def codes(self, xy: np.ndarray) -> list[int]:
        """The index of each point. Points repeat (many flows share a place): they are told
        apart as integers in C, and only the distinct ones are looked up here."""
        import pandas as pd

        if not len(xy):
            return []
        grid = np.round(np.asarray(xy, dtype=float) * 10**COORD_DIGITS).astype(np.int64)
        keys = grid[:, 0] * 4_000_000_000 + grid[:, 1]  # |lat| ≤ 90°: 1e6 apart is enough
        found, distinct = pd.factorize(keys, sort=False)
        first = np.zeros(len(distinct), dtype=np.int64)
        first[found[::-1]] = np.arange(len(found))[::-1]  # each distinct key's first row
        points = grid[first] / 10**COORD_DIGITS + 0.0  # + 0.0: no "-0.0" in the page
        where = np.empty(len(distinct), dtype=np.int64)
        for i, point in enumerate(map(tuple, points.tolist())):
            code = self.index.get(point)
            if code is None:
                code = self.index[point] = len(self.values)
                self.values.append(point)
            where[i] = code
        return where[found].tolist()

    def flat(self) -> list[float]:
        return [c for point in self.values for c in point]


def codes(values: Any, index: dict[Any, int], table: list[Any]) -> np.ndarray:
    """The index in ``table`` of each value, adding new ones in order of first appearance.

    The distinct values are found in C (``pandas.factorize``); only they are looked up here.
    The codes stay a numpy array until the page's JSON is written (``inline.script_json``), a
    column at a time: as Python lists, a large map's columns would all be in memory at once.
    """
    import pandas as pd

    found, distinct = pd.factorize(pd.Series(values, dtype=object), sort=False)
    where = np.empty(len(distinct), dtype=np.int64)
    for i, value in enumerate(distinct.tolist()):
        code = index.get(value)
        if code is None:
            code = index[value] = len(table)
            table.append(value)
        where[i] = code
    return where[found] if len(found) else np.zeros(0, dtype=np.int64)
