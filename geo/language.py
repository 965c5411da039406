"""The language troopmap writes a map in: its words, dates, numbers and country names.

The words come from gettext catalogs (``geo/locale/<code>.po``, the English source in
``geo/locale/troopmap.pot``), compiled in memory at first use, so the same catalog always gives
the same translations and nothing is written beside the installed package. Dates and numbers
take the locale's form from Babel (the Unicode CLDR); country names are Natural Earth's own
(``datasets/country-names.json``, derived by ``scripts/derive_countries.py``). The CSV's own
text (actors, places, units, notes) is never translated.

A map is drawn in one language: the pipeline says which with ``speaking(code)`` around the
steps that write words (building the layers, writing each output), and the code that writes a
word asks ``words()`` for the language in use::

    with speaking("uk"):
        layers = build_layers(...)        # titles, labels and the summary in Ukrainian
    words()("Troop movements")            # outside: English

English is the catalogs' source language: its words, dates ("2 February 2022") and numbers
("30,000") are troopmap's as they always were.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from .errors import UsageError

# The languages troopmap has catalogs for; each is a .po file in geo/locale.
LANGUAGES = ("en", "ar", "de", "es", "fr", "pl", "ru", "uk")
DEFAULT_LANGUAGE = "en"
CATALOG_DOMAIN = "troopmap"
_ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_ENGLISH_SHORT_MONTHS = [m[:3] for m in _ENGLISH_MONTHS]


@dataclass(frozen=True)
class Words:
    """One language's words (``words("Troop movements")``), numbers, dates and countries."""

    code: str
    catalog: gettext.NullTranslations

    def __call__(self, message: str, **fields: Any) -> str:
        """The translation of ``message``, its ``{fields}`` filled in."""
        text = self.catalog.gettext(message)
        return text.format(**fields) if fields else text

    def plural(self, singular: str, plural: str, count: int, **fields: Any) -> str:
        """The form for ``count`` (the language's plural rule), with ``{count}`` written as a
        number of the language and the other ``fields`` filled in."""
        text = self.catalog.ngettext(singular, plural, count)
        return text.format(count=self.number(count), **fields)

    @property
    def english(self) -> bool:
        return self.code == DEFAULT_LANGUAGE

    @property
    def locale(self) -> Any:
        from babel import Locale

        return Locale.parse("en_GB" if self.english else self.code)

    @property
    def direction(self) -> str:
        """``rtl`` for a language written right to left (Arabic), else ``ltr``."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def number(self, value: int) -> str:
        """``30000`` → ``30,000`` (en), ``30 000`` (fr, uk, ru, pl), ``30.000`` (de, es)."""
        if self.english:
            return f"{value:,}"
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.locale, group_separator=True))

    def long_date(self, day: date) -> str:
        """``2 February 2022``; ``2 лютого 2022 р.``; ``2 فبراير 2022``."""
        if self.english:
            return f"{day.day} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"
        from babel.dates import format_date

        return str(format_date(day, "long", locale=self.locale))

    def month_year(self, day: date) -> str:
        """``February 2022``; ``лютий 2022``."""
        if self.english:
            return f"{_ENGLISH_MONTHS[day.month - 1]} {day.year}"
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMMM", day, locale=self.locale))

    def interval(self, start: date, end: date, skeleton: str = "yMMMMd") -> str:
        """Two days as the locale writes a span: ``10–20 лютого 2022 р.``, ``10.–20. Feb.``
        (``skeleton`` is a CLDR skeleton: ``MMMd`` for short months without the year)."""
        from babel.dates import format_interval

        return str(format_interval(start, end, skeleton, locale=self.locale))

    def short_month(self, month: int) -> str:
        """``Feb``; ``лют.``; ``févr.`` (the month as a date writes it, abbreviated)."""
        if self.english:
            return _ENGLISH_SHORT_MONTHS[month - 1]
        return str(self.locale.months["format"]["abbreviated"][month])

    def country(self, code: str, name: str) -> str:
        """A country's name (``name``, Natural Earth's English) in this language, by its
        ``adm0_a3`` code; ``name`` when Natural Earth has none."""
        if self.english:
            return name
        return country_names().get(code, {}).get(self.code, name)

    def city(self, name: str) -> str | None:
        """A city's name (GeoNames' English) in this language: the exemplar city CLDR gives a
        time zone named after it (Babel), or None when CLDR names none, so that a map in
        another language never shows an English city name."""
        if self.english:
            return name
        return zone_cities(self.code).get(name)

    def date_pattern(self) -> dict[str, Any]:
        """How the page's script writes a long date: the parts of the locale's pattern (``d``,
        ``M``, ``y`` or literal text) and the month names, from Babel (CLDR)."""
        if self.english:
            return {"parts": ["d", " ", "M", " ", "y"], "months": list(_ENGLISH_MONTHS)}
        from babel.dates import get_date_format

        months = self.locale.months["format"]["wide"]
        return {
            "parts": pattern_parts(get_date_format("long", locale=self.locale).pattern),
            "months": [months[m] for m in range(1, 13)],
        }

    def group_symbol(self) -> str:
        if self.english:
            return ","
        from babel.numbers import get_group_symbol

        return str(get_group_symbol(self.locale))


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; it is translated where used."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a number (its English singular and plural) for the catalogs."""
    return singular, plural


