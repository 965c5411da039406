"""The ``troopmap`` command: parse options, call the pipeline, print. Nothing else.

Heavy libraries (pandas, geopandas, folium) are imported inside the commands so that
``troopmap --help`` answers at once.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import DataError, Problem, TroopmapError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_OUTPUT = Path("outputs") / "deployments.html"


def reports_errors(command: F) -> F:
    """Turn troopmap's errors into words and exit codes: 1 for bad data, 2 for bad usage."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DataError as error:
            print_problems(error.problems)
            sys.exit(1)
        except UsageError as error:
            raise click.UsageError(str(error)) from None
        except TroopmapError as error:
            click.secho(f"Error: {error}", err=True, fg="red")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def print_problems(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        label = "Error" if problem.severity == "error" else "Warning"
        colour = "red" if problem.severity == "error" else "yellow"
        click.secho(f"{label}: ", err=True, fg=colour, nl=False, bold=True)
        click.echo(str(problem), err=True)
    if errors:
        count = len(errors)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.",
                   err=True)


def day_handler(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """``--as-of 2022-02-10`` → a date; a bad day is a usage error (exit 2)."""
    if value is None:
        return None
    from .timeline import parse_day

    try:
        return parse_day(value)
    except ValueError as error:
        raise click.BadParameter(f"{error}.") from None


csv_argument = click.argument(
    "csv", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
places_option = click.option(
    "--places",
    "places",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A places file (name,aliases,lat,lon,country,kind) whose names win over the bundled "
    "ones. May be given several times.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="troopmap")
def main() -> None:
    """Turn a spreadsheet of force movements into a map you can publish.

    With no CSV, troopmap uses its bundled dataset: the February 2022 reinforcement of NATO's
    eastern flank and Russia's build-up near Ukraine.
    """


@main.command()
@csv_argument
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help=f"Where to write the map (default {DEFAULT_OUTPUT}). The extension picks the format. "
    "May be given several times.",
)
@places_option
@click.option("--title", help="The map's title (default: made from the data).")
@click.option("--subtitle", help="A line under the title.")
@click.option(
    "--tiles",
    help="Draw web map tiles under the map, e.g. OpenStreetMap. The page then loads them "
    "from the network; without this option it makes no request at all.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    callback=day_handler,
    help="Draw the map as it stood on this day: PNG, SVG, PDF and GIS outputs show only the "
    "movements shown then (exercise windows only inside their dates); the HTML page keeps "
    "them all and opens its timeline on this day.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Also print the map's plain-language summary (the page's description and "
    "screen-reader caption).",
)
@reports_errors
def render(
    csv: Path | None,
    outputs: tuple[Path, ...],
    places: tuple[Path, ...],
    title: str | None,
    subtitle: str | None,
    tiles: str | None,
    as_of: date | None,
    summary: bool,
) -> None:
    """Draw the movements in CSV as a map (an offline, self-contained HTML page by default)."""
    from . import pipeline
    from .render import Options, writer_for

    targets = list(outputs) or [DEFAULT_OUTPUT]
    for target in targets:
        writer_for(target)
    layers = pipeline.layers_for(csv, places, title=title, subtitle=subtitle)
    print_problems(layers.warnings)
    for target in targets:
        written = pipeline.write(layers, target, Options(tiles=tiles, as_of=as_of))
        click.echo(f"Wrote {written} ({_size(written)}): {layers.subtitle}.")
    if summary:
        click.echo(pipeline.summary(layers, as_of))


@main.command()
@csv_argument
@places_option
@reports_errors
def check(csv: Path | None, places: tuple[Path, ...]) -> None:
    """Check a movements CSV without drawing it: every problem is listed (exit 0 or 1)."""
    from . import pipeline

    layers = pipeline.layers_for(csv, places)
    print_problems(layers.warnings)
    moving = len({*layers.flows.get("movement", [])})
    stationed = len({*layers.stations.get("movement", [])})
    click.echo(f"{pipeline.display_name(csv)}: no problems found ({moving} movements, "
               f"{stationed} stationed forces, {len(layers.places)} places).")


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size} MB"  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    main()
