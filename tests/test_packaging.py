"""A plain ``pip install .`` carries the bundled data and the page's scripts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geo.render.pagescript import MODULES

ROOT = Path(__file__).resolve().parent.parent
# What a fresh clone has: the project's files, none of a previous build.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "node_modules",
    "outputs",
    "__pycache__",
    ".*_cache",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip`` builds from a clean copy of the project (a build folder left in the
    checkout would otherwise hide a package missing from pyproject.toml)."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "troopmap"
    shutil.copytree(ROOT, source, ignore=NOT_IN_A_CLONE)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    return next(folder.glob("troopmap-*.whl"))


def test_the_wheel_carries_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "geo/datasets/deployments.csv",
        "geo/datasets/places.csv",
        "geo/datasets/countries.geojson",
        "geo/datasets/countries-coarse.geojson",
        *(f"geo/render/assets/map/{name}.js" for name in MODULES),
        "geo/render/assets/troopmap.css",
        "geo/py.typed",
        "geo/cli.py",
    ):
        assert needed in names, needed
    # Every module, subpackages included (each must be listed in pyproject.toml).
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "geo").rglob("*.py")}
    assert sorted(modules - names) == []
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "troopmap = geo.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_wheel_carries_the_gazetteer_code_but_no_derived_index(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"geo/names.py", "geo/geonames.py", "geo/lookup.py"} <= names
    assert not [n for n in names if n.endswith((".tsv", ".npz", ".sqlite"))]
    assert wheel.stat().st_size < 2_000_000  # the towns are indexed on the user's machine
