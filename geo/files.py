"""Writing outputs safely: a failed run never leaves a half-written map behind.

Every output is written beside its target and renamed over it in one step, so a reader (or a
web server) sees the old map or the new one, never a part. Where the system allows it (Linux),
the file being written has no name at all until it is complete: a run killed with ``kill -9``
leaves nothing behind. Elsewhere it has a hidden temporary name, and a later run removes what
a killed one left.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import UsageError

# Errors of the disk rather than of the program: said in words, not as a traceback.
_DISK_ERRORS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EFBIG,
    errno.EIO,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
}


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """A file to write ``path``'s new content to; it replaces ``path`` in one step at the end.

    If anything fails before that, whatever was at ``path`` stays untouched and no temporary
    file is left. ``mode`` is ``"wb"`` or ``"w"`` (UTF-8 text).
    """
    target = Path(path)
    prepare_output(target)
    remove_leftovers(target)
    with _disk_errors(target):
        handle, named = _temporary_file(target, mode)
    finished = named  # where the complete file is, just before the rename
    try:
        with handle:
            try:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as error:
                if error.errno in _DISK_ERRORS:
                    raise _cannot_write(target, error) from None
                raise
            _keep_mode(target, handle.fileno())
            if named is None:  # an anonymous file: give it a name only now that it is whole
                finished = _temporary_name(target)
                with _disk_errors(target):
                    _link_anonymous(handle.fileno(), finished)
        assert finished is not None
        with _disk_errors(target):
            os.replace(finished, target)
    except BaseException:
        if finished is not None:
            with contextlib.suppress(OSError):
                os.unlink(finished)
        raise
    _sync_folder(target.parent)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same extension) for writers that want a file name,
    such as GDAL; it replaces ``path`` in one step at the end, or is removed on failure."""
    target = Path(path)
    prepare_output(target)
    remove_leftovers(target)
    temporary = _temporary_name(target, suffix=target.suffix)
    try:
        yield temporary
        with _disk_errors(target):
            if os.path.exists(temporary):
                _keep_mode(target, temporary)
                _sync_file(temporary)  # on disk before the rename, as atomic_output does
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def prepare_output(target: Path) -> None:
    """Create the parent folders; refuse a folder or an unwritable place with clear words."""
    refuse_non_file(target)
    with _disk_errors(target):  # a folder on the way that the user may not enter
        in_the_way = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if in_the_way is not None:
        raise UsageError(f"cannot write {target}: {in_the_way} is a file, not a folder.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot create the folder {target.parent} ({error.strerror or error})."
        ) from None
    if not os.access(target.parent, os.W_OK):
        raise UsageError(f"cannot write to {target.parent}: permission denied.")


def refuse_non_file(target: Path) -> None:
    """UsageError when ``target`` is a folder, or a device or pipe that a rename would
    replace rather than write to."""
    with _disk_errors(target):
        kind = target.stat().st_mode if target.exists() else None
    if kind is not None and stat.S_ISDIR(kind):
        raise UsageError(f"{target} is a folder; give a file name such as {target / 'map.html'}.")
    if kind is not None and not stat.S_ISREG(kind):
        raise UsageError(
            f"{target} is not a regular file (a device or a pipe); give a file "
            "name such as map.html."
        )


def refuse_inputs_as_outputs(targets: Iterable[Path], inputs: Iterable[Path | None]) -> None:
    """UsageError when an output is one of the files the map is read from: writing the map
    there would replace the data it was drawn from."""
    existing = [Path(p) for p in inputs if p is not None and str(p) != "-"]
    for target in targets:
        for source in existing:
            with contextlib.suppress(OSError):
                if target.exists() and os.path.samefile(target, source):
                    raise UsageError(
                        f"-o {target}: that is the file the map is read from; "
                        "writing the map there would replace it. Give the map "
                        "another name."
                    )


def write_text(path: str | Path, text: str) -> None:
    with atomic_output(path) as handle:
        handle.write(text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def leftovers(target: Path) -> list[Path]:
    """Temporary files that writes of ``target`` left beside it (killed runs, on systems
    without anonymous files), with the id of the process that made each."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)-[0-9a-f]+\.tmp(\.\w+)?$")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    return [target.parent / n for n in names if pattern.match(n)]


def remove_leftovers(target: Path) -> None:
    """Remove the temporary files of earlier writes of ``target`` whose process has ended."""
    for path in leftovers(target):
        pid = int(path.name[len(target.name) + 2 :].split("-", 1)[0])
        if not _running(pid):
            with contextlib.suppress(OSError):
                path.unlink()


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # no safe way to ask: keep the file
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _temporary_name(target: Path, suffix: str = "") -> Path:
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp{suffix}"


def _temporary_file(target: Path, mode: str) -> tuple[IO[Any], Path | None]:
    """An open file in ``target``'s folder, and its name (None: it has none yet)."""
    encoding = None if "b" in mode else "utf-8"
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, 0o644)
        except OSError:  # a file system without anonymous files: use a named one
            pass
        else:
            return os.fdopen(fd, mode, encoding=encoding), None
    name = _temporary_name(target)
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(name, flags, 0o644), mode, encoding=encoding), name


def _keep_mode(target: Path, new: int | Path) -> None:
    """Give the new file the permissions of the one it replaces: a map a web server may read
    stays readable. (A new map gets the usual rw-r--r--, less what the umask takes away.)"""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return
    if isinstance(new, int):
        os.fchmod(new, mode)
    else:
        os.chmod(new, mode)


def _link_anonymous(fd: int, name: Path) -> None:
    """linkat(2) with AT_SYMLINK_FOLLOW on /proc/self/fd/N, as open(2) describes for
    O_TMPFILE (a folder descriptor makes Python call linkat, not link)."""
    folder = os.open(name.parent, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


@contextlib.contextmanager
def _disk_errors(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise _cannot_write(target, error) from None


def _cannot_write(target: Path, error: OSError) -> UsageError:
    return UsageError(f"cannot write {target} ({error.strerror or error}).")


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
