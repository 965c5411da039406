"""The options and arguments the commands share, the checks of their values (a bad value is
a usage error, exit 2, before any work is done), and the turning of troopmap's errors into
words and exit codes.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..console import print_problems, shown
from ..errors import DataError, TroopmapError, UsageError

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
            raise click.UsageError(shown(str(error))) from None
        except TroopmapError as error:
            click.secho(f"Error: {shown(str(error))}", err=True, fg="red")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def size_handler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check a --width/--height of the static map: pixels, or a length in in, cm or mm."""
    if value is None:
        return None
    from ..render.static import parse_length

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
        from ..render.static import figure_size

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
    from ..render.motion import parse_frame_size

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
    from ..render.motion import check_can_write, is_animation

    if any(is_animation(t) for t in targets):
        check_can_write(targets)


def day_handler(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """``--as-of 2022-02-10`` → a date; a bad day is a usage error (exit 2)."""
    if value is None:
        return None
    from ..timeline import parse_day

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
    help="A places file (name,aliases,lat,lon,country,kind; an area column may give a "
    "polygon as WKT or GeoJSON) whose names win over the bundled ones. May be given several "
    "times.",
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
