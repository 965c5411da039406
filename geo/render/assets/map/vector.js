/* troopmap vector: small maps draw one Leaflet vector layer per flow (SVG, one element each),
 * with arrowheads kept at their size in screen pixels and the figures as tooltips. */

import { escapeHtml } from "./dom.js";
import { styleFor, radiusOf, curveOf, labelPoint } from "./model.js";
import { POPUP_OPTIONS, popupFor, itemLabel } from "./popups.js";

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

export function toLatLng(p) { return L.latLng(p[1], p[0]); }

export function vectorPainter(map, model, groups) {
  var renderer = L.svg({ padding: 0.5 });
  var places = L.layerGroup();
  var withHeads = [];
  var drawn = []; // [item, its layers, its label or null]
  var limits = model.data.legend.style.labelLimits, opacity = model.data.legend.style.opacity;
  var labelled = model.flows.length <= limits.flows;
  var labelStations = model.stations.length <= limits.stations;
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
      if (flow.kind !== "trunk") {
        var head = L.polygon([latlngs[latlngs.length - 1]], {
          renderer: renderer, stroke: false, fill: true, fillColor: style.color,
          fillOpacity: style.opacity, className: "tm-head",
        });
        bind(head, flow);
        layers.push(head);
        withHeads.push({ latlngs: latlngs, flow: flow, head: head, line: line });
      }
      if (labelled && (flow.kind !== "branch" || flow.legLabel)) {
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
        dashArray: dashed ? "5 4" : null, fillColor: station.colour, fillOpacity: opacity.fill,
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

