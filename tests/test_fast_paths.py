"""The fast paths (all flows at once, each distinct CSV value checked once) give exactly what the
one-at-a-time definitions give."""

from __future__ import annotations

import csv
import io
import random

import numpy as np
import pytest
import shapely
from shapely import LineString

from geo import dataset, geometry
from geo.dataset import (
    MAX_DESTINATIONS,
    MAX_FIELD_CHARS,
    Movement,
    check_rows,
    check_text,
    checking,
    creader,
    parse_movements,
)
from geo.errors import DataError, Problem
from geo.reading import remove_control_characters

RNG = np.random.default_rng(7)
POINTS = [
    ((13.4, 52.5), (26.1, 44.4)),  # Berlin → Bucharest
    ((-77.0, 38.9), (8.7, 49.4)),  # across the Atlantic
    ((170.0, -40.0), (-150.0, 60.0)),  # across the antimeridian
    ((179.9, 10.0), (-179.9, 10.5)),  # just across it
    ((24.0, 54.0), (24.0, 54.0)),  # the same point
    ((20.0, 84.0), (160.0, 84.0)),  # near the pole
]


def test_many_arcs_at_once_are_the_arcs_drawn_one_at_a_time() -> None:
    starts = np.array([a for a, _ in POINTS] * 30, dtype=float)
    ends = np.array([b for _, b in POINTS] * 30, dtype=float)
    bends = RNG.choice([0.0, 0.16, -0.3, 0.58], size=len(starts))
    together = geometry.arcs(starts, ends, bends)
    for i in range(len(starts)):
        alone = _great_circle_reference(tuple(starts[i]), tuple(ends[i]), 48)
        alone = _bow_reference(alone, float(bends[i]))
        assert np.allclose(together[i], alone, atol=1e-9), i


def test_arrowheads_point_back_along_the_line_as_shapely_measures_it() -> None:
    starts, ends = np.array([a for a, _ in POINTS[:4]]), np.array([b for _, b in POINTS[:4]])
    lines = geometry.arcs(starts, ends, 0.16, 24)
    length, width = np.array([0.3, 2.0, 0.05, 500.0]), np.array([0.2, 1.0, 0.1, 1.0])
    corners = geometry.arrowheads(lines, length, width)
    for i, coords in enumerate(lines):
        line = LineString(coords)
        back = line.interpolate(max(0.0, line.length - length[i] * 1.5))
        tip = coords[-1]
        scale = np.cos(np.radians(np.clip(tip[1], -80, 80)))
        direction = np.array([(tip[0] - back.x) * scale, tip[1] - back.y])
        direction /= np.hypot(*direction) or 1.0
        base = np.array([tip[0] * scale, tip[1]]) - direction * length[i]
        assert np.allclose(corners[i, 0], tip)
        assert np.allclose((corners[i, 1] + corners[i, 2]) / 2 * [scale, 1], base, atol=1e-9)


def test_fork_points_together_are_the_fork_points_one_by_one() -> None:
    origins = RNG.uniform([-20, 35], [60, 65], size=(40, 2))
    destinations = [
        [tuple(p) for p in RNG.uniform([10, 40], [40, 60], size=(k, 2))]
        for k in RNG.integers(2, 5, size=40)
    ]
    together = geometry.fork_points(origins, destinations)
    for i, origin in enumerate(origins):
        assert np.allclose(together[i], geometry.fork_point(tuple(origin), destinations[i]))


def test_bends_fan_out_flows_between_the_same_two_places() -> None:
    berlin, warsaw, riga = (13.4, 52.5), (21.0, 52.2), (24.1, 56.9)
    pairs = [
        (berlin, warsaw),
        (berlin, riga),
        (berlin, warsaw),
        (warsaw, berlin),
        ((13.40001, 52.5), warsaw),
    ]
    assert geometry.bends_for(pairs) == pytest.approx([0.16, 0.16, 0.30, 0.16, 0.44])


def test_a_bad_value_repeated_on_many_rows_is_reported_on_every_row() -> None:
    rows = "\n".join(f"m{i},2022-02-31,Russia,,Pskov,Minsk,100,ordered" for i in range(3))
    with pytest.raises(DataError) as caught:
        parse_movements("id,date,actor,unit,origin,destination,troops,status\n" + rows, "x.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "date"),
        (3, "date"),
        (4, "date"),
    ]


