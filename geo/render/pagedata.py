"""The geo layer → the compact data an interactive page draws from (see ``assets/troopmap.js``).

A page carries what the browser needs to draw, not the drawing itself:

* **Flows as endpoints and a bend.** The browser computes each curve from its two points and
  its bend with the very formulas of ``geo.geometry`` (``troopmap.geometry`` in the page), so a
  flow costs a few numbers instead of 48 coordinate pairs. Arrowheads are drawn in screen
  pixels, from the curve's end.
* **Columns, not records.** Per-movement values are stored as one array per column; text that
  repeats (statuses, sources, units, places, dates, labels, notes) is stored once in a table
  and referred to by its index.
* **One flow per route and kind of movement.** Movements with the same origin, destination,
  actor and status are drawn as one flow whose width is their total; its popup lists the rows
  behind it. Forked movements (several destinations in one row) are drawn each on its own.
  Stationed forces are merged the same way (same place, actor and status). The per-movement
  columns keep every row: a movement is never dropped, only drawn together with its peers.
  Only the page does this: the layers, the static map and the GIS files keep one feature per
  movement.
* **Country shapes** in the Encoded Polyline Algorithm Format at 2 decimals, about a sixth of
  their GeoJSON size; in detail only around the data, coarse elsewhere (``basemap_shapes``).

Everything is in a fixed order (first appearance in the layers), so the same layers always give
the same bytes.

The data (``page_data(layers).data``), as ``troopmap.draw`` reads it:

``movements``
    one array per column, an entry per movement (every row of the CSV that is drawn): ``row``
    (as a spreadsheet numbers it), ``troops``, ``estimate`` (1 or 0), ``actor`` (into
    ``actors``), ``status`` (into ``statuses``), ``source`` (into ``sources``), ``symbol``
    (into ``symbols``, -1 for none), and into ``texts``: ``unit``, ``origin``,
    ``destination``, ``label`` (the troops as the map writes them), ``date``, ``notes``, and
    for the timeline (its rule is ``geo.timeline.presence``, the page only compares days)
    ``start`` (the first day shown; "" when always shown) and ``end`` (the last day shown; ""
    when open-ended), and on a map with plans ``due`` (before this day the movement is drawn as
    planned) and ``plan`` (the label while planned: "~30,000 · planned 10–20 Feb"); on a map
    with reported days, ``reported`` (into ``texts``). The movements behind one flow or station
    are neighbours: ``m`` (the first) and ``k`` (how many).
``flows``
    ``a``, ``b`` (indices into ``points``, flat lon, lat pairs), ``bend``, ``kind`` (DIRECT,
    TRUNK, BRANCH), ``m``, ``k``, ``t`` (a branch's own count; -1 when not reported), and for
    the branches with a count, ``labelled`` (their indices) and ``label`` (into ``texts``: the
    count as the map writes it, "~1,700").
``stations``
    ``at`` (into ``points``), ``m``, ``k``, ``t`` (the troops there), ``place`` (into ``texts``),
    ``labelled`` and ``label`` as for flows, for a force stationed at several places with a
    count for each; where a place was given as
    coordinates, ``tag`` (into ``texts``: what its label says, "near Amsterdam" or "").
    Where forces are stationed in an area (a province, a breakaway region, a places file's
    polygon), ``area`` (into ``areas.shapes``; -1 for a point).
``areas`` (only on a map with areas)
    ``shapes`` (each area encoded as the countries are) and ``digits``.
``look``
    ``planned``: how a plan's line looks (``geo.layers.PLANNED_LOOK``).
``places``, ``scale`` (width and radius per √troops), ``canvas`` (drawn on one canvas) and
    ``fade`` (how many flows and stationed forces in view are drawn in full; the others faint),
    both announced by the legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..geometry import fan_bends
from ..timeline import page_columns
from .pagebasemap import area_data
from .pagetables import Points, Table

if TYPE_CHECKING:
    from ..layers import Layers
    from .page_extras import SymbolTable

CANVAS_ABOVE = 600  # flows and stationed forces: more than this are drawn on one canvas
STRONG_FLOWS = 400  # on a canvas map, the largest flows in view drawn in full; the rest faint
STRONG_STATIONS = 150  # ... and stationed forces
KINDS = ("direct", "trunk", "branch")  # a flow's kind: its code is its index here
DIRECT, TRUNK, BRANCH = (KINDS.index(k) for k in KINDS)


@dataclass
class PageData:
    """The page's data (``data``, ready for JSON) and what its legend must say about it."""

    data: dict[str, Any]
    order: list[str]  # the movements' ids, in the order of data["movements"]
    width_scale: float
    radius_scale: float
    largest_flow: int = 0
    largest_station: int = 0
    merged_flows: bool = False
    merged_stations: bool = False
    canvas: bool = False
    fade_flows: int = 0  # when more flows than this are in view, the smaller ones are faint
    fade_stations: int = 0
    legend: Any = None  # the page's key (``geo.legend.Legend``), once it is made

    def width_for(self, troops: int) -> float:
        from ..cartography import MIN_WIDTH_PX

        return max(MIN_WIDTH_PX, self.width_scale * math.sqrt(troops))

    def radius_for(self, troops: int) -> float:
        from ..cartography import MIN_RADIUS_PX

        return max(MIN_RADIUS_PX, self.radius_scale * math.sqrt(troops))


