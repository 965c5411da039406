// The page decodes the areas and the context's rivers and lakes (geo/render/assets/map/shapes.js)
// from what geo/render/page_shapes.py encodes; it must get back the shapes Python sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeShape } from "../../geo/render/assets/map/shapes.js";
import { python } from "./python.js";

const ENCODE = `
import json, sys
import numpy as np
import shapely
from geo.render.page_shapes import encode_shapes
from geo.gazetteer.areas import area_shape
from geo.gazetteer import Gazetteer
names, digits = json.load(sys.stdin)
shapes = [area_shape(Gazetteer().resolve(n).place) for n in names]
encoded = encode_shapes(np.array(shapes, dtype=object), digits)
rounded = [[[[round(x, digits), round(y, digits)] for x, y in ring.coords]
            for polygon in shapely.get_parts(shape)
            for ring in [polygon.exterior]] for shape in shapes]
print(json.dumps({"encoded": encoded, "outer": rounded}))
`;

test("an area comes back as the polygons Python encoded, each ring's points in order", () => {
  const names = ["Crimea", "Gomel Oblast", "Saaremaa"];
  const { encoded, outer } = python(ENCODE, [names, 3]);
  encoded.forEach((shape, i) => {
    const polygons = decodeShape(shape, 3);
    assert.equal(polygons.length, outer[i].length, `${names[i]}: polygons`);
    polygons.forEach((rings, p) => {
      const want = outer[i][p].slice(0, -1); // the encoding leaves out the closing point
      const got = rings[0];
      assert.equal(got.length, want.length, `${names[i]}: points of polygon ${p}`);
      got.forEach((point, k) => {
        assert.ok(Math.abs(point[0] - want[k][0]) < 1e-9 && Math.abs(point[1] - want[k][1]) < 1e-9,
          `${names[i]}: point ${k} ${point} vs ${want[k]}`);
      });
    });
  });
});

test("an empty shape decodes to nothing", () => {
  assert.deepEqual(decodeShape("", 2), []);
});
