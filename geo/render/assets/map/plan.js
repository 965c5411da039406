/* troopmap plan: what a canvas map draws, and in what order: each flow's look, the drawing
 * order, which flows in view are drawn in full and which faint (the key's budget), and how
 * much of a redraw spread over frames goes into one frame. */

import { styleFor } from "./model.js";

/* Each flow's look; flows that look alike share one look object (key, color, alpha, width,
 * cap, dash, and rank: its place among the looks, for a stable drawing order). */
export function looksOf(flows) {
  var kept = new Map();
  var looks = flows.map(function (flow) {
    var style = styleFor(flow), width = Math.round(flow.width * 2) / 2;
    var key = style.color + "|" + width + "|" + style.opacity + "|" + style.dashArray;
    var look = kept.get(key);
    if (look === undefined) {
      kept.set(key, look = {
        key: key, color: style.color, alpha: style.opacity, width: width, cap: style.lineCap,
        dash: style.dashArray ? style.dashArray.split(" ").map(Number) : [], rank: 0,
      });
    }
    return look;
  });
  Array.from(kept.keys()).sort().forEach(function (key, rank) { kept.get(key).rank = rank; });
  return looks;
}

/* The flows' indexes in drawing order: widest first, so thin flows stay visible on top; flows
 * that look alike next to each other, so that they are stroked together. */
export function drawingOrder(looks) {
  return looks.map(function (look, i) { return i; }).sort(function (a, b) {
    var la = looks[a], lb = looks[b];
    if (la.width !== lb.width) return lb.width - la.width;
    return la.rank - lb.rank || a - b;
  });
}

/* The shown flows whose box meets `area` (zoom-0 pixels: west, north, east, south), split by
 * the key's budget: the first `budget` of them in drawing order are drawn in full, the others
 * faint. full: their indexes in drawing order; faint: 1 for each faint flow. */
export function splitByBudget(order, shown, boxes, area, budget) {
  var full = [], faint = new Uint8Array(shown.length);
  var west = area[0], north = area[1], east = area[2], south = area[3];
  for (var n = 0; n < order.length; n++) {
    var i = order[n];
    if (!shown[i] || boxes[4 * i] > east || boxes[4 * i + 2] < west || boxes[4 * i + 1] > south ||
      boxes[4 * i + 3] < north) continue;
    if (full.length < budget) full.push(i); else faint[i] = 1;
  }
  return { full: full, faint: faint };
}

/* The faint flows grouped by actor (in the actors' order), each group in the order of the
 * flows: a stroke per colour. */
export function faintByActor(faint, actorOf, actors) {
  var groups = [];
  for (var a = 0; a < actors; a++) groups.push([]);
  for (var i = 0; i < faint.length; i++) if (faint[i]) groups[actorOf[i]].push(i);
  return [].concat.apply([], groups);
}

/* A redraw spread over frames draws so many flows in a frame that the frame, with the
 * browser's own painting of them, lasts about FRAME_MS: after a frame that lasted `gap` ms
 * while `quota` flows were drawn, the next one's quota. */
export var FRAME_MS = 25;
export var FIRST_QUOTA = 1500, LEAST_QUOTA = 250, MOST_QUOTA = 40000;

export function nextQuota(quota, gap) {
  var ratio = gap > 0 ? FRAME_MS / gap : 2;
  var next = quota * Math.min(1.5, Math.max(0.5, ratio));
  return Math.round(Math.min(MOST_QUOTA, Math.max(LEAST_QUOTA, next)));
}
