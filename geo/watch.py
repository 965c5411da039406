"""``troopmap render --watch``: draw the map again each time the movements or places file is saved.

The folders holding the files are watched (with the ``watchfiles`` library), not the files
themselves, so a save that replaces the file (editors that write a copy and rename it,
spreadsheets that delete and rewrite) is seen like any other. When the new file has errors they
are printed and the map written before is left as it was: outputs are replaced only by a
complete new map. Ctrl-C stops watching without a traceback.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from .console import VERBOSE, count, print_problems, say, shown, verbosity
from .errors import DataError, TroopmapError, UsageError

# Changes closer together than this are one save (a spreadsheet writes a file in several
# steps). Short, so the map follows a save at once: a save read while it is still being
# written is not reported (``Watcher.draw_once``), the rest of it starts a new drawing.
STEP_MS = 50
# Changes keep coming (a file copied in slowly): draw at least this often.
DEBOUNCE_MS = 1600
# How often the watch wakes when nothing happens (to notice Ctrl-C and that it has started).
READY_MS = 300


class Watcher:
    """Draws once, then again after each save of one of ``files``, until stopped."""

    def __init__(
        self,
        draw: Callable[[], object],
        files: Sequence[Path],
        outputs: Sequence[Path],
        *,
        stop_event: Any = None,
    ):
        self.draw = draw
        self.files = [Path(os.path.abspath(f)) for f in files]
        self.outputs = list(outputs)
        self.stop_event = stop_event
        self.drawn = False

    def run(self) -> bool:
        """Watch until Ctrl-C (or ``stop_event``); True if the last drawing succeeded."""
        for folder in {f.parent for f in self.files}:
            if not folder.is_dir():
                raise UsageError(f"cannot watch {_shown(folder)}: there is no such folder.")
        unsaved = _not_regular(self.files)
        if unsaved:
            raise UsageError(
                f"cannot watch {_names(unsaved)}: it is not a file that is saved "
                "(a pipe or a device). Give the file itself."
            )
        ok = False
        try:
            before = _stats(self.files)
            ok = self.draw_once()
            for changed in self.changes(since=before):
                say(f"{time.strftime('%H:%M:%S')} {_names(changed)} changed.", dim=True)
                missing = [f for f in self.files if not f.exists()]
                if missing:
                    say(f"{_names(missing)} is gone for now; waiting for it to be saved again.")
                    continue
                unsaved = _not_regular(self.files)
                if unsaved:  # reading a pipe would wait for a writer: the watch would hang
                    say(
                        f"{_names(unsaved)} is a pipe or a device now, not a file; waiting for "
                        "it to be saved again."
                    )
                    continue
                ok = self.draw_once()
        except KeyboardInterrupt:
            pass
        say("Stopped watching.")
        return ok

    def changes(self, since: dict[Path, tuple[int, int]] | None = None) -> Iterable[list[Path]]:
        """Each save, as the list of watched files it changed.

        Once the watch has begun, files that changed after ``since`` (a save made while the
        first map was being drawn, before anything was watched) count as one more save.
        """
        import watchfiles

        # watchfiles logs its own "KeyboardInterrupt caught" line; Ctrl-C needs no comment.
        logging.getLogger("watchfiles").setLevel(logging.ERROR)
        wanted = {_key(f) for f in self.files}
        folders = sorted({str(f.parent) for f in self.files})
        started = False

        def is_watched(_change: object, path: str) -> bool:
            return _key(Path(path)) in wanted

        while True:
            # A folder deleted and made again is a new folder: the watch of the old one sees
            # nothing more, so each folder is watched as long as it is the same one.
            folders_watched = _identities(folders)
            batches = watchfiles.watch(
                *folders,
                watch_filter=is_watched,
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=self.stop_event,
                rust_timeout=READY_MS,
                yield_on_timeout=True,
                raise_interrupt=False,
                recursive=False,
            )
            for batch in _reporting_os_errors(batches, folders):
                if not started:  # the first answer, even "nothing yet", means the watch is on
                    started = True
                    say(f"Watching {_names(self.files)} for changes. Press Ctrl-C to stop.")
                    if since is not None:
                        now = _stats(self.files)
                        missed = [f for f in self.files if now[f] != since.get(f)]
                        if missed:
                            yield missed
                changed = {_key(Path(path)) for _, path in batch}
                if changed:
                    yield [f for f in self.files if _key(f) in changed]
                if _identities(folders) != folders_watched:
                    break
            stopped = self.stop_event is not None and self.stop_event.is_set()
            if stopped or _identities(folders) == folders_watched:
                return  # stopped, or Ctrl-C (which ends the batches)
            if not self._wait_for_folders(folders):
                return
            yield list(self.files)  # saved again into the new folder, perhaps: draw

    def _wait_for_folders(self, folders: Sequence[str]) -> bool:
        """Wait until every folder exists again; False when the watch is stopped first."""
        while not all(os.path.isdir(folder) for folder in folders):
            if self.stop_event is not None and self.stop_event.is_set():
                return False
            time.sleep(READY_MS / 1000)
        return True

    def draw_once(self) -> bool:
        """Draw, and say so; on errors print them and tell what became of the map.

        Errors in a file that changed while it was read are not printed: the save was still
        being written, and its end is another change, which draws again."""
        before = _stats(self.files)
        try:
            self.draw()
        except DataError as error:
            if _stats(self.files) != before:
                return False
            print_problems(error.problems, closing=self._kept(len(error.problems)))
            return False
        except TroopmapError as error:
            click.secho(f"Error: {shown(str(error))}", err=True, fg="red")
            return False
        except KeyboardInterrupt:
            raise
        except Exception as error:  # a watch session outlives one bad save
            if verbosity() >= VERBOSE:
                traceback.print_exc()
            click.secho(
                f"Error: the map could not be drawn ({type(error).__name__}: "
                f"{shown(str(error))}). "
                "Waiting for the next save.",
                err=True,
                fg="red",
            )
            return False
        self.drawn = True
        return True

    def _kept(self, problems: int) -> str:
        found = f"{count(problems, 'problem')} found"
        fix = "Fix it and save again." if problems == 1 else "Fix them and save again."
        if not self.drawn and not all(path.exists() for path in self.outputs):
            return f"{found}; no map written yet. {fix}"
        return (
            f"{found}; {_names(self.outputs)} still "
            f"{'shows' if len(self.outputs) == 1 else 'show'} the last good map. {fix}"
        )


def _reporting_os_errors(
    batches: Iterator[set[tuple[Any, str]]], folders: Sequence[str] = ()
) -> Iterator[set[tuple[Any, str]]]:
    """The system may refuse to watch (too many watches): say so in words. A watched folder
    that was removed ends the batches instead; the caller watches it again once it is back."""
    try:
        yield from batches
    except OSError as error:
        if not all(os.path.isdir(folder) for folder in folders):
            return
        raise TroopmapError(f"cannot watch the files any more ({error}).") from None


def _identities(folders: Sequence[str]) -> list[tuple[int, int] | None]:
    """Which folder each path is (device and inode), None for one that is gone."""
    found: list[tuple[int, int] | None] = []
    for folder in folders:
        try:
            stat = os.stat(folder)
        except OSError:
            found.append(None)
        else:
            found.append((stat.st_dev, stat.st_ino))
    return found


def _not_regular(paths: Sequence[Path]) -> list[Path]:
    """Those of ``paths`` that exist but are not regular files (a pipe, a device)."""
    return [p for p in paths if p.exists() and not p.is_file()]


def watched_files(csv: Path, places: Sequence[Path]) -> list[Path]:
    return list(dict.fromkeys([csv, *places]))


def _stats(paths: Sequence[Path]) -> dict[Path, tuple[int, int]]:
    stats: dict[Path, tuple[int, int]] = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stats[path] = (-1, -1)
        else:
            stats[path] = (stat.st_mtime_ns, stat.st_size)
    return stats


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _names(paths: Sequence[Path]) -> str:
    names = [_shown(p) for p in paths]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
