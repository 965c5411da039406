/* troopmap frame: the first view, and where the panels over the map lie. */

var PORTRAIT = 1.2; // a box this many times taller than wide is upright

/* Frame the focus of the map (view.bounds, made by geo/render/pageparts.py) with room for its
 * labels at whatever size the map is: each side keeps a share of the box (view.margin:
 * top, right, bottom, left), more where a panel lies over the map (panelRoom: the header, the
 * key, the dock; not Leaflet's small corner controls, which would cost a whole strip of a
 * phone's map: layout.js frames again when a label or mark lies under one), and never so
 * much that the margins of an axis take more than view.maxMargin of it. A tiny focus opens
 * at view.maxZoom at most. `extra` (pixels per side) widens the margins where labels stick
 * out. Returns false when the map has no size yet (nothing is framed). */
export function frame(map, view, extra) {
  var size = map.getSize();
  if (size.x < 1 || size.y < 1) {
    map.setView(L.latLngBounds(view.bounds).getCenter(), 3, { animate: false });
    return false;
  }
  var panels = panelsOver(map).filter(function (panel) { return !panel.classList.contains("leaflet-control"); });
  var share = view.margin, room = panelRoom(map, panels);
  extra = extra || { top: 0, right: 0, bottom: 0, left: 0 };
  // An upright box (a phone held upright) has height to spare and width to save: its sides keep
  // half their share; the labels that then stick out get their room from layout.js.
  var across = size.y > PORTRAIT * size.x ? 0.75 : 1;
  var top = Math.max(room.top, share[0] * size.y) + extra.top;
  var right = Math.max(room.right, across * share[1] * size.x) + extra.right;
  var bottom = Math.max(room.bottom, share[2] * size.y) + extra.bottom;
  var left = Math.max(room.left, across * share[3] * size.x) + extra.left;
  var narrow = Math.min(1, view.maxMargin * size.x / (left + right || 1));
  var low = Math.min(1, view.maxMargin * size.y / (top + bottom || 1));
  map.fitBounds(view.bounds, {
    paddingTopLeft: [left * narrow, top * low],
    paddingBottomRight: [right * narrow, bottom * low],
    maxZoom: view.maxZoom,
    animate: false,
  });
  return true;
}

/* How far the panels lying over the map (those given, else all: the layer and zoom controls,
 * an open key...) reach in from each side, in pixels: each panel counts on its side
 * (panelSide). */
export function panelRoom(map, panels) {
  var room = { top: 0, right: 0, bottom: 0, left: 0 };
  (panels || panelsOver(map)).forEach(function (panel) {
    var at = panelSide(map, panel.getBoundingClientRect());
    room[at.side] = Math.max(room[at.side], at.reach + 8);
  });
  return room;
}

/* The side of the map a panel (its box on the screen) belongs to, the one where it takes the
 * smaller share of the map, and how far in from that side it reaches (pixels). */
export function panelSide(map, r) {
  var box = map.getContainer().getBoundingClientRect();
  var fromLeft = r.right - box.left, fromRight = box.right - r.left;
  var fromTop = r.bottom - box.top, fromBottom = box.bottom - r.top;
  var side = Math.min(fromLeft, fromRight) / box.width <= Math.min(fromTop, fromBottom) / box.height
    ? (fromLeft <= fromRight ? "left" : "right") : (fromTop <= fromBottom ? "top" : "bottom");
  return { side: side, reach: { left: fromLeft, right: fromRight, top: fromTop, bottom: fromBottom }[side] };
}

/* The element of the map whose script is running: inside its own fragment when the map was
 * pasted into a page as one (the same fragment may be there twice, ids and all). */
export function container(id) {
  var script = document.currentScript;
  var root = script && script.closest ? script.closest(".tm-embed") : null;
  return (root && root.querySelector(".folium-map")) || document.getElementById(id);
}

/* The root of a map: the fragment it was pasted as, or the page. */
export function rootOf(map) {
  var container = map.getContainer();
  return (container.closest && container.closest(".tm-embed")) || document.body;
}

/* The panels and controls shown over the map (not those beside it), in the map's own root. */
export function panelsOver(map) {
  var container = map.getContainer(), box = container.getBoundingClientRect();
  var found = Array.prototype.slice.call(container.querySelectorAll(".leaflet-control"));
  found = found.concat(Array.prototype.slice.call(rootOf(map).querySelectorAll(".tm-legend, .tm-title, .tm-dock")));
  return found.filter(function (panel) {
    var r = panel.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left < box.right && r.right > box.left &&
      r.top < box.bottom && r.bottom > box.top;
  });
}

/* What extensions (timeline, unit symbols, keyboard navigation) may do with a drawn map,
 * without knowing how it was drawn: read a movement, add layers to it, show only some
 * movements, open a movement's popup. */
