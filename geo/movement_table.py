"""The movements as a table: one row per movement with the columns every layer carries
(who, from where, to where, how many, when, status, symbol, colour), written as the map shows
them, in the map's language.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from . import language
from .cartography import DASHED, FADED
from .dataset import DateSpan, Movement

if TYPE_CHECKING:
    from .symbols import UnitSymbol


def destinations_text(movement: Movement) -> str:
    """``Germany and Poland``; ``Rzeszów, Wiesbaden, Vilseck``: in the map's language."""
    words = language.words()
    places = [d.place for d in movement.destinations]
    if len(places) == 2:
        return words("{first} and {last}", first=places[0], last=places[1])
    return words(", ").join(places)


def troops_label(movement: Movement) -> str:
    """``"~30,000"``, ``"2,000 · split not reported"``."""
    words = language.words()
    text = f"{'~' if movement.estimate else ''}{words.number(movement.troops)}"
    if not movement.split_reported:
        text += " · " + words("split not reported")
    return text


def _movement_columns(movements: list[Movement], colours: list[str]) -> dict[str, list[Any]]:
    """The movement columns of the layers, one entry per movement, built column by column.

    Values many rows share (a day, a troop count, a symbol) are written out once, and the rows
    share the one string.
    """
    dates = [m.date for m in movements]
    statuses = [m.status for m in movements]
    days: dict[int, tuple[str, str, str]] = {}  # by id: rows share their parsed dates
    by_value: dict[DateSpan, tuple[str, str, str]] = {}  # and equal dates, their strings
    for d in dates:
        if d is not None and id(d) not in days:
            found = by_value.get(d)
            if found is None:
                found = by_value[d] = (d.text, d.start.isoformat(), d.end.isoformat())
            days[id(d)] = found
    undated = ("", "", "")
    date_texts = [days[id(d)] if d is not None else undated for d in dates]
    split: dict[int, bool] = {}  # rows share their parsed destinations: judge each once
    texts: dict[int, str] = {}
    for m in movements:
        if id(m.destinations) not in split:
            split[id(m.destinations)] = m.split_reported
            texts[id(m.destinations)] = destinations_text(m)
    splits = [split[id(m.destinations)] for m in movements]
    labels: dict[tuple[int, bool, bool], str] = {}
    for m, reported in zip(movements, splits, strict=True):
        key = (m.troops, m.estimate, reported)
        if key not in labels:
            labels[key] = troops_label(m)
    symbols: dict[UnitSymbol, tuple[str, str]] = {}
    unit_symbols = [m.unit_symbol for m in movements]
    for symbol in unit_symbols:
        if symbol is not None and symbol not in symbols:
            symbols[symbol] = (symbol.sidc, symbol.words)
    no_symbol = ("", "")
    symbol_texts = [symbols[s] if s is not None else no_symbol for s in unit_symbols]
    reported_days: dict[date, str] = {}
    for m in movements:
        if m.reported is not None and m.reported not in reported_days:
            reported_days[m.reported] = m.reported.isoformat()
    return {
        "movement": [m.id for m in movements],
        "row": [m.row for m in movements],
        "actor": [m.actor for m in movements],
        "unit": [m.unit for m in movements],
        "origin": [m.origin or "" for m in movements],
        "destination": [texts[id(m.destinations)] for m in movements],
        "troops": [m.troops for m in movements],
        "estimate": [m.estimate for m in movements],
        "split_reported": splits,
        "label": [
            labels[(m.troops, m.estimate, reported)]
            for m, reported in zip(movements, splits, strict=True)
        ],
        "date": [t[0] for t in date_texts],
        "date_start": [t[1] for t in date_texts],
        "date_end": [t[2] for t in date_texts],
        "reported": [
            reported_days[m.reported] if m.reported is not None else "" for m in movements
        ],
        "status": statuses,
        "source": [m.source for m in movements],
        "notes": [m.notes for m in movements],
        "symbol": [m.symbol for m in movements],
        "affiliation": [m.affiliation for m in movements],
        "sidc": [t[0] for t in symbol_texts],
        "symbol_name": [t[1] for t in symbol_texts],
        "colour": colours,
        "dashed": [s in DASHED for s in statuses],
        "faded": [s in FADED for s in statuses],
    }


def movement_frame(movements: list[Movement], colours: dict[str, str]) -> Any:
    """The movement columns as a frame. Each column is handed over as an array of its type (a
    text column as objects), so that pandas need not look at every value to find it."""
    import numpy as np
    import pandas as pd

    columns = _movement_columns(movements, [colours[m.actor] for m in movements])
    if not movements:
        return pd.DataFrame(columns)
    return pd.DataFrame(
        {
            name: np.array(values, dtype=object)
            if values and isinstance(values[0], str)
            else np.array(values)
            for name, values in columns.items()
        }
    )
