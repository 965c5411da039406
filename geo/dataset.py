"""The movements CSV: its schema, reading it as people save it, and checking every row.

This stage knows nothing of coordinates: place names stay text until the gazetteer resolves
them. Every problem in a file is collected and reported together (see ``geo.errors``).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

COLUMNS = (
    "id",
    "date",
    "actor",
    "unit",
    "origin",
    "destination",
    "troops",
    "status",
    "source",
    "notes",
    "symbol",
    "affiliation",
)
REQUIRED = ("actor", "destination", "troops")
STATUSES = ("announced", "ordered", "underway", "arrived", "claimed", "withdrawn", "reported")
AFFILIATIONS = ("friend", "hostile", "neutral", "unknown")
DEFAULT_STATUS = "reported"
DEFAULT_AFFILIATION = "unknown"

MAX_TROOPS = 10_000_000
MAX_FIELD_CHARS = 10_000
MAX_DESTINATIONS = 50

_ESTIMATE_PREFIX = re.compile(r"^(?:~|≈|c\.|ca\.|about|approx\.?|approximately)\s*", re.I)
_GROUPED_DIGITS = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f\u2009 ']\d{3})+$")
_DOT_GROUPED_DIGITS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.I)


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A reported date: a day, a month, or a window such as an exercise (inclusive)."""

    start: date
    end: date
    text: str

    @property
    def is_range(self) -> bool:
        return self.start != self.end and "/" in self.text


@dataclass(frozen=True, slots=True)
class Destination:
    place: str
    troops: int | None = None


@dataclass(frozen=True, slots=True)
class Movement:
    """One row of the CSV: a force moving (origin given) or stationed (no origin)."""

    id: str
    row: int
    actor: str
    destinations: tuple[Destination, ...]
    troops: int
    origin: str | None = None
    date: DateSpan | None = None
    unit: str = ""
    estimate: bool = False
    status: str = DEFAULT_STATUS
    source: str = ""
    notes: str = ""
    symbol: str = ""
    affiliation: str = DEFAULT_AFFILIATION

    @property
    def stationed(self) -> bool:
        return self.origin is None

    @property
    def forked(self) -> bool:
        return len(self.destinations) > 1

    @property
    def split_reported(self) -> bool:
        """True unless troops go to several places without a count for each."""
        return not self.forked or all(d.troops is not None for d in self.destinations)

    @property
    def destination_text(self) -> str:
        return " and ".join(d.place for d in self.destinations) if len(
            self.destinations
        ) <= 2 else ", ".join(d.place for d in self.destinations)


@dataclass
class Dataset:
    """The checked movements of one file, with the warnings found while reading it."""

    path: str
    movements: list[Movement]
    warnings: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.movements)

    def __iter__(self) -> Iterator[Movement]:
        return iter(self.movements)


# --- reading text -------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """Decode a CSV as spreadsheets save it: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab, judged from the header line."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def normalise_header(name: str) -> str:
    return re.sub(r"\s+", "_", name.replace("\ufeff", "").strip().lower())


# --- parsing single values ----------------------------------------------------------------


def parse_troops(text: str, *, dot_groups: bool = False) -> tuple[int, bool]:
    """Parse ``1000``, ``1,000``, ``1 000`` or ``~30000`` into (count, is_estimate).

    Raises ValueError with a message for people.
    """
    value = text.strip()
    estimate = False
    match = _ESTIMATE_PREFIX.match(value)
    if match:
        estimate = True
        value = value[match.end() :].strip()
    if value.isdigit() and value.isascii():
        number = int(value)
    elif _GROUPED_DIGITS.match(value):
        number = int(re.sub(r"\D", "", value))
    elif dot_groups and _DOT_GROUPED_DIGITS.match(value):
        number = int(value.replace(".", ""))
    elif value.startswith("-"):
        raise ValueError("troops cannot be negative")
    else:
        raise ValueError("is not a whole number of troops")
    if number > MAX_TROOPS:
        raise ValueError(f"is more than {MAX_TROOPS:,} troops, which is surely a typing error")
    return number, estimate


