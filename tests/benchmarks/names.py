"""How many real place names the gazetteer places right: tests/data/real-names.csv, one by one.

    python tests/benchmarks/names.py            # the names as ``troopmap places`` resolves them

A name is right when it resolves within the row's ``within_km`` of the place, wrong when it
resolves farther away, unknown when no source knows it. Prints the counts by kind and every
name that is not right, with where it went.
"""

from __future__ import annotations

import csv
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = ROOT / "tests" / "data" / "real-names.csv"


def rows() -> list[dict[str, str]]:
    with open(NAMES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def verdict(row: dict[str, str], gazetteer: object) -> tuple[str, str]:
    """("right" | "wrong" | "unknown", what the name resolved to)."""
    try:
        place = gazetteer.resolve(row["name"]).place  # type: ignore[attr-defined]
    except Exception:  # whatever "unknown place" is called in the version measured
        return "unknown", ""
    off = km(place.lat, place.lon, float(row["lat"]), float(row["lon"]))
    where = f"{place.name} ({place.country}, {place.source}), {off:,.0f} km away"
    return ("right" if off <= float(row["within_km"]) else "wrong"), where


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from geo.gazetteer import Gazetteer

    gazetteer = Gazetteer()
    tally: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    misses = []
    names = rows()
    for row in names:
        outcome, where = verdict(row, gazetteer)
        tally[outcome] += 1
        by_kind.setdefault(row["kind"], Counter())[outcome] += 1
        if outcome != "right":
            misses.append(f"  {outcome}: {row['name']} ({row['kind']}) {where}")
    print(
        f"{tally['right']} of {len(names)} right ({tally['right'] / len(names):.0%}), "
        f"{tally['wrong']} wrong, {tally['unknown']} unknown."
    )
    for kind, counts in by_kind.items():
        print(f"  {kind}: {counts['right']} of {sum(counts.values())} right")
    print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
