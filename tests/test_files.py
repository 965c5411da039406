"""Outputs: written in one step or not at all, only where the user said, errors in words.

The kill tests run troopmap in a subprocess and end it with SIGKILL, which no program can
catch: what is on disk afterwards is what a crash, a power cut or an impatient user leaves.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo import files
from geo.errors import UsageError
from geo.render import WRITERS, Options, write
from geo.render.motion import is_animation
from tests.conftest import page_data_of

ROOT = Path(__file__).resolve().parent.parent
ANONYMOUS_FILES = hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir()

SMALL = """
actor,origin,destination,troops
United Kingdom,United Kingdom,Estonia,900
"""
# An animation needs a timeline; two small frames keep its runs short.
SMALL_TIMELINE = """
date,actor,origin,destination,troops
2022-02-02,United Kingdom,United Kingdom,Estonia,900
2022-02-03,United Kingdom,United Kingdom,Latvia,150
"""
SMALL_FRAMES = ["--frame-size", "300x300", "--as-of", "2022-02-03"]
SMALL_ANIMATION = Options(frame_size="300x300", as_of=date(2022, 2, 3))


def small_run(suffix: str) -> tuple[str, list[str]]:
    """The CSV and options of a quick run writing ``suffix``."""
    return (SMALL_TIMELINE, SMALL_FRAMES) if is_animation(f"map{suffix}") else (SMALL, [])


def small_options(suffix: str) -> Options | None:
    return SMALL_ANIMATION if is_animation(f"map{suffix}") else None


# Runs `troopmap render CSV -o OUT`, but its first write stops half-way: half the bytes are
# on disk, "writing" is printed, and the process waits to be killed.
PAUSE_MID_WRITE = r"""
import os, sys, time
if sys.argv[3] == "named":
    del os.O_TMPFILE  # as on macOS or a file system without anonymous files
import geo.files as files

class HalfWritten:
    def __init__(self, handle):
        self.handle = handle
    def __getattr__(self, name):
        return getattr(self.handle, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()
    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        os.fsync(self.handle.fileno())
        print("writing", flush=True)
        time.sleep(600)

real = files._temporary_file
def paused(target, mode):
    handle, name = real(target, mode)
    return HalfWritten(handle), name
files._temporary_file = paused

from geo.cli import main
main(["render", sys.argv[1], "-o", sys.argv[2]])
"""


def troopmap(*args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def kill_9(process: subprocess.Popen[str], *, may_have_ended: bool = False) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    ended = (0,) if may_have_ended else ()  # it may finish between a look and the kill
    assert process.returncode in (-signal.SIGKILL, *ended)


def names_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.fixture
def previous_map(invoke: Callable[..., Any], tmp_path: Path) -> Path:
    """A map already published (the bundled dataset) that later runs must not damage."""
    target = tmp_path / "site" / "map.html"
    assert invoke("render", "-o", str(target)).exit_code == 0
    return target


@pytest.mark.parametrize(
    "temporary",
    [
        pytest.param(
            "anonymous",
            marks=pytest.mark.skipif(not ANONYMOUS_FILES, reason="needs O_TMPFILE and /proc"),
        ),
        "named",
    ],
)
def test_kill_9_mid_write_keeps_the_previous_map(
    temporary: str, previous_map: Path, write_csv: Callable[..., Path], invoke: Callable[..., Any]
) -> None:
    before = previous_map.read_bytes()
    process = troopmap("-c", PAUSE_MID_WRITE, str(write_csv(SMALL)), str(previous_map), temporary)
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "writing\n", process.communicate()[1]
        half = being_written(process.pid, previous_map)
        assert half, "the new map should be on disk, half written"
        kill_9(process)
    finally:
        watchdog.cancel()

    assert previous_map.read_bytes() == before
    if temporary == "anonymous":
        assert names_in(previous_map.parent) == ["map.html"]
    else:
        # A killed process cannot clean up after itself; the next write of the map does.
        assert names_in(previous_map.parent) == sorted(["map.html", half[0].name])
        assert invoke("render", str(write_csv(SMALL)), "-o", str(previous_map)).exit_code == 0
        assert names_in(previous_map.parent) == ["map.html"]
        assert previous_map.read_bytes() != before


def being_written(pid: int, target: Path) -> list[Path]:
    """The files beside ``target`` that process ``pid`` has open: a named temporary file, or
    an anonymous one (Linux shows it as "/folder/#inode (deleted)")."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir() if Path(f"/proc/{pid}").exists() else []:
        with _ignored(OSError):
            link = os.readlink(fd)
            if link.startswith(str(target.parent) + os.sep) and Path(link).name != target.name:
                found.append(Path(link.removesuffix(" (deleted)")))
    return found or files.leftovers(target)


class _ignored:
    def __init__(self, *errors: type[BaseException]):
        self.errors = errors

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, self.errors)


