"""The map's colours other than the actors': sea, land, the tints of the countries that take part,
borders, text and paper, for the light theme (troopmap's own) and the dark one a style file
may ask for (``theme = "dark"``). Every renderer takes them from here: the page (its basemap's
fills and borders as data, its panels by ``assets/theme-dark.css``) and the still map."""

from __future__ import annotations

from dataclasses import dataclass

THEMES = ("light", "dark")


@dataclass(frozen=True)
class Theme:
    name: str
    sea: str
    land: str
    receives: str  # a country that receives or hosts troops (and one that does both)
    sends: str  # a country that only sends them
    border: str
    border_involved: str
    ink: str  # titles and the key's words
    label: str  # the figures written on the map
    place: str  # the names of places
    muted: str  # secondary text: "As of"; the key's lines
    subtitle: str
    caption: str  # the still map's sources line, scale bar and place dots' rims
    heading: str  # the still map key's headings
    country_text: str
    country_text_involved: str
    paper: str  # behind the map: the page's panels, the still map's margins
    link: str
    halo: str  # round labels drawn over the map

    def fill_for(self, role: str) -> str:
        """The fill of a country by its part in the movements ("" for none)."""
        return {"receives": self.receives, "both": self.receives, "sends": self.sends}.get(
            role, self.land
        )


LIGHT = Theme(
    name="light",
    sea="#d4e3ec",
    land="#f4f1ea",
    receives="#efdcae",
    sends="#ddd6ea",
    border="#b5b5b5",
    border_involved="#8c8c8c",
    ink="#1d1d1d",
    label="#111111",
    place="#222222",
    muted="#555555",
    subtitle="#3a3a3a",
    caption="#333333",
    heading="#444444",
    country_text="#6b6257",
    country_text_involved="#3b342b",
    paper="#ffffff",
    link="#0b5394",
    halo="#ffffff",
)
# Dark: a night sea, land a step lighter, the tints kept apart by hue as in the light theme
# (amber for receiving, violet for sending) and text light enough for WCAG AA on the paper.
DARK = Theme(
    name="dark",
    sea="#16212b",
    land="#2a2e34",
    receives="#4b4331",
    sends="#3b3750",
    border="#4d535b",
    border_involved="#8a9099",
    ink="#ececec",
    label="#f2f2f2",
    place="#e2e2e2",
    muted="#b4b4b4",
    subtitle="#d0d0d0",
    caption="#c4c4c4",
    heading="#c9c9c9",
    country_text="#9ba1a9",
    country_text_involved="#ddd6c8",
    paper="#14181d",
    link="#8cc4ff",
    halo="#14181d",
)


def theme_named(name: str) -> Theme:
    return DARK if name == "dark" else LIGHT
