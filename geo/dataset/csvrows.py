"""The rows of CSV text, read by Python's csv module, numbered as a spreadsheet numbers them,
with what the csv module does not say about the lines it reads: comments, a quote left open,
lines that were not UTF-8."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..reading import csv_error, old_mac_line_ends, text_lines
from ..style import normal_colour
from .schema import COLUMNS, MAX_ROWS, normalise_header
from .table import Table, columns_named


@dataclass
class ReadRows:
    """The rows of a CSV text: its header (None for a file of no rows), the movement rows as a
    table, the problems met while reading (comments that look like rows, a quote left open,
    lines not UTF-8), and the rows not to check (a quote left open swallowed their lines)."""

    header: tuple[int, list[str]] | None
    table: Table
    problems: list[Problem] = field(default_factory=list)
    skip_rows: set[int] = field(default_factory=set)


def read_rows(text: str, name: str, delimiter: str, recoded_lines: Sequence[int] = ()) -> ReadRows:
    """The rows of ``text`` read by the csv module, up to MAX_ROWS + 2 of them (a file of
    millions of rows is refused at once); DataError for text the csv module cannot read."""
    notes = LineNotes(hashed_lines(text), recoded_lines)
    reader = csv.reader(text_lines(text), delimiter=delimiter)
    try:
        rows = itertools.islice(numbered_rows(reader, notes), MAX_ROWS + 2)
        header = next(rows, None)
        table = Table(rows, columns_named(header[1]) if header else [], csv_rows=True)
    except csv.Error as error:
        raise csv_error(name, reader.line_num, error) from None
    return ReadRows(header, table, notes.problems(name), {row for row, *_ in notes.swallowed})


def hashed_lines(text: str) -> set[int]:
    """The numbers of the lines of ``text`` (as :func:`~geo.reading.text_lines` cuts them)
    that start with ``#``, spaces aside; found without a step per line."""
    if old_mac_line_ends(text):
        lines = enumerate(io.StringIO(text, newline=""), start=1)
        return {number for number, line in lines if line.lstrip(" \t")[:1] == "#"}
    found, line, at, find = set(), 1, 0, text.find
    sign = find("#")
    while sign >= 0:  # a "#" is rare: look at each, rather than at each line
        start = text.rfind("\n", 0, sign) + 1
        if not text[start:sign].strip(" \t"):
            line += text.count("\n", at, start)
            at = start
            found.add(line)
        sign = find("#", sign + 1)
    return found


class LineNotes:
    """What the csv module does not say about the lines it reads, for messages about them:
    comment lines (a ``#`` before any quote) that look like rows, a quote left open that
    swallows the lines after it, and rows with a line that was not UTF-8."""

    def __init__(self, hashed: Collection[int] = (), recoded_lines: Sequence[int] = ()):
        self.hashed = set(hashed)  # the lines that start with "#" (after spaces)
        self.recoded = set(recoded_lines)
        self.header: list[str] = []
        self.row_like_comments: list[tuple[int, int, str]] = []  # row, values, first value
        self.swallowed: list[tuple[int, int, str, int]] = []  # row, cell, its start, lines
        self.recoded_rows: list[tuple[int, str]] = []  # row, a value with the odd text

    def record(self, row: int, cells: list[str], lines: range, delimiter: str) -> None:
        """Note what a row (not a comment), read from ``lines``, needs said about it."""
        if not self.header:
            self.header = cells
            return
        if len(lines) > 1:
            self._swallowing(row, cells, delimiter)
        if self.recoded and not self.recoded.isdisjoint(lines):
            odd = next((c for c in cells if not c.isascii()), "")
            self.recoded_rows.append((row, odd.strip()[:40]))

    def comment(self, row: int, cells: list[str]) -> None:
        """Note a comment line with a row's values whose "#" starts a word (``#NAFO``): a
        value a program wrote unquoted, rather than a row put aside (``# us-1,...``)."""
        width, first = len(self.header), cells[0].strip() if cells else ""
        if width >= 3 and len(cells) >= width - 1 and first[1:2].strip():
            self.row_like_comments.append((row, len(cells), cells[0].strip()[:40]))

    def _swallowing(self, row: int, cells: list[str], delimiter: str) -> None:
        """A cell over several lines, some of which look like rows: a quote left open."""
        for at, cell in enumerate(cells):
            if "\n" not in cell and "\r" not in cell:
                continue
            first, *rest = cell.splitlines()
            if any(line.count(delimiter) >= len(self.header) - 1 for line in rest):
                self.swallowed.append((row, at, first.strip()[:40], len(rest)))
                return

    def problems(self, name: str) -> list[Problem]:
        found = []
        for row, values, first in self.row_like_comments:
            found.append(
                Problem(
                    name,
                    row,
                    None,
                    first,
                    f'starts with "#", so it is skipped as a comment, but it has {values} values '
                    "like a row.",
                    f'If it is a movement, put its first value in quotes: "{first}".',
                    "warning",
                )
            )
        for row, at, start, lines in self.swallowed:
            raw = self.header[at] if at < len(self.header) else ""
            column = normalise_header(raw)
            found.append(
                Problem(
                    name,
                    row,
                    column if column in COLUMNS else raw.strip() or None,
                    start + "…",
                    f"a quote opens in this value and is not closed where it ends: the {lines} "
                    f"line{'s' if lines != 1 else ''} after it, which look like rows, were read "
                    "as part of it.",
                    "Close the quote, or remove it.",
                )
            )
        for row, value in self.recoded_rows:
            shown = f' ("{value}")' if value else ""
            found.append(
                Problem(
                    name,
                    row,
                    None,
                    value or None,
                    f"is not UTF-8 like the rest of the file: it was read as Windows-1252{shown}.",
                    "Check its accents, and save the file as UTF-8.",
                    "warning",
                )
            )
        return found


def numbered_rows(reader: Any, notes: LineNotes | None = None) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet numbers them, skipping blank and ``#`` comment lines.

    A spreadsheet counts records, not text lines: a quoted cell spanning two lines is one row.
    A comment is a line that starts with ``#`` before any quote (``"#2",...`` is a row), and
    not with a colour (``#C0392B,...``: see :func:`is_comment`).
    """
    notes = notes or LineNotes()
    hashed, delimiter, last = notes.hashed, reader.dialect.delimiter, 0
    every_row = bool(notes.recoded)  # else only the header and rows over several lines
    for row, cells in enumerate(reader, start=1):
        first, last = last + 1, reader.line_num
        if first in hashed and is_comment(cells[0] if cells else ""):
            notes.comment(row, cells)
            continue
        if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
            continue
        if last != first or every_row or not notes.header:
            notes.record(row, cells, range(first, last + 1), delimiter)
        yield row, cells


def is_comment(first_cell: str) -> bool:
    """A line whose first cell starts with ``#`` is a note for people, unless that cell is a
    colour (``#C0392B``: a ``colour`` column may come first)."""
    first = first_cell.lstrip()
    return first.startswith("#") and normal_colour(first) is None
