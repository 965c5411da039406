"""Reading a text file as people save it: the bytes (from a file, a pipe or standard input,
within a size limit), their encoding, control characters, and the delimiter.

Shared by every text file troopmap reads: the movements CSV (``geo.dataset``), places files
(``geo.gazetteer``), lists of names (``geo.lookup``) and, for the bytes, workbooks
(``geo.spreadsheet``). It knows nothing of what the file holds.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

# Limits that keep memory and time bounded whatever the input: a file of 200 MB stops at once
# with a message (the scale targets are met up to 100,000 movements).
MAX_FILE_BYTES = 100_000_000
SPLIT_ADVICE = "Split it into several files (by date, region or actor) and draw one map each."
STANDARD_INPUT = "-"
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOT_CONTROL_BYTES = bytes(
    b for b in range(256) if not _CONTROL_CHARACTERS.match(chr(b)) or b > 0x7F
)


def file_error(name: str, message: str, suggestion: str = "", line: int | None = None) -> DataError:
    """The DataError of a file that cannot be read (at ``line``, when one is known)."""
    return DataError([Problem(name, line, None, None, message, suggestion)])


def csv_error(name: str, line: int, error: Exception) -> DataError:
    """The DataError of text Python's csv module cannot read (``error`` is its csv.Error)."""
    return file_error(
        name, f"cannot be read as CSV ({error}).", "Check for an unclosed quote.", line
    )


def read_text(path: str | Path, name: str) -> str:
    """The text of a file, decoded (see :func:`decode`) and without control characters; a
    DataError in plain words when it cannot be read (see :func:`read_file_bytes`)."""
    return remove_control_characters(decode(read_file_bytes(path, name)))[0]


# The bytes read from each pipe, device or standard input, by which one it is: they can be
# read only once, and the workbook sniff, the places check and the gazetteer each read a file.
_STREAMED: dict[tuple[object, ...], tuple[object, bytes]] = {}