def parse_date(text: str) -> DateSpan:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY-MM-DD/YYYY-MM-DD``; ValueError otherwise."""
    value = text.strip()
    if "/" in value and value.count("/") == 1 and "-" in value:
        first, last = (part.strip() for part in value.split("/"))
        start, end = _parse_one_date(first).start, _parse_one_date(last).end
        if end < start:
            raise ValueError("ends before it starts")
        return DateSpan(start, end, f"{first}/{last}")
    return _parse_one_date(value)


def _parse_one_date(value: str) -> DateSpan:
    if day := _DAY.match(value):
        year, month, dom = (int(g) for g in day.groups())
        try:
            when = date(year, month, dom)
        except ValueError:
            raise ValueError("is not a real date") from None
        return DateSpan(when, when, value)
    if month_match := _MONTH.match(value):
        year, month = (int(g) for g in month_match.groups())
        if not 1 <= month <= 12:
            raise ValueError("is not a real month")
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        return DateSpan(first, date.fromordinal(last), value)
    raise ValueError("is not a date in the form YYYY-MM-DD, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD")


def split_destinations(text: str) -> list[tuple[str, str | None]]:
    """``Germany; Poland=1700`` → [("Germany", None), ("Poland", "1700")]."""
    parts: list[tuple[str, str | None]] = []
    for chunk in text.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        place, sep, count = chunk.rpartition("=")
        parts.append((place.strip(), count.strip()) if sep else (chunk, None))
    return parts


def closest(word: str, choices: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(word.lower(), list(choices), n=3, cutoff=0.6)


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"Did you mean {quoted}?"


# --- the reader -----------------------------------------------------------------------------


Note = tuple[str | None, str | None, str, str]  # column, value, message, suggestion

# The order in which one row's problems are listed: as a reader goes along the row.
_LONG, _ACTOR, _TROOPS, _DESTINATION, _RECONCILE, _DATE, _STATUS, _AFFILIATION, _SOURCE = range(9)


class _RowChecker:
    """Collects the problems of a file, each located by row and column."""

    def __init__(self, file: str, dot_groups: bool):
        self.file = file
        self.dot_groups = dot_groups
        self.problems: list[Problem] = []

    def problem(
        self,
        row: int,
        column: str | None,
        value: str | None,
        message: str,
        suggestion: str = "",
        severity: str = "error",
    ) -> None:
        self.problems.append(Problem(self.file, row, column, value, message, suggestion, severity))


class _Columns:
    """Checks the movement rows of a file a column at a time.

    A column holds the same few values over and over (dates, statuses, sources, places), so
    each distinct value is parsed and checked once and the result is mapped back onto the rows;
    only the rows holding a bad value are visited again, to report them. Problems are then
    listed in the order a reader meets them: by row, and along the row.
    """

    def __init__(self, checker: _RowChecker, cells: dict[str, list[str]],
                 row_numbers: list[int]):
        self.checker = checker
        self.rows = row_numbers
        self.found: list[tuple[int, int, int, Problem]] = []  # (row, stage, order, problem)
        self.cells = cells
        self.count = len(row_numbers)

    def column(self, name: str) -> list[str]:
        return self.cells.get(name) or [""] * self.count

    def note(self, index: int, stage: int, note: Note) -> None:
        column, value, message, suggestion = note
        row = self.rows[index]
        problem = Problem(self.checker.file, row, column, value, message, suggestion)
        self.found.append((row, stage, len(self.found), problem))

    def parsed(self, name: str, stage: int, check: Callable[[str, list[Note]], Any]) -> list[Any]:
        """``check`` applied to every distinct value of a column, mapped back onto the rows."""
        values = self.column(name)
        return self.parsed_values(values, stage, check)

    def parsed_values(self, values: list[Any], stage: int,
                      check: Callable[[Any, list[Note]], Any]) -> list[Any]:
        results: dict[Any, Any] = {}
        bad: dict[Any, list[Note]] = {}
        for value in dict.fromkeys(values):
            notes: list[Note] = []
            results[value] = check(value, notes)
            if notes:
                bad[value] = notes
        if bad:
            for index, value in enumerate(values):
                for note in bad.get(value, ()):
                    self.note(index, stage, note)
        return [results[v] for v in values]

    def movements(self) -> list[Movement]:
        checker = self.checker
        self.cut_long_cells()
        actors = _shared(a.strip() for a in self.column("actor"))
        for index, actor in enumerate(actors):
            if not actor:
                self.note(index, _ACTOR, ("actor", "", "is empty.",
                                          "Name who moves, e.g. United States."))
        origins = _shared(o.strip() or None for o in self.column("origin"))
        troops_text = self.column("troops")
        troops = self.parsed("troops", _TROOPS,
                             lambda text, notes: _check_troops(text, checker.dot_groups, notes))
        destinations = self.destinations(origins)
        counts = self.reconcile(troops_text, [t for t, _ in troops], destinations)
        dates = self.parsed("date", _DATE, _check_date)
        statuses = self.parsed("status", _STATUS, lambda text, notes: _check_choice(
            "status", text, STATUSES, DEFAULT_STATUS, notes))
        affiliations = self.parsed("affiliation", _AFFILIATION, lambda text, notes: _check_choice(
            "affiliation", text, AFFILIATIONS, DEFAULT_AFFILIATION, notes))
        sources = self.parsed("source", _SOURCE, _check_source)
        self.found.sort(key=lambda item: item[:3])
        checker.problems.extend(problem for *_, problem in self.found)
        failed = {row for row, *_ in self.found}
        ids = [i.strip() for i in self.column("id")]
        units = _shared(u.strip() for u in self.column("unit"))
        notes = _shared(n.strip() for n in self.column("notes"))
        symbols = _shared(s.strip() for s in self.column("symbol"))
        return [
            Movement(ids[i] or f"row-{row}", row, actors[i], destinations[i], counts[i] or 0,
                     origins[i], dates[i], units[i], troops[i][1], statuses[i], sources[i],
                     notes[i], symbols[i], affiliations[i])
            for i, row in enumerate(self.rows)
            if row not in failed
        ]

    def cut_long_cells(self) -> None:
        """A cell over MAX_FIELD_CHARS is reported and then read as empty."""
        for position, (name, values) in enumerate(self.cells.items()):
            if max(map(len, values), default=0) <= MAX_FIELD_CHARS:
                continue
            for index, value in enumerate(values):
                if len(value) > MAX_FIELD_CHARS:
                    self.note(index, _LONG, (
                        name, value[:40] + "…",
                        f"is {len(value):,} characters long; the limit is {MAX_FIELD_CHARS:,}.",
                        ""))
                    self.found[-1] = (*self.found[-1][:2], position, self.found[-1][3])
                    values[index] = ""

    def destinations(self, origins: list[str | None]) -> list[tuple[Destination, ...]]:
        texts = self.column("destination")
        named: dict[str, frozenset[str]] = {
            text: frozenset(place.casefold() for place, _ in split_destinations(text))
            for text in dict.fromkeys(texts)
        }
        folded = {o: o.casefold() for o in dict.fromkeys(origins) if o}
        # The origin matters only when the cell names it: otherwise one check serves all rows.
        keys = [(text, folded[o] if o and folded[o] in named[text] else None)
                for text, o in zip(texts, origins, strict=True)]
        dot_groups = self.checker.dot_groups
        return self.parsed_values(keys, _DESTINATION, lambda key, notes: _check_destinations(
            key[0], key[1], dot_groups, notes))

    def reconcile(self, texts: list[str], troops: list[int | None],
                  destinations: list[tuple[Destination, ...]]) -> list[int | None]:
        """The row's troops, or the sum of its destinations' counts when only those are given;
        reports a missing count or counts that do not add up."""
        result = list(troops)
        for index, (count, places) in enumerate(zip(troops, destinations, strict=True)):
            if count is not None and (len(places) < 2 or places[0].troops is None):
                continue  # the usual row: a count, and one destination or no split given
            text = texts[index]
            counted = [d.troops for d in places]
            total = sum(c for c in counted if c is not None)
            all_counted = bool(counted) and all(c is not None for c in counted)
            if count is None and not text.strip():
                if all_counted and len(places) > 1:
                    result[index] = total
                    continue
                self.note(index, _RECONCILE, (
                    "troops", "", "is empty.",
                    "Write how many troops, e.g. 1000, or ~30000 for an estimate."))
            elif count is not None and all_counted and len(places) > 1 and total != count:
                self.note(index, _RECONCILE, (
                    "troops", text,
                    f"says {count:,} but the destination counts add up to {total:,}.",
                    "Make them agree, or leave troops empty."))
        return result


def _shared(values: Iterable[Any]) -> list[Any]:
    """The values, equal ones as one object: a column repeats the same few texts thousands of
    times, and each row's copy would otherwise be kept by its movement."""
    seen: dict[Any, Any] = {}
    return [seen.setdefault(v, v) for v in values]