def page_data(layers: Layers, symbols: SymbolTable) -> PageData:
    """The data ``troopmap.draw`` draws, with flows and stations merged as the module says."""
    import pandas as pd

    from ..cartography import MAX_RADIUS_PX, MAX_WIDTH_PX, PLANNED_LOOK

    texts = Table()
    sources = Table()
    statuses = Table(())
    points = Points()
    ids = _MovementIds(layers)
    flows, order, largest_flow = _page_flows(layers, points, ids.flows, texts)
    stations, station_order, largest_station = _page_stations(layers, points, ids.stations, texts)
    order = pd.unique(np.concatenate([order, station_order]))
    rows = ids.records(order)
    width_scale = MAX_WIDTH_PX / math.sqrt(max(largest_flow, 1))
    radius_scale = MAX_RADIUS_PX / math.sqrt(max(largest_station, 1))
    position = np.empty(ids.count, dtype=np.int64)
    position[order] = np.arange(len(order))
    by_id = {m.id: m for m in layers.movements}
    times = page_columns([by_id[i] for i in rows["movement"]], rows["label"])
    movements = _movement_columns(
        rows, times, list(layers.actors), statuses, sources, texts, symbols
    )
    flows["m"] = position[flows.pop("movement")].tolist()
    stations["m"] = position[stations.pop("movement")].tolist()
    stations["place"] = texts.codes(stations["place"])
    area_keys = stations.pop("area_keys", [])
    canvas = len(flows["k"]) + len(stations["k"]) > CANVAS_ABOVE
    fade_flows = STRONG_FLOWS if canvas and len(flows["k"]) > STRONG_FLOWS else 0
    fade_stations = STRONG_STATIONS if canvas and len(stations["k"]) > STRONG_STATIONS else 0
    data = {
        "canvas": canvas,
        "fade": {"flows": fade_flows, "stations": fade_stations}
        if fade_flows or fade_stations
        else None,
        "actors": [{"name": a, "colour": layers.actors[a]} for a in layers.actors],
        "statuses": statuses.values,
        "sources": sources.values,
        "movements": movements,
        "flows": flows,
        "stations": stations,
        "places": _page_places(layers, points, texts),
        "scale": {"width": width_scale, "radius": radius_scale},
        "look": {"planned": PLANNED_LOOK},
        "kinds": list(KINDS),
        "texts": texts.values,
        "points": points.flat(),
    }
    if area_keys:
        data["areas"] = area_data(layers, area_keys)
    return PageData(
        data=data,
        order=rows["movement"],
        width_scale=width_scale,
        radius_scale=radius_scale,
        largest_flow=largest_flow,
        largest_station=largest_station,
        merged_flows=any(k > 1 for k in flows["k"]),
        merged_stations=any(k > 1 for k in stations["k"]),
        canvas=canvas,
        fade_flows=fade_flows,
        fade_stations=fade_stations,
    )


