"""docs/newsroom.md tells the truth: its commands print what it shows, its style file is the one
in docs/, and the features it describes are the ones the command has."""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"
TEXT = (DOCS / "newsroom.md").read_text(encoding="utf-8")
CONSOLE_BLOCKS = re.findall(r"```console\n(.*?)```", TEXT, re.S)
TOML_BLOCKS = re.findall(r"```toml\n(.*?)```", TEXT, re.S)
SIZE = re.compile(r"\(\d[\d,.]* (?:bytes|KB|MB)\)")


def _house(folder: Path) -> None:
    (folder / "docs").mkdir()
    for name in ("house.toml", "house-logo.png"):
        shutil.copy(DOCS / name, folder / "docs" / name)


def _hostile(folder: Path) -> None:
    (folder / "badge.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8"
    )
    (folder / "hostile.toml").write_text('logo = "badge.svg"\n', encoding="utf-8")


SETUP: dict[str, Callable[[Path], None]] = {"--style docs/house.toml": _house, "hostile": _hostile}


def shown(text: str) -> list[str]:
    """Lines as the docs show them: sizes (which change with the page) and the kinds of space
    a locale puts in dates and numbers set aside."""
    text = SIZE.sub("(…)", text).replace("\u202f", " ").replace("\xa0", " ")
    return text.rstrip("\n").splitlines()


@pytest.mark.parametrize("block", CONSOLE_BLOCKS, ids=lambda b: b.splitlines()[0][:60])
def test_every_command_prints_what_the_docs_show(
    block: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, *lines = block.rstrip("\n").splitlines()
    assert command.startswith("$ troopmap ")
    arguments = command.removeprefix("$ troopmap ")
    monkeypatch.chdir(tmp_path)
    for key, setup in SETUP.items():
        if key in arguments:
            setup(tmp_path)
    result = runner.invoke(main, shlex.split(arguments), prog_name="troopmap")
    assert shown(result.output) == shown("\n".join(lines))


def test_the_documented_style_file_is_the_one_in_docs() -> None:
    (block,) = TOML_BLOCKS
    assert block == (DOCS / "house.toml").read_text(encoding="utf-8")


def test_the_documented_sizes_are_within_a_tenth_of_todays(
    invoke: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sizes the docs print are set aside above; they must still be about right."""
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "-o", "outputs/deployments.html")
    documented = re.search(r"deployments\.html \((\d+\.\d) KB\)", TEXT)
    now = re.search(r"deployments\.html \((\d+\.\d) KB\)", result.output)
    assert documented and now
    assert abs(float(documented.group(1)) - float(now.group(1))) < 0.1 * float(now.group(1))


def test_every_setting_the_docs_name_is_one_the_style_file_takes() -> None:
    from geo.style import SETTINGS

    table = TEXT.split("| setting | what it does |", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"^\| `(\w+)` \|", table, re.M))
    assert named == set(SETTINGS)
