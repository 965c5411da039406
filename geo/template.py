"""``troopmap init``: a small commented movements file and places file to start from.

The templates are plain files shipped with the data (``datasets/templates/``); they pass
``troopmap check`` as they are, and their comments explain every column.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .files import write_text
from .paths import bundled

MOVEMENTS = "movements.csv"
PLACES = "places.csv"
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def template_paths(path: str | Path | None = None) -> tuple[Path, Path]:
    """Where ``init`` writes: PATH is a folder (default the current one) or the CSV's name;
    the places file goes beside the movements file."""
    target = Path(path) if path is not None else Path(".")
    if target.suffix.lower() in _TEXT_SUFFIXES and not target.is_dir():
        places = target.with_name(PLACES if target.name != PLACES else "my-places.csv")
        return target, places
    return target / MOVEMENTS, target / PLACES


def write_template(path: str | Path | None = None, *, force: bool = False) -> tuple[Path, Path]:
    """Write the template movements and places files; refuse to replace files unless forced."""
    movements, places = template_paths(path)
    existing = [p for p in (movements, places) if p.exists()]
    if existing and not force:
        names = " and ".join(str(p) for p in existing)
        verb = "exist" if len(existing) > 1 else "exists"
        raise UsageError(
            f"{names} already {verb}; troopmap init does not replace files. "
            "Give another folder, or add --force to replace them."
        )
    write_text(movements, _template(MOVEMENTS))
    write_text(places, _template(PLACES))
    return movements, places


def _template(name: str) -> str:
    return bundled(f"templates/{name}").read_text(encoding="utf-8")