def _check_troops(text: str, dot_groups: bool, notes: list[Note]) -> tuple[int | None, bool]:
    if not text.strip():
        return None, False
    try:
        return parse_troops(text, dot_groups=dot_groups)
    except ValueError as error:
        notes.append(("troops", text, f'"{text.strip()}" {error}.',
                      "Write a whole number such as 1000, 1,000 or ~30000 for an estimate."))
        return None, False


def _check_destinations(
    text: str, origin: str | None, dot_groups: bool, notes: list[Note]
) -> tuple[Destination, ...]:
    """The places of a destination cell; ``origin`` is the row's origin, casefolded, when the
    cell names it (a movement must go somewhere else)."""
    parts = split_destinations(text)
    if not parts:
        notes.append(("destination", text, "is empty.",
                      "Name where the troops go or are stationed, e.g. Romania."))
        return ()
    if len(parts) > MAX_DESTINATIONS:
        notes.append(("destination", text[:40] + "…",
                      f"lists {len(parts)} places; at most {MAX_DESTINATIONS} fit in one row.",
                      "Split the movement over several rows."))
        return ()
    result: list[Destination] = []
    seen: set[str] = set()
    for place, count_text in parts:
        if not place:
            notes.append(("destination", text, f'"{text}" has a count without a place.',
                          "Write Place=count, e.g. Poland=1700."))
            continue
        if place.casefold() in seen:
            notes.append(("destination", text, f'names "{place}" twice.', ""))
            continue
        seen.add(place.casefold())
        if origin and place.casefold() == origin:
            notes.append(("destination", place,
                          f'"{place}" is also the origin; a movement must go somewhere else.',
                          "Leave origin empty for a force stationed there."))
        count = None
        if count_text is not None:
            try:
                count, _ = parse_troops(count_text, dot_groups=dot_groups)
            except ValueError as error:
                notes.append(("destination", f"{place}={count_text}",
                              f'the count for "{place}", "{count_text}", {error}.',
                              "Write Place=count, e.g. Poland=1700."))
        result.append(Destination(place, count))
    counted = [d for d in result if d.troops is not None]
    if counted and len(counted) != len(result):
        notes.append(("destination", text, "gives a count for some places but not others.",
                      "Give a count for every place (Germany=300; Poland=1700) or for none."))
    return tuple(result)


