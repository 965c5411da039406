"""The movements CSV: its schema, reading it as people save it, and checking every row.

This stage knows nothing of coordinates: place names stay text until the gazetteer resolves
them. Every problem in a file is collected and reported together (see ``geo.errors``).
"""

from __future__ import annotations

import calendar
import collections
import contextlib
import csv
import difflib
import functools
import gc
import io
import itertools
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, Problem
from .links import hides_its_host, link_host
from .style import COLOUR_ADVICE, actor_key, normal_colour

if TYPE_CHECKING:
    from .symbols import UnitSymbol

COLUMNS = (
    "id",
    "date",
    "reported",
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
    "colour",
)
REQUIRED = ("actor", "destination", "troops")
STATUSES = ("announced", "ordered", "underway", "arrived", "claimed", "withdrawn", "reported")
AFFILIATIONS = ("friend", "hostile", "neutral", "unknown")
DEFAULT_STATUS = "reported"
DEFAULT_AFFILIATION = ""  # none given: the map takes no side (a symbol's frame is "unknown")

MAX_TROOPS = 10_000_000
MAX_FIELD_CHARS = 10_000
# An id or an actor is a name, repeated on every leg and station of the GIS data: kept short.
MAX_NAME_CHARS = 200
MAX_DESTINATIONS = 50
# Limits that keep memory and time bounded whatever the input: a file of 1,000,000 rows or
# 200 MB stops at once with a message. The scale targets are met up to 100,000 movements.
MAX_ROWS = 200_000
MAX_FILE_BYTES = 100_000_000
SPLIT_ADVICE = "Split it into several files (by date, region or actor) and draw one map each."

_ESTIMATE_PREFIX = re.compile(r"^(?:~|≈|c\.|ca\.|about|approx\.?|approximately)\s*", re.I)
_GROUPED_DIGITS = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f\u2009 ']\d{3})+$")
_DOT_GROUPED_DIGITS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_THREE_DIGITS = re.compile(r"^\s*\d{3}\s*$")
_FIRST_GROUP = re.compile(r"^\s*(?:~\s*)?\d{1,3}\s*$")
Day = date  # a calendar day (inside Movement, ``date`` names the field)


@dataclass(frozen=True)
class DateSpan:
    """A reported date: a day, a month, or a window such as an exercise (inclusive)."""

    start: date
    end: date
    text: str

    @property
    def is_range(self) -> bool:
        return self.start != self.end and "/" in self.text


@dataclass(frozen=True)
class Destination:
    place: str
    troops: int | None = None
    estimate: bool = False  # the count was given as approximate: Place=~1700


@dataclass(frozen=True)
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
    unit_symbol: UnitSymbol | None = None
    reported: Day | None = None  # the day the source reported it (``date``: when it happens)
    colour: str = ""  # the actor's colour, pinned by this row ("#RRGGBB"); "" for none

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
    def place_names(self) -> list[tuple[str, str]]:
        """(column, place) for the origin and every destination."""
        names = [("origin", self.origin)] if self.origin else []
        return names + [("destination", d.place) for d in self.destinations]

    @property
    def destination_text(self) -> str:
        return (
            " and ".join(d.place for d in self.destinations)
            if len(self.destinations) <= 2
            else ", ".join(d.place for d in self.destinations)
        )


@dataclass(frozen=True)
class PlaceRef:
    """A place a row names, kept even when the row has errors so a check can still look it up."""

    row: int
    column: str
    name: str


@dataclass
class Dataset:
    """The checked movements of one file, with the warnings found while reading it.

    ``errors`` is empty for a dataset returned by :func:`read_movements` (which raises instead);
    :func:`check_rows` fills it and keeps the good rows, so every problem can be listed at once.
    ``rejected_places`` are the places named by rows that had errors.
    """

    path: str
    movements: list[Movement]
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    rejected_places: list[PlaceRef] = field(default_factory=list)
    # The file as the user wrote it, as CSV text (a workbook's sheet written as CSV): the
    # page offers it back for download ("Get the data").
    text: str = ""

    @property
    def place_refs(self) -> list[PlaceRef]:
        """Every place named, by good rows and rejected ones, in row order."""
        refs = [
            PlaceRef(m.row, column, name) for m in self.movements for column, name in m.place_names
        ]
        return sorted([*refs, *self.rejected_places], key=lambda r: r.row)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise DataError(self.errors, partial=self)

    def __len__(self) -> int:
        return len(self.movements)

    def __iter__(self) -> Iterator[Movement]:
        return iter(self.movements)


