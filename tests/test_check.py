"""troopmap check: every problem at once, in the user's words; warnings do not fail."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.paths import bundled_dataset

ARTICLE = (
    "https://www.themoscowtimes.com/2022/02/02/"
    "us-deploys-3000-troops-in-russia-ukraine-standoff-a76243"
)

Invoke = Callable[..., Any]


def five_mistakes(folder: Path) -> Path:
    """The bundled CSV with five different mistakes a person makes while typing."""
    path = folder / "movements.csv"
    shutil.copy(bundled_dataset(), path)
    text = path.read_text(encoding="utf-8")
    for old, new in [
        ("Germany,Romania,1000,ordered", "Germny,Romania,1000,orderd"),
        ("Germany; Poland,2000,ordered,https://", "Germany; Poland,2000 soldiers,ordered,"),
        ("russia-on-ukraine-border,2022-02-02", "russia-on-ukraine-border,02/10/2022"),
        ("2022-02-10/2022-02-20", "2022-02-20/2022-02-10"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_dataset_has_no_errors_and_three_warnings(invoke: Invoke) -> None:
    result = invoke("check")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        'Warning: deployments.csv (bundled), row 3, column "destination": 2,000 troops to 2 '
        'places without a count for each: drawn as one fork labelled "split not reported".',
        'Warning: deployments.csv (bundled), row 4, column "troops": ~100,000 is an estimate; '
        'the map labels it "~100,000" and its summary says "about 100,000".',
        'Warning: deployments.csv (bundled), row 5, column "troops": ~30,000 is an estimate; '
        'the map labels it "~30,000" and its summary says "about 30,000".',
        "deployments.csv (bundled): no errors, 3 warnings (3 movements, 1 stationed force, "
        "7 places).",
    ]
    assert result.stdout.count("\n") == 1  # the summary; the warnings go to standard error


def test_five_mistakes_are_each_named_with_their_row_and_a_fix(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    five_mistakes(tmp_path)
    result = invoke("check", "movements.csv")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'Error: movements.csv, row 2, column "origin": unknown place "Germny". Did you mean '
        '"Germany"? Or add it to a places file (--places).',
        'Error: movements.csv, row 2, column "status": "orderd" is not a known status. '
        'Did you mean "ordered"?',
        'Error: movements.csv, row 3, column "troops": "2000 soldiers" is not a whole number '
        "of troops. Write only the number: 2000.",
        'Error: movements.csv, row 3, column "source": '
        f'"{ARTICLE.removeprefix("https://")}" is not a web address. Write "https://" before it.',
        'Error: movements.csv, row 4, column "date": "02/10/2022" is not a date in the form '
        "YYYY-MM-DD, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD. Write dates as YYYY-MM-DD: 2022-10-02 "
        "if the day comes first, 2022-02-10 if the month does.",
        'Error: movements.csv, row 5, column "date": "2022-02-20/2022-02-10" ends before it '
        "starts. Put the first day first: 2022-02-10/2022-02-20.",
        "movements.csv: 6 errors. Fix them, then check again.",
    ]
    assert result.stdout == ""


def test_a_row_with_a_bad_count_still_has_its_places_looked_up(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Polnd,lots
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert (
        f'{path}, row 2, column "destination": unknown place "Polnd". Did you mean '
        '"Poland"?' in result.output
    )
    assert (
        f'{path}, row 2, column "troops": "lots" is not a whole number of troops.' in result.output
    )


def test_a_place_with_namesakes_is_a_warning_naming_the_choice(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        Russia,Russia,Brest,1000
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f'Warning: {path}, row 2, column "destination": "Brest" could be several places; '
        "using Brest, BY (city), the largest (347,138 people). Others: Brest, FR (city). "
        'Write "Brest, Country" to choose.'
    )
    assert result.output.splitlines()[-1] == (
        f"{path}: no errors, 1 warning (1 movement, 0 stationed forces, 2 places)."
    )


def test_a_repeated_movement_is_a_warning(invoke: Invoke, write_csv: Callable[..., Path]) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Romania,1000
        United States,Germany,Romania,1000
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 0
    assert (
        f"Warning: {path}, row 3: repeats the movement of row 2; both are drawn. "
        "Delete one if it is the same report."
    ) in result.output


def test_a_clean_file_says_so(invoke: Invoke, write_csv: Callable[..., Path]) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Romania,1000
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 0
    assert result.stdout == (
        f"{path}: no problems found (1 movement, 0 stationed forces, 2 places).\n"
    )


def test_json_lists_every_problem_for_editors(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    five_mistakes(tmp_path)
    result = invoke("check", "movements.csv", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("file", "ok", "errors", "warnings")} == {
        "file": "movements.csv",
        "ok": False,
        "errors": 6,
        "warnings": 0,
    }
    assert report["problems"][0] == {
        "severity": "error",
        "file": "movements.csv",
        "row": 2,
        "column": "origin",
        "value": "Germny",
        "message": 'unknown place "Germny".',
        "suggestion": 'Did you mean "Germany"? Or add it to a places file (--places).',
        "choices": ["Germany"],
    }
    assert [(p["row"], p["column"], p["choices"]) for p in report["problems"]] == [
        (2, "origin", ["Germany"]),
        (2, "status", ["ordered"]),
        (3, "troops", ["2000"]),
        (3, "source", []),
        (4, "date", []),
        (5, "date", []),
    ]


def test_json_of_a_clean_file_counts_what_it_holds(invoke: Invoke) -> None:
    result = invoke("check", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert (report["movements"], report["stationed"], report["places"]) == (3, 1, 7)
    assert [p["severity"] for p in report["problems"]] == ["warning"] * 3


def test_json_of_a_missing_file(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path / "nowhere.csv"), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"][0]["message"] == "file not found."


def test_a_missing_file_is_named(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "nowhere.csv")
    assert result.exit_code == 1
    assert result.output == (
        "Error: nowhere.csv: file not found.\nnowhere.csv: 1 error. Fix it, then check again.\n"
    )


def test_a_broken_places_file_does_not_hide_the_movements_problems(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    places = write_csv(
        """
        name,aliases,lat,lon,country,kind
        Camp Nowhere,,95.0,20.0,PL,army base
    """,
        name="places.csv",
    )
    movements = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Romania,-5
    """)
    result = invoke("check", str(movements), "--places", str(places))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        f'Error: {places}, row 2, column "lat": is not a latitude between -90 and 90.'
    )
    assert lines[1].startswith(
        f'Error: {movements}, row 2, column "troops": "-5" troops cannot be negative.'
    )


