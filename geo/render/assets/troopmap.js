/* troopmap: draws a map page from its compact data (made by geo/render/pagedata.py).
 *
 * The page carries each flow as two points and a bend; the curve is computed here with the
 * formulas of geo/geometry.py (troopmap.geometry), so it is the curve of the static map and of
 * the GIS files. Small maps draw flows as Leaflet vector layers (SVG, one element per flow);
 * large ones on one canvas (FlowCanvas), which draws tens of thousands of flows in a frame.
 * Extensions (timeline, unit symbols, keyboard navigation) work through the view draw()
 * returns, whichever way the map was drawn.
 *
 * Every text from the user's CSV reaches the page through textContent or an escaped string,
 * never as HTML. Links are written only for http(s) addresses.
 */
(function () {
  "use strict";

  var LABEL_LIMIT = 60; // label flows and stationed forces on maps this small
  var PLACE_LABEL_LIMIT = 80; // ... and places
  var FAINT_STEP = 6000, FULL_STEP = 1500; // flows drawn per step of a redraw spread over frames
  var STEP_MS = 12; // ... and the time a frame gives it
  var COUNTRY_AREA_PER_TASK = 0.4; // the share of the country canvas filled in one task, at most
  var MIN_WIDTH = 1.5; // as geo/layers.py
  var MIN_RADIUS = 4;
  var DIRECT = 0, TRUNK = 1, BRANCH = 2; // kinds of flow (geo/render/pagedata.py)
  // Each popup is sized to the map and panned clear of its panels when it opens (layout.js).
  var POPUP_OPTIONS = {};

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function safeUrl(url) {
    return /^https?:\/\/[^\s]+$/i.test(url || "") ? url : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function hostOf(url) {
    var match = /^https?:\/\/([^\/?#]+)/i.exec(url);
    return match ? match[1].replace(/^www\./, "") : url;
  }

  function chunks(list, size) {
    var out = [];
    for (var i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
  }

  /* ---- geometry: geo/geometry.py, in the browser ------------------------------------------ */

  var geometry = (function () {
    var RAD = Math.PI / 180;
    var MAX_LAT = 85.0511287798; // Leaflet's spherical Mercator limit

    function clamp(x, low, high) { return x < low ? low : x > high ? high : x; }

    /* n points along the shorter great circle from a to b ([lon, lat] in degrees), longitudes
     * unwrapped past ±180° (geometry.great_circle). */
    function greatCircle(a, b, n) {
      var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
      var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa), pz = Math.sin(la);
      var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob), qz = Math.sin(lb);
      var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
      var same = omega < 1e-9, divisor = same ? 1 : Math.sin(omega);
      var points = new Array(n), shift = 0, previous = 0;
      for (var i = 0; i < n; i++) {
        var t = n > 1 ? i / (n - 1) : 0;
        var u = same ? 1 - t : Math.sin(omega * (1 - t)), v = same ? t : Math.sin(omega * t);
        var x = (u * px + v * qx) / divisor, y = (u * py + v * qy) / divisor, z = (u * pz + v * qz) / divisor;
        var lon = Math.atan2(y, x) / RAD, lat = Math.atan2(z, Math.hypot(x, y)) / RAD;
        if (i > 0 && Math.abs(lon - previous) > 180) shift -= 360 * Math.round((lon - previous) / 360);
        previous = lon;
        points[i] = [lon + shift, lat];
      }
      var turn = 360 * Math.round((a[0] - points[0][0]) / 360);
      if (turn) points.forEach(function (p) { p[0] += turn; });
      return points;
    }

    /* The middle of a path pushed sideways, to the right of travel for bend > 0 (geometry._bow). */
    function bow(points, bend) {
      var n = points.length;
      if (n < 3) return points;
      var mean = 0;
      for (var i = 0; i < n; i++) mean += points[i][1];
      var scale = Math.cos(clamp(mean / n, -80, 80) * RAD);
      var x0 = points[0][0] * scale, y0 = points[0][1];
      var dx = points[n - 1][0] * scale - x0, dy = points[n - 1][1] - y0;
      var length = Math.hypot(dx, dy);
      if (bend === 0 || length === 0) return points;
      var rx = dy / length, ry = -dx / length, reach = bend * length * 4;
      return points.map(function (p, j) {
        var t = j / (n - 1), push = reach * t * (1 - t) / 2;
        return [(p[0] * scale + push * rx) / scale, clamp(p[1] + push * ry, -89.9, 89.9)];
      });
    }

    /* geometry.arc_between: the great circle from a to b, bowed by bend; n points. */
    function arc(a, b, bend, n) {
      return bow(greatCircle(a, b, n || 48), bend);
    }

    /* [lon, lat] → Leaflet's EPSG:3857 pixel coordinates at zoom 0 (the world is 256 px wide). */
    function project(point) {
      var lat = clamp(point[1], -MAX_LAT, MAX_LAT) * RAD;
      return [256 * (point[0] / 360 + 0.5), 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI))];
    }

    /* The arc as quadratic Bézier pieces in zoom-0 pixels, written into out[at ...]:
     * x0, y0, c1x, c1y, x1, y1, ... Each piece passes through three points of the exact curve
     * (its ends and its middle); with a piece per 3° of arc the drawing stays within a quarter
     * pixel of the curve at zoom 9. Returns how many numbers it wrote (or, without `out`, a new
     * array of them). The same computation as arc(…, samples), without an array per point: a
     * map may have a hundred thousand flows. `samples` (48, or 24 for a fork's branch) is the
     * number of points the Python geometry gives the arc: the bow's scale depends on their
     * mean latitude. */
    function pieces(a, b, bend, out, at, samples, mean) {
      var n = 2 * pieceCount(a, b) + 1;
      if (out === undefined) {
        var own = new Float64Array(2 * n);
        pieces(a, b, bend, own, 0, samples);
        return own;
      }
      if (mean === undefined) mean = bend === 0 ? 0 : meanLatitude(a, b, samples || 48);
      var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
      var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa), pz = Math.sin(la);
      var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob), qz = Math.sin(lb);
      var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
      var same = omega < 1e-9, divisor = same ? 1 : Math.sin(omega);
      var shift = 0, previous = 0, i, t;
      for (i = 0; i < n; i++) { // the great circle, unwrapped, into out as lon, lat
        t = i / (n - 1);
        var u = same ? 1 - t : Math.sin(omega * (1 - t)), v = same ? t : Math.sin(omega * t);
        var x = (u * px + v * qx) / divisor, y = (u * py + v * qy) / divisor, z = (u * pz + v * qz) / divisor;
        var lon = Math.atan2(y, x) / RAD;
        if (i > 0 && Math.abs(lon - previous) > 180) shift -= 360 * Math.round((lon - previous) / 360);
        previous = lon;
        out[at + 2 * i] = lon + shift;
        out[at + 2 * i + 1] = Math.atan2(z, Math.hypot(x, y)) / RAD;
      }

      var turn = 360 * Math.round((a[0] - out[at]) / 360);
      var scale = Math.cos(clamp(mean, -80, 80) * RAD);
      var x0 = (out[at] + turn) * scale, y0 = out[at + 1];
      var dx = (out[at + 2 * n - 2] + turn) * scale - x0, dy = out[at + 2 * n - 1] - y0;
      var length = Math.hypot(dx, dy), bowed = bend !== 0 && length !== 0;
      var rx = bowed ? dy / length : 0, ry = bowed ? -dx / length : 0, reach = bend * length * 4;
      for (i = 0; i < n; i++) { // the bow, then Leaflet's spherical Mercator at zoom 0
        t = i / (n - 1);
        var push = bowed ? reach * t * (1 - t) / 2 : 0;
        var lonI = out[at + 2 * i] + turn, latI = out[at + 2 * i + 1];
        if (bowed) { lonI = (lonI * scale + push * rx) / scale; latI = clamp(latI + push * ry, -89.9, 89.9); }
        var phi = clamp(latI, -MAX_LAT, MAX_LAT) * RAD;
        out[at + 2 * i] = 256 * (lonI / 360 + 0.5);
        out[at + 2 * i + 1] = 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI));
      }
      for (i = 1; i < n; i += 2) { // each middle sample → the control point that passes through it
        var j = at + 2 * i;
        out[j] = 2 * out[j] - (out[j - 2] + out[j + 2]) / 2;
        out[j + 1] = 2 * out[j + 1] - (out[j - 1] + out[j + 3]) / 2;
      }
      return 2 * n;
    }

    /* The mean latitude of the n points of the great circle from a to b: the bow's scale in
     * geometry._bow. (asin of the height, as the points are on the unit sphere; the sines of
     * the way there are the sines of the way back, in reverse.) */
    function meanLatitude(a, b, n) {
      var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
      var pz = Math.sin(la), qz = Math.sin(lb);
      var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa);
      var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob);
      var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
      var sum = 0, i;
      if (omega < 1e-9) {
        for (i = 0; i < n; i++) {
          var t = i / (n - 1), lx = (1 - t) * px + t * qx, ly = (1 - t) * py + t * qy, lz = (1 - t) * pz + t * qz;
          sum += Math.atan2(lz, Math.hypot(lx, ly));
        }
        return sum / n / RAD;
      }
      var sines = new Float64Array(n), divisor = Math.sin(omega);
      for (i = 0; i < n; i++) sines[i] = Math.sin(omega * (i / (n - 1)));
      for (i = 0; i < n; i++) sum += Math.asin(clamp((sines[n - 1 - i] * pz + sines[i] * qz) / divisor, -1, 1));
      return sum / n / RAD;
    }

    /* How many numbers pieces() writes for a flow from a to b. */
    function piecesSize(a, b) {
      return 2 * (2 * pieceCount(a, b) + 1);
    }

    /* A piece per 3° of arc, more where Mercator stretches the map (far from the equator). */
    function pieceCount(a, b) {
      var la = a[1] * RAD, lb = b[1] * RAD, dl = (b[0] - a[0]) * RAD;
      var cosine = Math.sin(la) * Math.sin(lb) + Math.cos(la) * Math.cos(lb) * Math.cos(dl);
      var degrees = Math.acos(clamp(cosine, -1, 1)) / RAD;
      var stretch = 1 / Math.cos(Math.min(75, Math.max(Math.abs(a[1]), Math.abs(b[1]))) * RAD);
      return clamp(Math.ceil(degrees * stretch / 3), 1, 64);
    }

    return {
      greatCircle: greatCircle, bow: bow, arc: arc, project: project, pieces: pieces,
      piecesSize: piecesSize, meanLatitude: meanLatitude,
    };
  })();

  /* ---- the model: the page's columns as flows, stations and movements ---------------------- */

  /* The movements' columns; get(i) gives movement i as an object, for popups and extensions. */
  function Movements(data) {
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

  function point(data, index) {
    return [data.points[2 * index], data.points[2 * index + 1]];
  }

  /* Flows and stations as objects the painters and popups share. A flow stands for k movements
   * (movements m .. m+k-1); `visible` says how many of them are shown (all, unless a filter such
   * as a timeline says otherwise) and `troops` their total. */
  function model(data) {
    var movements = new Movements(data);
    var f = data.flows, s = data.stations;
    var actorOf = data.movements.actor, statusOf = data.movements.status;
    var rules = data.legend.rules; // which statuses are dashed and faded (geo/legend.py)
    var flows = f.m.map(function (m, i) {
      var actor = actorOf[m], status = data.statuses[statusOf[m]];
      return {
        index: i, kind: f.kind[i], from: point(data, f.a[i]), to: point(data, f.b[i]), bend: f.bend[i],
        route: f.a[i] * data.points.length + f.b[i],
        m: m, k: f.k[i], legTroops: f.t[i], legLabel: "", actor: actor, colour: data.actors[actor].colour,
        status: status, visible: f.k[i], troops: 0, width: 0, planned: false, look: data.look,
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
        planned: false,
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
  function measure(model) {
    var scale = model.data.scale.width, troops = model.movements.troops, filter = model.filter;
    var planned = model.planned;
    function widthOf(n) { return Math.max(MIN_WIDTH, scale * Math.sqrt(n)); }
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
      if (flow.kind === BRANCH) {
        flow.width = flow.legTroops >= 0 ? widthOf(flow.legTroops) : Math.max(MIN_WIDTH, widthOf(total) * 0.6);
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
  function styleFor(flow) {
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
      color: flow.colour, weight: weight, opacity: faded ? 0.35 : 0.9,
      lineCap: dashed ? "butt" : "round",
      dashArray: dashed ? Math.max(4, weight * 1.6) + " " + Math.max(3, weight) : null,
    };
  }

  function radiusOf(model, station) {
    return Math.max(MIN_RADIUS, model.data.scale.radius * Math.sqrt(station.troops));
  }

  /* The flow's curve as [lon, lat] points, as geo/geometry.py gives it (48 points, 24 for a
   * fork's branch). */
  function curveOf(flow) {
    return geometry.arc(flow.from, flow.to, flow.bend, flow.kind === BRANCH ? 24 : 48);
  }

  /* Where a flow's number goes (and a popup opened from the keyboard): mid-way, but near the
   * end of a fork's trunk or of a flow from another continent, so that it is in view where the
   * story is (html.label_point, before the page drew its own curves). */
  function labelPoint(points, kind) {
    var lengths = [0], total = 0, i;
    for (i = 1; i < points.length; i++) {
      total += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
      lengths.push(total);
    }
    var far = kind === TRUNK || total > 20;
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

  /* ---- popups --------------------------------------------------------------------------- */

  function popupFor(model, item) {
    var movements = model.movements;
    var rows = [];
    for (var i = item.m; i < item.m + item.k; i++) {
      if (!model.filter || model.filter(i)) rows.push(movements.get(i));
    }
    if (rows.length === 1 || item.k === 1) return movementPopup(rows[0] || movements.get(item.m), item.place);
    return groupPopup(rows, item.place);
  }

  function popupHead(box, actor, unit) {
    var head = el("div", "tm-popup-actor");
    var swatch = el("span", "tm-swatch");
    swatch.style.background = actor.colour;
    head.appendChild(swatch);
    head.appendChild(document.createTextNode(actor.name + (unit ? " — " + unit : "")));
    box.appendChild(head);
  }

  function sourceLink(url) {
    var safe = safeUrl(url);
    if (!safe) return null;
    var link = el("a", "tm-popup-source", "Source: " + hostOf(safe));
    link.href = safe;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  function routeOf(m, place) {
    return m.origin ? m.origin + " → " + m.destination : "Stationed at " + (place || m.destination);
  }

  function movementPopup(m, place) {
    var box = el("div", "tm-popup");
    popupHead(box, m.actor, m.unit);
    box.appendChild(el("div", "tm-popup-troops", m.label + " troops"));
    box.appendChild(el("div", "tm-popup-route", routeOf(m, place)));
    var facts = el("dl", "tm-popup-facts");
    function fact(name, value) {
      if (!value) return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, value));
    }
    fact("Date", m.date);
    fact("Reported", m.reported);
    if (m.symbol) fact("Symbol", m.symbol.name);
    fact("Status", m.status);
    fact("Estimate", m.estimate ? "yes, the number is approximate" : "");
    fact("Notes", m.notes);
    box.appendChild(facts);
    var link = sourceLink(m.source);
    if (link) box.appendChild(link);
    return box;
  }

  function totalLabel(rows) {
    var total = 0, estimate = false;
    rows.forEach(function (m) { total += m.troops; estimate = estimate || m.estimate; });
    return (estimate ? "~" : "") + total.toLocaleString("en-US");
  }

  /* A flow (or circle) that stands for several movements: their total, then one line each. */
  function groupPopup(rows, place) {
    var box = el("div", "tm-popup tm-popup-group");
    var first = rows[0];
    popupHead(box, first.actor, "");
    box.appendChild(el("div", "tm-popup-troops", totalLabel(rows) + " troops"));
    box.appendChild(el("div", "tm-popup-route", routeOf(first, place)));
    box.appendChild(el("div", "tm-popup-count", rows.length.toLocaleString("en-US") + " movements, " + first.status + ":"));
    var list = el("ol", "tm-popup-rows");
    rows.forEach(function (m) {
      var item = el("li");
      var line = [m.date, m.unit, m.label + " troops"].filter(Boolean).join(" · ");
      item.appendChild(el("span", "tm-popup-row", line));
      item.appendChild(el("span", "tm-popup-rowref", " (row " + m.row + ")"));
      if (m.notes) item.appendChild(el("div", "tm-popup-note", m.notes));
      var link = sourceLink(m.source);
      if (link) item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  /* The number written on a flow or circle: the movement's own words (with its plan while it is
   * planned), a branch's own count, or the visible total. */
  function itemLabel(model, item) {
    if (item.kind === BRANCH || item.legLabel) return item.legLabel || "";
    if (item.k === 1) return ownLabel(model.movements.get(item.m), item);
    var rows = [];
    for (var i = item.m; i < item.m + item.k; i++) {
      if (!model.filter || model.filter(i)) rows.push(model.movements.get(i));
    }
    if (rows.length === 1) return ownLabel(rows[0], item);
    return totalLabel(rows) + " (" + rows.length + " movements)";
  }

  function ownLabel(m, item) {
    return item.planned && m.plan ? m.plan : m.label; // geo/layers.py writes both
  }

  /* ---- small maps: one Leaflet vector layer per flow ------------------------------------- */

  /* Arrowheads are drawn in screen pixels so they keep their size at every zoom; the line is
   * trimmed to the head's base so a wide line never pokes out past the tip. */
  function placeHead(map, leg) {
    // Only the points near the tip are projected: the head is a few pixels long.
    var latlngs = leg.latlngs, last = latlngs.length - 1;
    var tip = map.latLngToLayerPoint(latlngs[last]);
    var length = Math.max(9, leg.weight * 2.2);
    var half = Math.max(6, leg.weight * 1.5);
    var back = null;
    var cut = last;
    for (var i = last - 1; i >= 0; i--) {
      var point = map.latLngToLayerPoint(latlngs[i]);
      if (tip.distanceTo(point) >= length) { back = point; cut = i; break; }
    }
    if (!back) { back = map.latLngToLayerPoint(latlngs[0]); cut = 0; }
    var dx = tip.x - back.x, dy = tip.y - back.y;
    var norm = Math.sqrt(dx * dx + dy * dy) || 1;
    var ux = dx / norm, uy = dy / norm;
    var base = L.point(tip.x - ux * length, tip.y - uy * length);
    var left = L.point(base.x - uy * half, base.y + ux * half);
    var right = L.point(base.x + uy * half, base.y - ux * half);
    leg.head.setLatLngs([tip, left, right].map(function (p) { return map.layerPointToLatLng(p); }));
    var trimmed = latlngs.slice(0, cut + 1);
    trimmed.push(map.layerPointToLatLng(L.point(base.x + ux * 1, base.y + uy * 1)));
    leg.line.setLatLngs(trimmed);
  }

  function toLatLng(p) { return L.latLng(p[1], p[0]); }

  function vectorPainter(map, model, groups) {
    var renderer = L.svg({ padding: 0.5 });
    var places = L.layerGroup();
    var withHeads = [];
    var drawn = []; // [item, its layers, its label or null]
    var labelled = model.flows.length <= LABEL_LIMIT;
    var labelStations = model.stations.length <= LABEL_LIMIT;
    function bind(layer, item) {
      layer.bindPopup(function () { return popupFor(model, item); }, POPUP_OPTIONS);
    }
    function stationText(station) {
      return escapeHtml(itemLabel(model, station)) + '<span class="tm-station-place">' +
        escapeHtml(station.tag) + "</span>";
    }
    function placeHeads() {
      withHeads.forEach(function (leg) {
        leg.weight = leg.flow.width;
        placeHead(map, leg);
      });
    }
    return {
      flow: function (flow) {
        var points = curveOf(flow), latlngs = points.map(toLatLng);
        var style = styleFor(flow);
        style.renderer = renderer;
        style.className = "tm-flow";
        var line = L.polyline(latlngs, style);
        bind(line, flow);
        var layers = [line], label = null;
        if (flow.kind !== TRUNK) {
          var head = L.polygon([latlngs[latlngs.length - 1]], {
            renderer: renderer, stroke: false, fill: true, fillColor: style.color,
            fillOpacity: style.opacity, className: "tm-head",
          });
          bind(head, flow);
          layers.push(head);
          withHeads.push({ latlngs: latlngs, flow: flow, head: head, line: line });
        }
        if (labelled && (flow.kind !== BRANCH || flow.legLabel)) {
          label = L.tooltip({ permanent: true, direction: "center", className: "tm-flow-label", interactive: false })
            .setLatLng(toLatLng(labelPoint(points, flow.kind))).setContent(escapeHtml(itemLabel(model, flow)));
          layers.push(label);
        }
        layers.forEach(function (layer) { layer.addTo(groups[flow.actor]); });
        drawn.push([flow, layers, label]);
      },
      station: function (station) {
        var dashed = station.status === "claimed" || station.planned;
        var radius = radiusOf(model, station);
        var circle = L.circleMarker([station.at[1], station.at[0]], {
          renderer: renderer, radius: radius, color: station.colour, weight: 2,
          dashArray: dashed ? "5 4" : null, fillColor: station.colour, fillOpacity: 0.28,
          className: "tm-station",
        });
        bind(circle, station);
        if (labelStations) {
          circle.bindTooltip(stationText(station), {
            permanent: true, direction: "right", offset: [radius, 0], className: "tm-station-label",
          });
        }
        circle.addTo(groups[station.actor]);
        drawn.push([station, [circle], null]);
      },
      place: function (at, name) {
        var dot = L.circleMarker([at[1], at[0]], {
          renderer: renderer, radius: 3, color: "#333", weight: 1, fillColor: "#fff",
          fillOpacity: 1, interactive: false,
        });
        if (name) {
          dot.bindTooltip(escapeHtml(name), {
            permanent: true, direction: "right", offset: [4, 0], className: "tm-place-label",
          });
        }
        dot.addTo(places);
      },
      places: function () { return places; },
      finish: function () {
        placeHeads(); // once, in the final view; then again at each zoom
        map.on("zoomend viewreset", placeHeads);
      },
      /* After a filter: hide what has no visible movement, resize and relabel what remains. */
      refresh: function () {
        drawn.forEach(function (entry) {
          var item = entry[0], group = groups[item.actor];
          entry[1].forEach(function (layer) {
            if (item.visible && !group.hasLayer(layer)) group.addLayer(layer);
            if (!item.visible && group.hasLayer(layer)) group.removeLayer(layer);
            if (item.kind !== undefined && layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
              var style = styleFor(item);
              layer.setStyle({
                weight: style.weight, opacity: style.opacity, dashArray: style.dashArray, lineCap: style.lineCap,
              });
            } else if (item.kind !== undefined && layer instanceof L.Polygon) {
              layer.setStyle({ fillOpacity: styleFor(item).opacity });
            } else if (item.kind === undefined) {
              layer.setStyle({ dashArray: item.status === "claimed" || item.planned ? "5 4" : null });
            }
          });
          if (entry[2] && item.visible) entry[2].setContent(escapeHtml(itemLabel(model, item)));
          if (item.kind === undefined && item.visible && entry[1][0].getTooltip()) {
            entry[1][0].setTooltipContent(stationText(item));
          }
        });
        placeHeads();
      },
    };
  }

  /* ---- large maps: every flow on one canvas ----------------------------------------------- */

  /* For canvases that are costly to redraw: Leaflet redraws a canvas after every move; these
   * redraw only when the view has left the area already drawn (the canvas is drawn half a
   * screen beyond the view on every side) or the zoom has changed. Panning about then costs
   * nothing. */
  var DrawOnlyWhenNeeded = {
    _update: function () {
      var map = this._map;
      if (map._animatingZoom && this._bounds) return;
      if (this._covers()) return;
      var drawn = this._drawnAt;
      if (this._redrawInSteps && this._slow && drawn && drawn.zoom === map.getZoom() &&
        drawn.origin.equals(map.getPixelOrigin())) {
        this._redrawInSteps();
        return;
      }
      if (this._cancelSteps) this._cancelSteps();
      var start = performance.now();
      L.Canvas.prototype._update.call(this);
      this._slow = performance.now() - start > STEP_MS;
      this._drawnAt = { zoom: map.getZoom(), origin: map.getPixelOrigin() };
    },

    _covers: function () {
      var drawn = this._drawnAt, map = this._map;
      if (!drawn || !this._bounds || drawn.zoom !== map.getZoom() || !drawn.origin.equals(map.getPixelOrigin())) return false;
      var min = map.containerPointToLayerPoint([0, 0]);
      return this._bounds.contains(L.bounds(min, min.add(map.getSize())));
    },
  };

  /* A Leaflet canvas renderer that draws the flows itself instead of holding one layer per
   * flow: Leaflet still sizes, moves and zooms the canvas; drawing all flows takes one pass
   * over typed arrays, and a click finds the flow under the pointer. */
  var FlowCanvas = L.Canvas.extend({
    includes: DrawOnlyWhenNeeded,

    initialize: function (model, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._model = model;
      this._hidden = {};
      this._places = [];
      this._showPlaces = true;
      this._prepare();
    },

    getEvents: function () {
      var events = L.Canvas.prototype.getEvents.call(this);
      events.zoomstart = this._cancelSteps;
      return events;
    },

    onRemove: function () {
      this._cancelSteps();
      L.Canvas.prototype.onRemove.call(this);
    },

    /* Each flow's curve in zoom-0 pixels (quadratic pieces) with its bounding box, once. */
    _prepare: function () {
      var flows = this._model.flows, count = flows.length;
      var offsets = new Int32Array(count + 1), boxes = new Float64Array(count * 4);
      for (var i = 0; i < count; i++) {
        offsets[i + 1] = offsets[i] + geometry.piecesSize(flows[i].from, flows[i].to);
      }
      var c = new Float64Array(offsets[count]), means = new Map();
      for (i = 0; i < count; i++) {
        var flow = flows[i], samples = flow.kind === BRANCH ? 24 : 48;
        var route = flow.route * 2 + (samples === 24 ? 1 : 0), mean = means.get(route);
        if (mean === undefined) { // flows of one route share their great circle
          mean = geometry.meanLatitude(flow.from, flow.to, samples);
          means.set(route, mean);
        }
        var start = offsets[i], end = start + geometry.pieces(flow.from, flow.to, flow.bend, c, start, samples, mean);
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (var j = start; j < end; j += 2) {
          if (c[j] < x0) x0 = c[j];
          if (c[j] > x1) x1 = c[j];
          if (c[j + 1] < y0) y0 = c[j + 1];
          if (c[j + 1] > y1) y1 = c[j + 1];
        }
        boxes[4 * i] = x0; boxes[4 * i + 1] = y0; boxes[4 * i + 2] = x1; boxes[4 * i + 3] = y1;
      }
      this._coords = c;
      this._offsets = offsets;
      this._boxes = boxes;
      this.refresh();
    },

    /* After the flows' widths changed (a filter): their looks and the drawing order. Widest
     * first, so thin flows stay visible on top; flows that look alike next to each other, so
     * that they are stroked together. */
    refresh: function () {
      var flows = this._model.flows;
      var looks = this._looks = flows.map(function (flow) {
        var style = styleFor(flow), width = Math.round(flow.width * 2) / 2;
        return {
          key: style.color + "|" + width + "|" + style.opacity + "|" + style.dashArray,
          color: style.color, alpha: style.opacity, width: width, cap: style.lineCap,
          dash: style.dashArray ? style.dashArray.split(" ").map(Number) : [],
        };
      });
      this._order = flows.map(function (f) { return f.index; }).sort(function (a, b) {
        var la = looks[a], lb = looks[b];
        if (la.width !== lb.width) return lb.width - la.width;
        if (la.key !== lb.key) return la.key < lb.key ? -1 : 1;
        return a - b;
      });
      if (this._map) this._redraw();
    },

    setPlaces: function (points, shown) {
      this._places = points.map(geometry.project);
      this._showPlaces = shown;
      if (this._map) this._redraw();
    },

    showActor: function (actor, shown) {
      if (!this._hidden[actor] === shown) return;
      this._hidden[actor] = !shown;
      if (this._map) this._redraw();
    },

    _shown: function (item) {
      return item.visible > 0 && !this._hidden[item.actor];
    },

    /* Whether a flow (a stationed force) was drawn faint: past the budget of the view. */
    _faint: function (flow) {
      return !!this._faintFlows && this._faintFlows[flow.index] === 1;
    },

    _faintStation: function (station) {
      return !!this._faintStations && this._faintStations[station.index] === 1;
    },

    _view: function () {
      var map = this._map;
      var k = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
      return { k: k, ox: origin.x, oy: origin.y };
    },

    _draw: function () {
      var steps = this._plan(this._ctx);
      for (var i = 0; i < steps.length; i++) steps[i]();
    },

    /* The drawing of the flows in view, as a list of steps that each draw a share of them:
     * drawn all at once by _draw, or a few per frame by _redrawInSteps. */
    _plan: function (ctx) {
      var view = this._view(), b = this._bounds, model = this._model, self = this;
      if (!b) return [];
      var margin = 30;
      var west = (b.min.x + view.ox - margin) / view.k, east = (b.max.x + view.ox + margin) / view.k;
      var north = (b.min.y + view.oy - margin) / view.k, south = (b.max.y + view.oy + margin) / view.k;
      var flows = model.flows, order = this._order, boxes = this._boxes, looks = this._looks;
      var full = [], faint = [], heads = [], i, n;
      // Where more flows are in view than the budget the legend states, the largest (first in
      // the drawing order) are drawn in full, the others faint.
      var budget = model.data.fade ? model.data.fade.flows || Infinity : Infinity;
      var flags = this._faintFlows = new Uint8Array(flows.length);
      for (n = 0; n < order.length; n++) {
        i = order[n];
        if (!this._shown(flows[i])) continue;
        if (boxes[4 * i] > east || boxes[4 * i + 2] < west || boxes[4 * i + 1] > south || boxes[4 * i + 3] < north) continue;
        if (full.length < budget) {
          full.push(i);
        } else {
          faint.push(i);
          flags[i] = 1;
        }
      }
      this._faintStations = this._stationBudget(model, view, b, margin);
      // Faint flows first, underneath: one-pixel lines, which a canvas draws many times faster.
      faint.sort(function (x, y) { return flows[x].actor - flows[y].actor || x - y; });
      var steps = [];
      chunks(faint, FAINT_STEP).forEach(function (part) {
        steps.push(function () {
          var key = null;
          ctx.save();
          ctx.lineWidth = 1;
          ctx.lineCap = "butt";
          ctx.globalAlpha = 0.1;
          part.forEach(function (f) {
            if (flows[f].colour !== key) {
              if (key !== null) ctx.stroke();
              key = flows[f].colour;
              ctx.beginPath();
              ctx.strokeStyle = key;
            }
            self._trace(ctx, f, view, 0);
          });
          if (key !== null) ctx.stroke();
          ctx.restore();
        });
      });
      chunks(full, FULL_STEP).forEach(function (part) {
        steps.push(function () {
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
            var head = self._trace(ctx, f, view, flows[f].kind !== TRUNK ? flows[f].width : 0);
            if (head) heads.push(head);
          });
          if (key !== null) ctx.stroke();
          ctx.restore();
        });
      });
      steps.push(function () {
        ctx.save();
        self._drawHeads(ctx, heads);
        self._drawStations(ctx, view);
        self._drawPlaces(ctx, view);
        ctx.restore();
      });
      return steps;
    },

    /* A redraw at the same zoom (the reader panned past what was drawn), spread over frames so
     * that the map keeps moving: the new drawing goes on a canvas under the old one, which
     * stays until the new one is complete. */
    _redrawInSteps: function () {
      var before = { bounds: this._bounds, center: this._center, zoom: this._zoom };
      this._cancelSteps();
      L.Renderer.prototype._update.call(this); // the new bounds, centre and zoom
      var b = this._bounds, size = b.getSize(), retina = L.Browser.retina ? 2 : 1;
      var canvas = document.createElement("canvas");
      canvas.width = retina * size.x;
      canvas.height = retina * size.y;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      if (this._zoomAnimated) L.DomUtil.addClass(canvas, "leaflet-zoom-animated");
      L.DomUtil.setPosition(canvas, b.min);
      this.getPane().insertBefore(canvas, this._container);
      var ctx = canvas.getContext("2d");
      if (retina === 2) ctx.scale(2, 2);
      ctx.translate(-b.min.x, -b.min.y);
      var steps = this._plan(ctx), next = 0, self = this;
      var job = this._job = { canvas: canvas, before: before, frame: null };
      function work() {
        if (self._job !== job) return;
        var start = performance.now();
        while (next < steps.length && (next === 0 || performance.now() - start < STEP_MS)) steps[next++]();
        if (next < steps.length) {
          job.frame = L.Util.requestAnimFrame(work);
          return;
        }
        self._job = null;
        self._useCanvas(canvas, ctx);
      }
      job.frame = L.Util.requestAnimFrame(work);
    },

    /* Stops a redraw in steps (a zoom began, say) and forgets its canvas. */
    _cancelSteps: function () {
      var job = this._job;
      if (!job) return;
      this._job = null;
      L.Util.cancelAnimFrame(job.frame);
      L.DomUtil.remove(job.canvas);
      this._bounds = job.before.bounds;
      this._center = job.before.center;
      this._zoom = job.before.zoom;
    },

    /* The finished canvas replaces the old one, with the old one's pointer handling. */
    _useCanvas: function (canvas, ctx) {
      var old = this._container;
      L.DomEvent.off(old);
      L.DomUtil.remove(old);
      this._container = canvas;
      this._ctx = ctx;
      L.DomEvent.on(canvas, "mousemove", this._onMouseMove, this);
      L.DomEvent.on(canvas, "click dblclick mousedown mouseup contextmenu", this._onClick, this);
      L.DomEvent.on(canvas, "mouseout", this._handleMouseOut, this);
      canvas._leaflet_disable_events = true;
      this._drawnAt = { zoom: this._map.getZoom(), origin: this._map.getPixelOrigin() };
    },

    /* Adds flow i's curve to the current path, in layer pixels, stopping short of its arrowhead;
     * returns the arrowhead to fill (or null). */
    _trace: function (ctx, i, view, headWidth) {
      var c = this._coords, start = this._offsets[i], end = this._offsets[i + 1];
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
      return {
        flow: this._model.flows[i], x: tx, y: ty,
        lx: baseX - uy * half, ly: baseY + ux * half, rx: baseX + uy * half, ry: baseY - ux * half,
      };
    },

    _drawHeads: function (ctx, heads) {
      ctx.setLineDash([]);
      var key = null;
      heads.sort(function (a, b) {
        return a.flow.colour < b.flow.colour ? -1 : a.flow.colour > b.flow.colour ? 1 : a.flow.index - b.flow.index;
      });
      heads.forEach(function (h) {
        var alpha = h.flow.faded ? 0.35 : 0.9;
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
    },

    /* Which stationed forces in view are drawn faint: past the budget, the smaller ones. */
    _stationBudget: function (model, view, b, margin) {
      var budget = model.data.fade ? model.data.fade.stations || Infinity : Infinity;
      var stations = model.stations, flags = new Uint8Array(stations.length), strong = 0;
      if (!this._stationOrder) {
        this._stationOrder = stations.map(function (s) { return s.index; }).sort(function (x, y) {
          return stations[y].troops - stations[x].troops || x - y;
        });
      }
      this._stationOrder.forEach(function (index) {
        var station = stations[index], p = geometry.project(station.at);
        var x = p[0] * view.k - view.ox, y = p[1] * view.k - view.oy;
        if (!this._shown(station) || x < b.min.x - margin || x > b.max.x + margin ||
          y < b.min.y - margin || y > b.max.y + margin) return;
        if (strong < budget) strong++; else flags[index] = 1;
      }, this);
      return flags;
    },

    /* Stationed forces, a path per look: the circles' fills, then their rims (none for faint
     * ones). */
    _drawStations: function (ctx, view) {
      var model = this._model, groups = {};
      model.stations.forEach(function (station) {
        if (!this._shown(station)) return;
        var faint = this._faintStation(station);
        var key = (faint ? "0" : "1") + station.colour + (station.status === "claimed" || station.planned ? "|dashed" : "");
        (groups[key] = groups[key] || []).push(station);
      }, this);
      Object.keys(groups).sort().forEach(function (key) {
        var members = groups[key], colour = members[0].colour, faint = key.charAt(0) === "0";
        ctx.beginPath();
        members.forEach(function (station) {
          var p = geometry.project(station.at), r = radiusOf(model, station);
          var x = p[0] * view.k - view.ox, y = p[1] * view.k - view.oy;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        });
        ctx.globalAlpha = faint ? 0.1 : 0.28;
        ctx.fillStyle = colour;
        ctx.fill();
        if (faint) return;
        ctx.globalAlpha = 1;
        ctx.lineWidth = 2;
        ctx.strokeStyle = colour;
        ctx.setLineDash(key.indexOf("|dashed") >= 0 ? [5, 4] : []);
        ctx.stroke();
      });
    },

    _drawPlaces: function (ctx, view) {
      if (!this._showPlaces || !this._places.length) return;
      var many = this._places.length > 80, radius = many ? 1.5 : 3;
      ctx.beginPath();
      this._places.forEach(function (p) {
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
    },

    /* The flow or stationed force under a layer point, topmost first; null if none. */
    _hit: function (point) {
      var model = this._model, view = this._view();
      var x = point.x + view.ox, y = point.y + view.oy; // zoom-k world pixels
      for (var s = model.stations.length - 1; s >= 0; s--) {
        var station = model.stations[s];
        if (!this._shown(station)) continue;
        var p = geometry.project(station.at);
        if (Math.hypot(p[0] * view.k - x, p[1] * view.k - y) <= radiusOf(model, station) + 2) return station;
      }
      var c = this._coords, boxes = this._boxes, order = this._order, flows = model.flows;
      var tolerance = 10 / view.k, X = x / view.k, Y = y / view.k;
      // Flows drawn in full first (topmost first), then the faint ones under them.
      for (var pass = 0; pass < 2; pass++) {
        for (var n = order.length - 1; n >= 0; n--) {
          var i = order[n], flow = flows[i], faint = this._faint(flow);
          if (faint !== (pass === 1) || !this._shown(flow)) continue;
          if (X < boxes[4 * i] - tolerance || X > boxes[4 * i + 2] + tolerance ||
            Y < boxes[4 * i + 1] - tolerance || Y > boxes[4 * i + 3] + tolerance) continue;
          var reach = (faint ? 0.5 : flow.width / 2) + 3;
          for (var j = this._offsets[i]; j + 4 < this._offsets[i + 1]; j += 4) {
            if (nearQuadratic(c, j, view.k, x, y, reach)) return flow;
          }
        }
      }
      return null;
    },

    _onClick: function (e) {
      var map = this._map;
      var found = e.type === "click" && !map._draggableMoved(map) ? this._hit(map.mouseEventToLayerPoint(e)) : null;
      map._fireDOMEvent(e, e.type); // the map's own handling: close popups, zoom on dblclick...
      if (found) {
        var model = this._model;
        L.popup(POPUP_OPTIONS).setLatLng(map.mouseEventToLatLng(e)).setContent(popupFor(model, found)).openOn(map);
      }
    },

    _onMouseMove: function (e) {
      var map = this._map;
      if (!map || map.dragging.moving() || map._animatingZoom) return;
      if (!this._mouseHoverThrottled) {
        var found = this._hit(map.mouseEventToLayerPoint(e));
        L.DomUtil[found ? "addClass" : "removeClass"](this._container, "leaflet-interactive");
        this._mouseHoverThrottled = true;
        var self = this;
        setTimeout(function () { self._mouseHoverThrottled = false; }, 32);
      }
      map._fireDOMEvent(e, e.type);
    },

    _handleMouseOut: function (e) {
      L.DomUtil.removeClass(this._container, "leaflet-interactive");
      if (this._map) this._map._fireDOMEvent(e, e.type);
    },
  });

  /* Whether the quadratic piece at c[j..j+5] (zoom-0 pixels) passes within `reach` pixels of
   * (x, y) (pixels at scale k), checked on 12 chords. */
  function nearQuadratic(c, j, k, x, y, reach) {
    var px = c[j] * k, py = c[j + 1] * k, cx = c[j + 2] * k, cy = c[j + 3] * k, qx = c[j + 4] * k, qy = c[j + 5] * k;
    var lx = px, ly = py;
    for (var s = 1; s <= 12; s++) {
      var t = s / 12, u = 1 - t;
      var nx = u * u * px + 2 * u * t * cx + t * t * qx, ny = u * u * py + 2 * u * t * cy + t * t * qy;
      var dx = nx - lx, dy = ny - ly, len = dx * dx + dy * dy;
      var h = len ? Math.max(0, Math.min(1, ((x - lx) * dx + (y - ly) * dy) / len)) : 0;
      if (Math.hypot(lx + h * dx - x, ly + h * dy - y) <= reach) return true;
      lx = nx; ly = ny;
    }
    return false;
  }

  /* The layer control's entry for one actor on a canvas map: its flows are on the canvas, the
   * rest (unit symbols, say) in the group itself. */
  var ActorGroup = L.FeatureGroup.extend({
    initialize: function (canvas, actor) {
      L.FeatureGroup.prototype.initialize.call(this);
      this._canvas = canvas;
      this._actor = actor;
    },
    onAdd: function (map) {
      this._canvas.showActor(this._actor, true);
      L.FeatureGroup.prototype.onAdd.call(this, map);
    },
    onRemove: function (map) {
      this._canvas.showActor(this._actor, false);
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },
  });

  /* The layer control's entry for the places when they are drawn on the canvas. */
  var PlacesSwitch = L.Layer.extend({
    initialize: function (canvas, points) { this._canvas = canvas; this._points = points; },
    onAdd: function () { this._canvas.setPlaces(this._points, true); },
    onRemove: function () { this._canvas.setPlaces(this._points, false); },
  });

  function canvasPainter(map, model) {
    var canvas = new FlowCanvas(model, { padding: 0.5 });
    var places = [];
    return {
      canvas: canvas,
      flow: function () {}, // the canvas draws every flow in one pass
      station: function () {},
      place: function (at) { places.push(at); },
      places: function () { return new PlacesSwitch(canvas, places); },
      finish: function () { canvas.addTo(map); },
      refresh: function () { canvas.refresh(); },
      groups: model.data.actors.map(function (actor, i) { return new ActorGroup(canvas, i); }),
    };
  }

  /* ---- the map ---------------------------------------------------------------------------- */

  function draw(map, data) {
    var state = model(data);
    var groups, painter;
    if (data.canvas) { // decided with the legend (geo/render/pagedata.py)
      painter = canvasPainter(map, state);
      groups = painter.groups;
    } else {
      groups = data.actors.map(function () { return L.featureGroup(); });
      painter = vectorPainter(map, state, groups);
    }
    if (data.view) frame(map, data.view);

    state.flows.forEach(function (flow) { painter.flow(flow); });
    state.stations.forEach(function (station) { painter.station(station); });
    var p = data.places, labelPlaces = p.name.length <= PLACE_LABEL_LIMIT;
    p.name.forEach(function (name, i) {
      if (p.country[i]) return; // a country is marked by its name on the map
      painter.place(point(data, p.at[i]), labelPlaces && p.label[i] ? data.texts[name] : "");
    });
    var places = painter.places();

    map.createPane("tm-country-labels").style.zIndex = 350;
    (data.countries || []).forEach(function (c) {
      L.marker([c.lat, c.lon], {
        pane: "tm-country-labels", interactive: false, keyboard: false,
        icon: L.divIcon({
          className: "tm-country-label" + (c.big ? " tm-big" : "") + (c.involved ? " tm-involved" : ""),
          iconSize: null,
          html: "<span>" + escapeHtml(c.name) + "</span>",
        }),
      }).addTo(map);
    });

    var overlays = {};
    painter.finish();
    groups.forEach(function (group, i) {
      group.addTo(map);
      var actor = data.actors[i];
      overlays['<span class="tm-swatch" style="background:' + actor.colour + '"></span>' +
        escapeHtml(actor.name)] = group;
    });
    places.addTo(map);
    overlays["Places"] = places;
    // Collapsed to a button; where the map is large the page's style shows it open.
    L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);

    var view = makeView(map, state, painter, groups);
    view.frame = function (extra) { return data.view ? frame(map, data.view, extra) : false; };
    window.troopmap.views.push(view);
    hooks.forEach(function (hook) { hook(view); });
    map.getContainer().setAttribute("data-tm-drawn", String(state.flows.length));
    return view;
  }

  /* ---- the first view ------------------------------------------------------------------- */

  /* Frame the focus of the map (view.bounds, made by geo/render/html.py) with room for its
   * labels at whatever size the map is: each side keeps a share of the box (view.margin:
   * top, right, bottom, left), more where a panel lies over the map (panelRoom), and never so
   * much that the margins of an axis take more than view.maxMargin of it. A tiny focus opens
   * at view.maxZoom at most. `extra` (pixels per side) widens the margins where labels stick
   * out. Returns false when the map has no size yet (nothing is framed). */
  function frame(map, view, extra) {
    var size = map.getSize();
    if (size.x < 1 || size.y < 1) {
      map.setView(L.latLngBounds(view.bounds).getCenter(), 3, { animate: false });
      return false;
    }
    var share = view.margin, room = panelRoom(map);
    extra = extra || { top: 0, right: 0, bottom: 0, left: 0 };
    var top = Math.max(room.top, share[0] * size.y) + extra.top;
    var right = Math.max(room.right, share[1] * size.x) + extra.right;
    var bottom = Math.max(room.bottom, share[2] * size.y) + extra.bottom;
    var left = Math.max(room.left, share[3] * size.x) + extra.left;
    var across = Math.min(1, view.maxMargin * size.x / (left + right || 1));
    var down = Math.min(1, view.maxMargin * size.y / (top + bottom || 1));
    map.fitBounds(view.bounds, {
      paddingTopLeft: [left * across, top * down],
      paddingBottomRight: [right * across, bottom * down],
      maxZoom: view.maxZoom,
      animate: false,
    });
    return true;
  }

  /* How far the panels lying over the map (the layer and zoom controls, an open key) reach in
   * from each side, in pixels: each panel counts on the side where it takes the smaller share
   * of the map. */
  function panelRoom(map) {
    var container = map.getContainer(), box = container.getBoundingClientRect();
    var room = { top: 0, right: 0, bottom: 0, left: 0 };
    panelsOver(map).forEach(function (panel) {
      var r = panel.getBoundingClientRect();
      var fromLeft = r.right - box.left, fromRight = box.right - r.left;
      var fromTop = r.bottom - box.top, fromBottom = box.bottom - r.top;
      var side = Math.min(fromLeft, fromRight) / box.width <= Math.min(fromTop, fromBottom) / box.height
        ? (fromLeft <= fromRight ? "left" : "right") : (fromTop <= fromBottom ? "top" : "bottom");
      var reach = { left: fromLeft, right: fromRight, top: fromTop, bottom: fromBottom }[side];
      room[side] = Math.max(room[side], reach + 8);
    });
    return room;
  }

  /* The element of the map whose script is running: inside its own fragment when the map was
   * pasted into a page as one (the same fragment may be there twice, ids and all). */
  function container(id) {
    var script = document.currentScript;
    var root = script && script.closest ? script.closest(".tm-embed") : null;
    return (root && root.querySelector(".folium-map")) || document.getElementById(id);
  }

  /* The root of a map: the fragment it was pasted as, or the page. */
  function rootOf(map) {
    var container = map.getContainer();
    return (container.closest && container.closest(".tm-embed")) || document.body;
  }

  /* The panels and controls shown over the map (not those beside it), in the map's own root. */
  function panelsOver(map) {
    var container = map.getContainer(), box = container.getBoundingClientRect();
    var found = Array.prototype.slice.call(container.querySelectorAll(".leaflet-control"));
    found = found.concat(Array.prototype.slice.call(rootOf(map).querySelectorAll(".tm-legend, .tm-title, .tm-dock")));
    return found.filter(function (panel) {
      var r = panel.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left < box.right && r.right > box.left &&
        r.top < box.bottom && r.bottom > box.top;
    });
  }

  /* What extensions (timeline, unit symbols, keyboard navigation) may do with a drawn map,
   * without knowing how it was drawn: read a movement, add layers to it, show only some
   * movements, open a movement's popup. */
  function makeView(map, state, painter, groups) {
    var data = state.data, movements = state.movements, count = movements.count;
    var shown = new Uint8Array(count).fill(1);
    var extras = []; // extras[i]: layers added to movement i by an extension
    var dock = null;
    var anchors = null; // anchors[i]: the flow or station that draws movement i

    function flowsShown() {
      return state.flows.filter(function (flow) { return flow.visible > 0; }).length;
    }

    function anchorOf(i) {
      if (!anchors) {
        anchors = new Array(count);
        state.stations.concat(state.flows).forEach(function (item) {
          for (var j = item.m; j < item.m + item.k; j++) anchors[j] = item;
        });
      }
      return anchors[i];
    }

    var view = {
      map: map,
      data: data,
      model: state,
      canvas: painter.canvas || null,
      count: count,
      movement: function (i) { return movements.get(i); },
      /* The panel (bottom left, before the map in the tab order) that holds the controls. */
      dock: function () {
        if (!dock) {
          dock = el("section", "tm-dock");
          dock.setAttribute("aria-label", "Map controls");
          map.getContainer().parentNode.insertBefore(dock, map.getContainer());
        }
        return dock;
      },
      add: function (i, layer) {
        (extras[i] = extras[i] || []).push(layer);
        if (shown[i]) layer.addTo(groups[movements.actor[i]]);
      },
      /* Show only the movements for which keep(i) is true: each flow is as wide as its visible
       * movements' total; a flow with none is hidden. planned(i), if given, says which are
       * drawn as planned. */
      show: function (keep, planned) {
        var all = true;
        for (var i = 0; i < count; i++) {
          var visible = keep(i) ? 1 : 0;
          all = all && visible === 1;
          if (visible !== shown[i] && extras[i]) {
            var group = groups[movements.actor[i]];
            extras[i].forEach(function (layer) {
              if (visible) group.addLayer(layer); else group.removeLayer(layer);
            });
          }
          shown[i] = visible;
        }
        state.filter = all ? null : function (j) { return shown[j] === 1; };
        state.planned = planned || null;
        measure(state);
        painter.refresh();
        map.closePopup();
        map.getContainer().setAttribute("data-tm-shown", String(flowsShown()));
        map.fire("troopmapshow"); // labels.js places the labels again
      },
      isShown: function (i) { return shown[i] === 1 && map.hasLayer(groups[movements.actor[i]]); },
      /* Open movement i's popup where it is drawn; options may widen the popup's pan padding
       * (autoPanPadding...). */
      openPopup: function (i, options) {
        var item = anchorOf(i);
        if (!item || !view.isShown(i)) return false;
        var at = item.at || labelPoint(curveOf(item), item.kind);
        L.popup(L.Util.extend({}, POPUP_OPTIONS, options || {}))
          .setLatLng(toLatLng(at)).setContent(movementPopup(movements.get(i), item.place)).openOn(map);
        return true;
      },
    };
    map.getContainer().setAttribute("data-tm-shown", String(flowsShown()));
    return view;
  }

  /* ---- the basemap ------------------------------------------------------------------------- */

  /* The country shapes on a canvas of their own, under everything else: their outlines are
   * decoded and projected once (zoom-0 pixels); each redraw only scales and fills them. */
  var CountryCanvas = L.Canvas.extend({
    includes: DrawOnlyWhenNeeded,

    initialize: function (data, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._countries = decodeCountries(data);
    },

    /* The countries on the canvas (most of the world is off it), drawn a part at a time, each
     * part in a task and a frame of its own: painting the whole canvas at once, on a phone's
     * screen, was the page's longest task. A new draw (the map moved) stops the parts of the
     * one before. */
    _draw: function () {
      var map = this._map, ctx = this._ctx, self = this;
      if (!this._bounds) return;
      var k = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
      var c = this._countries, coords = c.coords, box = c.boxes, b = this._bounds;
      var shown = [], areas = [];
      for (var i = 0; i < c.fill.length; i++) {
        var w = Math.min(box[4 * i + 2] * k - origin.x, b.max.x) - Math.max(box[4 * i] * k - origin.x, b.min.x);
        var h = Math.min(box[4 * i + 3] * k - origin.y, b.max.y) - Math.max(box[4 * i + 1] * k - origin.y, b.min.y);
        if (w < 0 || h < 0) continue;
        shown.push(i);
        areas.push(w * h);
      }
      var drawing = this._drawing = {};
      var perTask = (b.max.x - b.min.x) * (b.max.y - b.min.y) * COUNTRY_AREA_PER_TASK;
      this._container.removeAttribute("data-tm-countries-drawn");

      function country(i) {
        ctx.beginPath();
        for (var r = c.countryRings[i]; r < c.countryRings[i + 1]; r++) {
          var start = c.rings[r], end = c.rings[r + 1];
          ctx.moveTo(coords[start] * k - origin.x, coords[start + 1] * k - origin.y);
          for (var j = start + 2; j < end; j += 2) ctx.lineTo(coords[j] * k - origin.x, coords[j + 1] * k - origin.y);
          ctx.closePath();
        }
        ctx.fillStyle = c.fill[i];
        ctx.fill("evenodd");
        ctx.strokeStyle = c.involved[i] ? "#8c8c8c" : "#b5b5b5";
        // Half a pixel: one pixel of a retina canvas, which the browser strokes as a fine line,
        // many times faster than a wider one (the outlines of the world were most of the
        // canvas's drawing time).
        ctx.lineWidth = c.involved[i] ? 1 : 0.5;
        ctx.stroke();
      }

      function part(from) {
        if (self._drawing !== drawing || !self._map) return;
        var at = from, area = 0;
        ctx.save();
        ctx.lineJoin = "round";
        while (at < shown.length && (at === from || area + areas[at] <= perTask)) {
          area += areas[at];
          country(shown[at++]);
        }
        ctx.restore();
        // The next part after the browser has painted this one, so that each frame's painting
        // of the canvas is only a part too.
        if (at < shown.length) requestAnimationFrame(function () { setTimeout(function () { part(at); }); });
        else self._container.setAttribute("data-tm-countries-drawn", "");
      }
      part(0);
    },

    // Nothing on the basemap answers the pointer: let the map have every event.
    _onClick: function (e) { if (this._map) this._map._fireDOMEvent(e, e.type); },
    _onMouseMove: function (e) { if (this._map) this._map._fireDOMEvent(e, e.type); },
    _handleMouseOut: function (e) { if (this._map) this._map._fireDOMEvent(e, e.type); },
  });

  /* The shapes (rings in the Encoded Polyline Algorithm Format, lat then lon) → one array of
   * zoom-0 pixel coordinates, with where each ring and each country's rings begin, and each
   * country's box (min x, min y, max x, max y). */
  function decodeCountries(data) {
    var factor = Math.pow(10, data.digits), total = 0;
    data.shapes.forEach(function (shape) { total += shape.length; });
    var coords = new Float64Array(total * 2), rings = [0], countryRings = [0], at = 0;
    var boxes = new Float64Array(data.shapes.length * 4);
    data.shapes.forEach(function (shape, country) {
      var first = at;
      shape.split(/[; ]/).forEach(function (ring) {
        if (!ring) return;
        var lat = 0, lon = 0, i = 0;
        while (i < ring.length) {
          for (var axis = 0; axis < 2; axis++) {
            var shift = 0, value = 0, byte;
            do {
              byte = ring.charCodeAt(i++) - 63;
              value |= (byte & 0x1f) << shift;
              shift += 5;
            } while (byte >= 0x20);
            var delta = value & 1 ? ~(value >> 1) : value >> 1;
            if (axis === 0) lat += delta; else lon += delta;
          }
          var p = geometry.project([lon / factor, lat / factor]);
          coords[at++] = p[0];
          coords[at++] = p[1];
        }
        rings.push(at);
      });
      countryRings.push(rings.length - 1);
      boxes.set([Infinity, Infinity, -Infinity, -Infinity], 4 * country);
      for (var j = first; j < at; j += 2) {
        boxes[4 * country] = Math.min(boxes[4 * country], coords[j]);
        boxes[4 * country + 1] = Math.min(boxes[4 * country + 1], coords[j + 1]);
        boxes[4 * country + 2] = Math.max(boxes[4 * country + 2], coords[j]);
        boxes[4 * country + 3] = Math.max(boxes[4 * country + 3], coords[j + 1]);
      }
    });
    return {
      coords: coords.subarray(0, at), rings: rings, countryRings: countryRings, boxes: boxes,
      fill: data.fill.map(function (f) { return data.fills[f]; }),
      involved: data.involved,
    };
  }

  /* The country shapes, tinted by their part in the movements, under everything else. */
  function countries(map, data) {
    // Leaflet's own padding (a tenth of the map on each side), not the flows' half: the land
    // fills every pixel of this canvas, twice the map's size on each axis on a phone's screen,
    // and filling five times the map's area made the page's longest task.
    var canvas = new CountryCanvas(data, { pane: "tm-countries", padding: 0.1 });
    // Decoded in this task, drawn in the next: two short tasks, not one long one.
    setTimeout(function () { canvas.addTo(map); });
  }

  var hooks = [];
  /* An extension registers a function called with the view of every map drawn after it. */
  function extend(hook) { hooks.push(hook); }

  // A page may load this script more than once (the same fragment pasted twice): the maps
  // already drawn stay listed.
  var drawnBefore = (window.troopmap && window.troopmap.views) || [];
  window.troopmap = {
    draw: draw, countries: countries, extend: extend, escapeHtml: escapeHtml, el: el,
    geometry: geometry, views: drawnBefore, rootOf: rootOf, container: container, panelsOver: panelsOver, panelRoom: panelRoom,
  };
})();
