"""Messages: progress for slow steps on a terminal only; --quiet and --verbose."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest

from geo.console import Progress, count


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_step_shows_what_it_is_doing_then_erases_itself() -> None:
    screen = Terminal()
    with Progress(delay=0.05, interval=0.01, stream=screen) as step:
        step("Drawing the map")
        time.sleep(0.3)
    shown = screen.getvalue()
    assert "\rDrawing the map… 0 s" in shown
    assert shown.endswith("\r" + " " * len("Drawing the map… 0 s") + "\r")
    assert [text for text, _ in step.steps] == ["Drawing the map"]


def test_a_quick_job_shows_nothing() -> None:
    screen = Terminal()
    with Progress(delay=0.5, stream=screen) as step:
        step("Reading movements.csv")
    assert screen.getvalue() == ""


def test_no_progress_when_the_output_is_not_a_terminal() -> None:
    log = io.StringIO()
    with Progress(delay=0.0, interval=0.01, stream=log) as step:
        step("Drawing the map")
        time.sleep(0.1)
    assert log.getvalue() == ""


def test_progress_is_erased_when_the_step_fails() -> None:
    screen = Terminal()
    with (
        pytest.raises(ValueError, match="boom"),  # the error goes on to the caller, untouched
        Progress(delay=0.0, interval=0.01, stream=screen) as step,
    ):
        step("Finding the places")
        time.sleep(0.1)
        raise ValueError("boom")
    shown = screen.getvalue()
    assert "\rFinding the places… 0 s" in shown
    assert shown.endswith("\r" + " " * len("Finding the places… 0 s") + "\r")


def test_counts_read_as_words() -> None:
    assert count(1, "movement") == "1 movement"
    assert count(2, "stationed force") == "2 stationed forces"
    assert count(1200, "place") == "1,200 places"


def test_render_verbose_says_how_long_each_step_took_and_where_places_are(
    invoke: Callable[..., Any], tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "-o", "map.html", "--verbose")
    assert result.exit_code == 0
    assert "  Reading deployments.csv (bundled): " in result.stderr
    assert "  Writing map.html: " in result.stderr
    assert "  Romania → Romania (country), from Natural Earth countries" in result.stderr


def test_render_quiet_prints_nothing_when_all_is_well(
    invoke: Callable[..., Any], tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "-o", "map.html", "-q")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert (tmp_path / "map.html").exists()