def test_quiet_prints_only_the_errors(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("check", "--quiet").output == ""
    monkeypatch.chdir(tmp_path)
    five_mistakes(tmp_path)
    result = invoke("check", "movements.csv", "-q")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.output.splitlines()[:-1]] == ["Error"] * 6


def test_verbose_tells_how_each_place_was_found(invoke: Invoke) -> None:
    result = invoke("check", "--verbose")
    assert result.exit_code == 0
    assert "  Germany → Germany (country), from Natural Earth countries" in result.stderr
    assert (
        "  Russia–Ukraine border area → Russia–Ukraine border area, Russia (border area), "
        "from bundled places"
    ) in result.stderr


def test_quiet_and_verbose_together_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("check", "-q", "-v")
    assert result.exit_code == 2
    assert "Error: --quiet and --verbose cannot be used together." in result.stderr


def test_colour_only_on_a_terminal(runner: Any, write_csv: Callable[..., Path]) -> None:
    from geo.cli import main

    path = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Romania,lots
    """)
    piped = runner.invoke(main, ["check", str(path)], color=False)
    terminal = runner.invoke(main, ["check", str(path)], color=True)
    no_colour = runner.invoke(main, ["check", str(path)], color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in piped.output
    assert "\x1b[31m\x1b[1mError: \x1b[0m" in terminal.output
    assert "\x1b[" not in no_colour.output
    assert piped.output == no_colour.output


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (
            "02/10/2022",
            "Write dates as YYYY-MM-DD: 2022-10-02 if the day comes first, "
            "2022-02-10 if the month does.",
        ),
        ("25.02.2022", "Write dates as YYYY-MM-DD, e.g. 2022-02-25."),
        (
            "Feb-22",
            "Write a month as YYYY-MM, e.g. 2022-02; a spreadsheet may have changed "
            "it: format the column as Text.",
        ),
        (
            "2022-02-30",
            "Write dates as YYYY-MM-DD (2022-02-02), YYYY-MM, or a window 2022-02-10/2022-02-20.",
        ),
    ],
)
def test_a_date_in_another_form_gets_the_form_to_write(
    invoke: Invoke, write_csv: Callable[..., Path], cell: str, words: str
) -> None:
    path = write_csv(f"""
        date,actor,origin,destination,troops
        {cell},United States,Germany,Romania,1000
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith(words)


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ('"about 2,000 troops"', "Write only the number: ~2000."),
        (
            "1000-2000",
            "Give one number: an estimate such as ~1500 for a range, with the range in notes.",
        ),
        ("a battalion", "Write a whole number such as 1000, 1,000 or ~30000 for an estimate."),
    ],
)
def test_troops_in_words_gets_the_number_to_write(
    invoke: Invoke, write_csv: Callable[..., Path], cell: str, words: str
) -> None:
    path = write_csv(f"""
        actor,origin,destination,troops
        United States,Germany,Romania,{cell}
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith(words)


def test_tab_separated_files_are_read_too(invoke: Invoke, write_csv: Callable[..., Path]) -> None:
    path = write_csv(
        "actor\torigin\tdestination\ttroops\nUnited States\tGermany\tRomania\t1000\n",
        name="movements.tsv",
    )
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output


def test_comment_lines_before_the_header_do_not_confuse_the_delimiter(
    invoke: Invoke, write_csv: Callable[..., Path]
) -> None:
    path = write_csv("""
        # Notes; with semicolons; before the header
        actor,origin,destination,troops
        United States,Germany,Romania,1000
    """)
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output


def test_render_lists_every_problem_at_once_too(
    invoke: Invoke, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_csv("""
        actor,origin,destination,troops
        United States,Germny,Romania,lots
    """)
    result = invoke("render", str(path), "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'Error: {path}, row 2, column "origin": unknown place "Germny". Did you mean '
        '"Germany"? Or add it to a places file (--places).',
        f'Error: {path}, row 2, column "troops": "lots" is not a whole number of troops. '
        "Write a whole number such as 1000, 1,000 or ~30000 for an estimate.",
        "2 problems found; nothing was written.",
    ]
    assert not (tmp_path / "map.html").exists()
