"""Renderers: each reads only the geo layer (``geo.layers.Layers``) and writes one format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..layers import Layers
    from .motion import Animation


@dataclass(frozen=True)
class Options:
    """What the user chose about the look of the outputs.

    ``width``/``height`` size the static map (pixels at ``dpi``, or "8in", "20cm", "200mm");
    ``fragment`` makes an ``.html`` output a fragment to paste into a page, not a page.
    ``as_of``: draw the map as it stood on that day. The HTML page keeps every movement and
    opens its timeline on that day; an animation plays the timeline up to that day; every
    other format draws only what was shown that day (a still map whose rows say when they were
    reported is drawn on its "as of" day by default).
    ``frame_size`` ("1080x1080"), ``duration`` (seconds) and ``frames_per_day`` shape the
    animations (GIF, MP4, WebM). ``context``: draw capitals, cities, rivers and lakes faintly
    under the data (``geo.context``), on the page, the static maps and the animations.
    """

    tiles: str | None = None
    width: str | None = None
    height: str | None = None
    dpi: int | None = None
    fragment: bool = False
    as_of: date | None = None
    frame_size: str | None = None
    duration: float | None = None
    frames_per_day: int = 1
    context: bool = True


Writer = Callable[["Layers", Path, Options], None]


def _write_html(layers: Layers, path: Path, options: Options) -> None:
    from ..files import write_text
    from .html import render_html

    if options.fragment:
        from .embed import render_fragment

        write_text(path, render_fragment(layers, tiles=options.tiles, as_of=options.as_of))
        return
    write_text(
        path,
        render_html(layers, tiles=options.tiles, as_of=options.as_of, context=options.context),
    )


def _write_static(layers: Layers, path: Path, options: Options) -> None:
    from .static import write_static

    write_static(
        layers,
        path,
        width=options.width,
        height=options.height,
        dpi=options.dpi,
        context=options.context,
    )


def _write_geojson(layers: Layers, path: Path, options: Options) -> None:
    from .export import write_geojson

    write_geojson(layers, path)


def _write_geopackage(layers: Layers, path: Path, options: Options) -> None:
    from .geopackage import write_geopackage

    write_geopackage(layers, path)


def _write_animation(
    layers: Layers, path: Path, options: Options, step: Callable[[str], object] | None = None
) -> None:
    from .motion import write_animation

    write_animation(layers, path, animation_of(options), step)


def animation_of(options: Options) -> Animation:
    """The animation the user asked for (UsageError for an impossible frame size)."""
    from .motion import DEFAULT_FRAME_SIZE, Animation, parse_frame_size

    width, height = parse_frame_size(options.frame_size or DEFAULT_FRAME_SIZE)
    return Animation(
        width, height, options.duration, options.frames_per_day, options.as_of, options.context
    )


def describe(layers: Layers, path: str | Path, options: Options) -> str:
    """What the file at ``path`` shows, for the line that says it was written."""
    from .motion import is_animation

    if is_animation(path):
        from .motion import describe as describe_animation

        return describe_animation(layers, animation_of(options))
    return layers.subtitle


WRITERS: dict[str, Writer] = {
    ".html": _write_html,
    ".png": _write_static,
    ".svg": _write_static,
    ".pdf": _write_static,
    ".geojson": _write_geojson,
    ".gpkg": _write_geopackage,
    ".gif": _write_animation,
    ".mp4": _write_animation,
    ".webm": _write_animation,
}


def writer_for(path: str | Path) -> Writer:
    """The writer for a path's extension; UsageError naming the supported ones otherwise."""
    from ..files import refuse_non_file

    refuse_non_file(Path(path))  # before the extension: "out/" is a folder, not a format
    suffix = Path(path).suffix.lower()
    if suffix == ".htm":
        suffix = ".html"
    if suffix not in WRITERS:
        supported = ", ".join(WRITERS)
        shown = f'"{suffix}"' if suffix else "no extension"
        raise UsageError(
            f"{path}: {shown} is not a format troopmap writes. Use one of: {supported}."
        )
    return WRITERS[suffix]


def write(
    layers: Layers,
    path: str | Path,
    options: Options | None = None,
    step: Callable[[str], object] | None = None,
) -> Path:
    """Write the map to ``path`` in the format its extension names (atomically).

    ``step`` hears how a long job (an animation, frame by frame) is getting on."""
    from ..language import speaking

    with speaking(layers.style.lang):
        return _write(layers, Path(path), options or Options(), step)


def _write(
    layers: Layers, target: Path, options: Options, step: Callable[[str], object] | None
) -> Path:
    writer = writer_for(target)
    if writer is _write_animation:
        _write_animation(layers, target, options, step)
        return target
    day = options.as_of
    still = writer not in (_write_html, _write_geojson, _write_geopackage)
    if day is None and still and any(m.reported for m in layers.movements):
        day = layers.as_of  # with reported days, a still map shows its "as of" day
    if day is not None and writer is not _write_html:
        from ..layers import layers_as_of

        layers = layers_as_of(layers, day)
    writer(layers, target, options)
    return target
