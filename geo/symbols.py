"""Unit symbols (APP-6 / MIL-STD-2525): read a ``symbol`` cell and check it (drawn by
``symbol_svg``).

A cell holds either a 20-digit symbol identification code (SIDC, APP-6(D) / MIL-STD-2525D) or
plain words such as ``armoured cavalry squadron``. Words are read by the ``military-symbol``
package, then checked here word by word: a word the package did not use (a typing error, a term
it does not know) is an error, never a silently different symbol. The frame (friend, hostile,
neutral, unknown) comes from the ``affiliation`` column, so a news map takes no side unless its
author does.

The package is imported on first use; a map without symbols never loads it.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import Any

from .symbol_package import SymbolPackageMissing, _package, _quiet

SIDC_DIGITS = 20
VERSIONS = ("10", "11")  # APP-6(D) and MIL-STD-2525D
AFFILIATION_IDENTITY = {"friend": "3", "hostile": "6", "neutral": "4", "unknown": "1"}
IDENTITY_AFFILIATION = {
    "0": "unknown",
    "1": "unknown",
    "2": "friend",
    "3": "friend",
    "4": "neutral",
    "5": "hostile",
    "6": "hostile",
}
EXAMPLE = "armoured cavalry squadron"

# British spellings and common words the package does not know, mapped to the words it does.
_SYNONYMS = {
    "armoured": "armored",
    "armour": "armor",
    "mechanised": "mechanized",
    "motorised": "motorized",
    "defence": "defense",
    "tank": "armored",
    "tanks": "armored",
    "friend": "friendly",
    "paratroopers": "airborne infantry",
    "parachute": "airborne",
    "hq": "headquarters",
}
_PHRASES = {
    "motor rifle": "motorized infantry",
    "motorised rifle": "motorized infantry",
    "motorized rifle": "motorized infantry",
}
_FILLER = {"a", "an", "the", "of", "unit", "units", "element", "elements"}
# A first character that makes a spreadsheet read a cell as a formula.
FORMULA_SIGNS = "=+-@"


class SymbolError(ValueError):
    """A symbol cell that cannot be read; carries words for the user and a suggestion."""

    def __init__(self, message: str, suggestion: str = ""):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True)
class UnitSymbol:
    """A checked symbol: its 20-digit code with the frame applied, what it shows in words
    (``armored cavalry squadron``) and its frame (friend, hostile, neutral, unknown)."""

    sidc: str
    name: str
    affiliation: str

    @property
    def words(self) -> str:
        """``armored cavalry squadron, friend frame``: for popups and screen readers."""
        return f"{self.name}, {self.affiliation} frame"


# --- reading a cell ---------------------------------------------------------------------------


def looks_like_code(text: str) -> bool:
    """True for something meant as a code (mostly digits, or a letter code like SFGPU----)."""
    compact = re.sub(r"[\s-]", "", text)
    digits = sum(c.isdigit() for c in compact)
    return bool(compact) and (
        digits >= len(compact) * 0.6
        or bool(re.fullmatch(r"[A-Za-z*][A-Za-z*-]{9,14}", text.strip()) and "-" in text)
    )


@functools.lru_cache(maxsize=1024)
def read_symbol(text: str, affiliation: str | None = None) -> UnitSymbol:
    """Read a ``symbol`` cell: a SIDC or plain words. ``affiliation`` (friend, hostile,
    neutral, unknown, or None when the column is empty) sets the frame.

    Raises SymbolError with words for the user.
    """
    value = " ".join(text.split())
    if not value:
        raise SymbolError("is empty.")
    if value[0] in FORMULA_SIGNS:
        rest = value.lstrip(FORMULA_SIGNS).strip()
        raise SymbolError(
            f'"{value}" starts with "{value[0]}", which a spreadsheet opening the GIS data '
            "would run as a formula.",
            f"Write the symbol without it: {rest}."
            if rest
            else f"Write it as words, e.g. {EXAMPLE}.",
        )
    if looks_like_code(value):
        return _read_code(value, affiliation)
    return _read_words(value, affiliation)


def _read_code(text: str, affiliation: str | None) -> UnitSymbol:
    schema, _, _ = _package()
    digits = re.sub(r"[\s-]", "", text)
    if not digits.isdigit():
        raise SymbolError(
            f'"{text}" is not a code troopmap reads: it takes the 20-digit codes of APP-6(D) '
            "and MIL-STD-2525D, not the older letter codes.",
            f"Write the 20-digit code, or the unit in words, e.g. {EXAMPLE}.",
        )
    if len(digits) not in (SIDC_DIGITS, 30):
        raise SymbolError(
            f'"{text}" has {len(digits)} digits; a symbol code (SIDC) has {SIDC_DIGITS}.',
            f"Check the code, or write the unit in words, e.g. {EXAMPLE}.",
        )
    sidc = digits[:SIDC_DIGITS]
    _check_code(schema, sidc, text)
    identity = sidc[3]
    own = IDENTITY_AFFILIATION.get(identity, "unknown")
    if affiliation and identity not in ("0", "1") and own != affiliation:
        raise SymbolError(
            f'the code "{text}" has a {own} frame but the affiliation column says "{affiliation}".',
            "Keep one: the affiliation column sets the frame (write 1 as the code's fourth digit).",
        )
    if affiliation:
        sidc = sidc[:3] + AFFILIATION_IDENTITY[affiliation] + sidc[4:]
    symbol = UnitSymbol(sidc, describe(sidc), affiliation or own)
    _check_drawable(symbol.sidc, text)
    return symbol


def _check_code(schema: Any, sidc: str, text: str) -> None:
    """Check each part of a SIDC against the package's APP-6(D) tables."""
    version, context, identity, symbol_set = sidc[0:2], sidc[2], sidc[3], sidc[4:6]
    status, hqtfd, amplifier, entity = sidc[6], sidc[7], sidc[8:10], sidc[10:16]
    modifiers = (sidc[16:18], sidc[18:20])
    hint = f"Check the code, or write the unit in words, e.g. {EXAMPLE}."

    def fail(part: str) -> SymbolError:
        return SymbolError(f'"{text}" is not a symbol code troopmap can draw: {part}.', hint)

    if version not in VERSIONS:
        raise fail(
            f'it starts with "{version}"; APP-6(D) and MIL-STD-2525D codes start with 10 or 11'
        )
    if context not in schema.contexts:
        raise fail(f'its third digit (context) "{context}" is not 0, 1 or 2')
    if identity not in schema.standard_identities:
        raise fail(f'its fourth digit (identity) "{identity}" is not one of 0 to 6')
    sets = schema.symbol_sets
    if symbol_set not in sets or not sets[symbol_set].implemented:
        raise fail(f'digits 5-6 (symbol set) "{symbol_set}" are not a symbol set it draws')
    named_set = sets[symbol_set].names[0]
    if status != "0" and status not in schema.statuses:
        raise fail(f'digit 7 (status) "{status}" is not one of 0 to 5')
    if hqtfd != "0" and (
        hqtfd not in schema.hqtfd_codes
        or not schema.hqtfd_codes[hqtfd].applies_to_symbol_set(sets[symbol_set])
    ):
        raise fail(
            f'digit 8 (headquarters, task force, dummy) "{hqtfd}" does not apply to a {named_set}'
        )
    if amplifier != "00" and (
        amplifier not in schema.amplifiers
        or not schema.amplifiers[amplifier].applies_to(symbol_set)
    ):
        raise fail(f'digits 9-10 (echelon or mobility) "{amplifier}" do not apply to a {named_set}')
    if entity != "000000" and schema.get_entity(symbol_set, entity) is None:
        raise fail(
            f'digits 11-16 (entity) "{entity}" are not an entity of the {named_set} '
            f"set ({symbol_set})"
        )
    for number, code in enumerate(modifiers, start=1):
        if code != "00" and schema.get_modifier(symbol_set, number, code) is None:
            where = "17-18" if number == 1 else "19-20"
            raise fail(
                f'digits {where} (modifier {number}) "{code}" are not a modifier of the '
                f"{named_set} set"
            )


