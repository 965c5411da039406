"""House style: a TOML file of a newsroom's choices, read once and handed to the layers.

For now it pins colours to actors; every output (page, still map, GIS files) takes them from
the layers. A style file looks like::

    # troopmap.toml
    [colours]
    Russia = "#C0392B"
    NATO = "#1F4E9C"
    "United States" = "#1F4E9C"

It is the file given with ``--style``, else ``troopmap.toml`` in the working folder when there
is one. Actor names match as the legend groups them (case and surrounding spaces aside).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, Problem, UsageError, printable
from .logo import Logo

DEFAULT_STYLE_FILE = "troopmap.toml"
COLOUR_TABLES = ("colours", "colors")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
COLOUR_ADVICE = 'Write a colour as "#RRGGBB", e.g. "#D55E00".'


@dataclass(frozen=True)
class Style:
    """A newsroom's choices: ``colours`` by actor (keys casefolded), from ``path``.

    ``data_download``: the page offers the movements for download ("Get the data");
    ``lang``: the language the map is written in (``geo.language``);
    ``font``: the font family of the page and the still map (installed here, or on the
    reader's computer: the page loads no font); ``credit``: a byline under the map;
    ``logo``: a PNG or SVG image (``geo.logo``), put in the page, no request;
    ``theme``: ``light`` or ``dark`` (``geo.theme``).
    """

    colours: dict[str, str] = field(default_factory=dict)
    path: str = ""
    warnings: tuple[Problem, ...] = ()
    data_download: bool = True
    lang: str = "en"
    font: str = ""
    credit: str = ""
    logo: Logo | None = None
    theme: str = "light"

    def colour_of(self, actor: str) -> str | None:
        return self.colours.get(actor_key(actor))


def actor_key(actor: str) -> str:
    """How actor names are compared: case and surrounding spaces aside."""
    return " ".join(actor.split()).casefold()


def normal_colour(text: str) -> str | None:
    """``#d55e00`` → ``#D55E00``; ``#abc`` → ``#AABBCC``; None for anything else."""
    value = text.strip()
    if not _HEX.match(value):
        return None
    digits = value[1:].upper()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def find_style(path: str | Path | None, folder: Path | None = None) -> Path | None:
    """The style file to use: ``path`` when given, else ``troopmap.toml`` in ``folder`` (the
    working folder) if it exists."""
    if path is not None:
        return Path(path)
    default = (folder or Path.cwd()) / DEFAULT_STYLE_FILE
    return default if default.is_file() else None


def read_style(path: str | Path | None) -> Style:
    """Read a style file (None: no style); DataError listing every problem in it."""
    if path is None:
        return Style()
    name = printable(str(path))
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, None, None, None, "file not found.")]) from None
    except IsADirectoryError:
        raise DataError(
            [Problem(name, None, None, None, "is a folder, not a style file.")]
        ) from None
    except OSError as error:
        raise DataError(
            [Problem(name, None, None, None, f"cannot be read ({error.strerror or error}).")]
        ) from None
    return parse_style(raw, name, Path(path).parent)


