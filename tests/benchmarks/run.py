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

import edit_loop  # noqa: E402
import synthetic  # noqa: E402
from browser import Chromium, PageResult, measure_pages  # noqa: E402

# The targets (docs/performance.md): whole processes as ratios to the skilled folium script
# in the same run, peak memory in MB (10**6 bytes), pages in headless Chromium.
VERSUS_SKILLED = 1.0  # 10,000 movements
BIG_VERSUS_SKILLED = 0.7  # 100,000 movements
PEAK_MB, BIG_PEAK_MB = 160, 500
BIG_PAGE_MB = 12
DRAWN_MS, BIG_DRAWN_MS = 1000, 1500
PAN_FRAME_MS = 50  # the longest frame while the map is dragged
EDIT_LOOP_S, BIG_EDIT_LOOP_S = 0.3, 1.0  # save → new map on disk: bundled, 10,000 movements


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

    versus_skilled = tm.time / skilled.time
    if big:
        target = f"≤ {BIG_VERSUS_SKILLED}× skilled"
        met = f"{verdict(versus_skilled <= BIG_VERSUS_SKILLED)} ({versus_skilled:.2f}× skilled)"
    else:
        faster = naive.time / tm.time
        target = f"≥ 6× faster than naive, ≤ {VERSUS_SKILLED}× skilled"
        met = (
            f"{verdict(faster >= 6 and versus_skilled <= VERSUS_SKILLED)} ({faster:.1f}× "
            f"faster than naive, {versus_skilled:.2f}× skilled)"
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
    limit = BIG_PEAK_MB if big else PEAK_MB
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
                f"≤ {BIG_PAGE_MB} MB",
                verdict(0 < tm_bytes <= BIG_PAGE_MB * 1e6),
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
    drawn_limit = BIG_DRAWN_MS if big else DRAWN_MS

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
            f"≤ {drawn_limit / 1000:g} s",
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
                f"≤ {PAN_FRAME_MS} ms",
                verdict(tm_page.short_pan <= PAN_FRAME_MS),
            )
        )
        rows.append(
            Row(
                f"{label}: … then 700 px more (past what is drawn: a redraw)",
                pan("troopmap", "long_pan"),
                "—",
                pan("skilled", "long_pan"),
                f"≤ {PAN_FRAME_MS} ms",
                verdict(tm_page.long_pan <= PAN_FRAME_MS),
            )
        )
    return rows


def edit_loop_rows(
    work: Path, places: int, seed: int, saves: int, log: Callable[[str], None]
) -> list[Row]:
    """``troopmap render --watch``: the median time from a save of the CSV to the new map on
    disk, for the bundled map and for 10,000 movements (``edit_loop.py``)."""
    csv, places_file = synthetic.write(10_000, places, seed, work)
    rows = []
    for label, path, extra, limit in (
        ("bundled map", ROOT / "datasets" / "deployments.csv", None, EDIT_LOOP_S),
        ("10,000 movements", csv, places_file, BIG_EDIT_LOOP_S),
    ):
        loop = edit_loop.measure(TROOPMAP.command, TROOPMAP.env, path, extra, work, saves)
        log(f"  edit loop, {label}: {loop.seconds} {loop.failed}")
        text = (
            f"failed ({loop.failed})"
            if loop.failed
            else f"{seconds(loop.median)} (slowest {seconds(loop.slowest)})"
        )
        rows.append(
            Row(
                f"edit loop, {label}: save → new map on disk (`--watch`, median of {saves} saves)",
                text,
                "",
                "",
                f"≤ {limit:g} s",
                verdict(not loop.failed and loop.median <= limit),
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
    parser.add_argument(
        "--saves", type=int, default=7, help="saves timed in the edit loop (default 7)"
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
    loads = [os.getloadavg()[0]]
    rows.extend(edit_loop_rows(work, args.places, args.seed, args.saves, log))
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
    loads.append(os.getloadavg()[0])
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    header = (
        f"Medians of {repeat} runs ({machine}; troopmap run as the {how}; "
        f"{args.places} places, seed {args.seed}; load average {loads[0]:.1f} at the start, "
        f"{loads[1]:.1f} at the end).\n\n"
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
