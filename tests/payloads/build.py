"""Build the hostile CSVs of this folder from ``strings.json``.

Every payload goes into every column that can carry text and still render: ``id``, ``actor``,
``unit``, ``notes``, the place names (``origin``, ``destination`` and the places file), and,
behind ``https://example.org/``, the ``source`` link. Columns with a fixed form (``date``,
``troops``, ``status``, ``symbol``, ``affiliation``) get valid values, so that the page is
drawn and the payloads reach it; ``tests/test_hostile_page.py`` checks those columns' refusals.

Run ``python tests/payloads/build.py`` from the project root after editing ``strings.json``;
a test fails while the CSVs are out of date.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ROWS_PER_FILE = 12  # the page's summary (and its meta description) names the first 12
HEADER = [
    "id",
    "date",
    "actor",
    "unit",
    "origin",
    "destination",
    "troops",
    "status",
    "source",
    "notes",
    "symbol",
    "affiliation",
]
STATUSES = ["ordered", "announced", "underway", "arrived", "claimed", "withdrawn", "reported"]
AFFILIATIONS = ["friend", "hostile", "neutral", "unknown"]
SYMBOLS = [
    "armoured cavalry squadron",
    "",
    "airborne infantry brigade",
    "infantry battalion",
    "artillery regiment",
]
PLAIN_PLACES = ["Poland", "Romania", "Lithuania", "Estonia", "Latvia", "Bulgaria"]


def payloads() -> list[dict[str, str]]:
    with open(HERE / "strings.json", encoding="utf-8") as handle:
        items: list[dict[str, str]] = json.load(handle)
    return items


def place_role(text: str, taken: set[str]) -> str:
    """Where a payload can stand as a place name that resolves to exactly one place of ours:
    "destination" (any place column), "origin" (it holds the ";" or "=" that split a
    destination list) or "" (none: its key is empty or taken, or it reads as coordinates)."""
    from geo.gazetteer import Gazetteer, parse_lat_lon, place_key

    key = place_key(text)
    if not key or key in taken or text != text.strip() or parse_lat_lon(text) is not None:
        return ""
    if text.startswith("#"):
        return ""  # a line starting with "#" is a comment in a places file
    if Gazetteer(bundled_places=False)._split_country(text)[1]:
        return ""  # "Name, Country" would look the name up in that country
    return "origin" if any(c in text for c in ";=") else "destination"


def source_for(text: str) -> str:
    """The payload behind an https address, white space written as "+" (a link has none)."""
    return "https://example.org/" + re.sub(r"[\s\ufeff]+", "+", text.strip())


def route_for(index: int, place: str, role: str) -> tuple[str, str]:
    """(origin, destination): the payload place as origin, destination, or station in turn."""
    plain = PLAIN_PLACES[index % len(PLAIN_PLACES)]
    if role == "destination":
        return [(place, plain), (plain, place), ("", place)][index % 3]
    if role == "origin":
        return place, plain
    return "Germany", plain


def build() -> dict[str, str]:
    """File name → content of every hostile CSV (movements files and one places file)."""
    from geo.gazetteer import place_key

    items = payloads()
    taken: set[str] = set()
    roles: dict[int, str] = {}
    for index, item in enumerate(items):
        role = place_role(item["text"], taken)
        if role:
            taken.add(place_key(item["text"]))
            roles[index] = role
    files: dict[str, str] = {}
    places = [["name", "aliases", "lat", "lon", "country", "kind"]]
    for index in roles:
        name = items[index]["text"]
        lat = 44.0 + (index % 12) * 1.0
        lon = 14.0 + (index // 12) * 1.5
        places.append([name, f"{name} (alias)", f"{lat:.2f}", f"{lon:.2f}", "", "payload"])
    files["hostile-places.csv"] = _csv(places)
    for start in range(0, len(items), ROWS_PER_FILE):
        rows = [HEADER]
        for index in range(start, min(start + ROWS_PER_FILE, len(items))):
            text = items[index]["text"]
            origin, destination = route_for(index, text, roles.get(index, ""))
            rows.append(
                [
                    f"p{index:03d} {text}",
                    f"2022-02-{1 + index % 28:02d}",
                    text,
                    text,
                    origin,
                    destination,
                    str(1000 + index * 137),
                    STATUSES[index % len(STATUSES)],
                    source_for(text),
                    text,
                    SYMBOLS[index % len(SYMBOLS)],
                    AFFILIATIONS[index % len(AFFILIATIONS)],
                ]
            )
        files[f"hostile-{start // ROWS_PER_FILE + 1:02d}.csv"] = _csv(rows)
    return files


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # quotes a lone \r too
    return buffer.getvalue()


def main() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for old in HERE.glob("hostile-*.csv"):
        old.unlink()
    for name, text in build().items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote tests/payloads/{name}")


if __name__ == "__main__":
    main()
