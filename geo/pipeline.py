"""The whole path in a few calls: CSV → Dataset → Layers → files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .dataset import Dataset, check_file, in_reading_order
from .errors import DataError, Problem, UsageError, printable
from .gazetteer import Gazetteer
from .layers import Layers, build_layers, resolve_names
from .paths import bundled_dataset
from .reading import STANDARD_INPUT, is_regular_file, read_file_bytes
from .render import Options
from .render import write as write_layers
from .style import Style, find_style, read_style

Step = Callable[[str], object]


def display_name(csv: str | Path | None) -> str:
    """How messages name the file: the user's path, or the bundled file's plain name."""
    if csv is not None and str(csv) == STANDARD_INPUT:
        return "standard input"
    return printable(str(csv)) if csv is not None else "deployments.csv (bundled)"


def load(csv: str | Path | None = None, *, sheet: str | None = None) -> Dataset:
    """Read and check a movements CSV or workbook; the bundled dataset when none is given."""
    dataset = check(csv, sheet=sheet)
    dataset.raise_for_errors()
    return dataset


def check(csv: str | Path | None = None, *, sheet: str | None = None) -> Dataset:
    """Read a movements CSV (or .tsv, or .xlsx) and check every row without raising for row
    problems: they are in ``Dataset.errors``. A file that cannot be read raises DataError."""
    from . import spreadsheet

    path = Path(csv) if csv is not None else bundled_dataset()
    name = display_name(csv)
    if not is_regular_file(path):  # "-", a pipe: read once, and a workbook needs a file
        if read_file_bytes(path, name).startswith(spreadsheet.ZIP_MAGIC):
            raise DataError(
                [
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        "is an Excel workbook, which troopmap reads only from a "
                        "file, not from a pipe.",
                        "Save it, and give its name.",
                    )
                ]
            )
    elif spreadsheet.is_workbook(path):
        return spreadsheet.check_workbook(path, sheet=sheet, display_name=name)
    if sheet is not None:
        raise UsageError(f"--sheet is for Excel workbooks (.xlsx); {name} is a text file.")
    return check_file(path, display_name=name)


_GAZETTEERS: dict[tuple[tuple[str, int, int], ...], Gazetteer] = {}


def gazetteer_for(places: Sequence[str | Path] = ()) -> Gazetteer:
    """A gazetteer with the user's places files, reused until one of those files changes.

    Indexing the cities takes about a second, so ``render --watch`` keeps the gazetteer between
    renders and builds a new one only when a places file was saved.
    """
    key = tuple(_file_key(Path(p)) for p in places)
    if key not in _GAZETTEERS:
        _GAZETTEERS.clear()
        _GAZETTEERS[key] = Gazetteer(places)
    return _GAZETTEERS[key]


def _file_key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def layers_for(
    csv: str | Path | None = None,
    places: Sequence[str | Path] = (),
    *,
    title: str | None = None,
    subtitle: str | None = None,
    sheet: str | None = None,
    step: Step | None = None,
    style: Style | None = None,
) -> Layers:
    """CSV (or the bundled dataset) → the geo layer, with places resolved.

    ``step`` is told what is happening ("Reading …", "Finding places …") for a progress display;
    ``style`` holds the house choices (see ``geo.style``, and ``style_for``).
    """
    say = step or (lambda _text: None)
    say(f"Reading {display_name(csv)}")
    dataset = check(csv, sheet=sheet)
    say("Placing the movements on the map")
    gazetteer = gazetteer_for(places)
    if dataset.errors:
        # Every problem at once: the places of the file are looked up even though it has errors.
        _, place_problems = resolve_names(dataset.path, dataset.place_refs, gazetteer)
        errors = [p for p in place_problems if p.severity == "error"]
        raise DataError(in_reading_order([*dataset.errors, *errors], dataset.path))
    return build_layers(dataset, gazetteer, title=title, subtitle=subtitle, style=style)


def style_for(path: str | Path | None = None, **given: Any) -> Style:
    """The house style: the file given, else ``troopmap.toml`` in the working folder, else
    none, with the settings ``given`` (from the command line; None: not given) over the
    file's. DataError for a file with mistakes."""
    import dataclasses

    style = read_style(find_style(path))
    chosen = {key: value for key, value in given.items() if value is not None}
    return dataclasses.replace(style, **chosen) if chosen else style


def write(
    layers: Layers, path: str | Path, options: Options | None = None, step: Step | None = None
) -> Path:
    return write_layers(layers, path, options, step)


def summary(layers: Layers, as_of: date | None = None) -> str:
    """The map's plain-language summary; with ``as_of``, of the map as it stood that day."""
    if as_of is None:
        return layers.summary
    from .language import speaking
    from .layers import layers_as_of

    with speaking(layers.style.lang):
        return layers_as_of(layers, as_of).summary
