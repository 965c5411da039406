"""The whole path in a few calls: CSV → Dataset → Layers → files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .dataset import Dataset, read_movements
from .gazetteer import Gazetteer
from .layers import Layers, build_layers
from .paths import bundled_dataset
from .render import Options
from .render import write as write_layers


def display_name(csv: str | Path | None) -> str:
    """How messages name the file: the user's path, or the bundled file's plain name."""
    return str(csv) if csv is not None else "deployments.csv (bundled)"


def load(csv: str | Path | None = None) -> Dataset:
    """Read and check a movements CSV; the bundled dataset when none is given."""
    path = Path(csv) if csv is not None else bundled_dataset()
    return read_movements(path, display_name=display_name(csv))


def layers_for(
    csv: str | Path | None = None,
    places: Sequence[str | Path] = (),
    *,
    title: str | None = None,
    subtitle: str | None = None,
) -> Layers:
    """CSV (or the bundled dataset) → the geo layer, with places resolved."""
    return build_layers(load(csv), Gazetteer(places), title=title, subtitle=subtitle)


def write(layers: Layers, path: str | Path, options: Options | None = None) -> Path:
    return write_layers(layers, path, options)


def summary(layers: Layers, as_of: date | None = None) -> str:
    """The map's plain-language summary; with ``as_of``, of the map as it stood that day."""
    if as_of is None:
        return layers.summary
    from .timeline import layers_as_of

    return layers_as_of(layers, as_of).summary
