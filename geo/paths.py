"""Where the bundled data lives, both in a source checkout and after ``pip install .``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled(name: str) -> Path:
    """Path of a file shipped in ``datasets/`` (installed as the ``geo.datasets`` package)."""
    source_checkout = Path(__file__).resolve().parent.parent / "datasets" / name
    if source_checkout.exists():
        return source_checkout
    installed = resources.files("geo.datasets").joinpath(name)
    return Path(str(installed))


def bundled_dataset() -> Path:
    """The default movements CSV: the February 2022 reinforcement of NATO's eastern flank."""
    return bundled("deployments.csv")
