/* troopmap keyboard navigation: step through the movements shown on the map, opening each
 * popup in turn. The "Previous" and "Next" buttons take Tab, Enter and Space; inside the panel
 * the arrow keys step too, Home and End go to the first and last movement, Escape closes the
 * popup. The line under the buttons says which movement is open, for screen readers as well.
 */
(function () {
  "use strict";

  function describe(m, words) {
    var say = window.troopmap.say, comma = say(words, "comma");
    var where = m.origin ? m.origin + " → " + m.destination : say(words, "stationedAtLower", { place: m.destination });
    return m.actor.name + (m.unit ? " (" + m.unit + ")" : "") + comma +
      say(words, "troops", { count: m.label }) + comma + where;
  }

  /* A button of an arrow and a word; a small map shows only the arrow (its aria-label names
   * it). */
  function button(className, word, arrow, arrowFirst) {
    var el = window.troopmap.el, node = el("button", className);
    node.type = "button";
    var parts = [document.createTextNode(arrow), el("span", "tm-nav-word", word)];
    if (!arrowFirst) parts.reverse();
    parts.forEach(function (part) { node.appendChild(part); });
    return node;
  }

  function build(view) {
    var total = view.count;
    if (!total) return;
    var el = window.troopmap.el;
    var current = -1;

    // Every word in the map's language (data.words, see geo/render/pagewords.py).
    var words = view.data.words, say = window.troopmap.say;
    var panel = el("section", "tm-panel tm-nav");
    panel.setAttribute("aria-label", say(words, "movementsPanel"));
    var row = el("div", "tm-nav-row");
    var title = el("span", "tm-nav-title", say(words, "movementsPanel"));
    var previous = button("tm-nav-previous", " " + say(words, "previous"), "‹", true);
    previous.setAttribute("aria-label", say(words, "previousMovement"));
    var next = button("tm-nav-next", say(words, "next") + " ", "›", false);
    next.setAttribute("aria-label", say(words, "nextMovement"));
    var status = el("p", "tm-nav-current", say(words, "useNext"));
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

    function open(i, list) {
      current = i;
      view.openPopup(i); // layout.js pans it clear of the panels
      var position = list.indexOf(i) + 1;
      status.textContent = say(words, "position", {
        position: window.troopmap.number(words, position),
        total: window.troopmap.number(words, list.length),
        movement: describe(view.movement(i), words),
      });
      view.map.getContainer().setAttribute("data-tm-current", String(i));
    }

    function step(direction) {
      var list = shownList();
      if (!list.length) {
        current = -1;
        status.textContent = say(words, "noneShown");
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
