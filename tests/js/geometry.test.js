// The page draws each flow's curve itself (geo/render/assets/map/geometry.js); it must be the
// curve geo/geometry.py gives the static map and the GIS files.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as geometry from "../../geo/render/assets/map/geometry.js";
import { python } from "./python.js";

// [from, to, bend]: across Europe, across the Atlantic, over the antimeridian, north to south,
// both bends, one place to itself.
const FLOWS = [
  [[28.33, 57.82], [27.56, 53.9], 0.12],
  [[-77.04, 38.9], [21.01, 52.23], -0.12],
  [[174.78, -41.29], [-149.9, 61.22], 0.2],
  [[37.62, 55.75], [36.8, -1.29], 0],
  [[13.4, 52.52], [13.4, 52.52], 0.12],
];

const PYTHON_ARCS = `
import json, sys
from geo.geometry import arc_between
flows = json.load(sys.stdin)
print(json.dumps([[list(p) for p in arc_between(tuple(a), tuple(b), bend, n).coords] for a, b, bend, n in flows]))
`;

function assertClose(got, want, tolerance, what) {
  assert.equal(got.length, want.length, `${what}: ${got.length} points, not ${want.length}`);
  got.forEach((p, i) => {
    const off = Math.hypot(p[0] - want[i][0], p[1] - want[i][1]);
    assert.ok(off < tolerance, `${what}: point ${i} is ${off}° from Python's (${p} vs ${want[i]})`);
  });
}

function distanceToLine(p, line) {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1], dx = line[i][0] - ax, dy = line[i][1] - ay;
    const length = dx * dx + dy * dy;
    const t = length ? Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx - p[0], ay + t * dy - p[1]));
  }
  return best;
}

test("the page's arcs are the arcs of geo/geometry.py, fork branches included", () => {
  const cases = FLOWS.flatMap(([a, b, bend]) => [[a, b, bend, 48], [a, b, bend, 24]]);
  const expected = python(PYTHON_ARCS, cases);
  cases.forEach(([a, b, bend, n], i) => {
    assertClose(geometry.arc(a, b, bend, n), expected[i], 1e-9, `${a} → ${b}, bend ${bend}, ${n} points`);
  });
});

test("the curve drawn on the canvas passes through the Python arc's points", () => {
  // pieces(): quadratic pieces in zoom-0 pixels whose ends and middles lie on the exact curve.
  const cases = FLOWS.map(([a, b, bend]) => [a, b, bend, 48]);
  const expected = python(PYTHON_ARCS, cases);
  cases.forEach(([a, b, bend], i) => {
    const numbers = geometry.pieces(a, b, bend);
    assert.equal(numbers.length, geometry.piecesSize(a, b));
    const start = [numbers[0], numbers[1]], end = [numbers.at(-2), numbers.at(-1)];
    const first = geometry.project(expected[i][0]), last = geometry.project(expected[i].at(-1));
    assertClose([start, end], [first, last], 1e-6, `${a} → ${b}: the ends of the drawn curve`);
    // Every point the pieces pass through lies on Python's arc: within eight pixels at zoom 9 of
    // its 48-point line (whose chords stray from the curve by a few on an ocean crossing; a bow
    // to the wrong side or of the wrong size is hundreds of pixels off).
    const line = expected[i].map(geometry.project);
    for (let j = 0; j + 2 < numbers.length; j += 4) {
      const off = distanceToLine([numbers[j], numbers[j + 1]], line);
      assert.ok(off < 8 / 512, `${a} → ${b}: a piece ends ${off * 512} px (zoom 9) off the curve`);
    }
  });
});

test("a point is projected as Leaflet's Web Mercator at zoom 0", () => {
  assert.deepEqual(geometry.project([0, 0]), [128, 128]);
  assert.deepEqual(geometry.project([-180, 0]), [0, 128]);
  const north = geometry.project([0, 85.0511287798]);
  assert.ok(Math.abs(north[1]) < 1e-6, `the Mercator limit is the top of the world, not ${north[1]}`);
});

test("a great circle across the antimeridian goes on past 180° instead of jumping back", () => {
  const points = geometry.greatCircle([170, 0], [-170, 0], 11);
  for (let i = 1; i < points.length; i++) assert.ok(points[i][0] > points[i - 1][0]);
  assert.ok(Math.abs(points.at(-1)[0] - 190) < 1e-9);
});
