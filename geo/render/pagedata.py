"""The geo layer → the compact data an interactive page draws from (see ``assets/troopmap.js``).

A page carries what the browser needs to draw, not the drawing itself:

* **Flows as endpoints and a bend.** The browser computes each curve from its two points and
  its bend with the very formulas of ``geo.geometry`` (``troopmap.geometry`` in the page), so a
  flow costs a few numbers instead of 48 coordinate pairs. Arrowheads are drawn in screen
  pixels, from the curve's end.
* **Columns, not records.** Per-movement values are stored as one array per column; text that
  repeats (actors, statuses, sources, units, places, dates, notes) is stored once in a table
  and referred to by its index.
* **One flow per route and kind of movement.** Movements with the same origin, destination,
  actor and status are drawn as one flow whose width is their total; its popup lists the rows
  behind it. Forked movements (several destinations in one row) are drawn each on its own.
  Stationed forces are merged the same way (same place, actor and status). The per-movement
  columns keep every row: a movement is never dropped, only drawn together with its peers.
  Only the page does this: the layers, the static map and the GIS files keep one feature per
  movement.
* **Country shapes** in the Encoded Polyline Algorithm Format at 3 decimals (the precision of
  the bundled file, so nothing is lost), about a quarter of their GeoJSON size.

Everything is in a fixed order (first appearance in the layers), so the same layers always give
the same bytes.

The data (``page_data(layers).data``), as ``troopmap.draw`` reads it:

``movements``
    one array per column, an entry per movement (every row of the CSV that is drawn): ``id``,
    ``row`` (as a spreadsheet numbers it), ``troops``, ``flags`` (ESTIMATE, UNSPLIT bits), and
    indices: ``actor`` into ``actors``, ``status`` into ``statuses``, ``source`` into
    ``sources``, and ``unit``, ``origin``, ``destination``, ``date``, ``start``, ``end`` (ISO
    days, for a timeline), ``notes``, ``symbol``, ``affiliation`` into ``texts``. The movements
    behind one flow or station are neighbours: ``m`` (the first) and ``k`` (how many).
``flows``
    ``a``, ``b`` (indices into ``points``, flat lon, lat pairs), ``bend``, ``kind`` (DIRECT,
    TRUNK, BRANCH), ``m``, ``k``, ``t`` (a branch's own count; -1 when not reported).
``stations``
    ``at`` (into ``points``), ``m``, ``k``, ``t`` (the troops there), ``place`` (into ``texts``).
``places``, ``countries`` (name labels), ``scale`` (width and radius per √troops), ``canvas``
    (drawn on one canvas) and ``fade`` (faint below how many troops, until how many zoom steps
    in), both announced by the legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..geometry import DEFAULT_BEND

if TYPE_CHECKING:
    from ..layers import Layers

COORD_DIGITS = 4
CANVAS_ABOVE = 600  # flows and stationed forces: more than this are drawn on one canvas
STRONG_FLOWS = 300  # on a canvas map, about this many flows are drawn in full at first
STRONG_STATIONS = 150  # ... and this many stationed forces
FADE_ZOOM_STEPS = 2  # ... until the reader zooms in this far from the first view
BEND_STEP = 0.14
MAX_FAN = 6  # flows between the same two places fan out; past this many they share the widest
DIRECT, TRUNK, BRANCH = 0, 1, 2
ESTIMATE, UNSPLIT = 1, 2  # bits of the movements' "flags" column
BASEMAP_DIGITS = 3


@dataclass
class PageData:
    """The page's data (``data``, ready for JSON) and what its legend must say about it."""

    data: dict[str, Any]
    width_scale: float
    radius_scale: float
    largest_flow: int = 0
    largest_station: int = 0
    merged_flows: bool = False
    merged_stations: bool = False
    canvas: bool = False
    fade_below: int = 0
    fade_stations: int = 0

    def width_for(self, troops: int) -> float:
        from ..layers import MIN_WIDTH_PX

        return max(MIN_WIDTH_PX, self.width_scale * math.sqrt(troops))

    def radius_for(self, troops: int) -> float:
        from ..layers import MIN_RADIUS_PX

        return max(MIN_RADIUS_PX, self.radius_scale * math.sqrt(troops))


