"""Benchmark troopmap against two hand-written folium scripts, in one run, on this machine.

    python tests/benchmarks/run.py                  # 10,000 and 100,000 movements (a few minutes)
    python tests/benchmarks/run.py --quick          # 10,000 only, fewer repeats
    python tests/benchmarks/run.py --million        # also try 1,000,000 rows (troopmap only)

For each dataset (synthetic, seeded: see ``synthetic.py``) it runs, as whole processes and in
turn so that the machine's noise falls on all of them alike:

* ``troopmap render`` (the installed ``troopmap`` command when there is one beside this Python,
  else ``python -m geo`` from the source checkout; the table says which),
* ``folium_scripts/naive.py``: one ``folium.PolyLine`` with a popup per movement,
* ``folium_scripts/skilled.py``: one ``folium.GeoJson`` layer of straight lines, ``GeoJsonPopup``,

and takes the wall time and the peak resident memory of each (``os.wait4``, as ``/usr/bin/time``
does). Then it opens every page in headless Chromium with the network cut off and measures,
inside the page, the time from the start of navigation to the first frame painted after the
flows are drawn. The folium pages load Leaflet from a CDN: the benchmark serves those requests
from the same Leaflet release on disk (``xstatic-leaflet``), and jQuery (which folium's popups
call) from a few-line stand-in, so they can draw offline; their map tiles, Bootstrap and fonts
are refused, like every other request.

Figures are medians of ``--repeat`` runs. The result is a Markdown table on stdout (and in
``--out`` if given), with each target of the design and whether it is met.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

CHROMIUM = os.environ.get("TROOPMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL = ("file:", "data:", "blob:", "about:")
JQUERY_STAND_IN = (
    "window.$ = window.jQuery = function (html) {"
    " var t = document.createElement('template'); t.innerHTML = String(html).trim();"
    " return [t.content.firstChild]; };"
)
DRAWN = {
    "troopmap": "document.querySelector('[data-tm-drawn]') !== null",
    "naive": "document.querySelectorAll('.leaflet-overlay-pane path').length > 0",
    "skilled": "document.querySelector('.leaflet-overlay-pane canvas, "
    ".leaflet-overlay-pane path') !== null",
}


@dataclass
class Run:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    page: Path | None = None
    failed: str = ""

    @property
    def time(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def memory(self) -> float:
        return statistics.median(self.peak_mb) if self.peak_mb else float("nan")


def measure(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS in MB, exit code, stderr tail) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
    return elapsed, usage.ru_maxrss / 1024, process.returncode, "\n".join(tail)


@dataclass
class Troopmap:
    """How the benchmark runs troopmap: its command, environment and working folder."""

    command: list[str]
    env: dict[str, str]
    cwd: Path
    how: str


def install(work: Path) -> Troopmap:
    """``pip install`` this checkout (not editable, without dependencies: they are the ones of
    this Python) into a folder of its own, as a user installs troopmap: modules compiled once,
    data files installed as package data, the ``troopmap`` command a console script."""
    source, target = work / "troopmap-source", work / "troopmap-installed"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "__pycache__", "build", "*.egg-info", "outputs", "tests"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
    )
    shutil.rmtree(source, ignore_errors=True)
    return Troopmap(
        [str(target / "bin" / "troopmap")],
        {"PYTHONPATH": str(target)},
        work,
        "`troopmap` command of a `pip install` of this checkout",
    )


def from_source() -> Troopmap:
    return Troopmap(
        [sys.executable, "-m", "geo"], {}, ROOT, "`python -m geo` from the source checkout"
    )


TROOPMAP: Troopmap = from_source()


def commands(
    kind: str, csv: Path, places: Path, out: Path
) -> tuple[list[str], dict[str, str], Path]:
    if kind == "troopmap":
        return (
            [*TROOPMAP.command, "render", str(csv), "--places", str(places), "-o", str(out)],
            TROOPMAP.env,
            TROOPMAP.cwd,
        )
    script = HERE / "folium_scripts" / f"{kind}.py"
    return [sys.executable, str(script), str(csv), str(places), str(out)], {}, ROOT


def run_processes(
    kinds: Sequence[str],
    csv: Path,
    places: Path,
    work: Path,
    repeat: int,
    log: Callable[[str], None],
) -> dict[str, Run]:
    runs = {kind: Run() for kind in kinds}
    for attempt in range(repeat):
        for kind in kinds:
            run = runs[kind]
            if run.failed:
                continue
            out = work / f"{csv.stem}-{kind}.html"
            command, env, cwd = commands(kind, csv, places, out)
            seconds, peak, code, err = measure(command, cwd, env)
            if code != 0:  # how long it took to say so, and with how much memory, still count
                run.seconds.append(seconds)
                run.peak_mb.append(peak)
                run.failed = f"exit {code}: {err}"
                log(f"  {kind}: FAILED ({run.failed})")
                continue
            run.seconds.append(seconds)
            run.peak_mb.append(peak)
            run.page = out
            log(f"  {kind} #{attempt + 1}: {seconds:.2f} s, {peak:.0f} MB")
    return runs


@dataclass
class PageResult:
    drawn_ms: list[float] = field(default_factory=list)
    short_pan_ms: list[float] = field(default_factory=list)
    long_pan_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def drawn(self) -> float:
        return statistics.median(self.drawn_ms) if self.drawn_ms else float("nan")

    @property
    def short_pan(self) -> float:
        return statistics.median(self.short_pan_ms) if self.short_pan_ms else float("nan")

    @property
    def long_pan(self) -> float:
        return statistics.median(self.long_pan_ms) if self.long_pan_ms else float("nan")


class Chromium:
    """Headless Chromium, network cut off; CDN Leaflet served from disk for the folium pages."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        import xstatic.pkg.leaflet as leaflet

        data = Path(leaflet.BASE_DIR)
        self.leaflet_js = (data / "leaflet.js").read_bytes()
        self.leaflet_css = (data / "leaflet.css").read_bytes()

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        elif "leaflet@" in url and url.endswith("leaflet.js"):
            route.fulfill(body=self.leaflet_js, content_type="text/javascript")
        elif "leaflet@" in url and url.endswith("leaflet.css"):
            route.fulfill(body=self.leaflet_css, content_type="text/css")
        elif "jquery" in url:
            route.fulfill(body=JQUERY_STAND_IN, content_type="text/javascript")
        else:
            route.abort()

    def load(
        self, page_path: Path, kind: str, pan: bool, timeout_s: float
    ) -> tuple[float, float, float]:
        """(ms from navigation start to the first frame after the flows are drawn; the longest
        frame in ms while dragging the map 400 px, then 700 px more; nan when not asked)."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", self._route)
        try:
            page.goto(page_path.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(f"() => {DRAWN[kind]}", polling="raf", timeout=timeout_s * 1000)
            drawn = page.evaluate(
                "new Promise(r => requestAnimationFrame(() => r(performance.now())))"
            )
            short = self._pan(page, 400) if pan else float("nan")
            long = self._pan(page, 700) if pan else float("nan")
        finally:
            context.close()
        if errors:
            raise RuntimeError(f"{page_path.name}: page errors: {errors[:2]}")
        return float(drawn), short, long

    @staticmethod
    def _pan(page, distance: int) -> float:  # type: ignore[no-untyped-def]
        """Drag the map ``distance`` px to the right (and a little down) like a reader, from
        the left of the map where no panel is in the way; the longest frame (ms) from the
        press until 1.5 s after the release, when every redraw is over."""
        page.wait_for_timeout(300)
        page.evaluate("""() => { window.__frames = []; window.__stop = false;
            const tick = (t) => { window.__frames.push(t);
                if (!window.__stop) requestAnimationFrame(tick); };
            requestAnimationFrame(tick); }""")
        page.mouse.move(100, 400)
        page.mouse.down()
        for step in range(1, 21):
            page.mouse.move(100 + distance * step / 20, 400 + 5 * step)
            page.wait_for_timeout(16)
        page.mouse.up()
        page.wait_for_timeout(1500)
        frames = page.evaluate("() => { window.__stop = true; return window.__frames; }")
        gaps = [b - a for a, b in itertools.pairwise(frames)]
        return max(gaps) if gaps else float("nan")


def measure_pages(
    chromium: Chromium, pages: dict[str, Path], repeat: int, pan: bool, log: Callable[[str], None]
) -> dict[str, PageResult]:
    results = {kind: PageResult() for kind in pages}
    for attempt in range(repeat):
        for kind, path in pages.items():
            try:
                drawn, short, long = chromium.load(path, kind, pan and kind != "naive", 180)
            except Exception as error:  # a page that never draws is reported, not fatal
                results[kind].errors.append(str(error).splitlines()[0])
                log(f"  {kind} page: FAILED {results[kind].errors[-1]}")
                continue
            results[kind].drawn_ms.append(drawn)
            if short == short:
                results[kind].short_pan_ms.append(short)
                results[kind].long_pan_ms.append(long)
            log(
                f"  {kind} page #{attempt + 1}: drawn {drawn:.0f} ms"
                + (
                    f", longest frame dragging 400 px {short:.0f} ms, 700 px more {long:.0f} ms"
                    if short == short
                    else ""
                )
            )
    return results


# --- the table ------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return "—" if value != value else f"{value:.2f} s"


def megabytes(value: float) -> str:
    """Peak resident memory, in MiB (ru_maxrss / 1024), as /usr/bin/time users quote it."""
    return "—" if value != value else f"{value:,.0f} MiB"


def size(path: Path | None) -> str:
    if path is None or not path.exists():
        return "—"
    return f"{path.stat().st_size / 1e6:.1f} MB"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


@dataclass
class Row:
    measure: str
    troopmap: str
    naive: str
    skilled: str
    target: str
    met: str


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | troopmap | naive folium | skilled folium | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.measure} | {r.troopmap} | {r.naive} | {r.skilled} | {r.target} | {r.met} |"
        )
    return "\n".join(lines)


def help_time(repeat: int) -> float:
    return statistics.median(
        measure([*TROOPMAP.command, "--help"], TROOPMAP.cwd, TROOPMAP.env)[0] for _ in range(repeat)
    )


def bundled_run(work: Path, repeat: int) -> Run:
    run = Run()
    for _ in range(repeat):
        out = work / "deployments.html"
        elapsed, peak, code, err = measure(
            [*TROOPMAP.command, "render", "-o", str(out)], TROOPMAP.cwd, TROOPMAP.env
        )
        if code != 0:
            run.failed = err
            break
        run.seconds.append(elapsed)
        run.peak_mb.append(peak)
        run.page = out
    return run


def size_rows(
    count: int, runs: dict[str, Run], pages: dict[str, PageResult], big: bool
) -> list[Row]:
    label = f"{count:,} movements"
    tm, naive, skilled = (runs.get(k, Run()) for k in ("troopmap", "naive", "skilled"))
    rows: list[Row] = []

    def cell(run: Run, text: str) -> str:
        return (
            "not run" if not run.seconds and not run.failed else ("failed" if run.failed else text)
        )

    if big:
        ok = tm.time <= skilled.time
        target, met = "no slower than skilled", verdict(ok)
    else:
        faster = naive.time / tm.time
        versus_skilled = tm.time / skilled.time
        target = "≥ 6× faster than naive, ≤ 1.5× skilled"
        met = (
            f"{verdict(faster >= 6 and versus_skilled <= 1.5)} ({faster:.1f}× faster than "
            f"naive, {versus_skilled:.2f}× skilled)"
        )
    rows.append(
        Row(
            f"{label}: CSV → HTML, whole process",
            cell(tm, seconds(tm.time)),
            cell(naive, seconds(naive.time)),
            cell(skilled, seconds(skilled.time)),
            target,
            met,
        )
    )
    limit = 1500 if big else 160
    rows.append(
        Row(
            f"{label}: peak memory (RSS)",
            cell(tm, megabytes(tm.memory)),
            cell(naive, megabytes(naive.memory)),
            cell(skilled, megabytes(skilled.memory)),
            f"≤ {limit:,} MB",
            verdict(tm.memory * 1.048576 <= limit),
        )
    )
    tm_bytes = tm.page.stat().st_size if tm.page and tm.page.exists() else 0
    if big:
        rows.append(
            Row(
                f"{label}: page size",
                size(tm.page),
                size(naive.page),
                size(skilled.page),
                "≤ 25 MB",
                verdict(0 < tm_bytes <= 25e6),
            )
        )
    else:
        per = tm_bytes / count
        rows.append(
            Row(
                f"{label}: HTML bytes per movement",
                f"{per:.0f} ({size(tm.page)})",
                _per(naive.page, count),
                _per(skilled.page, count),
                "≤ 400",
                verdict(0 < per <= 400),
            )
        )
    drawn_limit = 4000 if big else 1000

    def drawn(kind: str) -> str:
        result = pages.get(kind)
        if result is None:
            return "not run"
        if not result.drawn_ms:
            return "never drawn"
        return f"{result.drawn / 1000:.2f} s"

    tm_page = pages.get("troopmap", PageResult())
    rows.append(
        Row(
            f"{label}: page drawn in Chromium",
            drawn("troopmap"),
            drawn("naive"),
            drawn("skilled"),
            f"≤ {drawn_limit / 1000:.0f} s",
            verdict(tm_page.drawn <= drawn_limit),
        )
    )
    if big:

        def pan(kind: str, attribute: str) -> str:
            result = pages.get(kind)
            value = getattr(result, attribute) if result else float("nan")
            return f"{value:.0f} ms" if value == value else "—"

        rows.append(
            Row(
                f"{label}: longest frame while dragging the map 400 px",
                pan("troopmap", "short_pan"),
                "—",
                pan("skilled", "short_pan"),
                "responsive (≤ 100 ms)",
                verdict(tm_page.short_pan <= 100),
            )
        )
        rows.append(
            Row(
                f"{label}: … then 700 px more (past what is drawn: a redraw)",
                pan("troopmap", "long_pan"),
                "—",
                pan("skilled", "long_pan"),
                "(reported)",
                "",
            )
        )
    return rows


def _per(path: Path | None, count: int) -> str:
    if path is None or not path.exists():
        return "—"
    return f"{path.stat().st_size / count:.0f} ({size(path)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="movement counts, comma separated (default 10000,100000)",
    )
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--quick", action="store_true", help="10,000 only, 3 runs")
    parser.add_argument(
        "--naive-big",
        action="store_true",
        help="run the naive script at 100,000 too (minutes, GBs)",
    )
    parser.add_argument(
        "--million", action="store_true", help="also render 1,000,000 rows with troopmap, once"
    )
    parser.add_argument("--work", type=Path, help="keep data and pages here (default: temporary)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--source",
        action="store_true",
        help="run troopmap as `python -m geo` from this checkout instead of installing it first",
    )
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    repeat = 3 if args.quick else args.repeat

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    work = (args.work or Path(tempfile.mkdtemp(prefix="troopmap-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    global TROOPMAP
    TROOPMAP = from_source() if args.source else install(work)
    how = TROOPMAP.how
    log(f"troopmap runs as the {how}; data and pages in {work}")
    rows = []
    help_s = help_time(repeat)
    rows.append(
        Row("`troopmap --help`", seconds(help_s), "", "", "≤ 0.3 s", verdict(help_s <= 0.3))
    )
    bundled = bundled_run(work, repeat)
    rows.append(
        Row(
            "bundled dataset: CSV → HTML, whole process",
            f"{seconds(bundled.time)}, {megabytes(bundled.memory)}, {size(bundled.page)}",
            "",
            "",
            "≤ 2 s",
            verdict(bundled.time <= 2),
        )
    )
    chromium = Chromium()
    try:
        for count in sizes:
            big = count >= 50_000
            csv, places = synthetic.write(count, args.places, args.seed, work)
            log(f"{count:,} movements among {args.places} places:")
            kinds = ["troopmap", "skilled"] + (["naive"] if not big or args.naive_big else [])
            runs = run_processes(
                kinds,
                csv,
                places,
                work,
                1 if big and count > 100_000 else (max(3, repeat - 2) if big else repeat),
                log,
            )
            pages = {k: r.page for k, r in runs.items() if r.page is not None}
            page_results = measure_pages(chromium, pages, 3 if big else repeat, big, log)
            rows.extend(size_rows(count, runs, page_results, big))
        if args.million:
            csv, places = synthetic.write(1_000_000, args.places, args.seed, work)
            log("1,000,000 movements (troopmap only, once):")
            runs = run_processes(["troopmap"], csv, places, work, 1, log)
            run = runs["troopmap"]
            if run.failed:  # the first line of what troopmap said, and how long it took
                said = run.failed.split("\n")[0].replace(str(work) + "/", "").replace("|", "/")
                text = f"{said} ({seconds(run.time)}, {megabytes(run.memory)})"
                met = verdict("Traceback" not in run.failed and "exit 1" in run.failed)
            else:
                text = f"{seconds(run.time)}, {megabytes(run.memory)}, {size(run.page)}"
                met = "yes"
            rows.append(
                Row(
                    "1,000,000 movements: CSV → HTML (time, peak memory, page)",
                    text,
                    "not run",
                    "not run",
                    "a clear message or a working render",
                    met,
                )
            )
            if run.page is not None:
                page = measure_pages(chromium, {"troopmap": run.page}, 1, True, log)["troopmap"]
                rows.append(
                    Row(
                        "1,000,000 movements: page drawn; "
                        "longest frame dragging 400 px, 700 px more",
                        f"{page.drawn / 1000:.1f} s; "
                        f"{page.short_pan:.0f} ms, {page.long_pan:.0f} ms",
                        "",
                        "",
                        "(reported)",
                        "",
                    )
                )
    finally:
        chromium.close()
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    header = (
        f"Medians of {repeat} runs ({machine}; troopmap run as the {how}; "
        f"{args.places} places, seed {args.seed}).\n\n"
    )
    result = header + table(rows)
    print(result)
    if args.out:
        args.out.write_text(result + "\n", encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
