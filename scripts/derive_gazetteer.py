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

from geo.geonames import cache_folder, derive, source_file, write_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out: Path = args.out or cache_folder()
    started = time.perf_counter()
    files = derive(source_file())
    seconds = time.perf_counter() - started
    write_index(out, files)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = ", ".join(f"{name}: {len(data) / 1e6:.1f} MB" for name, data in files.items())
    print(f"Wrote {out}: {sizes}; derived in {seconds:.1f} s, peak memory {peak:.0f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
