"""Reading a CSV: what the file says is what troopmap reads, or it says why not.

Each test is a file a person or a program could save, where a naive reader would silently
read something else: lines swallowed by a quote, rows taken for comments, a number split by
its comma, cells shifted by a missing value, an id given twice, one line in another encoding.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.dataset import check_text, decode_lines

Invoke = Callable[..., Any]
WriteCsv = Callable[..., Path]


def errors_and_warnings(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("Error:", "Warning:"))]


def test_an_unclosed_quote_names_the_row_where_it_opens_and_the_lines_it_swallowed(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Romania,"1000
        United States,Germany,Poland,1700
        Russia,Pskov,Minsk,3000
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert errors_and_warnings(result) == [
        f'Error: {path}, row 2, column "troops": a quote opens in this value and is not '
        "closed where it ends: the 2 lines after it, which look like rows, were read as part "
        "of it. Close the quote, or remove it."
    ]


def test_a_quoted_cell_over_two_lines_is_still_one_value(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        actor,origin,destination,troops,notes
        United States,Germany,Romania,1000,"First line,
        second line, with commas"
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 0, result.stderr
    assert errors_and_warnings(result) == []


def test_a_first_value_starting_with_a_hash_in_quotes_is_a_row(
    invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv("""
        # a comment line, skipped
        id,actor,origin,destination,troops
        "#2",United States,Germany,Romania,1000
        "#NAFO fellas",United States,Germany,Poland,1700
    """)

    result = invoke("render", str(path), "-o", str(tmp_path / "map.geojson"))

    assert result.exit_code == 0, result.stderr
    assert "Wrote" in result.stdout and "2 movements" in result.stdout


def test_a_comment_line_that_looks_like_a_row_is_named(invoke: Invoke, write_csv: WriteCsv) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        #NAFO fellas,Germany,Poland,1700
        # a note, with a comma
        United States,Germany,Romania,1000
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 0
    assert errors_and_warnings(result) == [
        f'Warning: {path}, row 2: starts with "#", so it is skipped as a comment, but it has '
        "4 values like a row. If it is a movement, put its first value in quotes: "
        '"#NAFO fellas".'
    ]


def test_a_thousands_comma_that_splits_troops_into_the_next_column_is_named(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        actor,origin,destination,troops,notes
        US,Germany,Poland,1,000
        US,Germany,Romania,"1,000",
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert errors_and_warnings(result) == [
        f'Error: {path}, row 2, column "troops": "1" and the next value, "000", look like one '
        "number, 1,000, split by its comma. Write it without the comma (1000), or in quotes "
        '("1,000").'
    ]


def test_a_row_with_a_value_missing_says_so_instead_of_blaming_shifted_columns(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        id,date,actor,unit,origin,destination,troops,status,source,notes
        a,2022-02-02,United States,,Germany,Romania,1000,ordered,,
        b,2022-02-02,United States,Germany,Poland,1000,ordered,,
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert errors_and_warnings(result) == [
        f"Error: {path}, row 3: has 9 values but the header names 10 columns. Write every "
        "value, empty ones too (a,,b), so that each is under its column."
    ]


def test_a_row_without_its_last_empty_values_is_fine(invoke: Invoke, write_csv: WriteCsv) -> None:
    path = write_csv("""
        actor,origin,destination,troops,status,notes
        United States,Germany,Romania,1000
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 0, result.stderr


