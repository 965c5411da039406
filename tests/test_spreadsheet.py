"""Excel workbooks read beside CSV: values as Excel stores them, Excel's mistakes reported."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from geo import pipeline

Invoke = Callable[..., Any]
HEADER = ["id", "date", "actor", "unit", "origin", "destination", "troops", "status"]


def workbook(
    path: Path,
    rows: list[list[Any]],
    *,
    formats: dict[str, str] | None = None,
    sheets: tuple[str, ...] = ("Movements",),
) -> Path:
    """Write an .xlsx with openpyxl as Excel would hold it: typed cells, number formats."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheets[0]
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    for name in sheets[1:]:
        book.create_sheet(name)
    book.save(path)
    return path


def test_dates_and_numbers_are_read_as_excel_stores_them(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "movements.xlsx",
        [
            HEADER,
            [
                "a",
                dt.datetime(2022, 2, 2),
                "United States",
                "",
                "Germany",
                "Romania",
                1000,
                "ordered",
            ],
            ["b", dt.datetime(2022, 2, 1), "Russia", "", "Russia", "Belarus", "~30000", "claimed"],
            ["c", "2022-02-10/2022-02-20", "Russia", "", "Russia", "Belarus", 2500.0, None],
            ["# a note for people, skipped like a # line of a CSV"],
        ],
        formats={"B3": "mmm-yy"},
    )
    dataset = pipeline.load(path)
    assert [(m.id, m.date.text if m.date else "", m.troops, m.estimate) for m in dataset] == [
        ("a", "2022-02-02", 1000, False),
        ("b", "2022-02", 30000, True),
        ("c", "2022-02-10/2022-02-20", 2500, False),
    ]
    assert [m.row for m in dataset] == [2, 3, 4]


