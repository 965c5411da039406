"""The GeoNames index: derived the same way every time, and looked up without loading it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from geo.geonames import (
    BLOCKS_FILE,
    CACHE_VARIABLE,
    FILES,
    NAMES_FILE,
    GeoNamesIndex,
    _cities,
    cache_folder,
    derive,
    source_file,
    write_index,
)
from geo.names import loose_key

EXCERPT = 3000  # the first places of the installed cities500 file: Andorra to Afghanistan


@pytest.fixture(scope="module")
def excerpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cities = list(itertools.islice(_cities(source_file()), EXCERPT))
    path = tmp_path_factory.mktemp("geonames") / "cities500-excerpt.json"
    path.write_text(json.dumps({str(c["geonameid"]): c for c in cities}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def index(excerpt: Path, tmp_path_factory: pytest.TempPathFactory) -> GeoNamesIndex:
    folder = tmp_path_factory.mktemp("index")
    write_index(folder, derive(excerpt))
    return GeoNamesIndex(folder)


def test_the_same_source_gives_the_same_bytes(excerpt: Path):
    assert derive(excerpt) == derive(excerpt)


def test_the_names_are_in_loose_key_order(excerpt: Path):
    lines = [line.split("\t") for line in derive(excerpt)[NAMES_FILE].decode().splitlines()]
    assert all(loose == loose_key(key) for loose, key, _ in lines)
    assert [(loose, key) for loose, key, _ in lines] == sorted(
        (loose, key) for loose, key, _ in lines
    )


def test_a_place_is_found_by_its_own_name_and_its_alternate_names(index: GeoNamesIndex):
    own = index.find("soldeu")
    assert [(e.name, e.country, e.primary) for e in own] == [("Soldeu", "AD", True)]
    alternate = index.find("sol deu")  # "Sol'deu", one of its alternate names
    assert [(e.name, e.primary) for e in alternate] == [("Soldeu", False)]


def test_every_name_of_the_excerpt_is_found_again(excerpt: Path, index: GeoNamesIndex):
    keys = [
        line.split("\t")[1] for line in derive(excerpt)[NAMES_FILE].decode("ascii").splitlines()
    ]
    for key in keys[:: max(1, len(keys) // 400)]:  # every block boundary is crossed
        assert index.find(key), key


def test_an_unknown_key_finds_nothing(index: GeoNamesIndex):
    assert index.find("zzzz no such place") == []
    assert index.find("a") == []


def test_the_blocks_point_at_lines_of_the_names_file(excerpt: Path):
    files = derive(excerpt)
    names = files[NAMES_FILE]
    for line in files[BLOCKS_FILE].decode("ascii").splitlines():
        loose, _, offset = line.partition("\t")
        at = int(offset)
        assert at == 0 or names[at - 1 : at] == b"\n"
        assert names[at : names.index(b"\t", at)].decode("ascii") == loose


def test_the_cache_folder_can_be_chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    folder = cache_folder()
    assert folder.parent == tmp_path
    assert folder.name.startswith("geonames-")


def test_the_installed_index_has_every_file():
    folder = GeoNamesIndex().folder
    assert all((folder / name).stat().st_size > 0 for name in FILES)


def test_indexes_of_other_releases_are_kept_a_while_then_removed(tmp_path: Path):
    import os

    from geo.geonames import KEPT_INDEXES, _remove_unused_indexes

    for number in range(KEPT_INDEXES + 2):
        folder = tmp_path / f"geonames-release-{number}"
        write_index(folder, {name: b"x\t0\n" for name in FILES})
        os.utime(folder, (1_000_000 + number, 1_000_000 + number))  # the last, used last
    _remove_unused_indexes(tmp_path)
    kept = sorted(f.name for f in tmp_path.iterdir())
    assert kept == [f"geonames-release-{n}" for n in range(2, KEPT_INDEXES + 2)]
