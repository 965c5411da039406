// The page's model (geo/render/assets/map/model.js) turns the page data Python writes into
// flows and stations; their widths, radii and looks must be those the Python layers and the
// key give.
import { test } from "node:test";
import assert from "node:assert/strict";
import { model, measure, styleFor, radiusOf, curveOf } from "../../geo/render/assets/map/model.js";
import { python } from "./python.js";

const HEADER = "id,date,actor,unit,origin,destination,troops,status,source,notes\n";
const ROWS = [
  "a,2022-02-01,Russia,,Pskov,Minsk,9000,reported,,",
  "b,2022-02-02,Russia,,Pskov,Minsk,7000,reported,,",
  "c,2022-02-03,Russia,,Moscow,Brest,400,announced,,",
  "d,2022-02-04,Belarus,,Minsk,Gomel,2500,withdrawn,,",
  "e,2022-02-05,United States,,,Poland,10000,reported,,",
  "f,2022-02-06,United States,,,Lithuania,1000,claimed,,",
];

// The page's data for a CSV, with what Python says of each flow and stationed force.
function pageFor(csv) {
  return python(`
import json, sys, tempfile, pathlib
from geo import pipeline
from geo.render.html import page_for
from geo.render.inline import script_json
csv = json.load(sys.stdin)
with tempfile.TemporaryDirectory() as folder:
    path = pathlib.Path(folder) / "movements.csv"
    path.write_text(csv, encoding="utf-8")
    page = page_for(pipeline.layers_for(path))
data = json.loads(script_json(page.data))  # as the page carries it
flows, stations, troops = data["flows"], data["stations"], data["movements"]["troops"]
print(json.dumps({
    "data": data,
    "flowTroops": [sum(troops[m:m + k]) for m, k in zip(flows["m"], flows["k"])],
    "flowWidths": [page.width_for(sum(troops[m:m + k])) for m, k in zip(flows["m"], flows["k"])],
    "stationRadii": [page.radius_for(t) for t in stations["t"]],
}))
`, csv);
}

const page = pageFor(HEADER + ROWS.join("\n") + "\n");

test("each flow is as wide as Python's page scale makes its troops", () => {
  const m = model(page.data);
  assert.equal(m.flows.length, page.flowWidths.length);
  m.flows.forEach((flow, i) => {
    assert.equal(flow.troops, page.flowTroops[i]);
    assert.ok(Math.abs(flow.width - page.flowWidths[i]) < 1e-9, `flow ${i}: ${flow.width} vs ${page.flowWidths[i]}`);
  });
  assert.ok(m.flows.some((flow) => flow.troops === 16000), "the two Pskov → Minsk rows are one flow");
});

test("each stationed force's circle is as large as Python's radius for it", () => {
  const m = model(page.data);
  m.stations.forEach((station, i) => {
    assert.ok(Math.abs(radiusOf(m, station) - page.stationRadii[i]) < 1e-9);
  });
});

test("announced and claimed flows are dashed, withdrawn ones faded, as the key says", () => {
  const m = model(page.data);
  const rules = page.data.legend.rules;
  const byStatus = Object.fromEntries(m.flows.map((flow) => [flow.status, styleFor(flow)]));
  assert.ok(rules.dashed.includes("announced") && rules.faded.includes("withdrawn"));
  assert.ok(byStatus.announced.dashArray, "an announced flow is dashed");
  assert.equal(byStatus.reported.dashArray, null, "a reported flow is solid");
  const opacity = page.data.legend.style.opacity;
  assert.equal(byStatus.withdrawn.opacity, opacity.faded);
  assert.equal(byStatus.reported.opacity, opacity.full);
  assert.ok(opacity.faded < opacity.full);
});

test("a filter narrows each flow to its visible movements, and a thin flow keeps the least width", () => {
  const m = model(page.data);
  const big = m.flows.find((flow) => flow.troops === 16000);
  m.filter = (i) => i !== big.m; // hide one of the two Pskov → Minsk movements
  measure(m);
  assert.equal(big.visible, 1);
  assert.ok(big.troops < 16000 && big.troops > 0);
  m.filter = () => false;
  measure(m);
  assert.equal(big.visible, 0);
  assert.equal(big.width, page.data.legend.style.minWidth);
});

test("a flow's curve runs from its origin to its destination", () => {
  const m = model(page.data);
  m.flows.forEach((flow) => {
    const curve = curveOf(flow);
    assert.deepEqual(curve[0].map((x) => x.toFixed(6)), flow.from.map((x) => x.toFixed(6)));
    assert.ok(Math.hypot(curve.at(-1)[0] - flow.to[0], curve.at(-1)[1] - flow.to[1]) < 1e-6);
    assert.ok(["direct", "trunk", "branch"].includes(flow.kind));
  });
});
