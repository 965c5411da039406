/* troopmap leaflet: the Leaflet internals the page relies on (names starting with "_", outside
 * Leaflet's documented API), used only through this module and listed in INTERNALS. Leaflet is
 * kept below 2 (pyproject.toml); tests/test_leaflet_internals.py fails when the pinned Leaflet
 * lacks any of them, so that an upgrade has one list to check. */

/* Each internal, by where it lives. `methods`: called here or overridden by the page's canvases
 * (on the prototype named); `fields`: a renderer's or map's state the canvases read or set. */
export var INTERNALS = {
  methods: {
    "L.Map": ["_fireDOMEvent", "_draggableMoved"],
    "L.Renderer": ["_update"],
    "L.Canvas": ["_update", "_draw", "_redraw", "_onClick", "_onMouseMove", "_handleMouseOut"],
  },
  fields: ["_animatingZoom", "_map", "_bounds", "_center", "_zoom", "_ctx", "_container", "_zoomAnimated",
    "_leaflet_disable_events"],
};

export var STEP_MS = 12; // the time a frame gives a redraw spread over frames

/* Lets the map handle a DOM event a canvas received (close popups, zoom on double click...):
 * nothing the canvas draws answered it, or the canvas handled it and the map may too. */
export function fireDOMEvent(map, e) { map._fireDOMEvent(e, e.type); }

/* Whether the pointer moved the map since it went down (a drag, not a click). */
export function draggableMoved(map) { return map._draggableMoved(map); }

/* Whether the map is in the middle of an animated zoom. */
export function animatingZoom(map) { return map._animatingZoom; }

/* Leaflet's own update of a canvas (its bounds, size and a full redraw). */
export function updateCanvas(canvas) { L.Canvas.prototype._update.call(canvas); }

/* Leaflet's update of a renderer's bounds, centre and zoom, without drawing. */
export function updateRenderer(renderer) { L.Renderer.prototype._update.call(renderer); }

/* For canvases that are costly to redraw: Leaflet redraws a canvas after every move; these
 * redraw only when the view has left the area already drawn (the canvas is drawn half a
 * screen beyond the view on every side) or the zoom has changed. Panning about then costs
 * nothing. A canvas that once took longer than STEP_MS to draw (this._slow, which its own
 * _draw may also set: Leaflet draws some updates outside _update) redraws at the same zoom
 * in steps, if it can (_redrawInSteps). */
export var DrawOnlyWhenNeeded = {
  _update: function () {
    var map = this._map;
    if (animatingZoom(map) && this._bounds) return;
    if (this._covers()) return;
    var drawn = this._drawnAt;
    if (this._redrawInSteps && this._slow && drawn && drawn.zoom === map.getZoom() &&
      drawn.origin.equals(map.getPixelOrigin())) {
      this._redrawInSteps();
      return;
    }
    if (this._cancelSteps) this._cancelSteps();
    var start = performance.now();
    updateCanvas(this);
    this._slow = this._slow || performance.now() - start > STEP_MS; // once slow, always
    this._drawnAt = { zoom: map.getZoom(), origin: map.getPixelOrigin() };
  },

  _covers: function () {
    var drawn = this._drawnAt, map = this._map;
    if (!drawn || !this._bounds || drawn.zoom !== map.getZoom() || !drawn.origin.equals(map.getPixelOrigin())) return false;
    var min = map.containerPointToLayerPoint([0, 0]);
    return this._bounds.contains(L.bounds(min, min.add(map.getSize())));
  },
};