def _normalise_words(text: str) -> list[str]:
    phrase = " ".join(re.sub(r"[^\w\s/-]", " ", text.lower()).split())
    for old, new in _PHRASES.items():
        phrase = re.sub(rf"\b{old}\b", new, phrase)
    words = phrase.split()
    result: list[str] = []
    for word in words:
        result.extend(_SYNONYMS.get(word, word).split())
    return result


def _read_words(text: str, affiliation: str | None) -> UnitSymbol:
    schema, name_to_sidc, _ = _package()
    words = _normalise_words(text)
    phrase = " ".join(w for w in words if w not in _FILLER)
    if not phrase:
        raise SymbolError(f'"{text}" names no unit.', f"Write e.g. {EXAMPLE}.")
    try:
        with _quiet():
            symbol = name_to_sidc.name_to_symbol(phrase, schema, limit_to_symbol_sets=None)
    except Exception:  # the package fails on some phrases (an AttributeError on
        symbol = None  # "hostile" with an identity and no entity): not a unit it can draw
    if symbol is None:
        raise SymbolError(f'"{text}" is not a unit troopmap can draw.', f"Write e.g. {EXAMPLE}.")
    used = _words_of(symbol)
    unknown = [w for w in phrase.split() if w not in used]
    if unknown:
        raise SymbolError(_unknown_words_message(text, unknown), _word_suggestion(unknown))
    sidc = symbol.get_sidc()
    said = (
        IDENTITY_AFFILIATION.get(sidc[3], "unknown")
        if symbol.standard_identity
        and (any(w in phrase.split() for w in _words(symbol.standard_identity.get_names())))
        else None
    )
    if said and affiliation and said != affiliation:
        raise SymbolError(
            f'"{text}" says {said} but the affiliation column says "{affiliation}".',
            "Keep one: the affiliation column sets the frame.",
        )
    chosen = affiliation or said or "unknown"
    sidc = sidc[:3] + AFFILIATION_IDENTITY[chosen] + sidc[4:]
    _check_code(schema, sidc, text)
    result = UnitSymbol(sidc, describe(sidc, prefer=phrase.split()), chosen)
    _check_drawable(result.sidc, text)
    return result


