/* troopmap keyboard navigation: step through the movements shown on the map, opening each
 * popup in turn. The "Previous" and "Next" buttons take Tab, Enter and Space; inside the panel
 * the arrow keys step too, Home and End go to the first and last movement, Escape closes the
 * popup. The line under the buttons says which movement is open, for screen readers as well.
 */
(function () {
  "use strict";

  function describe(m) {
    var actor = m.actor.name;
    var where = m.origin ? m.origin + " → " + m.destination : "stationed at " + m.destination;
    return actor + (m.unit ? " (" + m.unit + ")" : "") + ", " + m.label + " troops, " + where;
  }

  function build(view) {
    var total = view.count;
    if (!total) return;
    var el = window.troopmap.el;
    var current = -1;

    var panel = el("section", "tm-panel tm-nav");
    panel.setAttribute("aria-label", "Movements");
    var row = el("div", "tm-nav-row");
    var title = el("span", "tm-nav-title", "Movements");
    var previous = el("button", "tm-nav-previous", "‹ Previous");
    previous.type = "button";
    previous.setAttribute("aria-label", "Previous movement");
    var next = el("button", "tm-nav-next", "Next ›");
    next.type = "button";
    next.setAttribute("aria-label", "Next movement");
    var status = el("p", "tm-nav-current", "Use Next to open each movement in turn.");
    status.setAttribute("aria-live", "polite");
    row.appendChild(title);
    row.appendChild(previous);
    row.appendChild(next);
    panel.appendChild(row);
    panel.appendChild(status);
    view.dock().appendChild(panel);

    // In the order of the CSV's rows, whatever order the page draws them in.
    var byRow = [];
    for (var i = 0; i < total; i++) byRow.push(i);
    var rows = view.data.movements.row;
    byRow.sort(function (a, b) { return rows[a] - rows[b] || a - b; });

    function shownList() {
      return byRow.filter(function (j) { return view.isShown(j); });
    }

    /* Room the popup must keep clear of: the title (top), the legend (right), this dock
     * (bottom), so that a movement opened from the keyboard is seen whole. */
    function clearOfPanels() {
      var box = view.map.getContainer().getBoundingClientRect();
      var top = 20, right = 20, bottom = 40;
      function edge(selector) {
        var found = document.querySelector(selector);
        var r = found && found.getBoundingClientRect();
        return r && r.width && r.height ? r : null;
      }
      var title = edge(".tm-title"), legend = edge(".tm-legend"), dock = edge(".tm-dock");
      if (title) top = Math.max(top, title.bottom - box.top + 10);
      if (legend) right = Math.max(right, box.right - legend.left + 10);
      if (dock) bottom = Math.max(bottom, box.bottom - dock.top + 10);
      return { autoPanPaddingTopLeft: [20, top], autoPanPaddingBottomRight: [right, bottom] };
    }

    function open(i, list) {
      current = i;
      view.openPopup(i, clearOfPanels());
      var position = list.indexOf(i) + 1;
      status.textContent = position + " of " + list.length + ": " + describe(view.movement(i));
      view.map.getContainer().setAttribute("data-tm-current", String(i));
    }

    function step(direction) {
      var list = shownList();
      if (!list.length) {
        current = -1;
        status.textContent = "No movement is shown on the map now.";
        return;
      }
      var at = list.indexOf(current);
      var index;
      if (direction === "first") index = 0;
      else if (direction === "last") index = list.length - 1;
      else if (at === -1) index = direction > 0 ? 0 : list.length - 1;
      else index = (at + direction + list.length) % list.length;
      open(list[index], list);
    }

    previous.addEventListener("click", function () { step(-1); });
    next.addEventListener("click", function () { step(1); });
    panel.addEventListener("keydown", function (event) {
      var keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };
      if (event.key in keys) {
        event.preventDefault();
        step(keys[event.key]);
      } else if (event.key === "Escape") {
        view.map.closePopup();
      }
    });
  }

  window.troopmap.extend(build);
})();
