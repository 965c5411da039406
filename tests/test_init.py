"""troopmap init: a commented movements file and places file that pass check as they are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Invoke = Callable[..., Any]


def test_init_writes_both_files_and_says_what_next(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("init")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Wrote movements.csv: an example of each kind of movement, with notes on every column.",
        "Wrote places.csv: a place of your own, to show how to add names troopmap does not know.",
        "Next, edit them, then:",
        "  troopmap check movements.csv --places places.csv",
        "  troopmap render movements.csv --places places.csv --watch",
    ]
    text = (tmp_path / "movements.csv").read_text(encoding="utf-8")
    assert text.startswith("# troopmap movements file.")
    for column in (
        "id",
        "date",
        "reported",
        "actor",
        "unit",
        "origin",
        "destination",
        "troops",
        "status",
        "source",
        "notes",
    ):
        assert f"#   {column} " in text, column


def test_the_template_passes_check_with_only_warnings(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    invoke("init")
    result = invoke("check", "movements.csv", "--places", "places.csv")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == (
        "movements.csv: no errors, 3 warnings (3 movements, 1 stationed force, 8 places)."
    )


def test_the_template_has_a_row_for_each_kind_of_movement(tmp_path: Path) -> None:
    from geo import pipeline
    from geo.template import write_template

    movements, _ = write_template(tmp_path)
    dataset = pipeline.load(movements)
    assert any(not m.stationed and not m.forked for m in dataset)  # a move
    assert any(m.forked and not m.split_reported for m in dataset)  # a fork, no counts
    assert any(m.stationed for m in dataset)  # a stationed force
    assert any(m.date and m.date.is_range for m in dataset)  # an exercise window
    assert any(m.estimate for m in dataset)  # an estimate
    assert any(m.status == "claimed" for m in dataset)  # a claim
    commented_fork = "Fort Bragg,Poland=1700; Germany=300"  # a fork with counts
    assert commented_fork in movements.read_text(encoding="utf-8")


def test_init_never_replaces_a_file_without_force(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "movements.csv").write_text("my own work\n")
    result = invoke("init")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: movements.csv already exists; troopmap init does not replace files. Give "
        "another folder, or add --force to replace them."
    )
    assert (tmp_path / "movements.csv").read_text() == "my own work\n"
    assert not (tmp_path / "places.csv").exists()
    assert invoke("init", "--force").exit_code == 0
    assert (tmp_path / "movements.csv").read_text().startswith("# troopmap")


def test_init_into_a_new_folder_or_under_a_name(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "story").exit_code == 0
    assert (tmp_path / "story" / "movements.csv").exists()
    assert (tmp_path / "story" / "places.csv").exists()
    result = invoke("init", "ukraine 2022.csv")
    assert result.exit_code == 0
    assert (tmp_path / "ukraine 2022.csv").exists()
    assert "  troopmap check 'ukraine 2022.csv' --places places.csv" in result.stdout
