"""What troopmap prints, and how: problems, results, details and progress.

- Colour only on a terminal (click strips it otherwise), and never when ``NO_COLOR`` is set.
- ``--quiet`` leaves only errors; ``--verbose`` adds details (how each place was found, how long
  each step took) on standard error, so standard output stays clean for scripts.
- A slow step (more than a second) shows what it is doing on the terminal, then erases itself.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import IO, Any, TypeVar

import click

from .errors import Problem, printable

# Characters that reorder a line on a terminal; they can only be inside JSON strings.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

F = TypeVar("F", bound=Callable[..., Any])

QUIET, NORMAL, VERBOSE = 0, 1, 2
_KEY = "troopmap.verbosity"


def no_color() -> bool:
    """True when the user asked for no colour (https://no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


def verbosity() -> int:
    context = click.get_current_context(silent=True)
    return int(context.meta.get(_KEY, NORMAL)) if context is not None else NORMAL


def _set_verbosity(level: int) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(context: click.Context, _parameter: click.Parameter, value: bool) -> None:
        if not value:
            return
        current = context.meta.get(_KEY, NORMAL)
        if current != NORMAL and current != level:
            raise click.UsageError("--quiet and --verbose cannot be used together.")
        context.meta[_KEY] = level

    return callback


def verbosity_options(command: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``, shared by every command."""
    quiet = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_verbosity(QUIET),
        help="Print only errors.",
    )
    verbose = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_verbosity(VERBOSE),
        help="Also print how each place was found and how long each step took.",
    )
    return quiet(verbose(command))


def shown(text: str) -> str:
    """``text`` as a terminal may show it: its lines kept, and within them every character
    that would act on the terminal (an escape sequence, a bidirectional override) written as
    an escape such as ``\u202e``; text from a CSV reaches the terminal only this way."""
    return "\n".join(printable(line) for line in text.split("\n"))


def json_text(data: object) -> str:
    """``data`` as indented JSON for editors and scripts, which a terminal may show too: JSON
    escapes control characters itself, and the bidirectional overrides are written as
    ``\u202e`` escapes as well (the same string to a JSON reader)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(text: str, **style: Any) -> None:
    """A result line on standard output (not with --quiet)."""
    if verbosity() > QUIET:
        click.secho(shown(text), **style)


def detail(text: str) -> None:
    """A detail on standard error, only with --verbose."""
    if verbosity() >= VERBOSE:
        click.secho(shown(text), err=True, dim=True)


def print_problems(
    problems: Sequence[Problem], *, err: bool = True, closing: str | None = None
) -> None:
    """Every problem on its own line, errors in red and warnings in yellow (on a terminal).

    Warnings are left out with --quiet. ``closing`` follows when there are errors; by default it
    says that nothing was written.
    """
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        if problem.severity != "error" and verbosity() == QUIET:
            continue
        label = "Error" if problem.severity == "error" else "Warning"
        colour = "red" if problem.severity == "error" else "yellow"
        click.secho(f"{label}: ", err=err, fg=colour, nl=False, bold=True)
        click.echo(str(problem), err=err)
    if errors:
        if closing is None:
            closing = f"{count(len(errors), 'problem')} found; nothing was written."
        click.echo(closing, err=err)


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``count(1, "movement")`` → "1 movement"; ``count(2, "movement")`` → "2 movements"."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


class Progress:
    """Shows the step a slow job is at, once it has run for ``delay`` seconds, on a terminal.

    Use as a context manager and call it with each step's words; it erases its line when done,
    and keeps how long each step took (printed with --verbose by :meth:`report`)::

        with Progress() as step:
            step("Reading movements.csv")
            ...
    """

    def __init__(
        self,
        *,
        delay: float = 1.0,
        interval: float = 0.1,
        stream: IO[str] | None = None,
        enabled: bool | None = None,
    ):
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = _is_terminal(self.stream) and verbosity() > QUIET
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
        self.text = ""
        self.steps: list[tuple[str, float]] = []
        self._started = self._step_started = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._shown = 0

    def __call__(self, text: str) -> None:
        now = time.monotonic()
        with self._lock:
            if self.text:
                self.steps.append((self.text, now - self._step_started))
            self.text, self._step_started = text, now

    def __enter__(self) -> Progress:
        self._started = self._step_started = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="troopmap-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.text:
                self.steps.append((self.text, time.monotonic() - self._step_started))
                self.text = ""
            self._erase()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def report(self) -> None:
        """With --verbose, how long each step took."""
        for text, seconds in self.steps:
            detail(f"  {text}: {seconds:.2f} s")

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            with self._lock:
                if self._stop.is_set():
                    break
                self._show(
                    f"{self.text}… {self.elapsed:.0f} s"
                    if self.text
                    else f"Working… {self.elapsed:.0f} s"
                )
            self._stop.wait(self.interval)

    def _show(self, line: str) -> None:
        padding = " " * max(0, self._shown - len(line))
        self.stream.write(f"\r{line}{padding}")
        self.stream.flush()
        self._shown = len(line)

    def _erase(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
