"""Web links: which texts troopmap accepts as a source link, and the host shown for each.

The reader checks a ``source`` with :func:`link_host`, and the page footer and the caption of
a print map label each link with it, so what ``check`` accepts is what ``render`` can draw.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_WEB_LINK = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.I)


def link_host(url: str) -> str | None:
    """The host a web link opens, without ``www.``; None when ``url`` is not one troopmap
    accepts: ``http(s)://``, a host with a dot, no spaces, an address Python parses (no
    ``[`` left open, a port that is a number), and no user name before an ``@`` (which shows
    one host and opens another)."""
    if not _WEB_LINK.match(url):
        return None
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # either raises ValueError when malformed
    except ValueError:
        return None
    if not host or "@" in parts.netloc:
        return None
    return host.removeprefix("www.")


def hides_its_host(url: str) -> str | None:
    """The host a link with a user name (``https://bbc.com@evil.example/``) really opens."""
    try:
        parts = urlsplit(url)
        return parts.hostname if "@" in parts.netloc else None
    except ValueError:
        return None