def read_file_bytes(path: str | Path, name: str) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES of them (also from a pipe or a device that
    never ends), or a DataError in plain words (not found, a folder, unreadable, too large).

    ``-`` is standard input. A pipe (``/dev/stdin``, ``<(...)``, a named pipe) is read once;
    later reads of the same path in this process get the same bytes.
    """
    key = None if is_regular_file(path) else _stream_key(path)
    if key in _STREAMED:
        return _STREAMED[key][1]
    try:
        with _opened(path) as handle:
            # A regular file says its size: one too large is refused before it is read (a
            # million rows would otherwise take a hundred MB to turn away).
            size = _regular_size(handle)
            too_large = size is not None and size > MAX_FILE_BYTES
            raw = b"" if too_large else handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise file_error(name, "file not found.") from None
    except IsADirectoryError:
        raise file_error(name, "is a folder, not a CSV file.") from None
    except OSError as error:
        raise file_error(name, f"cannot be read ({error.strerror or error}).") from None
    if too_large or len(raw) > MAX_FILE_BYTES:
        raise file_error(
            name,
            f"is larger than {MAX_FILE_BYTES // 1_000_000:,} MB, the most troopmap reads.",
            SPLIT_ADVICE,
        )
    if key is not None:  # standard input (a pipe, or a file after <), or a pipe
        _STREAMED[key] = (sys.stdin if str(path) == STANDARD_INPUT else None, raw)
    return raw


def _stream_key(path: str | Path) -> tuple[object, ...]:
    """Which pipe or device ``path`` is now: its device and inode (a pipe's are its own
    while it is open), or for an in-memory standard input the object itself (kept alive
    with the bytes, so its id is not reused)."""
    try:
        if str(path) == STANDARD_INPUT:
            known = os.fstat(sys.stdin.buffer.fileno())
        else:
            known = os.stat(path)
    except (OSError, ValueError, AttributeError):
        return (str(path), id(sys.stdin))
    return (str(path), known.st_dev, known.st_ino)


def is_regular_file(path: str | Path) -> bool:
    """False for ``-`` (standard input), a pipe or a device; True for a file, and for a path
    that does not exist (its reader says so in words)."""
    if str(path) == STANDARD_INPUT:
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _regular_size(handle: Any) -> int | None:
    """The size of an open regular file; None for a pipe, a device or an in-memory stream."""
    try:
        known = os.fstat(handle.fileno())
    except (OSError, ValueError):  # a stream with no file behind it (a test's standard input)
        return None
    return known.st_size if stat.S_ISREG(known.st_mode) else None


@contextlib.contextmanager
def _opened(path: str | Path) -> Iterator[Any]:
    """The file to read, in binary: standard input for ``-`` (left open afterwards)."""
    if str(path) == STANDARD_INPUT:
        yield sys.stdin.buffer
        return
    with open(path, "rb") as handle:
        yield handle


def decode(raw: bytes) -> str:
    """Decode a CSV as spreadsheets save it: UTF-8 (BOM or not), UTF-16 (BOM or not), else
    cp1252; see :func:`decode_lines`."""
    return decode_lines(raw)[0]


def decode_lines(raw: bytes) -> tuple[str, list[int]]:
    """The text of a CSV, and the numbers of the lines read as cp1252 in a UTF-8 file.

    A file in UTF-8 (with or without BOM) or UTF-16 is read as such; a file with no UTF-8 in
    it as cp1252 (Excel's "CSV" on Windows). A UTF-8 file with a few lines that are not (a
    line pasted from elsewhere) keeps its UTF-8: only those lines are read as cp1252, and
    their numbers are returned so that they can be named.
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), []
    utf16 = _utf16_without_bom(raw[:4096])
    if utf16:
        return raw.decode(utf16, errors="replace"), []
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    odd: list[int] = []
    utf8 = 0  # lines with letters beyond ASCII that are UTF-8
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            lines.append(_single_byte(line))
            odd.append(number)
    if bom or utf8 >= len(odd):  # mostly UTF-8: a few lines pasted from elsewhere
        return "\n".join(lines), odd
    return _single_byte(raw), []


def _single_byte(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined
        return raw.decode("latin-1")


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the bytes look like mostly-ASCII UTF-16 text."""
    if len(head) < 4 or len(head) % 2 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd * 2 > len(head) // 2 and not even:
        return "utf-16-le"
    if even * 2 > len(head) // 2 and not odd:
        return "utf-16-be"
    return None


def remove_control_characters(text: str) -> tuple[str, int]:
    """The text without control characters (tab and line breaks stay), and how many there were.

    They show as nothing or as boxes on a map, are not allowed in XML outputs, and in an error
    message they could drive the terminal that prints it.
    """
    if not _may_hold_controls(text):
        return text, 0
    return _CONTROL_CHARACTERS.subn("", text)


def _may_hold_controls(text: str) -> bool:
    """False when ``text`` surely holds no control character: found in its UTF-8 bytes by a
    table, twice as fast as the pattern (U+0080 to U+009F start with byte C2, as do a few
    letters: then the pattern looks)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a caller's string
        return True
    return bool(data.translate(None, _NOT_CONTROL_BYTES)) or b"\xc2" in data


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab, judged from the header line (the first
    line that is neither blank nor a ``#`` comment)."""
    header = next(
        (line for line in text_lines(text) if line.strip() and not line.lstrip().startswith("#")),
        "",
    )
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` gives them
    to the csv module, without the copy of the whole text StringIO makes (four bytes a
    character: for a 100 MB file, 400 MB)."""
    if old_mac_line_ends(text):  # StringIO knows them
        yield from io.StringIO(text, newline="")
        return
    start, find, size = 0, text.find, len(text)
    while start < size:
        end = find("\n", start) + 1 or size
        yield text[start:end]
        start = end


def old_mac_line_ends(text: str) -> bool:
    """Whether a line of ``text`` ends with a carriage return alone, as on old Macs."""
    return "\r" in text and text.count("\r") != text.count("\r\n")
