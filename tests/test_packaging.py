"""A plain ``pip install .`` carries the bundled data and the page's scripts."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from geo.render.pagescript import MODULES

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_bundled_data(tmp_path):
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
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("troopmap-*.whl"))
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
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "troopmap = geo.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_wheel_carries_the_gazetteer_code_but_no_derived_index(tmp_path):
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
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("troopmap-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"geo/names.py", "geo/geonames.py", "geo/lookup.py"} <= names
    assert not [n for n in names if n.endswith((".tsv", ".npz", ".sqlite"))]
    assert wheel.stat().st_size < 2_000_000  # the towns are indexed on the user's machine
