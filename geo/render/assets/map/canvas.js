/* troopmap canvas: large maps draw every flow on one canvas (FlowCanvas), which draws tens of
 * thousands of flows in a frame, spreads a redraw over frames when the reader pans past what
 * was drawn, and finds the flow under the pointer itself (hit.js). */

import * as geometry from "./geometry.js";
import { chunks } from "./dom.js";
import { prepareCurves } from "./curves.js";
import { looksOf, drawingOrder, splitByBudget, faintByActor, nextQuota, FIRST_QUOTA } from "./plan.js";
import { drawFaint, drawFull, drawHeads, drawStationGroup, drawPlaces, faintStations, stationGroups, stationOrder } from "./marks.js";
import { PointerOnCanvas } from "./hit.js";
import { DrawOnlyWhenNeeded, STEP_MS, updateRenderer } from "./leaflet.js";

var FAINT_STEP = 500, FULL_STEP = 100; // flows drawn per step of a redraw spread over frames
var FULL_WEIGHT = 8; // a flow drawn in full costs the browser about as much as 8 faint ones
var MARGIN_PX = 30; // flows this close to the canvas count as in view (their heads, their width)
// A frame's share of a redraw spread over frames: drawing and painting (see paintNow), so that
// the frame, with the browser's own work, stays well within what a smooth pan allows.
var REDRAW_SCRIPT_MS = 6;

/* A Leaflet canvas renderer that draws the flows itself instead of holding one layer per
 * flow: Leaflet still sizes, moves and zooms the canvas; drawing all flows takes one pass
 * over typed arrays. */
