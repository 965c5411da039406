/* troopmap timeline: a date slider and a play button that show the movements as reported up to
 * the chosen day. Which movements show, and which are drawn as planned, is decided in Python
 * (geo/timeline.py): each movement comes with the first and last day it shows and the day it
 * stops being a plan; this file only compares days. The map's "As of" line follows the slider.
 * The URL hash keeps the day (#date=2022-02-10), so a report can link to the map as it stood on
 * that day.
 *
 * Keyboard: the slider takes the arrow keys (a day), Page Up/Down (a week), Home and End; the
 * button plays and pauses with Enter or Space.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var STEP_MS = 650; // one step of the animation
  var MAX_STEPS = 40; // a long timeline plays in about this many steps
  var hashOwner = null; // with several maps on one page, only the first uses the URL hash

  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS); }

  function isoDay(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

  /* Whether a movement shown from `start` to `end` (null: no limit) is on the map on `day`. */
  function shownOn(start, end, day) {
    return (start === null || start <= day) && (end === null || day <= end);
  }

  function dayFromHash() {
    var match = /(?:^#|[#&])date=(\d{4}-\d{2}-\d{2})\b/.exec(window.location.hash || "");
    return match ? dayNumber(match[1]) : null;
  }

  function writeHash(day) {
    var hash = "#date=" + isoDay(day);
    if (window.location.hash === hash) return;
    try {
      window.history.replaceState(null, "", hash);
    } catch {
      // A sandboxed frame may refuse; the map still works, the link just keeps no date.
    }
  }

  function build(view) {
    var config = view.data.timeline;
    if (!config) return;
    var el = window.troopmap.el;
    var first = dayNumber(config.first);
    var last = dayNumber(config.last);
    var id = "tm-date-" + (config.key || "map");
    while (document.getElementById(id)) id += "-2"; // the same map pasted twice into a page
    var usesHash = hashOwner === null;
    if (usesHash) hashOwner = view;

    var panel = el("section", "tm-panel tm-timeline");
    // Every word in the map's language (data.words, see geo/render/pagewords.py).
    var tm = window.troopmap, words = view.data.words;
    function longDay(day) { return tm.longDay(words, day); }
    panel.setAttribute("aria-label", tm.say(words, "timeline"));
    var play = el("button", "tm-play", tm.say(words, "play"));
    play.type = "button";
    play.setAttribute("aria-controls", id);
    var label = el("label", "tm-timeline-label", tm.say(words, "date"));
    label.htmlFor = id;
    var slider = el("input", "tm-slider");
    slider.type = "range";
    slider.id = id;
    slider.min = String(first);
    slider.max = String(last);
    slider.step = "1";
    var output = el("output", "tm-timeline-day");
    output.htmlFor = id;
    output.setAttribute("aria-live", "polite");
    var row = el("div", "tm-timeline-row");
    row.appendChild(play);
    row.appendChild(label);
    row.appendChild(slider);
    panel.appendChild(row);
    panel.appendChild(output);
    var container = view.map.getContainer();
    view.dock().appendChild(panel);

    var total = view.count;
    // Each movement's days, read once from the page's columns: a day is a text of the page
    // (geo/render/pagedata.py), read as a number once however many movements share it.
    var columns = view.data.movements, texts = view.data.texts, days = new Map();
    function dayOf(code) {
      if (!texts[code]) return null;
      var day = days.get(code);
      if (day === undefined) days.set(code, day = dayNumber(texts[code]));
      return day;
    }
    var starts = new Array(total), ends = new Array(total), dues = new Array(total);
    for (var i = 0; i < total; i++) {
      starts[i] = dayOf(columns.start[i]);
      ends[i] = dayOf(columns.end[i]);
      dues[i] = columns.due ? dayOf(columns.due[i]) : null;
    }
    var asOf = config.asOf ? document.getElementById(config.asOf) : null;
    var timer = null;

    function setDay(day, options) {
      day = Math.min(last, Math.max(first, day));
      slider.value = String(day);
      slider.setAttribute("aria-valuetext", longDay(day));
      var count = 0;
      view.show(function (i) {
        var visible = shownOn(starts[i], ends[i], day);
        if (visible) count++;
        return visible;
      }, function (i) { return dues[i] !== null && day < dues[i]; });
      if (asOf) asOf.textContent = tm.say(words, "asOf", { date: longDay(day) });
      output.textContent = tm.sayCount(words, "shown", total, {
        date: longDay(day), count: tm.number(words, count), total: tm.number(words, total),
      });
      container.setAttribute("data-tm-date", isoDay(day));
      if (usesHash && !(options && options.fromHash)) writeHash(day);
    }

    function stop() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
      play.textContent = tm.say(words, "play");
      panel.classList.remove("tm-playing");
    }

    function start() {
      var step = Math.max(1, Math.ceil((last - first) / MAX_STEPS));
      if (Number(slider.value) >= last) setDay(first);
      play.textContent = tm.say(words, "pause");
      panel.classList.add("tm-playing");
      timer = window.setInterval(function () {
        var next = Number(slider.value) + step;
        setDay(next);
        if (next >= last) stop();
      }, STEP_MS);
    }

    play.addEventListener("click", function () { if (timer === null) start(); else stop(); });
    slider.addEventListener("input", function () { stop(); setDay(Number(slider.value)); });
    slider.addEventListener("keydown", function (event) {
      // Page Up / Page Down step a week, whatever the length of the timeline.
      if (event.key === "PageUp" || event.key === "PageDown") {
        event.preventDefault();
        stop();
        setDay(Number(slider.value) + (event.key === "PageUp" ? 7 : -7));
      }
    });
    if (usesHash) {
      window.addEventListener("hashchange", function () {
        var day = dayFromHash();
        if (day !== null) { stop(); setDay(day, { fromHash: true }); }
      });
    }
    var fromHash = usesHash ? dayFromHash() : null;
    var initial = fromHash !== null ? fromHash : (config.start ? dayNumber(config.start) : last);
    setDay(initial, { fromHash: true }); // opening the page leaves its address as it was
  }

  window.troopmap.extend(build);
})();