class _Table:
    """Strings stored once; values refer to them by index (first appearance first)."""

    def __init__(self, first: tuple[str, ...] = ("",)):
        self.values: list[str] = list(first)
        self.index = {v: i for i, v in enumerate(self.values)}

    def codes(self, values: Any) -> list[int]:
        return _codes(values, self.index, self.values)


class _Points:
    """Coordinates stored once, at COORD_DIGITS decimals (about 10 m)."""

    def __init__(self) -> None:
        self.index: dict[tuple[float, float], int] = {}
        self.values: list[tuple[float, float]] = []

    def codes(self, xy: np.ndarray) -> list[int]:
        rounded = np.round(xy, COORD_DIGITS) + 0.0  # + 0.0: no "-0.0" in the page
        return _codes(list(map(tuple, rounded.tolist())), self.index, self.values)

    def flat(self) -> list[float]:
        return [c for point in self.values for c in point]


def _codes(values: Any, index: dict[Any, int], table: list[Any]) -> list[int]:
    """The index in ``table`` of each value, adding new ones in order of first appearance.

    The distinct values are found in C (``pandas.factorize``); only they are looked up here.
    """
    import pandas as pd

    found, distinct = pd.factorize(pd.Series(values, dtype=object), sort=False)
    where = np.empty(len(distinct), dtype=np.int64)
    for i, value in enumerate(distinct.tolist()):
        code = index.get(value)
        if code is None:
            code = index[value] = len(table)
            table.append(value)
        where[i] = code
    return where[found].tolist() if len(found) else []


def page_bends(pairs: list[tuple[int, int]], base: float = DEFAULT_BEND) -> list[float]:
    """A bend per flow, fanning out flows between the same two places as
    ``geometry.bends_for`` does, except that the fan stops widening after MAX_FAN flows (a busy
    route would otherwise loop far off the map)."""
    seen: dict[tuple[int, int], int] = {}
    bends = []
    for pair in pairs:
        count = seen.get(pair, 0)
        seen[pair] = count + 1
        bends.append(base + BEND_STEP * min(count, MAX_FAN - 1))
    return bends


def page_data(layers: Layers) -> PageData:
    """The data ``troopmap.draw`` draws, with flows and stations merged as the module says."""
    from ..layers import MAX_RADIUS_PX, MAX_WIDTH_PX

    texts = _Table()
    sources = _Table()
    statuses = _Table(())
    points = _Points()
    actors = list(layers.actors)
    flows, order, largest_flow = _page_flows(layers, points)
    stations, station_order, largest_station = _page_stations(layers, points)
    movement_rows = _movement_rows(layers, order, station_order)
    width_scale = MAX_WIDTH_PX / math.sqrt(max(largest_flow, 1))
    radius_scale = MAX_RADIUS_PX / math.sqrt(max(largest_station, 1))
    movements = _movement_columns(movement_rows, actors, statuses, sources, texts)
    position = {movement: i for i, movement in enumerate(movement_rows["movement"])}
    flows["m"] = [position[m] for m in flows.pop("movement")]
    canvas_totals = flows.pop("total")
    stations["m"] = [position[m] for m in stations.pop("movement")]
    stations["place"] = texts.codes(stations["place"])
    canvas = len(flows["k"]) + len(stations["k"]) > CANVAS_ABOVE
    fade_below = _fade_threshold(canvas_totals, STRONG_FLOWS) if canvas else 0
    fade_stations = _fade_threshold(stations["t"], STRONG_STATIONS) if canvas else 0
    data = {
        "canvas": canvas,
        "fade": {"below": fade_below, "stationsBelow": fade_stations,
                 "zoomSteps": FADE_ZOOM_STEPS} if fade_below or fade_stations else None,
        "actors": [{"name": a, "colour": layers.actors[a]} for a in actors],
        "statuses": statuses.values,
        "sources": sources.values,
        "movements": movements,
        "flows": flows,
        "stations": stations,
        "places": _page_places(layers, points, texts),
        "scale": {"width": width_scale, "radius": radius_scale},
        "texts": texts.values,
        "points": points.flat(),
    }
    return PageData(
        data=data,
        width_scale=width_scale,
        radius_scale=radius_scale,
        largest_flow=largest_flow,
        largest_station=largest_station,
        merged_flows=any(k > 1 for k in flows["k"]),
        merged_stations=any(k > 1 for k in stations["k"]),
        canvas=canvas,
        fade_below=fade_below,
        fade_stations=fade_stations,
    )


