"""The ``troopmap`` command: parse options, call the pipeline, print. Nothing else.

Heavy libraries (pandas, geopandas, folium) are imported inside the commands so that
``troopmap --help`` answers at once.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
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


def size_handler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check a --width/--height of the static map: pixels, or a length in in, cm or mm."""
    if value is None:
        return None
    from .render.static import parse_length

    try:
        parse_length(value, 300)
    except UsageError as error:
        raise click.BadParameter(str(error)) from None
    return value


def static_size_options(command: F) -> F:
    """--width, --height and --dpi of the static (PNG, SVG, PDF) map."""
    for option in reversed([
        click.option("--width", callback=size_handler,
                     help="Width of PNG/SVG/PDF maps: pixels (2400) or a length (8in, 20cm, "
                     "200mm). Default 8in."),
        click.option("--height", callback=size_handler,
                     help="Height of PNG/SVG/PDF maps, as --width. Default: 11/16 of the width."),
        click.option("--dpi", type=click.IntRange(30, 1200),
                     help="Dots per inch of PNG maps, and of pixel sizes (default 300)."),
    ]):
        command = option(command)
    return command


def check_static_size(targets: Sequence[Path], options: Any) -> None:
    """Refuse an impossible static size before any work is done (exit 2)."""
    if any(Path(t).suffix.lower() in (".png", ".svg", ".pdf") for t in targets):
        from .render.static import figure_size

        figure_size(options.width, options.height, options.dpi)


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
@static_size_options
@click.option(
    "--fragment",
    is_flag=True,
    help="Write .html outputs as a fragment to paste into a page or a static-site template "
    "(one <div>, no <html> element) instead of a whole page.",
)
@reports_errors
def render(
    csv: Path | None,
    outputs: tuple[Path, ...],
    places: tuple[Path, ...],
    title: str | None,
    subtitle: str | None,
    tiles: str | None,
    width: str | None,
    height: str | None,
    dpi: int | None,
    fragment: bool,
) -> None:
    """Draw the movements in CSV as a map (an offline, self-contained HTML page by default).

    The extension of each -o picks the format: .html (interactive page), .png, .svg, .pdf
    (static map for print and documents), .geojson, .gpkg (GIS data). Give -o several times
    to write several formats from one reading of the CSV.
    """
    from . import pipeline
    from .render import Options, writer_for

    targets = list(outputs) or [DEFAULT_OUTPUT]
    for target in targets:
        writer_for(target)
    options = Options(tiles=tiles, width=width, height=height, dpi=dpi, fragment=fragment)
    check_static_size(targets, options)
    layers = pipeline.layers_for(csv, places, title=title, subtitle=subtitle)
    print_problems(layers.warnings)
    for target in targets:
        written = pipeline.write(layers, target, options)
        click.echo(f"Wrote {written} ({_size(written)}): {layers.subtitle}.")


@main.command()
@click.argument("html", required=False, type=click.Path(path_type=Path))
@click.option("--width", help="The frame's width: pixels (800) or a percentage (default 100%).")
@click.option(
    "--height",
    help="The frame's height in pixels. With a width in pixels too, the frame keeps that "
    "shape and shrinks on narrow screens; without, it keeps the map's 16:10 shape.",
)
@click.option(
    "--src",
    help="The address the report loads the map from (default: the HTML path as given).",
)
@click.option("--title", help="The frame's title for screen readers (default: the map's).")
@reports_errors
def embed(
    html: Path | None,
    width: str | None,
    height: str | None,
    src: str | None,
    title: str | None,
) -> None:
    """Print an <iframe> snippet that puts a rendered map (HTML, default
    outputs/deployments.html) into a web page or report.

    To paste the map itself into a page, with no separate file, write it as a fragment:
    troopmap render --fragment -o map-fragment.html
    """
    from .render.embed import iframe_snippet

    click.echo(iframe_snippet(html or DEFAULT_OUTPUT, src=src, width=width, height=height,
                              title=title))


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