def test_problems_are_listed_by_row_then_along_the_row() -> None:
    text = (
        "id,date,actor,origin,destination,troops,status,source\n"
        "a,2022-13,,Pskov,Pskov,lots,arived,ftp://x\n"
        "b,2022-02-01,Russia,Pskov,Minsk=1;Brest=2,5,ordered,\n"
        "c,2022-13,Russia,Pskov,Minsk,,ordered,\n"
    )
    with pytest.raises(DataError) as caught:
        parse_movements(text, "x.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "actor"),
        (2, "troops"),
        (2, "destination"),
        (2, "date"),
        (2, "status"),
        (2, "source"),
        (3, "troops"),
        (4, "troops"),
        (4, "date"),
    ]


def test_the_origin_named_again_as_destination_is_caught_on_its_row_only() -> None:
    text = (
        "actor,origin,destination,troops\n"
        "Russia,Pskov,Minsk,1\nRussia,minsk,Minsk,1\nRussia,Pskov,Minsk,1\n"
    )
    with pytest.raises(DataError) as caught:
        parse_movements(text, "x.csv")
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (3, '"Minsk" is also the origin; a movement must go somewhere else.')
    ]


def test_rows_sharing_a_destination_cell_each_get_their_own_movement() -> None:
    text = (
        "actor,origin,destination,troops\n"
        "Russia,Pskov,Minsk=1;Brest=2,\nBelarus,Grodno,Minsk=1;Brest=2,3\n"
    )
    dataset = parse_movements(text, "x.csv")
    assert [(m.actor, m.origin, m.troops) for m in dataset] == [
        ("Russia", "Pskov", 3),
        ("Belarus", "Grodno", 3),
    ]
    assert [d.place for d in dataset.movements[1].destinations] == ["Minsk", "Brest"]


