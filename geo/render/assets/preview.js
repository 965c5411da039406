// troopmap render --serve: reload the map as soon as a new one is drawn, and show the CSV's problems
// over the last good map while the saved file has errors. Only in the page the preview serves;
// the map written to disk never has this script.
(function () {
  "use strict";

  var script = document.currentScript;
  // @option version: Number: the drawing this page shows (0: none yet)
  var version = Number(script.getAttribute("data-version"));
  // @option state: String: where the preview tells its version and problems (same origin)
  var state = script.getAttribute("data-state");
  var generation = -1; // the news seen so far: the server answers at once for news, else waits
  var overlay = null;
  var shown = "";
  var VIEW = "troopmap-preview-view"; // where the reader had moved the map, across reloads
  var map = null; // the page's (first) map, once drawn
  var moved = false;

  /* Note every move of the map, and put it back where the reader had moved it before the
   * reload. Done as the map is drawn (an extension of the page's script): nothing can move
   * the map before its moves are noted, and no one sees it at its first view before it is
   * put back. */
  function keepTheView(view) {
    if (map) return;
    map = view.map;
    map.on("movestart", function () { moved = true; });
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(VIEW) || "null");
    } catch {
      saved = null;
    }
    if (saved && isFinite(saved.lat) && isFinite(saved.lng) && isFinite(saved.zoom)) {
      map.setView([saved.lat, saved.lng], saved.zoom, { animate: false });
    }
  }

  function reload() {
    try {
      if (map && moved) {
        var centre = map.getCenter();
        window.sessionStorage.setItem(VIEW, JSON.stringify(
          { lat: centre.lat, lng: centre.lng, zoom: map.getZoom() }));
      } else {
        window.sessionStorage.removeItem(VIEW);
      }
    } catch {
      // no storage (a private window): the new map opens on its first view
    }
    window.location.reload();
  }

  function row(problem) {
    var item = document.createElement("li");
    var where = document.createElement("strong");
    where.textContent = problem.location + ": ";
    item.appendChild(where);
    item.appendChild(document.createTextNode(
      problem.message + (problem.suggestion ? " " + problem.suggestion : "")));
    item.style.margin = "0.35em 0";
    return item;
  }

  function build(problems, kept) {
    var box = document.createElement("section");
    box.id = "troopmap-preview-problems";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "assertive");
    var s = box.style;
    s.position = "fixed";
    s.left = "12px";
    s.right = "12px";
    s.top = "12px";
    s.maxHeight = "70vh";
    s.overflow = "auto";
    s.zIndex = "100000";
    s.background = "#fff5f5";
    s.color = "#1d1d1d";
    s.border = "2px solid #b3261e";
    s.borderRadius = "6px";
    s.padding = "12px 16px";
    s.font = "14px/1.4 system-ui, sans-serif";
    s.boxShadow = "0 4px 16px rgba(0, 0, 0, 0.25)";
    var head = document.createElement("h2");
    head.style.font = "bold 16px/1.3 system-ui, sans-serif";
    head.style.margin = "0 0 6px";
    head.style.color = "#b3261e";
    var count = problems.length === 1 ? "1 problem" : problems.length + " problems";
    head.textContent = "The saved file has " + count + ". " +
      (kept ? "The map below is the last good one." : "No map has been drawn yet.");
    box.appendChild(head);
    var list = document.createElement("ul");
    list.style.margin = "0";
    list.style.paddingLeft = "1.2em";
    problems.forEach(function (problem) { list.appendChild(row(problem)); });
    box.appendChild(list);
    var tail = document.createElement("p");
    tail.style.margin = "6px 0 0";
    tail.textContent = "Fix the file and save it: this page updates by itself.";
    box.appendChild(tail);
    return box;
  }

  function show(problems) {
    var key = JSON.stringify(problems);
    if (key === shown) {
      return;
    }
    shown = key;
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    if (problems.length) {
      overlay = build(problems, version > 0);
      document.body.appendChild(overlay);
    }
  }

  function look() {
    var address = state + (generation >= 0 ? "?seen=" + generation : "");
    fetch(address, { cache: "no-store", credentials: "omit" })
      .then(function (answer) { return answer.json(); })
      .then(function (now) {
        if (now.version !== version) {
          reload();
          return;
        }
        generation = now.generation;
        show(now.problems);
        window.setTimeout(look, 0);
      })
      .catch(function () {
        window.setTimeout(look, 1000); // stopped, or restarting: look again later
      });
  }

  var tm = window.troopmap; // absent from the page saying no map is drawn yet
  if (tm && tm.views.length) keepTheView(tm.views[0]); // a map drawn before this script ran
  else if (tm) tm.extend(keepTheView); // (the page draws its map once it has loaded)
  look();
}());