def pattern_parts(pattern: str) -> list[str]:
    """A CLDR date pattern (``d MMMM y 'р'.``) as parts: ``d`` (the day), ``M`` (the month's
    name), ``y`` (the year) and literal text (``["d", " ", "M", " ", "y", " р."]``)."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            literal = pattern[i + 1 : end] or "'"
            _literal(parts, literal)
            i = end + 1
            continue
        if char.isalpha():
            run = len(pattern[i:]) - len(pattern[i:].lstrip(char))
            parts.append({"d": "d", "M": "M", "L": "M", "y": "y"}.get(char, ""))
            i += run
            continue
        _literal(parts, char)
        i += 1
    return [p for p in parts if p]


def _literal(parts: list[str], text: str) -> None:
    if parts and parts[-1] not in ("d", "M", "y"):
        parts[-1] += text
    else:
        parts.append(text)


_SPEAKING: contextvars.ContextVar[str] = contextvars.ContextVar(
    "troopmap_language", default=DEFAULT_LANGUAGE
)


def words() -> Words:
    """The language in use (English unless a ``speaking`` block says otherwise)."""
    return words_for(_SPEAKING.get())


@contextlib.contextmanager
def speaking(code: str | None) -> Iterator[Words]:
    """Write in the language ``code`` (None: English) inside the block."""
    found = words_for(code)
    token = _SPEAKING.set(found.code)
    try:
        yield found
    finally:
        _SPEAKING.reset(token)


def language_code(code: str | None) -> str:
    """``uk``, ``UK``, ``uk-UA`` or ``uk_UA`` → ``uk``; UsageError naming the languages for one
    troopmap has no catalog for."""
    if code is None:
        return DEFAULT_LANGUAGE
    plain = code.strip().replace("_", "-").split("-")[0].lower()
    if plain not in LANGUAGES:
        raise UsageError(
            f'"{code}" is not a language troopmap writes maps in. '
            f"Use one of: {', '.join(LANGUAGES)}."
        )
    return plain


@functools.cache
def words_for(code: str | None) -> Words:
    """The words of the language ``code`` (see ``language_code``)."""
    plain = language_code(code)
    if plain == DEFAULT_LANGUAGE:
        return Words(plain, gettext.NullTranslations())
    return Words(plain, compiled_catalog(plain))


def catalog_text(name: str) -> str:
    """The text of a catalog file shipped in ``geo/locale`` (``uk.po``, ``troopmap.pot``)."""
    return (resources.files("geo") / "locale" / name).read_text(encoding="utf-8")


def compiled_catalog(code: str) -> gettext.GNUTranslations:
    """The ``.po`` catalog of ``code`` compiled by Babel into gettext's binary form, in memory:
    the same catalog gives the same bytes, and nothing is written next to the package."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.StringIO(catalog_text(f"{code}.po")), locale=code, domain=CATALOG_DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@functools.cache
def zone_cities(code: str) -> dict[str, str]:
    """The cities CLDR names time zones after, from their English name to their name in the
    language ``code`` (Europe/Kyiv: Kyiv → Київ). Where a language gives a zone no city of its
    own, CLDR's rule is the zone's own name: taken for a language written in Latin letters
    (Europe/Minsk in German: Minsk), left out for another script."""
    from babel import Locale
    from babel.core import get_global

    english = Locale("en").time_zones
    local = Locale.parse(code).time_zones
    latin = "_Latn" in get_global("likely_subtags").get(code, "")
    cities: dict[str, str] = {}
    for zone in sorted(get_global("zone_territories")):
        own_name = zone.rsplit("/", 1)[-1].replace("_", " ")
        name = local.get(zone, {}).get("city") or (own_name if latin else None)
        if name:
            for english_name in (english.get(zone, {}).get("city"), own_name):
                if english_name:
                    cities.setdefault(english_name, name)
    return cities


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, dict[str, str]]:
    """Natural Earth's name of each country in each of its languages, by ``adm0_a3``."""
    from .paths import bundled

    names: dict[str, dict[str, str]] = json.loads(
        bundled("country-names.json").read_text(encoding="utf-8")
    )
    return names
