"""``troopmap places``: look a place name, or every name of a file, up as the map would."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ..console import count, detail, json_text, shown, verbosity_options
from ..errors import UsageError
from .options import places_option, reports_errors


@click.command(name="places")
@click.argument("query", nargs=-1)
@click.option(
    "--from",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Look up every name of FILE instead: one name a line, or with --column a "
    "column of a CSV file. Prints a table (CSV, or JSON with --format json).",
)
@click.option("--column", metavar="NAME", help="With --from: the CSV column that holds the names.")
@places_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Print the answer as text for people, as JSON for editors and scripts, or as "
    "CSV (with --from, text is CSV too).",
)
@verbosity_options
@reports_errors
def places_command(
    query: tuple[str, ...],
    from_file: Path | None,
    column: str | None,
    places: tuple[Path, ...],
    output_format: str,
) -> None:
    """Look a place name up as the map would: where it is, its namesakes, or the closest names.

    For example: troopmap places Rzeszow, or troopmap places Brest, France, or troopmap places
    --from names.txt to geocode a list. Exit status 1 when a name is unknown.
    """
    from ..lookup import look_up

    if from_file is not None:
        _places_from_file(from_file, column, query, places, output_format)
        return
    if column is not None:
        raise UsageError("--column is for a list of names given with --from FILE.")
    if not query:
        raise UsageError("Give a place name to look up, or --from FILE for a list of names.")
    lookup = look_up(" ".join(query), places)
    if output_format == "json":
        click.echo(json_text(lookup.as_dict()))
    elif output_format == "csv":
        _echo_csv([lookup.as_row()])
    else:
        for line in lookup.lines():
            click.echo(shown(line))
    if not lookup.found:
        sys.exit(1)


def _places_from_file(
    from_file: Path,
    column: str | None,
    query: tuple[str, ...],
    places: tuple[Path, ...],
    output_format: str,
) -> None:
    """``troopmap places --from FILE``: a table of every name of the file."""
    from ..lookup import look_up_all, names_from_file

    if query:
        raise UsageError("Give either a place name or --from FILE, not both.")
    answers = look_up_all(names_from_file(from_file, column), places)
    if output_format == "json":
        click.echo(json_text([a.row() for a in answers]))
    else:
        _echo_csv([a.row() for a in answers])
    unknown = sum(a.place is None for a in answers)
    detail(
        f"{count(len(answers), 'name')}: {len(answers) - unknown:,} placed, {unknown:,} unknown."
    )
    if unknown:
        click.secho(
            f"{count(unknown, 'name')} of {len(answers):,} unknown: see the warnings column.",
            err=True,
            fg="red",
        )
        sys.exit(1)


def _echo_csv(rows: Sequence[dict[str, object]]) -> None:
    import csv
    import io

    from ..lookup import BATCH_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BATCH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)