# Rows an analyst might write, good and bad, as their cells by column. Each is written many
# times over in the file below, so that every distinct cell is seen again and again.
GOOD_ROWS = [
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": "1000"},
    {
        "actor": " Russia ",
        "origin": "Pskov",
        "destination": " Minsk ",
        "troops": "1,000",
        "date": "2022-02",
        "status": " Arrived ",
        "unit": " 76th Air Assault Division ",
    },
    {
        "actor": "Belarus",
        "destination": "Brest",
        "troops": "~30 000",
        "date": "2022-02-10/2022-02-20",
        "status": "claimed",
        "source": "https://www.reuters.com/world/",
        "notes": "An exercise.",
    },
    {
        "actor": "United States",
        "origin": "Germany",
        "destination": "Poland=1700; Romania=300",
        "troops": "",
        "affiliation": "friend",
        "symbol": "armoured cavalry squadron",
    },
    {
        "actor": "United States",
        "origin": "Germany",
        "destination": "Poland=1700;Romania=300",
        "troops": "2000",
        "affiliation": "Friend",
    },
    {
        "actor": "United States",
        "origin": "United States",
        "destination": "Germany; Poland",
        "troops": "about 2000",
        "symbol": "10031000161211000000",
    },
    {
        "actor": "Russia",
        "origin": "Kursk",
        "destination": "Belgorod",
        "troops": "500",
        "date": "2022-02-28",
        "status": "withdrawn",
        "affiliation": "hostile",
        "symbol": "motor rifle regiment",
        "id": "k-1",
    },
    {
        "actor": "Russia",
        "origin": "Kursk",
        "destination": "Belgorod",
        "troops": "500",
        "date": "2022-02-28",
        "status": "withdrawn",
        "affiliation": "hostile",
        "symbol": "motor rifle regiment",
    },
    {"actor": "Lithuania", "destination": "Vilnius", "troops": "0"},
    {
        "actor": "United States",
        "origin": "Germany",
        "destination": "Poland=~1700;Romania=300",
        "troops": "",
    },
    {
        "actor": "Russia",
        "origin": "Russia",
        "destination": "Belarus",
        "troops": "~30000",
        "date": "2022-02-10/2022-02-20",
        "reported": " 2022-02-02 ",
        "status": "claimed",
        "colour": " #c0392b ",
    },
]
BAD_ROWS = [
    {"actor": "", "origin": "Pskov", "destination": "Minsk", "troops": "1000"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": "lots"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": "2000 soldiers"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": "1000-2000"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": "-5"},
    {"actor": "Poland", "origin": "Warsaw", "destination": "Rzeszów", "troops": "1.000"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": "99999999999"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk", "troops": ""},
    {"actor": "Russia", "origin": "Pskov", "destination": "", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "pskov", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk; Brest; PSKOV", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk; minsk", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "=300; Minsk", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk=300; Brest", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk=300; Brest", "troops": ""},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk=300; Brest", "troops": "300"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk=300; Brest=2", "troops": "5"},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk=many; Brest=2", "troops": ""},
    {"actor": "Russia", "origin": "Pskov", "destination": "Minsk; Brest", "troops": ""},
    {
        "actor": "Russia",
        "destination": ";".join(f"P{i}" for i in range(MAX_DESTINATIONS + 1)),
        "troops": "5",
    },
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "date": "2022-02-30"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "date": "02/03/2022"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "date": "Feb-22"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "date": "2022-03-01/2022-02-01"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "date": "2022-13"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "reported": "2022-02"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "colour": "red"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "colour": "#12345"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "colour": "#00FF00"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "reported": "2022-02-30"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "reported": "2/2/2022"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "status": "arived"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "status": "rumoured"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "affiliation": "freind"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "source": "ftp://x.org/a"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "source": "www.bbc.co.uk/news"},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "symbol": "xyzzy brigade"},
    {
        "actor": "Russia",
        "destination": "Minsk",
        "troops": "5",
        "symbol": "10061000161211000000",
        "affiliation": "friend",
    },
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "notes": "x" * MAX_FIELD_CHARS * 2},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "id": "x" * MAX_FIELD_CHARS * 2},
    {"actor": "Russia", "destination": "Minsk", "troops": "5" * (MAX_FIELD_CHARS + 1)},
    {"actor": "Russia", "destination": "Minsk", "troops": "5", "id": "k-1"},
    {"actor": "R" * (dataset.MAX_NAME_CHARS + 1), "destination": "Minsk", "troops": "5"},
    {
        "actor": "Russia",
        "destination": "Minsk",
        "troops": "5",
        "id": "i" * (dataset.MAX_NAME_CHARS + 1),
    },
    {
        "actor": "",
        "origin": "Minsk",
        "destination": "Minsk=1;Minsk=2",
        "troops": "x",
        "date": "2022-02-29",
        "status": "?",
        "affiliation": "?",
        "source": "x",
        "symbol": "?",
    },
]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_large_file_reports_the_same_problems_as_row_by_row(
    monkeypatch: pytest.MonkeyPatch, delimiter: str
) -> None:
    text = _large_file(delimiter)
    fast = check_text(text, "big.csv")
    # The spreadsheet reader comes in with rows of cells, and a cell it reported already (Excel
    # turned a date into a number) on a row that is otherwise good.
    sheet_rows = [
        (number, cells)
        for number, cells in enumerate(
            csv.reader(io.StringIO(text.replace("\x07", ""), newline=""), delimiter=delimiter),
            start=1,
        )
        if any(c.strip() for c in cells) and not dataset.is_comment(cells[0])
    ]
    earlier = [Problem("big.csv", fast.movements[9].row, "date", "45000", "is a number.")]
    options = {"dot_groups": delimiter == ";", "delimiter": delimiter, "problems": earlier}
    fast_sheet = check_rows(sheet_rows, "big.csv", **options)

    checked_alone: list[int] = []
    movement = dataset.RowChecker.movement
    monkeypatch.setattr(
        dataset.RowChecker,
        "movement",
        lambda self, row, cells: checked_alone.append(row) or movement(self, row, cells),
    )
    assert check_text(text, "big.csv") == fast
    assert set(checked_alone) <= {p.row for p in fast.errors}, "a good row went the slow way"

    monkeypatch.setattr(
        dataset.UsualRows, "movements", lambda self, table, reported: [None] * len(table.rows)
    )
    assert check_text(text, "big.csv") == fast
    assert check_rows(sheet_rows, "big.csv", **options) == fast_sheet
    assert len(fast.movements) > 300 and len(fast_sheet.movements) == len(fast.movements) - 1
    assert {p.column for p in fast.errors} >= {
        None,
        "actor",
        "id",
        "troops",
        "destination",
        "date",
        "reported",
        "status",
        "affiliation",
        "source",
        "symbol",
        "notes",
        "colour",
    }
    assert any("repeats the movement" in p.message for p in fast.warnings)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_c_reader_reads_a_large_file_as_the_csv_module_does(
    monkeypatch: pytest.MonkeyPatch, delimiter: str
) -> None:
    text = _large_file(delimiter)
    assert creader.read_rows_c(remove_control_characters(text)[0], "big.csv", delimiter)
    with_c = check_text(text, "big.csv")

    monkeypatch.setattr(checking, "read_rows_c", lambda *args: None)
    assert check_text(text, "big.csv") == with_c


