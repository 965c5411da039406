"""Synthetic movements for the benchmarks: N movements among P places, the same for a seed.

The data is shaped like a long-running record of a war kept by an analyst: a few actors, each
with home garrisons it sends from most often; some places (a front, a hub) receive far more than
others; one row in ten is a force stationed somewhere (no origin); a few rows fork to several
places; dates spread over two years with some exercise windows; sources, units and notes repeat
as they do in real reporting. Place names are invented, in a places file of their own, and lie
inside real European countries so the country tinting works as it would for real data.

    python tests/benchmarks/synthetic.py 10000 --places 500 --seed 1 --out bench-data

writes ``bench-data/movements-10000.csv`` and ``bench-data/places-500.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ACTORS = (
    "Russia",
    "Ukraine",
    "United States",
    "Poland",
    "United Kingdom",
    "Germany",
    "Belarus",
    "France",
)
ACTOR_WEIGHTS = (0.34, 0.26, 0.12, 0.08, 0.06, 0.06, 0.05, 0.03)
STATUSES = ("reported", "arrived", "underway", "ordered", "announced", "claimed", "withdrawn")
STATUS_WEIGHTS = (0.35, 0.2, 0.15, 0.1, 0.08, 0.07, 0.05)
# Where the synthetic places lie, with how many of them each country gets (relative).
COUNTRIES = {
    "UA": 10,
    "RU": 8,
    "PL": 5,
    "BY": 4,
    "RO": 3,
    "DE": 3,
    "LT": 1,
    "LV": 1,
    "EE": 1,
    "SK": 1,
    "HU": 1,
    "BG": 1,
    "MD": 1,
    "CZ": 1,
    "FI": 1,
}
SYLLABLES = (
    "ka",
    "ro",
    "vel",
    "dan",
    "mir",
    "os",
    "tar",
    "lin",
    "bo",
    "sk",
    "gor",
    "nov",
    "zel",
    "ber",
    "pol",
    "chen",
    "ma",
    "dor",
    "vin",
    "lav",
    "ost",
    "kir",
    "ya",
    "tsk",
)
SUFFIXES = ("", "", "", "ovo", "ka", "grad", "burg", "ino", "sk", "owice")
KINDS = ("garrison", "air base", "depot", "training area", "town", "border crossing")
UNIT_KINDS = (
    "Mechanised Brigade",
    "Tank Regiment",
    "Air Assault Brigade",
    "Artillery Brigade",
    "Motor Rifle Regiment",
    "Armoured Cavalry Squadron",
    "Infantry Battalion",
    "Engineer Battalion",
    "Air Defence Regiment",
    "Marine Brigade",
)
NOTE_TEMPLATES = (
    "Seen on rail cars by local residents; not confirmed by officials.",
    "Satellite images show vehicles at the site.",
    "Rotation of a unit already in the area.",
    "Reported by the defence ministry at a briefing.",
    "Numbers are the ministry's; independent estimates are lower.",
    "Part of a joint exercise.",
)
SOURCE_HOSTS = (
    "www.reuters.com",
    "apnews.com",
    "www.bbc.co.uk",
    "www.themoscowtimes.com",
    "kyivindependent.com",
    "www.defensenews.com",
    "www.nytimes.com",
    "notesfrompoland.com",
)
START = date(2022, 2, 1)
DAYS = 730


@dataclass(frozen=True)
class SyntheticPlace:
    name: str
    lat: float
    lon: float
    country: str
    kind: str


def _name(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        parts = rng.choice(SYLLABLES, size=int(rng.integers(2, 4)))
        name = ("".join(parts) + str(rng.choice(SUFFIXES))).capitalize()
        if name not in taken:
            taken.add(name)
            return name


def _country_shapes() -> dict[str, object]:
    import shapely

    root = Path(__file__).resolve().parents[2]
    with open(root / "datasets" / "countries.geojson", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {
        f["properties"]["iso_a2"]: shapely.geometry.shape(f["geometry"])
        for f in features
        if f["properties"]["iso_a2"] in COUNTRIES
    }


def make_places(count: int, rng: np.random.Generator) -> list[SyntheticPlace]:
    """``count`` invented places inside the countries of ``COUNTRIES``, in proportion."""
    import shapely

    shapes = _country_shapes()
    codes = list(COUNTRIES)
    weights = np.array([COUNTRIES[c] for c in codes], dtype=float)
    picks = rng.choice(len(codes), size=count, p=weights / weights.sum())
    taken: set[str] = set()
    places = []
    for pick in picks:
        code = codes[int(pick)]
        shape = shapes[code]
        west, south, east, north = shape.bounds  # type: ignore[attr-defined]
        if code == "RU":  # European Russia only
            west, east, south, north = 30.0, 50.0, 45.0, 62.0
        while True:
            lon, lat = rng.uniform(west, east), rng.uniform(south, north)
            if shapely.contains_xy(shape, lon, lat):
                break
        places.append(
            SyntheticPlace(
                _name(rng, taken),
                round(float(lat), 4),
                round(float(lon), 4),
                code,
                str(rng.choice(KINDS)),
            )
        )
    return places


def _normalised(weights: tuple[float, ...]) -> np.ndarray:
    array = np.array(weights, dtype=float)
    return array / array.sum()


def _zipf(count: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Weights 1/rank**exponent over ``count`` items, in a random order."""
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    rng.shuffle(weights)
    return weights / weights.sum()


