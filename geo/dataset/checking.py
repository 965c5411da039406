"""Checking a movements CSV (or the rows of a workbook): the header, every row, the rules
across rows; every problem collected, so that all can be listed at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import DataError, Problem
from ..reading import (
    SPLIT_ADVICE,
    decode_lines,
    file_error,
    read_file_bytes,
    remove_control_characters,
    sniff_delimiter,
)
from .across import check_colours, check_ids, movement_warnings, split_numbers
from .cells import closest, did_you_mean
from .columns import UsualRows
from .creader import read_rows_c
from .csvrows import read_rows
from .rows import RowChecker
from .schema import COLUMNS, MAX_ROWS, REQUIRED, Dataset, normalise_header
from .table import Table, columns_named


def read_movements(path: str | Path, *, display_name: str | None = None) -> Dataset:
    """Read and check a movements CSV; raise ``DataError`` listing every problem found."""
    dataset = check_file(path, display_name=display_name)
    dataset.raise_for_errors()
    return dataset


def check_file(path: str | Path, *, display_name: str | None = None) -> Dataset:
    """Read a movements CSV and check every row; row problems are in ``Dataset.errors``.

    Raises ``DataError`` only when the file cannot be read at all.
    """
    name = display_name or str(path)
    text, recoded = decode_lines(read_file_bytes(path, name))
    return check_text(text, name, recoded_lines=recoded)


def parse_movements(text: str, name: str = "<text>") -> Dataset:
    """Parse and check CSV text (already decoded); see :func:`read_movements`."""
    dataset = check_text(text, name)
    dataset.raise_for_errors()
    return dataset


def check_text(text: str, name: str = "<text>", *, recoded_lines: Sequence[int] = ()) -> Dataset:
    """Parse CSV text and check every row; see :func:`check_rows`. ``recoded_lines`` are the
    lines :func:`decode_lines` read as cp1252: their rows get a warning."""
    text, controls = remove_control_characters(text)
    removed = (
        [
            Problem(
                name,
                None,
                None,
                None,
                f"{controls:,} control character{'s' if controls != 1 else ''} (invisible, "
                "or left by a wrong encoding) removed.",
                "",
                "warning",
            )
        ]
        if controls
        else []
    )
    delimiter = sniff_delimiter(text)
    with collector_paused():
        read = read_rows_c(text, name, delimiter, recoded_lines) or read_rows(
            text, name, delimiter, recoded_lines
        )
        _refuse_unless_drawable(name, len(read.table.rows) + (read.header is not None))
        assert read.header is not None  # a file without one was refused as empty
        found = [*removed, *read.problems, *split_numbers(name, read.table, delimiter)]
        dataset = _check_table(
            read.header,
            read.table,
            name,
            delimiter == ";",
            delimiter,
            found,
            skip_rows=read.skip_rows,
        )
        dataset.text = text  # kept for the page's "Get the data" (one copy of the file)
        return dataset


def check_rows(
    rows: Sequence[tuple[int, list[str]]],
    name: str,
    *,
    dot_groups: bool = False,
    delimiter: str = ",",
    problems: Iterable[Problem] = (),
) -> Dataset:
    """Check rows of text cells, numbered as a spreadsheet shows them, the first being the header.

    Both the CSV reader and the spreadsheet reader (``geo.spreadsheet``) come here, so a value
    means the same and gets the same message whatever the file. ``problems`` found earlier
    (say, a cell Excel turned into a date) are kept, and their cells are not checked again.
    The returned Dataset holds the good rows, the warnings, and every error in ``errors``.
    """
    _refuse_unless_drawable(name, len(rows))
    with collector_paused():
        table = Table(rows[1:], columns_named(rows[0][1]))
        return _check_table(rows[0], table, name, dot_groups, delimiter, problems)


def _refuse_unless_drawable(name: str, rows: int) -> None:
    """Raise DataError for a file of no rows, or of more than MAX_ROWS movements."""
    if rows > MAX_ROWS + 1:
        raise file_error(
            name,
            f"has more than {MAX_ROWS:,} movements, the most troopmap draws on one map.",
            SPLIT_ADVICE,
        )
    if not rows:
        raise file_error(
            name, "is empty.", "The first line must name the columns: " + ",".join(COLUMNS) + "."
        )


def _check_table(
    header: tuple[int, list[str]],
    table: Table,
    name: str,
    dot_groups: bool,
    delimiter: str,
    problems: Iterable[Problem],
    skip_rows: Collection[int] = (),
) -> Dataset:
    """Check every row of ``table``; ``problems`` were found while reading it, and the rows
    in ``skip_rows`` (their cells cannot be trusted) are left unchecked."""
    checker = RowChecker(name, dot_groups=dot_groups)
    header_row, header_cells = header
    columns = _check_header(checker, header_row, header_cells)
    checker.problems.extend(problems)
    reported = {(p.row, p.column) for p in checker.problems if p.severity == "error"}
    reported_rows = {row for row, _ in reported if row is not None}
    usual = UsualRows(dot_groups).movements(table, reported_rows)
    for index in [index for index, movement in enumerate(usual) if movement is None]:
        row = table.rows[index]
        if row in skip_rows:
            continue
        # A row with something to report, checked cell by cell to word each problem.
        if index in table.long_rows:
            values, extra = table.long_rows[index]
            checker.problem(
                row,
                None,
                extra,
                f"has {values} values but the header names {len(columns)} columns.",
                f'Quote text that contains the delimiter "{delimiter}".',
            )
            continue
        named = table.cells(index)
        already, places = len(checker.problems), len(checker.rejected_places)
        movement = checker.movement(row, named)
        if movement is None and index in table.short_rows and row not in reported_rows:
            # A value missing in the middle moves the ones after it into the wrong columns:
            # say that, rather than what is wrong with the shifted cells.
            del checker.problems[already:], checker.rejected_places[places:]
            checker.problem(
                row,
                None,
                None,
                f"has {table.short_rows[index]} values but the header names "
                f"{len(columns)} columns.",
                "Write every value, empty ones too (a,,b), so that each is under its column.",
            )
            continue
        if any((row, column) in reported for column in named):
            # A cell reported before (say, one Excel turned into a date) is not reported again.
            checker.problems[already:] = [
                p for p in checker.problems[already:] if (p.row, p.column) not in reported
            ]
            if movement is not None:
                checker.reject(row, movement.origin, named.get("destination", ""))
            continue
        usual[index] = movement
    movements = [movement for movement in usual if movement is not None]
    check_ids(checker, table, movements)
    check_colours(checker, movements)
    if not movements and not any(p.severity == "error" for p in checker.problems):
        checker.problem(
            header_row,
            None,
            None,
            "has a header but no movements.",
            "Add one row per movement below the header.",
        )
    errors = [p for p in checker.problems if p.severity == "error"]
    warnings = [p for p in checker.problems if p.severity != "error"]
    warnings.extend(movement_warnings(name, movements))
    rejected = list(dict.fromkeys(checker.rejected_places))
    return Dataset(name, movements, warnings, errors, rejected)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while many new objects are made (a file's rows read and checked,
    the layers built from them).

    Rows, cells, movements and layer values hold no reference cycles, so collecting finds
    nothing; but as they are made the collector would walk all those made so far again and
    again: a quarter of the time of checking a large file, a fifth of building its layers.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_header(checker: RowChecker, row: int, header: list[str]) -> list[str]:
    """The columns the header names (see _columns_named); raises DataError for a header that
    names a column twice or misses a required one."""
    seen: set[str] = set()
    for raw in header:
        name = normalise_header(raw)
        if not name:
            continue
        if name in seen:
            checker.problem(
                row,
                raw,
                raw,
                f'the column "{raw.strip()}" appears twice.',
                "Remove or rename one of them.",
            )
            continue
        seen.add(name)
        if name not in COLUMNS:
            checker.problem(
                row,
                raw,
                raw,
                f'"{raw.strip()}" is not a known column and is ignored.',
                did_you_mean(closest(name, COLUMNS)),
                severity="warning",
            )
    for required in REQUIRED:
        if required not in seen:
            checker.problem(
                row,
                required,
                None,
                f'the required column "{required}" is missing.',
                "The header must name at least: " + ", ".join(REQUIRED) + ".",
            )
    if any(p.severity == "error" for p in checker.problems):
        raise DataError([p for p in checker.problems if p.severity == "error"])
    return columns_named(header)
