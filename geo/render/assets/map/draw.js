/* troopmap draw: a map from its page data, on SVG or on a canvas as the data says. */

import { escapeHtml } from "./dom.js";
import { say } from "./words.js";
import { model, point } from "./model.js";
import { vectorPainter } from "./vector.js";
import { canvasPainter } from "./canvas.js";
import { frame } from "./frame.js";
import { makeView } from "./view.js";

var hooks = [];
/* An extension registers a function called with the view of every map drawn after it. */
export function extend(hook) { hooks.push(hook); }

export function draw(map, data) {
  var state = model(data);
  var groups, painter;
  if (data.canvas) { // decided with the legend (geo/render/pagedata.py)
    // This script's own, or that of another script of the page (troopmap.js of a fragment
    // pasted beside one of a large map, which may run after it: pagescript.CANVAS_MODULES).
    painter = (canvasPainter || window.troopmap.canvasPainter)(map, state);
    groups = painter.groups;
  } else {
    groups = data.actors.map(function () { return L.featureGroup(); });
    painter = vectorPainter(map, state, groups);
  }
  if (data.view) frame(map, data.view);

  state.flows.forEach(function (flow) { painter.flow(flow); });
  state.stations.forEach(function (station) { painter.station(station); });
  var p = data.places, labelPlaces = p.name.length <= data.legend.style.labelLimits.places;
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
        html: '<span data-tm-at="' + c.lat + " " + c.lon + '" data-tm-box="' + (c.box || []).join(" ") + '">' +
          escapeHtml(c.name) + "</span>",
      }),
    }).addTo(map);
  });

  var overlays = {};
  // A canvas draws every flow at once: it joins the map once the extensions (a timeline that
  // shows the movements of its day) have set what it draws, so that it is drawn once.
  if (!data.canvas) painter.finish();
  groups.forEach(function (group, i) {
    group.addTo(map);
    var actor = data.actors[i];
    overlays['<span class="tm-swatch" style="background:' + actor.colour + '"></span>' +
      escapeHtml(actor.name)] = group;
  });
  places.addTo(map);
  overlays[escapeHtml(say(data.words, "places"))] = places;
  // Collapsed to a button; where the map is large the page's style shows it open.
  var layers = L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);
  leafletWords(map, layers, data.words);

  var view = makeView(map, state, painter, groups);
  view.frame = function (extra) { return data.view ? frame(map, data.view, extra) : false; };
  window.troopmap.views.push(view);
  hooks.forEach(function (hook) { hook(view); });
  // data-tm-drawn: the flows are on screen (a canvas draws once the page's layout is done).
  var markDrawn = function () { map.getContainer().setAttribute("data-tm-drawn", String(state.flows.length)); };
  if (data.canvas) painter.finish(markDrawn); else markDrawn();
  return view;
}


/* Leaflet's own words (its buttons' titles and labels for screen readers) in the map's
 * language. */
function leafletWords(map, layers, words) {
  function name(node, text) {
    if (!node) return;
    node.title = text;
    node.setAttribute("aria-label", text);
  }
  var zoom = map.zoomControl;
  if (zoom) {
    name(zoom._zoomInButton, say(words, "zoomIn"));
    name(zoom._zoomOutButton, say(words, "zoomOut"));
  }
  name(layers.getContainer().querySelector(".leaflet-control-layers-toggle"), say(words, "layers"));
  map.on("popupopen", function (event) {
    name(event.popup._closeButton, say(words, "closePopup"));
  });
}
