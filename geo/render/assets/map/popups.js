/* troopmap popups: what a click on a flow or circle shows (one movement, or a group's total
 * and one line each), and the figure written on a flow or circle. */

import { el, safeUrl, hostOf } from "./dom.js";
import { say, sayCount, number, statusWord } from "./words.js";

// Each popup is sized to the map and panned clear of its panels when it opens (layout.js).
export var POPUP_OPTIONS = {};

export function popupFor(model, item) {
  var movements = model.movements;
  var rows = [];
  for (var i = item.m; i < item.m + item.k; i++) {
    if (!model.filter || model.filter(i)) rows.push(movements.get(i));
  }
  var words = model.data.words;
  if (rows.length === 1 || item.k === 1) return movementPopup(rows[0] || movements.get(item.m), item.place, words);
  return groupPopup(rows, item.place, words);
}

function popupHead(box, actor, unit) {
  var head = el("div", "tm-popup-actor");
  var swatch = el("span", "tm-swatch");
  swatch.style.background = actor.colour;
  head.appendChild(swatch);
  head.appendChild(document.createTextNode(actor.name + (unit ? " — " + unit : "")));
  box.appendChild(head);
}

function sourceLink(url, words) {
  var safe = safeUrl(url);
  if (!safe) return null;
  var link = el("a", "tm-popup-source", say(words, "source", { host: hostOf(safe) }));
  link.href = safe;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  return link;
}

function routeOf(m, place, words) {
  return m.origin ? m.origin + " → " + m.destination : say(words, "stationedAt", { place: place || m.destination });
}

export function movementPopup(m, place, words) {
  var box = el("div", "tm-popup");
  popupHead(box, m.actor, m.unit);
  box.appendChild(el("div", "tm-popup-troops", say(words, "troops", { count: m.label })));
  box.appendChild(el("div", "tm-popup-route", routeOf(m, place, words)));
  var facts = el("dl", "tm-popup-facts");
  function fact(name, value) {
    if (!value) return;
    facts.appendChild(el("dt", null, name));
    facts.appendChild(el("dd", null, value));
  }
  fact(say(words, "date"), m.date);
  fact(say(words, "reported"), m.reported);
  if (m.symbol) fact(say(words, "symbol"), m.symbol.name);
  fact(say(words, "status"), statusWord(words, m.status));
  fact(say(words, "estimate"), m.estimate ? say(words, "approximate") : "");
  fact(say(words, "notes"), m.notes);
  box.appendChild(facts);
  var link = sourceLink(m.source, words);
  if (link) box.appendChild(link);
  return box;
}

export function totalLabel(rows, words) {
  var total = 0, estimate = false;
  rows.forEach(function (m) { total += m.troops; estimate = estimate || m.estimate; });
  return (estimate ? "~" : "") + number(words, total);
}

/* A flow (or circle) that stands for several movements: their total, then one line each. */
function groupPopup(rows, place, words) {
  var box = el("div", "tm-popup tm-popup-group");
  var first = rows[0];
  popupHead(box, first.actor, "");
  box.appendChild(el("div", "tm-popup-troops", say(words, "troops", { count: totalLabel(rows, words) })));
  box.appendChild(el("div", "tm-popup-route", routeOf(first, place, words)));
  box.appendChild(el("div", "tm-popup-count",
    sayCount(words, "groupCount", rows.length, { status: statusWord(words, first.status) })));
  var list = el("ol", "tm-popup-rows");
  rows.forEach(function (m) {
    var item = el("li");
    var line = [m.date, m.unit, say(words, "troops", { count: m.label })].filter(Boolean).join(" · ");
    item.appendChild(el("span", "tm-popup-row", line));
    item.appendChild(el("span", "tm-popup-rowref", " " + say(words, "rowRef", { row: m.row })));
    if (m.notes) item.appendChild(el("div", "tm-popup-note", m.notes));
    var link = sourceLink(m.source, words);
    if (link) item.appendChild(link);
    list.appendChild(item);
  });
  box.appendChild(list);
  return box;
}

/* The number written on a flow or circle: the movement's own words (with its plan while it is
 * planned), a branch's own count, or the visible total. */
export function itemLabel(model, item) {
  if (item.kind === "branch" || item.legLabel) return item.legLabel || "";
  if (item.k === 1) return ownLabel(model.movements.get(item.m), item);
  var rows = [];
  for (var i = item.m; i < item.m + item.k; i++) {
    if (!model.filter || model.filter(i)) rows.push(model.movements.get(i));
  }
  if (rows.length === 1) return ownLabel(rows[0], item);
  var words = model.data.words;
  return totalLabel(rows, words) + " " + sayCount(words, "groupLabel", rows.length);
}

function ownLabel(m, item) {
  return item.planned && m.plan ? m.plan : m.label; // geo/layers.py writes both
}