def _check_date(text: str, notes: list[Note]) -> DateSpan | None:
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        notes.append(("date", text, f'"{text.strip()}" {error}.', _date_hint(text)))
        return None


def _check_choice(
    column: str, text: str, allowed: tuple[str, ...], default: str, notes: list[Note]
) -> str:
    value = text.strip().lower()
    if not value:
        return default
    if value in allowed:
        return value
    notes.append((column, text, f'"{text.strip()}" is not a known {column}.',
                  did_you_mean(closest(value, allowed))
                  or "Use one of: " + ", ".join(allowed) + "."))
    return default


def _check_source(text: str, notes: list[Note]) -> str:
    value = text.strip()
    if not value:
        return ""
    if _URL.match(value):
        return value
    if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) and not value.lower().startswith("http"):
        message = f'"{value}" is not a web link; only http:// and https:// links are allowed.'
    else:
        message = f'"{value}" is not a web address.'
    notes.append(("source", value, message, "Give the report's address, starting with https://."))
    return ""


def _date_hint(text: str) -> str:
    found = re.match(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$", text)
    if found:
        day, month, year = found.groups()
        return f"Write dates as YYYY-MM-DD, e.g. {year}-{int(month):02d}-{int(day):02d}."
    return "Write dates as YYYY-MM-DD (2022-02-02), YYYY-MM, or a window 2022-02-10/2022-02-20."


def read_movements(path: str | Path, *, display_name: str | None = None) -> Dataset:
    """Read and check a movements CSV; raise ``DataError`` listing every problem found."""
    source = Path(path)
    name = display_name or str(path)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, None, None, None, "file not found.")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, None, None, None, "is a folder, not a CSV file.")]) from None
    except OSError as error:
        raise DataError([Problem(name, None, None, None, f"cannot be read ({error.strerror}).")]
                        ) from None
    text = decode(raw)
    del raw  # a large file: keep one copy of it while it is parsed, not two
    return parse_movements(text, name)


