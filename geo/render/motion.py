"""The timeline as an animation: GIF (through Pillow), MP4 and WebM (through the ffmpeg that
the ``imageio-ffmpeg`` package ships).

Each day is the static map as it stood that day: ``geo.layers.layers_as_of`` chooses the
movements, ``geo.render.static`` draws them, so a frame is the PNG that ``--as-of DAY`` writes,
with the date in the header and a bar along the top of the map showing how far the timeline
has run. A map is drawn in full once for each set of movements on it; the days that show the
same movements redraw only their date and the bar (matplotlib's blitting), so a timeline of many
days costs a few full drawings. The same layers and options give the same frames, and the GIF
the same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TroopmapError, UsageError
from .video import Frame

if TYPE_CHECKING:
    import numpy as np

    from ..layers import Layers
    from .static import StaticMap
    from .video import Palette

FORMATS = (".gif", ".mp4", ".webm")
VIDEO_FORMATS = (".mp4", ".webm")
DEFAULT_FRAME_SIZE = "1080x1080"
DPI = 150  # a 1080-pixel frame is 7.2 inches wide: type as legible as on the print map
MIN_SIDE, MAX_SIDE = 300, 3840
SECONDS_PER_DAY = 0.5  # the default pace: a 19-day timeline plays in 9.5 seconds
HOLD_SECONDS = 2.0  # the last day stays on screen this long before the animation loops
MIN_FRAME_SECONDS = 0.02  # browsers play a GIF frame shorter than this at a tenth of a second
MAX_FRAMES = 3000
BAR_TRACK = "#d9d9d9"
BAR_FILL = "#1d1d1d"  # the light theme's ink (geo.theme): a map takes its theme's

Step = Callable[[str], object]


class NoTimeline(UsageError):
    """The movements are all on one day (or undated): there is nothing to animate."""


@dataclass(frozen=True)
class Animation:
    """What the user chose about an animation: frame size in pixels, length, smoothness.

    ``duration`` is how long the timeline plays, in seconds (default: half a second a day);
    the last day is then held for two more seconds. ``until`` ends the timeline on that day.
    ``context``: capitals, cities, rivers and lakes under the data, as on the static map.
    """

    width: int = 1080
    height: int = 1080
    duration: float | None = None
    frames_per_day: int = 1
    until: date | None = None
    context: bool = True


def parse_frame_size(text: str) -> tuple[int, int]:
    """``"1080x1080"`` → (1080, 1080); UsageError with words for people otherwise."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*[x×X]\s*(\d{1,5})\s*", text)
    if not match:
        raise UsageError(
            f'"{text}" is not a frame size. Give width x height in pixels, e.g. '
            "1080x1080 (square, for social media) or 1920x1080."
        )
    width, height = int(match.group(1)), int(match.group(2))
    for side, value in (("width", width), ("height", height)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise UsageError(
                f"a frame {side} of {value} pixels is out of range: give {MIN_SIDE} to {MAX_SIDE}."
            )
        if value % 2:
            raise UsageError(
                f"a frame {side} of {value} pixels is odd: video encoders need "
                f"even sizes. Give {value - 1} or {value + 1}."
            )
    return width, height


def is_animation(path: str | Path) -> bool:
    return Path(path).suffix.lower() in FORMATS


def check_can_write(targets: Sequence[Path]) -> None:
    """Refuse, before any work, a video when its encoder is not installed (exit 2)."""
    if any(Path(t).suffix.lower() in VIDEO_FORMATS for t in targets):
        from .video import ffmpeg

        ffmpeg()


# --- which frames, and for how long ----------------------------------------------------------


@dataclass(frozen=True)
class Beat:
    """One frame to draw: its day, how far the timeline has run (0 to 1) and its length."""

    day: date
    progress: float
    seconds: float


def beats(days: Sequence[date], animation: Animation) -> list[Beat]:
    """Every frame of the animation in order: ``frames_per_day`` frames a day, the bar moving
    on at each one, then the last day held."""
    per_day = animation.frames_per_day
    duration = animation.duration if animation.duration is not None else SECONDS_PER_DAY * len(days)
    count = len(days) * per_day
    seconds = duration / count
    if seconds < MIN_FRAME_SECONDS:
        raise UsageError(
            f"{count:,} frames in {duration:g} seconds is more than 50 a second: "
            "give a longer --duration or fewer --frames-per-day."
        )
    if count > MAX_FRAMES:
        raise UsageError(
            f"{len(days):,} days at {per_day} frames a day is {count:,} frames, "
            f"more than {MAX_FRAMES:,}: give fewer --frames-per-day, or --as-of "
            "an earlier day."
        )
    planned = [
        Beat(day, (n * per_day + k + 1) / count, seconds)
        for n, day in enumerate(days)
        for k in range(per_day)
    ]
    last = planned[-1]
    planned[-1] = dataclasses.replace(last, seconds=last.seconds + HOLD_SECONDS)
    return planned


# --- drawing --------------------------------------------------------------------------------


def animation_frames(
    layers: Layers, animation: Animation, step: Step | None = None
) -> Iterator[Frame]:
    """The frames of the timeline, drawn one after the other (so memory stays flat)."""
    from ..layers import layers_as_of
    from ..timeline import timeline_days

    days = timeline_days(layers.movements, until=animation.until)
    if len(days) < 2:
        raise NoTimeline(_no_timeline(layers, animation.until))
    plan = beats(days, animation)
    on = {day: layers_as_of(layers, day) for day in days}
    key = _whole_key(layers, list(on.values()))
    say = step or (lambda _text: None)
    board: _Board | None = None
    shown: tuple[object, ...] | None = None
    for number, beat in enumerate(plan, start=1):
        say(
            f"Drawing frame {number} of {len(plan)} {_bar(number / len(plan))} "
            f"{beat.day.isoformat()}"
        )
        that_day = on[beat.day]
        if board is None or _content(that_day) != shown:
            if board is not None:
                board.close()
            board = _Board(that_day, animation, key=key)
            shown = _content(that_day)
        yield Frame(beat.day, board.frame(beat.day, beat.progress), beat.seconds)
    if board is not None:
        board.close()


def _whole_key(layers: Layers, days: Sequence[Layers]) -> Layers:
    """What the legend of every frame describes: every look a movement takes on any day (as
    planned, under way, withdrawn) and the widths of the whole timeline, so it stays still."""
    import geopandas as gpd
    import pandas as pd

    from ..legs import FlowLegs

    def union(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
        kept = [frame for frame in frames if len(frame)]
        if not kept:
            return frames[0]
        return gpd.GeoDataFrame(pd.concat(kept, ignore_index=True), crs=frames[0].crs)

    return dataclasses.replace(
        layers,
        legs=FlowLegs.of_frames(union([layers.flows, *(day.flows for day in days)]), layers.heads),
        stations=union([layers.stations, *(day.stations for day in days)]),
    )


def _bar(done: float, width: int = 20) -> str:
    """``[#########...........]``: how much of the animation is drawn, for the progress line."""
    filled = round(done * width)
    return f"[{'#' * filled}{'.' * (width - filled)}]"


def _content(layers: Layers) -> tuple[object, ...]:
    """What a map of one day draws, but its date: days with the same content share a drawing."""
    parts: list[object] = [layers.title, layers.subtitle, tuple(layers.actors.items())]
    for frame in (layers.flows, layers.stations, layers.places):
        columns = [c for c in frame.columns if c != "geometry"]
        parts.append(tuple(frame[columns].astype(str).itertuples(index=False, name=None)))
    tints = [c for c in ("role", "fill") if c in layers.countries]  # the shapes never change
    parts.append(tuple(layers.countries[tints].astype(str).itertuples(index=False, name=None)))
    return tuple(parts)


def _no_timeline(layers: Layers, until: date | None) -> str:
    from ..timeline import timeline_span

    span = timeline_span(layers.movements)
    if span is not None and until is not None:
        return (
            f"--as-of {until.isoformat()} leaves no timeline to animate: the first "
            f"movement is on {span[0].isoformat()}. Give a later day."
        )
    return (
        "an animation plays the timeline day by day, but the movements are all on one "
        "day or undated. Give them dates that differ (the date column), or write a .png "
        "for a still map."
    )


class _Board:
    """A map drawn once, whose date and progress bar are redrawn for each frame."""

    def __init__(self, layers: Layers, animation: Animation, key: Layers | None = None):
        import matplotlib

        from .static import Size, draw_map, font_families, rc_params

        self.rc = rc_params(font_families(layers.style.font))
        size = Size(animation.width / DPI, animation.height / DPI, DPI)
        with matplotlib.rc_context(self.rc):
            self.drawn = draw_map(layers, size, key=key, context=animation.context)
            self.stamp = _date_stamp(self.drawn)
            self.track, self.fill = _progress_bar(self.drawn)
            canvas = self.drawn.figure.canvas
            for artist in (self.stamp, self.track, self.fill):
                artist.set_visible(False)
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.drawn.figure.bbox)  # type: ignore[attr-defined]
            for artist in (self.stamp, self.track, self.fill):
                artist.set_visible(True)

    def frame(self, day: date, progress: float) -> np.ndarray:
        import matplotlib
        import numpy as np

        from ..language import words_for

        words = words_for(self.drawn.layers.style.lang)
        figure = self.drawn.figure
        canvas = figure.canvas
        with matplotlib.rc_context(self.rc):
            canvas.restore_region(self.background)  # type: ignore[attr-defined]
            self.stamp.set_text(words("As of {date}", date=words.long_date(day)))
            self.fill.set_width(self.track.get_width() * progress)
            for artist in (self.track, self.fill, self.stamp):
                figure.draw_artist(artist)
        pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
        return np.ascontiguousarray(pixels[:, :, :3])

    def close(self) -> None:
        self.drawn.figure.clear()


def _date_stamp(drawn: StaticMap) -> Any:
    """The header's "As of" line, set bold and larger: the date every frame carries."""
    from ..language import words_for
    from ..theme import theme_named

    words = words_for(drawn.layers.style.lang)
    as_of = words("As of {date}", date="\0").split("\0")[0]  # its words before the date
    texts = [t for t in drawn.figure.texts if t.get_text().startswith(as_of)]
    if not texts:  # pragma: no cover - layers_as_of always sets the day
        raise TroopmapError("the map has no date line to animate.")
    stamp = texts[0]
    stamp.set_fontweight("bold")
    stamp.set_color(theme_named(drawn.layers.style.theme).ink)
    stamp.set_fontsize(float(stamp.get_fontsize()) * 1.25)
    return stamp


def _progress_bar(drawn: StaticMap) -> tuple[Any, Any]:
    """A slim bar along the top edge of the map: the track, and the part already played."""
    from matplotlib.patches import Rectangle

    from ..theme import theme_named

    box = drawn.ax.get_position()
    thickness = max(3.0, drawn.size.pixels[1] / 240) / drawn.size.pixels[1]
    bottom = box.y1 - thickness
    track = Rectangle(
        (box.x0, bottom),
        box.width,
        thickness,
        transform=drawn.figure.transFigure,
        facecolor=BAR_TRACK,
        edgecolor="none",
        zorder=20,
    )
    fill = Rectangle(
        (box.x0, bottom),
        0.0,
        thickness,
        transform=drawn.figure.transFigure,
        facecolor=theme_named(drawn.layers.style.theme).ink,  # BAR_FILL on a light map
        edgecolor="none",
        zorder=21,
    )
    drawn.figure.add_artist(track)
    drawn.figure.add_artist(fill)
    return track, fill


# --- writing --------------------------------------------------------------------------------


def write_animation(
    layers: Layers,
    path: str | Path,
    animation: Animation | None = None,
    step: Step | None = None,
) -> Path:
    """Write the timeline to ``path`` as GIF, MP4 or WebM (by its extension), atomically."""
    target = Path(path)
    animation = animation or Animation()
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f'"{suffix}" is not an animation format. Use one of: {", ".join(FORMATS)}.'
        )
    frames = animation_frames(layers, animation, step)
    if suffix == ".gif":
        _write_gif(layers, animation, frames, target)
    else:
        from .video import write_video

        write_video(frames, target, (animation.width, animation.height))
    return target


