"""The geo layer → GIS data: GeoJSON (RFC 7946), and the tables a GeoPackage is written
from (``geopackage``).

Three map layers and one table:

- ``legs``: one line per origin → destination leg. A movement to several places without a
  count for each keeps its total in ``troops``, leaves ``leg_troops`` empty and says
  ``split: "not reported"``; nothing is divided behind the user's back.
- ``stations``: one point per place where a force is stationed (no origin in the CSV).
- ``places``: every place the movements name, with how it was found.
- ``movements``: one row per movement of the CSV with every one of its fields, and no
  geometry. Legs and stations carry the movement's ``id`` and ``csv_row`` to join on, its
  ``actor`` (an id and an actor are at most ``MAX_NAME_CHARS`` long), and only the short
  values a map is styled by (troops, status, colour, dates); the free text of a row
  is written once, so a file's GIS data grows with the file, not with the number of
  destinations times the length of its notes.

Troops are integers, ``estimate`` flags a number the source gave as approximate (``~30000``),
``date`` is the date as the CSV wrote it (a day, a month or a window), ``date_start`` and
``date_end`` its first and last day and ``reported`` the day it was reported (Date fields in the
GeoPackage, for QGIS's temporal controller; ISO days in GeoJSON), ``affiliation`` is empty where
the CSV gave none, and coordinates are longitude, latitude in WGS 84 (EPSG:4326). Lines that
cross the antimeridian are cut there, as RFC 7946 asks. The same layers give the same bytes.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from ..layers import Layers

CRS = "EPSG:4326"
DIGITS = 6
LAYER_NAMES = ("legs", "stations", "places", "movements")

# What a movement row reported, the same in the legs and the stations layers.
REPORTED_COLUMNS = (
    "estimate",
    "split",
    "split_reported",
    "label",
    "date",
    "date_start",
    "date_end",
    "reported",
    "status",
    "source",
    "notes",
    "symbol",
    "affiliation",
    "colour",
)
# Every field of a movement row, once per row, in the movements table.
MOVEMENT_COLUMNS = (
    "id",
    "csv_row",
    "actor",
    "unit",
    "origin",
    "destination",
    "troops",
    *REPORTED_COLUMNS,
)
# What each leg or station repeats of its movement: the keys and the short values a map is
# styled by, never the free text of the row (see the module's docstring).
STYLE_COLUMNS = (
    "estimate",
    "split",
    "split_reported",
    "label",
    "date",
    "date_start",
    "date_end",
    "reported",
    "status",
    "affiliation",
    "colour",
)
LEG_COLUMNS = (
    "id",
    "csv_row",
    "actor",
    "leg",
    "leg_destination",
    "troops",
    "leg_troops",
    *STYLE_COLUMNS,
)
STATION_COLUMNS = (
    "id",
    "csv_row",
    "actor",
    "place",
    "troops",
    "place_troops",
    *STYLE_COLUMNS,
)
PLACE_COLUMNS = (
    "name",
    "label",
    "resolved_name",
    "kind",
    "country",
    "country_name",
    "role",
    "found_in",
)
INTEGER_COLUMNS = ("csv_row", "troops", "leg_troops", "place_troops")
BOOLEAN_COLUMNS = ("estimate", "split_reported")
DATE_COLUMNS = ("date_start", "date_end", "reported")


def export_layers(layers: Layers) -> dict[str, gpd.GeoDataFrame]:
    """The GIS layers (legs, stations, places) as GeoDataFrames in EPSG:4326, and the
    movements table (its geometry empty)."""
    return {
        "legs": leg_frame(layers),
        "stations": station_frame(layers),
        "places": place_frame(layers),
        "movements": movement_frame(layers),
    }


def movement_frame(layers: Layers) -> gpd.GeoDataFrame:
    """One row per movement of the CSV with all its fields, in the order of the CSV."""
    import geopandas as gpd

    rows: dict[str, Any] = {}
    for frame in (layers.flows, layers.stations):
        for _, row in frame.iterrows() if len(frame) else ():
            rows.setdefault(row["movement"], row)
    ordered = sorted(rows.values(), key=lambda row: int(row["row"]))
    records = [{**_movement_fields(row), "geometry": None} for row in ordered]
    return _frame(records, MOVEMENT_COLUMNS, gpd)


def leg_frame(layers: Layers) -> gpd.GeoDataFrame:
    """One feature per origin → destination leg: a fork's trunk is joined to each branch."""
    import geopandas as gpd
    from shapely import LineString

    flows = layers.flows
    records: list[dict[str, Any]] = []
    trunks: dict[str, Any] = {}
    for _, row in flows.iterrows() if len(flows) else ():
        if row["leg"] == "trunk":
            trunks[row["movement"]] = row.geometry
            continue
        geometry = row.geometry
        trunk = trunks.get(row["movement"])
        if trunk is not None:
            geometry = LineString([*trunk.coords, *list(geometry.coords)[1:]])
        leg_troops = row["leg_troops"]
        records.append(
            {
                **_movement_fields(row),
                "leg": "branch" if trunk is not None else "direct",
                "leg_destination": row["leg_destination"],
                "leg_troops": None if _missing(leg_troops) else int(leg_troops),
                "geometry": geometry,
            }
        )
    return _frame(records, LEG_COLUMNS, gpd)


