"""The ``troopmap`` command: parse options, call the pipeline, print. Nothing else.

Heavy libraries (pandas, geopandas, folium) are imported inside the commands so that
``troopmap --help`` answers at once.
"""

from __future__ import annotations

import functools
import shlex
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .console import (
    Progress,
    count,
    detail,
    json_text,
    no_color,
    print_problems,
    say,
    shown,
    verbosity_options,
)
from .errors import DataError, TroopmapError, UsageError

if TYPE_CHECKING:
    from .check import Report
    from .layers import Layers

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_OUTPUT = Path("outputs") / "deployments.html"

__all__ = ["main", "print_problems", "reports_errors"]


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
            raise click.UsageError(shown(str(error))) from None
        except TroopmapError as error:
            click.secho(f"Error: {shown(str(error))}", err=True, fg="red")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


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
    for option in reversed(
        [
            click.option(
                "--width",
                callback=size_handler,
                help="Width of PNG/SVG/PDF maps: pixels (2400) or a length (8in, 20cm, "
                "200mm). Default 8in.",
            ),
            click.option(
                "--height",
                callback=size_handler,
                help="Height of PNG/SVG/PDF maps, as --width. Default: 11/16 of the width.",
            ),
            click.option(
                "--dpi",
                type=click.IntRange(30, 1200),
                help="Dots per inch of PNG maps, and of pixel sizes (default 300).",
            ),
        ]
    ):
        command = option(command)
    return command


def check_static_size(targets: Sequence[Path], options: Any) -> None:
    """Refuse an impossible static size before any work is done (exit 2)."""
    if any(Path(t).suffix.lower() in (".png", ".svg", ".pdf") for t in targets):
        from .render.static import figure_size

        figure_size(options.width, options.height, options.dpi)


def text_handler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A text option (--title, --subtitle) as UTF-8 text: bytes of another encoding, which
    Python carries as lone surrogates, are a usage error (exit 2) rather than a traceback."""
    if value is None:
        return None
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        raise click.BadParameter(
            "is not UTF-8 text (it holds bytes of another encoding). Set the terminal or the "
            "script that runs troopmap to UTF-8."
        ) from None


def frame_size_handler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--frame-size 1080x1080`` of an animation: even pixels, 300 to 3840."""
    if value is None:
        return None
    from .render.motion import parse_frame_size

    try:
        parse_frame_size(value)
    except UsageError as error:
        raise click.BadParameter(str(error)) from None
    return value


def animation_options(command: F) -> F:
    """--frame-size, --duration and --frames-per-day of the animations (GIF, MP4, WebM)."""
    for option in reversed(
        [
            click.option(
                "--frame-size",
                callback=frame_size_handler,
                metavar="WxH",
                help="Size of GIF/MP4/WebM animations in pixels: 1080x1080 (the default, "
                "square for social media), 1920x1080, 1280x720.",
            ),
            click.option(
                "--duration",
                type=click.FloatRange(0.1, 3600, min_open=False),
                metavar="SECONDS",
                help="How long an animation plays the timeline (default: half a second "
                "a day); the last day is then held for 2 seconds.",
            ),
            click.option(
                "--frames-per-day",
                type=click.IntRange(1, 30),
                default=1,
                show_default=True,
                metavar="N",
                help="Frames drawn for each day of an animation: more make the bar "
                "along the top of the map move smoothly.",
            ),
        ]
    ):
        command = option(command)
    return command


def check_animation(targets: Sequence[Path], options: Any) -> None:
    """Refuse a video when its encoder is not installed, before any work is done (exit 2)."""
    from .render.motion import check_can_write, is_animation

    if any(is_animation(t) for t in targets):
        check_can_write(targets)


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
style_option = click.option(
    "--style",
    "style_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A style file (TOML) of house choices, such as colours pinned to actors. Default: "
    "troopmap.toml in the working folder, if there is one.",
)
sheet_option = click.option(
    "--sheet",
    metavar="NAME",
    help="For an Excel workbook (.xlsx): the sheet to read (default: the first).",
)