def test_a_workbook_is_checked_by_the_same_rules_as_a_csv(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    workbook(
        tmp_path / "movements.xlsx",
        [
            HEADER,
            ["a", "2022-02-02", "United States", "", "Germny", "Romania", 1000, "orderd"],
        ],
    )
    result = invoke("check", "movements.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'Error: movements.xlsx, row 2, column "origin": unknown place "Germny". Did you mean '
        '"Germany"? Or add it to a places file (--places).',
        'Error: movements.xlsx, row 2, column "status": "orderd" is not a known status. '
        'Did you mean "ordered"?',
        "movements.xlsx: 2 errors. Fix them, then check again.",
    ]


def test_cells_excel_changed_by_mistake_are_reported_not_changed_back(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    workbook(
        tmp_path / "movements.xlsx",
        [
            HEADER,
            [
                "a",
                44594,
                "United States",
                dt.datetime(2022, 3, 5),
                "Germany",
                "Romania",
                dt.datetime(2022, 1, 2),
                "ordered",
            ],
            ["b", "2022-02-02", "United States", "=A1", "Germany", "Poland", "#REF!", "ordered"],
            [
                "c",
                "2022-02-02",
                "United States",
                dt.time(10, 20),
                "Germany",
                "Poland",
                1000,
                "ordered",
            ],
        ],
    )
    result = invoke("check", "movements.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'Error: movements.xlsx, row 2, column "date": is the number 44594, which is how Excel '
        "stores the date 2022-02-02; the cell shows it as a number. Format the cell as a date, "
        "or type 2022-02-02.",
        'Error: movements.xlsx, row 2, column "unit": is the date 5 March 2022, but this column '
        "holds text. Excel turns text such as 3-5, 1/2 or Mar-5 into dates. Format the column "
        "as Text and type the value again.",
        'Error: movements.xlsx, row 2, column "troops": is the date 2 January 2022, but this '
        "column holds a number of troops. Excel turns text such as 3-5, 1/2 or Mar-5 into "
        "dates. Format the column as Text and type the value again.",
        'Error: movements.xlsx, row 3, column "unit": holds the formula =A1 but the file has no '
        "saved value for it. Open the file in Excel or LibreOffice and save it, or type the "
        "value.",
        'Error: movements.xlsx, row 3, column "troops": holds the spreadsheet error #REF!. '
        "Fix the formula or type the value.",
        'Error: movements.xlsx, row 4, column "unit": is the time 10:20; Excel makes times from '
        "text such as 10:20. Format the column as Text and type the value again.",
        "movements.xlsx: 6 errors. Fix them, then check again.",
    ]


def test_a_formula_whose_value_excel_saved_is_read_as_that_value(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "movements.xlsx",
        [
            HEADER,
            ["a", "2022-02-02", "United States", "", "Germany", "Romania", "=500*2", "ordered"],
        ],
    )
    _save_cached_value(path, "G2", 1000)
    assert [m.troops for m in pipeline.load(path)] == [1000]


def _save_cached_value(path: Path, cell: str, value: int) -> None:
    """What Excel does on saving: keep the formula and write its value beside it."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = files[sheet].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start)
    formula = xml[xml.index("<f>", start) : xml.index("</f>", start) + 4]
    files[sheet] = (xml[:start] + f'<c r="{cell}">{formula}<v>{value}</v>' + xml[end:]).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_the_first_sheet_is_read_unless_one_is_named(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Sources and notes, not movements"])
    moves = book.create_sheet("Movements")
    moves.append(["actor", "origin", "destination", "troops"])
    moves.append(["United States", "Germany", "Romania", 1000])
    book.save(path)

    first = invoke("check", "book.xlsx")
    assert first.exit_code == 1
    assert first.output.splitlines()[0].startswith(
        'Error: book.xlsx, sheet "Notes", row 1, column "actor": the required column "actor" '
        "is missing."
    )
    named = invoke("check", "book.xlsx", "--sheet", "movements")
    assert named.exit_code == 0
    assert named.stdout == (
        "book.xlsx: no problems found (1 movement, 0 stationed forces, 2 places).\n"
    )


def test_an_unknown_sheet_is_a_usage_error_listing_the_sheets(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    workbook(tmp_path / "book.xlsx", [HEADER], sheets=("Movements", "Notes"))
    result = invoke("check", "book.xlsx", "--sheet", "Movments")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        'Error: book.xlsx has no sheet "Movments". Did you mean "Movements"? '
        'Its sheets: "Movements", "Notes".'
    )


def test_sheet_is_only_for_workbooks(invoke: Invoke, write_csv: Callable[..., Path]) -> None:
    path = write_csv("actor,destination,troops\nRussia,Belarus,1\n")
    result = invoke("check", str(path), "--sheet", "Movements")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: --sheet is for Excel workbooks (.xlsx); {path} is a text file."
    )


def test_old_and_other_spreadsheet_formats_say_how_to_save(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    (tmp_path / "bad.xlsx").write_text("this is not a workbook")
    old = invoke("check", "old.xls")
    assert old.exit_code == 1
    assert old.output.splitlines()[0] == (
        "Error: old.xls: is an old Excel 97–2003 workbook, which troopmap cannot read. "
        "Save it as an Excel workbook (.xlsx) or as CSV."
    )
    bad = invoke("check", "bad.xlsx")
    assert bad.exit_code == 1
    assert bad.output.splitlines()[0] == (
        "Error: bad.xlsx: cannot be read as an Excel workbook (File is not a zip file). "
        "Open it in Excel or LibreOffice and save it again as .xlsx."
    )


def test_a_workbook_renders_to_a_map(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    workbook(
        tmp_path / "movements.xlsx",
        [
            HEADER,
            [
                "a",
                dt.datetime(2022, 2, 2),
                "United States",
                "",
                "Germany",
                "Romania",
                1000,
                "ordered",
            ],
        ],
    )
    result = invoke("render", "movements.xlsx", "-o", "map.html")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote map.html (")
    assert "Romania" in (tmp_path / "map.html").read_text(encoding="utf-8")


def _rewrite_sheet(path: Path, change: Callable[[str], str]) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    files[sheet] = change(files[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_a_workbook_built_to_harm_is_refused_in_words(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = workbook(
        tmp_path / "bomb.xlsx",
        [HEADER, ["a", "2022-02-02", "Russia", "", "Russia", "Belarus", 1, "claimed"]],
    )
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    _rewrite_sheet(path, lambda xml: laughs + xml)
    result = invoke("check", "bomb.xlsx")
    assert result.exit_code == 1
    assert result.output.startswith("Error: bomb.xlsx: cannot be read as an Excel workbook (")
    assert "Traceback" not in result.output


def test_a_workbook_that_unpacks_too_large_is_refused(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo import spreadsheet

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED_BYTES", 1000)
    workbook(tmp_path / "big.xlsx", [HEADER])
    result = invoke("check", "big.xlsx")
    assert result.exit_code == 1
    assert re.match(
        r"Error: big\.xlsx: unpacks to \d+ MB, more than the 0 MB troopmap reads\. "
        r"Save the movements alone, as CSV\.",
        result.output,
    )
