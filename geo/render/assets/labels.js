/* troopmap labels: no two labels on the map overlap. They are placed in order of priority, as on
 * the static map: the figures (troops on flows and stationed forces, the largest first), then
 * the names of unit symbols, then the places the movements name, then the countries (those
 * involved first, then the largest), and last the cities of the basemap (map/context.js).
 * A label that would overlap one already placed tries its other places (a figure above or
 * below its point, a place name left of its dot, above or below it); where none is free it is
 * hidden. Done again at every zoom, when the map changes size and whenever the movements shown
 * change.
 */
(function () {
  "use strict";

  var GAP = 2; // px kept free between two labels
  var FIGURES = ".tm-flow-label, .tm-station-label";
  var UNITS = ".tm-unit-name";
  var PLACES = ".tm-place-label";
  var COUNTRIES = ".tm-country-label";
  var CITIES = ".tm-city-label"; // the basemap's context (map/context.js): last, never over the data's

  /* The troops a figure label starts with ("~30,000 ..." → 30000), to place the largest first. */
  function troopsOf(node) {
    var match = /[\d,]+/.exec(node.textContent || "");
    return match ? Number(match[0].replace(/,/g, "")) : 0;
  }

  /* The labels of a map in order of priority, each with the element to move or hide, the box it
   * takes now, and where else it may go (shifts in pixels). */
  function labelsOf(container) {
    function all(selector) { return Array.prototype.slice.call(container.querySelectorAll(selector)); }
    var figures = all(FIGURES).sort(function (a, b) { return troopsOf(b) - troopsOf(a); });
    var countries = all(COUNTRIES).sort(function (a, b) {
      return Number(b.classList.contains("tm-involved")) - Number(a.classList.contains("tm-involved"));
    });
    var labels = [];
    function add(node, box, shifts) {
      var r = box.getBoundingClientRect(), style = window.getComputedStyle(node);
      if (!r.width || !r.height) return;
      var base = [parseFloat(style.marginLeft) || 0, parseFloat(style.marginTop) || 0];
      labels.push({ node: node, rect: r, base: base, shifts: shifts(r) });
    }
    figures.forEach(function (node) {
      add(node, node, function (r) { return [[0, 0], [0, -r.height - GAP], [0, r.height + GAP]]; });
    });
    all(UNITS).forEach(function (node) {
      add(node, node, function () { return [[0, 0]]; });
    });
    all(PLACES).forEach(function (node) {
      add(node, node, function (r) {
        return [[0, 0], [-r.width - 14, 0], [-r.width / 2 - 6, -r.height + 2], [-r.width / 2 - 6, r.height - 2]];
      });
    });
    countries.forEach(function (node) {
      add(node, node.firstChild || node, function () { return [[0, 0]]; });
    });
    all(CITIES).forEach(function (node) {
      add(node, node.lastChild || node, function () { return [[0, 0]]; });
    });
    return labels;
  }

  function overlaps(a, b) {
    return a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom + GAP && b.top < a.bottom + GAP;
  }

  function inside(r, box) {
    return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
  }

  function moved(r, shift) {
    return { left: r.left + shift[0], right: r.right + shift[0], top: r.top + shift[1], bottom: r.bottom + shift[1] };
  }

  /* Place every label of the map: reset them, measure them all, then decide, then write. */
  function arrange(map) {
    var container = map.getContainer();
    Array.prototype.forEach.call(container.querySelectorAll(".tm-label-hidden, .tm-label-moved"), function (node) {
      node.classList.remove("tm-label-hidden", "tm-label-moved");
      node.style.marginLeft = node.style.marginTop = "";
    });
    var labels = labelsOf(container); // measured where Leaflet put them
    var taken = [], edges = container.getBoundingClientRect();
    labels.forEach(function (label) {
      label.place = null;
      if (label.shifts.length === 1 && !inside(label.rect, edges)) return; // a country cut by the edge
      for (var i = 0; i < label.shifts.length; i++) {
        var spot = moved(label.rect, label.shifts[i]);
        if (!taken.some(function (other) { return overlaps(spot, other); })) {
          label.place = label.shifts[i];
          taken.push(spot);
          break;
        }
      }
    });
    labels.forEach(function (label) {
      var style = label.node.style;
      if (!label.place) {
        label.node.classList.add("tm-label-hidden");
      } else if (label.place[0] || label.place[1]) {
        label.node.classList.add("tm-label-moved");
        style.marginLeft = label.base[0] + label.place[0] + "px";
        style.marginTop = label.base[1] + label.place[1] + "px";
      }
    });
    container.setAttribute("data-tm-labels", String(taken.length));
  }

  window.troopmap.arrangeLabels = arrange;
  window.troopmap.extend(function (view) {
    var map = view.map;
    arrange(map);
    map.on("zoomend viewreset resize troopmapshow", function () { arrange(map); });
  });
})();
