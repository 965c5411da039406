"""The map in one paragraph of plain language, made from the data.

It is the page's description, its ``<noscript>`` text and a caption for screen readers, and
``troopmap render --summary`` prints it::

    Four movements reported on 2 February 2022: 1,000 United States troops ordered from
    Germany to Romania; 2,000 ordered from the United States to Germany and Poland, split not
    reported; …

Place and actor names are the user's own words; only grammar is added (an article before "the
United States", an adjective such as "Russian" for the commonest country names).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from . import language
from .cartography import status_word
from .dataset import DateSpan, Movement

MAX_DESCRIBED = 12
NUMBER_WORDS = (
    "No",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
)

# Adjectives for the country names most often found as actors; any other actor is written as
# given ("NATO troops", "Wagner Group troops").
ADJECTIVES = {
    "albania": "Albanian",
    "armenia": "Armenian",
    "azerbaijan": "Azerbaijani",
    "belarus": "Belarusian",
    "belgium": "Belgian",
    "bulgaria": "Bulgarian",
    "canada": "Canadian",
    "china": "Chinese",
    "croatia": "Croatian",
    "czechia": "Czech",
    "czech republic": "Czech",
    "denmark": "Danish",
    "estonia": "Estonian",
    "finland": "Finnish",
    "france": "French",
    "georgia": "Georgian",
    "germany": "German",
    "greece": "Greek",
    "hungary": "Hungarian",
    "iran": "Iranian",
    "israel": "Israeli",
    "italy": "Italian",
    "japan": "Japanese",
    "kazakhstan": "Kazakh",
    "latvia": "Latvian",
    "lithuania": "Lithuanian",
    "moldova": "Moldovan",
    "netherlands": "Dutch",
    "north korea": "North Korean",
    "norway": "Norwegian",
    "poland": "Polish",
    "portugal": "Portuguese",
    "romania": "Romanian",
    "russia": "Russian",
    "serbia": "Serbian",
    "slovakia": "Slovak",
    "slovenia": "Slovenian",
    "south korea": "South Korean",
    "spain": "Spanish",
    "sweden": "Swedish",
    "syria": "Syrian",
    "turkey": "Turkish",
    "türkiye": "Turkish",
    "ukraine": "Ukrainian",
    "united kingdom": "British",
}
# Names read with "the": "from the United States", "in the Russia–Ukraine border area".
_THE_NAMES = {
    "netherlands",
    "philippines",
    "bahamas",
    "gambia",
    "baltics",
    "balkans",
    "caucasus",
    "donbas",
    "mediterranean",
    "arctic",
    "north atlantic",
    "black sea",
    "baltic sea",
    "persian gulf",
    "red sea",
}
_THE_PATTERN = re.compile(
    r"^(united |republic of |kingdom of |democratic republic)|"
    r"( republic| islands| emirates| states| area| region| border| coast| sea| ocean| strait"
    r"| gulf| peninsula)$",
    re.I,
)


def default_subtitle(movements: list[Movement]) -> str:
    moving = sum(1 for m in movements if not m.stationed)
    stationed = len(movements) - moving
    words = language.words()
    parts = []
    if moving:
        parts.append(words.plural("{count} movement", "{count} movements", moving))
    if stationed:
        parts.append(words.plural("{count} stationed force", "{count} stationed forces", stationed))
    if len(parts) == 2:
        return words(
            "{movements} and {stationed} as reported", movements=parts[0], stationed=parts[1]
        )
    return words("{movements} as reported", movements="".join(parts))


def summarise(movements: Sequence[Movement], as_of: date | None = None) -> str:
    """One paragraph: how many movements, when, then each one in a few words.

    With ``as_of``, the paragraph describes the map on that day ("On 15 February 2022 the map
    shows four movements reported on …").
    """
    words = language.words()
    if not words.english:
        return summarise_in(words, movements, as_of)
    count = len(movements)
    number = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else f"{count:,}"
    head = f"{number} movement{'s' if count != 1 else ''} reported{_when(movements)}"
    if as_of is not None:
        head = f"On {long_date(as_of)} the map shows {head[0].lower()}{head[1:]}"
    if not movements:
        return head + "."
    dated_apart = len({m.date.text for m in movements if m.date and not m.date.is_range}) > 1
    parts: list[str] = []
    previous_actor = None
    for movement in movements[:MAX_DESCRIBED]:
        parts.append(
            describe(movement, same_actor=movement.actor == previous_actor, with_date=dated_apart)
        )
        previous_actor = movement.actor
    if count > MAX_DESCRIBED:
        parts.append(f"and {count - MAX_DESCRIBED:,} more")
    return f"{head}: " + "; ".join(parts) + "."


def describe(movement: Movement, *, same_actor: bool = False, with_date: bool = False) -> str:
    """``1,000 United States troops ordered from Germany to Romania``."""
    amount = f"{'about ' if movement.estimate else ''}{movement.troops:,}"
    who = amount if same_actor else f"{amount} {actor_adjective(movement.actor)} troops"
    if movement.unit:
        who += f" ({movement.unit})"
    places = [with_article(d.place) for d in movement.destinations]
    where = (
        " and ".join(places) if len(places) <= 2 else ", ".join(places[:-1]) + " and " + places[-1]
    )
    if movement.stationed:
        text = f"{who} {_STATIONED.get(movement.status, 'stationed in')} {where}"
    elif movement.status == "arrived":
        text = f"{who} arrived in {where} from {with_article(movement.origin or '')}"
    else:
        origin = with_article(movement.origin or "")
        verb = _MOVING.get(movement.status, "")
        text = f"{who} {verb + ' ' if verb else ''}from {origin} to {where}"
        if movement.status == "withdrawn":
            text += ", since withdrawn"
    if not movement.split_reported:
        text += ", split not reported"
    if movement.date and movement.date.is_range:
        text += " " + window_phrase(movement.date)
    elif movement.date and with_date:
        text += f" ({_date_phrase(movement.date)})"
    return text


_MOVING = {
    "ordered": "ordered",
    "announced": "announced to go",
    "underway": "moving",
    "claimed": "claimed to be going",
    "withdrawn": "sent",
}
_STATIONED = {
    "reported": "stationed in",
    "claimed": "claimed to be stationed in",
    "announced": "announced for",
    "ordered": "ordered to",
    "underway": "on the way to",
    "arrived": "arrived in",
    "withdrawn": "withdrawn from",
}


def actor_adjective(actor: str) -> str:
    return ADJECTIVES.get(actor.strip().casefold(), actor.strip())


def with_article(name: str) -> str:
    """``United States`` → ``the United States``; ``Germany`` stays ``Germany``."""
    plain = name.strip()
    if plain.lower().startswith("the ") or "," in plain:
        return plain
    if plain.casefold() in _THE_NAMES or _THE_PATTERN.search(plain):
        return f"the {plain}"
    return plain


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def window_phrase(span: DateSpan) -> str:
    """``between 10 and 20 February 2022``; ``from 28 February to 3 March 2022``."""
    start, end = span.start, span.end
    if (start.year, start.month) == (end.year, end.month):
        return f"between {start.day} and {long_date(end)}"
    if start.year == end.year:
        return f"from {start.day} {start:%B} to {long_date(end)}"
    return f"from {long_date(start)} to {long_date(end)}"


def _date_phrase(span: DateSpan) -> str:
    if re.fullmatch(r"\d{4}-\d{2}", span.text):
        return f"{span.start:%B %Y}"
    return long_date(span.start)


def _when(movements: Sequence[Movement]) -> str:
    """`` on 2 February 2022``, `` between 2 and 15 February 2022``, or nothing: the days the
    movements were reported (their ``reported`` days, else their dates)."""
    reported = {m.reported for m in movements if m.reported is not None}
    if reported:
        first, last = min(reported), max(reported)
        if first == last:
            return f" on {long_date(first)}"
        return " " + window_phrase(DateSpan(first, last, f"{first}/{last}"))
    spans = [m.date for m in movements if m.date and not m.date.is_range]
    if not spans:
        return ""
    if len({s.text for s in spans}) == 1:
        return (" in " if re.fullmatch(r"\d{4}-\d{2}", spans[0].text) else " on ") + _date_phrase(
            spans[0]
        )
    first = min(s.start for s in spans)
    last = max(s.end for s in spans)
    return " " + window_phrase(DateSpan(first, last, f"{first}/{last}"))


def summarise_in(words: language.Words, movements: Sequence[Movement], as_of: date | None) -> str:
    """The summary in another language than English: the same facts as a list (actor, troops,
    places, status, dates), since the places are the user's words and cannot be declined."""
    head = words.plural("{count} movement", "{count} movements", len(movements))
    when = _when_in(words, movements)
    if when:
        head = words("{movements}, reported {when}", movements=head, when=when)
    if as_of is not None:
        head = words(
            "On {date} the map shows {movements}", date=words.long_date(as_of), movements=head
        )
    if not movements:
        return head + "."
    parts = [describe_in(words, m) for m in movements[:MAX_DESCRIBED]]
    if len(movements) > MAX_DESCRIBED:
        parts.append(words.plural("{count} more", "{count} more", len(movements) - MAX_DESCRIBED))
    text = words("{summary}: {movements}", summary=head, movements=words("; ").join(parts))
    return text if text.endswith(".") else text + "."


def describe_in(words: language.Words, movement: Movement) -> str:
    """``Russia: ~30 000 військових, Білорусь (заявлено), 10–20 лютого 2022 р.``"""
    troops = ("~" if movement.estimate else "") + words.number(movement.troops)
    comma = words(", ")
    text = words("{actor}: {troops} troops", actor=movement.actor, troops=troops)
    if movement.unit:
        text += f" ({movement.unit})"
    places = comma.join(d.place for d in movement.destinations)
    if movement.origin:
        text += f"{comma}{movement.origin} → {places}"
    else:
        text += comma + words("stationed: {places}", places=places)
    text += f" ({status_word(movement.status)})"
    if not movement.split_reported:
        text += comma + words("split not reported")
    if movement.date:
        text += comma + _span_in(words, movement.date)
    return text


def _span_in(words: language.Words, span: DateSpan) -> str:
    if re.fullmatch(r"\d{4}-\d{2}", span.text):
        return words.month_year(span.start)
    if span.start == span.end:
        return words.long_date(span.start)
    return words.interval(span.start, span.end)


def _when_in(words: language.Words, movements: Sequence[Movement]) -> str:
    reported = {m.reported for m in movements if m.reported is not None}
    if not reported:
        return ""
    first, last = min(reported), max(reported)
    return _span_in(words, DateSpan(first, last, f"{first}/{last}"))
