"""Benchmark of the reading stage: a movements CSV read and checked (``geo.dataset.check_file``)
into Movements, beside pandas' C reader reading the same file as text, in one run.

    python tests/benchmarks/reading.py                        # 10,000 and 100,000 movements
    python tests/benchmarks/reading.py --against OTHER_CHECKOUT

Each measure is a process of its own, run in turn with the others so that the machine's noise
falls on all alike: the time of the stage inside the process (pandas imported before the
clock starts: a whole troopmap process imports it anyway), and the peak resident memory of
the whole process (the interpreter and its imports included, pandas too, ``os.wait4``).
``--against`` names another checkout of troopmap (its root folder) to measure in the same
run, say the commit before a change. The result is a Markdown table of medians on stdout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

# What each measured process runs: argv[1] is the CSV; it prints the stage's seconds.
READ_WITH_TROOPMAP = """
import sys, time
import pandas  # imported by the whole process anyway (the layers need it), so not timed
from geo.dataset import check_file
started = time.perf_counter()
dataset = check_file(sys.argv[1])
print(time.perf_counter() - started, len(dataset.movements), len(dataset.errors))
"""
READ_WITH_PANDAS = """
import sys, time
import pandas
started = time.perf_counter()
table = pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="c")
print(time.perf_counter() - started, len(table), 0)
"""


def measure(code: str, csv: Path, source: Path | None) -> tuple[float, float, int]:
    """(seconds of the stage, peak RSS of the process in MiB, movements read)."""
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(csv)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=tempfile.gettempdir(),  # so that ``geo`` comes from PYTHONPATH, not the folder
    )
    assert process.stdout is not None
    out = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {source or 'pandas'} on {csv}")
    seconds, movements, errors = out.split()
    if int(errors):
        raise SystemExit(f"{source}: {errors} errors in {csv}")
    return float(seconds), usage.ru_maxrss / 1024, int(movements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout to measure too")
    args = parser.parse_args(argv)
    readers: dict[str, tuple[str, Path | None]] = {
        "troopmap (this checkout)": (READ_WITH_TROOPMAP, ROOT)
    }
    if args.against:
        readers[f"troopmap ({args.against.name})"] = (READ_WITH_TROOPMAP, args.against.resolve())
    readers["pandas C reader, text only"] = (READ_WITH_PANDAS, None)
    lines = [
        f"Medians of {args.repeat} runs ({os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}; {args.places} places, seed {args.seed}).",
        "",
        "| movements | reader | reading stage | peak memory (process) |",
        "|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="troopmap-reading-") as work:
        for count in (int(s) for s in args.sizes.split(",") if s):
            csv, _ = synthetic.write(count, args.places, args.seed, Path(work))
            times: dict[str, list[float]] = {name: [] for name in readers}
            peaks: dict[str, list[float]] = {name: [] for name in readers}
            for attempt in range(args.repeat):
                for name, (code, source) in readers.items():
                    seconds, peak, movements = measure(code, csv, source)
                    if movements != count:
                        raise SystemExit(f"{name} read {movements:,} movements of {count:,}")
                    times[name].append(seconds)
                    peaks[name].append(peak)
                    print(
                        f"{count:,} #{attempt + 1} {name}: {seconds:.3f} s, {peak:.0f} MiB",
                        file=sys.stderr,
                        flush=True,
                    )
            for name in readers:
                lines.append(
                    f"| {count:,} | {name} | {statistics.median(times[name]):.3f} s "
                    f"| {statistics.median(peaks[name]):.0f} MiB |"
                )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
