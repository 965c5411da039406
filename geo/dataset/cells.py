"""The rules of the other cells of a movements CSV: lengths, names, colours, the columns of a
few allowed words, source links and unit symbols (troops, dates and destinations are in
``values``).

Each function is one rule: it returns the value of a cell, or raises
:class:`~geo.dataset.values.CellProblem` with the words the user reads; both the row-by-row
checker and the column-wise reader call it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..links import hides_its_host, link_host
from ..style import COLOUR_ADVICE, normal_colour
from .schema import MAX_FIELD_CHARS, MAX_NAME_CHARS
from .values import CellProblem

if TYPE_CHECKING:
    from ..symbols import UnitSymbol

_NAME_WORDS = {"id": "an id", "actor": "the name of an actor"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def within_field_limit(text: str) -> str:
    """Any cell: at most MAX_FIELD_CHARS characters."""
    if len(text) > MAX_FIELD_CHARS:
        raise CellProblem(
            f"is {len(text):,} characters long; the limit is {MAX_FIELD_CHARS:,}.",
            value=text[:40] + "…",
        )
    return text


def name_of(column: str, text: str) -> str:
    """An id or an actor, stripped: a name, repeated on every leg of the GIS data, is short."""
    name = text.strip()
    if len(name) > MAX_NAME_CHARS:
        raise CellProblem(
            f"is {len(name):,} characters long; {_NAME_WORDS[column]} is at "
            f"most {MAX_NAME_CHARS} characters.",
            "Put the rest in notes.",
            value=name[:40] + "…",
        )
    return name


def actor_of(text: str) -> str:
    """The actor cell: who moves, never empty (its length is :func:`name_of`'s rule)."""
    actor = text.strip()
    if not actor:
        raise CellProblem("is empty.", "Name who moves, e.g. United States.", value="")
    return actor


def colour_of(text: str) -> str:
    """The colour cell: ``#RRGGBB``, or "" when empty."""
    if not text.strip():
        return ""
    colour = normal_colour(text)
    if colour is None:
        raise CellProblem(f'"{text.strip()}" is not a colour.', COLOUR_ADVICE.replace('"', ""))
    return colour


def choice_of(column: str, text: str, allowed: tuple[str, ...], default: str) -> str:
    """A cell of one of a few words (status, affiliation), in any case; ``default`` when empty."""
    value = text.strip().lower()
    if not value:
        return default
    if value in allowed:
        return value
    nearest = closest(value, allowed)
    raise CellProblem(
        f'"{text.strip()}" is not a known {column}.',
        did_you_mean(nearest) or "Use one of: " + ", ".join(allowed) + ".",
        choices=tuple(nearest),
    )


def source_of(text: str) -> str:
    """The source cell: an http(s) link, or "" when empty."""
    value = text.strip()
    if not value:
        return ""
    if link_host(value):
        return value
    hint = "Give the report's address, starting with https://."
    opens = hides_its_host(value)
    if _SCHEME.match(value) and not value.lower().startswith("http"):
        message = f'"{value}" is not a web link; only http:// and https:// links are allowed.'
    elif opens:
        message = f'"{value}" opens {opens}: the part before "@" is a user name, not the site.'
        hint = "Give the report's own address."
    else:
        message = f'"{value}" is not a web address.'
    if link_host(f"https://{value}"):
        hint = 'Write "https://" before it.'
    raise CellProblem(message, hint, value=value)


def symbol_of(text: str, affiliation: str | None) -> UnitSymbol | None:
    """The symbol cell: a SIDC or plain words, read by ``geo.symbols`` (imported only when a
    file has symbols) with the frame of ``affiliation`` when one is given; None when empty."""
    if not text.strip():
        return None
    from ..symbols import SymbolError, read_symbol

    try:
        return read_symbol(text.strip(), affiliation)
    except SymbolError as error:
        raise CellProblem(error.message, error.suggestion, value=text.strip()) from None


def closest(word: str, choices: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(word.lower(), list(choices), n=3, cutoff=0.7)


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"Did you mean {quoted}?"
