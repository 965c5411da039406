"""The command line, end to end, with the words a user sees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ARTICLE


def test_render_draws_the_bundled_map_by_default(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render")
    assert result.exit_code == 0, result.output
    page = tmp_path / "outputs" / "deployments.html"
    assert page.exists()
    assert "Wrote outputs/deployments.html" in result.stdout
    assert "3 movements and 1 stationed force as reported" in result.stdout


def test_render_writes_where_asked_and_creates_folders(invoke, tmp_path):
    target = tmp_path / "report maps" / "déploiements.html"
    result = invoke("render", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_bad_data_exits_1_listing_every_problem_and_writes_nothing(invoke, write_csv, tmp_path):
    csv = write_csv(f"""
        actor,origin,destination,troops,source
        United States,Germany,Romaina,1000,{ARTICLE}
        Russia,Russia,Belarus,many,{ARTICLE}
        """)
    out = tmp_path / "map.html"
    result = invoke("render", str(csv), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'Error: {csv}, row 2, column "destination": unknown place "Romaina". '
        'Did you mean "Romania", "Romaine", "La Romana"? Or add it to a places file (--places).',
        f'Error: {csv}, row 3, column "troops": "many" is not a whole number of troops. '
        "Write a whole number such as 1000, 1,000 or ~30000 for an estimate.",
        "2 problems found; nothing was written.",
    ]
    assert not out.exists()


def test_unknown_place_suggests_the_closest_name(invoke, write_csv, tmp_path):
    csv = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Romaina,1000
        """)
    result = invoke("check", str(csv))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f'Error: {csv}, row 2, column "destination": unknown place "Romaina". '
        'Did you mean "Romania"'
    )


def test_a_failed_render_keeps_the_previous_map(invoke, write_csv, tmp_path):
    out = tmp_path / "map.html"
    assert invoke("render", "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    bad = write_csv("actor,destination,troops\nRussia,Xyzzyville,5\n")
    assert invoke("render", str(bad), "-o", str(out)).exit_code == 1
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_unknown_output_format_is_a_usage_error(invoke, tmp_path):
    result = invoke("render", "-o", str(tmp_path / "map.docx"))
    assert result.exit_code == 2
    assert '"docx"' not in result.stderr
    assert '".docx" is not a format troopmap writes. Use one of: .html' in result.stderr


def test_missing_csv_is_bad_data_with_its_name(invoke, tmp_path):
    result = invoke("check", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nope.csv'}: file not found." in result.stderr


def test_output_path_that_is_a_folder_is_a_usage_error(invoke, tmp_path):
    result = invoke("render", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder; give a file name" in result.stderr


def test_check_says_the_bundled_data_is_clean(invoke):
    result = invoke("check")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "deployments.csv (bundled): no errors, 3 warnings (3 movements, 1 stationed force, "
        "7 places)."
    )


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from geo.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'pandas', 'geopandas', 'folium', 'shapely', 'matplotlib', 'numpy'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m_geo_works(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "geo", "--help"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.returncode == 0
    assert "render" in out.stdout and "check" in out.stdout


def test_ambiguous_place_is_drawn_with_a_warning_naming_the_others(invoke, write_csv, tmp_path):
    csv = write_csv("actor,origin,destination,troops\nRussia,Yelnya,Brest,5000\n")
    result = invoke("render", str(csv), "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0
    assert (
        f'Warning: {csv}, row 2, column "destination": "Brest" could be several places; '
        "using Brest, BY (city), the largest (347,138 people). Others: Brest, FR (city). "
        'Write "Brest, Country" to choose.'
    ) in result.stderr


def test_a_places_file_adds_and_overrides_names(invoke, write_csv, tmp_path):
    places = write_csv(
        "name,aliases,lat,lon,country,kind\nCamp Alpha,Alpha,54.1,23.2,LT,army base\n",
        name="places.csv",
    )
    csv = write_csv("actor,origin,destination,troops\nUnited States,Germany,Camp Alpha,400\n")
    assert invoke("check", str(csv)).exit_code == 1
    result = invoke("check", str(csv), "--places", str(places))
    assert result.exit_code == 0, result.stderr
