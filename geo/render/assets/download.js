/* troopmap "Get the data": the footer's links give the reader the map's movements as files,
 * made in the page when clicked (a Blob URL), never fetched:
 *   CSV      the user's own file as it was drawn (the page carries its text once, gzipped and in
 *            base64, data.download.csv, unpacked here by the browser's DecompressionStream);
 *   GeoJSON  a feature per movement, from the data the map is drawn from: its legs as straight
 *            lines between their places (origin, fork, destinations) or the places where it is
 *            stationed, with its row, actor, troops, status, dates, notes and source.
 * Without this script the links stay hidden (geo/render/panels.py writes them hidden).
 */
(function () {
  "use strict";

  var TYPES = { csv: "text/csv;charset=utf-8", geojson: "application/geo+json" };

  function lonLat(data, index) {
    return [data.points[2 * index], data.points[2 * index + 1]];
  }

  function properties(data, i) {
    var c = data.movements, texts = data.texts;
    function text(column) { return c[column] ? texts[c[column][i]] || null : null; }
    return {
      row: c.row[i], actor: data.actors[c.actor[i]].name, unit: text("unit"),
      origin: text("origin"), destination: text("destination"), troops: c.troops[i],
      estimate: c.estimate[i] === 1, status: data.statuses[c.status[i]], date: text("date"),
      reported: text("reported"), notes: text("notes"), source: data.sources[c.source[i]] || null,
    };
  }

  /* Each movement's legs (flows) and places (stations), by its index. */
  function shapes(data) {
    var lines = {}, points = {};
    function add(table, m, k, part) {
      for (var i = m; i < m + k; i++) (table[i] = table[i] || []).push(part);
    }
    var f = data.flows;
    for (var j = 0; f && j < f.a.length; j++) {
      add(lines, f.m[j], f.k[j], [lonLat(data, f.a[j]), lonLat(data, f.b[j])]);
    }
    var s = data.stations;
    for (var n = 0; s && n < s.at.length; n++) add(points, s.m[n], s.k[n], lonLat(data, s.at[n]));
    return { lines: lines, points: points };
  }

  function geojson(data) {
    var found = shapes(data), features = [];
    for (var i = 0; i < data.movements.row.length; i++) {
      var geometry = found.lines[i]
        ? { type: "MultiLineString", coordinates: found.lines[i] }
        : found.points[i] ? { type: "MultiPoint", coordinates: found.points[i] } : null;
      features.push({ type: "Feature", geometry: geometry, properties: properties(data, i) });
    }
    features.sort(function (x, y) { return x.properties.row - y.properties.row; });
    return JSON.stringify({ type: "FeatureCollection", features: features }, null, 1) + "\n";
  }

  function build(view) {
    var data = view.data;
    if (!data.download) return;
    var root = window.troopmap.rootOf(view.map);
    var box = root.querySelector(".tm-get-data");
    if (!box || !window.Blob || !window.URL || !URL.createObjectURL || !window.DecompressionStream) {
      return; // an old browser: the links stay hidden
    }
    var csv = box.querySelector('a[data-tm-get="csv"]'), geo = box.querySelector('a[data-tm-get="geojson"]');
    // The GeoJSON is made at the click, before the browser follows the link: a large map's
    // features are not kept in memory until someone asks for them.
    geo.addEventListener("click", function () {
      if (geo.href.indexOf("blob:") !== 0) {
        geo.href = URL.createObjectURL(new Blob([geojson(data)], { type: TYPES.geojson }));
      }
    });
    // The CSV is unpacked once, in the background, once the map is drawn and the browser is
    // idle (at 100,000 movements, 10 MB: a tenth of a second of the page's main thread); the
    // links show when it is ready.
    whenIdle(function () {
      unpacked(data.download.csv).then(function (file) {
        csv.href = URL.createObjectURL(file);
        box.hidden = false;
      });
    });
  }

  function whenIdle(task) {
    if (window.requestIdleCallback) window.requestIdleCallback(task, { timeout: 2000 });
    else setTimeout(task, 200);
  }

  /* The CSV's bytes from the page's base64 of its gzip, as a file of type text/csv. */
  function unpacked(packed) {
    var raw = atob(packed), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new window.DecompressionStream("gzip"));
    return new Response(stream).blob().then(function (blob) {
      return new Blob([blob], { type: TYPES.csv });
    });
  }

  window.troopmap.extend(build);
})();
