"""The C reader: CSV text read by pandas' C parser, every cell as text, into the same rows,
numbered the same way and with the same notes about lines, as the csv module gives
(:func:`~geo.dataset.csvrows.read_rows`), a column at a time.

The C parser splits records and quoted cells as the csv module does (a quote opens a cell
only at its start, ``""`` inside quotes is a quote, line breaks inside quotes stay), but it
does not say how many values a row had (it pads short rows with empty cells) nor on which
line a record starts. Lines are counted from the line breaks inside cells, and the few
records whose count of values matters (the header, comment lines, rows longer than the
header, and a failing row that may be short) are read again by the csv module.

It leaves the whole text to the csv module (returns None) where it must:

* old Mac line ends (a carriage return alone) and a text that starts with a byte-order mark,
  which the two parsers read differently;
* text that is not valid Unicode (a lone surrogate, from a caller's string);
* more lines than the most rows troopmap reads (the csv module stops at the limit);
* text the C parser refuses (a quote still open at the end), or whose rows are longer than
  the header in more ways than a few rereadings find, or a row of more than 200 values;
* a cell longer than the csv module's field limit (its error is the message).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..reading import old_mac_line_ends, text_lines
from .csvrows import LineNotes, ReadRows, hashed_lines, is_comment
from .schema import MAX_ROWS
from .table import Table, columns_named

if TYPE_CHECKING:
    import pandas as pd

_LONGER_ROW = re.compile(r"Expected (\d+) fields in line \d+, saw (\d+)")
_REREADS = 4
# The C parser makes an array for every column: a row of thousands of values (a hostile file)
# is left to the csv module, which makes a list.
_MOST_VALUES = 200


def read_rows_c(
    text: str, name: str, delimiter: str, recoded_lines: Sequence[int] = ()
) -> ReadRows | None:
    """The rows of ``text`` as :func:`~geo.dataset.csvrows.read_rows` gives them, or None
    where the csv module must read it (see the module's docstring)."""
    if not text or text[0] == "\ufeff" or old_mac_line_ends(text):
        return None
    line_count = text.count("\n") + (not text.endswith("\n"))
    if line_count > MAX_ROWS + 2:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    frame = _frame(data, delimiter, _first_width(text, delimiter))
    if frame is None:
        return None
    records = _Records(frame, data, delimiter, line_count)
    del frame  # its cells are kept once each, by their column's distinct cells
    if records.longest_cell > csv.field_size_limit():
        return None
    return records.rows(name, hashed_lines(text), recoded_lines)


def _first_width(text: str, delimiter: str) -> int:
    """Values in the widest of the first lines, up to the header: the C parser takes the
    values of a first row longer than the names it is given as an index."""
    widest = 1
    for line in text_lines(text):
        widest = max(widest, line.count(delimiter) + 1)
        if line.strip() and not line.lstrip().startswith("#"):
            break
    return widest


def _frame(data: bytes, delimiter: str, width: int) -> pd.DataFrame | None:
    """Every record of ``data`` as text cells, ``width`` columns or more; None when the C
    parser refuses it or needs rereading too often."""
    import pandas as pd

    for _ in range(_REREADS):
        if width > _MOST_VALUES:
            return None
        try:
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                header=None,
                names=range(width),
                dtype=object,
                na_filter=False,
                skip_blank_lines=False,
                quotechar='"',
                doublequote=True,
                engine="c",
                encoding="utf-8",
            )
        except pd.errors.ParserError as error:
            longer = _LONGER_ROW.search(str(error))
            if longer is None:
                return None
            width = int(longer.group(2))
            continue
        except (ValueError, OverflowError, MemoryError):
            return None
        if not isinstance(frame.index, pd.RangeIndex):  # a first row longer than ``width``
            width += frame.index.nlevels
            continue
        return frame
    return None