def _words(names: list[str]) -> set[str]:
    return {w for name in names for w in re.split(r"[\s/()-]+", name.lower()) if w}


def _words_of(symbol: Any) -> set[str]:
    """Every word in the names of the parts the package chose."""
    parts = [
        symbol.standard_identity,
        symbol.amplifier,
        symbol.hqtfd,
        symbol.entity,
        symbol.status,
        *symbol.modifiers.values(),
    ]
    names: list[str] = []
    for part in parts:
        if part is not None:
            names.extend(part.get_names() if hasattr(part, "get_names") else part.names)
    if symbol.symbol_set is not None:
        names.extend(symbol.symbol_set.names)
    return _words(names)


@functools.lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Every word the symbol names are made of (for suggestions)."""
    schema, _, _ = _package()
    names: list[str] = []
    for table in (
        schema.standard_identities,
        schema.amplifiers,
        schema.hqtfd_codes,
        schema.statuses,
    ):
        for item in table.values():
            names.extend(item.get_names())
    for entity in schema.get_flat_entities():
        names.extend(entity.get_names())
    for symbol_set in schema.symbol_sets.values():
        names.extend(symbol_set.names)
        for modifiers in symbol_set.modifiers.values():
            for modifier in modifiers.values():
                names.extend(modifier.names)
    return tuple(sorted(_words(names) | set(_SYNONYMS)))


def _unknown_words_message(text: str, unknown: list[str]) -> str:
    strange = [w for w in unknown if w not in vocabulary()]
    if strange:
        quoted = ", ".join(f'"{w}"' for w in strange)
        verb = "is not a word" if len(strange) == 1 else "are not words"
        return f'"{text}": {quoted} {verb} of the APP-6 symbol names.'
    quoted = ", ".join(f'"{w}"' for w in unknown)
    return f'"{text}": no APP-6 symbol combines {quoted} with the other words.'


def _word_suggestion(unknown: list[str]) -> str:
    close = []
    for word in unknown:
        if word not in vocabulary():
            close.extend(difflib.get_close_matches(word, vocabulary(), n=2, cutoff=0.8))
    if close:
        return "Did you mean " + ", ".join(f'"{w}"' for w in dict.fromkeys(close)) + "?"
    return (
        f"Leave a word out or write another, e.g. {EXAMPLE} or airborne infantry "
        "brigade, or give the 20-digit code."
    )


def describe(sidc: str, prefer: list[str] | tuple[str, ...] = (), identity: bool = False) -> str:
    """The symbol in words: ``armored cavalry squadron`` (``friendly armored cavalry squadron``
    with ``identity``). Where a part has several names (battalion or squadron), the one made of
    the ``prefer`` words is used."""
    schema, _, _ = _package()
    symbol_set = sidc[4:6]
    wanted = set(prefer)

    def name(names: list[str]) -> str:
        """The longest name made of the wanted words, else the longest (most explicit)."""
        fitting = [n for n in names if n and _words([n]) <= wanted] or list(names)
        return sorted(fitting, key=lambda n: (-len(n), n))[0]

    parts: list[str] = []
    frame = schema.standard_identities.get(sidc[3])
    if identity and frame is not None:
        parts.append(name(frame.get_names()))
    for number, code in ((1, sidc[16:18]), (2, sidc[18:20])):
        modifier = schema.get_modifier(symbol_set, number, code) if code != "00" else None
        if modifier is not None:
            parts.append(name(modifier.names))
    entity = schema.get_entity(symbol_set, sidc[10:16]) if sidc[10:16] != "000000" else None
    if entity is not None and entity.names:
        parts.append(name(entity.names))
    amplifier = schema.amplifiers.get(sidc[8:10]) if sidc[8:10] != "00" else None
    if amplifier is not None:
        parts.append(name(amplifier.names))
    hqtfd = schema.hqtfd_codes.get(sidc[7]) if sidc[7] != "0" else None
    if hqtfd is not None:
        parts.append(name(hqtfd.names))
    if entity is None and amplifier is None and hqtfd is None:
        parts.append(schema.symbol_sets[symbol_set].names[0])
    return " ".join(parts).replace("/", " or ")


def _check_drawable(sidc: str, text: str) -> None:
    from .symbol_svg import draw_symbol

    try:
        draw_symbol(sidc)
    except SymbolPackageMissing:
        raise
    except Exception:
        raise SymbolError(
            f'"{text}" is a valid code but military-symbol cannot draw it.',
            "Use a more general symbol, or write the unit in words.",
        ) from None
