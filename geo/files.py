"""Writing outputs safely: a failed run never leaves a half-written map behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import UsageError


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path``, then rename it over ``path`` in one step.

    If anything fails before the rename, the temporary file is removed and whatever was at
    ``path`` before is untouched.
    """
    target = Path(path)
    prepare_output(target)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
        mode, dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


def prepare_output(target: Path) -> None:
    """Create the parent folders; refuse a folder or an unwritable place with clear words."""
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name such as {target / 'map.html'}.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot create the folder {target.parent} ({error.strerror or error})."
        ) from None
    if not os.access(target.parent, os.W_OK):
        raise UsageError(f"cannot write to {target.parent}: permission denied.")


def write_text(path: str | Path, text: str) -> None:
    with atomic_output(path) as handle:
        handle.write(text.encode("utf-8"))
