"""Benchmark the gazetteer: look-ups of real names as whole processes, and a map naming towns.

    python tests/benchmarks/gazetteer.py              # 7 repeats
    python tests/benchmarks/gazetteer.py --repeat 3

It measures, as whole processes (wall time and peak resident memory, medians of ``--repeat``
runs, taken in turn so that the machine's noise falls on all of them alike):

* ``troopmap places NAME`` for names found each way (a town, a name with namesakes, Cyrillic,
  a loose romanisation, an air base with its site word, an unknown name), and ``troopmap
  --help`` as the floor every command pays;
* ``troopmap render`` of 10,000 movements among 500 real towns (GeoNames places of Ukraine,
  Russia, Poland, Belarus and their neighbours that only one place is called, picked with a
  seed), once looked up in the gazetteer and once from a places file that gives the same names
  the same coordinates: the ratio is what naming real towns costs;
* deriving the GeoNames index (``scripts/derive_gazetteer.py``) into a temporary folder, once.

With ``--before DIR`` (a copy of another version of the source, e.g. ``git archive main``
unpacked into DIR) the look-ups are also run with that version, in the same turns.

The result is a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synthetic  # noqa: E402
from run import measure  # noqa: E402

from geo.geonames import NAMES_FILE, PLACES_FILE, ensure_index  # noqa: E402

NAMES = ("Rzeszow", "Brest", "Харків", "Kyjiw", "Ramstein airbase", "Avdiivga")
TOWN_COUNTRIES = ("UA", "RU", "PL", "BY", "RO", "LT", "LV", "EE", "MD", "SK", "HU")
MOVEMENTS = 10_000
TOWNS = 500
TROOPMAP = [sys.executable, "-m", "geo"]


def real_towns(count: int, seed: int) -> list[synthetic.SyntheticPlace]:
    """``count`` GeoNames places of TOWN_COUNTRIES with 1,000 people or more whose own name no
    other place of the index is known by, picked with ``seed``."""
    folder = ensure_index()
    places = (folder / PLACES_FILE).read_bytes()
    eligible: list[synthetic.SyntheticPlace] = []
    for line in (folder / NAMES_FILE).read_text(encoding="ascii").splitlines():
        _, key, refs = line.split("\t")
        if "," in refs or not refs.endswith("*") or not key.isalpha():
            continue
        offset = int(refs[:-1])
        fields = places[offset : places.index(b"\n", offset)].decode().split("\t")
        if fields[3] in TOWN_COUNTRIES and int(fields[4]) >= 1000:
            eligible.append(
                synthetic.SyntheticPlace(
                    fields[0], float(fields[1]), float(fields[2]), fields[3], "town"
                )
            )
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(eligible), size=count, replace=False)
    return [eligible[int(i)] for i in sorted(picks)]


def write_real_map(folder: Path, seed: int) -> tuple[Path, Path]:
    towns = real_towns(TOWNS, seed)
    movements, places = folder / "movements-real-towns.csv", folder / "places-real-towns.csv"
    with open(places, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "lat", "lon", "country", "kind"])
        for town in towns:
            writer.writerow([town.name, "", town.lat, town.lon, town.country, "town"])
    rows = synthetic.make_rows(MOVEMENTS, towns, np.random.default_rng([seed, MOVEMENTS]))
    with open(movements, "w", newline="", encoding="utf-8") as handle:
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
    return movements, places


def medians(
    commands: dict[str, list[str]], repeat: int, envs: dict[str, dict[str, str]] | None = None
) -> dict[str, tuple[float, float]]:
    """Median (seconds, peak MB) of each command, run in turn ``repeat`` times."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for label, command in commands.items():
            env = (envs or {}).get(label)
            seconds, peak, code, tail = measure(
                command, Path(env["PYTHONPATH"]) if env else ROOT, env
            )
            if code not in (0, 1):
                raise SystemExit(f"{label} failed ({code}): {tail}")
            times[label].append(seconds)
            peaks[label].append(peak)
    return {k: (statistics.median(times[k]), statistics.median(peaks[k])) for k in commands}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", type=Path, help="the source of a version to compare with")
    args = parser.parse_args(argv)
    ensure_index()
    rows = ["| measure | median time | median peak memory |", "|---|---|---|"]
    lookups = {"troopmap --help": [*TROOPMAP, "--help"]}
    lookups |= {f"troopmap places {name}": [*TROOPMAP, "places", name] for name in NAMES}
    envs: dict[str, dict[str, str]] = {}
    if args.before:
        for name in NAMES:
            lookups[f"before: troopmap places {name}"] = [*TROOPMAP, "places", name]
            envs[f"before: troopmap places {name}"] = {"PYTHONPATH": str(args.before.resolve())}
    for label, (seconds, peak) in medians(lookups, args.repeat, envs).items():
        rows.append(f"| `{label}` | {seconds:.2f} s | {peak:.0f} MB |")
    with tempfile.TemporaryDirectory(prefix="troopmap-gazetteer-bench-") as work:
        folder = Path(work)
        movements, places = write_real_map(folder, args.seed)
        renders = {
            "towns from the gazetteer": [
                *TROOPMAP,
                "render",
                str(movements),
                "-o",
                str(folder / "gazetteer.html"),
            ],
            "towns from a places file": [
                *TROOPMAP,
                "render",
                str(movements),
                "--places",
                str(places),
                "-o",
                str(folder / "places.html"),
            ],
        }
        results = medians(renders, args.repeat)
        for label, (seconds, peak) in results.items():
            rows.append(
                f"| render {MOVEMENTS:,} movements among {TOWNS} real towns, {label} "
                f"| {seconds:.2f} s | {peak:.0f} MB |"
            )
        ratio = results["towns from the gazetteer"][0] / results["towns from a places file"][0]
        rows.append(f"| ratio, gazetteer / places file (target ≤ 1.2×) | {ratio:.2f}× | |")
        seconds, peak, code, tail = measure(
            [
                sys.executable,
                str(ROOT / "scripts" / "derive_gazetteer.py"),
                "--out",
                str(folder / "index"),
            ],
            ROOT,
        )
        if code:
            raise SystemExit(f"deriving the index failed: {tail}")
        size = sum(f.stat().st_size for f in (folder / "index").iterdir()) / 1e6
        rows.append(
            f"| derive the GeoNames index once ({size:.1f} MB on disk) "
            f"| {seconds:.1f} s | {peak:.0f} MB |"
        )
    print(f"Medians of {args.repeat} runs, `python -m geo` from the source checkout.\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
