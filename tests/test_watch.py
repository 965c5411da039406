"""troopmap render --watch: a real process, real file edits, bounded in time."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from geo.errors import DataError, Problem
from geo.watch import Watcher
from tests.conftest import page_data_of

ROOT = Path(__file__).resolve().parent.parent
GOOD = "actor,origin,destination,troops\nUnited States,Germany,Romania,1000\n"
MISTAKE = "actor,origin,destination,troops\nUnited States,Germany,Romania,1000 soldiers\n"
FIXED = "actor,origin,destination,troops\nUnited States,Germany,Romania,1500\n"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is sent as SIGINT")


class Lines:
    """The lines a process prints, read as they come, so a test can wait for one."""

    def __init__(self, stream: IO[str]):
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line with {text!r} in {timeout} s; saw {self.seen}")
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line

    def rest(self) -> list[str]:
        time.sleep(0.2)
        while not self._queue.empty():
            self.seen.append(self._queue.get())
        return self.seen


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Lines, Lines]]:
    (tmp_path / "movements.csv").write_text(GOOD)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", "render", "movements.csv", "-o", "map.html", "--watch"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        yield process, Lines(process.stdout), Lines(process.stderr)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_watch_redraws_on_save_keeps_the_last_good_map_and_stops_on_ctrl_c(
    watching: tuple[subprocess.Popen[str], Lines, Lines], tmp_path: Path
) -> None:
    process, out, err = watching
    csv, page = tmp_path / "movements.csv", tmp_path / "map.html"
    assert out.wait_for("Wrote map.html", timeout=60).endswith(": 1 movement as reported.")
    out.wait_for("Watching movements.csv for changes. Press Ctrl-C to stop.")
    good = page.read_bytes()

    csv.write_text(MISTAKE)  # saved in place, as a text editor does
    assert err.wait_for("Error: movements.csv") == (
        'Error: movements.csv, row 2, column "troops": "1000 soldiers" is not a whole number '
        "of troops. Write only the number: 1000."
    )
    assert err.wait_for("problem found") == (
        "1 problem found; map.html still shows the last good map. Fix it and save again."
    )
    assert page.read_bytes() == good

    saved_as = tmp_path / ".movements.csv.tmp"  # saved by rename, as many editors do
    saved_as.write_text(FIXED)
    os.replace(saved_as, csv)
    saved = time.monotonic()
    out.wait_for("Wrote map.html")
    assert time.monotonic() - saved < 15
    assert "1,500 United States troops" in page.read_text(encoding="utf-8")

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    assert out.rest()[-1] == "Stopped watching."
    assert not [line for line in err.rest() if "Traceback" in line or "Interrupt" in line]


def test_a_save_that_breaks_the_first_render_still_keeps_watching(tmp_path: Path) -> None:
    (tmp_path / "movements.csv").write_text(MISTAKE)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", "render", "movements.csv", "-o", "map.html", "--watch"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None and process.stderr is not None
    out, err = Lines(process.stdout), Lines(process.stderr)
    try:
        assert err.wait_for("problem found", timeout=60) == (
            "1 problem found; no map written yet. Fix it and save again."
        )
        out.wait_for("Watching movements.csv")
        (tmp_path / "movements.csv").write_text(GOOD)
        out.wait_for("Wrote map.html")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_only_the_watched_files_start_a_new_drawing(tmp_path: Path) -> None:
    movements, places, other = (tmp_path / n for n in ("movements.csv", "places.csv", "o.csv"))
    for path in (movements, places, other):
        path.write_text("x\n")
    stop = threading.Event()
    watcher = Watcher(lambda: None, [movements, places], [tmp_path / "map.html"], stop_event=stop)
    batches: queue.Queue[list[Path]] = queue.Queue()

    def collect() -> None:
        for batch in watcher.changes():
            batches.put(batch)

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while batches.empty() and time.monotonic() < deadline:
            other.write_text(f"{time.monotonic()}\n")  # not watched: never reported
            places.write_text(f"{time.monotonic()}\n")
            time.sleep(0.3)
        assert not batches.empty(), "a save of the places file was not seen"
        while not batches.empty():
            assert batches.get() == [places.absolute()]
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


class ScriptedWatcher(Watcher):
    """A watcher whose saves are scripted, to test what it does with each."""

    def __init__(self, saves: list[list[Path]], **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.saves = saves

    def changes(self, since: object = None) -> Iterator[list[Path]]:
        yield from self.saves


def test_a_file_gone_during_a_save_is_waited_for_not_drawn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    movements = tmp_path / "movements.csv"
    movements.write_text(GOOD)
    drawings: list[bool] = []

    def draw() -> None:
        drawings.append(movements.exists())

    def save_then_vanish(since: object = None) -> Iterator[list[Path]]:
        yield [movements.absolute()]
        movements.unlink()
        yield [movements.absolute()]

    watcher = ScriptedWatcher([], draw=draw, files=[movements], outputs=[tmp_path / "m.html"])
    watcher.changes = save_then_vanish  # type: ignore[method-assign]
    assert watcher.run() is True
    assert drawings == [True, True]
    out = capsys.readouterr().out
    assert (
        f"{movements} is gone for now; waiting for it to be saved again." in out
        or "movements.csv is gone for now; waiting for it to be saved again." in out
    )
    assert out.splitlines()[-1] == "Stopped watching."


def test_errors_in_a_save_are_printed_and_the_watch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    movements = tmp_path / "movements.csv"
    movements.write_text(GOOD)
    results = iter(
        [None, DataError([Problem("movements.csv", 2, "troops", "x", "is wrong.")]), None]
    )

    def draw() -> None:
        outcome = next(results)
        if outcome is not None:
            raise outcome

    watcher = ScriptedWatcher(
        [[movements], [movements]],
        draw=draw,
        files=[movements],
        outputs=[tmp_path / "a.html", tmp_path / "b.png"],
    )
    assert watcher.run() is True
    err = capsys.readouterr().err
    assert 'Error: movements.csv, row 2, column "troops": is wrong.' in err
    assert "still show the last good map. Fix it and save again." in err


def test_a_save_read_while_still_being_written_is_drawn_again_not_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    movements = tmp_path / "movements.csv"
    movements.write_text(GOOD[:40])  # the save has begun: half a row
    drawn = []

    def draw() -> None:
        drawn.append(movements.read_text())
        if len(drawn) == 1:  # the rest of the save arrives while the half is read
            movements.write_text(GOOD)
            raise DataError([Problem("movements.csv", 2, "troops", "", "is missing.")])

    watcher = ScriptedWatcher([[movements]], draw=draw, files=[movements], outputs=[])
    assert watcher.run() is True
    assert drawn == [GOOD[:40], GOOD]
    assert "is missing" not in capsys.readouterr().err


def test_a_save_made_while_the_first_map_was_drawn_is_not_missed(tmp_path: Path) -> None:
    movements = tmp_path / "movements.csv"
    movements.write_text(GOOD)
    stop = threading.Event()
    watcher = Watcher(lambda: None, [movements], [tmp_path / "map.html"], stop_event=stop)
    before_the_save = {movements.absolute(): (0, 0)}
    changes = iter(watcher.changes(since=before_the_save))
    try:
        assert next(changes) == [movements.absolute()]
    finally:
        stop.set()
        assert list(changes) == []


def test_watching_a_file_in_a_missing_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from geo.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "nowhere/movements.csv", "--watch"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: cannot watch nowhere: there is no such folder."
    )


def test_saves_into_a_folder_deleted_and_made_again_are_still_seen(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    movements = folder / "movements.csv"
    movements.write_text(GOOD)
    stop = threading.Event()
    watcher = Watcher(lambda: None, [movements], [tmp_path / "map.html"], stop_event=stop)
    batches: queue.Queue[list[Path]] = queue.Queue()

    def collect() -> None:
        for batch in watcher.changes():
            batches.put(batch)

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    try:
        time.sleep(1.0)  # the watch is on
        movements.unlink()
        folder.rmdir()
        time.sleep(1.0)
        folder.mkdir()
        movements.write_text(FIXED)
        deadline = time.monotonic() + 20
        seen: list[list[Path]] = []
        while time.monotonic() < deadline and not seen:
            try:
                seen.append(batches.get(timeout=0.5))
            except queue.Empty:
                continue
        while not batches.empty():
            batches.get()
        assert seen, "the new folder was not watched"
        movements.write_text(GOOD)  # and a later save into it is seen too
        assert batches.get(timeout=20) == [movements.absolute()]
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_csv_replaced_by_a_pipe_is_waited_for_not_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    movements = tmp_path / "movements.csv"
    movements.write_text(GOOD)
    drawings: list[int] = []

    def replaced_by_a_pipe(since: object = None) -> Iterator[list[Path]]:
        movements.unlink()
        os.mkfifo(movements)
        yield [movements.absolute()]

    watcher = ScriptedWatcher(
        [], draw=lambda: drawings.append(1), files=[movements], outputs=[tmp_path / "m.html"]
    )
    watcher.changes = replaced_by_a_pipe  # type: ignore[method-assign]
    assert watcher.run() is True
    assert drawings == [1]  # the first drawing only
    assert (
        "is a pipe or a device now, not a file; waiting for it to be saved again."
        in capsys.readouterr().out
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_watching_a_pipe_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from geo.cli import main

    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "movements.csv")
    result = CliRunner().invoke(main, ["render", "movements.csv", "--watch"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: cannot watch movements.csv: it is not a file that is saved (a pipe or a "
        "device). Give the file itself."
    )


def test_an_error_while_watching_is_printed_with_its_controls_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo.errors import TroopmapError

    movements = tmp_path / "movements.csv"
    movements.write_text(GOOD)
    results = iter([None, TroopmapError("cannot read \u202eVSC.exe\x1b[2J")])

    def draw() -> None:
        outcome = next(results)
        if outcome is not None:
            raise outcome

    watcher = ScriptedWatcher(
        [[movements]], draw=draw, files=[movements], outputs=[tmp_path / "m.html"]
    )
    watcher.run()
    err = capsys.readouterr().err
    assert "Error: cannot read \\u202eVSC.exe\\x1b[2J" in err
    assert "\u202e" not in err and "\x1b" not in err


def test_saving_the_style_file_redraws_the_map_in_its_colours(tmp_path: Path) -> None:
    (tmp_path / "movements.csv").write_text(GOOD)
    (tmp_path / "troopmap.toml").write_text('[colours]\n"United States" = "#112233"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", "render", "movements.csv", "-o", "map.html", "--watch"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None and process.stderr is not None
    out = Lines(process.stdout)
    page = tmp_path / "map.html"
    try:
        out.wait_for("Wrote map.html", timeout=60)
        out.wait_for("Watching movements.csv")
        assert page_data_of(page)["actors"][0]["colour"] == "#112233"
        (tmp_path / "troopmap.toml").write_text('[colours]\n"United States" = "#445566"\n')
        out.wait_for("Wrote map.html")
        assert page_data_of(page)["actors"][0]["colour"] == "#445566"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
