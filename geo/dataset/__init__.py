"""The movements CSV: its schema, reading it as people save it, and checking every row.

This stage knows nothing of coordinates: place names stay text until the gazetteer resolves
them. Every problem in a file is collected and reported together (see ``geo.errors``).

    schema    the columns, their limits, Movement and Dataset
    values    troops, dates, destinations: parsed, and their problems worded
    cells     the rules of the other cells (names, colours, statuses, links, symbols)
    creader   CSV text → the same rows, read by pandas' C parser a column at a time
    csvrows   CSV text → numbered rows, with Python's csv module (where the C parser cannot)
    table     rows → columns, as the header names them
    columns   the column-wise reader: the rows with nothing to report, each distinct cell once
    rows      the row-by-row checker: every problem of a row, worded
    across    rules across rows (ids, colours, repeated movements)
    checking  the entry points: check_file, check_text, check_rows, read_movements

Reading bytes, encodings and delimiters is ``geo.reading``'s, shared with the other files.
"""

from __future__ import annotations

from ..reading import (
    MAX_FILE_BYTES,
    SPLIT_ADVICE,
    STANDARD_INPUT,
    decode,
    decode_lines,
    is_regular_file,
    read_file_bytes,
    remove_control_characters,
    sniff_delimiter,
)
from .cells import closest, did_you_mean
from .checking import (
    check_file,
    check_rows,
    check_text,
    collector_paused,
    parse_movements,
    read_movements,
)
from .columns import UsualRows
from .csvrows import is_comment
from .rows import RowChecker
from .schema import (
    AFFILIATIONS,
    COLUMNS,
    DEFAULT_AFFILIATION,
    DEFAULT_STATUS,
    MAX_DESTINATIONS,
    MAX_FIELD_CHARS,
    MAX_NAME_CHARS,
    MAX_ROWS,
    MAX_TROOPS,
    REQUIRED,
    STATUSES,
    Dataset,
    DateSpan,
    Day,
    Destination,
    Movement,
    PlaceRef,
    in_reading_order,
    normalise_header,
)
from .values import parse_date, parse_reported, parse_troops, split_destinations

__all__ = [
    "AFFILIATIONS",
    "COLUMNS",
    "DEFAULT_AFFILIATION",
    "DEFAULT_STATUS",
    "MAX_DESTINATIONS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_NAME_CHARS",
    "MAX_ROWS",
    "MAX_TROOPS",
    "REQUIRED",
    "SPLIT_ADVICE",
    "STANDARD_INPUT",
    "STATUSES",
    "Dataset",
    "DateSpan",
    "Day",
    "Destination",
    "Movement",
    "PlaceRef",
    "RowChecker",
    "UsualRows",
    "check_file",
    "check_rows",
    "check_text",
    "closest",
    "collector_paused",
    "decode",
    "decode_lines",
    "did_you_mean",
    "in_reading_order",
    "is_comment",
    "is_regular_file",
    "normalise_header",
    "parse_date",
    "parse_movements",
    "parse_reported",
    "parse_troops",
    "read_file_bytes",
    "read_movements",
    "remove_control_characters",
    "sniff_delimiter",
    "split_destinations",
]
