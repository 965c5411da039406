"""Fuzzing the CSV reader and the whole check/render path with hypothesis.

Whatever the bytes, troopmap ends with exit 0, 1 or 2 and words for people: never a
traceback, never a half-written map. The normal run is bounded (about 800 examples in all);
for a longer run (25 times as many examples, drawn afresh)::

    TROOPMAP_FUZZ=long pytest tests/test_fuzz.py

How long hostile files take, and how much memory, is measured by
``tests/benchmarks/hostile.py``, not asserted here.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from geo import pipeline
from geo.cli import main
from geo.dataset import (
    COLUMNS,
    MAX_DESTINATIONS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_TROOPS,
    STATUSES,
    Dataset,
    check_text,
    checking,
    creader,
    decode,
    parse_movements,
)
from geo.errors import DataError, printable
from geo.gazetteer import Gazetteer, read_places
from geo.reading import remove_control_characters, sniff_delimiter

LONG = os.environ.get("TROOPMAP_FUZZ", "") == "long"


def fuzz(examples: int) -> Any:
    """Hypothesis settings: ``examples`` in the normal run (the same ones every time, so CI is
    steady), 25 times as many fresh ones in the long run; no deadline (times are for the
    benchmarks)."""
    return settings(
        max_examples=examples * 25 if LONG else examples,
        deadline=None,
        derandomize=not LONG,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
        print_blob=True,
    )


# --- what to feed ---------------------------------------------------------------------------

LONG_NAME = "Novo Selo Training Area " * 84  # 2,000+ characters
NASTY = [
    "",
    " ",
    "\x00",
    "\x00\x00actor",
    "\ufeff",
    "\ufeffactor",
    "actor\ufeff",
    "\u2028",
    "\r",
    "1e309",
    "-1e309",
    "1e-309",
    "NaN",
    "nan",
    "-nan",
    "inf",
    "Infinity",
    "∞",
    "-∞",
    "-0",
    "+0",
    "0",
    "00",
    "0x10",
    "1_000",
    "１０００",
    "١٢٣",
    "²",
    "1,000",
    "1 000",
    "1.000",
    "1'000",
    "~30000",
    "~",
    "≈",
    "about",
    "-1",
    "10000001",
    "9" * 5000,
    "1," + "000," * 300 + "000",
    "2022-02-02",
    "2022-02-30",
    "2022-13",
    "0000-01",
    "9999-12",
    "2022-02-20/2022-02-10",
    "2022-02-10/",
    "/",
    "//",
    "2022/02/02",
    "02.02.2022",
    "Poland",
    "Germany; Poland",
    "Germany;Poland=1700",
    "Poland=300; Romania=700",
    "Poland=",
    "=100",
    "Poland=1e309",
    "Poland=NaN",
    "Poland=-0",
    "Poland=∞",
    ";",
    ";;;",
    "=",
    "Poland;poland",
    "Brest, Belarus",
    "52.2,21.0",
    "91,181",
    "-0,-0",
    "NaN,NaN",
    "1e309,1e309",
    "inf, inf",
    "0,0",
    LONG_NAME,
    "; ".join(f"Place {i}" for i in range(200)),
    "; ".join(["Poland", "Germany", "Romania"] * 70),
    "x" * (MAX_FIELD_CHARS + 1),
    "javascript:alert(1)",
    "https://",
    "https://a.b",
    "http://[::1]/",
    "https://exa mple.com",
    "<script>alert(1)</script>",
    "{{7*7}}",
    '"',
    '""',
    "'",
    "\\",
    "#comment",
    "\t",
    "ordered",
    "ORDERED",
    "claimed ",
    "friend",
    "hostile",
    "announced?",
]
GOOD = {
    "id": ["", "", "", "m-1"],
    "date": ["", "2022-02-02", "2022-02", "2022-02-10/2022-02-20"],
    "reported": ["", "2022-02-02", "2022-02-12"],
    "actor": ["United States", "Russia", "NATO"],
    "unit": ["", "2nd Cavalry Regiment", "82nd Airborne"],
    "origin": ["", "Germany", "United States", "Russia", "Fort Bragg"],
    "destination": ["Poland", "Romania", "Germany; Poland", "Belarus", "Lithuania"],
    "troops": ["1000", "1,000", "~30000", "0"],
    "status": ["", "ordered", "arrived", "claimed", "withdrawn"],
    "source": ["", "https://example.org/report"],
    "notes": ["", "Note with, a comma", 'A "quoted" note', "Two\nlines"],
    "symbol": ["", "armoured cavalry squadron", "SFGPUCR---"],
    "affiliation": ["", "friend", "hostile", "unknown"],
    "colour": ["", "#C0392B", "#1f4e9c"],
}
HEADER_NAMES = [
    *COLUMNS,
    "Actor",
    " TROOPS ",
    "Destination ",
    "\ufeffid",
    "actor",
    "Unknown",
    "",
    "origin;destination",
    "troops\x00",
]
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp1252",
    "latin-1",
    "mac-roman",
    "koi8-r",
    "shift_jis",
    "gb18030",
    "utf-32",
]

cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


@st.composite
def headers(draw: Any) -> list[str]:
    """Mostly a sensible header (the required columns and some others, in any order, in any
    case); sometimes an odd one: columns missing, repeated, unknown, empty."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.lists(st.sampled_from(HEADER_NAMES), max_size=14))
    optional = draw(st.lists(st.sampled_from(COLUMNS), unique=True))
    names = [*dict.fromkeys(["actor", "destination", "troops", *optional])]
    names = draw(st.permutations(names))
    spelt = st.sampled_from([str.lower, str.upper, str.title, lambda n: f" {n} "])
    return [draw(spelt)(name) for name in names]


