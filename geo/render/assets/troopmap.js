/* troopmap: draws the flows, stationed forces and places of one map from its JSON data.
 *
 * Every text from the user's CSV reaches the page through textContent or an escaped string,
 * never as HTML. Links are written only for http(s) addresses.
 */
(function () {
  "use strict";

  var SVG_LIMIT = 600; // above this many flows, draw on a canvas
  // Popups pan clear of the title panel (top left) and the legend (bottom right).
  var POPUP_OPTIONS = { maxWidth: 320, autoPanPaddingTopLeft: [20, 130], autoPanPaddingBottomRight: [20, 40] };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function safeUrl(url) {
    return /^https?:\/\/[^\s]+$/i.test(url || "") ? url : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function popupFor(data, m) {
    var box = el("div", "tm-popup");
    var actor = data.actors[m.a];
    var head = el("div", "tm-popup-actor");
    var swatch = el("span", "tm-swatch");
    swatch.style.background = actor.colour;
    head.appendChild(swatch);
    head.appendChild(document.createTextNode(actor.name + (m.unit ? " — " + m.unit : "")));
    box.appendChild(head);
    box.appendChild(el("div", "tm-popup-troops", m.label + " troops"));
    var where = m.origin ? m.origin + " → " + m.destination : "Stationed at " + m.destination;
    box.appendChild(el("div", "tm-popup-route", where));
    var facts = el("dl", "tm-popup-facts");
    function fact(name, value) {
      if (!value) return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, value));
    }
    fact("Date", m.date);
    if (m.y !== undefined && data.symbols) fact("Symbol", data.symbols[m.y].name);
    fact("Status", data.statuses[m.s]);
    fact("Estimate", m.estimate ? "yes, the number is approximate" : "");
    fact("Notes", m.notes);
    box.appendChild(facts);
    var url = safeUrl(data.sources[m.src]);
    if (url) {
      var link = el("a", "tm-popup-source", "Source: " + hostOf(url));
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      box.appendChild(link);
    }
    return box;
  }

  function hostOf(url) {
    var match = /^https?:\/\/([^\/?#]+)/i.exec(url);
    return match ? match[1].replace(/^www\./, "") : url;
  }

  function styleFor(data, m, weight) {
    var actor = data.actors[m.a];
    var status = data.statuses[m.s];
    var dashed = status === "announced" || status === "claimed";
    var faded = status === "withdrawn";
    return {
      color: actor.colour,
      weight: weight,
      opacity: faded ? 0.35 : 0.9,
      lineCap: dashed ? "butt" : "round",
      dashArray: dashed ? Math.max(4, weight * 1.6) + " " + Math.max(3, weight) : null,
    };
  }

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
    var trimmed = leg.latlngs.slice(0, cut + 1);
    trimmed.push(map.layerPointToLatLng(L.point(base.x + ux * 1, base.y + uy * 1)));
    leg.line.setLatLngs(trimmed);
  }

  /* ---- geometry: geo/geometry.py, in the browser ------------------------------------------ */

  var geometry = (function () {
    var RAD = Math.PI / 180;
    var MAX_LAT = 85.0511287798; // Leaflet's spherical Mercator limit

    function clamp(x, low, high) { return x < low ? low : x > high ? high : x; }

    /* n points along the shorter great circle from a to b ([lon, lat] in degrees), longitudes
     * unwrapped past ±180° (geometry.great_circle). */
    function greatCircle(a, b, n) {
      var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
      var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa), pz = Math.sin(la);
      var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob), qz = Math.sin(lb);
      var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
      var same = omega < 1e-9, divisor = same ? 1 : Math.sin(omega);
      var points = new Array(n), shift = 0, previous = 0;
      for (var i = 0; i < n; i++) {
        var t = n > 1 ? i / (n - 1) : 0;
        var u = same ? 1 - t : Math.sin(omega * (1 - t)), v = same ? t : Math.sin(omega * t);
        var x = (u * px + v * qx) / divisor, y = (u * py + v * qy) / divisor, z = (u * pz + v * qz) / divisor;
        var lon = Math.atan2(y, x) / RAD, lat = Math.atan2(z, Math.hypot(x, y)) / RAD;
        if (i > 0 && Math.abs(lon - previous) > 180) shift -= 360 * Math.round((lon - previous) / 360);
        previous = lon;
        points[i] = [lon + shift, lat];
      }
      var turn = 360 * Math.round((a[0] - points[0][0]) / 360);
      if (turn) points.forEach(function (p) { p[0] += turn; });
      return points;
    }

    /* The middle of a path pushed sideways, to the right of travel for bend > 0 (geometry._bow). */
    function bow(points, bend) {
      var n = points.length;
      if (n < 3) return points;
      var mean = 0;
      for (var i = 0; i < n; i++) mean += points[i][1];
      var scale = Math.cos(clamp(mean / n, -80, 80) * RAD);
      var x0 = points[0][0] * scale, y0 = points[0][1];
      var dx = points[n - 1][0] * scale - x0, dy = points[n - 1][1] - y0;
      var length = Math.hypot(dx, dy);
      if (bend === 0 || length === 0) return points;
      var rx = dy / length, ry = -dx / length, reach = bend * length * 4;
      return points.map(function (p, j) {
        var t = j / (n - 1), push = reach * t * (1 - t) / 2;
        return [(p[0] * scale + push * rx) / scale, clamp(p[1] + push * ry, -89.9, 89.9)];
      });
    }

    /* geometry.arc_between: the great circle from a to b, bowed by bend; n points. */
    function arc(a, b, bend, n) {
      return bow(greatCircle(a, b, n || 48), bend);
    }

    return { greatCircle: greatCircle, bow: bow, arc: arc };
  })();

  /* A flow's curve as latlngs: carried point by point (c), or computed from its ends and bend
   * exactly as geo/geometry.py computes it for the layers (see html.flow_curves). */
  function curveOf(f) {
    var points = f.c || geometry.arc(f.a, f.b, f.k, f.n || 48);
    return points.map(function (p) { return L.latLng(p[1], p[0]); });
  }

  function draw(map, data) {
    var renderer = data.flows.length > SVG_LIMIT ? L.canvas({ padding: 0.5 }) : L.svg({ padding: 0.5 });
    var groups = data.actors.map(function () { return L.featureGroup(); });
    var withHeads = [];
    var labelled = data.flows.length <= 60;
    // handles[i]: every layer drawn for movement i, so extensions can show, hide and open it.
    var handles = data.movements.map(function () { return []; });

    data.flows.forEach(function (f) {
      var m = data.movements[f.m];
      var latlngs = curveOf(f);
      var style = styleFor(data, m, f.w);
      style.renderer = renderer;
      style.className = "tm-flow";
      var line = L.polyline(latlngs, style);
      line.bindPopup(function () { return popupFor(data, m); }, POPUP_OPTIONS);
      line.addTo(groups[m.a]);
      handles[f.m].push(line);
      line._tmFlow = true;
      if (f.h) {
        var head = L.polygon([latlngs[latlngs.length - 1]], {
          renderer: renderer, stroke: false, fill: true, fillColor: style.color,
          fillOpacity: style.opacity, className: "tm-head",
        });
        head.bindPopup(function () { return popupFor(data, m); }, POPUP_OPTIONS);
        head.addTo(groups[m.a]);
        handles[f.m].push(head);
        withHeads.push({ latlngs: latlngs, weight: f.w, head: head, line: line });
      }
      if (labelled && f.l) {
        var mid = L.latLng(f.lp[1], f.lp[0]);
        handles[f.m].push(L.tooltip({ permanent: true, direction: "center", className: "tm-flow-label", interactive: false })
          .setLatLng(mid).setContent(escapeHtml(f.l)).addTo(groups[m.a]));
      }
    });

    data.stations.forEach(function (s) {
      var m = data.movements[s.m];
      var actor = data.actors[m.a];
      var circle = L.circleMarker([s.lat, s.lon], {
        renderer: renderer, radius: s.r, color: actor.colour, weight: 2,
        dashArray: data.statuses[m.s] === "claimed" ? "5 4" : null,
        fillColor: actor.colour, fillOpacity: 0.28, className: "tm-station",
      });
      circle.bindPopup(function () { return popupFor(data, m); }, POPUP_OPTIONS);
      if (data.stations.length <= 60) {
        circle.bindTooltip(escapeHtml(s.l) + '<span class="tm-station-place">' + escapeHtml(s.p) +
          "</span>", {
          permanent: true, direction: "right", offset: [s.r, 0], className: "tm-station-label",
        });
      }
      circle.addTo(groups[m.a]);
      handles[s.m].push(circle);
    });

    var places = L.layerGroup();
    data.places.forEach(function (p) {
      if (p.country) return; // a country is marked by its name on the map
      var dot = L.circleMarker([p.lat, p.lon], {
        renderer: renderer, radius: 3, color: "#333", weight: 1, fillColor: "#fff",
        fillOpacity: 1, interactive: false,
      });
      if (data.places.length <= 80 && p.label) {
        dot.bindTooltip(escapeHtml(p.name), {
          permanent: true, direction: p.side || "right", offset: [p.side === "left" ? -4 : 4, 0],
          className: "tm-place-label",
        });
      }
      dot.addTo(places);
    });

    map.createPane("tm-country-labels").style.zIndex = 350;
    (data.countries || []).forEach(function (c) {
      L.marker([c.lat, c.lon], {
        pane: "tm-country-labels", interactive: false, keyboard: false,
        icon: L.divIcon({
          className: "tm-country-label" + (c.big ? " tm-big" : "") + (c.involved ? " tm-involved" : ""),
          iconSize: null,
          html: "<span>" + escapeHtml(c.name) + "</span>",
        }),
      }).addTo(map);
    });

    var overlays = {};
    groups.forEach(function (group, i) {
      group.addTo(map);
      var actor = data.actors[i];
      overlays['<span class="tm-swatch" style="background:' + actor.colour + '"></span>' +
        escapeHtml(actor.name)] = group;
    });
    places.addTo(map);
    overlays["Places"] = places;
    L.control.layers(null, overlays, { collapsed: data.actors.length > 6, position: "topright" })
      .addTo(map);

    function placeHeads() { withHeads.forEach(function (leg) { placeHead(map, leg); }); }
    if (data.view) {
      map.fitBounds(data.view.bounds, {
        paddingTopLeft: data.view.paddingTopLeft,
        paddingBottomRight: data.view.paddingBottomRight,
        animate: false,
      });
    }
    placeHeads(); // once, in the final view; then again at each zoom
    map.on("zoomend viewreset", placeHeads);
    var view = makeView(map, data, groups, handles);
    hooks.forEach(function (hook) { hook(view); });
    map.getContainer().setAttribute("data-tm-drawn", String(data.flows.length));
    return view;
  }

  /* What extensions (timeline, unit symbols, keyboard navigation) may do with a drawn map,
   * without knowing how it was drawn: add layers to a movement, show only some movements,
   * open a movement's popup. */
  function makeView(map, data, groups, handles) {
    var shown = data.movements.map(function () { return true; });
    function flowsShown() {
      var count = 0;
      handles.forEach(function (layers, i) {
        if (shown[i]) layers.forEach(function (layer) { if (layer._tmFlow) count++; });
      });
      return count;
    }
    var dock = null;
    var view = {
      map: map,
      data: data,
      /* The panel (bottom left, before the map in the tab order) that holds the controls. */
      dock: function () {
        if (!dock) {
          dock = el("section", "tm-dock");
          dock.setAttribute("aria-label", "Map controls");
          map.getContainer().parentNode.insertBefore(dock, map.getContainer());
        }
        return dock;
      },
      add: function (i, layer) {
        handles[i].push(layer);
        if (shown[i]) layer.addTo(groups[data.movements[i].a]);
      },
      show: function (keep) {
        handles.forEach(function (layers, i) {
          var visible = Boolean(keep(i));
          if (visible === shown[i]) return;
          shown[i] = visible;
          var group = groups[data.movements[i].a];
          layers.forEach(function (layer) {
            if (visible) group.addLayer(layer); else group.removeLayer(layer);
          });
        });
        map.closePopup();
        map.getContainer().setAttribute("data-tm-shown", String(flowsShown()));
      },
      isShown: function (i) { return shown[i] && map.hasLayer(groups[data.movements[i].a]); },
      /* Open movement i's popup; options may widen the popup's pan padding (autoPanPadding...). */
      openPopup: function (i, options) {
        var layer = handles[i].filter(function (l) { return l.getPopup && l.getPopup() && map.hasLayer(l); })[0];
        if (layer) {
          L.Util.extend(layer.getPopup().options, options || {});
          layer.openPopup();
        }
        return Boolean(layer);
      },
    };
    map.getContainer().setAttribute("data-tm-shown", String(flowsShown()));
    return view;
  }

  /* The country shapes (rings in the Encoded Polyline Algorithm Format, lat then lon; a
   * country's polygons separated by ";", a polygon's rings by " "), tinted by their part in the
   * movements, under everything else. */
  function decodeRing(ring, factor) {
    var lat = 0, lon = 0, i = 0, out = [];
    while (i < ring.length) {
      for (var axis = 0; axis < 2; axis++) {
        var shift = 0, value = 0, byte;
        do {
          byte = ring.charCodeAt(i++) - 63;
          value |= (byte & 0x1f) << shift;
          shift += 5;
        } while (byte >= 0x20);
        var delta = value & 1 ? ~(value >> 1) : value >> 1;
        if (axis === 0) lat += delta; else lon += delta;
      }
      out.push([lat / factor, lon / factor]);
    }
    return out;
  }

  function countries(map, data) {
    var factor = Math.pow(10, data.digits);
    data.shapes.forEach(function (shape, i) {
      if (!shape) return;
      var polygons = shape.split(";").map(function (polygon) {
        return polygon.split(" ").map(function (ring) { return decodeRing(ring, factor); });
      });
      var involved = Boolean(data.involved[i]);
      L.polygon(polygons, {
        pane: "tm-countries", interactive: false, smoothFactor: 0.5,
        fillColor: data.fills[data.fill[i]], fillOpacity: 1,
        color: involved ? "#8c8c8c" : "#b5b5b5", weight: involved ? 1 : 0.6,
      }).addTo(map);
    });
  }

  var hooks = [];
  /* An extension registers a function called with the view of every map drawn after it. */
  function extend(hook) { hooks.push(hook); }

  window.troopmap = { draw: draw, escapeHtml: escapeHtml, extend: extend, el: el, geometry: geometry,
    countries: countries };
})();
