"""Animations and the live preview, measured: python tests/benchmarks/motion.py

- the bundled timeline (2 to 20 February 2022) as a GIF and as an MP4: whole `troopmap render`
  processes, wall and processor time, peak memory, file size (target: the GIF ≤ 5 MB);
- `render --serve`: from saving the CSV to the new map drawn in headless Chromium (target:
  within a second), for the bundled dataset.

Prints a Markdown table. Every process and the browser are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS  # this folder: the benchmarks' one browser set-up

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def render(output: Path, cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, processor seconds, peak MiB) of one `troopmap render -o output`."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", "render", "-q", "-o", str(output)],
        cwd=cwd,
        env=ENV,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"troopmap render -o {output.name} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def preview_latencies(work: Path, saves: int) -> list[float]:
    """Seconds from each save of the CSV to the new map drawn in the served page."""
    from playwright.sync_api import Error, sync_playwright

    csv = work / "movements.csv"
    text = (ROOT / "datasets" / "deployments.csv").read_text(encoding="utf-8")
    csv.write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geo",
            "render",
            "movements.csv",
            "-o",
            "map.html",
            "--serve",
            "--no-open",
        ],
        cwd=work,
        env=ENV,
        stdout=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(120 + 10 * saves, process.kill)
    watchdog.start()
    assert process.stdout is not None
    try:
        url = ""
        for line in process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found.group() if found else url
            if "Watching" in line:
                break
        threading.Thread(target=process.stdout.read, daemon=True).start()
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("[data-tm-drawn]", state="attached")
            for n in range(saves):
                before = page.evaluate("performance.timeOrigin")
                saved = time.perf_counter()
                csv.write_text(
                    text.replace("~100000", f"~{100_000 + 1000 * (n + 1)}"), encoding="utf-8"
                )
                while time.perf_counter() - saved < 30:
                    try:
                        if page.evaluate("performance.timeOrigin") != before and page.evaluate(
                            "!!document.querySelector('[data-tm-drawn]')"
                        ):
                            break
                    except Error:  # reloading
                        pass
                    time.sleep(0.01)
                times.append(time.perf_counter() - saved)
                time.sleep(0.5)
            browser.close()
        return times
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        watchdog.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (default 3)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="troopmap-motion-"))
    rows = ["| measure | troopmap | target | met |", "|---|---|---|---|"]
    try:
        for name, target in (("deployments.gif", 5_000_000), ("deployments.mp4", None)):
            runs = [render(work / name, work) for _ in range(args.repeat)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = statistics.median(r[2] for r in runs)
            size = (work / name).stat().st_size
            rows.append(
                f"| bundled timeline (19 days, 1080 × 1080) as `{name[-3:].upper()}`: "
                f"whole process | {wall:.1f} s ({cpu:.1f} s processor), {peak:.0f} MiB, "
                f"{size / 1e6:.2f} MB | {'≤ 5 MB' if target else '(reported)'} | "
                f"{('yes' if size <= target else '**no**') if target else ''} |"
            )
        latencies = preview_latencies(work, max(3, args.repeat))
        median = statistics.median(latencies)
        rows.append(
            f"| `render --serve`, bundled dataset: save → new map drawn in Chromium "
            f"(median of {len(latencies)}; slowest {max(latencies):.2f} s) | "
            f"{median:.2f} s | ≤ 1 s | {'yes' if median <= 1 else '**no**'} |"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"Medians of {args.repeat} runs ({os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}).\n"
    )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