def make_rows(
    count: int, places: list[SyntheticPlace], rng: np.random.Generator
) -> list[list[str]]:
    names = [p.name for p in places]
    origin_weights = _zipf(len(places), 1.0, rng)
    destination_weights = _zipf(len(places), 0.8, rng)
    actors = rng.choice(len(ACTORS), size=count, p=_normalised(ACTOR_WEIGHTS))
    statuses = rng.choice(len(STATUSES), size=count, p=_normalised(STATUS_WEIGHTS))
    origins = rng.choice(len(places), size=count, p=origin_weights)
    destinations = rng.choice(len(places), size=count, p=destination_weights)
    troops = np.clip(np.round(rng.lognormal(6.5, 1.3, size=count), -1), 10, 60_000).astype(int)
    days = rng.integers(0, DAYS, size=count)
    units = [
        f"{n}{_ordinal(n)} {UNIT_KINDS[k]}"
        for n, k in zip(
            rng.integers(1, 160, size=400), rng.integers(0, len(UNIT_KINDS), size=400), strict=True
        )
    ]
    sources = [
        f"https://{SOURCE_HOSTS[i % len(SOURCE_HOSTS)]}/2022/{i:03d}/troops-report"
        for i in range(60)
    ]
    kind = rng.random(size=count)
    rows = []
    for i in range(count):
        origin, destination = int(origins[i]), int(destinations[i])
        if origin == destination:
            destination = (destination + 1 + int(rng.integers(len(places) - 1))) % len(places)
        stationed = kind[i] < 0.1
        forked = 0.1 <= kind[i] < 0.13
        day = START + timedelta(days=int(days[i]))
        when = day.isoformat()
        if rng.random() < 0.05:
            when += "/" + (day + timedelta(days=int(rng.integers(3, 20)))).isoformat()
        number = int(troops[i])
        troops_text = f"~{number}" if rng.random() < 0.1 else str(number)
        destination_text = names[destination]
        if forked:
            others = rng.choice(len(places), size=int(rng.integers(2, 4)), replace=False)
            chosen = [names[int(o)] for o in others if int(o) != origin]
            if len(chosen) < 2:
                chosen = [names[destination], *chosen]
            if rng.random() < 0.5:
                shares = np.maximum(10, np.round(number / len(chosen), -1)).astype(int)
                destination_text = "; ".join(f"{c}={shares}" for c in chosen)
                troops_text = ""
            else:
                destination_text = "; ".join(chosen)
        notes = str(rng.choice(NOTE_TEMPLATES)) if rng.random() < 0.25 else ""
        source = sources[int(rng.integers(len(sources)))] if rng.random() < 0.9 else ""
        unit = units[int(rng.integers(len(units)))] if rng.random() < 0.7 else ""
        rows.append(
            [
                f"mv-{i + 1:06d}",
                when,
                ACTORS[int(actors[i])],
                unit,
                "" if stationed else names[origin],
                destination_text,
                troops_text,
                STATUSES[int(statuses[i])],
                source,
                notes,
            ]
        )
    return rows


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def write(count: int, place_count: int, seed: int, folder: Path) -> tuple[Path, Path]:
    """Write the movements and places files for (count, place_count, seed); return their paths.

    The places depend only on (place_count, seed), so runs of several sizes share one file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    places_path = folder / f"places-{place_count}.csv"
    movements_path = folder / f"movements-{count}.csv"
    places = make_places(place_count, np.random.default_rng([seed, place_count]))
    with open(places_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "lat", "lon", "country", "kind"])
        for p in places:
            writer.writerow([p.name, "", f"{p.lat:.4f}", f"{p.lon:.4f}", p.country, p.kind])
    rows = make_rows(count, places, np.random.default_rng([seed, place_count, count]))
    with open(movements_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
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
            ]
        )
        writer.writerows(rows)
    return movements_path, places_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many movements")
    parser.add_argument("--places", type=int, default=500, help="how many places (default 500)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench-data"))
    args = parser.parse_args(argv)
    movements, places = write(args.count, args.places, args.seed, args.out)
    print(f"wrote {movements} and {places}", file=sys.stderr)


if __name__ == "__main__":
    main()