def format_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=f"Print {what} as text for people or as JSON for editors and scripts.",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="troopmap")
@click.pass_context
def main(context: click.Context) -> None:
    """Turn a spreadsheet of force movements into a map you can publish.

    With no CSV, troopmap uses its bundled dataset: the February 2022 reinforcement of NATO's
    eastern flank and Russia's build-up near Ukraine.
    """
    if no_color():
        context.color = False
    if not sys.warnoptions:
        # Libraries' warnings are for programmers; users see troopmap's own words only.
        warnings.simplefilter("ignore")


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
@sheet_option
@click.option(
    "--title", callback=text_handler, help="The map's title (default: made from the data)."
)
@click.option("--subtitle", callback=text_handler, help="A line under the title.")
@style_option
@click.option(
    "--tiles",
    help="Draw web map tiles under the map, e.g. OpenStreetMap. The page then loads them "
    "from the network; without this option it makes no request at all.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: draw the map again each time CSV or a places file is saved. When the "
    "saved file has errors they are printed and the last good map is kept. Ctrl-C stops.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Watch (as --watch) and show the HTML map in the browser, served on 127.0.0.1 only: "
    "the page reloads by itself after each save, and shows the CSV's problems over the last "
    "good map. Ctrl-C stops.",
)
@click.option(
    "--no-open",
    is_flag=True,
    help="With --serve: print the address only; do not open the browser.",
)
@static_size_options
@animation_options
@click.option(
    "--fragment",
    is_flag=True,
    help="Write .html outputs as a fragment to paste into a page or a static-site template "
    "(one <div>, no <html> element) instead of a whole page.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    callback=day_handler,
    help="Draw the map as it stood on this day: PNG, SVG, PDF and GIS outputs show only the "
    "movements shown then (plans reported ahead of their dates drawn as planned); the HTML "
    "page keeps them all and opens its timeline on this day. Default: the map's as-of day "
    "(the latest reported day, else the latest date).",
)
@click.option(
    "--lang",
    metavar="CODE",
    help="The language the map is written in: en (the default), ar, de, es, fr, pl, ru, uk. "
    "Titles, key, panels, timeline, popups, the summary, dates, numbers and country names "
    'follow it; the CSV\'s own text is never translated. Style file: lang = "uk".',
)
@click.option(
    "--no-data-download",
    "no_data_download",
    is_flag=True,
    help='Leave out the page\'s "Get the data" links (the movements as CSV and GeoJSON, '
    "made in the page; the CSV's text is then not in the page). Style file: "
    "data_download = false.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Also print the map's plain-language summary (the page's description and "
    "screen-reader caption).",
)
@verbosity_options
@reports_errors
def render(
    csv: Path | None,
    outputs: tuple[Path, ...],
    places: tuple[Path, ...],
    sheet: str | None,
    title: str | None,
    subtitle: str | None,
    style_file: Path | None,
    tiles: str | None,
    watch: bool,
    serve: bool,
    no_open: bool,
    width: str | None,
    height: str | None,
    dpi: int | None,
    frame_size: str | None,
    duration: float | None,
    frames_per_day: int,
    fragment: bool,
    as_of: date | None,
    lang: str | None,
    no_data_download: bool,
    summary: bool,
) -> None:
    """Draw the movements in CSV as a map (an offline, self-contained HTML page by default).

    The extension of each -o picks the format: .html (interactive page), .png, .svg, .pdf
    (static map for print and documents), .geojson, .gpkg (GIS data). Give -o several times
    to write several formats from one reading of the CSV. CSV may also be a .tsv file or an
    Excel workbook (.xlsx). .gif, .mp4 and .webm play the timeline day by day.
    """
    from . import pipeline
    from .files import refuse_inputs_as_outputs
    from .render import Options, describe, writer_for

    targets = list(outputs) or [DEFAULT_OUTPUT]
    for target in targets:
        writer_for(target)
    refuse_inputs_as_outputs(targets, [csv, *places])
    options = Options(
        tiles=tiles,
        width=width,
        height=height,
        dpi=dpi,
        fragment=fragment,
        as_of=as_of,
        frame_size=frame_size,
        duration=duration,
        frames_per_day=frames_per_day,
    )
    check_static_size(targets, options)
    check_animation(targets, options)
    if lang is not None:
        from .language import language_code

        lang = language_code(lang)  # a language troopmap has no words for: exit 2 at once
    if serve:
        from .preview import page_to_serve

        page = page_to_serve(targets, fragment)

    def draw() -> None:
        with Progress() as step:
            # Read again at each save, as the CSV; the command line wins over the file.
            chosen = {"data_download": False if no_data_download else None, "lang": lang}
            style = pipeline.style_for(style_file, **chosen)
            layers = pipeline.layers_for(
                csv, places, title=title, subtitle=subtitle, sheet=sheet, step=step, style=style
            )
            written = []
            for target in targets:
                step(f"Writing {target}")
                written.append(pipeline.write(layers, target, options, step))
        print_problems(layers.warnings)
        for path in written:
            say(f"Wrote {path} ({_size(path)}): {describe(layers, path, options)}.")
        step.report()
        _place_details(layers)
        if summary:
            click.echo(shown(pipeline.summary(layers, as_of)))

    if not watch and not serve:
        draw()
        return
    if csv is not None and str(csv) == "-":
        raise UsageError(
            "--watch draws the map again when its file is saved; standard input "
            "cannot be watched. Give the file's name."
        )
    from .paths import bundled_dataset
    from .style import find_style
    from .watch import Watcher, watched_files

    style_path = find_style(style_file)
    files = watched_files(
        csv if csv is not None else bundled_dataset(),
        [*places, *([style_path] if style_path else [])],
    )
    if not serve:
        Watcher(draw, files, targets).run()
        return
    from .preview import Preview, open_in_browser

    with Preview(page) as preview:
        # Printed even with --quiet: without the address the preview is of no use.
        click.echo(f"Serving the map at {preview.url} (only this computer can open it).")
        if not no_open and not open_in_browser(preview.url):
            say("Open that address in your browser.")
        Watcher(preview.publishing(draw), files, targets).run()


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
@click.option(
    "--title",
    callback=text_handler,
    help="The frame's title for screen readers (default: the map's).",
)
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

    click.echo(
        iframe_snippet(html or DEFAULT_OUTPUT, src=src, width=width, height=height, title=title)
    )