HEADER = "id,actor,origin,destination,troops,notes\n"
ODD_TEXTS = {
    "comments and blank lines": "# made by hand\n\n" + HEADER + "a,US,Germany,Poland,1,\n"
    "# b,US,Germany,Poland,2,\n#NAFO,US,Germany,Poland,2,x\n  \n,,,,,\nc,US,Germany,Latvia,3,",
    "a comment wider than the header first": "#,,,,,,,,,,,\n" + HEADER + "a,US,Germany,Poland,1,\n",
    "a colour first, and a quoted #": "colour,actor,destination,troops\n#C0392B,US,Poland,1\n"
    '"#2",US,Poland,1\n',
    "line breaks inside quotes": HEADER + 'a,US,Germany,Poland,1,"two\r\nlines"\r\n'
    'b,US,Germany,"Pol\nand",1,\r\nc,US,Germany,Latvia,"1,000",\r\n',
    "a quote left open": HEADER + 'a,US,Germany,Poland,1,"open\nb,US,Germany,Latvia,2,\n'
    'c,US,Germany,Estonia,3,"\nd,US,Germany,Romania,4,\n',
    "quotes inside cells": HEADER + 'a,US,Ger"many,Poland,1,"x"y\nb,US,  "Germany",Poland,1,\n',
    "rows too long and too short": HEADER + "a,US,Germany,Poland,1,,x,y\nb,US,Germany,Poland\n"
    "c,US,Germany,Poland,1,,,,\nd,US,Germany\ne,US,Germany,Poland,1,,,,,,,,,,,z\n",
    "a number split by its comma": HEADER + "a,US,Germany,Poland,1,000,\n",
    "no line break at the end": HEADER + "a,US,Germany,Poland,1,",
    "only a header": HEADER,
    "tabs": HEADER.replace(",", "\t") + "a\tUS\tGermany\tPoland\t1\t\n",
}


