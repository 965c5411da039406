"""Where the time of one ``troopmap render`` goes: each stage of the pipeline timed in one process.

    python tests/benchmarks/stages.py 100000            # synthetic movements, 500 places, seed 1
    python tests/benchmarks/stages.py 10000 --repeat 5  # medians of 5 processes

Each process imports the libraries, reads and checks the CSV, places the movements (the geo
layer), builds the page's data, and writes the page, timing each stage with ``perf_counter``;
the stages are those of ``geo.pipeline`` (``check``, ``build_layers``, ``render.write``), so the
figures add up to the whole run but for the interpreter's own start (about 0.03 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

STAGES = ("imports", "reading", "placing", "page data", "page written", "total")

# One process: prints the seconds of each stage as JSON.
PROCESS = """
import json, resource, sys, time
start = time.perf_counter()
from geo import pipeline
from geo.layers import build_layers
from geo.render import pageparts
imported = time.perf_counter()
csv, places, out = sys.argv[1:4]
dataset = pipeline.check(csv)
read = time.perf_counter()
layers = build_layers(dataset, pipeline.gazetteer_for([places]))
placed = time.perf_counter()
pageparts.page_for(layers)
data = time.perf_counter()
pipeline.write(layers, out)
written = time.perf_counter()
print(json.dumps({
    "imports": imported - start, "reading": read - imported, "placing": placed - read,
    "page data": data - placed, "page written": written - data - (data - placed),
    "total": written - start - (data - placed),
    "peak MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def measure(csv: Path, places: Path, out: Path, source: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, str(csv), str(places), str(out)],
        capture_output=True,
        text=True,
        cwd=source,
        env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    import synthetic

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before", type=Path, help="another checkout, measured in the same turns (a column)"
    )
    args = parser.parse_args(argv)
    sources = {"troopmap": ROOT, **({"before": args.before.resolve()} if args.before else {})}
    with tempfile.TemporaryDirectory(prefix="troopmap-stages-") as folder:
        work = Path(folder)
        csv, places = synthetic.write(args.count, 500, 1, work)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in sources}
        for _ in range(args.repeat):
            for name, source in sources.items():
                runs[name].append(measure(csv, places, work / f"{name}.html", source))
    names = list(sources)
    print(f"{args.count:,} movements, medians of {args.repeat} processes (seconds):\n")
    print("| stage | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for stage in (*STAGES, "peak MiB"):
        cells = [f"{statistics.median(r[stage] for r in runs[name]):.2f}" for name in names]
        print(f"| {stage} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
