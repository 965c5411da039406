"""The values of a movements CSV: troops, dates and destinations, parsed, and what is wrong
with them worded for the person who wrote them.

Each ``*_of`` function is one rule: it returns the value of a cell, or raises
:class:`CellProblem` with the words the user reads. The row-by-row checker and the
column-wise reader both call them, so a value means the same and gets the same message on
either path.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .schema import MAX_DESTINATIONS, MAX_TROOPS, DateSpan, Day, Destination

_ESTIMATE_PREFIX = re.compile(r"^(?:~|≈|c\.|ca\.|about|approx\.?|approximately)\s*", re.I)
_GROUPED_DIGITS = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f\u2009 ']\d{3})+$")
_DOT_GROUPED_DIGITS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
COUNT_ADVICE = "Write Place=count, e.g. Poland=1700."


class CellProblem(ValueError):
    """What is wrong with one cell, in the words the user reads: the message, what to do,
    the values that would fix it, and the value to show when it is not the cell itself."""

    def __init__(
        self,
        message: str,
        suggestion: str = "",
        *,
        value: str | None = None,
        choices: tuple[str, ...] = (),
    ):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion
        self.value = value
        self.choices = choices


# --- troops -------------------------------------------------------------------------------


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


def troops_of(text: str, dot_groups: bool = False) -> tuple[int | None, bool]:
    """The troops cell: (count, is_estimate), (None, False) when empty."""
    if not text.strip():
        return None, False
    try:
        return parse_troops(text, dot_groups=dot_groups)
    except ValueError as error:
        hint = _troops_hint(text, dot_groups)
        fix = hint.removeprefix("Write only the number: ").rstrip(".")
        raise CellProblem(
            f'"{text.strip()}" {error}.',
            hint,
            choices=(fix,) if fix != hint.rstrip(".") else (),
        ) from None


def row_troops(given: int | None, text: str, total: int | None) -> int | None:
    """The troops of a row: the number given in ``text`` (``given``, None when it is empty or
    wrong), else ``total``, the sum of the destinations' counts when there are several places
    with a count each (see :func:`counted_total`). Both given must agree."""
    if given is None:
        if text.strip():
            return None  # a number that is wrong, and said so by troops_of
        if total is not None:
            return total
        raise CellProblem(
            "is empty.", "Write how many troops, e.g. 1000, or ~30000 for an estimate.", value=""
        )
    if total is not None and total != given:
        raise CellProblem(
            f"says {given:,} but the destination counts add up to {total:,}.",
            "Make them agree, or leave troops empty.",
        )
    return given


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


# --- destinations ---------------------------------------------------------------------------


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


def destinations_of(
    text: str, origin: str | None = None, dot_groups: bool = False
) -> tuple[list[Destination], list[CellProblem]]:
    """The destination cell: its places, with the problems of the cell (several may be found
    at once), in the order they are met. ``origin`` is the row's origin: a movement must go
    somewhere else."""
    parts = split_destinations(text)
    if not parts:
        advice = "Name where the troops go or are stationed, e.g. Romania."
        return [], [CellProblem("is empty.", advice)]
    if len(parts) > MAX_DESTINATIONS:
        return [], [
            CellProblem(
                f"lists {len(parts)} places; at most {MAX_DESTINATIONS} fit in one row.",
                "Split the movement over several rows.",
                value=text[:40] + "…",
            )
        ]
    result: list[Destination] = []
    problems: list[CellProblem] = []
    seen: set[str] = set()
    for place, count_text in parts:
        if not place:
            problems.append(CellProblem(f'"{text}" has a count without a place.', COUNT_ADVICE))
            continue
        if place.casefold() in seen:
            problems.append(CellProblem(f'names "{place}" twice.'))
            continue
        seen.add(place.casefold())
        if origin and place.casefold() == origin.casefold():
            problems.append(
                CellProblem(
                    f'"{place}" is also the origin; a movement must go somewhere else.',
                    "Leave origin empty for a force stationed there.",
                    value=place,
                )
            )
        count, approximate = None, False
        if count_text is not None:
            try:
                count, approximate = parse_troops(count_text, dot_groups=dot_groups)
            except ValueError as error:
                problems.append(
                    CellProblem(
                        f'the count for "{place}", "{count_text}", {error}.',
                        COUNT_ADVICE,
                        value=f"{place}={count_text}",
                    )
                )
        result.append(Destination(place, count, approximate))
    counted = [d for d in result if d.troops is not None]
    if counted and len(counted) != len(result):
        problems.append(
            CellProblem(
                "gives a count for some places but not others.",
                "Give a count for every place (Germany=300; Poland=1700) or for none.",
            )
        )
    return result, problems


def counted_total(destinations: list[Destination] | tuple[Destination, ...]) -> int | None:
    """The sum of the destinations' counts when there are several places and each has one."""
    counts = [d.troops for d in destinations]
    if len(counts) > 1 and all(c is not None for c in counts):
        return sum(c for c in counts if c is not None)
    return None


# --- dates ----------------------------------------------------------------------------------


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


def date_of(text: str) -> DateSpan | None:
    """The date cell: a day, a month or a window; None when empty."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        raise CellProblem(f'"{text.strip()}" {error}.', _date_hint(text)) from None


def reported_of(text: str) -> Day | None:
    """The reported cell: a day; None when empty."""
    if not text.strip():
        return None
    try:
        return parse_reported(text)
    except ValueError as error:
        raise CellProblem(
            f'"{text.strip()}" {error}.',
            "Write the day the source reported it as YYYY-MM-DD, e.g. 2022-02-02.",
        ) from None


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