def test_an_id_given_twice_names_both_rows_even_when_one_has_other_errors(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        id,actor,origin,destination,troops
        us-1,United States,Germany,Romania,many
        us-1,United States,Germany,Poland,1700
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert errors_and_warnings(result)[-1] == (
        f'Error: {path}, row 3, column "id": "us-1" is already the id of row 2. Give every '
        "movement its own id, or leave id empty."
    )


def test_an_id_that_troopmap_gives_another_row_is_named(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    path = write_csv("""
        id,actor,origin,destination,troops
        row-3,United States,Germany,Romania,1000
        ,United States,Germany,Poland,1700
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert errors_and_warnings(result) == [
        f'Error: {path}, row 2, column "id": "row-3" is the id troopmap gives row 3, which has '
        "none. Choose another id, or give row 3 one."
    ]


def test_one_stray_windows_byte_in_a_utf8_file_changes_only_its_own_row(
    invoke: Invoke, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = tmp_path / "movements.csv"
    path.write_bytes(
        "actor,unit,origin,destination,troops\n"
        "Polska,Dywizja Wołyńska,Warsaw,Rzeszów,1000\n".encode()
        + "Germany,Panzergrenadierbrigade Müller,Berlin,Vilnius,500\n".encode("cp1252")
    )

    result = invoke("check", str(path))

    assert result.exit_code == 0
    assert errors_and_warnings(result) == [
        f"Warning: {path}, row 3: is not UTF-8 like the rest of the file: it was read as "
        'Windows-1252 ("Panzergrenadierbrigade Müller"). Check its accents, and save the file '
        "as UTF-8."
    ]
    text, recoded = decode_lines(path.read_bytes())
    assert recoded == [3]
    units = [m.unit for m in check_text(text, "m.csv", recoded_lines=recoded)]
    assert units == ["Dywizja Wołyńska", "Panzergrenadierbrigade Müller"]


def test_a_file_saved_in_windows_1252_is_read_as_such_without_a_word() -> None:
    raw = "actor,origin\nMüller,Köln\n".encode("cp1252")
    assert decode_lines(raw) == ("actor,origin\nMüller,Köln\n", [])


# --- pipes and standard input -----------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
MOVEMENTS = "actor,origin,destination,troops\nUnited States,Germany,Camp Kosciuszko,1000\n"
PLACES = "name,aliases,lat,lon,country,kind\nCamp Kosciuszko,,52.41,16.93,PL,base\n"


def troopmap_in_a_shell(script: str, folder: Path, stdin: str = "") -> Any:
    """Run a shell line calling troopmap (as `troopmap`), bounded in time."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = f'troopmap() {{ "{sys.executable}" -m geo "$@"; }}; {script}'
    return subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_dash_reads_the_csv_from_standard_input(
    invoke: Invoke, runner: Any, tmp_path: Path
) -> None:
    from geo.cli import main

    result = runner.invoke(
        main, ["check", "-"], input=MOVEMENTS.replace("Camp Kosciuszko", "Poland")
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "standard input: no problems found (1 movement, 0 stationed forces, 2 places).\n"
    )


def test_a_csv_piped_in_and_places_from_process_substitution_are_read_whole(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(MOVEMENTS)
    (tmp_path / "p.csv").write_text(PLACES)

    piped = troopmap_in_a_shell(
        "cat m.csv | troopmap render /dev/stdin -o a.geojson --places <(cat p.csv)", tmp_path
    )
    checked = troopmap_in_a_shell("troopmap check <(cat m.csv) --places <(cat p.csv)", tmp_path)

    assert piped.returncode == 0, piped.stderr
    assert "Wrote a.geojson" in piped.stdout and "1 movement" in piped.stdout
    assert checked.returncode == 0, checked.stderr
    assert "no problems found (1 movement, 0 stationed forces, 2 places)." in checked.stdout


def test_a_workbook_piped_in_is_refused_in_words(tmp_path: Path) -> None:
    (tmp_path / "m.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 100)

    result = troopmap_in_a_shell("cat m.xlsx | troopmap check -", tmp_path)

    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "Error: standard input: is an Excel workbook, which troopmap reads only from a file, "
        "not from a pipe. Save it, and give its name."
    )


def test_standard_input_cannot_be_watched(runner: Any, tmp_path: Path) -> None:
    from geo.cli import main

    result = runner.invoke(
        main, ["render", "-", "--watch", "-o", str(tmp_path / "m.html")], input=MOVEMENTS
    )

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --watch draws the map again when its file is saved; standard input cannot be "
        "watched. Give the file's name."
    )


# --- the places file ----------------------------------------------------------------------


def test_a_country_written_by_name_in_a_places_file_gets_its_code(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    movements = write_csv(MOVEMENTS)
    places = write_csv(
        """
        name,aliases,lat,lon,country,kind
        Camp Kosciuszko,,52.41,16.93,Poland,base
        Pabrade training area,,54.98,25.77,Lithuania,training area
        Somewhere,,54.0,25.0,ZZ,base
    """,
        name="places.csv",
    )

    result = invoke("check", str(movements), "--places", str(places))

    assert result.exit_code == 1
    assert [line for line in errors_and_warnings(result) if "places.csv" in line] == [
        f'Error: {places}, row 2, column "country": "Poland" is not a two-letter country '
        "code. Write its code: PL.",
        f'Error: {places}, row 3, column "country": "Lithuania" is not a two-letter country '
        "code. Write its code: LT.",
        f'Error: {places}, row 4, column "country": "ZZ" is not a two-letter country code. '
        "Write the country's ISO code, e.g. PL for Poland, or leave it empty.",
    ]


def test_decimal_commas_in_a_semicolon_places_file_get_a_hint(
    invoke: Invoke, write_csv: WriteCsv
) -> None:
    movements = write_csv(MOVEMENTS)
    places = write_csv(
        """
        name;aliases;lat;lon;country;kind
        Camp Kosciuszko;;52,41;16,93;pl;base
    """,
        name="places.csv",
    )

    result = invoke("check", str(movements), "--places", str(places))

    assert result.exit_code == 1
    assert errors_and_warnings(result)[:2] == [
        f'Error: {places}, row 2, column "lat": is not a latitude between -90 and 90. Write '
        "the decimals after a point: 52.41.",
        f'Error: {places}, row 2, column "lon": is not a longitude between -180 and 180. Write '
        "the decimals after a point: 16.93.",
    ]


def test_a_windows_1252_file_with_one_utf8_looking_pair_is_read_as_windows_1252() -> None:
    raw = ("actor,unit\nArmée,Brigade Müller\nBundeswehr,Jäger\nPolska,Ã©quipe\n").encode(
        "cp1252"
    )  # "Ã©" in cp1252 is the UTF-8 of "é"

    text, recoded = decode_lines(raw)

    assert recoded == []
    assert "Brigade Müller" in text and "Ã©quipe" in text


def test_a_csv_redirected_to_standard_input_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(MOVEMENTS.replace("Camp Kosciuszko", "Poland"))

    result = troopmap_in_a_shell("troopmap check - < m.csv", tmp_path)

    assert result.returncode == 0, result.stderr
    assert "standard input: no problems found (1 movement" in result.stdout


def test_an_actor_or_id_longer_than_a_name_is_refused(invoke: Invoke, write_csv: WriteCsv) -> None:
    actor = "Forces " * 40  # 280 characters
    path = write_csv(f"""
        id,actor,origin,destination,troops
        a,{actor},Germany,Poland,1000
    """)

    result = invoke("check", str(path))

    assert result.exit_code == 1
    assert errors_and_warnings(result) == [
        f'Error: {path}, row 2, column "actor": is 279 characters long; the name of an actor '
        "is at most 200 characters. Put the rest in notes."
    ]
