/* troopmap canvas: large maps draw every flow on one canvas (FlowCanvas), which draws tens of
 * thousands of flows in a frame and finds the flow under the pointer itself. */

import * as geometry from "./geometry.js";
import { chunks } from "./dom.js";
import { styleFor, radiusOf } from "./model.js";
import { POPUP_OPTIONS, popupFor } from "./popups.js";
import { DrawOnlyWhenNeeded, STEP_MS, fireDOMEvent, draggableMoved, animatingZoom, updateRenderer } from "./leaflet.js";

var FAINT_STEP = 1500, FULL_STEP = 300; // flows drawn per step of a redraw spread over frames

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

  /* Each flow's curve in zoom-0 pixels (quadratic pieces) with its bounding box, once. Flows
   * of one route and bend (of different actors or statuses) share one curve: flow i's pieces
   * are _coords[_starts[i] .. _ends[i]). */
  _prepare: function () {
    var flows = this._model.flows, count = flows.length;
    var starts = new Int32Array(count), ends = new Int32Array(count), boxes = new Float64Array(count * 4);
    var curves = new Map(), owners = [], size = 0, i, flow, samples;
    for (i = 0; i < count; i++) {
      flow = flows[i];
      samples = flow.kind === "branch" ? 24 : 48;
      var route = flow.route * 2 + (samples === 24 ? 1 : 0), bends = curves.get(route);
      if (bends === undefined) curves.set(route, bends = new Map());
      var owner = bends.get(flow.bend);
      if (owner === undefined) {
        bends.set(flow.bend, owner = i);
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
      samples = flow.kind === "branch" ? 24 : 48;
      route = flow.route * 2 + (samples === 24 ? 1 : 0);
      var mean = means.get(route);
      if (mean === undefined) { // flows of one route share their great circle
        mean = geometry.meanLatitude(flow.from, flow.to, samples);
        means.set(route, mean);
      }
      geometry.pieces(flow.from, flow.to, flow.bend, c, starts[i], samples, mean);
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (var j = starts[i]; j < ends[i]; j += 2) {
        if (c[j] < x0) x0 = c[j];
        if (c[j] > x1) x1 = c[j];
        if (c[j + 1] < y0) y0 = c[j + 1];
        if (c[j + 1] > y1) y1 = c[j + 1];
      }
      boxes[4 * i] = x0; boxes[4 * i + 1] = y0; boxes[4 * i + 2] = x1; boxes[4 * i + 3] = y1;
    }
    for (i = 0; i < count; i++) {
      if (starts[i] >= 0) continue;
      var of = -1 - starts[i];
      starts[i] = starts[of];
      ends[i] = ends[of];
      for (var b = 0; b < 4; b++) boxes[4 * i + b] = boxes[4 * of + b];
    }
    this._coords = c;
    this._starts = starts;
    this._ends = ends;
    this._boxes = boxes;
    this.refresh();
  },

  /* After the flows' widths changed (a filter): their looks and the drawing order. Widest
   * first, so thin flows stay visible on top; flows that look alike next to each other, so
   * that they are stroked together. */
  refresh: function () {
    var flows = this._model.flows;
    var kept = new Map(); // flows that look alike share one look
    var looks = this._looks = flows.map(function (flow) {
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
    this._order = flows.map(function (f) { return f.index; }).sort(function (a, b) {
      var la = looks[a], lb = looks[b];
      if (la.width !== lb.width) return lb.width - la.width;
      return la.rank - lb.rank || a - b;
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
    // Faint flows first, underneath: one-pixel lines, which a canvas draws many times faster;
    // by actor (a stroke per colour), each actor's in the order of the flows.
    faint = byActor(faint, flows, model.data.actors.length);
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
          var head = self._trace(ctx, f, view, flows[f].kind !== "trunk" ? flows[f].width : 0);
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
    updateRenderer(this); // the new bounds, centre and zoom
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
    var steps = null, next = 0, self = this;
    var job = this._job = { canvas: canvas, before: before, frame: null };
    function work() { // the plan in the first frame, then as many steps as a frame allows
      if (self._job !== job) return;
      var start = performance.now();
      if (steps === null) steps = self._plan(ctx);
      while (next < steps.length && performance.now() - start < STEP_MS) steps[next++]();
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
    var c = this._coords, start = this._starts[i], end = this._ends[i];
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
      ctx.globalAlpha = faint ? 0.1 : model.data.legend.style.opacity.fill;
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
        for (var j = this._starts[i]; j + 4 < this._ends[i]; j += 4) {
          if (nearQuadratic(c, j, view.k, x, y, reach)) return flow;
        }
      }
    }
    return null;
  },

  _onClick: function (e) {
    var map = this._map;
    var found = e.type === "click" && !draggableMoved(map) ? this._hit(map.mouseEventToLayerPoint(e)) : null;
    fireDOMEvent(map, e); // the map's own handling: close popups, zoom on dblclick...
    if (found) {
      var model = this._model;
      L.popup(POPUP_OPTIONS).setLatLng(map.mouseEventToLatLng(e)).setContent(popupFor(model, found)).openOn(map);
    }
  },

  _onMouseMove: function (e) {
    var map = this._map;
    if (!map || map.dragging.moving() || animatingZoom(map)) return;
    if (!this._mouseHoverThrottled) {
      var found = this._hit(map.mouseEventToLayerPoint(e));
      L.DomUtil[found ? "addClass" : "removeClass"](this._container, "leaflet-interactive");
      this._mouseHoverThrottled = true;
      var self = this;
      setTimeout(function () { self._mouseHoverThrottled = false; }, 32);
    }
    fireDOMEvent(map, e);
  },

  _handleMouseOut: function (e) {
    L.DomUtil.removeClass(this._container, "leaflet-interactive");
    if (this._map) fireDOMEvent(this._map, e);
  },
});

/* The flows of `list` grouped by actor (in the actors' order), each group in the order of the
 * flows, without a comparison sort. */
function byActor(list, flows, actors) {
  var groups = [];
  for (var a = 0; a < actors; a++) groups.push([]);
  list.forEach(function (f) { groups[flows[f].actor].push(f); });
  return [].concat.apply([], groups.map(function (group) {
    return Array.from(Int32Array.from(group).sort());
  }));
}

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

export function canvasPainter(map, model) {
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