@pytest.mark.parametrize("text", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_the_c_reader_reads_odd_files_as_the_csv_module_does(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    delimiter = "\t" if "\t" in text else ","
    assert creader.read_rows_c(text, "odd.csv", delimiter) is not None
    with_c = _checked(text)

    monkeypatch.setattr(checking, "read_rows_c", lambda *args: None)
    assert _checked(text) == with_c


def test_a_row_of_hundreds_of_values_is_left_to_the_csv_module() -> None:
    text = HEADER + "a,US,Germany,Poland,1,," + ",x" * 300 + "\n"

    assert creader.read_rows_c(text, "wide.csv", ",") is None
    assert [p.message for p in check_text(text, "wide.csv").errors] == [
        "has 307 values but the header names 6 columns."
    ]


def test_the_lines_that_were_not_utf8_are_named_by_either_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = HEADER + 'a,US,Germany,Poland,1,"two\nlines"\nb,US,Germany,Pöland,1,\n'
    with_c = check_text(text, "odd.csv", recoded_lines=[3, 4])
    assert [p.row for p in with_c.warnings if "not UTF-8" in p.message] == [2, 3]

    monkeypatch.setattr(checking, "read_rows_c", lambda *args: None)
    assert check_text(text, "odd.csv", recoded_lines=[3, 4]) == with_c


def _checked(text: str) -> object:
    try:
        return check_text(text, "odd.csv")
    except DataError as error:
        return error.problems


def test_movements_made_a_column_at_a_time_are_the_movements_made_one_by_one() -> None:
    dataset = parse_movements(
        "actor,origin,destination,troops,date,status\n"
        "Russia,Pskov,Minsk=1;Brest=~2,,2022-02,claimed\n"
    )
    fields = vars(dataset.movements[0])
    made = Movement.of_columns(**{name: [value] for name, value in fields.items()})
    assert made == [Movement(**fields)] and hash(made[0]) == hash(Movement(**fields))
    with pytest.raises(KeyError):
        Movement.of_columns(actor=["Russia"])


def _large_file(delimiter: str) -> str:
    """GOOD_ROWS and BAD_ROWS many times over, shuffled, with all the columns in an unusual
    order, and now and then a comment, a blank line, a row too long or too short, a cell over
    two lines; and a control character."""
    rows = random.Random(3).choices(GOOD_ROWS, k=400) + BAD_ROWS * 3
    random.Random(4).shuffle(rows)
    header = [*dataset.COLUMNS[::-1], "comment"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for number, cells in enumerate(rows):
        writer.writerow([cells.get(column, "") for column in header])
        if number % 97 == 0:
            buffer.write("# a comment\n\n,,,\n")
            writer.writerow([*(GOOD_ROWS[0].get(column, "") for column in header), "", "3"])
            writer.writerow([*(GOOD_ROWS[1].get(column, "") for column in header), " ", ""])
            writer.writerow(["", "", "", "", "", "", "", "2022-02-01\nnoon", "", "", "", "", ""])
            writer.writerow(["Russia", "5", "Minsk"])
    return buffer.getvalue().replace("Pskov", "Psk\x07ov", 1)


def _great_circle_reference(a: tuple[float, float], b: tuple[float, float], n: int) -> np.ndarray:
    """The great circle as first written, one flow at a time (see geometry.great_circle)."""
    import math

    def xyz(p: tuple[float, float]) -> np.ndarray:
        lon, lat = np.radians(p[0]), np.radians(p[1])
        return np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])

    p, q = xyz(a), xyz(b)
    omega = math.acos(float(np.clip(np.dot(p, q), -1.0, 1.0)))
    t = np.linspace(0.0, 1.0, n)
    if omega < 1e-9:
        points = np.outer(1 - t, p) + np.outer(t, q)
    else:
        points = (np.outer(np.sin((1 - t) * omega), p) + np.outer(np.sin(t * omega), q)) / math.sin(
            omega
        )
    lon = np.degrees(np.arctan2(points[:, 1], points[:, 0]))
    lat = np.degrees(np.arctan2(points[:, 2], np.hypot(points[:, 0], points[:, 1])))
    lon = np.degrees(np.unwrap(np.radians(lon)))
    lon += 360.0 * round((a[0] - lon[0]) / 360.0)
    return np.column_stack([lon, lat])


def _bow_reference(points: np.ndarray, bend: float) -> np.ndarray:
    import math

    if bend == 0:
        return points
    scale = math.cos(math.radians(float(np.clip(points[:, 1].mean(), -80, 80))))
    x, y = points[:, 0] * scale, points[:, 1]
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    length = math.hypot(dx, dy)
    if length == 0:
        return points
    right = np.array([dy, -dx]) / length
    t = np.linspace(0.0, 1.0, len(points))
    push = bend * length * 4 * t * (1 - t) / 2
    return np.column_stack(
        [(x + push * right[0]) / scale, np.clip(y + push * right[1], -89.9, 89.9)]
    )


def test_lines_are_made_in_one_call() -> None:
    coords = geometry.arcs(np.array([[0.0, 0.0]] * 3), np.array([[1.0, 1.0]] * 3), 0.16, 5)
    lines = shapely.linestrings(coords)
    assert [len(line.coords) for line in lines] == [5, 5, 5]
