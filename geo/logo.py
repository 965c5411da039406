"""A newsroom's logo, named by the style file (``logo = "logo.png"``): a local PNG or SVG image,
read once, checked, and carried as bytes; the page embeds it as a ``data:`` URI (no request)
and the still map draws it (a PNG; see ``geo.render.static``).

An SVG is refused unless it is a plain drawing: no script, no event handler, no
``foreignObject``, no link or style that reaches outside the file, no entities (read with
defusedxml). Browsers already run nothing in an image shown by ``<img>``; the check keeps a
hostile file from ever being embedded, whatever the page is later pasted into.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

MAX_LOGO_BYTES = 100_000  # the page carries it in base64: a third more
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SVG_ELEMENTS_REFUSED = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video"}
_OUTSIDE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|javascript:", re.I)


class LogoError(ValueError):
    """A logo file troopmap will not embed; the message says why and what to do."""


@dataclass(frozen=True)
class Logo:
    """A checked image: its bytes and media type (``image/png`` or ``image/svg+xml``)."""

    data: bytes
    media_type: str
    name: str

    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"

    @property
    def is_png(self) -> bool:
        return self.media_type == "image/png"


def read_logo(path: Path) -> Logo:
    """The logo at ``path``; LogoError when it is missing, too large, or not a plain PNG/SVG."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoError(f"the logo {path} is not there.") from None
    except OSError as error:
        raise LogoError(f"the logo {path} cannot be read ({error.strerror or error}).") from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(
            f"the logo {path} is {len(data):,} bytes; a logo may be at most "
            f"{MAX_LOGO_BYTES:,} (every copy of the page carries it). Save it smaller."
        )
    if data.startswith(PNG_MAGIC):
        return Logo(data, "image/png", path.name)
    if path.suffix.lower() == ".svg":
        check_svg(data, path)
        return Logo(data, "image/svg+xml", path.name)
    raise LogoError(f"the logo {path} is neither a PNG nor an SVG image. Save it as PNG.")


def check_svg(data: bytes, path: Path) -> None:
    """Refuse an SVG that is more than a drawing (see the module's note)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise LogoError(
            f"the logo {path} declares entities or a DTD, which troopmap refuses."
        ) from None
    except Exception as error:
        raise LogoError(f"the logo {path} is not a readable SVG file ({error}).") from None
    if _local(root.tag) != "svg":
        raise LogoError(f"the logo {path} is not an SVG image (its root is not <svg>).")
    for element in root.iter():
        tag = _local(element.tag)
        if tag in _SVG_ELEMENTS_REFUSED:
            raise LogoError(f"the logo {path} holds a <{tag}> element, which troopmap refuses.")
        if tag == "style" and _OUTSIDE.search(element.text or ""):
            raise LogoError(f"the logo {path} has a style that loads something from outside.")
        for attribute, value in element.attrib.items():
            name = _local(attribute)
            if name.startswith("on"):
                raise LogoError(f"the logo {path} has an event handler ({name}).")
            if name == "href" and not value.strip().startswith("#"):
                raise LogoError(
                    f"the logo {path} links to {value[:60]!r}; only links inside the file "
                    "(#id) are allowed."
                )
            if _OUTSIDE.search(value):
                raise LogoError(f"the logo {path} has an attribute that reaches outside ({name}).")


def _local(tag: str) -> str:
    """``{http://www.w3.org/2000/svg}script`` → ``script`` (lower case)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
