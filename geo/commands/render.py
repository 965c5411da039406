"""``troopmap render`` (draw the map, once or at each save) and ``troopmap embed`` (the
snippet that puts a drawn map into a page)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..console import Progress, detail, print_problems, say, shown, verbosity_options
from ..errors import UsageError
from .options import (
    DEFAULT_OUTPUT,
    animation_options,
    check_animation,
    check_static_size,
    csv_argument,
    day_handler,
    places_option,
    reports_errors,
    sheet_option,
    static_size_options,
    style_option,
    text_handler,
)

if TYPE_CHECKING:
    from ..layers import Layers


@click.command()
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
    "--no-context",
    "no_context",
    is_flag=True,
    help="Leave out the capitals, cities, rivers and lakes drawn faintly under the data.",
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
    no_context: bool,
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
    from .. import pipeline
    from ..files import refuse_inputs_as_outputs
    from ..render import Options, describe, writer_for

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
        context=not no_context,
    )
    check_static_size(targets, options)
    check_animation(targets, options)
    if lang is not None:
        from ..language import language_code

        lang = language_code(lang)  # a language troopmap has no words for: exit 2 at once
    if serve:
        from ..preview import page_to_serve

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
    from ..paths import bundled_dataset
    from ..style import find_style
    from ..watch import Watcher, watched_files

    style_path = find_style(style_file)
    files = watched_files(
        csv if csv is not None else bundled_dataset(),
        [*places, *([style_path] if style_path else [])],
    )
    if not serve:
        Watcher(draw, files, targets).run()
        return
    from ..preview import Preview, open_in_browser

    with Preview(page) as preview:
        # Printed even with --quiet: without the address the preview is of no use.
        click.echo(f"Serving the map at {preview.url} (only this computer can open it).")
        if not no_open and not open_in_browser(preview.url):
            say("Open that address in your browser.")
        Watcher(preview.publishing(draw), files, targets).run()


@click.command()
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
    from ..render.embed import iframe_snippet

    click.echo(
        iframe_snippet(html or DEFAULT_OUTPUT, src=src, width=width, height=height, title=title)
    )


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
