"""The forms place names are compared in.

``place_key`` is the exact form: no accents, no case, punctuation as spaces, Cyrillic written
in Latin letters. ``loose_key`` also forgets what the many romanisations of Ukrainian and
Russian names disagree on (y/i/j, zh/z, kh/h, ia/ya, doubled letters, w/v, Polish sz/cz, the
soft sign, spaces, and the Russian adjective endings -oye and -aya where Ukrainian has -e and
-a), so that Zaporizhzhia, Zaporizhia and Zaporizhzhya, Kyiv and Kyjiw, or Novaya Kakhovka and
Nova Kakhovka meet.
A loose match is only tried when no source knows the exact form.
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "ħ": "h",
    }
)
_SEPARATORS = str.maketrans({c: " " for c in "-–—‐‑_.,'’‘`\"()/\\:ʼ"})

# Cyrillic → Latin, as English-language reporting writes Ukrainian (the Ukrainian national
# system of 2010) and Russian (BGN/PCGN without diacritics) names. Letters only Ukrainian has
# (і ї є ґ) choose the Ukrainian table; ў is Belarusian.
_CYRILLIC_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ъ": "",
    "ю": "iu",
    "я": "ia",
    "ё": "e",
    "ы": "y",
    "э": "e",
    "ў": "u",
}
_UKRAINIAN = str.maketrans(
    {**_CYRILLIC_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "i", "є": "ie"}
)
_RUSSIAN = str.maketrans({**_CYRILLIC_COMMON, "г": "g", "и": "i", "і": "i"})
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ONLY_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")

# Applied in this order to a place_key; then doubled letters are made single.
_LOOSE_SPELLINGS = (("szcz", "shch"), ("sz", "sh"), ("cz", "ch"), ("kh", "h"), ("zh", "z"))
_LOOSE_LETTERS = str.maketrans({"j": "i", "y": "i", "w": "v"})
# Russian adjective endings where Ukrainian has shorter ones: Priyutnoye / Pryiutne,
# Novaya Kakhovka / Nova Kakhovka (after y became i).
_RUSSIAN_ENDINGS = re.compile(r"(?<=[a-z]{3})(?:oie|aia)\b")
_DOUBLED = re.compile(r"(.)\1+")


def romanise_cyrillic(name: str) -> str:
    """``"Харків"`` → ``"Kharkiv"``, ``"Мачулищи"`` → ``"Machulishchi"``; Latin is kept."""
    if not _CYRILLIC.search(name):
        return name
    table = _UKRAINIAN if _ONLY_UKRAINIAN.search(name) else _RUSSIAN
    return "".join(_romanise_letter(c, table) for c in name)


def _romanise_letter(letter: str, table: dict[int, str]) -> str:
    lower = letter.lower()
    latin = lower.translate(table)
    if latin == lower or letter == lower:
        return latin
    return latin.capitalize()


def place_key(name: str) -> str:
    """The form names are compared in: no accents, no case, punctuation as spaces."""
    if not name.isascii():
        name = romanise_cyrillic(name)
        name = unicodedata.normalize("NFKD", name.translate(_LETTERS))
        name = name.encode("ascii", "ignore").decode("ascii")
    return " ".join(name.lower().translate(_SEPARATORS).split())


def loose_key(key: str) -> str:
    """A place_key with the differences between romanisations taken out."""
    if "z" in key or "h" in key:
        for spelling, meaning in _LOOSE_SPELLINGS:
            key = key.replace(spelling, meaning)
    key = key.translate(_LOOSE_LETTERS)
    if "oie" in key or "aia" in key:
        key = _RUSSIAN_ENDINGS.sub(lambda m: m.group()[-1], key)
    return _DOUBLED.sub(r"\1", key.replace(" ", ""))


# Words after a site's name that reporting may give or leave out, longest first.
SITE_WORDS = (
    "international airport",
    "air force base",
    "military airfield",
    "air base",
    "airbase",
    "airport",
    "airfield",
    "aerodrome",
    "air field",
    "afb",
    "ab",
)


_SITE_LAST_WORDS = frozenset(word.rpartition(" ")[2] for word in SITE_WORDS)


def site_key(key: str) -> str:
    """A place_key without its site word: ``"ramstein airbase"`` → ``"ramstein"``; a key
    without one, or that is nothing but one, is returned as it is."""
    if key.rpartition(" ")[2] not in _SITE_LAST_WORDS:
        return key
    for word in SITE_WORDS:
        if key.endswith(f" {word}"):
            return key[: -len(word) - 1]
    return key


# Words after a region's name: "Kursk Oblast", "Gomel Region".
REGION_WORDS = ("oblast", "region", "province", "krai", "kray", "voblast", "governorate")


def region_key(key: str) -> str:
    """A place_key without its region word: ``"kursk oblast"`` → ``"kursk"``; a key without
    one is returned as it is."""
    for word in REGION_WORDS:
        if key.endswith(f" {word}"):
            return key[: -len(word) - 1]
    return key
