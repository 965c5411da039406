/* troopmap labels: no two labels on the map overlap, and none lies on an arrow or a circle. They
 * are placed in order of priority, as on the static map: the figures (troops on flows and
 * stationed forces, the largest first), then the names of unit symbols, then the places the
 * movements name, then the countries (those involved first, then the largest), and last the
 * cities of the basemap (map/context.js).
 * A label that would overlap one already placed, or a mark, tries its other places (a figure
 * above or below its point, a place name left of its dot, above or below it); where none is
 * free it is hidden, except a figure: it then takes its first place clear of the other labels,
 * over the marks (it sits on its own flow by design, and says what the flow is). Figures keep
 * clear of arrowheads and circles; names keep clear of the lines too. Done again at every
 * zoom, when the map changes size and whenever the movements shown change.
 */
(function () {
  "use strict";

  var GAP = 2; // px kept free between two labels
  var FIGURES = ".tm-flow-label, .tm-station-label";
  var UNITS = ".tm-unit-name";
  var PLACES = ".tm-place-label";
  var COUNTRIES = ".tm-country-label";
  var CITIES = ".tm-city-label"; // the basemap's context (map/context.js): last, never over the data's
  var MARKS = "path.tm-head, path.tm-station"; // arrowheads and circles: kept clear by every label
  var LINES = "path.tm-flow"; // the flows' lines: kept clear by names
  var LINE_STEP = 6; // px between the points of a line that names keep clear of
  var LINE_LIMIT = 200; // lines followed at most (a larger map leaves them out of the reckoning)

  /* The troops a figure label starts with ("~30,000 ..." → 30000), to place the largest first. */
  function troopsOf(node) {
    var match = /[\d,]+/.exec(node.textContent || "");
    return match ? Number(match[0].replace(/,/g, "")) : 0;
  }

  /* The elements of `container` that `selector` matches, as an array. */
  function all(container, selector) { return Array.prototype.slice.call(container.querySelectorAll(selector)); }

  /* The labels of a map in order of priority, each with the element to move or hide, the box it
   * takes now, and where else it may go (shifts in pixels). */
  function labelsOf(container) {
    var figures = all(container, FIGURES).sort(function (a, b) { return troopsOf(b) - troopsOf(a); });
    var countries = all(container, COUNTRIES).sort(function (a, b) {
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
      add(node, node, function (r) {
        var up = r.height + GAP, side = r.width / 2 + GAP;
        return [[0, 0], [0, -up], [0, up], [0, -2 * up], [0, 2 * up], [-side, -up], [side, -up],
          [-side, up], [side, up]];
      });
      labels[labels.length - 1].figure = true;
    });
    all(container, UNITS).forEach(function (node) {
      add(node, node, function () { return [[0, 0]]; });
    });
    all(container, PLACES).forEach(function (node) {
      add(node, node, function (r) {
        return [[0, 0], [-r.width - 14, 0], [-r.width / 2 - 6, -r.height + 2], [-r.width / 2 - 6, r.height - 2]];
      });
    });
    countries.forEach(function (node) {
      add(node, node.firstChild || node, function (r) { // up or down, within its country (homeOf)
        var h = r.height;
        return [[0, 0], [0, -h], [0, h], [0, -2 * h], [0, 2 * h]];
      });
      labels[labels.length - 1].home = homeOf(node.firstChild);
    });
    all(container, CITIES).forEach(function (node) {
      add(node, node.lastChild || node, function () { return [[0, 0]]; });
    });
    return labels;
  }

  /* Where a country's name is anchored, and the box (west, south, east, north) of the part of
   * its country it is written on. */
  function homeOf(span) {
    var box = span && span.getAttribute ? (span.getAttribute("data-tm-box") || "").split(" ").map(Number) : [];
    var at = span && span.getAttribute ? (span.getAttribute("data-tm-at") || "").split(" ").map(Number) : [];
    if (box.length !== 4 || !box.every(isFinite) || at.length !== 2 || !at.every(isFinite)) return null;
    return { at: L.latLng(at[0], at[1]), box: L.latLngBounds([box[1], box[0]], [box[3], box[2]]) };
  }

  /* The marks of the map as boxes on the screen: each arrowhead and circle whole, and the lines
   * as small boxes along them (a curve's own box would cover half the map). */
  function marksOf(container) {
    var shapes = all(container, MARKS).map(function (node) { return node.getBoundingClientRect(); })
      .filter(function (r) { return r.width > 0 && r.height > 0; });
    var points = [], lines = all(container, LINES);
    if (lines.length <= LINE_LIMIT) {
      lines.forEach(function (path) {
        // Leaflet writes a line as "M x y L x y ...": its corners, read from the text (asking
        // the browser for points along the path took most of the placing's time).
        var matrix = path.getScreenCTM(), corners = (path.getAttribute("d") || "").match(/-?[\d.]+(?:e-?\d+)?/g);
        if (!matrix || !corners) return;
        var half = (parseFloat(path.getAttribute("stroke-width")) || 2) / 2;
        var last = null;
        for (var i = 0; i + 1 < corners.length; i += 2) {
          var px = +corners[i], py = +corners[i + 1];
          var here = [matrix.a * px + matrix.c * py + matrix.e, matrix.b * px + matrix.d * py + matrix.f];
          var steps = last ? Math.max(1, Math.ceil(Math.hypot(here[0] - last[0], here[1] - last[1]) / LINE_STEP)) : 1;
          for (var k = 1; k <= steps; k++) {
            var x = last ? last[0] + (here[0] - last[0]) * k / steps : here[0];
            var y = last ? last[1] + (here[1] - last[1]) * k / steps : here[1];
            points.push({ left: x - half, right: x + half, top: y - half, bottom: y + half });
          }
          last = here;
        }
      });
    }
    return { shapes: shapes, lines: points };
  }

  function touches(r, boxes) {
    return boxes.some(function (b) { return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom; });
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
      node.removeAttribute("data-tm-shift");
      node.style.marginLeft = node.style.marginTop = "";
    });
    var labels = labelsOf(container); // measured where Leaflet put them
    var marks = marksOf(container);
    var taken = [], edges = container.getBoundingClientRect();
    var panels = window.troopmap.panelsOver(map).map(function (panel) { return panel.getBoundingClientRect(); });
    function free(spot) { return !taken.some(function (other) { return overlaps(spot, other); }); }
    function clear(label, spot) {
      return !touches(spot, marks.shapes) && (label.figure || !touches(spot, marks.lines));
    }
    function atHome(label, shift) { // a country's name moved stays over its country
      if (!label.home) return true;
      var anchor = map.latLngToContainerPoint(label.home.at);
      return label.home.box.contains(map.containerPointToLatLng([anchor.x + shift[0], anchor.y + shift[1]]));
    }
    labels.forEach(function (label) {
      label.place = null;
      var country = label.node.matches(COUNTRIES);
      if (country && (!inside(label.rect, edges) || touches(label.rect, panels))) return; // cut by the edge or a panel
      var fallback = null;
      // A place inside the map first; then, for a label the map's edge cuts where it is, that
      // place (the first view makes room for it, layout.js); a figure, at worst, over a mark.
      for (var pass = 0; pass < 2 && !label.place; pass++) {
        for (var i = 0; i < label.shifts.length; i++) {
          var spot = moved(label.rect, label.shifts[i]);
          if ((pass === 0 || country || i > 0) && !inside(spot, edges)) continue;
          if (i > 0 && !atHome(label, label.shifts[i])) continue;
          if (!free(spot)) continue;
          if (clear(label, spot)) {
            label.place = label.shifts[i];
            break;
          }
          if (label.figure && !fallback) fallback = label.shifts[i];
        }
      }
      label.place = label.place || fallback;
      if (label.place) taken.push(moved(label.rect, label.place));
    });
    labels.forEach(function (label) {
      var style = label.node.style;
      if (!label.place) {
        label.node.classList.add("tm-label-hidden");
      } else if (label.place[0] || label.place[1]) {
        label.node.classList.add("tm-label-moved");
        label.node.setAttribute("data-tm-shift", label.place[0] + " " + label.place[1]);
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
