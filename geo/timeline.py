"""Which movements a map shows on a given day: the rule shared by the page's timeline and by
``--as-of`` for static outputs.

- A movement dated with a day or a month shows from its (first) day on: the map as reported up
  to the chosen day.
- An exercise window (``2022-02-10/2022-02-20``) shows only inside its window.
- An undated movement always shows.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .dataset import DateSpan, Movement

if TYPE_CHECKING:
    from .layers import Layers

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def shown_on(span: DateSpan | None, day: date) -> bool:
    """True if a movement dated ``span`` is on the map on ``day``."""
    if span is None:
        return True
    if span.is_range:
        return span.start <= day <= span.end
    return span.start <= day


def movements_on(movements: Iterable[Movement], day: date) -> list[Movement]:
    return [m for m in movements if shown_on(m.date, day)]


def timeline_span(movements: Iterable[Movement]) -> tuple[date, date] | None:
    """(first day, last day) a timeline runs over, or None when the dates do not differ."""
    days = [d for m in movements if m.date for d in (m.date.start, m.date.end)]
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


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` → date; ValueError with words for people otherwise."""
    value = text.strip()
    if not _DAY.match(value):
        raise ValueError(f'"{value}" is not a day in the form YYYY-MM-DD, e.g. 2022-02-10')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f'"{value}" is not a real date') from None


def layers_as_of(layers: Layers, day: date) -> Layers:
    """The map as it stood on ``day``: only the movements shown then, framed like the whole map
    so that maps of several days line up. Renderers use it for ``--as-of``."""
    from .layers import country_frame, default_subtitle
    from .summary import summarise

    shown = movements_on(layers.movements, day)
    ids = {m.id for m in shown}
    names = {m.origin for m in shown if m.origin} | {
        d.place for m in shown for d in m.destinations}

    def keep(frame: object) -> object:
        if "movement" not in frame or not len(frame):  # type: ignore[operator, arg-type]
            return frame
        return frame[frame["movement"].isin(ids)]  # type: ignore[index]

    places = layers.places[layers.places["name"].isin(names)] if len(layers.places) else \
        layers.places
    subtitle = layers.subtitle
    if subtitle == default_subtitle(layers.movements):
        subtitle = default_subtitle(shown) if shown else "Nothing reported yet"
    return dataclasses.replace(
        layers,
        flows=keep(layers.flows),
        heads=keep(layers.heads),
        stations=keep(layers.stations),
        places=places,
        countries=country_frame(places.to_dict("records")),
        subtitle=subtitle,
        as_of=day,
        summary=summarise(shown, as_of=day),
        sources=list(dict.fromkeys(m.source for m in shown if m.source)),
        movements=shown,
        extent=layers.extent or layers.focus,
    )
