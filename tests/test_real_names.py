"""Place names as reporting on the war in Ukraine and European security writes them.

tests/data/real-names.csv lists them with where each place is (from its Wikipedia article):
towns of the front, old names and spellings, Cyrillic, places where forces massed in Russia
and Belarus, NATO bases and training areas, landmarks, regions. Each must resolve, alone as
``troopmap places`` looks it up, within the row's distance of the place.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, UnknownPlace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "benchmarks"))

from names import km, rows  # noqa: E402

# Names still unknown, and why. A fix that places one of them makes its test fail: then take
# it out of this list.
UNKNOWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def test_the_list_is_long_and_of_every_kind():
    kinds = {row["kind"] for row in rows()}
    assert len(rows()) >= 100
    assert kinds >= {
        "town",
        "namesake",
        "old name",
        "spelling",
        "cyrillic",
        "massing",
        "air base",
        "nato",
        "region",
        "installation",
    }


@pytest.mark.parametrize(
    "row", [r for r in rows() if r["name"] not in UNKNOWN], ids=lambda row: row["name"]
)
def test_a_name_reporting_uses_resolves_to_its_place(gazetteer, row):
    place = gazetteer.resolve(row["name"]).place
    off = km(place.lat, place.lon, float(row["lat"]), float(row["lon"]))
    assert off <= float(row["within_km"]), f"{row['name']} → {place} is {off:.0f} km away"


@pytest.mark.parametrize("name", sorted(UNKNOWN) or ["Belgorodskaya Zemlya"])
def test_a_name_still_unknown_is_reported_as_unknown(gazetteer, name):
    with pytest.raises(UnknownPlace):
        gazetteer.resolve(name)