def _page_flows(
    layers: Layers, points: Points, movement: np.ndarray, texts: Table
) -> tuple[dict[str, Any], np.ndarray, int]:
    """The flows of the page (columns), the movements in the order the flows list them, and the
    largest number of troops one flow carries."""
    import pandas as pd

    legs = layers.legs.table
    columns: dict[str, Any] = {k: [] for k in ("a", "b", "bend", "kind", "k", "t")}
    columns["movement"] = np.zeros(0, dtype=np.int64)
    if not len(legs):
        return columns, columns["movement"], 0
    start, end = layers.legs.ends()
    kind = legs["leg"].map({"direct": DIRECT, "trunk": TRUNK, "branch": BRANCH}).to_numpy()
    frame = pd.DataFrame(
        {
            "a": points.codes(start),
            "b": points.codes(end),
            "actor": legs["actor"].to_numpy(),
            "status": legs["status"].to_numpy(),
            "movement": movement,
            "kind": kind,
            "troops": legs["troops"].to_numpy(),
            "leg_troops": legs["leg_troops"].to_numpy(dtype=float, na_value=np.nan),
            "leg_label": legs["leg_label"].to_numpy(),
        }
    )
    direct = kind == DIRECT
    group = np.arange(len(frame)) + len(frame)  # a fork's legs: each a flow of its own
    group[direct] = frame[direct].groupby(["a", "b", "actor", "status"], sort=False).ngroup()
    frame["flow"] = pd.factorize(group)[0]
    first = frame.drop_duplicates("flow")  # in flow order: factorize numbers by first appearance
    members = frame.groupby("flow", sort=True)
    totals = members["troops"].sum().to_numpy()
    order = pd.unique(frame.sort_values("flow", kind="stable")["movement"].to_numpy())
    first_kind = first["kind"].to_numpy()
    leg_troops = first["leg_troops"].to_numpy()
    columns.update(
        {
            "a": first["a"].tolist(),
            "b": first["b"].tolist(),
            "bend": [round(x, 4) for x in _flow_bends(first, points)],
            "kind": first_kind.tolist(),
            "movement": first["movement"].to_numpy(),
            "k": members.size().tolist(),
            "t": np.where(
                first_kind != BRANCH,
                0,
                np.where(np.isnan(leg_troops), -1, np.nan_to_num(leg_troops)),
            )
            .astype(np.int64)
            .tolist(),
        }
    )
    columns.update(_sparse_labels(first["leg_label"].to_numpy(), texts))
    carried = totals[first_kind != BRANCH]
    return columns, order, int(carried.max()) if len(carried) else 0


def _sparse_labels(labels: np.ndarray, texts: Table) -> dict[str, Any]:
    """Own counts of the few legs that have one, as ``labelled`` (their indices) and ``label``
    (into ``texts``); nothing when none has."""
    labelled = np.flatnonzero(labels.astype(bool))
    if not len(labelled):
        return {}
    return {"labelled": labelled.tolist(), "label": texts.codes(labels[labelled])}


def _flow_bends(first: Any, points: Points) -> list[float]:
    """The bend of each page flow: a fan per pair of places (``geometry.fan_bends``), as the
    layers bend their flows; a fork's trunk and branches take theirs from the movement's bend
    as ``geometry.fork`` does. Points are numbered once each (``Points``): their numbers are
    the fan's key."""
    kinds = first["kind"].to_numpy()
    a, b = first["a"].to_numpy(), first["b"].to_numpy()
    legs = np.arange(len(kinds))
    # A trunk fans toward its movement's first destination, the next leg's end.
    towards = np.where(kinds == TRUNK, np.r_[b[1:], -1] if len(b) else b, b)
    owner = (kinds == DIRECT) | ((kinds == TRUNK) & (legs + 1 < len(kinds)))
    fan = np.zeros(len(kinds))
    fan[owner] = fan_bends(a[owner], towards[owner])
    trunk_at = np.maximum.accumulate(np.where(kinds == TRUNK, legs, -1)) if len(kinds) else legs
    movement_bend = fan[np.maximum(trunk_at, 0)]
    branch = legs - trunk_at - 1  # the how-many-th branch of its fork
    side = np.where(branch % 2 == 1, 1, -1)
    bends = np.where(
        kinds == DIRECT,
        fan,
        np.where(kinds == TRUNK, movement_bend * 0.5, movement_bend * side * 0.6),
    )
    return bends.tolist()


def _page_stations(
    layers: Layers, points: Points, movement: np.ndarray, texts: Table
) -> tuple[dict[str, Any], np.ndarray, int]:
    import pandas as pd
    import shapely

    rows = layers.stations
    columns: dict[str, Any] = {k: [] for k in ("at", "k", "t", "place")}
    columns["movement"] = np.zeros(0, dtype=np.int64)
    if not len(rows):
        return columns, columns["movement"], 0
    at = points.codes(shapely.get_coordinates(np.asarray(rows.geometry.values)))
    frame = pd.DataFrame(
        {
            "at": at,
            "actor": rows["actor"].to_numpy(),
            "status": rows["status"].to_numpy(),
            "movement": movement,
            "troops": rows["leg_troops"].to_numpy(dtype=np.int64),
            "place": rows["place"].to_numpy(),
            "leg_label": rows["leg_label"].to_numpy(),
            "place_label": rows["place_label"].to_numpy(),
            "area": rows["area"].to_numpy() if "area" in rows else "",
        }
    )
    # A force stationed at several places in one row keeps its own circles.
    alone = frame["movement"].duplicated(keep=False).to_numpy()
    group = np.arange(len(frame)) + len(frame)
    group[~alone] = frame[~alone].groupby(["at", "actor", "status"], sort=False).ngroup()
    frame["station"] = pd.factorize(group)[0]
    first = frame.drop_duplicates("station")
    members = frame.groupby("station", sort=True)
    totals = members["troops"].sum().to_numpy()
    order = pd.unique(frame.sort_values("station", kind="stable")["movement"].to_numpy())
    columns.update(
        {
            "at": first["at"].tolist(),
            "movement": first["movement"].to_numpy(),
            "k": members.size().tolist(),
            "t": totals.tolist(),
            "place": first["place"].tolist(),
        }
    )
    columns.update(_sparse_labels(first["leg_label"].to_numpy(), texts))
    if (first["place_label"].to_numpy() != first["place"].to_numpy()).any():
        columns["tag"] = texts.codes(first["place_label"].to_numpy())
    if first["area"].astype(bool).any():
        keys = list(dict.fromkeys(a for a in first["area"] if a))
        columns["area"] = [keys.index(a) if a else -1 for a in first["area"]]
        columns["area_keys"] = keys  # taken out by page_data, which sends their shapes
    return columns, order, int(totals.max())