# One extension per writer (.png, .svg and .pdf share one): each kill costs a whole run.
ONE_PER_WRITER = sorted({writer: suffix for suffix, writer in sorted(WRITERS.items())}.values())


@pytest.mark.parametrize("suffix", ONE_PER_WRITER)
def test_kill_9_at_any_moment_leaves_the_old_file_or_the_new_one(
    suffix: str, write_csv: Callable[..., Path], invoke: Callable[..., Any], tmp_path: Path
) -> None:
    text, extra = small_run(suffix)
    movements = write_csv(text)
    new = tmp_path / f"new{suffix}"
    result = invoke("render", str(movements), "-o", str(new), *extra)
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "site" / f"map{suffix}"
    assert invoke("render", "-o", str(target), *extra).exit_code == 0
    old = target.read_bytes()
    assert old != new.read_bytes()

    started = time.monotonic()
    process = troopmap("-m", "geo", "render", str(movements), "-o", str(target), *extra)
    process.communicate(timeout=120)
    whole_run = time.monotonic() - started
    target.write_bytes(old)

    for fraction in (0.7, 1.0):
        process = troopmap("-m", "geo", "render", str(movements), "-o", str(target), *extra)
        time.sleep(whole_run * fraction)
        kill_9(process, may_have_ended=True)
        assert target.read_bytes() in (old, new.read_bytes()), fraction
        # Anything else beside the map is a temporary file that the next write removes.
        others = set(target.parent.iterdir()) - {target}
        assert others <= set(files.leftovers(target)), others
        target.write_bytes(old)
    assert invoke("render", str(movements), "-o", str(target), *extra).exit_code == 0
    assert names_in(target.parent) == [target.name]


# --- every writer writes in one step ------------------------------------------------------


@pytest.fixture(scope="module")
def layers() -> Any:
    from geo import pipeline

    return pipeline.layers_for(None)