def parse_style(raw: bytes, name: str = "<style>", folder: Path | None = None) -> Style:
    """The style in a TOML text; DataError listing every problem."""
    toml = _toml()
    try:
        data = toml.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError(
            [Problem(name, None, None, None, "is not UTF-8 text.", "Save it as UTF-8.")]
        ) from None
    except toml.TOMLDecodeError as error:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"is not valid TOML ({error}).",
                    'Write each colour as Actor = "#RRGGBB" under [colours]; '
                    'quote names with spaces: "United States" = "#0072B2".',
                )
            ]
        ) from None
    problems: list[Problem] = []
    colours: dict[str, str] = {}
    settings = _settings(data, name, problems, folder or Path.cwd())
    for table in COLOUR_TABLES:
        found = data.get(table, {})
        if not isinstance(found, dict):
            problems.append(
                Problem(
                    name,
                    None,
                    table,
                    None,
                    f"[{table}] must be a table.",
                    f'Write it as [{table}], then one Actor = "#RRGGBB" a line.',
                )
            )
            continue
        for actor, value in found.items():
            colour = normal_colour(value) if isinstance(value, str) else None
            if colour is None:
                shown = f'"{value}"' if isinstance(value, str) else repr(value)
                problems.append(
                    Problem(
                        name,
                        None,
                        table,
                        f"{actor} = {shown}",
                        f'the colour of "{actor}", {shown}, is not a colour.',
                        COLOUR_ADVICE,
                    )
                )
                continue
            colours[actor_key(actor)] = colour
    for key in data:
        if key in COLOUR_TABLES or key in SETTINGS:
            continue
        problems.append(
            Problem(
                name,
                None,
                key,
                None,
                f'"{key}" is not a setting troopmap knows and is ignored.',
                "Colours go under [colours]; the settings troopmap knows are "
                + ", ".join(SETTINGS)
                + ".",
                "warning",
            )
        )
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    if settings.get("font") and not font_installed(settings["font"]):
        problems.append(
            Problem(
                name,
                None,
                "font",
                f'font = "{settings["font"]}"',
                f'the font "{settings["font"]}" is not installed on this computer: the PNG, SVG '
                "and PDF are drawn in troopmap's usual font; the page still names it, for "
                "readers who have it.",
                "Install the font, or name one this computer has.",
                "warning",
            )
        )
    kept = tuple(p for p in problems if p.severity != "error")
    return Style(colours, name, kept, **settings)


def font_installed(family: str) -> bool:
    """Whether matplotlib finds ``family`` on this computer (the still map's fonts)."""
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


# The settings a style file may hold besides [colours], each the same as a command-line option.
SETTINGS: dict[str, type] = {
    "data_download": bool,
    "lang": str,
    "font": str,
    "credit": str,
    "logo": str,
    "theme": str,
}
MAX_SETTING_CHARACTERS = 200
LOGO_ADVICE = "Use a PNG of at most 100 KB, or an SVG that is a plain drawing."
_FONT_NAME = re.compile(r"^[\w .'-]+$")


def _settings(
    data: dict[str, Any], name: str, problems: list[Problem], folder: Path
) -> dict[str, Any]:
    """The plain settings of a style file (``data_download = false``), checked; a logo is
    read from ``folder`` (the style file's) when its path is relative."""
    found: dict[str, Any] = {}
    for key, kind in SETTINGS.items():
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, kind):
            example = "true or false" if kind is bool else '"text"'
            problems.append(
                Problem(
                    name,
                    None,
                    key,
                    f"{key} = {value!r}",
                    f"{key} must be {example}.",
                    f"Write it as {key} = {'false' if kind is bool else example}.",
                )
            )
            continue
        try:
            found[key] = _setting(key, value, folder)
        except (UsageError, ValueError) as error:
            advice = LOGO_ADVICE if key == "logo" else ""
            problems.append(Problem(name, None, key, f"{key} = {value!r}", str(error), advice))
    return found


def _setting(key: str, value: Any, folder: Path) -> Any:
    """A setting's value as troopmap uses it; ValueError (or UsageError) saying what is wrong."""
    if isinstance(value, str):
        value = printable(value.strip())
        if len(value) > MAX_SETTING_CHARACTERS:
            raise ValueError(f"{key} is longer than {MAX_SETTING_CHARACTERS} characters.")
    if key == "lang":
        from .language import language_code

        return language_code(value)
    if key == "theme" and value not in ("light", "dark"):
        raise ValueError(f'theme must be "light" or "dark", not "{value}".')
    if key == "font" and value and not _FONT_NAME.match(value):
        raise ValueError(
            f'font "{value}" is not a font family name (letters, digits, spaces, - and \' only).'
        )
    if key == "logo":
        from .logo import read_logo

        path = Path(value).expanduser()
        return read_logo(path if path.is_absolute() else folder / path)
    return value


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover - Python 3.10

    return tomli  # pragma: no cover