def parse_movements(text: str, name: str = "<text>") -> Dataset:
    """Parse and check CSV text (already decoded); see :func:`read_movements`."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    checker = _RowChecker(name, dot_groups=delimiter == ";")
    numbered = _numbered_rows(reader)
    try:
        first = next(numbered, None)
        if first is None:
            raise DataError([Problem(name, None, None, None, "is empty.",
                                     "The first line must name the columns: "
                                     + ",".join(COLUMNS) + ".")])
        header_row, header = first
        columns = _check_header(checker, header_row, header)
        cells, numbers, overlong = _read_columns(numbered, columns, name, delimiter)
    except csv.Error as error:
        raise DataError([Problem(name, reader.line_num, None, None,
                                 f"cannot be read as CSV ({error}).",
                                 "Check for an unclosed quote.")]) from None
    table = _Columns(checker, cells, numbers)
    table.found.extend(overlong)
    movements = table.movements()
    _check_ids(checker, movements)
    if not movements and not any(p.severity == "error" for p in checker.problems):
        checker.problem(header_row, None, None, "has a header but no movements.",
                        "Add one row per movement below the header.")
    errors = [p for p in checker.problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    warnings = [p for p in checker.problems if p.severity != "error"]
    warnings.extend(_movement_warnings(name, movements))
    return Dataset(name, movements, warnings)


def _read_columns(
    rows: Iterable[tuple[int, list[str]]], columns: list[str], name: str, delimiter: str
) -> tuple[dict[str, list[str]], list[int], list[tuple[int, int, int, Problem]]]:
    """The cells of the movement rows, column by column, with their row numbers; rows with more
    values than the header has columns are reported instead.

    Equal cells of a column are kept as one string (except ids, which are all different): a
    long file repeats the same few texts, and one copy per row would be most of its memory.
    """
    width = len(columns)
    cells: dict[str, list[str]] = {}
    slots: list[tuple[Callable[[str], None], dict[str, str] | None] | None] = []
    for column in columns:
        if column:
            cells[column] = []
            slots.append((cells[column].append, None if column == "id" else {}))
        else:
            slots.append(None)
    numbers: list[int] = []
    overlong: list[tuple[int, int, int, Problem]] = []
    for row, values in rows:
        if len(values) > width:
            extra = [c for c in values[width:] if c.strip()]
            if extra:
                overlong.append((row, -1, 0, Problem(
                    name, row, None, extra[0],
                    f"has {len(values)} values but the header names {width} columns.",
                    f'Quote text that contains the delimiter "{delimiter}".')))
                continue
        elif len(values) < width:
            values = values + [""] * (width - len(values))
        numbers.append(row)
        for slot, value in zip(slots, values):  # noqa: B905 - cells past the header are empty
            if slot is not None:
                append, shared = slot
                append(value if shared is None else shared.setdefault(value, value))
    return cells, numbers, overlong


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` gives them
    (which the csv module wants), without the copy of the whole text that StringIO makes (four
    bytes a character)."""
    if "\r" in text:
        yield from io.StringIO(text, newline="")
        return
    start, find = 0, text.find
    while True:
        end = find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _numbered_rows(reader: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet numbers them, skipping blank and ``#`` comment lines.

    A spreadsheet counts records, not text lines: a quoted cell spanning two lines is one row.
    """
    for line, cells in enumerate(reader, start=1):
        first = cells[0].lstrip() if cells else ""
        if not first and not any(c.strip() for c in cells):
            continue
        if first.startswith("#"):
            continue
        yield line, cells


def _check_header(checker: _RowChecker, row: int, header: list[str]) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for raw in header:
        name = normalise_header(raw)
        if not name:
            columns.append("")
            continue
        if name in seen:
            checker.problem(row, raw, raw, f'the column "{raw.strip()}" appears twice.',
                            "Remove or rename one of them.")
            columns.append("")
            continue
        seen.add(name)
        if name not in COLUMNS:
            checker.problem(row, raw, raw, f'"{raw.strip()}" is not a known column and is ignored.',
                            did_you_mean(closest(name, COLUMNS)), severity="warning")
            columns.append("")
            continue
        columns.append(name)
    for required in REQUIRED:
        if required not in seen:
            checker.problem(row, required, None, f'the required column "{required}" is missing.',
                            "The header must name at least: " + ", ".join(REQUIRED) + ".")
    if any(p.severity == "error" for p in checker.problems):
        raise DataError([p for p in checker.problems if p.severity == "error"])
    return columns


def _check_ids(checker: _RowChecker, movements: list[Movement]) -> None:
    first_row: dict[str, int] = {}
    for movement in movements:
        if movement.id in first_row:
            checker.problem(movement.row, "id", movement.id,
                            f'"{movement.id}" is already the id of row {first_row[movement.id]}.',
                            "Give every movement its own id, or leave id empty.")
        else:
            first_row[movement.id] = movement.row


def _movement_warnings(name: str, movements: list[Movement]) -> list[Problem]:
    warnings = []
    seen: dict[tuple[object, ...], int] = {}
    folded = {text: text.casefold() for text in
              {m.actor for m in movements} | {m.origin or "" for m in movements}}
    places: dict[int, tuple[str, ...]] = {}  # by identity: rows share their parsed destinations
    for m in movements:
        destinations = places.get(id(m.destinations))
        if destinations is None:
            destinations = places[id(m.destinations)] = tuple(
                d.place.casefold() for d in m.destinations)
        key = (folded[m.actor], folded[m.origin or ""], destinations, m.troops, m.date, m.status)
        if key in seen:
            warnings.append(Problem(name, m.row, None, None,
                                    f"repeats the movement of row {seen[key]}; both are drawn.",
                                    "Delete one if it is the same report.", "warning"))
        else:
            seen[key] = m.row
        if len(m.destinations) > 1 and not m.split_reported:
            warnings.append(Problem(name, m.row, "destination", m.destination_text,
                                    f"{m.troops:,} troops to {len(m.destinations)} places "
                                    "without a count for each: drawn as one fork labelled "
                                    '"split not reported".', "", "warning"))
    return warnings


__all__ = [
    "AFFILIATIONS",
    "COLUMNS",
    "STATUSES",
    "Dataset",
    "DateSpan",
    "Destination",
    "Movement",
    "decode",
    "parse_date",
    "parse_movements",
    "parse_troops",
    "read_movements",
]
