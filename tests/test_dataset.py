"""Reading the movements CSV as people save it, and naming every mistake."""

from __future__ import annotations

from datetime import date

import pytest

from geo.dataset import parse_date, parse_movements, parse_troops, read_movements
from geo.errors import DataError
from geo.paths import bundled_dataset

HEADER = "actor,origin,destination,troops\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse_movements(text, "m.csv")
    return [str(p) for p in caught.value.problems]


def test_bundled_dataset_holds_the_four_movements_of_the_article():
    dataset = read_movements(bundled_dataset())
    assert [
        (m.actor, m.origin, [d.place for d in m.destinations], m.troops, m.estimate)
        for m in dataset
    ] == [
        ("United States", "Germany", ["Romania"], 1000, False),
        ("United States", "United States", ["Germany", "Poland"], 2000, False),
        ("Russia", None, ["Russia–Ukraine border area"], 100_000, True),
        ("Russia", "Russia", ["Belarus"], 30_000, True),
    ]
    assert all(m.source.startswith("https://www.themoscowtimes.com/2022/02/02/") for m in dataset)


def test_fork_without_counts_is_kept_whole_and_flagged():
    dataset = read_movements(bundled_dataset())
    fork = dataset.movements[1]
    assert fork.forked and not fork.split_reported
    assert [d.troops for d in fork.destinations] == [None, None]
    assert any("split not reported" in str(w) for w in dataset.warnings)


def test_exercise_window_is_a_date_range():
    belarus = read_movements(bundled_dataset()).movements[3]
    assert belarus.date is not None and belarus.date.is_range
    assert (belarus.date.start, belarus.date.end) == (date(2022, 2, 10), date(2022, 2, 20))
    assert belarus.status == "claimed"


def test_headers_are_case_insensitive_and_in_any_order():
    dataset = parse_movements("Troops,DESTINATION, Actor \n500,Poland,Germany\n")
    assert dataset.movements[0].actor == "Germany"
    assert dataset.movements[0].troops == 500


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", (1000, False)),
        ("1,000", (1000, False)),
        ("1 000", (1000, False)),
        ("1\u202f000", (1000, False)),
        ("~30000", (30000, True)),
        ("~30,000", (30000, True)),
        ("0", (0, False)),
    ],
)
def test_troops_accept_the_ways_people_write_numbers(text, expected):
    assert parse_troops(text) == expected


@pytest.mark.parametrize("text", ["1.5", "-3", "lots", "1e309", "NaN", "∞", "1,00"])
def test_troops_refuse_what_is_not_a_whole_number(text):
    with pytest.raises(ValueError):
        parse_troops(text)


def test_semicolon_files_from_european_excel_are_read():
    text = "actor;destination;troops\nUnited States;Romania;1.000\n"
    assert parse_movements(text).movements[0].troops == 1000


def test_cp1252_file_as_excel_saves_it(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "actor,destination,troops\nUnited States,Constanţa,1000\n".replace("ţ", "t")
        .replace("Constanta", "Bra\xe7ov")
        .encode("cp1252")
    )
    assert read_movements(path).movements[0].destinations[0].place == "Braçov"


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"actor,destination,troops\nRussia,Belarus,~30000\n")
    assert read_movements(path).movements[0].actor == "Russia"


def test_place_counts_split_a_fork_and_must_add_up():
    dataset = parse_movements(HEADER + 'United States,United States,"Germany=300; Poland=1700",\n')
    movement = dataset.movements[0]
    assert movement.troops == 2000 and movement.split_reported
    assert problems_of(HEADER + 'US,US,"Germany=300; Poland=1700",2500\n') == [
        'm.csv, row 2, column "troops": says 2,500 but the destination counts add up to 2,000. '
        "Make them agree, or leave troops empty."
    ]


def test_every_problem_in_the_file_is_listed_at_once():
    text = (
        "actor,destination,troops,date,status,source\n"
        "United States,Romania,lots,2022-02-02,ordered,https://example.org/a\n"
        ",Poland,100,02/02/2022,ordred,javascript:alert(1)\n"
    )
    assert problems_of(text) == [
        'm.csv, row 2, column "troops": "lots" is not a whole number of troops. '
        "Write a whole number such as 1000, 1,000 or ~30000 for an estimate.",
        'm.csv, row 3, column "actor": is empty. Name who moves, e.g. United States.',
        'm.csv, row 3, column "date": "02/02/2022" is not a date in the form YYYY-MM-DD, '
        "YYYY-MM or YYYY-MM-DD/YYYY-MM-DD. Write dates as YYYY-MM-DD, e.g. 2022-02-02.",
        'm.csv, row 3, column "status": "ordred" is not a known status. Did you mean "ordered"?',
        'm.csv, row 3, column "source": "javascript:alert(1)" is not a web link; only http:// '
        "and https:// links are allowed. Give the report's address, starting with https://.",
    ]


def test_missing_required_column_is_named():
    assert problems_of("actor,destination\nRussia,Belarus\n") == [
        'm.csv, row 1, column "troops": the required column "troops" is missing. '
        "The header must name at least: actor, destination, troops."
    ]


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    text = HEADER + 'Russia,Russia,Belarus,1\n"Russia",,"Line one\nline two",x\n'
    assert problems_of(text)[0].startswith('m.csv, row 3, column "troops"')


def test_duplicate_ids_are_refused():
    text = "id,actor,destination,troops\na,Russia,Belarus,1\na,Russia,Belarus,2\n"
    assert problems_of(text) == [
        'm.csv, row 3, column "id": "a" is already the id of row 2. '
        "Give every movement its own id, or leave id empty."
    ]


def test_empty_file_and_header_only_are_explained():
    assert problems_of("") == [
        "m.csv: is empty. The first line must name the columns: "
        "id,date,reported,actor,unit,origin,destination,troops,status,source,notes,symbol,"
        "affiliation,colour."
    ]
    assert problems_of(HEADER) == [
        "m.csv, row 1: has a header but no movements. Add one row per movement below the header."
    ]


def test_dates_day_month_and_window():
    assert parse_date("2022-02").end == date(2022, 2, 28)
    assert parse_date("2022-02-10/2022-02-20").is_range
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_date("2022-02-20/2022-02-10")
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2022-02-30")


def test_comment_and_blank_lines_are_skipped():
    text = "# movements from the briefing\n" + HEADER + "\nRussia,Russia,Belarus,5\n"
    assert len(parse_movements(text)) == 1
