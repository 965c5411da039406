/* troopmap model: the page's columns (geo/render/pagedata.py) as flows, stations and
 * movements, with each flow's width and look. Every size, limit and rule comes from the page
 * data (data.style, from geo/legend.py): nothing here copies a Python constant. */

import * as geometry from "./geometry.js";

/* The movements' columns; get(i) gives movement i as an object, for popups and extensions. */
export function Movements(data) {
  var c = data.movements, texts = data.texts;
  this.count = c.row.length;
  this.troops = c.troops;
  this.actor = c.actor;
  this.get = function (i) {
    var symbol = c.symbol[i];
    return {
      index: i, row: c.row[i], actor: data.actors[c.actor[i]], status: data.statuses[c.status[i]],
      source: data.sources[c.source[i]], unit: texts[c.unit[i]], origin: texts[c.origin[i]],
      destination: texts[c.destination[i]], troops: c.troops[i], estimate: c.estimate[i] === 1,
      label: texts[c.label[i]], date: texts[c.date[i]], start: texts[c.start[i]],
      end: texts[c.end[i]], notes: texts[c.notes[i]],
      due: c.due ? texts[c.due[i]] : "", plan: c.plan ? texts[c.plan[i]] : "",
      reported: c.reported ? texts[c.reported[i]] : "",
      symbol: symbol >= 0 && data.symbols ? data.symbols[symbol] : null,
    };
  };
}

export function point(data, index) {
  return [data.points[2 * index], data.points[2 * index + 1]];
}

/* Flows and stations as objects the painters and popups share. A flow stands for k movements
 * (movements m .. m+k-1); `visible` says how many of them are shown (all, unless a filter such
 * as a timeline says otherwise) and `troops` their total. */
export function model(data) {
  var movements = new Movements(data);
  var f = data.flows, s = data.stations;
  var actorOf = data.movements.actor, statusOf = data.movements.status;
  var rules = data.legend.rules; // which statuses are dashed and faded (geo/legend.py)
  // width: NaN, a fraction from the start (measure sets it): V8 keeps a field that has only
  // held small integers as such, and moves every object to a new layout when the field first
  // gets a fraction (half a second at 80,000 flows).
  var flows = f.m.map(function (m, i) {
    var actor = actorOf[m], status = data.statuses[statusOf[m]];
    return {
      index: i, kind: data.kinds[f.kind[i]], from: point(data, f.a[i]), to: point(data, f.b[i]), bend: f.bend[i],
      route: f.a[i] * data.points.length + f.b[i],
      m: m, k: f.k[i], legTroops: f.t[i], legLabel: "", actor: actor, colour: data.actors[actor].colour,
      status: status, visible: f.k[i], troops: 0, width: NaN, planned: false, look: data.look,
      opacity: data.legend.style.opacity,
      dashed: rules.dashed.indexOf(status) >= 0, faded: rules.faded.indexOf(status) >= 0,
    };
  });
  var stations = s.m.map(function (m, i) {
    var actor = actorOf[m];
    return {
      index: i, at: point(data, s.at[i]), m: m, k: s.k[i], troops: s.t[i], place: data.texts[s.place[i]],
      legLabel: "",
      tag: s.tag ? data.texts[s.tag[i]] : data.texts[s.place[i]], // the place as labelled
      actor: actor, colour: data.actors[actor].colour, status: data.statuses[statusOf[m]], visible: s.k[i],
      planned: false, area: s.area ? s.area[i] : -1, // the area it is drawn as (areas.js), or -1
    };
  });
  [[f, flows], [s, stations]].forEach(function (pair) { // the few legs with their own count
    (pair[0].labelled || []).forEach(function (at, j) { pair[1][at].legLabel = data.texts[pair[0].label[j]]; });
  });
  var result = {
    data: data, movements: movements, flows: flows, stations: stations, filter: null, planned: null,
  };
  measure(result);
  return result;
}

/* Each flow's troops and width from its visible movements (geo/layers.py widths); a flow or
 * circle is drawn as planned when all its visible movements are (model.planned, set by the
 * timeline from the days geo/timeline.py gives each movement). */
export function measure(model) {
  var scale = model.data.scale.width, troops = model.movements.troops, filter = model.filter;
  var planned = model.planned, style = model.data.legend.style;
  function widthOf(n) { return Math.max(style.minWidth, scale * Math.sqrt(n)); }
  model.flows.forEach(function (flow) {
    var total = 0, shown = 0, plans = 0;
    for (var i = flow.m; i < flow.m + flow.k; i++) {
      if (!filter || filter(i)) {
        total += troops[i]; shown++;
        if (planned && planned(i)) plans++;
      }
    }
    flow.visible = shown;
    flow.troops = total;
    flow.planned = shown > 0 && plans === shown;
    if (flow.kind === "branch") {
      flow.width = flow.legTroops >= 0
        ? widthOf(flow.legTroops) : Math.max(style.minWidth, widthOf(total) * style.unsplitBranch);
    } else {
      flow.width = widthOf(total);
    }
  });
  model.stations.forEach(function (station) {
    var shown = 0, plans = 0;
    for (var i = station.m; i < station.m + station.k; i++) {
      if (!filter || filter(i)) {
        shown++;
        if (planned && planned(i)) plans++;
      }
    }
    station.visible = shown;
    station.planned = shown > 0 && plans === shown;
  });
}

/* A flow's line: dashed and faded by the key's rules (geo/legend.py), and while it is a plan
 * as geo/layers.py PLANNED_LOOK says (data.look.planned: short dashes, lighter). */
export function styleFor(flow) {
  var dashed = flow.dashed, faded = flow.faded;
  var weight = flow.width;
  if (flow.planned) {
    var look = flow.look.planned;
    return {
      color: flow.colour, weight: weight, opacity: look.opacity, lineCap: "butt",
      dashArray: Math.max(2, weight * look.dash) + " " + Math.max(3, weight * look.gap),
    };
  }
  return {
    color: flow.colour, weight: weight, opacity: faded ? flow.opacity.faded : flow.opacity.full,
    lineCap: dashed ? "butt" : "round",
    dashArray: dashed ? Math.max(4, weight * 1.6) + " " + Math.max(3, weight) : null,
  };
}

export function radiusOf(model, station) {
  return Math.max(model.data.legend.style.minRadius, model.data.scale.radius * Math.sqrt(station.troops));
}

/* The flow's curve as [lon, lat] points, as geo/geometry.py gives it (48 points, 24 for a
 * fork's branch). */
export function curveOf(flow) {
  return geometry.arc(flow.from, flow.to, flow.bend, flow.kind === "branch" ? 24 : 48);
}

/* Where a flow's number goes (and a popup opened from the keyboard): mid-way, but near the
 * end of a fork's trunk or of a flow from another continent, so that it is in view where the
 * story is (html.label_point, before the page drew its own curves). */
export function labelPoint(points, kind) {
  var lengths = [0], total = 0, i;
  for (i = 1; i < points.length; i++) {
    total += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
    lengths.push(total);
  }
  var far = kind === "trunk" || total > 20;
  var at = far ? Math.max(total / 2, total - 3) : total / 2;
  for (i = 1; i < points.length; i++) {
    if (lengths[i] >= at) {
      var span = lengths[i] - lengths[i - 1], t = span ? (at - lengths[i - 1]) / span : 0;
      return [points[i - 1][0] + t * (points[i][0] - points[i - 1][0]),
        points[i - 1][1] + t * (points[i][1] - points[i - 1][1])];
    }
  }
  return points[points.length - 1];
}

