"""Lighthouse (mobile preset) on the bundled page, as a phone reader meets it.

    python tests/benchmarks/lighthouse.py              # 3 runs, medians
    python tests/benchmarks/lighthouse.py --runs 5 --page maps/other.html

It draws the bundled map with ``troopmap render`` (unless ``--page`` names a page already
drawn), serves it on 127.0.0.1 from a small HTTP server that gzips it as any web host does
(``--no-gzip`` serves it as it is), and runs the npm ``lighthouse`` command against it with
Debian's Chromium, headless. Lighthouse's mobile preset simulates a mid-range phone on a slow
4G connection (150 ms round trip, 1.6 Mbit/s, CPU slowed four times). The page asks nothing
of the network, so the server sees one request per run.

``lighthouse`` is not needed by the test suite, so it is not in ``package.json``: the first
run installs the pinned release (``npm install --no-save``), which takes a few seconds.

It prints the four category scores, first contentful paint, total blocking time, largest
contentful paint and the page's weight (as written, and as sent), each the median of the
runs, as a Markdown table; ``--out FILE`` also writes it there, ``--reports DIR`` keeps each
run's full Lighthouse report. On stderr, each run's audits below full marks and its long tasks.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LIGHTHOUSE = "lighthouse@12.2.3"  # 13 wants Node 22
CHROMIUM = os.environ.get("TROOPMAP_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP",
    "total-blocking-time": "TBT",
    "largest-contentful-paint": "LCP",
    "speed-index": "Speed index",
}
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
# Why an audit known to miss does (printed under the table); none at present. (robots-txt
# used to: Lighthouse reads robots.txt from inside the page, GoogleChrome/lighthouse#4386, and
# the page's policy now lets it read that one address, geo/render/html.py.)
MISSED_WHY: dict[str, str] = {}


def lighthouse_command() -> list[str]:
    """The ``lighthouse`` command of this checkout's node_modules, installed when missing."""
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print(f"installing {LIGHTHOUSE} (npm install --no-save) ...", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", LIGHTHOUSE],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return [str(binary)]


def render_bundled(folder: Path) -> Path:
    """The bundled map, drawn by this checkout's troopmap."""
    page = folder / "deployments.html"
    subprocess.run(
        [sys.executable, "-m", "geo", "render", "-o", str(page)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return page


class PageServer:
    """One page on 127.0.0.1, gzipped when the browser accepts it (as web hosts do)."""

    def __init__(self, page: Path, compress: bool):
        body = page.read_bytes()
        self.sent = gzip.compress(body, mtime=0) if compress else body
        sent, encoded = self.sent, compress

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path not in ("/", "/index.html"):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if encoded:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(sent)))
                self.end_headers()
                self.wfile.write(sent)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def run_lighthouse(command: list[str], url: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run: the category scores (0-100), the metrics (ms) and, under
    ``"missed"``, the audits of the other categories than performance that did not pass."""
    subprocess.run(
        [
            *command,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=300,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("runtimeError"):
        raise SystemExit(f"lighthouse: {result['runtimeError']}")
    values: dict[str, Any] = {
        name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES
    }
    values["missed"] = sorted(
        ref["id"]
        for name in CATEGORIES
        if name != "performance"
        for ref in result["categories"][name]["auditRefs"]
        if ref.get("weight") and result["audits"][ref["id"]].get("score") not in (None, 1)
    )
    for audit in METRICS:
        values[audit] = result["audits"][audit]["numericValue"]
    failed = [
        audit["id"]
        for audit in result["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    print("  below full marks: " + (", ".join(sorted(failed)) or "none"), file=sys.stderr)
    tasks = result["audits"]["long-tasks"].get("details", {}).get("items", [])
    print("  long tasks (ms): " + ", ".join(f"{t['duration']:.0f}" for t in tasks), file=sys.stderr)
    return values


def table(runs: list[dict[str, Any]], written: int, sent: int, compress: bool) -> str:
    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    rows = ["| measure | median | runs | target |", "|---|---|---|---|"]
    for name in CATEGORIES:
        each = ", ".join(str(int(run[name])) for run in runs)
        rows.append(f"| {name} | {median(name):.0f} | {each} | ≥ {TARGETS[name]} |")
    for audit, label in METRICS.items():
        each = ", ".join(f"{run[audit] / 1000:.2f}" for run in runs)
        rows.append(f"| {label} | {median(audit) / 1000:.2f} s | {each} | |")
    rows.append(f"| page as written | {written / 1000:.1f} KB | | ≤ 350 KB |")
    rows.append(
        f"| page as sent ({'gzip' if compress else 'not compressed'}) | {sent / 1000:.1f} KB | | |"
    )
    missed = sorted({audit for run in runs for audit in run["missed"]})
    for audit in missed:
        count = sum(audit in run["missed"] for run in runs)
        note = MISSED_WHY.get(audit, "")
        rows.append(f"\nNot passed in {count} of {len(runs)} runs: `{audit}`. {note}".rstrip())
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", type=Path, help="a page already drawn (default: the bundled map)")
    parser.add_argument(
        "--no-gzip", dest="gzip", action="store_false", help="serve the page uncompressed"
    )
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--reports", type=Path, help="keep Lighthouse's JSON report of each run in this folder"
    )
    args = parser.parse_args(argv)
    command = lighthouse_command()
    with tempfile.TemporaryDirectory(prefix="troopmap-lighthouse-") as folder:
        work = Path(folder)
        page = args.page or render_bundled(work)
        runs = []
        with PageServer(page, args.gzip) as server:
            for number in range(args.runs):
                print(f"run {number + 1} of {args.runs}: {server.url}", file=sys.stderr)
                report = (args.reports or work) / f"lighthouse-{number + 1}.json"
                report.parent.mkdir(parents=True, exist_ok=True)
                runs.append(run_lighthouse(command, server.url, report))
            sent = len(server.sent)
        result = table(runs, page.stat().st_size, sent, args.gzip)
    print(result)
    if args.out:
        args.out.write_text(result + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
