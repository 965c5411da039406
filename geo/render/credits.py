"""The credits every map gives, whatever draws it: the sites its sources come from (one link
per site, its first report) and the borders' source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..links import link_host

if TYPE_CHECKING:
    from ..layers import Layers

NATURAL_EARTH = "https://www.naturalearthdata.com/"
FOOTER_SOURCES = 8  # source sites linked from a map's credits; every report is in its popup


def source_sites(layers: Layers) -> dict[str, str]:
    """Each site the sources come from, in order of first mention, with its first report."""
    by_host: dict[str, str] = {}
    for url in layers.sources:
        host = link_host(url)  # the CSV reader refuses others; a library caller may not
        if host:
            by_host.setdefault(host, url)
    return by_host
