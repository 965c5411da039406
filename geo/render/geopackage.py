"""The geo layer → one GeoPackage (``export``'s layers and table), written atomically and
reproducibly, every GDAL step checked and the finished file opened again before it replaces
the previous map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .export import CRS, DATE_COLUMNS, INTEGER_COLUMNS, export_layers

if TYPE_CHECKING:
    from ..errors import UsageError
    from ..layers import Layers

# GeoPackage stamps each layer with the time it was written; the map's "as of" day (or this
# fixed day) is used instead, so the file is the same for the same data. The standard asks for
# milliseconds.
FIXED_DATE = "2000-01-01T00:00:00.000Z"
# Less free space than this beside a GeoPackage that failed is named as the likely cause.
LOW_DISK_BYTES = 16 * 1024 * 1024


def write_geopackage(layers: Layers, path: str | Path) -> Path:
    """Write the layers and the movements table to one GeoPackage, atomically and
    reproducibly.

    Every GDAL step is checked and the finished file is opened again before it replaces
    ``path`` (SQLite's integrity check, then the features of each layer counted): a disk that
    fills up half-way ends in a UsageError and leaves the previous map as it was.
    """
    from ..files import atomic_path
    from ..geometry import split_at_antimeridian

    target = Path(path)
    stamp = f"{layers.as_of.isoformat()}T00:00:00.000Z" if layers.as_of else FIXED_DATE
    expected: dict[str, int] = {}
    # GDAL writes to a hidden file of its own name beside the target, renamed over it at the
    # end; one left by a killed run is removed by the next write of the map.
    with (
        atomic_path(target) as scratch,
        _gdal_config({"OGR_CURRENT_DATE": stamp, "OGR_SQLITE_JOURNAL": "OFF"}),
        _gdal_errors(target),
    ):
        for name, frame in export_layers(layers).items():
            frame = frame.copy()
            expected[name] = len(frame)
            if name == "movements":  # a table of attributes, without geometry
                _write_layer(frame, scratch, name, None)
                continue
            kind = {"legs": "MultiLineString", "stations": "Point", "places": "Point"}[name]
            if name == "legs" and len(frame):
                frame["geometry"] = [_as_multi(split_at_antimeridian(g)) for g in frame.geometry]
            _write_layer(frame, scratch, name, kind)
        _verify_geopackage(scratch, expected)
    return target


class _gdal_errors:
    """Turn a failed GDAL or SQLite step into a UsageError that names the target."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: object
    ) -> None:
        import sqlite3

        import pyogrio.errors

        failures = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, sqlite3.Error)
        if error is not None and isinstance(error, failures):
            raise _incomplete(self.target, str(error)) from None


def _verify_geopackage(path: Path, expected: dict[str, int]) -> None:
    """Open the written file again: SQLite finds it whole and each layer has its features."""
    import contextlib
    import sqlite3

    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        verdict = db.execute("PRAGMA integrity_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check: {verdict[0] if verdict else 'none'}")
        tables = {t for (t,) in db.execute("SELECT table_name FROM gpkg_contents")}
        for name, count in expected.items():
            if name not in tables:
                raise sqlite3.DatabaseError(f'the layer "{name}" is missing')
            (found,) = db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
            if found != count:
                raise sqlite3.DatabaseError(f'the layer "{name}" has {found} of {count} features')


def _incomplete(target: Path, detail: str) -> UsageError:
    import os
    import re

    from ..errors import UsageError

    words = detail.strip().splitlines()[0] if detail.strip() else "unknown error"
    words = re.sub(r"sqlite3_\w+\(.*\) failed: ", "", words)  # the SQL GDAL ran says little
    try:
        free = os.statvfs(target.parent)
        low = free.f_bavail * free.f_frsize < LOW_DISK_BYTES
    except (OSError, AttributeError):
        low = False
    hint = "; the disk is nearly full" if low else ""
    return UsageError(
        f"cannot write {target} (the GeoPackage could not be completed: {words}{hint})."
    )


def _write_layer(frame: Any, path: Any, name: str, kind: str | None) -> None:
    """One layer of the GeoPackage, days as Date fields (pandas has no column of days, so the
    fields are handed to GDAL as numpy arrays: text, integers with a mask for the empty ones,
    days as ``datetime64[D]``); with ``kind`` None, a table without geometry."""
    import numpy as np
    import shapely
    from pyogrio.raw import write

    fields = [c for c in frame.columns if c != "geometry"]
    data: list[Any] = []
    masks: list[Any] = []
    for column in fields:
        values = frame[column]
        if column in DATE_COLUMNS:
            data.append(
                np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")
            )
            masks.append(None)
        elif column in INTEGER_COLUMNS:
            data.append(values.to_numpy(dtype=np.int64, na_value=0))
            masks.append(values.isna().to_numpy())
        else:
            data.append(values.to_numpy())
            masks.append(None)
    geometry = shapely.to_wkb(np.asarray(frame.geometry.values)) if kind else None
    write(
        path,
        geometry,
        field_data=data,
        field_mask=masks,
        fields=fields,
        layer=name,
        driver="GPKG",
        geometry_type=kind,
        crs=CRS if kind else None,
        promote_to_multi=False,
        layer_options={"IDENTIFIER": name, "DESCRIPTION": _description(name)},
    )


def _as_multi(geometry: Any) -> Any:
    from shapely import MultiLineString

    return geometry if geometry.geom_type == "MultiLineString" else MultiLineString([geometry])


def _description(name: str) -> str:
    return {
        "legs": "Movements, one line per origin → destination leg (troopmap)",
        "stations": "Stationed forces, one point per place (troopmap)",
        "places": "Places named by the movements (troopmap)",
        "movements": "Movements, one row per row of the CSV with all its fields (troopmap)",
    }[name]


class _gdal_config:
    """Set GDAL configuration options for the block, then put the old values back."""

    def __init__(self, options: dict[str, str]):
        self.options = options
        self.saved: dict[str, Any] = {}

    def __enter__(self) -> None:
        import pyogrio

        self.saved = {k: pyogrio.get_gdal_config_option(k) for k in self.options}
        pyogrio.set_gdal_config_options(dict(self.options))

    def __exit__(self, *exc: object) -> None:
        import pyogrio

        pyogrio.set_gdal_config_options(self.saved)
