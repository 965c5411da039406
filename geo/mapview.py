"""``geo.Map``: one map of movements, for scripts and notebooks.

    import geo
    m = geo.Map("movements.csv", title="Reinforcements")
    m                                   # in Jupyter: the interactive map, in a sandboxed frame
    m.save("map.html", "map.png")       # any of .html .png .svg .pdf .geojson .gpkg
    m.frames()["legs"]                  # the GIS layers as GeoDataFrames

The CSV is read and its places resolved once, when the map is made; every output is drawn
from the same geo layer. ``style="house.toml"`` pins house colours (without it,
``troopmap.toml`` in the working folder, if there is one).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .render import Options

if TYPE_CHECKING:
    import geopandas as gpd

    from .layers import Layers


class Map:
    """A map of the movements in a CSV (the bundled dataset when none is given)."""

    def __init__(
        self,
        csv: str | Path | None = None,
        *,
        places: Sequence[str | Path] = (),
        title: str | None = None,
        subtitle: str | None = None,
        options: Options | None = None,
        style: str | Path | None = None,
    ):
        from .pipeline import layers_for, style_for

        self.layers: Layers = layers_for(
            csv, places, title=title, subtitle=subtitle, style=style_for(style)
        )
        self.options = options or Options()
        self._page: str | None = None

    @classmethod
    def from_layers(cls, layers: Layers, options: Options | None = None) -> Map:
        """A map of layers already built (``geo.build_layers``)."""
        made = cls.__new__(cls)
        made.layers = layers
        made.options = options or Options()
        made._page = None
        return made

    @property
    def title(self) -> str:
        return self.layers.title

    def to_html(self) -> str:
        """The whole self-contained page."""
        if self._page is None:
            from .render.html import render_html

            self._page = render_html(self.layers, tiles=self.options.tiles)
        return self._page

    def to_fragment(self) -> str:
        """The map as a fragment to paste into a page (no ``<html>`` element)."""
        from .render.embed import render_fragment

        return render_fragment(self.layers, tiles=self.options.tiles)

    def to_image(self, fmt: str = "png") -> bytes:
        """The static map as PNG, SVG or PDF bytes, sized by the map's options."""
        from .render.static import render_static

        return render_static(
            self.layers,
            fmt,
            width=self.options.width,
            height=self.options.height,
            dpi=self.options.dpi,
        )

    def to_geojson(self) -> str:
        """Legs, stationed forces and places as one RFC 7946 GeoJSON text."""
        from .render.export import render_geojson

        return render_geojson(self.layers)

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        """The GIS layers ``legs``, ``stations`` and ``places``, and the ``movements`` table, as
        GeoDataFrames."""
        from .render.export import export_layers

        return export_layers(self.layers)

    def save(self, *paths: str | Path) -> list[Path]:
        """Write the map to each path, in the format its extension names; returns the paths."""
        from .render import write, writer_for

        for path in paths:
            writer_for(path)  # every name checked before anything is written
        return [write(self.layers, path, self.options) for path in paths]

    def _repr_html_(self) -> str:
        from .render.embed import notebook_html

        return notebook_html(self.to_html(), title=self.title)

    def __repr__(self) -> str:
        return f"<troopmap Map {self.title!r}: {self.layers.subtitle}>"
