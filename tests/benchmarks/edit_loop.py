"""The edit loop: how long from a save of the CSV to the new map on disk, under ``--watch``.

    python tests/benchmarks/edit_loop.py                 # the bundled map and 10,000 movements
    python tests/benchmarks/edit_loop.py --saves 9

Starts ``troopmap render CSV -o map.html --watch`` as a user does, waits until it watches, then
saves the CSV again and again as an editor does (the whole file written in place, one row's
troops changed each time) and times each save until the map on disk is replaced (troopmap writes
it to a temporary file and renames it, so the file's identity changes at once, never half
written). Reports the median of the saves, and the slowest.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SETTLE_S = 0.7  # between saves: a user does not save twice in a second


@dataclass
class EditLoop:
    """Seconds from each save to the new map on disk."""

    seconds: list[float] = field(default_factory=list)
    failed: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def slowest(self) -> float:
        return max(self.seconds) if self.seconds else float("nan")


def _lines(stream: io.TextIOBase, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


def _identity(path: Path) -> tuple[int, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _edited(text: str, save: int) -> str:
    """The CSV with the troops of one row changed (a different row at each save)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [name.strip().lower() for name in rows[0]]
    column = header.index("troops")
    row = rows[1 + save % (len(rows) - 1)]
    digits = "".join(c for c in row[column] if c.isdigit()) or "0"
    row[column] = str(int(digits) + 10)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def measure(
    command: list[str],
    env: dict[str, str],
    csv_path: Path,
    places: Path | None,
    work: Path,
    saves: int = 7,
    timeout_s: float = 120.0,
) -> EditLoop:
    """Run ``command render CSV --watch`` in ``work`` and time ``saves`` saves of the CSV."""
    result = EditLoop()
    folder = Path(tempfile.mkdtemp(prefix="edit-", dir=work))
    own_csv = folder / "movements.csv"
    shutil.copyfile(csv_path, own_csv)
    out = folder / "map.html"
    arguments = [*command, "render", str(own_csv), "-o", str(out), "--watch", "--quiet"]
    if places is not None:
        arguments[len(command) + 2 : len(command) + 2] = ["--places", str(places)]
    process = subprocess.Popen(
        arguments,
        cwd=folder,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    said: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=_lines, args=(process.stdout, said), daemon=True).start()
    try:
        deadline = time.monotonic() + timeout_s
        while _identity(out) == (0, 0, 0):  # the first map
            if time.monotonic() > deadline or process.poll() is not None:
                result.failed = "the first map was never written"
                return result
            time.sleep(0.02)
        time.sleep(2 * SETTLE_S)  # the watch begins once the first map is written
        text = own_csv.read_text(encoding="utf-8")
        for save in range(saves):
            text = _edited(text, save)
            before = _identity(out)
            started = time.perf_counter()
            own_csv.write_text(text, encoding="utf-8")  # in place, as a text editor saves
            while _identity(out) == before:
                if time.perf_counter() - started > timeout_s or process.poll() is not None:
                    result.failed = f"save {save + 1}: no new map in {timeout_s:.0f} s"
                    return result
                time.sleep(0.002)
            result.seconds.append(time.perf_counter() - started)
            time.sleep(SETTLE_S)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    import synthetic

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=7, help="saves timed per map (default 7)")
    parser.add_argument("--count", type=int, default=10_000, help="movements of the large map")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="troopmap-edit-"))
    command = [sys.executable, "-m", "geo"]
    env = {"PYTHONPATH": str(ROOT)}
    try:
        bundled = ROOT / "datasets" / "deployments.csv"
        csv_path, places = synthetic.write(args.count, 500, 1, work)
        for name, path, extra in (
            ("bundled map", bundled, None),
            (f"{args.count:,} movements", csv_path, places),
        ):
            loop = measure(command, env, path, extra, work, args.saves)
            if loop.failed:
                print(f"{name}: FAILED ({loop.failed})")
                continue
            print(
                f"{name}: save → new map on disk {loop.median:.2f} s (median of "
                f"{len(loop.seconds)} saves; slowest {loop.slowest:.2f} s)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