class _Records:
    """The records of the text, a column of cells for each position, with each column's
    distinct cells, and where each record starts."""

    def __init__(self, frame: pd.DataFrame, data: bytes, delimiter: str, line_count: int):
        import pandas as pd

        self.data = data
        self.delimiter = delimiter
        self.count = len(frame)
        self.factorized: list[tuple[np.ndarray, np.ndarray]] = [
            pd.factorize(frame[at].to_numpy(), sort=False) for at in frame.columns
        ]
        self.longest_cell = max(
            (max(map(len, uniques), default=0) for _, uniques in self.factorized), default=0
        )
        breaks = np.zeros(self.count, dtype=np.int64)  # line breaks inside the cells
        if self.count != line_count:
            for codes, uniques in self.factorized:
                inside = np.fromiter((u.count("\n") for u in uniques), np.int64, len(uniques))
                if inside.any():
                    breaks += inside[codes]
        self.breaks = breaks
        self.first_line = np.arange(1, self.count + 1) + np.cumsum(breaks) - breaks
        self._line_starts: np.ndarray | None = None

    def blank(self) -> np.ndarray:
        """For each record, whether all its cells are blank (spaces or nothing)."""
        blank = np.ones(self.count, dtype=bool)
        for codes, uniques in self.factorized:
            empty = np.fromiter((not u.strip() for u in uniques), bool, len(uniques))
            if not empty.all():
                blank &= empty[codes]
        return blank

    def cell(self, at: int, record: int) -> str:
        codes, uniques = self.factorized[at]
        return str(uniques[codes[record]])

    def cells(self, record: int) -> list[str]:
        """The cells of one record as the csv module reads them (exactly as many)."""
        if self._line_starts is None:
            breaks = np.flatnonzero(np.frombuffer(self.data, dtype=np.uint8) == 10) + 1
            self._line_starts = np.concatenate([[0], breaks, [len(self.data)]])
        first = int(self.first_line[record])
        start = int(self._line_starts[first - 1])
        end = int(
            self._line_starts[min(first + int(self.breaks[record]), len(self._line_starts) - 1)]
        )
        text = self.data[start:end].decode("utf-8")
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter), [])

    def rows(self, name: str, hashed: set[int], recoded_lines: Sequence[int]) -> ReadRows:
        skip = self.blank()
        notes = LineNotes(hashed, recoded_lines)
        comments: list[int] = []
        if hashed:
            hashed_records = np.flatnonzero(np.isin(self.first_line, list(hashed)))
            comments = [r for r in hashed_records.tolist() if is_comment(self.cell(0, r))]
            skip[comments] = True
        kept = np.flatnonzero(~skip)
        if not len(kept):
            return ReadRows(None, Table((), []), notes.problems(name))
        first = int(kept[0])
        header = self.cells(first)
        notes.record(first + 1, header, range(1, 2), self.delimiter)
        kept = kept[1:]
        for record in self._noted(kept, notes, comments, first):
            notes.record(record + 1, self._padded(record), self._lines(record), self.delimiter)
        table = self._table(kept, header)
        return ReadRows(
            (first + 1, header), table, notes.problems(name), {r for r, *_ in notes.swallowed}
        )

    def _noted(
        self, kept: np.ndarray, notes: LineNotes, comments: list[int], header: int
    ) -> Iterator[int]:
        """The records after the header that the notes need to see, in order; comments are
        noted on the way."""
        special = set(kept[self.breaks[kept] > 0].tolist())
        if notes.recoded:
            recoded = np.asarray(sorted(notes.recoded))
            last_line = self.first_line[kept] + self.breaks[kept]
            at = np.searchsorted(recoded, self.first_line[kept])
            touched = (at < len(recoded)) & (recoded[np.minimum(at, len(recoded) - 1)] <= last_line)
            special.update(kept[touched].tolist())
        after_header = [c for c in comments if c > header]
        for record in sorted(special.union(after_header)):
            if record in special:
                yield record
            else:
                notes.comment(record + 1, self.cells(record))

    def _padded(self, record: int) -> list[str]:
        return [self.cell(at, record) for at in range(len(self.factorized))]

    def _lines(self, record: int) -> range:
        first = int(self.first_line[record])
        return range(first, first + int(self.breaks[record]) + 1)

    def _table(self, kept: np.ndarray, header: list[str]) -> Table:
        width = len(header)
        named = columns_named(header)
        positions = len(self.factorized)
        columns = {
            column: self._column(at, kept)
            for at, column in enumerate(named)
            if column and at < positions
        }
        for column in named:
            if column and column not in columns:
                columns[column] = _blank_column(len(kept))
        long_rows: dict[int, tuple[int, str]] = {}
        for at in range(width, positions):
            codes, uniques = self.factorized[at]
            filled = np.fromiter((bool(u.strip()) for u in uniques), bool, len(uniques))
            for index in np.flatnonzero(filled[codes[kept]]).tolist():
                if index not in long_rows:
                    cells = self.cells(int(kept[index]))
                    extra = next(c for c in cells[width:] if c.strip())
                    long_rows[index] = (len(cells), extra)
        after = named.index("troops") + 1 if "troops" in named else width
        after_troops = self._column(after, kept)[0] if after < width else ()
        return Table.of_columns(
            rows=(kept + 1).tolist(),
            width=width,
            columns=columns,
            long_rows=dict(sorted(long_rows.items())),
            short_rows=_ShortRows(self, kept, width),
            after_troops=after_troops,
        )

    def _column(self, at: int, kept: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cells, codes, distinct cells) of position ``at`` for the kept records."""
        codes, uniques = self.factorized[at]
        kept_codes = codes[kept]
        return uniques[kept_codes], kept_codes, uniques


def _blank_column(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    uniques = np.array([""], dtype=object)
    codes = np.zeros(count, dtype=np.int64)
    return uniques[codes], codes, uniques


class _ShortRows:
    """By index, the rows with fewer values than the header names: how many. The C parser
    pads them with empty cells, so a row whose last cell is empty is read again to know."""

    def __init__(self, records: _Records, kept: np.ndarray, width: int):
        self.records, self.kept, self.width = records, kept, width
        self.known: dict[int, int | None] = {}

    def _values(self, index: int) -> int | None:
        if index not in self.known:
            record = int(self.kept[index])
            last = self.width - 1
            padded = last >= len(self.records.factorized) or not self.records.cell(last, record)
            count = len(self.records.cells(record)) if padded else self.width
            self.known[index] = count if count < self.width else None
        return self.known[index]

    def __contains__(self, index: Any) -> bool:
        return self._values(index) is not None

    def __getitem__(self, index: int) -> int:
        values = self._values(index)
        if values is None:
            raise KeyError(index)
        return values
