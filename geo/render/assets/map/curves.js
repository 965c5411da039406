/* troopmap curves: on a canvas map, every flow's curve as quadratic pieces in zoom-0 pixels,
 * computed once, and the tracing of those pieces onto a canvas path at the map's zoom. */

import * as geometry from "./geometry.js";

/* A faint line's piece that strays less than this (in screen pixels) from its chord is drawn
 * as the chord, a more curved one as a few chords: at a country's zoom most pieces are that
 * flat, and a canvas draws a straight line several times faster than a curve. */
export var FLAT_PX = 0.25;
var MOST_CHORDS = 64; // chords per piece at most (only deep zooms need many)

/* Each flow's curve with its bounding box. Flows of one route and bend (of different actors
 * or statuses) share one curve: flow i's pieces are coords[starts[i] .. ends[i]) (x0, y0,
 * c1x, c1y, x1, y1, ...), its box boxes[4i .. 4i+3] (west, north, east, south). */
export function prepareCurves(flows) {
  var count = flows.length;
  var starts = new Int32Array(count), ends = new Int32Array(count), boxes = new Float64Array(count * 4);
  var curves = new Map(), owners = [], size = 0, i, flow;
  for (i = 0; i < count; i++) {
    flow = flows[i];
    var route = routeOf(flow), bends = curves.get(route); // [bend, flow, bend, flow...]: a route has few
    if (bends === undefined) curves.set(route, bends = []);
    var owner = -1;
    for (var b = 0; b < bends.length; b += 2) if (bends[b] === flow.bend) owner = bends[b + 1];
    if (owner < 0) {
      bends.push(flow.bend, i);
      owners.push(i);
      starts[i] = size;
      size += geometry.piecesSize(flow.from, flow.to);
      ends[i] = size;
    } else {
      starts[i] = -1 - owner; // filled in below, from its owner
    }
  }
  var c = new Float64Array(size), means = new Map();
  for (var n = 0; n < owners.length; n++) {
    i = owners[n];
    flow = flows[i];
    var samples = samplesOf(flow), mean = means.get(routeOf(flow));
    if (mean === undefined) { // flows of one route share their great circle
      mean = geometry.meanLatitude(flow.from, flow.to, samples);
      means.set(routeOf(flow), mean);
    }
    geometry.pieces(flow.from, flow.to, flow.bend, c, starts[i], samples, mean);
    boxOf(c, starts[i], ends[i], boxes, 4 * i);
  }
  for (i = 0; i < count; i++) {
    if (starts[i] >= 0) continue;
    var of = -1 - starts[i];
    starts[i] = starts[of];
    ends[i] = ends[of];
    boxes.copyWithin(4 * i, 4 * of, 4 * of + 4);
  }
  return { coords: c, starts: starts, ends: ends, boxes: boxes };
}

function samplesOf(flow) { return flow.kind === "branch" ? 24 : 48; } // as geo/geometry.py

function routeOf(flow) { return flow.route * 2 + (flow.kind === "branch" ? 1 : 0); }

function boxOf(c, start, end, boxes, at) {
  var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (var j = start; j < end; j += 2) {
    if (c[j] < x0) x0 = c[j];
    if (c[j] > x1) x1 = c[j];
    if (c[j + 1] < y0) y0 = c[j + 1];
    if (c[j + 1] > y1) y1 = c[j + 1];
  }
  boxes[at] = x0; boxes[at + 1] = y0; boxes[at + 2] = x1; boxes[at + 3] = y1;
}

/* How many chords draw the piece at c[j .. j+5] within `flat` pixels at scale k: a quadratic
 * strays from its chord by a quarter of its control point's distance from the chord's
 * middle, and from m chords by 1/m² of that. */
export function chordsFor(c, j, k, flat) {
  var dx = c[j + 2] - (c[j] + c[j + 4]) / 2, dy = c[j + 3] - (c[j + 1] + c[j + 5]) / 2;
  var stray = Math.hypot(dx, dy) * k / 2;
  return stray <= flat ? 1 : Math.min(MOST_CHORDS, Math.ceil(Math.sqrt(stray / flat)));
}

