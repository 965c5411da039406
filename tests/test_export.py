"""GIS data: GeoJSON (RFC 7946) and GeoPackage, read back as a GIS user would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest

from geo import pipeline
from geo.layers import Layers
from geo.render.export import export_layers, read_back, render_geojson, write_geojson
from geo.render.geopackage import write_geopackage

CSV_COLUMNS = {
    "id",
    "date",
    "reported",
    "actor",
    "unit",
    "origin",
    "destination",
    "troops",
    "status",
    "source",
    "notes",
    "symbol",
    "affiliation",
    "colour",
}


@pytest.fixture(scope="module")
def layers() -> Layers:
    return pipeline.layers_for()


@pytest.fixture(scope="module")
def geojson(layers: Layers) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_geojson(layers))
    return data


def features(data: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    return [f for f in data["features"] if f["properties"]["layer"] == layer]


def test_geojson_is_one_rfc7946_feature_collection(geojson: dict[str, Any]) -> None:
    assert geojson["type"] == "FeatureCollection"
    assert "crs" not in geojson  # RFC 7946: WGS 84 longitude, latitude, always
    for feature in geojson["features"]:
        if feature["properties"]["layer"] == "movements":
            assert feature["geometry"] is None  # the table: RFC 7946 allows a null geometry
            continue
        coordinates = feature["geometry"]["coordinates"]
        flat = (
            [coordinates]
            if feature["geometry"]["type"] == "Point"
            else (
                coordinates
                if feature["geometry"]["type"] == "LineString"
                else [p for part in coordinates for p in part]
            )
        )
        for lon, lat in flat:
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_one_feature_per_leg_per_station_per_place(geojson: dict[str, Any]) -> None:
    legs = features(geojson, "legs")
    assert [(f["properties"]["id"], f["properties"]["leg_destination"]) for f in legs] == [
        ("us-germany-to-romania", "Romania"),
        ("us-to-germany-and-poland", "Germany"),
        ("us-to-germany-and-poland", "Poland"),
        ("russia-to-belarus", "Belarus"),
    ]
    assert len(features(geojson, "stations")) == 1
    assert {f["properties"]["name"] for f in features(geojson, "places")} == {
        "Germany",
        "Romania",
        "United States",
        "Poland",
        "Russia",
        "Russia–Ukraine border area",
        "Belarus",
    }


def test_every_csv_field_is_kept_once_in_the_movements_table(geojson: dict[str, Any]) -> None:
    movements = features(geojson, "movements")
    assert [f["properties"]["id"] for f in movements] == [
        "us-germany-to-romania",
        "us-to-germany-and-poland",
        "russia-on-ukraine-border",
        "russia-to-belarus",
    ]
    for feature in movements:
        assert feature["geometry"] is None
        assert feature["properties"].keys() >= CSV_COLUMNS
    for feature in features(geojson, "legs") + features(geojson, "stations"):
        assert isinstance(feature["properties"]["troops"], int)
    romania = movements[0]["properties"]
    assert romania["troops"] == 1000 and romania["csv_row"] == 2
    assert romania["status"] == "ordered" and romania["date"] == "2022-02-02"
    assert romania["source"].startswith("https://www.themoscowtimes.com/")
    assert romania["notes"].startswith("Pentagon spokesman John Kirby")
    assert romania["unit"] is None  # empty in the CSV: null, not ""
    leg = features(geojson, "legs")[0]["properties"]
    assert (leg["id"], leg["csv_row"], leg["troops"], leg["leg_troops"]) == (
        "us-germany-to-romania",
        2,
        1000,
        1000,
    )
    assert (leg["status"], leg["date_start"], leg["colour"]) == (
        "ordered",
        "2022-02-02",
        romania["colour"],
    )
    assert "notes" not in leg and "source" not in leg  # the row's text is in the table


def test_long_notes_to_many_places_are_written_once(
    tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    places = write_csv(
        "name,aliases,lat,lon,country,kind\n"
        + "".join(f"P{i},,{45 + i * 0.2},{15 + i * 0.3},PL,town\n" for i in range(50)),
        name="places.csv",
    )
    destinations = ";".join(f"P{i}" for i in range(1, 50))
    notes = "A long note. " * 700  # 9,100 characters
    csv = write_csv(
        "actor,origin,destination,troops,notes\n"
        + "".join(f'Army {n},P0,{destinations},{1000 + n},"{notes}"\n' for n in range(20))
    )
    layers = pipeline.layers_for(csv, [places])

    geojson = write_geojson(layers, tmp_path / "m.geojson")
    gpkg = write_geopackage(layers, tmp_path / "m.gpkg")

    # 20 rows × 49 legs: the notes on every leg would be 8.9 MB; a leg's line takes ~2 KB.
    legs = 20 * 49
    assert geojson.read_text(encoding="utf-8").count("A long note.") == 20 * 700
    assert geojson.stat().st_size < csv.stat().st_size + legs * 2_500
    assert gpkg.stat().st_size < 2 * csv.stat().st_size + legs * 2_500
    assert len(gpd.read_file(gpkg, layer="legs")) == legs


def test_estimates_are_flagged(geojson: dict[str, Any]) -> None:
    belarus = features(geojson, "legs")[3]["properties"]
    assert belarus["troops"] == 30000 and belarus["estimate"] is True
    assert belarus["label"] == "~30,000"
    border = features(geojson, "stations")[0]["properties"]
    assert border["troops"] == 100000 and border["estimate"] is True
    assert features(geojson, "legs")[0]["properties"]["estimate"] is False


def test_a_fork_without_counts_keeps_its_total_and_says_split_not_reported(
    geojson: dict[str, Any],
) -> None:
    germany, poland = (f["properties"] for f in features(geojson, "legs")[1:3])
    for leg in (germany, poland):
        assert leg["troops"] == 2000  # the total, never 1,000 each
        assert leg["leg_troops"] is None
        assert leg["split"] == "not reported"
        assert leg["split_reported"] is False
    assert features(geojson, "legs")[0]["properties"]["split"] is None


def test_a_leg_runs_from_the_origin_to_its_destination(layers: Layers) -> None:
    legs = export_layers(layers)["legs"]
    poland = legs[legs["leg_destination"] == "Poland"].geometry.iloc[0]
    start, end = poland.coords[0], poland.coords[-1]
    assert start == pytest.approx((-97.4826, 39.5385), abs=1e-3)  # the United States
    assert end == pytest.approx((19.4905, 51.9903), abs=1e-3)  # Poland


def test_geojson_reads_back_in_geopandas(tmp_path: Path, layers: Layers) -> None:
    path = write_geojson(layers, tmp_path / "map.geojson")
    frame = gpd.read_file(path)
    assert frame.crs == "EPSG:4326"
    assert frame["layer"].tolist() == (
        ["legs"] * 4 + ["stations"] + ["places"] * 7 + ["movements"] * 4
    )
    layers_read = read_back(path)
    assert len(layers_read["legs"]) == 4 and len(layers_read["places"]) == 7
    assert len(layers_read["movements"]) == 4


def test_geopackage_has_three_layers_and_a_table_that_open_as_they_are(
    tmp_path: Path, layers: Layers
) -> None:
    path = write_geopackage(layers, tmp_path / "map.gpkg")
    assert [tuple(row) for row in pyogrio.list_layers(path)] == [
        ("legs", "MultiLineString"),
        ("stations", "Point"),
        ("places", "Point"),
        ("movements", None),
    ]
    movements = gpd.read_file(path, layer="movements")
    assert set(movements.columns) >= CSV_COLUMNS and len(movements) == 4
    legs = gpd.read_file(path, layer="legs")
    assert legs.crs == "EPSG:4326"
    assert len(legs) == 4
    assert set(legs.columns) >= {
        "id",
        "csv_row",
        "troops",
        "leg_troops",
        "estimate",
        "split",
        "status",
        "colour",
        "date_start",
        "date_end",
    }
    assert legs["actor"].tolist() == ["United States"] * 3 + ["Russia"]
    joined = legs.merge(movements[["csv_row", "origin", "notes"]], on="csv_row")
    assert joined["origin"].tolist() == ["Germany", "United States", "United States", "Russia"]
    assert legs["troops"].tolist() == [1000, 2000, 2000, 30000]
    assert legs["estimate"].tolist() == [False, False, False, True]
    assert legs["split"].tolist()[1:3] == ["not reported", "not reported"]
    info = pyogrio.read_info(path, layer="legs")
    schema = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert schema["troops"] == "int64" and schema["leg_troops"] == "int64"
    assert schema["estimate"] == "bool"
    stations = gpd.read_file(path, layer="stations")
    assert stations["place_troops"].tolist() == [100000]
    places = gpd.read_file(path, layer="places")
    assert len(places) == 7 and "found_in" in places


def test_geopackage_is_the_same_bytes_for_the_same_data(tmp_path: Path, layers: Layers) -> None:
    first = write_geopackage(layers, tmp_path / "a.gpkg").read_bytes()
    second = write_geopackage(layers, tmp_path / "b.gpkg").read_bytes()
    assert first == second


def test_a_failed_geopackage_write_leaves_the_old_file_alone(
    tmp_path: Path, layers: Layers, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.gpkg"
    target.write_bytes(b"the report's current file")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pyogrio.raw, "write", fail)
    with pytest.raises(OSError, match="disk full"):
        write_geopackage(layers, target)
    assert target.read_bytes() == b"the report's current file"
    assert [p.name for p in tmp_path.iterdir()] == ["map.gpkg"]


def test_a_leg_over_the_antimeridian_is_cut_there(
    tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    csv = write_csv("""
        id,actor,origin,destination,troops
        bering,Russia,"43.12,131.9","61.22,-149.9",300
    """)
    layers = pipeline.layers_for(csv)
    data = json.loads(render_geojson(layers))
    leg = features(data, "legs")[0]["geometry"]
    assert leg["type"] == "MultiLineString"
    west, east = leg["coordinates"]
    assert west[-1][0] == 180.0 and east[0][0] == -180.0
    assert west[-1][1] == east[0][1]
    gpkg = gpd.read_file(write_geopackage(layers, tmp_path / "m.gpkg"), layer="legs")
    assert gpkg.total_bounds[0] >= -180 and gpkg.total_bounds[2] <= 180


def test_a_map_without_stations_still_has_an_empty_stations_layer(
    tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    csv = write_csv("""
        actor,origin,destination,troops
        France,France,Romania,500
    """)
    path = write_geopackage(pipeline.layers_for(csv), tmp_path / "m.gpkg")
    assert [name for name, _ in pyogrio.list_layers(path)] == [
        "legs",
        "stations",
        "places",
        "movements",
    ]
    assert len(gpd.read_file(path, layer="stations")) == 0
    assert len(gpd.read_file(path, layer="legs")) == 1


def ogc_validator() -> Any:
    """GDAL's GeoPackage validator (``validate_gpkg.py``, from the gdal-utils package; it needs
    only sqlite3, so it is installed without the GDAL bindings)."""
    try:
        from osgeo_utils.samples import validate_gpkg
    except ImportError:
        pytest.fail("GDAL's validator is needed: pip install --no-deps gdal-utils")
    return validate_gpkg


def test_the_geopackage_passes_the_ogc_validator(tmp_path: Path, layers: Layers) -> None:
    target = write_geopackage(layers, tmp_path / "map.gpkg")
    messages: list[str] = []
    errors = ogc_validator().check(
        str(target), abort_at_first_error=False, warning_as_error=True, myprint=messages.append
    )
    assert errors == [] and messages == []


def test_the_validator_refuses_a_change_stamp_without_milliseconds(
    tmp_path: Path, layers: Layers
) -> None:
    """The check above can fail: the stamp GDAL writes by itself is refused."""
    import sqlite3

    target = write_geopackage(layers, tmp_path / "map.gpkg")
    with sqlite3.connect(target) as db:
        db.execute("UPDATE gpkg_contents SET last_change = '2022-02-02T00:00:00Z'")
    validator = ogc_validator()
    with pytest.raises(validator.GPKGCheckException, match="last_change"):
        validator.check(str(target), myprint=lambda _: None)


def test_days_are_date_fields_in_the_geopackage_and_iso_days_in_geojson(
    tmp_path: Path, layers: Layers, geojson: dict[str, Any]
) -> None:
    import sqlite3

    target = write_geopackage(layers, tmp_path / "map.gpkg")
    legs = pyogrio.read_info(target, layer="legs")
    types = dict(zip(legs["fields"], legs["dtypes"], strict=True))
    assert {types[c] for c in ("date_start", "date_end", "reported")} == {"datetime64[D]"}
    with sqlite3.connect(target) as db:
        rows = db.execute(
            "SELECT date, date_start, date_end, reported FROM legs WHERE id = 'russia-to-belarus'"
        ).fetchall()
    assert rows == [("2022-02-10/2022-02-20", "2022-02-10", "2022-02-20", "2022-02-02")]
    belarus = next(
        f["properties"]
        for f in features(geojson, "legs")
        if f["properties"]["id"] == "russia-to-belarus"
    )
    assert (belarus["date_start"], belarus["date_end"], belarus["reported"]) == (
        "2022-02-10",
        "2022-02-20",
        "2022-02-02",
    )


def test_affiliation_is_empty_where_the_csv_gave_none(write_csv: Callable[..., Path]) -> None:
    csv = write_csv("""
        actor,origin,destination,troops,affiliation,symbol
        Russia,Russia,Belarus,300,,
        Poland,Poland,Lithuania,200,friend,
        Germany,Germany,Lithuania,500,,armoured infantry battalion
        Russia,Pskov,Minsk,100,,hostile motor rifle regiment
    """)
    data = json.loads(render_geojson(pipeline.layers_for(csv)))
    assert [f["properties"]["affiliation"] for f in features(data, "legs")] == [
        None,
        "friend",
        None,
        "hostile",
    ]


def test_a_place_given_as_coordinates_keeps_them_and_the_label_the_map_writes(
    write_csv: Callable[..., Path],
) -> None:
    csv = write_csv("""
        actor,origin,destination,troops
        Netherlands,"52.37,4.90",Poland,200
    """)
    data = json.loads(render_geojson(pipeline.layers_for(csv)))
    (amsterdam,) = [f for f in features(data, "places") if f["properties"]["kind"] == "point"]
    assert amsterdam["properties"]["name"] == "52.37,4.90"
    assert amsterdam["properties"]["label"] == "near Amsterdam"
    assert amsterdam["geometry"]["coordinates"] == [4.9, 52.37]
