/* troopmap layout: the map follows its own box, whether it is the whole window, an iframe or a
 * fragment pasted into an article (twice, even).
 *
 * - The style (troopmap.css) lays the page out by the box's size with container queries; this
 *   script adds what needs a hand: the "Key" button that opens the key over a small map and
 *   closes it again (the button, the key's own close button, or Escape).
 * - The first view is framed at the map's size once the panels beside it are in place; when the
 *   box changes size while the view is still the page's own, it is framed again (map/frame.js);
 *   once the reader (or anything else) has moved the map, its view is kept.
 * - A popup is never wider or taller than the map, and pans clear of the panels over it.
 */
(function () {
  "use strict";

  var POPUP_MAX_WIDTH = 320; // px: a popup's content is at most this wide
  var POPUP_MIN_WIDTH = 200; // ... and at least this wide where the map allows
  var POPUP_FRAME = 50; // px a popup adds around its content (margins, close button, tip)
  var USER_EVENTS = ["pointerdown", "wheel", "keydown", "touchstart"]; // the reader moves the map
  // What the first view must show whole: labels and unit symbols.
  var IN_VIEW = ".tm-flow-label, .tm-station-label, .tm-place-label, .tm-unit, .tm-unit-name";
  var MARKS = "path.tm-head, path.tm-station"; // ... and clear of the panels over the map: the marks
  var FRAME_PASSES = 2; // reframings to bring labels that stick out back into the map

  /* An id not yet used in the document: a fragment may be pasted twice into one page. */
  function freshId(stem) {
    var n = 1;
    while (document.getElementById(stem + n)) n++;
    return stem + n;
  }

  /* The "Key" button in the header and the key's close button; Escape closes it too. */
  function keyToggle(view) {
    var root = window.troopmap.rootOf(view.map);
    var legend = root.querySelector(".tm-legend"), header = root.querySelector(".tm-title");
    if (!legend || !header || legend.querySelector(".tm-key-close")) return;
    var el = window.troopmap.el, say = window.troopmap.say, words = view.data.words;
    legend.id = legend.id || freshId("tm-key-");
    var open = el("button", "tm-key-button", say(words, "key"));
    open.type = "button";
    open.setAttribute("aria-controls", legend.id);
    open.setAttribute("aria-expanded", "false");
    var close = el("button", "tm-key-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", say(words, "closeKey"));
    header.insertBefore(open, header.firstChild); // floats at the header's right
    legend.insertBefore(close, legend.firstChild);

    function show(shown) {
      legend.classList.toggle("tm-key-open", shown);
      open.setAttribute("aria-expanded", String(shown));
    }
    open.addEventListener("click", function () {
      var shown = !legend.classList.contains("tm-key-open");
      show(shown);
      if (shown) legend.focus();
    });
    close.addEventListener("click", function () { show(false); open.focus(); });
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && legend.classList.contains("tm-key-open")) {
        show(false);
        open.focus();
      }
    });
  }

  /* How far the labels, symbols and marks shown stick out of the map on each side (pixels), or
   * lie under one of the panels over it (a corner control, the key: as far as the panel reaches
   * in from its side), or null if none do: only those partly in view count. */
  function labelOverflow(map) {
    var container = map.getContainer(), box = container.getBoundingClientRect();
    var out = { top: 0, right: 0, bottom: 0, left: 0 }, any = false;
    var panels = window.troopmap.panelsOver(map).map(function (c) { return c.getBoundingClientRect(); });
    Array.prototype.forEach.call(container.querySelectorAll(IN_VIEW + ", " + MARKS), function (label) {
      if (label.classList.contains("tm-label-hidden")) return;
      var r = label.getBoundingClientRect();
      // A label wholly outside (a far origin's, left out of the view on purpose) is no matter.
      if (!r.width || r.right <= box.left || r.left >= box.right || r.bottom <= box.top || r.top >= box.bottom) return;
      out.left = Math.max(out.left, box.left - r.left);
      out.right = Math.max(out.right, r.right - box.right);
      out.top = Math.max(out.top, box.top - r.top);
      out.bottom = Math.max(out.bottom, r.bottom - box.bottom);
      panels.forEach(function (c) {
        if (r.right <= c.left || r.left >= c.right || r.bottom <= c.top || r.top >= c.bottom) return;
        var at = window.troopmap.panelSide(map, c);
        var inFrom = { left: r.left - box.left, right: box.right - r.right, top: r.top - box.top,
          bottom: box.bottom - r.bottom }[at.side];
        out[at.side] = Math.max(out[at.side], at.reach - inFrom);
      });
    });
    Object.keys(out).forEach(function (side) {
      out[side] = out[side] > 0 ? Math.ceil(out[side]) + 4 : 0;
      any = any || out[side] > 0;
    });
    return any ? out : null;
  }

  /* The first view, then again with room for the labels and symbols that stick out. */
  function frameWithLabels(view) {
    if (!view.frame()) return;
    var extra = { top: 0, right: 0, bottom: 0, left: 0 };
    for (var pass = 0; pass < FRAME_PASSES; pass++) {
      var out = labelOverflow(view.map);
      if (!out) return;
      Object.keys(extra).forEach(function (side) { extra[side] += out[side]; });
      view.frame(extra);
    }
  }

  /* Frame again when the box changes size, while the view is the page's own: not once the
   * reader has touched the map, nor once anything else has moved it (the preview putting back
   * the reader's view after a reload, a script of the page the map is in). */
  function refitOnResize(view) {
    var map = view.map, container = map.getContainer();
    if (typeof ResizeObserver === "undefined") return;
    var touched = false, framing = false, last = map.getSize();
    USER_EVENTS.forEach(function (name) {
      container.addEventListener(name, function () { touched = true; }, { capture: true, passive: true });
    });
    map.on("movestart", function () { touched = touched || !framing; });
    new ResizeObserver(function () {
      var now = L.point(container.clientWidth, container.clientHeight);
      if (now.equals(last)) return;
      last = now;
      framing = !touched;
      map.invalidateSize({ pan: touched }); // the reader's view keeps its centre
      if (framing) frameWithLabels(view);
      framing = false;
    }).observe(container);
  }

  /* Popups as wide and tall as the map allows, panning clear of the panels over the map. */
  function fitPopups(view) {
    var map = view.map;
    map.on("popupopen", function (event) {
      var popup = event.popup, options = popup.options, size = map.getSize();
      var room = window.troopmap.panelRoom(map);
      var top = Math.min(Math.max(10, room.top), size.y / 3), bottom = Math.min(Math.max(10, room.bottom), size.y / 3);
      var left = Math.min(Math.max(10, room.left), size.x / 3), right = Math.min(Math.max(10, room.right), size.x / 3);
      options.maxWidth = Math.max(120, Math.min(POPUP_MAX_WIDTH, size.x - left - right - POPUP_FRAME));
      options.minWidth = Math.min(POPUP_MIN_WIDTH, options.maxWidth);
      options.maxHeight = Math.max(120, size.y - top - bottom - POPUP_FRAME);
      options.autoPanPaddingTopLeft = L.point(left, top);
      options.autoPanPaddingBottomRight = L.point(right, bottom);
      popup.update();
    });
  }

  window.troopmap.extend(function (view) {
    keyToggle(view);
    // The map was made before the extensions added their panels (the dock) beside it: framed
    // at the size it had then, it would be framed again only a frame later, over whatever
    // had moved it in between.
    view.map.invalidateSize({ pan: false });
    frameWithLabels(view);
    refitOnResize(view);
    fitPopups(view);
  });
})();
