/* troopmap unit symbols: the APP-6 symbol of each unit that names one, at its destination (and,
 * smaller, at its origin when it moves), with the unit's name. The symbols themselves are
 * defined once in the page (<symbol> elements drawn in Python by military-symbol); each marker
 * draws one with <use>. Markers belong to their movement, so the timeline shows and hides them.
 */
(function () {
  "use strict";

  var SIZE = 46; // px: the symbol canvas; a frame is about 35 px wide
  var ORIGIN_SIZE = 32;
  var ORIGIN_LIMIT = 400; // above this many, units are marked at their destinations only

  function iconHtml(symbol, size, name, movement, escapeHtml) {
    return '<svg class="tm-unit-symbol" data-tm-movement="' + movement + '" width="' + size +
      '" height="' + size +
      '" viewBox="' + symbol.vb + '" role="img" aria-label="' + escapeHtml(symbol.name) +
      '"><use href="#' + symbol.id + '"></use></svg>' +
      (name ? '<span class="tm-unit-name">' + escapeHtml(name) + "</span>" : "");
  }

  function build(view) {
    var data = view.data;
    if (!data.units || !data.units.length) return;
    var escapeHtml = window.troopmap.escapeHtml;
    var markers = 0;
    data.units.forEach(function (u) { markers += u.at.length + (u.from ? 1 : 0); });
    var named = markers <= data.legend.style.labelLimits.units; // else names are left to the popups
    var origins = markers <= ORIGIN_LIMIT;
    var stacked = {}; // several units at one place stand side by side, not on top of each other

    function place(latlng, size) {
      var key = latlng[0].toFixed(3) + "," + latlng[1].toFixed(3);
      var index = stacked[key] || 0;
      stacked[key] = index + 1;
      // The symbol stands just above its place, so the place and the arrow's tip stay visible.
      return [size / 2 - index * (size + 4), size + 2];
    }

    data.units.forEach(function (u) {
      var m = view.movement(u.m);
      var symbol = data.symbols[u.y];
      var name = named ? (m.unit || "") : "";
      function marker(latlng, size, origin) {
        var icon = L.divIcon({
          className: "tm-unit" + (origin ? " tm-unit-origin" : ""),
          html: iconHtml(symbol, size, name, u.m, escapeHtml),
          iconSize: [size, size],
          iconAnchor: place(latlng, size),
        });
        var layer = L.marker(latlng, { icon: icon, keyboard: false, riseOnHover: true,
          alt: symbol.name });
        layer.on("click", function () { view.openPopup(u.m); });
        view.add(u.m, layer);
      }
      u.at.forEach(function (latlng) { marker(latlng, SIZE, false); });
      if (u.from && origins) marker(u.from, ORIGIN_SIZE, true);
    });
    if (named) {
      view.map.on("moveend zoomend", sideNames);
      sideNames();
    }

    /* A name near the right edge (where the legend is) goes to the left of its symbol. */
    function sideNames() {
      var width = view.map.getSize().x;
      view.map.eachLayer(function (layer) {
        var element = layer.getElement && layer.getElement();
        if (!element || !/\btm-unit\b/.test(element.className)) return;
        var x = view.map.latLngToContainerPoint(layer.getLatLng()).x;
        element.classList.toggle("tm-unit-left", x > width - 420);
      });
    }
  }

  window.troopmap.extend(build);
})();