MOVEMENT_COLUMNS = [
    "movement",
    "row",
    "actor",
    "status",
    "source",
    "unit",
    "origin",
    "destination",
    "troops",
    "estimate",
    "label",
    "date",
    "reported",
    "notes",
    "sidc",
    "symbol_name",
]


class _MovementIds:
    """Each movement as a number (its id's first appearance in the flows, then the stations),
    so that grouping and ordering work on integers, and its columns read from its first leg or
    station."""

    def __init__(self, layers: Layers):
        import pandas as pd

        self.frames = [f for f in (layers.legs.table, layers.stations) if len(f)]
        ids = (
            np.concatenate([f["movement"].to_numpy(dtype=object) for f in self.frames])
            if self.frames
            else np.zeros(0, dtype=object)
        )
        codes, distinct = pd.factorize(ids, sort=False)
        self.count = len(distinct)
        self.first = np.zeros(self.count, dtype=np.int64)
        self.first[codes[::-1]] = np.arange(len(codes))[::-1]  # each movement's first entry
        split = len(layers.legs)
        self.flows, self.stations = codes[:split], codes[split:]

    def records(self, order: np.ndarray) -> dict[str, list[Any]]:
        """The movements' columns, in ``order``."""
        take = self.first[order]
        return {
            name: np.concatenate([f[name].to_numpy(dtype=object) for f in self.frames])[
                take
            ].tolist()
            if self.frames
            else []
            for name in MOVEMENT_COLUMNS
        }


def _movement_columns(
    rows: dict[str, list[Any]],
    times: dict[str, list[str]],
    actors: list[str],
    statuses: Table,
    sources: Table,
    texts: Table,
    symbols: SymbolTable,
) -> dict[str, Any]:
    actor_index = {a: i for i, a in enumerate(actors)}
    symbol: dict[tuple[str, str], int] = {}
    for key in zip(rows["sidc"], rows["symbol_name"], strict=True):
        if key[0] and key not in symbol:
            symbol[key] = symbols.index(*key)
    planned = (
        {"due": texts.codes(times["due"]), "plan": texts.codes(times["plan"])}
        if any(times["due"])
        else {}
    )
    reported = {"reported": texts.codes(rows["reported"])} if any(rows["reported"]) else {}
    return {
        "row": rows["row"],
        "troops": rows["troops"],
        "estimate": [int(bool(e)) for e in rows["estimate"]],
        "actor": [actor_index[a] for a in rows["actor"]],
        "status": statuses.codes(rows["status"]),
        "source": sources.codes(rows["source"]),
        "symbol": [
            symbol.get(key, -1) for key in zip(rows["sidc"], rows["symbol_name"], strict=True)
        ],
        "unit": texts.codes(rows["unit"]),
        "origin": texts.codes(rows["origin"]),
        "destination": texts.codes(rows["destination"]),
        "label": texts.codes(rows["label"]),
        "date": texts.codes(rows["date"]),
        "start": texts.codes(times["start"]),
        "end": texts.codes(times["end"]),
        **planned,
        **reported,
        "notes": texts.codes(rows["notes"]),
    }


def _page_places(layers: Layers, points: Points, texts: Table) -> dict[str, list[Any]]:
    import shapely

    places = layers.places
    if len(places) and "area" in places:  # an area forces are only stationed in is drawn as it
        places = places[(places["area"] == "") | (places["role"] != "station")]
    if not len(places):
        return {"name": [], "at": [], "label": [], "country": []}
    kind = places["kind"].to_numpy()
    names = places["label"].to_numpy()  # a place given as coordinates: "near ..." or nothing
    return {
        "name": texts.codes(names.tolist()),
        "at": points.codes(shapely.get_coordinates(np.asarray(places.geometry.values))),
        "label": (places["role"].to_numpy() != "station").astype(int).tolist(),
        "country": (kind == "country").astype(int).tolist(),
    }