@main.command()
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
    from .check import check_movements

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


@main.command(name="places")
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
    from .lookup import look_up

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
    from .lookup import look_up_all, names_from_file

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

    from .lookup import BATCH_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BATCH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace the files if they exist.")
@verbosity_options
@reports_errors
def init(path: Path | None, force: bool) -> None:
    """Write a movements file and a places file to start from, with notes on every column.

    PATH is a folder (default: the current one) or the name of the movements file; the places
    file goes beside it.
    """
    from .template import write_template

    movements, places = write_template(path, force=force)
    say(f"Wrote {movements}: an example of each kind of movement, with notes on every column.")
    say(f"Wrote {places}: a place of your own, to show how to add names troopmap does not know.")
    arguments = f"{shlex.quote(str(movements))} --places {shlex.quote(str(places))}"
    say("Next, edit them, then:")
    say(f"  troopmap check {arguments}")
    say(f"  troopmap render {arguments} --watch")


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


def _place_details(layers: Layers) -> None:
    places = layers.places
    for name, resolved, kind, country, source in zip(
        places.get("name", []),
        places.get("resolved_name", []),
        places.get("kind", []),
        places.get("country", []),
        places.get("source", []),
        strict=False,
    ):
        where = f", {country}" if country and kind != "country" else ""
        detail(f"  {name} → {resolved}{where} ({kind}), from {source}")


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "KB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size} MB"  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    main()