/* Adds a faint line (the curve at c[start .. end)) to ctx's path as chords, each within
 * FLAT_PX of the curve; view: {k, ox, oy, pixel}, the zoom's scale, the layer's origin and
 * the size of a device pixel (1/2 on a retina screen). Returns how many chords it drew. */
export function traceFaint(ctx, c, start, end, view) {
  var k = view.k, ox = view.ox, oy = view.oy, drawn = 0, flat = FLAT_PX * (view.pixel || 1);
  ctx.moveTo(c[start] * k - ox, c[start + 1] * k - oy);
  for (var j = start; j + 4 < end; j += 4) {
    var m = chordsFor(c, j, k, flat);
    for (var s = 1; s < m; s++) { // the points of the piece at t = s/m
      var t = s / m, u = 1 - t, a = u * u, b = 2 * u * t, d = t * t;
      ctx.lineTo((a * c[j] + b * c[j + 2] + d * c[j + 4]) * k - ox, (a * c[j + 1] + b * c[j + 3] + d * c[j + 5]) * k - oy);
    }
    ctx.lineTo(c[j + 4] * k - ox, c[j + 5] * k - oy);
    drawn += m;
  }
  return drawn;
}

/* Adds a flow's curve to ctx's path, stopping short of its arrowhead (for a width > 0);
 * returns the arrowhead to fill, {x, y, lx, ly, rx, ry} (its tip and base corners), or null. */
export function traceWithHead(ctx, c, start, end, view, headWidth) {
  var k = view.k, ox = view.ox, oy = view.oy;
  var last = end - 6; // the last piece: its start, control and end point
  var x0 = c[start] * k - ox, y0 = c[start + 1] * k - oy;
  ctx.moveTo(x0, y0);
  for (var j = start + 2; j < last; j += 4) {
    ctx.quadraticCurveTo(c[j] * k - ox, c[j + 1] * k - oy, c[j + 2] * k - ox, c[j + 3] * k - oy);
  }
  var px = c[last] * k - ox, py = c[last + 1] * k - oy;
  var cx = c[last + 2] * k - ox, cy = c[last + 3] * k - oy;
  var tx = c[last + 4] * k - ox, ty = c[last + 5] * k - oy;
  if (!headWidth) {
    ctx.quadraticCurveTo(cx, cy, tx, ty);
    return null;
  }
  var span = (Math.hypot(cx - px, cy - py) + Math.hypot(tx - cx, ty - cy) + Math.hypot(tx - px, ty - py)) / 2;
  var whole = Math.hypot(tx - x0, ty - y0);
  var length = Math.min(Math.max(9, headWidth * 2.2), 0.45 * Math.max(whole, span));
  if (length < 3) {
    ctx.quadraticCurveTo(cx, cy, tx, ty);
    return null;
  }
  var half = length * Math.max(6, headWidth * 1.5) / Math.max(9, headWidth * 2.2);
  var t = span > length ? 1 - length / span : 0;
  // de Casteljau: the piece from its start to t, ending at the head's base
  var ax = px + (cx - px) * t, ay = py + (cy - py) * t;
  var bx = cx + (tx - cx) * t, by = cy + (ty - cy) * t;
  var ex = ax + (bx - ax) * t, ey = ay + (by - ay) * t;
  ctx.quadraticCurveTo(ax, ay, ex, ey);
  var dx = tx - cx, dy = ty - cy, norm = Math.hypot(dx, dy) || 1;
  var ux = dx / norm, uy = dy / norm;
  var baseX = tx - ux * length, baseY = ty - uy * length;
  return { x: tx, y: ty, lx: baseX - uy * half, ly: baseY + ux * half, rx: baseX + uy * half, ry: baseY - ux * half };
}