def _fade_threshold(troops: list[int], strong: int) -> int:
    """The troops under which a flow (or circle) is drawn faint until the reader zooms in: a
    round number that leaves about ``strong`` of them in full (0: none is faded)."""
    totals = sorted(troops, reverse=True)
    if len(totals) <= strong:
        return 0
    return round_down(totals[strong])


def round_down(value: int) -> int:
    """The largest round number (1, 1,500, 2,000, 2,500, 3,000, 4,000, 5,000, 7,500 …) not
    above ``value``; 0 below 1."""
    if value < 1:
        return 0
    steps = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5)
    nice = [int(m * 10**k) for k in range(len(str(value))) for m in steps
            if float(m * 10**k).is_integer()]
    return max(n for n in nice if n <= value)


def _endpoints(geometry: Any) -> tuple[np.ndarray, np.ndarray]:
    import shapely

    values = np.asarray(geometry.values if hasattr(geometry, "values") else geometry)
    return (shapely.get_coordinates(shapely.get_point(values, 0)),
            shapely.get_coordinates(shapely.get_point(values, -1)))


def _page_flows(layers: Layers, points: _Points) -> tuple[dict[str, list[Any]], list[str], int]:
    """The flows of the page (columns), the movements in the order the flows list them, and the
    largest number of troops one flow carries."""
    import pandas as pd

    legs = layers.flows
    columns: dict[str, list[Any]] = {k: [] for k in ("a", "b", "bend", "kind", "movement", "k",
                                                     "t", "total")}
    if not len(legs):
        return columns, [], 0
    start, end = _endpoints(legs.geometry)
    a, b = points.codes(start), points.codes(end)
    kind = legs["leg"].map({"direct": DIRECT, "trunk": TRUNK, "branch": BRANCH}).to_numpy()
    frame = pd.DataFrame({
        "a": a, "b": b, "actor": legs["actor"].to_numpy(), "status": legs["status"].to_numpy(),
        "movement": legs["movement"].to_numpy(), "kind": kind,
        "troops": legs["troops"].to_numpy(),
        "leg_troops": legs["leg_troops"].to_numpy(dtype=float, na_value=np.nan),
    })
    direct = frame["kind"].to_numpy() == DIRECT
    group = np.arange(len(frame)) + len(frame)  # a fork's legs: each a flow of its own
    group[direct] = frame[direct].groupby(["a", "b", "actor", "status"], sort=False).ngroup()
    frame["flow"] = pd.factorize(group)[0]
    first = frame.drop_duplicates("flow")  # in flow order: factorize numbers by first appearance
    members = frame.groupby("flow", sort=True)
    totals = members["troops"].sum().to_numpy()
    counts = members.size().to_numpy()
    order = frame.sort_values("flow", kind="stable")["movement"].drop_duplicates().tolist()
    bends = _flow_bends(first)
    columns.update({
        "a": first["a"].tolist(),
        "b": first["b"].tolist(),
        "bend": [round(x, 4) for x in bends],
        "kind": first["kind"].tolist(),
        "movement": first["movement"].tolist(),
        "k": counts.tolist(),
        "t": [_leg_count(k, t) for k, t in zip(first["kind"], first["leg_troops"], strict=True)],
        "total": [int(t) if k != BRANCH or math.isnan(lt) else int(lt) for k, t, lt in zip(
            first["kind"], totals, first["leg_troops"], strict=True)],
    })
    carried = totals[first["kind"].to_numpy() != BRANCH]
    return columns, order, int(carried.max()) if len(carried) else 0


