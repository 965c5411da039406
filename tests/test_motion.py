"""A journalist exports the timeline as a GIF or a video for social media."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops, ImageSequence

from geo.cli import main
from geo.render.motion import HOLD_SECONDS, _days_phrase, parse_frame_size
from geo.render.video import VIDEO_FPS
from geo.timeline import timeline_days

# Three days: a movement on the 2nd, nothing new on the 3rd, another on the 4th.
THREE_DAYS = """
date,actor,origin,destination,troops
2022-02-02,United States,Germany,Romania,1000
2022-02-04,Russia,Russia,Belarus,30000
"""
SMALL = ["--frame-size", "400x400"]


def frames_of(path: Path) -> list[Image.Image]:
    with Image.open(path) as gif:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]


def durations_of(path: Path) -> list[int]:
    with Image.open(path) as gif:
        return [frame.info["duration"] for frame in ImageSequence.Iterator(gif)]


def changed_box(a: Image.Image, b: Image.Image) -> tuple[int, int, int, int] | None:
    return ImageChops.difference(a, b).getbbox()


def test_a_gif_has_one_frame_a_day_with_the_date_changing_on_each(
    write_csv: Callable[..., Path], render: Callable[..., Any], tmp_path: Path
) -> None:
    movements = write_csv(THREE_DAYS)
    gif = tmp_path / "map.gif"

    result = render(str(movements), "-o", str(gif), *SMALL, "--duration", "1.5")

    assert f"Wrote {gif}" in result.stdout
    assert "3 days, 2 to 4 February 2022, played in 3.5 seconds." in result.stdout
    day2, day3, day4 = frames_of(gif)
    assert day2.size == (400, 400)
    assert durations_of(gif) == [500, 500, 500 + round(HOLD_SECONDS * 1000)]
    # 3 February adds nothing: only the date (and the bar above the map) change, at the top.
    header = changed_box(day2, day3)
    assert header is not None and header[3] < 400 * 0.35, header
    # 4 February adds Russia's movement: the map itself changes.
    drawn = changed_box(day3, day4)
    assert drawn is not None and drawn[3] > 400 * 0.5, drawn


def test_the_same_csv_gives_the_same_gif_bytes(
    write_csv: Callable[..., Path], render: Callable[..., Any], tmp_path: Path
) -> None:
    movements = write_csv(THREE_DAYS)
    first, second = tmp_path / "first.gif", tmp_path / "second.gif"

    render(str(movements), "-o", str(first), *SMALL)
    render(str(movements), "-o", str(second), *SMALL)

    assert first.read_bytes() == second.read_bytes()


def test_more_frames_a_day_move_the_bar_and_keep_the_map(
    write_csv: Callable[..., Path], render: Callable[..., Any], tmp_path: Path
) -> None:
    movements = write_csv(THREE_DAYS)
    gif = tmp_path / "map.gif"

    render(str(movements), "-o", str(gif), *SMALL, "--frames-per-day", "2", "--duration", "3")

    frames = frames_of(gif)
    assert len(frames) == 6
    assert durations_of(gif)[:5] == [500] * 5
    # Within a day only the bar moves: a thin band, the same day's date.
    band = changed_box(frames[0], frames[1])
    assert band is not None and band[3] - band[1] <= 5, band
    bar = np.asarray(frames[1])[band[1] : band[3], :, :]
    dark = (bar.sum(axis=2) < 150).any(axis=0)
    assert dark[band[0] : band[2]].all()  # the played part is drawn in the bar's dark ink


def test_an_mp4_plays_the_timeline_at_30_frames_a_second(
    write_csv: Callable[..., Path], render: Callable[..., Any], tmp_path: Path
) -> None:
    import imageio_ffmpeg

    movements = write_csv(THREE_DAYS)
    video = tmp_path / "map.mp4"

    render(str(movements), "-o", str(video), *SMALL, "--duration", "0.3")

    reader = imageio_ffmpeg.read_frames(str(video))
    meta = reader.__next__()
    frames = [np.frombuffer(frame, dtype=np.uint8) for frame in reader]
    assert meta["size"] == (400, 400)
    assert meta["fps"] == VIDEO_FPS
    assert len(frames) == round((0.3 + HOLD_SECONDS) * VIDEO_FPS)

    # Each day is held for 3 frames: the first three are the same picture (up to the encoder's
    # losses), the fourth has the next date.
    def changed(a: int, b: int) -> float:
        return float((np.abs(frames[a].astype(int) - frames[b].astype(int)) > 64).mean())

    assert changed(0, 2) < 0.0005 < 0.002 < changed(0, 3), (changed(0, 2), changed(0, 3))


def test_the_same_csv_gives_the_same_video_frames(
    write_csv: Callable[..., Path], render: Callable[..., Any], tmp_path: Path
) -> None:
    import imageio_ffmpeg

    movements = write_csv(THREE_DAYS)
    videos = [tmp_path / "first.webm", tmp_path / "second.webm"]
    for video in videos:
        render(str(movements), "-o", str(video), *SMALL, "--duration", "0.3")

    decoded = [list(imageio_ffmpeg.read_frames(str(video)))[1:] for video in videos]
    assert len(decoded[0]) == round((0.3 + HOLD_SECONDS) * VIDEO_FPS)
    assert decoded[0] == decoded[1]


def test_undated_movements_have_nothing_to_animate(
    write_csv: Callable[..., Path], invoke: Callable[..., Any], tmp_path: Path
) -> None:
    movements = write_csv("actor,origin,destination,troops\nUnited States,Germany,Romania,1000\n")

    result = invoke("render", str(movements), "-o", str(tmp_path / "map.gif"))

    assert result.exit_code == 2
    assert "the movements are all on one day or undated" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "map.gif").exists()


def test_an_odd_or_tiny_frame_size_is_refused_before_any_work(
    invoke: Callable[..., Any], tmp_path: Path
) -> None:
    result = invoke("render", "-o", str(tmp_path / "map.mp4"), "--frame-size", "1081x1080")
    assert result.exit_code == 2
    assert "video encoders need even sizes. Give 1080 or 1082." in result.stderr

    result = invoke("render", "-o", str(tmp_path / "map.gif"), "--frame-size", "big")
    assert result.exit_code == 2
    assert "Give width x height in pixels, e.g. 1080x1080" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_the_video_encoder_the_message_names_the_install_command(
    invoke: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as if it were not installed

    result = invoke("render", "-o", str(tmp_path / "map.mp4"))

    assert result.exit_code == 2
    assert 'pip install "troopmap[video]"' in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_as_of_ends_the_animation_on_that_day(
    write_csv: Callable[..., Path], render: Callable[..., Any], tmp_path: Path
) -> None:
    movements = write_csv(THREE_DAYS)
    gif = tmp_path / "map.gif"

    render(str(movements), "-o", str(gif), *SMALL, "--as-of", "2022-02-03")

    assert len(frames_of(gif)) == 2


def test_every_day_keeps_the_legend_of_the_whole_timeline(
    write_csv: Callable[..., Path],
) -> None:
    from matplotlib.text import Text

    from geo import pipeline
    from geo.layers import layers_as_of
    from geo.render.static import Size, draw_map

    layers = pipeline.layers_for(write_csv(THREE_DAYS))
    first_day = layers_as_of(layers, date(2022, 2, 2))  # Russia's 30,000 move on the 4th

    def words(drawn: Any) -> set[str]:
        return {text.get_text() for text in drawn.figure.findobj(Text)}

    assert "30,000 troops" not in words(draw_map(first_day, Size(4, 4, 100)))
    assert "30,000 troops" in words(draw_map(first_day, Size(4, 4, 100), key=layers))


def test_the_progress_line_counts_the_frames_as_they_are_drawn(
    write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    from geo import pipeline
    from geo.render import Options

    layers = pipeline.layers_for(write_csv(THREE_DAYS))
    steps: list[str] = []

    pipeline.write(layers, tmp_path / "map.gif", Options(frame_size="300x300"), steps.append)

    assert steps == [
        "Drawing frame 1 of 3 [#######.............] 2022-02-02",
        "Drawing frame 2 of 3 [#############.......] 2022-02-03",
        "Drawing frame 3 of 3 [####################] 2022-02-04",
    ]


def test_too_many_frames_for_the_duration_are_refused(
    write_csv: Callable[..., Path], invoke: Callable[..., Any], tmp_path: Path
) -> None:
    movements = write_csv(THREE_DAYS)

    result = invoke(
        "render",
        str(movements),
        "-o",
        str(tmp_path / "map.gif"),
        "--duration",
        "0.5",
        "--frames-per-day",
        "30",
    )

    assert result.exit_code == 2
    assert (
        "90 frames in 0.5 seconds is more than 50 a second: give a longer --duration or "
        "fewer --frames-per-day."
    ) in result.stderr
    assert list(tmp_path.iterdir()) == [movements]


def test_the_timeline_runs_over_every_day_between_the_first_and_the_last(
    write_csv: Callable[..., Path],
) -> None:
    from geo import pipeline

    movements = pipeline.load(write_csv(THREE_DAYS)).movements
    assert [d.day for d in timeline_days(movements)] == [2, 3, 4]
    assert parse_frame_size("1920×1080") == (1920, 1080)
    assert _days_phrase(date(2022, 2, 28), date(2022, 3, 3)) == "28 February to 3 March 2022"
    assert _days_phrase(date(2021, 12, 30), date(2022, 1, 2)) == (
        "30 December 2021 to 2 January 2022"
    )


REPORTS = Path(__file__).resolve().parent.parent / "docs" / "reports.md"
DOCUMENTED = re.findall(
    r"```console\n(\$ troopmap render [^\n]*\.(?:gif|mp4|webm)\n.*?)```",
    REPORTS.read_text(encoding="utf-8"),
    re.S,
)


@pytest.mark.parametrize("block", DOCUMENTED, ids=lambda b: b.splitlines()[0])
def test_the_guide_shows_what_the_animation_commands_print(
    block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, *shown = block.rstrip("\n").splitlines()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "undated.csv").write_text(
        "actor,origin,destination,troops\nUnited States,Germany,Romania,1000\n"
    )

    result = CliRunner().invoke(
        main, shlex.split(command.removeprefix("$ troopmap ")), prog_name="troopmap"
    )

    assert result.output.splitlines() == shown
    bundled = tmp_path / "outputs" / "deployments.gif"
    if bundled.exists():  # the bundled timeline, 2 to 20 February, as the guide shows it
        assert len(frames_of(bundled)) == 19
        assert bundled.stat().st_size <= 5_000_000
        assert bundled.read_bytes() == (REPORTS.parent / "animation.gif").read_bytes()
