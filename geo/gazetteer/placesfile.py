"""Reading a places file (``name,aliases,lat,lon,country,kind`` and an optional area):
every problem listed with its file, row and column."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import DataError, Problem
from ..reading import csv_error, read_text, sniff_delimiter
from .areas import AREA_COLUMNS, BUNDLED_PREFIX, AreaError, parse_area, point_in_area
from .countries import country_code_hint, country_codes
from .place import USER, Place


def places_file_loader(path: Path, source: str) -> Callable[[], list[tuple[Place, list[str]]]]:
    def load() -> list[tuple[Place, list[str]]]:
        return read_places(path, source)

    return load


def read_places(path: Path, source: str = USER) -> list[tuple[Place, list[str]]]:
    """Read a places file (``name,aliases,lat,lon,country,kind``); DataError lists problems."""
    name = str(path)
    text = read_text(path, name)
    # Records, not text lines: a quoted name may hold a line break (or U+2028, which
    # str.splitlines() would also split at).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        rows = [r for r in reader if r and not r[0].lstrip().startswith("#")]
    except csv.Error as error:
        raise csv_error(name, reader.line_num, error) from None
    fieldnames = [f.strip().lower() for f in rows[0]] if rows else []
    area_column = next((c for c in AREA_COLUMNS if c in fieldnames), "")
    needed = ("name",) if area_column else ("name", "lat", "lon")
    missing = [c for c in needed if c not in fieldnames]
    if missing:
        raise DataError(
            [
                Problem(
                    name,
                    1,
                    None,
                    None,
                    "the places file needs the columns name, lat and lon, or name and area "
                    f"(missing: {', '.join(missing)}).",
                    "Header: name,aliases,lat,lon,country,kind (and area for a polygon)",
                )
            ]
        )
    places: list[tuple[Place, list[str]]] = []
    problems: list[Problem] = []
    records = (dict(zip(fieldnames, cells, strict=False)) for cells in rows[1:])
    for row, record in enumerate(records, start=2):
        label = (record.get("name") or "").strip()
        if not label:
            problems.append(Problem(name, row, "name", "", "is empty."))
            continue
        before = len(problems)
        area, at = _area_of(record.get(area_column) or "", name, row, area_column, problems)
        no_point = not (record.get("lat") or "").strip() and not (record.get("lon") or "").strip()
        if len(problems) > before and no_point:
            continue  # the area was its only position, and it is wrong: said once
        if at is not None and not (record.get("lat") or "").strip():
            record["lat"] = str(at[0])
        if at is not None and not (record.get("lon") or "").strip():
            record["lon"] = str(at[1])
        lat = _coordinate(record.get("lat"), 90)
        lon = _coordinate(record.get("lon"), 180)
        if lat is None:
            problems.append(
                Problem(
                    name,
                    row,
                    "lat",
                    record.get("lat"),
                    "is not a latitude between -90 and 90.",
                    _decimal_comma_hint(record.get("lat")),
                )
            )
        if lon is None:
            problems.append(
                Problem(
                    name,
                    row,
                    "lon",
                    record.get("lon"),
                    "is not a longitude between -180 and 180.",
                    _decimal_comma_hint(record.get("lon")),
                )
            )
        country = (record.get("country") or "").strip()
        if country and country.upper() not in country_codes():
            problems.append(
                Problem(
                    name,
                    row,
                    "country",
                    country,
                    f'"{country}" is not a two-letter country code.',
                    country_code_hint(country),
                )
            )
            continue
        if lat is None or lon is None:
            continue
        aliases = [a.strip() for a in (record.get("aliases") or "").split("|") if a.strip()]
        kind = (record.get("kind") or "").strip()
        if at is not None and (
            area.startswith(BUNDLED_PREFIX) or not point_in_area(area, lat, lon)
        ):
            lat, lon = at  # a movement to an area ends inside it, at a bundled area's own point
        place = Place(label, lat, lon, country.upper(), kind, source, area=area)
        places.append((place, [label, *aliases]))
    if problems:
        raise DataError(problems)
    return places


def _area_of(
    text: str, file: str, row: int, column: str, problems: list[Problem]
) -> tuple[str, tuple[float, float] | None]:
    """(the area of a places file's cell, a point inside it) — ("", None) when the cell is
    empty or wrong; what is wrong is added to ``problems``."""
    if not text.strip():
        return "", None
    try:
        area, lat, lon = parse_area(text)
    except AreaError as error:
        shown = text.strip() if len(text.strip()) <= 60 else text.strip()[:57] + "..."
        problems.append(Problem(file, row, column, shown, str(error), error.hint))
        return "", None
    return area, (lat, lon)


def _decimal_comma_hint(text: str | None) -> str:
    """``54,5`` (a decimal comma, as spreadsheets in much of Europe write it): say so."""
    value = (text or "").strip()
    if re.fullmatch(r"[-+]?\d+,\d+", value):
        return f"Write the decimals after a point: {value.replace(',', '.')}."
    return ""


def _coordinate(text: str | None, limit: float) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None