def _leg_count(kind: int, troops: float) -> int:
    """What the page needs besides the members' troops: a branch's own count (-1: not given)."""
    if kind != BRANCH:
        return 0
    return -1 if math.isnan(troops) else int(troops)


def _flow_bends(first: Any) -> list[float]:
    """The bend of each page flow: a fan per pair of places, as the layers bend them; a fork's
    trunk and branches take theirs from the movement's bend as ``geometry.fork`` does."""
    kinds = first["kind"].tolist()
    a, b = first["a"].tolist(), first["b"].tolist()
    pairs, owners = [], []
    for i, kind in enumerate(kinds):
        if kind == DIRECT:
            pairs.append((a[i], b[i]))
            owners.append(i)
        elif kind == TRUNK:
            pairs.append((a[i], b[i + 1]))  # origin → first destination, as layers pair them
            owners.append(i)
    fan = dict(zip(owners, page_bends(pairs), strict=True))
    bends = []
    movement_bend, branch = 0.0, 0
    for i, kind in enumerate(kinds):
        if kind == DIRECT:
            bends.append(fan[i])
        elif kind == TRUNK:
            movement_bend, branch = fan[i], 0
            bends.append(movement_bend * 0.5)
        else:
            bends.append(movement_bend * (1 if branch % 2 else -1) * 0.6)
            branch += 1
    return bends


def _page_stations(layers: Layers,
                   points: _Points) -> tuple[dict[str, list[Any]], list[str], int]:
    import pandas as pd
    import shapely

    rows = layers.stations
    columns: dict[str, list[Any]] = {k: [] for k in ("at", "movement", "k", "t", "place")}
    if not len(rows):
        return columns, [], 0
    at = points.codes(shapely.get_coordinates(np.asarray(rows.geometry.values)))
    frame = pd.DataFrame({"at": at, "actor": rows["actor"].to_numpy(),
                          "status": rows["status"].to_numpy(),
                          "movement": rows["movement"].to_numpy(),
                          "troops": rows["leg_troops"].to_numpy(dtype=np.int64),
                          "place": rows["place"].to_numpy()})
    # A force stationed at several places in one row keeps its own circles.
    alone = frame["movement"].duplicated(keep=False).to_numpy()
    group = np.arange(len(frame)) + len(frame)
    group[~alone] = frame[~alone].groupby(["at", "actor", "status"], sort=False).ngroup()
    frame["station"] = pd.factorize(group)[0]
    first = frame.drop_duplicates("station")
    members = frame.groupby("station", sort=True)
    totals = members["troops"].sum().to_numpy()
    order = frame.sort_values("station", kind="stable")["movement"].drop_duplicates().tolist()
    columns.update({
        "at": first["at"].tolist(),
        "movement": first["movement"].tolist(),
        "k": members.size().tolist(),
        "t": totals.tolist(),
        "place": first["place"].tolist(),
    })
    return columns, order, int(totals.max())


def _movement_rows(layers: Layers, flow_order: list[str],
                   station_order: list[str]) -> dict[str, list[Any]]:
    """One record per movement (from its first leg or station), in the order the page's flows
    and stations list them, so the movements behind one flow are neighbours."""
    import pandas as pd

    wanted = ["movement", "row", "actor", "status", "source", "unit", "origin", "destination",
              "troops", "estimate", "split_reported", "date", "date_start", "date_end", "notes",
              "symbol", "affiliation"]
    frames = [f[wanted] for f in (layers.flows, layers.stations) if len(f)]
    if not frames:
        return {name: [] for name in wanted}
    table = pd.concat(frames).drop_duplicates("movement").set_index("movement", drop=False)
    table = table.loc[flow_order + station_order]
    return {name: table[name].tolist() for name in wanted}


