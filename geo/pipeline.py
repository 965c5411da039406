"""The whole path in a few calls: CSV → Dataset → Layers → files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .dataset import Dataset, read_movements
from .errors import DataError
from .gazetteer import Gazetteer
from .layers import Layers, build_layers, resolve_places
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
    """CSV (or the bundled dataset) → the geo layer, with places resolved.

    When rows have problems, the places of the other rows are still looked up, so that one
    run lists every problem of the file.
    """
    gazetteer = Gazetteer(places)
    try:
        dataset = load(csv)
    except DataError as error:
        if isinstance(error.partial, Dataset):
            _, place_problems = resolve_places(error.partial, gazetteer)
            problems = error.problems + [p for p in place_problems if p.severity == "error"]
            problems.sort(key=lambda p: (p.row or 0))
            raise DataError(problems) from None
        raise
    return build_layers(dataset, gazetteer, title=title, subtitle=subtitle)


def write(layers: Layers, path: str | Path, options: Options | None = None) -> Path:
    return write_layers(layers, path, options)
