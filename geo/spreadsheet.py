"""Excel workbooks (``.xlsx``): the first sheet, or the one named, read as the CSV is read.

Each cell is turned into the text a CSV would hold (``1000``, ``2022-02-02``, ``2022-02`` for a
date shown as a month) and the rows go to the same row checker as a CSV's
(``geo.dataset.check_rows``), so every value means the same and gets the same message.

A cell that Excel turned into something else by mistake is reported, never silently changed
back: a troops count or a unit name that became a date, a date shown as a serial number, a
formula whose value was never saved, a spreadsheet error such as ``#REF!``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .dataset import (
    COLUMNS,
    Dataset,
    check_rows,
    closest,
    did_you_mean,
    is_comment,
    normalise_header,
)
from .errors import DataError, Problem, UsageError
from .reading import read_file_bytes

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UNREADABLE = {
    ".xls": "an old Excel 97–2003 workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "an Apple Numbers file",
}
DATE_COLUMNS = ("date", "reported")  # cells Excel may hold as dates
# A workbook of movements is small; one that unpacks to more is damaged or built to harm.
MAX_UNPACKED_BYTES = 200_000_000
ZIP_MAGIC = b"PK\x03\x04"
# Serial numbers of 1 January 1990 and 31 December 2099: a number in the date column between
# them is a date Excel shows as a number.
_SERIAL_RANGE = (32874, 73050)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_WHAT_BELONGS = {
    "troops": "a number of troops",
    "origin": "a place",
    "destination": "a place",
}


def is_workbook(path: str | Path) -> bool:
    """True for an Excel workbook (by its extension, or a zip file whatever its name)."""
    suffix = Path(path).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES or suffix in UNREADABLE:
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    except OSError:
        return False


def read_workbook(
    path: str | Path, *, sheet: str | None = None, display_name: str | None = None
) -> Dataset:
    """Read and check the movements in a workbook; raise ``DataError`` listing every problem."""
    dataset = check_workbook(path, sheet=sheet, display_name=display_name)
    dataset.raise_for_errors()
    return dataset


def check_workbook(
    path: str | Path, *, sheet: str | None = None, display_name: str | None = None
) -> Dataset:
    """Read a workbook and check every row; row problems are in ``Dataset.errors``."""
    name = display_name or str(path)
    suffix = Path(path).suffix.lower()
    if suffix in UNREADABLE:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"is {UNREADABLE[suffix]}, which troopmap cannot read.",
                    "Save it as an Excel workbook (.xlsx) or as CSV.",
                )
            ]
        )
    read_file_bytes(path, name)  # the same words as for a CSV when it is missing or unreadable
    with _unreadable(name):
        _refuse_bombs(path, name)
        workbook = _open(path, formulas=True)
        try:
            worksheet = _choose_sheet(workbook, sheet, name)
            label = name if len(workbook.sheetnames) == 1 else f'{name}, sheet "{worksheet.title}"'
            raw_rows = list(_raw_rows(worksheet))
        finally:
            workbook.close()
    saved: dict[tuple[int, int], Any] = {}
    if any(cell.data_type == "f" for _, cells in raw_rows for cell in cells.values()):
        with _unreadable(name):
            saved = _saved_formula_values(path, worksheet.title)
    rows, problems = _text_rows(raw_rows, saved, label)
    if not rows:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    None,
                    None,
                    "is empty.",
                    "The first row must name the columns, e.g. actor, destination, troops.",
                )
            ]
        )
    dataset = check_rows(rows, label, problems=problems)
    dataset.text = rows_as_csv(rows)
    return dataset


def rows_as_csv(rows: list[tuple[int, list[str]]]) -> str:
    """A sheet's rows (as read, header first) as CSV text: what the page offers for download."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(cells for _, cells in rows)
    return out.getvalue()


@contextlib.contextmanager
def _unreadable(name: str) -> Iterator[None]:
    """A file that is not a workbook, a damaged one, or one built to harm (an XML bomb) gets
    one message in words."""
    try:
        yield
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
    ) as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"cannot be read as an Excel workbook ({reason}).",
                    "Open it in Excel or LibreOffice and save it again as .xlsx.",
                )
            ]
        ) from None


def _refuse_bombs(path: str | Path, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_BYTES (a zip bomb)."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"unpacks to {unpacked / 1e6:,.0f} MB, more than the "
                    f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB troopmap reads.",
                    "Save the movements alone, as CSV.",
                )
            ]
        )


def _open(path: str | Path, *, formulas: bool) -> Any:
    import openpyxl  # imported here: only workbooks need it

    return openpyxl.load_workbook(path, read_only=True, data_only=not formulas)


