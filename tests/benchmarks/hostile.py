"""Benchmark of hostile and broken files: how long troopmap takes to turn them away or list
their problems, and with how much memory (the limits of ``geo.reading`` and ``geo.dataset``).

    python tests/benchmarks/hostile.py [--repeat 3]

Each case is a whole ``python -m geo`` process (peak resident memory by ``os.wait4``), run in
turn with the others; the result is a Markdown table of medians with each target. What the
user reads (exit code, message) is checked by tests/test_fuzz.py, not here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path], None]
    command: str  # "check" or "render"
    seconds: float  # targets
    megabytes: float


def every_row_wrong(path: Path) -> None:
    path.write_text("actor,origin,destination,troops\n" + "United States,Germany,,lots\n" * 20_000)


def a_million_rows(path: Path) -> None:
    path.write_text(
        "actor,origin,destination,troops\n" + "United States,Germany,Poland,1000\n" * 1_000_000
    )


def two_hundred_mb(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.write(b"actor,origin,destination,troops\n")
        handle.truncate(200_000_000)  # sparse


CASES = (
    Case(
        "20,000 rows, every one wrong: check lists 40,000 problems",
        every_row_wrong,
        "check",
        10,
        400,
    ),
    Case("1,000,000 rows: render refuses them", a_million_rows, "render", 30, 600),
    Case("a file of 200 MB: check refuses it", two_hundred_mb, "check", 30, 300),
)


def measure(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines = [
        f"Medians of {args.repeat} runs ({os.cpu_count()} cores, Python {sys.version.split()[0]}).",
        "",
        "| file | time | peak memory | exit | target | met |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="troopmap-hostile-") as work:
        folder = Path(work)
        results: dict[str, list[tuple[float, float, int]]] = {case.name: [] for case in CASES}
        for case in CASES:
            case.write(folder / f"{case.write.__name__}.csv")
        for attempt in range(args.repeat):
            for case in CASES:
                path = folder / f"{case.write.__name__}.csv"
                command = [sys.executable, "-m", "geo", case.command, str(path)]
                if case.command == "render":
                    command += ["-o", str(folder / "map.html")]
                result = measure(command)
                results[case.name].append(result)
                print(f"#{attempt + 1} {case.name}: {result}", file=sys.stderr, flush=True)
        for case in CASES:
            seconds = statistics.median(r[0] for r in results[case.name])
            peak = statistics.median(r[1] for r in results[case.name])
            codes = sorted({r[2] for r in results[case.name]})
            met = seconds <= case.seconds and peak <= case.megabytes and codes == [1]
            lines.append(
                f"| {case.name} | {seconds:.2f} s | {peak:.0f} MiB | {codes} "
                f"| ≤ {case.seconds:.0f} s, ≤ {case.megabytes:.0f} MiB, exit 1 "
                f"| {'yes' if met else '**no**'} |"
            )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
