"""Encoding an animation's frames: the GIF's one palette, mapped exactly, and MP4 or WebM
through the ffmpeg that the ``imageio-ffmpeg`` package ships, with nothing in the file that
varies from run to run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    import numpy as np

VIDEO_FPS = 30
INSTALL_VIDEO = 'pip install "troopmap[video]"'


@dataclass(frozen=True)
class Frame:
    """One picture of the animation: the day it shows, its pixels and how long it stays."""

    day: date
    image: np.ndarray  # (height, width, 3) RGB bytes
    seconds: float


# ffmpeg settings: widely playable H.264 / VP9, and nothing that varies from run to run
# (no encoder version string, no creation time).
_CODECS: dict[str, list[str]] = {
    ".mp4": [
        "-vcodec",
        "libx264",
        "-preset",
        "fast",
        "-crf",
        "23",
        "-tune",
        "animation",
        "-movflags",
        "+faststart",
    ],
    ".webm": [
        "-vcodec",
        "libvpx-vp9",
        "-crf",
        "34",
        "-b:v",
        "0",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
    ],
}
_STABLE = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]


class Palette:
    """The GIF's colours, and each RGB colour met so far mapped to the nearest one exactly
    (Pillow's own mapping approximates, which greys the white of the page). Frames share
    most of their colours, so after the first one little is left to look up."""

    def __init__(self, colours: np.ndarray):
        import numpy as np

        self.colours = colours
        self.nearest = np.zeros(1 << 24, dtype=np.uint8)
        self.known = np.zeros(1 << 24, dtype=bool)

    def image_of(self, pixels: np.ndarray) -> Any:
        """The frame in the palette's colours, as a Pillow image of mode P."""
        import numpy as np
        from PIL import Image

        rgb = pixels.astype(np.uint32)
        packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
        new = np.unique(packed[~self.known[packed]])
        for start in range(0, len(new), 4096):
            chunk = new[start : start + 4096]
            channels = np.stack([chunk >> 16, (chunk >> 8) & 255, chunk & 255], axis=1)
            distance = (channels.astype(np.int32)[:, None, :] - self.colours[None, :, :]) ** 2
            self.nearest[chunk] = distance.sum(axis=2).argmin(axis=1)
            self.known[chunk] = True
        image = Image.fromarray(self.nearest[packed], "P")
        image.putpalette(self.colours.astype(np.uint8).ravel().tobytes())
        return image


def write_video(frames: Iterator[Frame], target: Path, size: tuple[int, int]) -> None:
    """Each frame (``size``: width, height in pixels) held for as many video frames (at 30 a
    second) as its time needs."""
    from ..files import atomic_path

    encoder = ffmpeg()
    first = next(frames)  # raises NoTimeline before ffmpeg starts
    with atomic_path(target) as temporary:
        writer = encoder.write_frames(
            str(temporary),
            size,
            fps=VIDEO_FPS,
            quality=None,
            macro_block_size=2,
            pix_fmt_out="yuv420p",
            ffmpeg_log_level="error",
            output_params=[*_CODECS[target.suffix.lower()], *_STABLE],
        )
        writer.send(None)
        try:
            elapsed, written = 0.0, 0
            for frame in [first, *frames]:
                elapsed += frame.seconds
                due = round(elapsed * VIDEO_FPS)
                data = frame.image.tobytes()
                for _ in range(due - written):
                    writer.send(data)
                written = max(written, due)
        finally:
            writer.close()


def video_frame_count(seconds: float) -> int:
    """How many frames a video of ``seconds`` has (at 30 a second)."""
    return round(seconds * VIDEO_FPS)


def ffmpeg() -> Any:
    """The imageio-ffmpeg package; UsageError naming its install command when missing."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise UsageError(
            f"MP4 and WebM need the video encoder that the imageio-ffmpeg package "
            f"ships. Install it with: {INSTALL_VIDEO} (or write a .gif)."
        ) from None
    return imageio_ffmpeg
