"""A reader of the page takes the map's data away: "Get the data" gives the movements as CSV
(the user's own file, the same rows and columns) and as GeoJSON, made in the page, no request."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

from conftest import page_data_of, wait_until

# A newsroom's file: a column troopmap does not know, cells a spreadsheet would run as
# formulas, quotes and a comma inside a cell, text in another script, and a comment line.
SITE = "https://www.themoscowtimes.com/"
HOSTILE_CSV = "".join(
    line + "\n"
    for line in [
        "# checked by the desk on 3 February",
        "id,date,actor,unit,origin,destination,troops,status,source,notes,desk",
        'm1,2022-02-02,United States,"2nd Cavalry, Stryker",Vilseck,Romania,1000,announced,'
        f'{SITE}a,"=HYPERLINK(""http://evil.example"",""click"")",ok',
        f"m2,2022-02-02,Russia,,,Belarus,~30000,claimed,{SITE}b,"
        '@SUM(1+1) <script>alert(1)</script>,"-2+3"',
        'm3,2022-02-03,Україна,Сили оборони,Київ,Харків,500,underway,,"+1 ""quoted"" text",',
    ]
)


def download(page: Any, kind: str) -> bytes:
    wait_until(page, "!document.querySelector('.tm-get-data').hidden")  # the CSV is unpacked
    link = page.locator(f'.tm-get-data a[data-tm-get="{kind}"]')
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_the_csv_download_gives_the_users_file_back(
    write_csv: Any, render: Any, tmp_path: Path, browser: Any
) -> None:
    source = write_csv(HOSTILE_CSV, name="desk-file.csv")
    page_path = tmp_path / "map.html"
    render(str(source), "-o", str(page_path))

    page = browser.open(page_path)
    wait_until(page, "!document.querySelector('.tm-get-data').hidden")
    link = page.locator('.tm-get-data a[data-tm-get="csv"]')
    assert link.is_visible()
    assert link.get_attribute("download") == "desk-file.csv"
    got = download(page, "csv").decode("utf-8")

    assert got == source.read_text(encoding="utf-8")
    rows = [r for r in csv.reader(io.StringIO(got)) if r and not r[0].startswith("#")]
    assert rows[0][-1] == "desk" and len(rows) == 4
    assert browser.requests == [] and browser.errors == [] and browser.dialogs == []


def test_the_geojson_download_has_a_feature_per_movement_with_its_source(
    write_csv: Any, render: Any, tmp_path: Path, browser: Any
) -> None:
    source = write_csv(HOSTILE_CSV)
    page_path = tmp_path / "map.html"
    render(str(source), "-o", str(page_path))

    page = browser.open(page_path)
    collection = json.loads(download(page, "geojson"))

    features = collection["features"]
    assert [f["properties"]["row"] for f in features] == [3, 4, 5]
    first, stationed, third = (f["properties"] for f in features)
    assert first["source"] == "https://www.themoscowtimes.com/a"
    assert first["notes"] == '=HYPERLINK("http://evil.example","click")'
    assert first["troops"] == 1000 and first["status"] == "announced"
    assert first["origin"] == "Vilseck" and first["destination"] == "Romania"
    assert stationed["estimate"] is True and stationed["troops"] == 30000
    assert stationed["notes"] == "@SUM(1+1) <script>alert(1)</script>"
    assert third["actor"] == "Україна" and third["source"] is None
    assert features[0]["geometry"]["type"] == "MultiLineString"
    assert features[1]["geometry"]["type"] == "MultiPoint"
    # Vilseck (Bavaria) to Romania: the line runs east, from about 11.8° E.
    (start, end), *_ = features[0]["geometry"]["coordinates"]
    assert 11 < start[0] < 12.5 and end[0] > 20
    assert browser.requests == [] and browser.errors == []


def test_the_bundled_page_offers_the_data_with_its_sources(
    render: Any, tmp_path: Path, browser: Any
) -> None:
    page_path = tmp_path / "map.html"
    render("-o", str(page_path))
    page = browser.open(page_path, width=390, height=844)
    wait_until(page, "!document.querySelector('.tm-get-data').hidden")  # the CSV is unpacked
    footer = page.locator(".tm-footer").inner_text()
    assert "Get the data: CSV · GeoJSON." in footer and "Sources:" in footer
    collection = json.loads(download(page, "geojson"))
    assert all(f["properties"]["source"] for f in collection["features"])


def test_no_data_download_leaves_the_links_and_the_text_out(
    render: Any, tmp_path: Path, write_csv: Any
) -> None:
    source = write_csv(HOSTILE_CSV)
    page_path = tmp_path / "map.html"
    render(str(source), "-o", str(page_path), "--no-data-download")
    html = page_path.read_text(encoding="utf-8")
    assert "Get the data" not in html and "download" not in page_data_of(page_path)


def test_the_style_file_can_turn_the_download_off(
    render: Any, tmp_path: Path, write_csv: Any
) -> None:
    style = tmp_path / "house.toml"
    style.write_text("data_download = false\n", encoding="utf-8")
    page_path = tmp_path / "map.html"
    render("-o", str(page_path), "--style", str(style))
    assert "Get the data" not in page_path.read_text(encoding="utf-8")


def test_a_style_setting_of_the_wrong_kind_is_an_error(invoke: Any, tmp_path: Path) -> None:
    style = tmp_path / "house.toml"
    style.write_text('data_download = "no"\n', encoding="utf-8")
    result = invoke("render", "-o", str(tmp_path / "m.html"), "--style", str(style))
    assert result.exit_code == 1
    assert "data_download must be true or false" in result.stderr


def test_a_workbook_is_offered_back_as_csv(tmp_path: Path, render: Any) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["actor", "origin", "destination", "troops", "desk"])
    sheet.append(["Russia", "Moscow", "Minsk", 30000, 'said "soon", twice'])
    book.save(tmp_path / "desk book.xlsx")
    page_path = tmp_path / "map.html"
    render(str(tmp_path / "desk book.xlsx"), "-o", str(page_path))
    data = page_data_of(page_path)["download"]
    assert data["file"] == "desk-book"
    text = gzip.decompress(base64.b64decode(data["csv"])).decode("utf-8")
    assert list(csv.reader(io.StringIO(text))) == [
        ["actor", "origin", "destination", "troops", "desk"],
        ["Russia", "Moscow", "Minsk", "30000", 'said "soon", twice'],
    ]
