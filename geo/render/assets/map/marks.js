/* troopmap marks: what a canvas map draws: the flows' lines (faint or in full), arrowheads,
 * stationed forces (circles) and places (dots), each kind as a few paths. */

import * as geometry from "./geometry.js";
import { radiusOf } from "./model.js";
import { traceFaint, traceWithHead } from "./curves.js";

var FAINT_ALPHA = 0.1; // a faint line's stroke, and a faint stationed force's fill

/* Faint flows: one-pixel lines at a tenth of their colour, a stroke per actor's colour. */
export function drawFaint(ctx, part, flows, c, starts, ends, view) {
  var key = null;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.lineCap = "butt";
  ctx.globalAlpha = FAINT_ALPHA;
  part.forEach(function (f) {
    if (flows[f].colour !== key) {
      if (key !== null) ctx.stroke();
      key = flows[f].colour;
      ctx.beginPath();
      ctx.strokeStyle = key;
    }
    traceFaint(ctx, c, starts[f], ends[f], view);
  });
  if (key !== null) ctx.stroke();
  ctx.restore();
}

/* Flows in full, a stroke per look; their arrowheads go to `heads`, filled after all lines. */
export function drawFull(ctx, part, flows, looks, c, starts, ends, view, heads) {
  var key = null;
  ctx.save();
  ctx.lineJoin = "round";
  part.forEach(function (f) {
    var look = looks[f];
    if (look.key !== key) {
      if (key !== null) ctx.stroke();
      key = look.key;
      ctx.beginPath();
      ctx.strokeStyle = look.color;
      ctx.globalAlpha = look.alpha;
      ctx.lineWidth = look.width;
      ctx.lineCap = look.cap;
      ctx.setLineDash(look.dash);
    }
    var head = traceWithHead(ctx, c, starts[f], ends[f], view, flows[f].kind !== "trunk" ? flows[f].width : 0);
    if (head) {
      head.flow = flows[f];
      heads.push(head);
    }
  });
  if (key !== null) ctx.stroke();
  ctx.restore();
}

/* Arrowheads ({flow, x, y, lx, ly, rx, ry}: tip and base corners), a fill per colour and
 * opacity. */
export function drawHeads(ctx, heads) {
  ctx.setLineDash([]);
  var key = null;
  heads.sort(function (a, b) {
    return a.flow.colour < b.flow.colour ? -1 : a.flow.colour > b.flow.colour ? 1 : a.flow.index - b.flow.index;
  });
  heads.forEach(function (h) {
    var alpha = h.flow.faded ? h.flow.opacity.faded : h.flow.opacity.full;
    var next = h.flow.colour + alpha;
    if (next !== key) {
      if (key !== null) ctx.fill();
      key = next;
      ctx.beginPath();
      ctx.fillStyle = h.flow.colour;
      ctx.globalAlpha = alpha;
    }
    ctx.moveTo(h.x, h.y);
    ctx.lineTo(h.lx, h.ly);
    ctx.lineTo(h.rx, h.ry);
    ctx.closePath();
  });
  if (key !== null) ctx.fill();
}

/* Which stationed forces in the layer box b (plus margin) are drawn faint: past the budget,
 * the smaller ones. order: the stations by troops, largest first. */
export function faintStations(model, order, shown, view, b, margin) {
  var budget = model.data.fade ? model.data.fade.stations || Infinity : Infinity;
  var stations = model.stations, flags = new Uint8Array(stations.length), strong = 0;
  order.forEach(function (index) {
    var station = stations[index];
    if (!shown(station) || !inBox(geometry.project(station.at), view, b, margin)) return;
    if (strong < budget) strong++; else flags[index] = 1;
  });
  return flags;
}

/* Whether a zoom-0 point p lies in the layer box b widened by margin pixels. */
function inBox(p, view, b, margin) {
  var x = p[0] * view.k - view.ox, y = p[1] * view.k - view.oy;
  return x >= b.min.x - margin && x <= b.max.x + margin && y >= b.min.y - margin && y <= b.max.y + margin;
}

/* The stations by troops, largest first (ties in the order of the data). */
export function stationOrder(stations) {
  return stations.map(function (s) { return s.index; }).sort(function (x, y) {
    return stations[y].troops - stations[x].troops || x - y;
  });
}

/* Stationed forces in the layer box b (plus margin), by look: [{key, members}], in the order
 * they are drawn. A look is faint or not, a colour, dashed or not. */
export function stationGroups(model, view, shown, faint, b, margin) {
  var groups = {};
  model.stations.forEach(function (station) {
    if (!shown(station) || !inBox(geometry.project(station.at), view, b, margin + radiusOf(model, station))) return;
    var key = (faint[station.index] ? "0" : "1") + station.colour +
      (station.status === "claimed" || station.planned ? "|dashed" : "");
    (groups[key] = groups[key] || []).push(station);
  });
  return Object.keys(groups).sort().map(function (key) { return { key: key, members: groups[key] }; });
}

/* The stationed forces of one look as one path: the circles' fills, then their rims (none for
 * faint ones). */
export function drawStationGroup(ctx, model, view, group) {
  var members = group.members, colour = members[0].colour, isFaint = group.key.charAt(0) === "0";
  ctx.beginPath();
  members.forEach(function (station) {
    var p = geometry.project(station.at), r = radiusOf(model, station);
    var x = p[0] * view.k - view.ox, y = p[1] * view.k - view.oy;
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  });
  ctx.globalAlpha = isFaint ? FAINT_ALPHA : model.data.legend.style.opacity.fill;
  ctx.fillStyle = colour;
  ctx.fill();
  if (isFaint) return;
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  ctx.setLineDash(group.key.indexOf("|dashed") >= 0 ? [5, 4] : []);
  ctx.stroke();
}

/* Places (zoom-0 pixel points) as white dots; smaller where there are many. */
export function drawPlaces(ctx, places, view) {
  if (!places.length) return;
  var many = places.length > 80, radius = many ? 1.5 : 3;
  ctx.beginPath();
  places.forEach(function (p) {
    var x = p[0] * view.k - view.ox, y = p[1] * view.k - view.oy;
    ctx.moveTo(x + radius, y);
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
  });
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  ctx.fillStyle = "#fff";
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = many ? "#666" : "#333";
  ctx.stroke();
}