# --- reading text -------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """Decode a CSV as spreadsheets save it: UTF-8 (BOM or not), UTF-16 (BOM or not), else
    cp1252; see :func:`decode_lines`."""
    return decode_lines(raw)[0]


def decode_lines(raw: bytes) -> tuple[str, list[int]]:
    """The text of a CSV, and the numbers of the lines read as cp1252 in a UTF-8 file.

    A file in UTF-8 (with or without BOM) or UTF-16 is read as such; a file with no UTF-8 in
    it as cp1252 (Excel's "CSV" on Windows). A UTF-8 file with a few lines that are not (a
    line pasted from elsewhere) keeps its UTF-8: only those lines are read as cp1252, and
    their numbers are returned so that they can be named.
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), []
    utf16 = _utf16_without_bom(raw[:4096])
    if utf16:
        return raw.decode(utf16, errors="replace"), []
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    odd: list[int] = []
    utf8 = 0  # lines with letters beyond ASCII that are UTF-8
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            lines.append(_single_byte(line))
            odd.append(number)
    if bom or utf8 >= len(odd):  # mostly UTF-8: a few lines pasted from elsewhere
        return "\n".join(lines), odd
    return _single_byte(raw), []


def _single_byte(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined
        return raw.decode("latin-1")


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the bytes look like mostly-ASCII UTF-16 text."""
    if len(head) < 4 or len(head) % 2 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd * 2 > len(head) // 2 and not even:
        return "utf-16-le"
    if even * 2 > len(head) // 2 and not odd:
        return "utf-16-be"
    return None


def remove_control_characters(text: str) -> tuple[str, int]:
    """The text without control characters (tab and line breaks stay), and how many there were.

    They show as nothing or as boxes on a map, are not allowed in XML outputs, and in an error
    message they could drive the terminal that prints it.
    """
    return _CONTROL_CHARACTERS.subn("", text)


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab, judged from the header line (the first
    line that is neither blank nor a ``#`` comment)."""
    lines = io.StringIO(text, newline="")  # lazily: the file may be large
    header = next(
        (line for line in lines if line.strip() and not line.lstrip().startswith("#")), ""
    )
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
        digits = value
    elif _GROUPED_DIGITS.match(value):
        digits = re.sub(r"\D", "", value)
    elif dot_groups and _DOT_GROUPED_DIGITS.match(value):
        digits = value.replace(".", "")
    elif value.startswith("-"):
        raise ValueError("troops cannot be negative")
    else:
        raise ValueError("is not a whole number of troops")
    # Count the digits first: int() refuses more than 4,300 of them with words for programmers.
    digits = digits.lstrip("0") or "0"
    number = int(digits) if len(digits) <= len(str(MAX_TROOPS)) else MAX_TROOPS + 1
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
        if not 1 <= month <= 12 or year < 1:
            raise ValueError("is not a real month")
        last = calendar.monthrange(year, month)[1]  # also for December 9999
        return DateSpan(date(year, month, 1), date(year, month, last), value)
    raise ValueError("is not a date in the form YYYY-MM-DD, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD")


def parse_reported(text: str) -> date:
    """The day a movement was reported: ``YYYY-MM-DD`` only; ValueError otherwise."""
    value = text.strip()
    if not _DAY.match(value):
        raise ValueError("is not a day in the form YYYY-MM-DD")
    return _parse_one_date(value).start


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
    return difflib.get_close_matches(word.lower(), list(choices), n=3, cutoff=0.7)


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"Did you mean {quoted}?"


# --- the reader -----------------------------------------------------------------------------


_NAME_WORDS = {"id": "an id", "actor": "the name of an actor"}


class _RowChecker:
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

    def movement(self, row: int, cells: dict[str, str]) -> Movement | None:
        before = len(self.problems)
        for column, value in cells.items():
            if len(value) > MAX_FIELD_CHARS:
                self.problem(
                    row,
                    column,
                    value[:40] + "…",
                    f"is {len(value):,} characters long; the limit is {MAX_FIELD_CHARS:,}.",
                )
                cells[column] = ""
        for column in ("id", "actor"):
            name = cells.get(column, "").strip()
            if len(name) > MAX_NAME_CHARS:
                self.problem(
                    row,
                    column,
                    name[:40] + "…",
                    f"is {len(name):,} characters long; {_NAME_WORDS[column]} is at "
                    f"most {MAX_NAME_CHARS} characters.",
                    "Put the rest in notes.",
                )
        actor = cells.get("actor", "").strip()
        if not actor:
            self.problem(row, "actor", "", "is empty.", "Name who moves, e.g. United States.")
        origin = cells.get("origin", "").strip() or None
        troops, estimate = self.troops(row, cells.get("troops", ""))
        destinations = self.destinations(row, cells.get("destination", ""), origin)
        estimate = estimate or any(d.estimate for d in destinations)
        troops = self.reconcile(row, cells.get("troops", ""), troops, destinations)
        when = self.date(row, cells.get("date", ""))
        reported = self.reported(row, cells.get("reported", ""))
        colour = self.colour(row, cells.get("colour", ""))
        status = self.choice(row, "status", cells.get("status", ""), STATUSES, DEFAULT_STATUS)
        affiliation = self.choice(
            row, "affiliation", cells.get("affiliation", ""), AFFILIATIONS, DEFAULT_AFFILIATION
        )
        source = self.source(row, cells.get("source", ""))
        given = cells.get("affiliation", "").strip()
        unit_symbol = self.symbol(
            row,
            cells.get("symbol", ""),
            affiliation if given and given.lower() == affiliation else None,
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

    def troops(self, row: int, text: str) -> tuple[int | None, bool]:
        if not text.strip():
            return None, False
        try:
            return parse_troops(text, dot_groups=self.dot_groups)
        except ValueError as error:
            hint = _troops_hint(text, self.dot_groups)
            fix = hint.removeprefix("Write only the number: ").rstrip(".")
            self.problem(
                row,
                "troops",
                text,
                f'"{text.strip()}" {error}.',
                hint,
                choices=(fix,) if fix != hint.rstrip(".") else (),
            )
            return None, False

    def destinations(self, row: int, text: str, origin: str | None) -> list[Destination]:
        parts = split_destinations(text)
        if not parts:
            self.problem(
                row,
                "destination",
                text,
                "is empty.",
                "Name where the troops go or are stationed, e.g. Romania.",
            )
            return []
        if len(parts) > MAX_DESTINATIONS:
            self.problem(
                row,
                "destination",
                text[:40] + "…",
                f"lists {len(parts)} places; at most {MAX_DESTINATIONS} fit in one row.",
                "Split the movement over several rows.",
            )
            return []
        result: list[Destination] = []
        seen: set[str] = set()
        for place, count_text in parts:
            if not place:
                self.problem(
                    row,
                    "destination",
                    text,
                    f'"{text}" has a count without a place.',
                    "Write Place=count, e.g. Poland=1700.",
                )
                continue
            if place.casefold() in seen:
                self.problem(row, "destination", text, f'names "{place}" twice.')
                continue
            seen.add(place.casefold())
            if origin and place.casefold() == origin.casefold():
                self.problem(
                    row,
                    "destination",
                    place,
                    f'"{place}" is also the origin; a movement must go somewhere else.',
                    "Leave origin empty for a force stationed there.",
                )
            count, approximate = None, False
            if count_text is not None:
                try:
                    count, approximate = parse_troops(count_text, dot_groups=self.dot_groups)
                except ValueError as error:
                    self.problem(
                        row,
                        "destination",
                        f"{place}={count_text}",
                        f'the count for "{place}", "{count_text}", {error}.',
                        "Write Place=count, e.g. Poland=1700.",
                    )
            result.append(Destination(place, count, approximate))
        counted = [d for d in result if d.troops is not None]
        if counted and len(counted) != len(result):
            self.problem(
                row,
                "destination",
                text,
                "gives a count for some places but not others.",
                "Give a count for every place (Germany=300; Poland=1700) or for none.",
            )
        return result

    def reconcile(
        self, row: int, text: str, troops: int | None, destinations: list[Destination]
    ) -> int | None:
        counts = [d.troops for d in destinations]
        counted_total = sum(c for c in counts if c is not None)
        all_counted = bool(counts) and all(c is not None for c in counts)
        if troops is None and not text.strip():
            if all_counted and len(destinations) > 1:
                return counted_total
            self.problem(
                row,
                "troops",
                "",
                "is empty.",
                "Write how many troops, e.g. 1000, or ~30000 for an estimate.",
            )
            return None
        if (
            troops is not None
            and all_counted
            and len(destinations) > 1
            and (counted_total != troops)
        ):
            self.problem(
                row,
                "troops",
                text,
                f"says {troops:,} but the destination counts add up to {counted_total:,}.",
                "Make them agree, or leave troops empty.",
            )
        return troops

    def date(self, row: int, text: str) -> DateSpan | None:
        if not text.strip():
            return None
        try:
            return parse_date(text)
        except ValueError as error:
            self.problem(row, "date", text, f'"{text.strip()}" {error}.', _date_hint(text))
            return None

    def reported(self, row: int, text: str) -> Day | None:
        if not text.strip():
            return None
        try:
            return parse_reported(text)
        except ValueError as error:
            self.problem(
                row,
                "reported",
                text,
                f'"{text.strip()}" {error}.',
                "Write the day the source reported it as YYYY-MM-DD, e.g. 2022-02-02.",
            )
            return None

    def colour(self, row: int, text: str) -> str:
        if not text.strip():
            return ""
        colour = normal_colour(text)
        if colour is None:
            self.problem(
                row,
                "colour",
                text,
                f'"{text.strip()}" is not a colour.',
                COLOUR_ADVICE.replace('"', ""),
            )
            return ""
        return colour

    def choice(
        self, row: int, column: str, text: str, allowed: tuple[str, ...], default: str
    ) -> str:
        value = text.strip().lower()
        if not value:
            return default
        if value in allowed:
            return value
        nearest = closest(value, allowed)
        self.problem(
            row,
            column,
            text,
            f'"{text.strip()}" is not a known {column}.',
            did_you_mean(nearest) or "Use one of: " + ", ".join(allowed) + ".",
            choices=tuple(nearest),
        )
        return default

    def symbol(self, row: int, text: str, affiliation: str | None) -> UnitSymbol | None:
        """A SIDC or plain words, checked by ``geo.symbols`` (imported only when needed)."""
        if not text.strip():
            return None
        from .symbols import SymbolError, read_symbol

        try:
            return read_symbol(text.strip(), affiliation)
        except SymbolError as error:
            self.problem(row, "symbol", text.strip(), error.message, error.suggestion)
            return None

    def source(self, row: int, text: str) -> str:
        value = text.strip()
        if not value:
            return ""
        if link_host(value):
            return value
        hint = "Give the report's address, starting with https://."
        opens = hides_its_host(value)
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) and not value.lower().startswith("http"):
            message = f'"{value}" is not a web link; only http:// and https:// links are allowed.'
        elif opens:
            message = f'"{value}" opens {opens}: the part before "@" is a user name, not the site.'
            hint = "Give the report's own address."
        else:
            message = f'"{value}" is not a web address.'
        if link_host(f"https://{value}"):
            hint = 'Write "https://" before it.'
        self.problem(row, "source", value, message, hint)
        return ""


_PEOPLE = r"(?:troops|soldiers|personnel|men|servicemen|service ?members|marines|paratroopers)"
_NUMBER_OF_PEOPLE = re.compile(
    r"^\s*(?P<about>~|about|approx\.?|approximately|some|around)?\s*"
    r"(?P<number>\d[\d,.\u00a0 ']*)\s+" + _PEOPLE + r"\.?\s*$",
    re.I,
)
_RANGE = re.compile(r"^\s*\d[\d,.\u00a0 ']*\s*(?:-|–|to)\s*\d[\d,.\u00a0 ']*\s*$")


def _troops_hint(text: str, dot_groups: bool) -> str:
    """Name the number inside "2000 soldiers" or "about 2,000 troops"; explain ranges."""
    words = _NUMBER_OF_PEOPLE.match(text)
    if words:
        try:
            number, _ = parse_troops(words.group("number").strip(), dot_groups=dot_groups)
        except ValueError:
            pass
        else:
            return f"Write only the number: {'~' if words.group('about') else ''}{number}."
    if _RANGE.match(text):
        return "Give one number: an estimate such as ~1500 for a range, with the range in notes."
    return "Write a whole number such as 1000, 1,000 or ~30000 for an estimate."


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _date_hint(text: str) -> str:
    """How to write the date the user meant, guessing from the forms spreadsheets produce."""
    value = text.strip()
    start, slash, end = (part.strip() for part in value.partition("/"))
    if slash and _DAY.match(start) and _DAY.match(end):
        return f"Put the first day first: {end}/{start}."
    found = re.match(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$", value)
    if found:
        first, second, year = (int(g) for g in found.groups())
        day_first = _iso(year, second, first)
        month_first = _iso(year, first, second)
        if day_first and month_first and day_first != month_first:
            return (
                f"Write dates as YYYY-MM-DD: {day_first} if the day comes first, "
                f"{month_first} if the month does."
            )
        if day_first or month_first:
            return f"Write dates as YYYY-MM-DD, e.g. {day_first or month_first}."
    named = re.match(r"^([A-Za-z]{3})[a-z]*[-\s.](\d{2}|\d{4})$", value)
    if named and named.group(1).lower() in _MONTH_NAMES:
        month = _MONTH_NAMES.index(named.group(1).lower()) + 1
        year = int(named.group(2)) + (2000 if len(named.group(2)) == 2 else 0)
        return (
            f"Write a month as YYYY-MM, e.g. {year}-{month:02d}; a spreadsheet may have "
            "changed it: format the column as Text."
        )
    return "Write dates as YYYY-MM-DD (2022-02-02), YYYY-MM, or a window 2022-02-10/2022-02-20."


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


# --- the usual rows, checked fast ------------------------------------------------------------


class _Unusual(Exception):
    """A cell the fast path leaves to :class:`_RowChecker`, which words its problem."""


_UNUSUAL = object()


class _Memo(dict[str, Any]):
    """What ``read`` makes of each distinct cell of a column, worked out once: a column repeats
    the same few texts (dates, statuses, places, sources) thousands of times."""

    def __init__(self, read: Callable[[str], Any]):
        super().__init__()
        self.read = read
        self.unusual = False  # True once a cell was

    def __missing__(self, cell: str) -> Any:
        try:
            value = self.read(cell)
        except (_Unusual, ValueError):
            value = _UNUSUAL
            self.unusual = True
        self[cell] = value
        return value


class _UsualRows:
    """The Movement of every row whose cells are all usual, checked a column at a time.

    Only rows :class:`_RowChecker` would accept without a word come out of here, and they come
    out the same; any other row is None, for ``_RowChecker`` to check and word its problems.
    Equal cells share one parsed value (one DateSpan, one tuple of destinations), which also
    keeps a large dataset small.
    """

    def __init__(self, dot_groups: bool):
        self.dot_groups = dot_groups
        self.symbol = {
            given: _Memo(functools.partial(_usual_symbol, affiliation=given))
            for given in (None, *AFFILIATIONS)
        }

    def movements(self, table: _Table, reported_rows: set[int]) -> list[Movement | None]:
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
            unusual.update(i for i, ident in enumerate(ids) if len(ident.strip()) > MAX_NAME_CHARS)
        columns = (
            map(str.strip, ids),
            parsed("actor", _usual_actor),
            parsed("unit", _usual_text),
            parsed("origin", _usual_origin),
            parsed("destination", self._destinations),
            parsed("troops", self._troops),
            parsed("date", _usual_date),
            parsed("reported", _usual_reported),
            parsed("colour", _usual_colour),
            parsed("status", _usual_status),
            parsed("source", _usual_source),
            parsed("notes", _usual_text),
            parsed("affiliation", _usual_affiliation),
            column("symbol"),
        )
        symbols = self.symbol
        result: list[Movement | None] = []
        add = result.append
        for (
            index,
            row,
            ident,
            actor,
            unit,
            origin,
            places,
            troops,
            when,
            reported,
            colour,
            status,
            source,
            notes,
            affiliation,
            symbol,
        ) in zip(itertools.count(), table.rows, *columns):
            if index in unusual or row in reported_rows:
                add(None)
                continue
            (origin, folded), (places, names, total, approximate) = origin, places
            (count, estimate), (affiliation, given) = troops, affiliation
            estimate = estimate or approximate
            if folded in names:  # the origin is also a destination
                add(None)
                continue
            if total is not None:  # troops to several places, with a count for each
                if count is None:
                    count = total
                elif count != total:
                    add(None)
                    continue
            elif count is None:
                add(None)
                continue
            unit_symbol = symbols[given][symbol]
            if unit_symbol is _UNUSUAL:
                add(None)
                continue
            if unit_symbol is not None and unit_symbol.affiliation != "unknown":
                affiliation = unit_symbol.affiliation
            add(
                Movement(
                    ident or f"row-{row}",
                    row,
                    actor,
                    places,
                    count,
                    origin,
                    when,
                    unit,
                    estimate,
                    status,
                    source,
                    notes,
                    symbol.strip(),
                    affiliation,
                    unit_symbol,
                    reported,
                    colour,
                )
            )
        return result

    def _troops(self, cell: str) -> tuple[int | None, bool]:
        _check_length(cell)
        if not cell.strip():
            return None, False
        return parse_troops(cell, dot_groups=self.dot_groups)

    def _destinations(
        self, cell: str
    ) -> tuple[tuple[Destination, ...], set[str], int | None, bool]:
        """The places, their names casefolded, the sum of their counts when there are several
        places and each has a count (else None), and whether a count is approximate."""
        _check_length(cell)
        parts = split_destinations(cell)
        if not parts or len(parts) > MAX_DESTINATIONS:
            raise _Unusual
        places: list[Destination] = []
        names: set[str] = set()
        for place, count_text in parts:
            if not place or place.casefold() in names:
                raise _Unusual
            names.add(place.casefold())
            count, approximate = None, False
            if count_text is not None:
                count, approximate = parse_troops(count_text, dot_groups=self.dot_groups)
            places.append(Destination(place, count, approximate))
        counts = [d.troops for d in places]
        counted = [c for c in counts if c is not None]
        if counted and len(counted) != len(counts):
            raise _Unusual
        total = sum(counted) if counted and len(places) > 1 else None
        return tuple(places), names, total, any(d.estimate for d in places)


def _check_length(cell: str) -> None:
    if len(cell) > MAX_FIELD_CHARS:
        raise _Unusual


def _usual_text(cell: str) -> str:
    _check_length(cell)
    return cell.strip()


def _usual_actor(cell: str) -> str:
    actor = _usual_text(cell)
    if not actor or len(actor) > MAX_NAME_CHARS:
        raise _Unusual
    return actor


def _usual_origin(cell: str) -> tuple[str | None, str | None]:
    origin = _usual_text(cell)
    return (origin, origin.casefold()) if origin else (None, None)


def _usual_date(cell: str) -> DateSpan | None:
    _check_length(cell)
    return parse_date(cell) if cell.strip() else None


def _usual_reported(cell: str) -> date | None:
    _check_length(cell)
    return parse_reported(cell) if cell.strip() else None


def _usual_colour(cell: str) -> str:
    _check_length(cell)
    if not cell.strip():
        return ""
    colour = normal_colour(cell)
    if colour is None:
        raise _Unusual
    return colour


def _usual_choice(cell: str, allowed: tuple[str, ...], default: str) -> str:
    _check_length(cell)
    value = cell.strip().lower()
    if not value:
        return default
    if value not in allowed:
        raise _Unusual
    return value


def _usual_status(cell: str) -> str:
    return _usual_choice(cell, STATUSES, DEFAULT_STATUS)


def _usual_affiliation(cell: str) -> tuple[str, str | None]:
    """The affiliation, and the one the symbol's frame must show (None when none is given)."""
    affiliation = _usual_choice(cell, AFFILIATIONS, DEFAULT_AFFILIATION)
    return affiliation, (affiliation if cell.strip() else None)


def _usual_source(cell: str) -> str:
    value = _usual_text(cell)
    if value and not link_host(value):
        raise _Unusual
    return value


def _usual_symbol(cell: str, affiliation: str | None) -> UnitSymbol | None:
    _check_length(cell)
    if not cell.strip():
        return None
    from .symbols import SymbolError, read_symbol

    try:
        return read_symbol(cell.strip(), affiliation)
    except SymbolError:
        raise _Unusual from None


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


STANDARD_INPUT = "-"
# The bytes read from each pipe, device or standard input, by which one it is: they can be
# read only once, and the workbook sniff, the places check and the gazetteer each read a file.
_STREAMED: dict[tuple[object, ...], tuple[object, bytes]] = {}


def read_file_bytes(path: str | Path, name: str) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES of them (also from a pipe or a device that
    never ends), or a DataError in plain words (not found, a folder, unreadable, too large).

    ``-`` is standard input. A pipe (``/dev/stdin``, ``<(...)``, a named pipe) is read once;
    later reads of the same path in this process get the same bytes.
    """
    key = None if is_regular_file(path) else _stream_key(path)
    if key in _STREAMED:
        return _STREAMED[key][1]
    try:
        with _opened(path) as handle:
            # A regular file says its size: one too large is refused before it is read (a
            # million rows would otherwise take a hundred MB to turn away).
            size = _regular_size(handle)
            too_large = size is not None and size > MAX_FILE_BYTES
            raw = b"" if too_large else handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DataError([Problem(name, None, None, None, "file not found.")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, None, None, None, "is a folder, not a CSV file.")]) from None
    except OSError as error:
        raise DataError(
            [Problem(name, None, None, None, f"cannot be read ({error.strerror or error}).")]
        ) from None
    if too_large or len(raw) > MAX_FILE_BYTES:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"is larger than {MAX_FILE_BYTES // 1_000_000:,} MB, the most troopmap reads.",
                    SPLIT_ADVICE,
                )
            ]
        )
    if key is not None:  # standard input (a pipe, or a file after <), or a pipe
        _STREAMED[key] = (sys.stdin if str(path) == STANDARD_INPUT else None, raw)
    return raw


def _stream_key(path: str | Path) -> tuple[object, ...]:
    """Which pipe or device ``path`` is now: its device and inode (a pipe's are its own
    while it is open), or for an in-memory standard input the object itself (kept alive
    with the bytes, so its id is not reused)."""
    try:
        if str(path) == STANDARD_INPUT:
            known = os.fstat(sys.stdin.buffer.fileno())
        else:
            known = os.stat(path)
    except (OSError, ValueError, AttributeError):
        return (str(path), id(sys.stdin))
    return (str(path), known.st_dev, known.st_ino)


def is_regular_file(path: str | Path) -> bool:
    """False for ``-`` (standard input), a pipe or a device; True for a file, and for a path
    that does not exist (its reader says so in words)."""
    if str(path) == STANDARD_INPUT:
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _regular_size(handle: Any) -> int | None:
    """The size of an open regular file; None for a pipe, a device or an in-memory stream."""
    try:
        known = os.fstat(handle.fileno())
    except (OSError, ValueError):  # a stream with no file behind it (a test's standard input)
        return None
    return known.st_size if stat.S_ISREG(known.st_mode) else None


@contextlib.contextmanager
def _opened(path: str | Path) -> Iterator[Any]:
    """The file to read, in binary: standard input for ``-`` (left open afterwards)."""
    if str(path) == STANDARD_INPUT:
        yield sys.stdin.buffer
        return
    with open(path, "rb") as handle:
        yield handle


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
    notes = _LineNotes(_hashed_lines(text), recoded_lines)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    with collector_paused():
        try:
            # Stop reading at the limit: a file of millions of rows is refused at once.
            rows = itertools.islice(_numbered_rows(reader, notes), MAX_ROWS + 2)
            header = next(rows, None)
            table = _Table(rows, _columns_named(header[1]) if header else [], csv_rows=True)
        except csv.Error as error:
            raise DataError(
                [
                    Problem(
                        name,
                        reader.line_num,
                        None,
                        None,
                        f"cannot be read as CSV ({error}).",
                        "Check for an unclosed quote.",
                    )
                ]
            ) from None
        _refuse_unless_drawable(name, len(table.rows) + (header is not None))
        assert header is not None  # a file without one was refused as empty
        found = [*removed, *notes.problems(name), *_split_numbers(name, table, delimiter)]
        dataset = _check_table(
            header,
            table,
            name,
            delimiter == ";",
            delimiter,
            found,
            skip_rows={row for row, *_ in notes.swallowed},
        )
        dataset.text = text
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
        table = _Table(rows[1:], _columns_named(rows[0][1]))
        return _check_table(rows[0], table, name, dot_groups, delimiter, problems)


def _refuse_unless_drawable(name: str, rows: int) -> None:
    """Raise DataError for a file of no rows, or of more than MAX_ROWS movements."""
    if rows > MAX_ROWS + 1:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"has more than {MAX_ROWS:,} movements, the most troopmap draws on one map.",
                    SPLIT_ADVICE,
                )
            ]
        )
    if not rows:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    "is empty.",
                    "The first line must name the columns: " + ",".join(COLUMNS) + ".",
                )
            ]
        )


class _Table:
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
        self.columns: dict[str, list[str]] = {name: [] for name, _ in known}
        self.rows: list[int] = []
        # By index, the rows with values past the header: how many values, and the first.
        self.long_rows: dict[int, tuple[int, str]] = {}
        # By index, the rows of a CSV with fewer values than the header names: how many.
        self.short_rows: dict[int, int] = {}
        # The values right after troops, whatever their column (CSV only).
        after = columns.index("troops") + 1 if csv_rows and "troops" in columns else width
        self.after_troops: list[str] = []
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
                self.short_rows.update(
                    (start + index, len(row_cells))
                    for index, row_cells in enumerate(cells)
                    if len(row_cells) < width
                )
            by_column = list(itertools.zip_longest(*cells, fillvalue=""))
            blank = ("",) * len(chunk)
            if after < width:
                self.after_troops += by_column[after] if after < len(by_column) else blank
            for name, at in known:
                values = by_column[at] if at < len(by_column) else blank
                if name in shared:
                    same = shared[name].setdefault
                    self.columns[name] += map(same, values, values)
                else:
                    self.columns[name] += values

    def cells(self, index: int) -> dict[str, str]:
        """The cells of one row, by column, in the header's order."""
        return {name: values[index] for name, values in self.columns.items()}


def _check_table(
    header: tuple[int, list[str]],
    table: _Table,
    name: str,
    dot_groups: bool,
    delimiter: str,
    problems: Iterable[Problem],
    skip_rows: Collection[int] = (),
) -> Dataset:
    """Check every row of ``table``; ``problems`` were found while reading it, and the rows
    in ``skip_rows`` (their cells cannot be trusted) are left unchecked."""
    checker = _RowChecker(name, dot_groups=dot_groups)
    header_row, header_cells = header
    columns = _check_header(checker, header_row, header_cells)
    checker.problems.extend(problems)
    reported = {(p.row, p.column) for p in checker.problems if p.severity == "error"}
    reported_rows = {row for row, _ in reported if row is not None}
    usual = _UsualRows(dot_groups).movements(table, reported_rows)
    movements: list[Movement] = []
    for index, (row, movement) in enumerate(zip(table.rows, usual)):
        if movement is not None:
            movements.append(movement)
            continue
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
        if movement is not None:
            movements.append(movement)
    _check_ids(checker, table, movements)
    _check_colours(checker, movements)
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
    warnings.extend(_movement_warnings(name, movements))
    rejected = list(dict.fromkeys(checker.rejected_places))
    return Dataset(name, movements, warnings, errors, rejected)


def in_reading_order(problems: Iterable[Problem], movements_file: str) -> list[Problem]:
    """Problems of other files first (a places file changes every row), then row by row, and
    within a row column by column, as a person reads the file."""

    def order(problem: Problem) -> tuple[int, int, int]:
        column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
        row = problem.row if problem.row is not None else -1
        return int(problem.file == movements_file), row, column

    return sorted(problems, key=order)


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


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` gives them
    to the csv module, without the copy of the whole text StringIO makes (four bytes a
    character: for a 100 MB file, 400 MB)."""
    if text.count("\r") != text.count("\r\n"):  # old Mac line ends: StringIO knows them
        yield from io.StringIO(text, newline="")
        return
    start, find, size = 0, text.find, len(text)
    while start < size:
        end = find("\n", start) + 1 or size
        yield text[start:end]
        start = end


def _hashed_lines(text: str) -> set[int]:
    """The numbers of the lines of ``text`` (as :func:`_lines` cuts them) that start with
    ``#``, spaces aside; found without a step per line."""
    if text.count("\r") != text.count("\r\n"):  # old Mac line ends
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


class _LineNotes:
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


def _numbered_rows(reader: Any, notes: _LineNotes | None = None) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet numbers them, skipping blank and ``#`` comment lines.

    A spreadsheet counts records, not text lines: a quoted cell spanning two lines is one row.
    A comment is a line that starts with ``#`` before any quote (``"#2",...`` is a row), and
    not with a colour (``#C0392B,...``: see :func:`is_comment`).
    """
    notes = notes or _LineNotes()
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


def _columns_named(header: list[str]) -> list[str]:
    """The column of COLUMNS each header cell names: "" for an unknown one, and for a name
    given a second time."""
    columns: list[str] = []
    seen: set[str] = set()
    for raw in header:
        name = normalise_header(raw)
        columns.append(name if name in COLUMNS and name not in seen else "")
        seen.add(name)
    return columns


def _check_header(checker: _RowChecker, row: int, header: list[str]) -> list[str]:
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
    return _columns_named(header)


def _check_ids(checker: _RowChecker, table: _Table, movements: list[Movement]) -> None:
    """An id names one row: every row that repeats one is reported, whatever else is wrong
    with either row, and so is an id that troopmap gives a row without one (``row-N``)."""
    ids = list(map(str.strip, table.columns.get("id", ())))
    if not all(map(str.isascii, ids)):  # the same letters, composed or not, are the same id
        ids = [unicodedata.normalize("NFC", ident) for ident in ids]
    given = collections.Counter(ids)
    repeated = {i for i, n in given.items() if n > 1 and i and len(i) <= MAX_FIELD_CHARS}
    first_row: dict[str, int] = {}
    for row, ident in zip(table.rows, ids) if repeated else ():
        if ident not in repeated:
            continue
        if ident in first_row:
            checker.problem(
                row,
                "id",
                ident,
                f'"{ident}" is already the id of row {first_row[ident]}.',
                "Give every movement its own id, or leave id empty.",
            )
        else:
            first_row[ident] = row
    named_like_rows = {i for i in given if i.startswith("row-")}
    defaults = (
        {m.id: m.row for m in movements if m.id in named_like_rows and m.id == f"row-{m.row}"}
        if named_like_rows
        else {}
    )
    for row, ident in zip(table.rows, ids) if defaults else ():
        if ident in defaults and defaults[ident] != row:
            other = defaults.pop(ident)
            checker.problem(
                row,
                "id",
                ident,
                f'"{ident}" is the id troopmap gives row {other}, which has none.',
                f"Choose another id, or give row {other} one.",
            )


def _split_numbers(name: str, table: _Table, delimiter: str) -> list[Problem]:
    """Rows where a comma inside the troops number (1,000 not in quotes) put its last digits
    in the next column: the row still has as many values as the header, and would be read
    as 1 troop with "000" in the next column."""
    if delimiter != ",":
        return []
    found = []
    for index in (i for i, cell in enumerate(table.after_troops) if _THREE_DIGITS.match(cell)):
        troops = table.columns["troops"][index]
        if _FIRST_GROUP.match(troops):
            rest = table.after_troops[index].strip()
            number = f"{troops.strip()},{rest}"
            found.append(
                Problem(
                    name,
                    table.rows[index],
                    "troops",
                    troops,
                    f'"{troops.strip()}" and the next value, "{rest}", look like one number, '
                    f"{number}, split by its comma.",
                    f"Write it without the comma ({number.replace(',', '')}), or in quotes "
                    f'("{number}").',
                    choices=(number.replace(",", ""),),
                )
            )
    return found


def _check_colours(checker: _RowChecker, movements: list[Movement]) -> None:
    """An actor has one colour: a row that gives it another is an error."""
    first: dict[str, Movement] = {}
    for movement in movements:
        if not movement.colour:
            continue
        key = actor_key(movement.actor)
        earlier = first.setdefault(key, movement)
        if earlier.colour != movement.colour:
            checker.problem(
                movement.row,
                "colour",
                movement.colour,
                f'"{movement.colour}" differs from {earlier.colour}, the colour row '
                f"{earlier.row} gives {movement.actor}.",
                "Give an actor one colour, or leave the cell empty.",
            )


def _movement_warnings(name: str, movements: list[Movement]) -> list[Problem]:
    warnings = []
    seen: dict[tuple[object, ...], int] = {}
    # Rows with equal cells share one tuple of destinations and one date: each is worked out
    # once, found by identity (the movements hold them, so no id is reused meanwhile).
    places: dict[int, tuple[str, ...]] = {}
    dates: dict[int, tuple[object, ...]] = {}
    for m in movements:
        folded = places.get(id(m.destinations))
        if folded is None:
            folded = tuple(d.place.casefold() for d in m.destinations)
            places[id(m.destinations)] = folded
        when = dates.get(id(m.date))
        if when is None:
            when = (m.date.start, m.date.end, m.date.text) if m.date else ()
            dates[id(m.date)] = when
        key = (m.actor.casefold(), (m.origin or "").casefold(), folded, m.troops, when, m.status)
        if key in seen:
            warnings.append(
                Problem(
                    name,
                    m.row,
                    None,
                    None,
                    f"repeats the movement of row {seen[key]}; both are drawn.",
                    "Delete one if it is the same report.",
                    "warning",
                )
            )
        else:
            seen[key] = m.row
        if len(m.destinations) > 1 and not m.split_reported:
            warnings.append(
                Problem(
                    name,
                    m.row,
                    "destination",
                    m.destination_text,
                    f"{m.troops:,} troops to {len(m.destinations)} places "
                    "without a count for each: drawn as one fork labelled "
                    '"split not reported".',
                    "",
                    "warning",
                )
            )
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
    "in_reading_order",
    "parse_date",
    "parse_movements",
    "parse_troops",
    "read_movements",
]
