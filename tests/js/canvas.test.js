// What a canvas map draws (geo/render/assets/map/curves.js and plan.js): faint lines as chords
// that stay within FLAT_PX of the curve, the key's budget of flows drawn in full, the faint
// ones a stroke per actor, and how many flows a frame of a spread-out redraw draws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { prepareCurves, traceFaint, chordsFor, FLAT_PX } from "../../geo/render/assets/map/curves.js";
import { splitByBudget, faintByActor, nextQuota, FRAME_MS, LEAST_QUOTA, MOST_QUOTA } from "../../geo/render/assets/map/plan.js";

// Pskov → Minsk (bowed), Washington → Warsaw (across the Atlantic, bowed the other way), and
// Pskov → Minsk again for another actor: the same curve.
const FLOWS = [
  { kind: "direct", from: [28.33, 57.82], to: [27.56, 53.9], bend: 0.86, route: 1 },
  { kind: "direct", from: [-77.04, 38.9], to: [21.01, 52.23], bend: -0.3, route: 2 },
  { kind: "direct", from: [28.33, 57.82], to: [27.56, 53.9], bend: 0.86, route: 1 },
];

function recorder() {
  const points = [];
  return {
    points,
    moveTo(x, y) { points.push([x, y]); },
    lineTo(x, y) { points.push([x, y]); },
  };
}

function distanceToPolyline(p, line) {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1], [bx, by] = line[i];
    const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
    const h = len ? Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len)) : 0;
    best = Math.min(best, Math.hypot(ax + h * dx - p[0], ay + h * dy - p[1]));
  }
  return best;
}

test("flows of one route and bend share one curve", () => {
  const curves = prepareCurves(FLOWS);
  assert.equal(curves.starts[2], curves.starts[0]);
  assert.equal(curves.ends[2], curves.ends[0]);
  assert.notEqual(curves.starts[1], curves.starts[0]);
  assert.deepEqual(Array.from(curves.boxes.slice(8, 12)), Array.from(curves.boxes.slice(0, 4)));
});

for (const [zoom, pixel] of [[2, 1], [3.75, 1], [6, 1], [9, 1], [3.75, 0.5]]) {
  test(`a faint line stays within ${FLAT_PX} device px of its curve at zoom ${zoom}, ${pixel} px a device pixel`, () => {
    const curves = prepareCurves(FLOWS), c = curves.coords, k = 2 ** zoom;
    for (const f of [0, 1]) {
      const ctx = recorder();
      traceFaint(ctx, c, curves.starts[f], curves.ends[f], { k, ox: 0, oy: 0, pixel });
      for (let j = curves.starts[f]; j + 4 < curves.ends[f]; j += 4) {
        for (let s = 0; s <= 40; s++) {
          const t = s / 40, u = 1 - t;
          const x = (u * u * c[j] + 2 * u * t * c[j + 2] + t * t * c[j + 4]) * k;
          const y = (u * u * c[j + 1] + 2 * u * t * c[j + 3] + t * t * c[j + 5]) * k;
          const off = distanceToPolyline([x, y], ctx.points);
          assert.ok(off <= FLAT_PX * pixel + 1e-9, `flow ${f}, piece at ${j}, t=${t}: ${off} px off`);
        }
      }
    }
  });
}

test("at a country's zoom a faint line needs fewer chords than at a street's", () => {
  const curves = prepareCurves(FLOWS), c = curves.coords;
  const count = (zoom) => {
    let n = 0;
    for (let j = curves.starts[1]; j + 4 < curves.ends[1]; j += 4) n += chordsFor(c, j, 2 ** zoom, FLAT_PX);
    return n;
  };
  const pieces = (curves.ends[1] - curves.starts[1] - 2) / 4;
  assert.ok(count(3) <= 1.5 * pieces, `${count(3)} chords for ${pieces} pieces at zoom 3`);
  assert.ok(count(9) > count(3));
});

test("the key's budget: the first flows of the drawing order in view are drawn in full", () => {
  // five flows, boxes along x; the view holds flows 0..3; the drawing order 3, 1, 0, 2, 4
  const boxes = new Float64Array([0, 0, 1, 1, 2, 0, 3, 1, 4, 0, 5, 1, 6, 0, 7, 1, 20, 0, 21, 1]);
  const shown = new Uint8Array([1, 1, 1, 1, 1]);
  const split = splitByBudget([3, 1, 0, 2, 4], shown, boxes, [0, 0, 7.5, 1], 2);
  assert.deepEqual(split.full, [3, 1]);
  assert.deepEqual(Array.from(split.faint), [1, 0, 1, 0, 0]);
  shown[3] = 0; // its actor switched off: the next largest takes its place
  const fewer = splitByBudget([3, 1, 0, 2, 4], shown, boxes, [0, 0, 7.5, 1], 2);
  assert.deepEqual(fewer.full, [1, 0]);
  assert.deepEqual(Array.from(fewer.faint), [0, 0, 1, 0, 0]);
});

test("faint flows are stroked by actor, each actor's in the order of the flows", () => {
  const faint = new Uint8Array([1, 1, 0, 1, 1, 1]), actorOf = [1, 0, 0, 1, 2, 0];
  assert.deepEqual(faintByActor(faint, actorOf, 3), [1, 5, 0, 3, 4]);
});

test("a slow frame makes the next draw fewer flows, a quick one more, within bounds", () => {
  assert.ok(nextQuota(4000, 2 * FRAME_MS) < 4000);
  assert.ok(nextQuota(4000, FRAME_MS / 2) > 4000);
  assert.equal(nextQuota(4000, FRAME_MS), 4000);
  assert.equal(nextQuota(LEAST_QUOTA, 1000), LEAST_QUOTA);
  assert.equal(nextQuota(MOST_QUOTA, 1), MOST_QUOTA);
});
