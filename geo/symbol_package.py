"""The ``military-symbol`` package, imported on first use and quietly (it prints its guesses
and warnings; troopmap reports problems itself). A map without symbols never loads it."""

from __future__ import annotations

import contextlib
import functools
import io
from typing import Any

from .errors import TroopmapError

INSTALL = "pip install 'military-symbol>=1.2.3,<2'"


class SymbolPackageMissing(TroopmapError):
    """The military-symbol package is missing or is a release this Python cannot import."""


@functools.lru_cache(maxsize=1)
def _package() -> Any:
    """The military-symbol package's schema and modules, imported quietly (it prints)."""
    try:
        with _quiet():
            from military_symbol import command_line, name_to_sidc
            from military_symbol.individual_symbol import MilitarySymbol
    except ImportError:
        raise SymbolPackageMissing(
            f"drawing unit symbols needs the military-symbol package: {INSTALL}"
        ) from None
    except SyntaxError:
        # military-symbol 2.x uses f-strings that need Python 3.12.
        raise SymbolPackageMissing(
            "the installed military-symbol release cannot be imported by this Python "
            f"(2.x needs Python 3.12 or newer): {INSTALL}"
        ) from None
    schema = command_line.sym_schema
    # The package stores some entities' names in set order, which changes from run to run;
    # sorted names make its guesses, and so troopmap's output, the same every run.
    for entity in schema.get_flat_entities():
        entity.names = sorted(entity.names)
    return schema, name_to_sidc, MilitarySymbol


@contextlib.contextmanager
def _quiet() -> Any:
    """military-symbol prints its guesses and warnings; troopmap reports problems itself."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield sink