@pytest.fixture
def audit() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The file openings and renames the process makes while the test runs."""
    events: list[tuple[str, tuple[Any, ...]]] = []
    _AUDIT.append(events)
    yield events
    _AUDIT.remove(events)


_AUDIT: list[list[tuple[str, tuple[Any, ...]]]] = []


def _record(event: str, args: tuple[Any, ...]) -> None:
    if _AUDIT and event in ("open", "os.rename"):
        _AUDIT[-1].append((event, args))


sys.addaudithook(_record)


def _opened_for_writing(args: tuple[Any, ...]) -> bool:
    _, mode, flags = args
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return bool(flags & (os.O_WRONLY | os.O_RDWR))


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_every_writer_replaces_its_file_in_one_step(
    suffix: str, layers: Any, audit: list[tuple[str, tuple[Any, ...]]], tmp_path: Path
) -> None:
    target = tmp_path / f"map{suffix}"

    write(layers, target, small_options(suffix))

    renamed_into_place = [
        args
        for event, args in audit
        if event == "os.rename" and Path(os.fsdecode(args[1])).name == target.name
    ]
    opened_in_place = [
        args
        for event, args in audit
        if event == "open"
        and isinstance(args[0], (str, bytes, os.PathLike))
        and Path(os.fsdecode(args[0])) == target
        and _opened_for_writing(args)
    ]
    assert len(renamed_into_place) == 1
    assert opened_in_place == []
    assert names_in(tmp_path) == [target.name]


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@pytest.mark.parametrize("failing", ["os.fsync", "os.replace"])
def test_a_full_disk_leaves_the_previous_file_and_says_so(
    suffix: str, failing: str, layers: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / f"map{suffix}"
    target.write_bytes(b"the previous map")

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(failing, disk_full)
    with pytest.raises(UsageError, match=r"^cannot write .*map.* \(No space left on device\)\.$"):
        write(layers, target, small_options(suffix))
    monkeypatch.undo()

    assert target.read_bytes() == b"the previous map"
    assert names_in(tmp_path) == [target.name]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system of its own (tmpfs), mounted for the test and unmounted after."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill_until_free(folder: Path, free_kb: int) -> None:
    """Leave only about ``free_kb`` KB free on the file system of ``folder``."""
    (folder / "filler").unlink(missing_ok=True)
    space = os.statvfs(folder)
    filler = space.f_bavail * space.f_frsize - free_kb * 1024
    if filler > 0:
        (folder / "filler").write_bytes(b"\0" * filler)


def test_a_geopackage_on_a_nearly_full_disk_is_whole_or_not_written(
    small_disk: Path, invoke: Callable[..., Any]
) -> None:
    target = small_disk / "map.gpkg"
    assert invoke("render", "-o", str(target)).exit_code == 0
    previous = target.read_bytes()
    outcomes = set()
    for free_kb in range(40, 200, 15):
        fill_until_free(small_disk, free_kb)

        result = invoke("render", "-o", str(target))

        outcomes.add(result.exit_code)
        if result.exit_code == 2:
            assert result.stderr.splitlines()[-1].startswith(
                f"Error: cannot write {target} (the GeoPackage could not be completed: "
            ), (free_kb, result.stderr)
            assert "the disk is nearly full)." in result.stderr
        else:
            assert result.exit_code == 0, (free_kb, result.stderr)
        assert target.read_bytes() == previous, free_kb  # the same data: the same bytes
        assert names_in(small_disk) == ["filler", "map.gpkg"]
    assert outcomes == {0, 2}


def test_an_error_while_writing_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("the previous map")

    with pytest.raises(RuntimeError), files.atomic_output(target) as handle:
        handle.write(b"<html>half")
        raise RuntimeError("the renderer failed")

    assert target.read_text() == "the previous map"
    assert names_in(tmp_path) == ["map.html"]


def test_leftovers_of_ended_processes_are_removed_and_others_kept(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    running = os.getppid()
    (tmp_path / f".map.html.{ended}-0a1b2c3d.tmp").write_text("killed mid-write")
    (tmp_path / f".map.html.{running}-0a1b2c3d.tmp").write_text("still writing")
    (tmp_path / ".other.html.1-0a1b2c3d.tmp").write_text("not ours")

    files.write_text(target, "<html></html>")

    assert names_in(tmp_path) == sorted(
        [".other.html.1-0a1b2c3d.tmp", f".map.html.{running}-0a1b2c3d.tmp", "map.html"]
    )


# --- where troopmap writes ------------------------------------------------------------------


def test_an_output_path_that_is_a_folder_is_refused_before_drawing(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    result = invoke("render", "-o", str(tmp_path))

    assert result.exit_code == 2
    assert f"Error: {tmp_path} is a folder; give a file name such as {tmp_path}/map.html." in (
        result.stderr
    )
    assert "Wrote" not in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_output_path_that_is_a_pipe_is_refused(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    pipe = tmp_path / "map.html"
    os.mkfifo(pipe)

    result = invoke("render", "-o", str(pipe))

    assert result.exit_code == 2
    assert "is not a regular file (a device or a pipe)" in result.stderr
    assert pipe.is_fifo()


def test_an_output_under_a_file_is_refused(invoke: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_text("a file")

    result = invoke("render", "-o", str(tmp_path / "report.pdf" / "map.html"))

    assert result.exit_code == 2
    assert f"{tmp_path}/report.pdf is a file, not a folder." in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_an_output_on_a_missing_drive_is_a_clear_error(invoke: Callable[..., Any]) -> None:
    # /proc takes no new folders, not even from root: like a drive that is not there.
    result = invoke("render", "-o", "/proc/troopmap-missing-drive/maps/map.html")

    assert result.exit_code == 2
    assert (
        "Error: cannot create the folder /proc/troopmap-missing-drive/maps "
        "(No such file or directory)."
    ) in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs /sys")
def test_an_output_where_even_root_cannot_write_is_a_clear_error(
    invoke: Callable[..., Any],
) -> None:
    result = invoke("render", "-o", "/sys/kernel/map.html")

    assert result.exit_code == 2
    assert "Error: cannot write" in result.stderr and "/sys/kernel" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX permissions")
def test_an_output_in_a_read_only_folder_is_a_clear_error(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    open_to_all = Path(tempfile.mkdtemp(prefix="troopmap-"))  # tmp_path may be closed to them
    read_only = open_to_all / "published"
    read_only.mkdir()
    (read_only / "map.html").write_text("the previous map")
    assert invoke("render", "-o", str(tmp_path / "map.html")).exit_code == 0  # imports all
    os.chmod(open_to_all, 0o755)
    os.chmod(read_only, 0o555)
    try:
        exit_code, stderr = invoke_as_ordinary_user("render", "-o", str(read_only / "map.html"))
        assert (read_only / "map.html").read_text() == "the previous map"
        assert names_in(read_only) == ["map.html"]
    finally:
        os.chmod(read_only, 0o755)
        shutil.rmtree(open_to_all)

    assert exit_code == 2, stderr
    assert f"Error: cannot write to {read_only}: permission denied." in stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX permissions")
def test_an_output_in_a_folder_one_may_not_enter_is_a_clear_error(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    assert invoke("render", "-o", str(tmp_path / "map.html")).exit_code == 0  # imports all
    os.chmod(closed, 0o700)
    if os.geteuid() != 0:
        os.chmod(closed, 0o000)
    try:
        exit_code, stderr = invoke_as_ordinary_user("render", "-o", str(closed / "sub" / "m.html"))
    finally:
        os.chmod(closed, 0o700)

    assert exit_code == 2, stderr
    assert "(Permission denied)" in stderr and "Traceback" not in stderr


def invoke_as_ordinary_user(*args: str) -> tuple[int, str]:
    """``troopmap ARGS`` in a forked copy of this process that runs as an ordinary user
    (nobody) when the tests run as root, who may write anywhere. Forked rather than started
    anew: the interpreter may live where nobody cannot read it."""
    import json
    import pwd

    from click.testing import CliRunner

    from geo.cli import main

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(reader)
            if os.geteuid() == 0:
                nobody = pwd.getpwnam("nobody")
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            result = CliRunner().invoke(main, list(args))
            report = {"exit_code": result.exit_code, "stderr": result.stderr}
            if result.exception and not isinstance(result.exception, SystemExit):
                report["stderr"] += f"\nTraceback: {result.exception!r}"
            os.write(writer, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        report = json.loads(pipe.read() or '{"exit_code": -1, "stderr": "the child died"}')
    os.waitpid(pid, 0)
    return report["exit_code"], report["stderr"]


NAMES = ["with spaces", "Карта ünïcødé", "地图", "emoji 🗺️", "quote's & <angle>"]


@pytest.mark.parametrize("name", NAMES)
def test_paths_with_spaces_and_any_script_work_everywhere(
    name: str, invoke: Callable[..., Any], tmp_path: Path
) -> None:
    folder = tmp_path / name
    folder.mkdir()
    movements = folder / f"{name}.csv"
    movements.write_text(
        "actor,origin,destination,troops\nUS,Base " + name + ",Poland,100\n", encoding="utf-8"
    )
    places = folder / f"places {name}.csv"
    places.write_text(f"name,lat,lon\nBase {name},52.0,13.0\n", encoding="utf-8")
    target = folder / "out put" / f"{name}.html"

    result = invoke("render", str(movements), "--places", str(places), "-o", str(target))

    assert result.exit_code == 0, result.output
    assert f"Wrote {target} (" in result.stdout
    data = page_data_of(target)
    assert f"Base {name}" in [data["texts"][i] for i in data["places"]["name"]]
    assert invoke("check", str(movements), "--places", str(places)).exit_code == 0


def test_render_writes_only_the_file_it_was_given(
    invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*")}

    result = invoke("render", "-o", "../out/sub/map.html")

    assert result.exit_code == 0, result.output
    after = {p for p in tmp_path.rglob("*")}
    assert after - before == {
        tmp_path / "out",
        tmp_path / "out" / "sub",
        tmp_path / "out" / "sub" / "map.html",
    }
    assert list(work.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_a_replaced_map_keeps_its_permissions(mode: int, tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("the previous map")
    os.chmod(target, mode)

    files.write_text(target, "<html></html>")

    assert target.stat().st_mode & 0o777 == mode
    assert target.read_text() == "<html></html>"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_map_is_readable_by_all_under_the_usual_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        files.write_text(tmp_path / "map.html", "<html></html>")
        with files.atomic_path(tmp_path / "map.gpkg") as path:
            path.write_bytes(b"data")
    finally:
        os.umask(previous)

    assert (tmp_path / "map.html").stat().st_mode & 0o777 == 0o644
    assert names_in(tmp_path) == ["map.gpkg", "map.html"]
