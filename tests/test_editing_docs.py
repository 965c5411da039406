"""docs/editing.md tells the truth: its rows pass check, its commands print what it shows."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from geo import pipeline
from geo.gazetteer import read_places
from geo.paths import bundled_dataset

DOCS = Path(__file__).resolve().parent.parent / "docs" / "editing.md"
TEXT = DOCS.read_text(encoding="utf-8")
CSV_BLOCKS = re.findall(r"```csv\n(.*?)```", TEXT, re.S)
CONSOLE_BLOCKS = re.findall(r"```console\n(.*?)```", TEXT, re.S)


def _examples() -> list[str]:
    return [block for block in CSV_BLOCKS if not block.startswith("name,")]


@pytest.mark.parametrize("block", _examples(), ids=lambda b: b.splitlines()[1][:40])
def test_every_example_row_passes_check(
    block: str, invoke: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "example.csv"
    path.write_text(block, encoding="utf-8")
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.stdout


def test_the_examples_show_each_kind_of_movement(tmp_path: Path) -> None:
    rows = []
    for number, block in enumerate(_examples()):
        path = tmp_path / f"{number}.csv"
        path.write_text(block, encoding="utf-8")
        rows += list(pipeline.load(path))
    assert any(not m.stationed and not m.forked for m in rows)
    assert any(m.forked and not m.split_reported for m in rows)
    assert any(m.forked and m.split_reported for m in rows)
    assert any(m.stationed for m in rows)
    assert any(m.date and m.date.is_range for m in rows)
    assert any(m.estimate for m in rows)
    assert any(m.status == "claimed" for m in rows)


def test_the_places_example_is_a_places_file(tmp_path: Path) -> None:
    (block,) = [b for b in CSV_BLOCKS if b.startswith("name,")]
    path = tmp_path / "places.csv"
    path.write_text(block, encoding="utf-8")
    ((place, aliases),) = read_places(path)
    assert (place.name, place.kind) == ("Belarus–Ukraine border area", "border area")
    assert "Belarus-Ukraine border" in aliases


def _five_mistakes(folder: Path) -> None:
    path = folder / "movements.csv"
    shutil.copy(bundled_dataset(), path)
    text = path.read_text(encoding="utf-8")
    for old, new in [
        ("Germany,Romania,1000,ordered", "Germny,Romania,1000,ordered"),
        ("Germany; Poland,2000,ordered,https://", "Germany; Poland,2000 soldiers,ordered,"),
        ("russia-on-ukraine-border,2022-02-02", "russia-on-ukraine-border,02/10/2022"),
        ("2022-02-10/2022-02-20", "2022-02-20/2022-02-10"),
    ]:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _one_mistake(folder: Path) -> None:
    (folder / "movements.csv").write_text(
        "actor,origin,destination,troops\nUnited States,Germany,Romania,1000 soldiers\n"
    )


def _workbook(folder: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "actor", "unit", "origin", "destination", "troops", "status"])
    sheet.append(
        [
            dt.datetime(2022, 2, 2),
            "United States",
            "2nd Cavalry Regiment",
            "Germany",
            "Romania",
            1000,
            "ordered",
        ]
    )
    sheet.append(
        [
            dt.datetime(2022, 2, 2),
            "United States",
            dt.datetime(2022, 3, 5),
            "United States",
            "Germany; Poland",
            2000,
            "ordered",
        ]
    )
    book.save(folder / "movements.xlsx")


def _towns(folder: Path) -> None:
    (folder / "towns.txt").write_text(
        "Avdiivka\nPokrovsk\nKupyansk\nХарків\nZaporizhzhia NPP\nRamstein airbase\n",
        encoding="utf-8",
    )


def _exercise(folder: Path) -> None:
    (folder / "exercise.csv").write_text(
        "name,aliases,country,kind,area\nExercise Box Alpha,Box A,PL,training area,"
        '"POLYGON ((22 53, 23 53, 23 54, 22 54, 22 53))"\n',
        encoding="utf-8",
    )


def _bad_area(folder: Path) -> None:
    (folder / "bad-area.csv").write_text(
        "name,country,kind,area\nExercise Box Bravo,PL,training area,"
        '"POLYGON ((22 53, 23 54, 23 53, 22 54, 22 53))"\n',
        encoding="utf-8",
    )


SETUP: dict[str, Callable[[Path], None]] = {
    "places --from towns.txt": _towns,
    'places "Box A" --places exercise.csv': _exercise,
    'places "Exercise Box Bravo" --places bad-area.csv': _bad_area,
    "check movements.csv": _five_mistakes,
    "check movements.csv --format json": _one_mistake,
    "check movements.xlsx": _workbook,
}


@pytest.mark.parametrize("block", CONSOLE_BLOCKS, ids=lambda b: b.splitlines()[0])
def test_every_command_prints_what_the_docs_show(
    block: str, invoke: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, *shown = block.rstrip("\n").splitlines()
    assert command.startswith("$ troopmap ")
    arguments = command.removeprefix("$ troopmap ")
    monkeypatch.chdir(tmp_path)
    SETUP.get(arguments, lambda _folder: None)(tmp_path)
    result = invoke(*shlex.split(arguments))
    assert result.output.splitlines() == shown


def test_every_command_is_in_the_docs() -> None:
    from geo.cli import main

    for name in ("check", "places", "init", "render"):
        assert name in main.commands
        assert f"$ troopmap {name}" in TEXT, name
    assert "--watch" in TEXT and "--sheet" in TEXT and "--format json" in TEXT
    assert "--serve" in TEXT and "--no-open" in TEXT and "preview-problems.png" in TEXT


TOML_BLOCKS = re.findall(r"```toml\n(.*?)```", TEXT, re.S)


def test_the_reported_example_is_a_plan_until_its_window_then_under_way_then_over(
    tmp_path: Path,
) -> None:
    from geo.layers import layers_as_of

    (block,) = [b for b in _examples() if "reported" in b.splitlines()[0].split(",")]
    path = tmp_path / "reported.csv"
    path.write_text(block, encoding="utf-8")
    layers = pipeline.layers_for(path)
    planned = list(layers_as_of(layers, dt.date(2022, 2, 2)).flows["label"])
    assert planned == ["~30,000 · planned 10–20 Feb"] and planned[0] in TEXT
    assert list(layers_as_of(layers, dt.date(2022, 2, 10)).flows["label"]) == ["~30,000"]
    assert not len(layers_as_of(layers, dt.date(2022, 2, 21)).flows)
    assert not len(layers_as_of(layers, dt.date(2022, 2, 1)).flows)  # not yet reported


def test_the_style_example_pins_the_colours_it_names(tmp_path: Path) -> None:
    (block,) = TOML_BLOCKS
    path = tmp_path / "troopmap.toml"
    path.write_text(block, encoding="utf-8")
    layers = pipeline.layers_for(style=pipeline.style_for(path))
    assert layers.actors == {"United States": "#1F4E9C", "Russia": "#C0392B"}
