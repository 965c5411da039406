/* troopmap context: what a reader finds their bearings by, faint under the data: the capitals
 * and cities of a million people as names that show from the zoom their rank allows and give
 * way to every label of the data (labels.js places them last). The data, the zoom rules and the
 * look come from geo/render/pagedata.py (context_data) and geo/context.py. Rivers and lakes are
 * drawn on the static map only: the page's weight has no room left for them. */

import { escapeHtml } from "./dom.js";

export function context(map, data) {
  var c = data.cities, look = data.look;
  var pane = map.createPane("tm-context-labels");
  pane.style.zIndex = 340; // under the countries' names and every mark and label of the data
  pane.style.pointerEvents = "none";
  var markers = c.name.map(function (name, i) {
    return L.marker([c.at[2 * i + 1], c.at[2 * i]], {
      pane: "tm-context-labels", interactive: false, keyboard: false,
      icon: L.divIcon({
        className: "tm-city-label" + (c.rank[i] ? "" : " tm-capital"),
        iconSize: null,
        html: '<span class="tm-city-dot" style="background:' + look[c.rank[i] ? "city_dot" : "capital_dot"] +
          '"></span><span style="color:' + look.city_text + ";font-size:" + look.city_font + 'px">' +
          escapeHtml(name) + "</span>",
      }),
    });
  });
  function show() {
    var zoom = map.getZoom(), shown = 0;
    markers.forEach(function (marker, i) {
      var wanted = zoom >= data.zoom[c.rank[i]];
      if (wanted !== map.hasLayer(marker)) { if (wanted) marker.addTo(map); else map.removeLayer(marker); }
      shown += wanted ? 1 : 0;
    });
    map.getContainer().setAttribute("data-tm-cities", String(shown));
    if (window.troopmap.arrangeLabels) window.troopmap.arrangeLabels(map);
  }
  map.on("zoomend", show);
  show();
}
