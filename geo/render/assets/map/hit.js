/* troopmap hit: on a canvas map, the flow or stationed force under the pointer (the canvas
 * draws them all as one picture, so it finds them itself), and the pointer's events: a popup
 * on click, the hand over anything that has one. A mixin of FlowCanvas (canvas.js). */

import * as geometry from "./geometry.js";
import { radiusOf } from "./model.js";
import { POPUP_OPTIONS, popupFor } from "./popups.js";
import { fireDOMEvent, draggableMoved, animatingZoom } from "./leaflet.js";

var TOLERANCE_PX = 10; // how far from a flow's box the pointer may be and still be on it
var REACH_PX = 3; // how far beyond a line's edge a click still finds it

export var PointerOnCanvas = {
  /* The flow or stationed force under a layer point, topmost first; null if none. */
  _hit: function (point) {
    var model = this._model, view = this._view();
    var x = point.x + view.ox, y = point.y + view.oy; // zoom-k world pixels
    for (var s = model.stations.length - 1; s >= 0; s--) {
      var station = model.stations[s];
      if (!this._shownItem(station)) continue;
      var p = geometry.project(station.at);
      if (Math.hypot(p[0] * view.k - x, p[1] * view.k - y) <= radiusOf(model, station) + 2) return station;
    }
    var curves = this._curves, c = curves.coords, boxes = curves.boxes, flows = model.flows;
    var order = this._drawing().order, shown = this._shownFlows(), faintFlows = this._faintFlows;
    var tolerance = TOLERANCE_PX / view.k, X = x / view.k, Y = y / view.k;
    // Flows drawn in full first (topmost first), then the faint ones under them.
    for (var pass = 0; pass < 2; pass++) {
      for (var n = order.length - 1; n >= 0; n--) {
        var i = order[n], faint = !!faintFlows && faintFlows[i] === 1;
        if (faint !== (pass === 1) || !shown[i]) continue;
        if (X < boxes[4 * i] - tolerance || X > boxes[4 * i + 2] + tolerance ||
          Y < boxes[4 * i + 1] - tolerance || Y > boxes[4 * i + 3] + tolerance) continue;
        var reach = (faint ? 0.5 : flows[i].width / 2) + REACH_PX;
        for (var j = curves.starts[i]; j + 4 < curves.ends[i]; j += 4) {
          if (nearQuadratic(c, j, view.k, x, y, reach)) return flows[i];
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
      L.popup(POPUP_OPTIONS).setLatLng(map.mouseEventToLatLng(e)).setContent(popupFor(this._model, found)).openOn(map);
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
};

/* Whether the quadratic piece at c[j..j+5] (zoom-0 pixels) passes within `reach` pixels of
 * (x, y) (pixels at scale k), checked on 12 chords. */
export function nearQuadratic(c, j, k, x, y, reach) {
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
