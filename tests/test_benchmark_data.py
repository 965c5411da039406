"""The benchmarks' synthetic data is the same for a seed and is a valid troopmap CSV."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from geo import pipeline

HERE = Path(__file__).parent


def _synthetic():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("synthetic", HERE / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    synthetic = _synthetic()
    first = synthetic.write(300, 40, 7, tmp_path / "a")
    second = synthetic.write(300, 40, 7, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = synthetic.write(300, 40, 8, tmp_path / "c")
    assert first[0].read_bytes() != other[0].read_bytes()


def test_synthetic_movements_draw_without_a_problem(tmp_path: Path) -> None:
    movements, places = _synthetic().write(500, 60, 1, tmp_path)
    layers = pipeline.layers_for(movements, [places])
    assert len(layers.flows) > 400 and len(layers.stations) > 20
    assert not [w for w in layers.warnings if "unknown" in w.message]
