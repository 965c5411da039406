"""Derive the GeoNames index (see ``geo/geonames.py``) into a folder, and say how long it took.

troopmap derives it by itself, once, into the user's cache folder the first time a name is not
in the small sources; this script does the same on demand, for a package build or to measure:

    python scripts/derive_gazetteer.py              # into the cache folder troopmap uses
    python scripts/derive_gazetteer.py --out DIR    # into DIR
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.geonames import NAMES_FILE, PLACES_FILE, cache_folder, derive, source_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out: Path = args.out or cache_folder()
    started = time.perf_counter()
    places, names = derive(source_file())
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    (out / PLACES_FILE).write_bytes(places)
    (out / NAMES_FILE).write_bytes(names)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{PLACES_FILE}: {len(places) / 1e6:.1f} MB, {NAMES_FILE}: {len(names) / 1e6:.1f} MB, "
          f"derived in {seconds:.1f} s, peak memory {peak:.0f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
