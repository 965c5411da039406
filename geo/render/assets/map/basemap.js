/* troopmap basemap: the country shapes on a canvas of their own, under everything else. */

import * as geometry from "./geometry.js";
import { DrawOnlyWhenNeeded, fireDOMEvent } from "./leaflet.js";
import { eachPoint } from "./shapes.js";

var COUNTRY_AREA_PER_TASK = 0.4; // the share of the country canvas filled in one task, at most

/* The country shapes on a canvas of their own, under everything else: their outlines are
 * decoded and projected once (zoom-0 pixels); each redraw only scales and fills them. */
var CountryCanvas = L.Canvas.extend({
  includes: DrawOnlyWhenNeeded,

  initialize: function (data, options) {
    L.Canvas.prototype.initialize.call(this, options);
    this._countries = decodeCountries(data);
    this._borders = data.borders; // the outlines' greys (geo/legend.py)
  },

  /* The countries on the canvas (most of the world is off it), drawn a part at a time, each
   * part in a task and a frame of its own: painting the whole canvas at once, on a phone's
   * screen, was the page's longest task. A new draw (the map moved) stops the parts of the
   * one before. */
  _draw: function () {
    var map = this._map, ctx = this._ctx, self = this, borders = this._borders;
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
      ctx.strokeStyle = c.involved[i] ? borders.involved : borders.other;
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
  _onClick: function (e) { if (this._map) fireDOMEvent(this._map, e); },
  _onMouseMove: function (e) { if (this._map) fireDOMEvent(this._map, e); },
  _handleMouseOut: function (e) { if (this._map) fireDOMEvent(this._map, e); },
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
      eachPoint(ring, factor, function (lon, lat) {
        var p = geometry.project([lon, lat]);
        coords[at++] = p[0];
        coords[at++] = p[1];
      });
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
export function countries(map, data) {
  // Leaflet's own padding (a tenth of the map on each side), not the flows' half: the land
  // fills every pixel of this canvas, twice the map's size on each axis on a phone's screen,
  // and filling five times the map's area made the page's longest task.
  var canvas = new CountryCanvas(data, { pane: "tm-countries", padding: 0.1 });
  // Decoded in this task, drawn in the next: two short tasks, not one long one.
  setTimeout(function () { canvas.addTo(map); });
}

