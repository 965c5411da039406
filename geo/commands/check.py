"""``troopmap check`` (every problem of a movements file, without drawing it) and
``troopmap init`` (files to start from)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..console import count, detail, json_text, print_problems, say, verbosity_options
from .options import (
    csv_argument,
    format_option,
    places_option,
    reports_errors,
    sheet_option,
    style_option,
)

if TYPE_CHECKING:
    from ..check import Report


@click.command()
@csv_argument
@places_option
@sheet_option
@style_option
@format_option("the problems")
@verbosity_options
@reports_errors
def check(
    csv: Path | None,
    places: tuple[Path, ...],
    sheet: str | None,
    style_file: Path | None,
    output_format: str,
) -> None:
    """Check a movements CSV without drawing it: every problem is listed at once.

    Each problem names the file, the row (as a spreadsheet numbers it), the column, the value
    and what to write instead. Warnings do not fail the check. Exit status: 0 when there are no
    errors, 1 when there are.
    """
    from ..check import check_movements

    report = check_movements(csv, places, sheet=sheet, style=style_file)
    if output_format == "json":
        click.echo(json_text(report.as_dict()))
    else:
        print_problems(report.problems, closing=_check_closing(report))
        if report.ok:
            say(_check_summary(report))
        for name, place in report.resolved.items():
            detail(f"  {name} → {place}")
    if not report.ok:
        sys.exit(1)


def _check_summary(report: Report) -> str:
    holds = (
        f"{count(report.movements, 'movement')}, "
        f"{count(report.stationed, 'stationed force')}, {count(report.places, 'place')}"
    )
    if report.warnings:
        return f"{report.file}: no errors, {count(len(report.warnings), 'warning')} ({holds})."
    return f"{report.file}: no problems found ({holds})."


def _check_closing(report: Report) -> str:
    errors = count(len(report.errors), "error")
    warnings = f" and {count(len(report.warnings), 'warning')}" if report.warnings else ""
    fix = "Fix it" if len(report.errors) == 1 else "Fix them"
    return f"{report.file}: {errors}{warnings}. {fix}, then check again."


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace the files if they exist.")
@verbosity_options
@reports_errors
def init(path: Path | None, force: bool) -> None:
    """Write a movements file and a places file to start from, with notes on every column.

    PATH is a folder (default: the current one) or the name of the movements file; the places
    file goes beside it.
    """
    from ..template import write_template

    movements, places = write_template(path, force=force)
    say(f"Wrote {movements}: an example of each kind of movement, with notes on every column.")
    say(f"Wrote {places}: a place of your own, to show how to add names troopmap does not know.")
    arguments = f"{shlex.quote(str(movements))} --places {shlex.quote(str(places))}"
    say("Next, edit them, then:")
    say(f"  troopmap check {arguments}")
    say(f"  troopmap render {arguments} --watch")