def _movement_columns(rows: dict[str, list[Any]], actors: list[str], statuses: _Table,
                      sources: _Table, texts: _Table) -> dict[str, list[Any]]:
    actor_index = {a: i for i, a in enumerate(actors)}
    return {
        "id": rows["movement"],
        "row": rows["row"],
        "actor": [actor_index[a] for a in rows["actor"]],
        "status": statuses.codes(rows["status"]),
        "source": sources.codes(rows["source"]),
        "unit": texts.codes(rows["unit"]),
        "origin": texts.codes(rows["origin"]),
        "destination": texts.codes(rows["destination"]),
        "troops": rows["troops"],
        "flags": [(ESTIMATE if e else 0) | (0 if s else UNSPLIT)
                  for e, s in zip(rows["estimate"], rows["split_reported"], strict=True)],
        "date": texts.codes(rows["date"]),
        "start": texts.codes(rows["date_start"]),
        "end": texts.codes(rows["date_end"]),
        "notes": texts.codes(rows["notes"]),
        "symbol": texts.codes(rows["symbol"]),
        "affiliation": texts.codes(rows["affiliation"]),
    }


def _page_places(layers: Layers, points: _Points, texts: _Table) -> dict[str, list[Any]]:
    import shapely

    places = layers.places
    if not len(places):
        return {"name": [], "at": [], "label": [], "country": []}
    return {
        "name": texts.codes(places["name"]),
        "at": points.codes(shapely.get_coordinates(np.asarray(places.geometry.values))),
        "label": [int(r != "station") for r in places["role"]],
        "country": [int(k == "country") for k in places["kind"]],
    }


# --- the basemap -------------------------------------------------------------------------------


def basemap_data(layers: Layers) -> dict[str, Any]:
    """The country shapes of the layers, encoded, with each country's fill and whether it takes
    part (drawn with a darker border).

    The bundled shapes come ready encoded (``datasets/countries-page.json``, derived from the
    bundled GeoJSON by ``scripts/derive_countries.py``); other shapes are encoded here.
    """
    countries = layers.countries
    fills = _Table(())
    ids = countries["adm0_a3"].tolist() if "adm0_a3" in countries else []
    shapes = _bundled_shapes(ids)
    if shapes is None:
        shapes = encode_shapes(np.asarray(countries.geometry.values), BASEMAP_DIGITS)
    return {
        "shapes": shapes,
        "fill": fills.codes(countries["fill"]),
        "fills": fills.values,
        "involved": [int(bool(r)) for r in countries["role"]],
        "digits": BASEMAP_DIGITS,
    }


def _bundled_shapes(ids: list[str]) -> list[str] | None:
    """The encoded bundled shapes, if ``ids`` are the bundled countries in the bundled order."""
    import json

    from ..paths import bundled

    path = bundled("countries-page.json")
    if not ids or not path.exists():
        return None
    page = json.loads(path.read_bytes())
    if page["ids"] != ids or page["digits"] != BASEMAP_DIGITS:
        return None
    return list(page["shapes"])


