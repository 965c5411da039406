"""The marks on the map: flows with their arrowheads, circles of stationed forces, APP-6 unit
symbols and place dots. Each drawing returns what the legend and the labels must keep clear of,
rather than leaving it behind for later."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...cartography import OPACITY, PLANNED_LOOK
from .drawing import Marks, dashes, parts, planned_dashes, trim_for_head, with_alpha

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox

    from ...layers import Layers
    from .projection import MapFrame


def draw_marks(frame: MapFrame, layers: Layers) -> Marks:
    """Areas forces are stationed in, flows, stationed forces, unit symbols and places, in
    that order (later ones on top)."""
    from .areas import draw_areas

    marks = draw_areas(frame, layers)
    marks.add(draw_flows(frame, layers))
    marks.add(draw_stations(frame, layers))
    marks.add(draw_units(frame, layers))
    marks.add(draw_places(frame, layers))
    return marks


def draw_flows(frame: MapFrame, layers: Layers) -> Marks:
    """Every leg as a line (trimmed for its head) and its arrowhead, widest first so thin
    flows stay visible on top; returns the projected lines with their rows, for labels."""
    from matplotlib.collections import LineCollection, PolyCollection
    from shapely import LineString, Polygon, STRtree, buffer, clip_by_rect

    flows = layers.flows
    marks = Marks()
    if not len(flows):
        return marks
    projected = frame.project_lines(flows.geometry)
    west, south, east, north = frame.view(1.0)
    per_pt = frame.units_per_point
    segments, colours, widths, styles = [], [], [], []
    heads, head_colours = [], []
    obstacles = []
    records = flows.drop(columns="geometry").to_dict("records")
    order = sorted(range(len(flows)), key=lambda i: (-float(records[i]["width"]), i))
    for i in order:
        row = records[i]
        pieces = parts(projected[i])
        if not pieces:
            continue
        width_pt = frame.style.px(float(row["width"]))
        planned = bool(row.get("planned", False))
        colour = with_alpha(
            row["colour"],
            PLANNED_LOOK["opacity"]
            if planned
            else OPACITY["faded"]
            if row["faded"]
            else OPACITY["full"],
        )
        head = None
        if row["leg"] != "trunk":
            pieces[-1], head = trim_for_head(pieces[-1], width_pt, frame.style, per_pt)
        for piece in pieces:
            for part in parts(clip_by_rect(piece, west, south, east, north)):
                segments.append(list(part.coords))
                colours.append(colour)
                widths.append(width_pt)
                styles.append(
                    (0, planned_dashes(width_pt))
                    if planned
                    else (0, dashes(width_pt))
                    if row["dashed"]
                    else "solid"
                )
                obstacles.append(buffer(part, width_pt * per_pt / 2, quad_segs=2))
        if head is not None:
            heads.append(head)
            head_colours.append(colour)
            obstacles.append(Polygon(head))
            marks.points.append(tuple(head[0]))
        longest = max(pieces, key=lambda piece: piece.length)
        coords = list(longest.coords)
        marks.points += [coords[0], coords[len(coords) // 2], coords[-1]]
        marks.flows.append((LineString(coords), row))
    lines = LineCollection(
        segments,
        colors=colours,
        linewidths=widths,
        linestyles=styles,
        capstyle="butt",
        joinstyle="round",
        zorder=3,
    )
    frame.ax.add_collection(lines)
    if heads:
        frame.ax.add_collection(
            PolyCollection(heads, facecolors=head_colours, edgecolors="none", zorder=3)
        )
    marks.flow_tree = STRtree(obstacles) if obstacles else None
    return marks


def draw_stations(frame: MapFrame, layers: Layers) -> Marks:
    """A circle per stationed force, the largest first; dashed, faded or planned as its status
    is (``layers.DASHED``, ``FADED``, ``PLANNED_LOOK``)."""
    from .areas import in_area

    stations = layers.stations
    if not len(stations):
        return Marks()
    projected = frame.project(stations[["geometry"]])
    circles = [i for i, area in enumerate(in_area(layers)) if not area]  # areas: see areas.py
    order = sorted(circles, key=lambda i: (-float(stations["radius"].iloc[i]), i))
    xs = [projected.geometry.iloc[i].x for i in order]
    ys = [projected.geometry.iloc[i].y for i in order]
    sizes = [(2 * frame.style.px(float(stations["radius"].iloc[i]))) ** 2 for i in order]
    colours = [stations["colour"].iloc[i] for i in order]
    planned = stations["planned"].tolist() if "planned" in stations else [False] * len(order)
    styles = [
        (0, planned_dashes(2.0))
        if planned[i]
        else (0, dashes(2.0))
        if stations["dashed"].iloc[i]
        else "solid"
        for i in order
    ]
    alphas = [OPACITY["faded"] if stations["faded"].iloc[i] else 1.0 for i in order]
    frame.ax.scatter(
        xs,
        ys,
        s=sizes,
        marker="o",
        facecolors=[
            with_alpha(c, OPACITY["fill"] * a) for c, a in zip(colours, alphas, strict=True)
        ],
        edgecolors=[with_alpha(c, a) for c, a in zip(colours, alphas, strict=True)],
        linewidths=frame.style.px(2.0),
        linestyles=styles,
        zorder=4,
    )
    clear = clear_boxes(
        frame, xs, ys, [math.sqrt(size) / 2 + frame.style.px(1.0) for size in sizes]
    )
    return Marks(list(zip(xs, ys, strict=True)), clear)


def draw_units(frame: MapFrame, layers: Layers) -> Marks:
    """APP-6 symbols as on the page: at each destination, and smaller at the origin of a
    unit that moves; labels keep clear of them."""
    from ..unit_symbols import add_symbol

    symbols: dict[tuple[str, float, float], float] = {}
    flows = layers.flows
    if len(flows) and "sidc" in flows:
        for _, row in flows[flows["sidc"] != ""].iterrows():
            coords = list(row.geometry.coords)
            if row["leg"] in ("direct", "trunk"):
                symbols.setdefault((row["sidc"], coords[0][0], coords[0][1]), 22.0)
            if row["leg"] in ("direct", "branch"):
                symbols[(row["sidc"], coords[-1][0], coords[-1][1])] = 34.0
    stations = layers.stations
    if len(stations) and "sidc" in stations:
        for _, row in stations[stations["sidc"] != ""].iterrows():
            symbols[(row["sidc"], row.geometry.x, row.geometry.y)] = 34.0
    xs, ys, radii = [], [], []
    for (sidc, lon, lat), height in sorted(symbols.items()):
        x, y = frame.xy(lon, lat)
        add_symbol(
            frame.ax, sidc, (x, y), height_pt=frame.style.px(height), anchor="bottom", zorder=6.5
        )
        xs.append(x)
        ys.append(y + frame.style.px(height) * 0.6 * frame.units_per_point)
        radii.append(frame.style.px(height) * 0.7)
    return Marks(keep_clear=clear_boxes(frame, xs, ys, radii))


def clear_boxes(
    frame: MapFrame, xs: Sequence[float], ys: Sequence[float], radii_pt: Sequence[float]
) -> list[Bbox]:
    """The boxes (display pixels) of circles or dots that labels must not cover (radii in
    points)."""
    from matplotlib.transforms import Bbox

    to_px = frame.style.size.dpi / 72
    boxes = []
    for (x, y), radius in zip(
        frame.ax.transData.transform(list(zip(xs, ys, strict=True))), radii_pt, strict=True
    ):
        r = radius * to_px
        boxes.append(Bbox.from_extents(x - r, y - r, x + r, y + r))
    return boxes


def draw_places(frame: MapFrame, layers: Layers) -> Marks:
    """A white dot at each place the movements name (countries are tinted instead)."""
    places = layers.places
    if not len(places):
        return Marks()
    dots = places[places["kind"] != "country"]
    if "area" in dots:  # an area where forces are only stationed is drawn as the area
        dots = dots[(dots["area"] == "") | (dots["role"] != "station")]
    if not len(dots):
        return Marks()
    projected = frame.project(dots[["geometry"]])
    xs = [g.x for g in projected.geometry]
    ys = [g.y for g in projected.geometry]
    size = (2 * frame.style.px(3.0) + 1) ** 2
    frame.ax.scatter(
        xs,
        ys,
        s=size,
        facecolors=frame.style.theme.paper,
        edgecolors=frame.style.theme.caption,
        linewidths=max(0.5, frame.style.px(1.0)),
        zorder=5,
    )
    clear = clear_boxes(frame, xs, ys, [math.sqrt(size) / 2] * len(xs))
    return Marks(list(zip(xs, ys, strict=True)), clear)