def _choose_sheet(workbook: Any, sheet: str | None, name: str) -> Any:
    if sheet is None:
        return workbook.worksheets[0]
    by_name = {title.casefold(): title for title in workbook.sheetnames}
    if sheet.casefold() in by_name:
        return workbook[by_name[sheet.casefold()]]
    hint = did_you_mean([by_name[m] for m in closest(sheet.casefold(), list(by_name))])
    sheets = ", ".join(f'"{title}"' for title in workbook.sheetnames)
    raise UsageError(
        f'{name} has no sheet "{sheet}". {hint + " " if hint else ""}Its sheets: {sheets}.'
    )


def _raw_rows(worksheet: Any) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, {column number: cell}) for every row with a value, as Excel numbers them."""
    worksheet.reset_dimensions()  # some writers record the used range wrongly
    for cells in worksheet.iter_rows():
        present = {c.column: c for c in cells if c.value is not None and hasattr(c, "row")}
        if present:
            yield next(iter(present.values())).row, present


def _saved_formula_values(path: str | Path, title: str) -> dict[tuple[int, int], Any]:
    """The values Excel saved for the formulas of a sheet (None where it saved none)."""
    workbook = _open(path, formulas=False)
    try:
        values: dict[tuple[int, int], Any] = {}
        for row, cells in _raw_rows(workbook[title]):
            for column, cell in cells.items():
                values[(row, column)] = cell.value
        return values
    finally:
        workbook.close()


def _text_rows(
    raw_rows: list[tuple[int, dict[int, Any]]], saved: dict[tuple[int, int], Any], label: str
) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    header: dict[int, str] = {}
    for row, cells in raw_rows:
        first = cells[1].value if 1 in cells else None
        if isinstance(first, str) and is_comment(first):
            continue  # a comment row, as in the CSV
        width = max(cells)
        texts = [""] * width
        for column, cell in cells.items():
            column_name = header.get(column, "")
            text, problem = _cell_text(cell, saved.get((row, column)), column_name)
            texts[column - 1] = text
            if problem is not None and column_name in COLUMNS:
                message, suggestion = problem
                problems.append(Problem(label, row, column_name or None, text, message, suggestion))
        if not header:
            header = {i + 1: normalise_header(t) for i, t in enumerate(texts)}
        rows.append((row, texts))
    return rows, problems


def _cell_text(cell: Any, saved: Any, column: str) -> tuple[str, tuple[str, str] | None]:
    """The cell as CSV text, and (message, suggestion) when Excel changed what was typed."""
    value = cell.value
    if cell.data_type == "f":
        if saved is None:
            return str(value), (
                f"holds the formula {value} but the file has no saved value for it.",
                "Open the file in Excel or LibreOffice and save it, or type the value.",
            )
        value = saved
    if cell.data_type == "e" or (isinstance(value, str) and value in _ERRORS):
        return str(value), (
            f"holds the spreadsheet error {value}.",
            "Fix the formula or type the value.",
        )
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return str(value).upper(), None
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value, cell.number_format, column)
    if isinstance(value, dt.time | dt.timedelta):
        shown = _time_text(value)
        return shown, (
            f"is the time {shown}; Excel makes times from text such as 10:20.",
            "Format the column as Text and type the value again.",
        )
    if isinstance(value, int | float):
        return _number_text(value, column)
    return str(value), None


_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)


def _date_text(
    value: dt.date, number_format: str | None, column: str
) -> tuple[str, tuple[str, str] | None]:
    day = value.date() if isinstance(value, dt.datetime) else value
    if column in DATE_COLUMNS:
        if _shows_month_only(number_format):
            return f"{day:%Y-%m}", None
        return day.isoformat(), None
    belongs = _WHAT_BELONGS.get(column, "text")
    return day.isoformat(), (
        f"is the date {_long(day)}, but this column holds {belongs}. "
        "Excel turns text such as 3-5, 1/2 or Mar-5 into dates.",
        "Format the column as Text and type the value again.",
    )


def _number_text(value: float, column: str) -> tuple[str, tuple[str, str] | None]:
    text = str(int(value)) if float(value).is_integer() else f"{value:.15g}"
    if column in DATE_COLUMNS and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return text, (
            f"is the number {text}, which is how Excel stores the date "
            f"{day.isoformat()}; the cell shows it as a number.",
            f"Format the cell as a date, or type {day.isoformat()}.",
        )
    return text, None


def _shows_month_only(number_format: str | None) -> bool:
    """True for formats such as ``mmm-yy`` or ``mmmm yyyy`` (no day): a month was meant."""
    if not number_format:
        return False
    visible = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format.lower())
    return "d" not in visible and "m" in visible and "y" in visible


def _time_text(value: dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return f"{value:%H:%M}"


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