def encode_shapes(geometries: np.ndarray, digits: int) -> list[str]:
    """Each (multi)polygon as text: polygons separated by ``;``, a polygon's rings (outer first)
    by a space, each ring in the Encoded Polyline Algorithm Format (lat, lon; ``digits``
    decimals; the closing point left out). Rings that collapse at that precision are dropped.

    Works on shapely's ragged arrays (coordinates and offsets), not on a geometry per ring.
    """
    import shapely

    kind, coords, offsets = shapely.to_ragged_array(geometries)
    if kind == shapely.GeometryType.POLYGON:  # all single polygons: one polygon per shape
        offsets = (*offsets, np.arange(len(geometries) + 1))
    ring_bounds, polygon_bounds, shape_bounds = offsets
    ring_of = np.repeat(np.arange(len(ring_bounds) - 1), np.diff(ring_bounds))
    grid = np.round(coords * 10**digits).astype(np.int64)
    keep = np.ones(len(grid), dtype=bool)
    keep[ring_bounds[1:][np.diff(ring_bounds) > 0] - 1] = False  # closing point = first point
    keep[1:] &= ~((grid[1:] == grid[:-1]).all(axis=1) & (ring_of[1:] == ring_of[:-1]))
    sizes = np.bincount(ring_of[keep], minlength=len(ring_bounds) - 1)
    polygon_of = np.repeat(np.arange(len(polygon_bounds) - 1), np.diff(polygon_bounds))
    outer = np.zeros(len(sizes), dtype=bool)
    outer[polygon_bounds[:-1][np.diff(polygon_bounds) > 0]] = True
    usable = sizes >= 3
    polygon_ok = np.zeros(len(polygon_bounds) - 1, dtype=bool)
    polygon_ok[polygon_of[outer & usable]] = True
    usable &= polygon_ok[polygon_of]  # a hole without its outer ring goes too
    keep &= usable[ring_of]
    grid, ring_of = grid[keep], ring_of[keep]
    starts = np.r_[True, ring_of[1:] != ring_of[:-1]] if len(ring_of) else np.zeros(0, bool)
    deltas = grid[:, ::-1].copy()  # lat, lon as the format has them
    deltas[1:] -= grid[:-1, ::-1]
    deltas[starts] = grid[starts][:, ::-1]
    text, ends = _encode_numbers(deltas.ravel())
    ring_ends = ends[1::2][np.r_[starts[1:], True]] if len(ring_of) else ends
    ring_starts = np.r_[0, ring_ends[:-1]] if len(ring_ends) else ring_ends
    kept_rings = np.flatnonzero(usable)
    decoded = text.decode("ascii")
    ring_text = {int(r): decoded[a:b] for r, a, b in zip(kept_rings, ring_starts.tolist(),
                                                          ring_ends.tolist(), strict=True)}
    shape_of = np.repeat(np.arange(len(shape_bounds) - 1), np.diff(shape_bounds))
    shapes: list[list[str]] = [[] for _ in range(len(shape_bounds) - 1)]
    for polygon in range(len(polygon_bounds) - 1):
        rings = [ring_text[r] for r in range(polygon_bounds[polygon], polygon_bounds[polygon + 1])
                 if r in ring_text]
        if rings:
            shapes[int(shape_of[polygon])].append(" ".join(rings))
    return [";".join(polygons) for polygons in shapes]


def _encode_numbers(values: np.ndarray, batch: int = 1 << 15) -> tuple[bytes, np.ndarray]:
    """The polyline encoding of each integer, concatenated, and where each one's text ends.

    A number takes one character per 5 bits of its zigzag form (sign in the lowest bit); every
    character but a number's last carries 0x20; all are offset by 63 into printable ASCII.
    Done ``batch`` numbers at a time, so that the temporary arrays stay small.
    """
    texts, ends, offset = [], [], 0
    for first in range(0, len(values), batch):
        part = values[first:first + batch].astype(np.int64)
        zigzag = np.where(part < 0, ~(part << 1), part << 1)
        size = np.ones(len(part), dtype=np.int64)
        for i in range(1, 13):
            size += zigzag >= (1 << (5 * i))
        part_ends = np.cumsum(size)
        out = np.empty(int(part_ends[-1]), dtype=np.uint8)
        starts = part_ends - size
        for i in range(int(size.max())):
            has = np.flatnonzero(size > i)
            more = (size[has] - 1 > i) * 0x20
            out[starts[has] + i] = ((zigzag[has] >> (5 * i)) & 0x1F | more) + 63
        texts.append(out.tobytes())
        ends.append(part_ends + offset)
        offset += int(part_ends[-1])
    return b"".join(texts), (np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64))