@st.composite
def csv_texts(draw: Any) -> str:
    """A CSV as people (and programs) make them: a header, rows that are mostly sensible (how
    many nasty values varies from file to file), sometimes ragged, quoted or not, and now
    and then a BOM in the middle."""
    header = draw(headers())
    nasty = draw(st.sampled_from([0.0, 0.0, 0.0, 0.05, 0.2, 0.6]))
    rows = []
    for _ in range(draw(st.integers(0, 8)) or draw(st.integers(0, 8))):
        row = []
        for name in header:
            good = GOOD.get(name.strip().lower().lstrip("\ufeff"))
            if good and draw(st.floats(0, 1)) >= nasty:
                row.append(draw(st.sampled_from(good)))
            else:
                row.append(draw(cells))
        if draw(st.integers(0, 9)) == 0:  # ragged: cells missing or extra
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(cells, max_size=3))
        rows.append(row)
    delimiter = draw(st.sampled_from([",", ",", ",", ",", ";", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    buffer = io.StringIO(newline="")
    if draw(st.integers(0, 9)) == 0:  # written by hand: no quoting at all
        for row in [header, *rows]:
            buffer.write(delimiter.join(row) + newline)
    else:
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(
            [header, *rows]
        )
    text = buffer.getvalue()
    if text and draw(st.integers(0, 9)) == 0:  # a BOM in the middle: files pasted together
        at = draw(st.integers(0, len(text)))
        text = text[:at] + "\ufeff" + text[at:]
    return text


@st.composite
def csv_bytes(draw: Any) -> bytes:
    """Random bytes, or a CSV in a random encoding, now and then cut short or spliced."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=3000))
    text = draw(csv_texts())
    encoding = draw(st.sampled_from(["utf-8"] * len(ENCODINGS) + ENCODINGS))
    raw = codecs.encode(text, encoding, errors="replace")
    if kind == 1 and raw:  # truncated mid-character, or with bytes of another file inside
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=20)) + raw[at + draw(st.integers(0, 5)) :]
    return raw


# --- what must hold -------------------------------------------------------------------------

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and line breaks may stay
_INTERNALS = re.compile(
    r"Traceback|Exception|sys\.|object has no attribute|NoneType|"
    r"out of range|invalid literal|codec can't|unexpected keyword"
)


def assert_reads_or_explains(raw: bytes) -> Dataset | None:
    """The reader's contract: a Dataset of sane movements, or a DataError for people."""
    try:
        dataset = parse_movements(decode(raw), "fuzz.csv")
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert_for_people(str(problem))
        event(f"reader: {error.problems[0].message[:30]}")
        return None
    event("reader: read")
    assert dataset.movements
    for m in dataset:
        assert m.actor and m.actor == m.actor.strip()
        assert 1 <= len(m.destinations) <= MAX_DESTINATIONS
        assert all(d.place for d in m.destinations)
        assert 0 <= m.troops <= MAX_TROOPS
        assert m.status in STATUSES
        assert m.source == "" or re.match(r"^https?://", m.source, re.I)
        for text in (m.id, m.actor, m.unit, m.notes, m.symbol, m.origin or ""):
            assert len(text) <= MAX_FIELD_CHARS
            assert not CONTROL.search(text), text
    for warning in dataset.warnings:
        assert_for_people(str(warning))
    return dataset


def assert_for_people(message: str) -> None:
    assert message.strip()
    assert printable(message) == message, f"unprintable characters in {message!r}"
    assert not _INTERNALS.search(message), f"Python internals in {message!r}"


# --- the reader -----------------------------------------------------------------------------


@fuzz(examples=300)
@given(csv_bytes())
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe")
@example(b"\x00" * 100)
@example(b"actor,destination,troops\n")
@example(b"actor,destination,troops,actor\nUS,Poland,1000,UK\n")
@example(b"actor,destination,troops\nUS,Poland,1e309\nUS,Poland,NaN\nUS,Poland,\xe2\x88\x9e\n")
@example(b"actor,destination,troops\nUS,Poland,-0\n")
@example(b"actor,destination,troops\nUS,Poland,1000\n\xef\xbb\xbfactor,destination,troops\n")
@example(b'actor,destination,troops\nUS,"' + b"x" * 200_000 + b'",1000\n')
@example(b'actor,destination,troops\nUS,"Poland,1000\n')
@example(b"actor,destination,troops\nUS,Po\x00land,10\x0000\n")
@example(
    "actor,destination,troops\nUS,{},1000\n".format("; ".join(f"P{i}" for i in range(200))).encode()
)
def test_the_reader_reads_or_explains_any_bytes(raw: bytes) -> None:
    assert_reads_or_explains(raw)


@fuzz(examples=100)
@given(csv_bytes())
@example(b"name,lat,lon\nX,1e309,NaN\nY,-0,\xe2\x88\x9e\n")
@example(b'name,lat,lon\n"Unclosed,1,2\n')
@example(b"name,lat\n")
def test_a_places_file_reads_or_explains_any_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.csv"
        path.write_bytes(raw)
        try:
            places = read_places(path)
        except DataError as error:
            for problem in error.problems:
                assert_for_people(str(problem))
            return
    for place, names in places:
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
        assert place.name and names


# --- the whole path: troopmap check and troopmap render ------------------------------------


@pytest.fixture(scope="module")
def shared_gazetteer() -> Iterator[None]:
    """One gazetteer for every example: loading its 250,000 names takes seconds, and each
    run of the command would load them again. Its answers do not depend on earlier queries."""
    gazetteer = Gazetteer()

    def bundled_gazetteer(places: Any = ()) -> Gazetteer:
        return Gazetteer(places) if places else gazetteer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "Gazetteer", bundled_gazetteer)
        yield


def run_command(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), "".join(
        traceback.format_exception(result.exception)
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code:
        assert "Error" in result.stderr
    for line in result.stderr.splitlines():
        assert printable(line) == line, line
    event(f"{args[0]}: exit {result.exit_code}")
    return result


@fuzz(examples=300)
@given(csv_texts())
@example('actor,destination,troops\nUS,"Poland\n')
@example('#,,,,,,\nactor,destination,troops\nUS,Poland,1,,x\n\nUS,"Po\r\nland",2\nUS\n')
@example('actor;destination;troops\nUS;"Pol"and;1\n"US";  "Poland";"1"""\n')
def test_the_c_reader_reads_any_text_as_the_csv_module_does(text: str) -> None:
    read_by_c = _checked_text(text)
    event("C reader: " + ("read" if _read_by_c(text) else "left it to the csv module"))
    with mock.patch.object(checking, "read_rows_c", lambda *args: None):
        assert _checked_text(text) == read_by_c


def _checked_text(text: str) -> object:
    try:
        return check_text(text, "fuzz.csv")
    except DataError as error:
        return error.problems


def _read_by_c(text: str) -> bool:
    text = remove_control_characters(text)[0]
    return creader.read_rows_c(text, "fuzz.csv", sniff_delimiter(text)) is not None


@fuzz(examples=40)
@given(csv_bytes())
@example(b"")
@example(b"actor,destination,troops\n")
@example(f"actor,origin,destination,troops\nUS,{LONG_NAME},Poland,1000\n".encode())
@example(b"actor,origin,destination,troops\nUS,Germany,Poland,1000\nUS,Germany,Poland,1000\n")
def test_check_ends_with_0_1_or_2_and_words_for_people(shared_gazetteer: None, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "movements.csv"
        path.write_bytes(raw)
        run_command("check", str(path))


@fuzz(examples=30)
@given(csv_texts())
@example("actor,origin,destination,troops\nUS,Germany,Poland,1000\n")
@example("actor,origin,destination,troops,notes\nUS,52.2,21.0,1000,{{7*7}}\n")
@example(
    "actor,origin,destination,troops\nUS,Germany,{}\n".format(
        ";".join(["Poland", "Romania", "Latvia", "Estonia", "Lithuania"] * 10) + ",~1000"
    )
)
def test_render_writes_a_whole_map_or_nothing(shared_gazetteer: None, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "movements.csv"
        path.write_text(text, encoding="utf-8", newline="")
        page = Path(folder) / "out" / "map.html"
        result = run_command("render", str(path), "-o", str(page))
        assert page.exists() == (result.exit_code == 0)
        if page.exists():
            html = page.read_text(encoding="utf-8")
            assert html.rstrip().endswith("</html>") and "troopmap.draw(" in html
        leftovers = [p.name for p in page.parent.glob("*")] if page.parent.exists() else []
        assert leftovers in ([], ["map.html"]), leftovers


# --- resource limits ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def run_geo(*args: str) -> tuple[int, str]:
    """``python -m geo ARGS`` in a process of its own: (exit code, stderr)."""
    finished = subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True
    )
    return finished.returncode, finished.stderr


def test_a_file_where_every_row_is_wrong_lists_every_problem() -> None:
    text = "actor,origin,destination,troops\n" + "United States,Germany,,lots\n" * 20_000

    dataset = check_text(text, "wrong.csv")

    assert len(dataset.errors) == 40_000 and not dataset.movements


def test_a_million_rows_are_refused_with_a_message(tmp_path: Path) -> None:
    movements = tmp_path / "million.csv"
    movements.write_text(
        "actor,origin,destination,troops\n" + "United States,Germany,Poland,1000\n" * 1_000_000
    )

    code, stderr = run_geo("render", str(movements), "-o", str(tmp_path / "map.html"))

    assert code == 1, stderr
    assert (
        f"Error: {movements}: has more than {MAX_ROWS:,} movements, the most troopmap "
        "draws on one map. Split it into several files"
    ) in stderr
    assert not (tmp_path / "map.html").exists()


def test_a_file_of_200_mb_is_refused_with_a_message(tmp_path: Path) -> None:
    movements = tmp_path / "huge.csv"
    with open(movements, "wb") as handle:
        handle.write(b"actor,origin,destination,troops\n")
        handle.truncate(200_000_000)  # sparse: no need to write 200 MB to test it

    code, stderr = run_geo("check", str(movements))

    assert code == 1, stderr
    assert f"Error: {movements}: is larger than 100 MB, the most troopmap reads." in stderr


def test_the_limits_leave_room_for_100000_movements() -> None:
    rows = "".join(f"m{i},United States,Germany,Poland,{1000 + i}\n" for i in range(100_000))

    dataset = parse_movements("id,actor,origin,destination,troops\n" + rows, "large.csv")

    assert len(dataset) == 100_000
    assert MAX_ROWS >= 100_000
    assert MAX_FILE_BYTES >= 100_000 * 1_000  # 100,000 rows of up to 1,000 bytes each


# --- workbooks ------------------------------------------------------------------------------

workbook_cells = st.one_of(
    cells,
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["=1/0", "=NA()", "=SUM(A1:A2)", "=A1", "#REF!"]),
)


@st.composite
def workbook_bytes(draw: Any) -> bytes:
    """An Excel workbook of sensible and odd rows, cells of every type; now and then damaged."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    header = draw(headers())
    sheet.append([_storable(name) for name in header])
    for _ in range(draw(st.integers(0, 6))):
        row: list[Any] = []
        for name in header:
            good = GOOD.get(name.strip().lower())
            row.append(
                draw(st.sampled_from(good))
                if good and draw(st.integers(0, 5))
                else draw(workbook_cells)
            )
        sheet.append([_storable(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:  # damaged: cut short or with bytes changed
        # Where, as a fraction: the saved bytes (and their length) hold the time of saving.
        at = int(draw(st.floats(0, 1)) * len(raw))
        raw = raw[:at] + draw(st.binary(max_size=50)) + raw[at + draw(st.integers(0, 50)) :]
    return raw


def _storable(value: Any) -> Any:
    """What openpyxl can store: text without the characters XML forbids."""
    if isinstance(value, str):
        return CONTROL.sub("", value).replace("\ufffe", "").replace("\uffff", "")
    return value


@fuzz(examples=30)
@given(workbook_bytes())
def test_check_reads_or_explains_any_workbook(shared_gazetteer: None, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "movements.xlsx"
        path.write_bytes(raw)
        run_command("check", str(path))
