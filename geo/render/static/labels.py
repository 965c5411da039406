"""The map's words: the troops beside each stationed force and on each flow, the places'
names, and the countries' names where they fit. Figures go first, then the places the
movements name, then countries, each clear of what is already placed (``placement``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import language
from ...legend import LABEL_LIMITS
from ...theme import LIGHT
from .drawing import parts
from .placement import around, label_box

if TYPE_CHECKING:
    import geopandas as gpd

    from ...layers import Layers
    from .placement import Labeller

COUNTRY_TEXT = LIGHT.country_text  # the light theme's; a map takes its theme's (geo.theme)
COUNTRY_TEXT_INVOLVED = LIGHT.country_text_involved


def label_map(
    labeller: Labeller,
    layers: Layers,
    flows: list[tuple[Any, dict[str, Any]]],
    countries: gpd.GeoDataFrame,
) -> None:
    """Every label of the map, in order of priority."""
    label_stations(labeller, layers)
    label_places(labeller, layers)
    label_flows(labeller, layers, flows)
    label_countries(labeller, countries)


def label_stations(labeller: Labeller, layers: Layers) -> None:
    """The troops and the place's name beside each stationed force, clear of the flows."""
    frame, style = labeller.frame, labeller.frame.style
    stations = layers.stations
    if not len(stations) or len(stations) > LABEL_LIMITS["stations"]:
        return
    projected = frame.project(stations[["geometry"]])
    for i in range(len(stations)):
        row = stations.iloc[i]
        point = projected.geometry.iloc[i]
        radius = style.px(float(row["radius"]))
        lines = [
            (
                station_label(row),
                {"fontsize": style.label, "fontweight": "bold", "color": style.theme.label},
            ),
            (
                row.get("place_label", row["place"]),
                {"fontsize": style.small, "color": style.theme.place},
            ),
        ]
        gap = radius + 5
        # Lines are stacked downwards; lift the block so it is centred on the circle.
        lift = style.label * 0.55
        candidates = [
            (gap, lift, "left", "center"),
            (-gap, lift, "right", "center"),
            (0, gap + style.label * 2.3, "center", "bottom"),
            (0, -gap, "center", "top"),
        ]
        labeller.place_text(
            (point.x, point.y),
            lines,
            candidates,
            box=label_box(style.theme.paper),
            avoid_flows=True,
        )


def label_places(labeller: Labeller, layers: Layers) -> None:
    """The names of the places the movements name (not those of stationed forces)."""
    frame, style = labeller.frame, labeller.frame.style
    places = layers.places
    labelled = places[(places["kind"] != "country") & (places["role"] != "station")]
    if not len(labelled) or len(places) > LABEL_LIMITS["places"]:
        return
    projected = frame.project(labelled[["geometry"]])
    # A place given as coordinates: "near ..." or nothing, never the numbers.
    names = [
        label if kind == "point" else name
        for name, label, kind in zip(
            labelled["name"], labelled["label"], labelled["kind"], strict=True
        )
    ]
    for name, point in zip(names, projected.geometry, strict=True):
        if not name:
            continue
        labeller.place_text(
            (point.x, point.y),
            [(name, {"fontsize": style.label, "color": style.theme.place})],
            around(style.px(3.0) + 2.5),
            halo=True,
            avoid_flows=True,
        )


def label_flows(
    labeller: Labeller, layers: Layers, flows: list[tuple[Any, dict[str, Any]]]
) -> None:
    """The troops on each movement, on the visible middle of its trunk or line."""
    from shapely import clip_by_rect

    frame, style = labeller.frame, labeller.frame.style
    if len(layers.flows) > LABEL_LIMITS["flows"]:
        return
    west, south, east, north = frame.view(-0.04)
    for line, row in sorted(flows, key=lambda item: (item[1]["row"], item[1]["leg"] == "branch")):
        text = row["label"] if row["leg"] in ("trunk", "direct") else row.get("leg_label", "")
        if not text:
            continue
        visible = max(
            parts(clip_by_rect(line, west, south, east, north)),
            key=lambda part: part.length,
            default=None,
        )
        if visible is None or visible.length == 0:
            continue
        spots = []
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            point = visible.interpolate(t, normalized=True)
            spots.append((point.x, point.y))
        props = {"fontsize": style.label, "fontweight": "bold", "color": style.theme.label}
        for spot in spots:
            placed = labeller.place_text(
                spot,
                [(text, props)],
                [(0, 0, "center", "center")],
                box=label_box(style.theme.paper),
                required=False,
            )
            if placed is not None:
                break
        else:
            labeller.place_text(
                spots[0],
                [(text, props)],
                [(0, 0, "center", "center")],
                box=label_box(style.theme.paper),
            )


def label_countries(labeller: Labeller, countries: gpd.GeoDataFrame) -> None:
    """Country names where they fit inside the country, involved ones first and bold.

    The name of an involved country goes beside its point (where arrows start or end)
    without covering a flow; another country's name goes at its centre, if it fits there.
    """
    from shapely import Point, dwithin
    from shapely import box as shapely_box

    frame, style = labeller.frame, labeller.frame.style
    if not len(countries):
        return
    west, south, east, north = frame.view()
    order = sorted(
        range(len(countries)),
        key=lambda i: (
            not countries["role"].iloc[i],
            -countries.geometry.iloc[i].area,
            countries["name"].iloc[i],
        ),
    )
    to_data = frame.ax.transData.inverted()
    words = language.words()
    named: set[str] = set()
    for i in order[:80]:
        row = countries.iloc[i]
        x, y = frame.xy(float(row["label_lon"]), float(row["label_lat"]))
        name = words.country(row["adm0_a3"], row["name"])
        if not (west < x < east and south < y < north) or name in named:
            continue
        if not dwithin(row.geometry, Point(x, y), frame.units_per_point * 20):
            continue  # the piece of a country cut at the seam that lacks its label point
        named.add(name)
        involved = bool(row["role"])
        for fontsize in (style.font(8.5, 7.0), style.font(7.0, 6.0)):
            props = {
                "fontsize": fontsize,
                "color": style.theme.country_text_involved
                if involved
                else style.theme.country_text,
                "fontweight": "bold" if involved else "normal",
            }
            gap = fontsize * 0.9
            candidates = (
                [
                    (0, -gap, "center", "center"),
                    (0, gap, "center", "center"),
                    (gap * 0.6, 0, "left", "center"),
                    (-gap * 0.6, 0, "right", "center"),
                ]
                if involved
                else [(0, 0, "center", "center")]
            )
            lines = [(name.upper(), props)]
            placed = labeller.place_text(
                (x, y), lines, candidates, halo=True, required=False, avoid_flows=True, zorder=2
            )
            if placed is None and involved:  # better across a flow than left out
                placed = labeller.place_text(
                    (x, y), lines, candidates, halo=True, required=False, zorder=2
                )
            if placed is None:
                continue
            extent = placed.extent
            (x0, y0), (x1, y1) = to_data.transform([(extent.x0, extent.y0), (extent.x1, extent.y1)])
            label_area = shapely_box(x0, y0, x1, y1)
            if involved or row.geometry.intersection(label_area).area >= 0.8 * label_area.area:
                break
            labeller.withdraw(placed)


def station_label(row: Any) -> str:
    """The troops at this place: its own count where the CSV gives one per place."""
    return str(row.get("leg_label") or row["label"])
