"""The words the page's scripts write (popups, timeline, buttons), given to the page as data.

The scripts copy no word: each is a message of the catalogs (``geo.language``), translated
here into the map's language and handed to the page as ``data.words``::

    w       the words by key ("play": "Відтворити")
    p       the words that take a number, all the language's forms ("movements": [...])
    plural  the form for a count: ``plural[n]`` below 100, ``plural[100 + n % 100]`` above
            (every language troopmap writes chooses its form by the last two digits)
    status  each status as the map writes it
    date    how a long date is written (``Words.date_pattern``); ``group`` the digit grouping
    lang, dir  the language's code and direction (``rtl`` for Arabic)
"""

from __future__ import annotations

from typing import Any

from .. import language
from ..language import N_, N_plural

PAGE_WORDS = {
    "troops": N_("{count} troops"),
    "source": N_("Source: {host}"),
    "stationedAt": N_("Stationed at {place}"),
    "stationedAtLower": N_("stationed at {place}"),
    "date": N_("Date"),
    "reported": N_("Reported"),
    "symbol": N_("Symbol"),
    "status": N_("Status"),
    "estimate": N_("Estimate"),
    "approximate": N_("yes, the number is approximate"),
    "notes": N_("Notes"),
    "rowRef": N_("(row {row})"),
    "places": N_("Places"),
    "mapControls": N_("Map controls"),
    "timeline": N_("Timeline"),
    "play": N_("Play"),
    "pause": N_("Pause"),
    "asOf": N_("As of {date}"),
    "key": N_("Key"),
    "closeKey": N_("Close the key"),
    "movementsPanel": N_("Movements"),
    "previous": N_("Previous"),
    "next": N_("Next"),
    "previousMovement": N_("Previous movement"),
    "nextMovement": N_("Next movement"),
    "useNext": N_("Use Next to open each movement in turn."),
    "noneShown": N_("No movement is shown on the map now."),
    "position": N_("{position} of {total}: {movement}"),
    "comma": N_(", "),
    "zoomIn": N_("Zoom in"),
    "zoomOut": N_("Zoom out"),
    "layers": N_("Layers"),
    "closePopup": N_("Close popup"),
}
# Words with a number, as (singular, plural) of the English catalog.
PAGE_PLURALS = {
    "groupCount": N_plural("{count} movement, {status}:", "{count} movements, {status}:"),
    "groupLabel": N_plural("({count} movement)", "({count} movements)"),
    "shown": N_plural(
        "{date}: {count} of {total} movement shown", "{date}: {count} of {total} movements shown"
    ),
}
PLURAL_TABLE = 200


def page_words() -> dict[str, Any]:
    """The page's words in the language in use (``language.words()``)."""
    from ..cartography import STATUS_WORDS

    words = language.words()
    catalog = words.catalog
    forms, plural = _plural_forms(words)
    return {
        "lang": words.code,
        "dir": words.direction,
        "w": {key: words(message) for key, message in PAGE_WORDS.items()},
        "p": {
            key: [catalog.ngettext(one, many, n) for n in forms]
            for key, (one, many) in PAGE_PLURALS.items()
        },
        "plural": plural,
        "status": {status: words(word) for status, word in STATUS_WORDS.items()},
        "date": words.date_pattern(),
        "group": words.group_symbol(),
    }


def _plural_forms(words: language.Words) -> tuple[list[int], list[int]]:
    """A count for each of the language's forms (the first count that takes it), and the form
    of each count below PLURAL_TABLE, by gettext's plural rule of the catalog."""
    rule = getattr(words.catalog, "plural", lambda n: int(n != 1))
    plural = [int(rule(n)) for n in range(PLURAL_TABLE)]
    forms: list[int] = []
    for form in range(max(plural) + 1):
        forms.append(plural.index(form) if form in plural else 2)
    return forms, plural