def station_frame(layers: Layers) -> gpd.GeoDataFrame:
    """One point per place where a force is stationed."""
    import geopandas as gpd

    stations = layers.stations
    records = []
    for _, row in stations.iterrows() if len(stations) else ():
        count = row["leg_troops"]
        records.append(
            {
                **_movement_fields(row),
                "place": row["place"],
                "place_troops": None if _missing(count) else int(count),
                "geometry": row.geometry,
            }
        )
    return _frame(records, STATION_COLUMNS, gpd)


def place_frame(layers: Layers) -> gpd.GeoDataFrame:
    """Every place the movements name, with where its coordinates came from."""
    import geopandas as gpd

    places = layers.places
    records = []
    for _, row in places.iterrows() if len(places) else ():
        records.append(
            {
                "name": row["name"],
                "label": row["label"],
                "resolved_name": row["resolved_name"],
                "kind": row["kind"],
                "country": row["country"],
                "country_name": row["country_name"],
                "role": row["role"],
                "found_in": row["source"],
                "geometry": row.geometry,
            }
        )
    return _frame(records, PLACE_COLUMNS, gpd)


def _movement_fields(row: Any) -> dict[str, Any]:
    split_reported = bool(row["split_reported"])
    return {
        "id": row["movement"],
        "csv_row": int(row["row"]),
        "actor": row["actor"],
        "unit": row["unit"],
        "origin": row["origin"],
        "destination": row["destination"],
        "troops": int(row["troops"]),
        "estimate": bool(row["estimate"]),
        "split": None if split_reported else "not reported",
        "split_reported": split_reported,
        "label": row["label"],
        "date": row["date"],
        "date_start": _day(row["date_start"]),
        "date_end": _day(row["date_end"]),
        "reported": _day(row["reported"]),
        "status": row["status"],
        "source": row["source"],
        "notes": row["notes"],
        "symbol": row["symbol"],
        "affiliation": row["affiliation"],
        "colour": row["colour"],
    }


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _frame(records: list[dict[str, Any]], columns: tuple[str, ...], gpd: Any) -> Any:
    """A GeoDataFrame with the columns in order: empty text as null, counts as integers."""
    import pandas as pd

    frame = pd.DataFrame(records, columns=[*columns, "geometry"])
    for column in columns:
        if column in INTEGER_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        elif column in BOOLEAN_COLUMNS:
            frame[column] = frame[column].astype(bool)
        elif column in DATE_COLUMNS:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        else:
            frame[column] = frame[column].map(_text_or_none).astype(object)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS)


def _text_or_none(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return text if text else None


# --- GeoJSON ------------------------------------------------------------------------------


def geojson_data(layers: Layers) -> dict[str, Any]:
    """One RFC 7946 FeatureCollection; each feature's ``layer`` property names its layer."""
    from ..geometry import split_at_antimeridian

    features = []
    for name, frame in export_layers(layers).items():
        columns = [c for c in frame.columns if c != "geometry"]
        for values, geometry in zip(
            frame[columns].itertuples(index=False, name=None), frame.geometry, strict=True
        ):
            if geometry is not None and geometry.geom_type == "LineString":
                geometry = split_at_antimeridian(geometry)
            properties: dict[str, Any] = {"layer": name}
            properties.update((c, _json_value(v)) for c, v in zip(columns, values, strict=True))
            features.append(
                {
                    "type": "Feature",
                    "properties": properties,
                    "geometry": _geojson_geometry(geometry),
                }
            )
    return {"type": "FeatureCollection", "name": layers.title, "features": features}


def render_geojson(layers: Layers) -> str:
    """The GeoJSON text: UTF-8, compact, stable."""
    return json.dumps(geojson_data(layers), ensure_ascii=False, separators=(",", ":")) + "\n"


def _json_value(value: Any) -> Any:
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _position(x: float, y: float) -> list[float]:
    lon = ((x + 180.0) % 360.0) - 180.0 if not -180.0 <= x <= 180.0 else x
    return [round(lon, DIGITS), round(y, DIGITS)]


def _geojson_geometry(geometry: Any) -> dict[str, Any] | None:
    if geometry is None:  # the movements table: RFC 7946 features without a geometry
        return None
    kind = geometry.geom_type
    if kind == "Point":
        return {"type": "Point", "coordinates": _position(geometry.x, geometry.y)}
    if kind == "LineString":
        return {
            "type": "LineString",
            "coordinates": [_position(x, y) for x, y, *_ in geometry.coords],
        }
    if kind == "MultiLineString":
        return {
            "type": "MultiLineString",
            "coordinates": [
                [_position(x, y) for x, y, *_ in part.coords] for part in geometry.geoms
            ],
        }
    return dict(geometry.__geo_interface__)


def write_geojson(layers: Layers, path: str | Path) -> Path:
    from ..files import write_text

    target = Path(path)
    write_text(target, render_geojson(layers))
    return target


def read_back(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read every layer of a written GeoPackage or GeoJSON (for checks and the docs)."""
    import geopandas as gpd
    import pyogrio

    target = Path(path)
    if target.suffix.lower() == ".gpkg":
        return {
            name: gpd.read_file(target, layer=name, engine="pyogrio")
            for name, _ in pyogrio.list_layers(target)
        }
    frame = gpd.read_file(target, engine="pyogrio")
    return {name: part.reset_index(drop=True) for name, part in frame.groupby("layer", sort=False)}