def _write_gif(layers: Layers, animation: Animation, frames: Iterator[Frame], target: Path) -> None:
    """One palette for every frame (from the map with every movement on it), no dithering:
    flat colours stay flat and each frame stores only what changed since the one before."""
    from ..files import atomic_output

    first = next(frames)  # raises NoTimeline before anything is written
    palette = _palette(layers, animation, first.day)
    images: list[Any] = []
    durations: list[int] = []
    for frame in [first, *frames]:
        images.append(palette.image_of(frame.image))
        durations.append(round(frame.seconds * 1000))
    with atomic_output(target) as handle:
        images[0].save(
            handle,
            format="GIF",
            save_all=True,
            append_images=images[1:],
            duration=durations,
            loop=0,
            optimize=False,
        )


def _palette(layers: Layers, animation: Animation, day: date) -> Palette:
    """256 colours from the map with every movement, so no frame meets a colour it lacks."""
    import numpy as np
    from PIL import Image

    from .video import Palette

    board = _Board(dataclasses.replace(layers, as_of=day), animation)
    try:
        image = Image.fromarray(board.frame(day, 0.5), "RGB")
    finally:
        board.close()
    quantized = image.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    return Palette(
        np.array((quantized.getpalette() or [])[: 3 * 256], dtype=np.int32).reshape(-1, 3)
    )


def total_seconds(days: int, animation: Animation) -> float:
    """How long an animation of ``days`` days plays, the hold on the last day included."""
    duration = animation.duration if animation.duration is not None else SECONDS_PER_DAY * days
    return duration + HOLD_SECONDS


def describe(layers: Layers, animation: Animation) -> str:
    """What an animation shows, for the line that says it was written: "19 days, 2 to 20
    February 2022, played in 11.5 seconds"."""
    from ..timeline import timeline_days

    days = timeline_days(layers.movements, until=animation.until)
    if len(days) < 2:
        return layers.subtitle
    seconds = total_seconds(len(days), animation)
    return f"{len(days)} days, {_days_phrase(days[0], days[-1])}, played in {seconds:.3g} seconds"


def _days_phrase(first: date, last: date) -> str:
    """``2 to 20 February 2022``; ``28 February to 3 March 2022``; across years in full."""
    from ..summary import long_date

    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {long_date(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {long_date(last)}"
    return f"{long_date(first)} to {long_date(last)}"
