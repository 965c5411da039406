"""Which movements a map shows on a given day, and how: the rule shared by the page's timeline
(which receives it as data, see :func:`presence`) and by ``--as-of`` for the other outputs.

Without a ``reported`` day (a file without the column keeps its meaning):

- A movement dated with a day or a month shows from its (first) day on: the map as reported up
  to the chosen day.
- An exercise window (``2022-02-10/2022-02-20``) shows only inside its window.
- An undated movement always shows.

With a ``reported`` day, a movement exists from the day it was reported. An announced, ordered
or claimed movement whose dates still lie ahead is drawn as *planned* (its own style, its dates
in the label: "planned 10–20 Feb") until its first day; then it is under way, drawn as its status
says; a window is over after its last day (and leaves the map), a day or a month stays.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from . import language
from .dataset import DateSpan, Movement

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PLANNABLE = ("announced", "ordered", "claimed")  # statuses whose future dates are a plan


@dataclass(frozen=True)
class Presence:
    """When a movement is on the map: from ``first`` (None: always) to ``last`` (None: from then
    on), drawn as planned before ``due`` (None: never planned)."""

    first: date | None
    last: date | None
    due: date | None = None

    def shown(self, day: date) -> bool:
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)

    def planned(self, day: date) -> bool:
        return self.due is not None and self.shown(day) and day < self.due


def presence(movement: Movement) -> Presence:
    """When ``movement`` is on the map, by the rule of this module."""
    return _presence(movement.date, movement.reported, movement.status)


@functools.lru_cache(maxsize=4096)
def _presence(span: DateSpan | None, reported: date | None, status: str) -> Presence:
    if reported is None:
        if span is None:
            return Presence(None, None)
        return Presence(span.start, span.end if span.is_range else None)
    if span is None:
        return Presence(reported, None)
    last = max(span.end, reported) if span.is_range else None
    due = span.start if status in PLANNABLE and span.start > reported else None
    return Presence(reported, last, due)


def plan_words(span: DateSpan) -> str:
    """``planned 10–20 Feb``, ``planned 28 Feb–3 Mar``, ``planned 10 Feb``, ``planned Mar 2022``."""
    words = language.words()
    month = words.short_month
    start, end = span.start, span.end
    if not words.english and len(span.text) != 7 and start != end:
        skeleton = "MMMd" if start.year == end.year else "yMMMd"
        return words("planned {dates}", dates=words.interval(start, end, skeleton))
    if len(span.text) == 7:  # a month: YYYY-MM
        when = f"{month(start.month)} {start.year}"
    elif start == end:
        when = f"{start.day} {month(start.month)}"
    elif (start.year, start.month) == (end.year, end.month):
        when = f"{start.day}–{end.day} {month(end.month)}"
    else:
        year = f" {start.year}" if start.year != end.year else ""
        when = (
            f"{start.day} {month(start.month)}{year}–"
            f"{end.day} {month(end.month)}{year and f' {end.year}'}"
        )
    return words("planned {dates}", dates=when)


def planned_label(label: str, span: DateSpan) -> str:
    """The label of a movement while it is a plan: ``~30,000 · planned 10–20 Feb``."""
    return f"{label} · {plan_words(span)}"


def page_columns(movements: Sequence[Movement], labels: Sequence[str]) -> dict[str, list[str]]:
    """What the page's timeline needs of each movement, as data: ``start`` and ``end`` (the
    first and last day it shows, ISO; "" for no limit), ``due`` (before this day it is drawn as
    planned; "") and ``plan`` (its label while planned; ""). ``labels`` are the movements'
    labels."""

    def iso(day: date | None) -> str:
        return day.isoformat() if day else ""

    # Many rows share their date, reported day and status: each combination is worked out
    # once (a date is told by its text, which it is read from), and each plan's label once.
    when_of: dict[tuple[str | None, date | None, str], tuple[Presence, str, str, str]] = {}
    plans: dict[tuple[Presence, DateSpan | None, str], str] = {}
    rows = []
    for m, label in zip(movements, labels, strict=True):
        key = (m.date.text if m.date else None, m.reported, m.status)
        found = when_of.get(key)
        if found is None:
            when = presence(m)
            found = when_of[key] = (when, iso(when.first), iso(when.last), iso(when.due))
        when, first, last, due = found
        plan = ""
        if when.due and m.date:
            plan_key = (when, m.date, label)
            plan = plans.get(plan_key, "")
            if not plan:
                plan = plans[plan_key] = planned_label(label, m.date)
        rows.append((first, last, due, plan))
    names = ("start", "end", "due", "plan")
    if not rows:
        return {name: [] for name in names}
    return {name: list(column) for name, column in zip(names, zip(*rows), strict=True)}


def any_planned(movements: Iterable[Movement]) -> bool:
    """True if some movement is drawn as planned on some day (``Presence.due``)."""
    seen: set[tuple[str | None, date | None, str]] = set()  # rows share their dates
    for m in movements:
        key = (m.date.text if m.date else None, m.reported, m.status)
        if key not in seen:
            seen.add(key)
            if presence(m).due:
                return True
    return False


def shown_on(span: DateSpan | None, day: date) -> bool:
    """True if a movement dated ``span`` (and no reported day) is on the map on ``day``."""
    return _presence(span, None, "").shown(day)


def movements_on(movements: Iterable[Movement], day: date) -> list[Movement]:
    return [m for m in movements if presence(m).shown(day)]


def timeline_span(movements: Iterable[Movement]) -> tuple[date, date] | None:
    """(first day, last day) a timeline runs over, or None when the dates do not differ."""
    movements = list(movements)
    spans = {m.date.text: m.date for m in movements if m.date}  # each date written once
    days = {d for span in spans.values() for d in (span.start, span.end)}
    days |= {m.reported for m in movements if m.reported}
    if not days or min(days) == max(days):
        return None
    return min(days), max(days)


def timeline_days(movements: Iterable[Movement], until: date | None = None) -> list[date]:
    """Every day the timeline runs over, first to last (or to ``until``): the frames of an
    animation. Empty when the dates do not differ."""
    span = timeline_span(movements)
    if span is None:
        return []
    first, last = span
    if until is not None:
        last = min(last, until)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def opening_day(movements: Iterable[Movement]) -> date | None:
    """The map's "as of" day: the latest reported day or, without a ``reported`` column, the
    latest date (exercise windows count only when nothing else is dated)."""
    movements = list(movements)
    reported = [m.reported for m in movements if m.reported is not None]
    if reported:
        return max(reported)
    single = [m.date.end for m in movements if m.date and not m.date.is_range]
    windows = [m.date.start for m in movements if m.date and m.date.is_range]
    dates = single or windows
    return max(dates) if dates else None


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` → date; ValueError with words for people otherwise."""
    from .dataset import parse_date

    value = text.strip()
    form = f'"{value}" is not a day in the form YYYY-MM-DD, e.g. 2022-02-10'
    if not _DAY.match(value):
        raise ValueError(form)
    try:  # the CSV's reading of a day, so that any day the CSV accepts is accepted here
        return parse_date(value).start
    except ValueError:
        raise ValueError(f'"{value}" is not a real date') from None
