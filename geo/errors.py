"""The one error family of troopmap.

Library code raises these; only the command line turns them into a message and an exit code
(1 for bad data, 2 for bad usage).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Characters that would act on a terminal rather than show: control characters (an escape
# sequence can rewrite the screen), and the bidirectional overrides that reorder a line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every character that would act on a terminal written as an escape."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a user's file, located as a spreadsheet shows it.

    ``row`` counts like a spreadsheet: the header is row 1, the first movement row 2.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    suggestion: str = ""
    severity: str = "error"
    choices: tuple[str, ...] = ()
    """Values that would fix it (the closest place names), for editors offering a quick fix."""

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.suggestion:
            text += f" {self.suggestion}"
        return printable(text)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "suggestion": self.suggestion,
            "choices": list(self.choices),
        }


class TroopmapError(Exception):
    """Base of every error troopmap reports to a user."""


class UsageError(TroopmapError):
    """The command was asked for something it cannot do (bad option, unwritable path)."""


class DataError(TroopmapError):
    """The data has problems; every one found is listed, not just the first."""

    def __init__(self, problems: Sequence[Problem], partial: object = None):
        self.problems = list(problems)
        #: what could still be read (e.g. the rows without problems), so that later stages can
        #: look for their own problems too and the user gets every one at once
        self.partial = partial
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


def raise_if_errors(problems: Iterable[Problem]) -> None:
    """Raise one DataError carrying every error-severity problem, if there is any."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