var FlowCanvas = L.Canvas.extend({
  includes: [DrawOnlyWhenNeeded, PointerOnCanvas],

  initialize: function (model, options) {
    L.Canvas.prototype.initialize.call(this, options);
    this._model = model;
    this._hidden = {};
    this._places = [];
    this._showPlaces = true;
    this._drawn = [];
    this._curves = prepareCurves(model.flows);
    this._actorOf = Int32Array.from(model.flows, function (flow) { return flow.actor; });
    this._stationOrder = stationOrder(model.stations);
  },

  getEvents: function () {
    var events = L.Canvas.prototype.getEvents.call(this);
    events.zoomstart = this._cancelSteps;
    return events;
  },

  /* The first drawing waits for the page's layout: the extensions still add panels that
   * change the map's size, and the page frames the map again when they do (layout.js, in a
   * ResizeObserver made before this one, so called first). Drawing before would draw twice. */
  onAdd: function () {
    var container = this._map.getContainer(), self = this;
    if (typeof ResizeObserver !== "undefined" && container.clientWidth > 0) {
      this._awaitLayout = true;
      var observer = new ResizeObserver(function () {
        observer.disconnect();
        self._awaitLayout = false;
        if (self._map) self._redraw();
      });
      observer.observe(container);
    }
    L.Canvas.prototype.onAdd.call(this);
  },

  onRemove: function () {
    this._cancelSteps();
    L.Canvas.prototype.onRemove.call(this);
  },

  /* Calls done() once the flows are first drawn. */
  whenDrawn: function (done) { this._drawn.push(done); },

  /* After the flows' widths or visibility changed (a filter): looks and order are worked out
   * again when next needed. */
  refresh: function () {
    this._looks = null;
    this._shown = null;
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
    this._shown = null;
    if (this._map) this._redraw();
  },

  _shownItem: function (item) {
    return item.visible > 0 && !this._hidden[item.actor];
  },

  /* 1 for each flow shown (some of its movements pass the filter, its actor is on). */
  _shownFlows: function () {
    if (!this._shown) {
      var flows = this._model.flows, shown = this._shown = new Uint8Array(flows.length);
      for (var i = 0; i < flows.length; i++) shown[i] = this._shownItem(flows[i]) ? 1 : 0;
    }
    return this._shown;
  },

  /* Each flow's look and the drawing order. */
  _drawing: function () {
    if (!this._looks) {
      this._looks = looksOf(this._model.flows);
      this._order = drawingOrder(this._looks);
    }
    return { looks: this._looks, order: this._order };
  },

  _view: function () {
    var map = this._map;
    var k = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
    return { k: k, ox: origin.x, oy: origin.y, pixel: L.Browser.retina ? 0.5 : 1 };
  },

  _draw: function () {
    if (this._awaitLayout || !this._bounds) return;
    var start = performance.now(), steps = this._plan(this._ctx);
    for (var i = 0; i < steps.length; i++) steps[i].draw();
    this._slow = this._slow || performance.now() - start > STEP_MS;
    var drawn = this._drawn;
    this._drawn = [];
    drawn.forEach(function (done) { done(); });
  },

  /* The drawing of the flows in view, as a list of steps that each draw a share of them
   * ({weight: about how many faint flows it is worth, draw}): drawn all at once by _draw, or
   * a few per frame by _redrawInSteps. */
  _plan: function (ctx) {
    var view = this._view(), b = this._bounds, model = this._model, self = this;
    var flows = model.flows, c = this._curves.coords, starts = this._curves.starts, ends = this._curves.ends;
    var drawing = this._drawing(), looks = drawing.looks;
    var area = [(b.min.x + view.ox - MARGIN_PX) / view.k, (b.min.y + view.oy - MARGIN_PX) / view.k,
      (b.max.x + view.ox + MARGIN_PX) / view.k, (b.max.y + view.oy + MARGIN_PX) / view.k];
    // Where more flows are in view than the budget the legend states, the largest (first in
    // the drawing order) are drawn in full, the others faint.
    var budget = model.data.fade ? model.data.fade.flows || Infinity : Infinity;
    var split = splitByBudget(drawing.order, this._shownFlows(), this._curves.boxes, area, budget);
    this._faintFlows = split.faint;
    var stations = faintStations(model, this._stationOrder, this._shownItem.bind(this), view, b, MARGIN_PX);
    // Faint flows first, underneath: one-pixel lines, which a canvas draws many times faster,
    // as chords; by actor (a stroke per colour), each actor's in the order of the flows.
    var faint = faintByActor(split.faint, this._actorOf, model.data.actors.length), heads = [];
    var steps = chunks(faint, FAINT_STEP).map(function (part) {
      return { weight: part.length, draw: function () { drawFaint(ctx, part, flows, c, starts, ends, view); } };
    });
    chunks(split.full, FULL_STEP).forEach(function (part) {
      steps.push({ weight: part.length * FULL_WEIGHT, draw: function () {
        drawFull(ctx, part, flows, looks, c, starts, ends, view, heads);
      } });
    });
    // Then the arrowheads, the stationed forces (a step per look) and the places.
    var marks = [function () { drawHeads(ctx, heads); }];
    stationGroups(model, view, this._shownItem.bind(this), stations, b, MARGIN_PX).forEach(function (group) {
      marks.push(function () { drawStationGroup(ctx, model, view, group); });
    });
    marks.push(function () { if (self._showPlaces) drawPlaces(ctx, self._places, view); });
    marks.forEach(function (draw) {
      steps.push({ weight: FAINT_STEP, draw: function () { ctx.save(); draw(); ctx.restore(); } });
    });
    return steps;
  },

  /* A redraw at the same zoom (the reader panned past what was drawn), spread over frames so
   * that the map keeps moving: the new drawing goes on a canvas off screen, painted step by
   * step, and takes the old one's place once complete (the old one stays on screen until
   * then; a canvas on screen would be copied for the compositor at every step). Each frame
   * draws as many flows as its quota, which follows how long the frames before took. */
  _redrawInSteps: function () {
    var before = { bounds: this._bounds, center: this._center, zoom: this._zoom };
    this._cancelSteps();
    updateRenderer(this); // the new bounds, centre and zoom
    var canvas = this._newCanvas(this._bounds), ctx = canvas.getContext("2d");
    var steps = null, next = 0, quota = FIRST_QUOTA, last = 0, self = this;
    var job = this._job = { canvas: canvas, before: before, frame: null };
    function work(now) { // the plan in the first frame, then the steps the quota allows
      if (self._job !== job) return;
      var start = performance.now(), spent = 0;
      if (steps === null) steps = self._plan(ctx);
      else quota = nextQuota(quota, now - last);
      last = now;
      while (next < steps.length && spent < quota && performance.now() - start < REDRAW_SCRIPT_MS) {
        spent += steps[next].weight;
        steps[next++].draw();
        paintNow(ctx);
      }
      if (next < steps.length) {
        job.frame = L.Util.requestAnimFrame(work);
        return;
      }
      self._job = null;
      self._useCanvas(canvas, ctx);
    }
    job.frame = L.Util.requestAnimFrame(work);
  },

  /* A canvas for the layer box b, off screen, ready to draw on in layer pixels. */
  _newCanvas: function (b) {
    var size = b.getSize(), retina = L.Browser.retina ? 2 : 1;
    var canvas = document.createElement("canvas");
    canvas.width = retina * size.x;
    canvas.height = retina * size.y;
    canvas.style.width = size.x + "px";
    canvas.style.height = size.y + "px";
    if (this._zoomAnimated) L.DomUtil.addClass(canvas, "leaflet-zoom-animated");
    L.DomUtil.setPosition(canvas, b.min);
    // Read back (paintNow) after every step: the canvas is kept on the processor from the start.
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (retina === 2) ctx.scale(2, 2);
    ctx.translate(-b.min.x, -b.min.y);
    return canvas;
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

  /* The finished canvas takes the old one's place, with its pointer handling. */
  _useCanvas: function (canvas, ctx) {
    var old = this._container;
    old.parentNode.insertBefore(canvas, old);
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
});

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
    finish: function (drawn) { canvas.whenDrawn(drawn); canvas.addTo(map); },
    refresh: function () { canvas.refresh(); },
    groups: model.data.actors.map(function (actor, i) { return new ActorGroup(canvas, i); }),
  };
}

/* Makes the browser paint what was drawn on ctx so far, now. A canvas records what the script
 * draws and paints it later, all at once: for a canvas that is not on screen, when it is put
 * there. Reading one pixel back paints it within the step, whose time then counts it. */
function paintNow(ctx) {
  ctx.getImageData(0, 0, 1, 1);
}
