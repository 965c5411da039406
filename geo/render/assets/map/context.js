/* troopmap context: what a reader finds their bearings by, faint under the data: lakes and
 * major rivers on a canvas above the countries, and the capitals and large cities as names
 * that show from the zoom their rank allows and give way to every label of the data
 * (labels.js places them last). The data, the zoom rules and the look come from
 * geo/render/pagedata.py (context_data) and geo/context.py. */

import * as geometry from "./geometry.js";
import { decodeShape } from "./shapes.js";
import { DrawOnlyWhenNeeded, fireDOMEvent } from "./leaflet.js";
import { escapeHtml } from "./dom.js";

/* Encoded shapes → rings of zoom-0 pixel coordinates (flat x, y arrays). */
function projectedRings(shapes, digits) {
  var rings = [];
  shapes.forEach(function (shape) {
    decodeShape(shape, digits).forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var flat = [];
        ring.forEach(function (p) {
          var xy = geometry.project(p);
          flat.push(xy[0], xy[1]);
        });
        rings.push(flat);
      });
    });
  });
  return rings;
}

var WaterCanvas = L.Canvas.extend({
  includes: DrawOnlyWhenNeeded,

  initialize: function (data, options) {
    L.Canvas.prototype.initialize.call(this, options);
    this._lakes = projectedRings(data.lakes, data.digits);
    this._rivers = projectedRings(data.rivers, data.digits);
    this._look = data.look;
    this._fromZoom = data.zoom.water;
  },

  _draw: function () {
    var map = this._map, ctx = this._ctx;
    if (!this._bounds || map.getZoom() < this._fromZoom) return;
    var k = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
    function trace(ring, close) {
      ctx.moveTo(ring[0] * k - origin.x, ring[1] * k - origin.y);
      for (var j = 2; j < ring.length; j += 2) ctx.lineTo(ring[j] * k - origin.x, ring[j + 1] * k - origin.y);
      if (close) ctx.closePath();
    }
    ctx.save();
    ctx.beginPath();
    this._lakes.forEach(function (ring) { trace(ring, true); });
    ctx.fillStyle = this._look.water;
    ctx.fill("evenodd");
    ctx.beginPath();
    this._rivers.forEach(function (ring) { trace(ring, false); });
    ctx.strokeStyle = this._look.water;
    ctx.lineWidth = Math.max(0.6, this._look.river_width * (map.getZoom() >= 6 ? 1.5 : 1));
    ctx.lineJoin = ctx.lineCap = "round";
    ctx.stroke();
    ctx.restore();
    this._container.setAttribute("data-tm-water-drawn", String(this._rivers.length));
  },

  // Nothing of the context answers the pointer: let the map have every event.
  _onClick: function (e) { if (this._map) fireDOMEvent(this._map, e); },
  _onMouseMove: function (e) { if (this._map) fireDOMEvent(this._map, e); },
  _handleMouseOut: function (e) { if (this._map) fireDOMEvent(this._map, e); },
});

/* The names of the cities, each shown from the zoom of its rank. */
function cities(map, data) {
  var c = data.cities, look = data.look;
  var pane = map.createPane("tm-context-labels");
  pane.style.zIndex = 340; // under the countries' names and every mark and label of the data
  pane.style.pointerEvents = "none";
  var markers = c.name.map(function (name, i) {
    var dot = look[c.rank[i] === 0 ? "capital_dot" : "city_dot"];
    return L.marker([c.at[2 * i + 1], c.at[2 * i]], {
      pane: "tm-context-labels", interactive: false, keyboard: false,
      icon: L.divIcon({
        className: "tm-city-label" + (c.rank[i] === 0 ? " tm-capital" : ""),
        iconSize: null,
        html: '<span class="tm-city-dot" style="background:' + dot + '"></span><span style="color:' + look.city_text +
          ";font-size:" + look.city_font + 'px">' + escapeHtml(name) + "</span>",
      }),
    });
  });
  function show() {
    var zoom = map.getZoom();
    markers.forEach(function (marker, i) {
      var wanted = zoom >= data.zoom.cities[c.rank[i]];
      if (wanted && !map.hasLayer(marker)) marker.addTo(map);
      if (!wanted && map.hasLayer(marker)) map.removeLayer(marker);
    });
    map.getContainer().setAttribute("data-tm-cities", String(markers.filter(function (m) {
      return map.hasLayer(m);
    }).length));
    if (window.troopmap.arrangeLabels) window.troopmap.arrangeLabels(map);
  }
  map.on("zoomend", show);
  show();
}

/* The context of one map: water first (in a task of its own, like the countries), then names. */
export function context(map, data) {
  var pane = map.createPane("tm-water");
  pane.style.zIndex = 260; // over the countries (250), under every mark of the data
  pane.style.pointerEvents = "none";
  var canvas = new WaterCanvas(data, { pane: "tm-water", padding: 0.1 });
  setTimeout(function () { canvas.addTo(map); });
  cities(map, data);
}
