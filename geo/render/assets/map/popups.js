/* troopmap popups: what a click on a flow or circle shows (one movement, or a group's total
 * and one line each), and the figure written on a flow or circle. */

import { el, safeUrl, hostOf } from "./dom.js";

// Each popup is sized to the map and panned clear of its panels when it opens (layout.js).
export var POPUP_OPTIONS = {};

export function popupFor(model, item) {
  var movements = model.movements;
  var rows = [];
  for (var i = item.m; i < item.m + item.k; i++) {
    if (!model.filter || model.filter(i)) rows.push(movements.get(i));
  }
  if (rows.length === 1 || item.k === 1) return movementPopup(rows[0] || movements.get(item.m), item.place);
  return groupPopup(rows, item.place);
}

function popupHead(box, actor, unit) {
  var head = el("div", "tm-popup-actor");
  var swatch = el("span", "tm-swatch");
  swatch.style.background = actor.colour;
  head.appendChild(swatch);
  head.appendChild(document.createTextNode(actor.name + (unit ? " — " + unit : "")));
  box.appendChild(head);
}

function sourceLink(url) {
  var safe = safeUrl(url);
  if (!safe) return null;
  var link = el("a", "tm-popup-source", "Source: " + hostOf(safe));
  link.href = safe;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  return link;
}

function routeOf(m, place) {
  return m.origin ? m.origin + " → " + m.destination : "Stationed at " + (place || m.destination);
}

export function movementPopup(m, place) {
  var box = el("div", "tm-popup");
  popupHead(box, m.actor, m.unit);
  box.appendChild(el("div", "tm-popup-troops", m.label + " troops"));
  box.appendChild(el("div", "tm-popup-route", routeOf(m, place)));
  var facts = el("dl", "tm-popup-facts");
  function fact(name, value) {
    if (!value) return;
    facts.appendChild(el("dt", null, name));
    facts.appendChild(el("dd", null, value));
  }
  fact("Date", m.date);
  fact("Reported", m.reported);
  if (m.symbol) fact("Symbol", m.symbol.name);
  fact("Status", m.status);
  fact("Estimate", m.estimate ? "yes, the number is approximate" : "");
  fact("Notes", m.notes);
  box.appendChild(facts);
  var link = sourceLink(m.source);
  if (link) box.appendChild(link);
  return box;
}

export function totalLabel(rows) {
  var total = 0, estimate = false;
  rows.forEach(function (m) { total += m.troops; estimate = estimate || m.estimate; });
  return (estimate ? "~" : "") + total.toLocaleString("en-US");
}

/* A flow (or circle) that stands for several movements: their total, then one line each. */
function groupPopup(rows, place) {
  var box = el("div", "tm-popup tm-popup-group");
  var first = rows[0];
  popupHead(box, first.actor, "");
  box.appendChild(el("div", "tm-popup-troops", totalLabel(rows) + " troops"));
  box.appendChild(el("div", "tm-popup-route", routeOf(first, place)));
  box.appendChild(el("div", "tm-popup-count", rows.length.toLocaleString("en-US") + " movements, " + first.status + ":"));
  var list = el("ol", "tm-popup-rows");
  rows.forEach(function (m) {
    var item = el("li");
    var line = [m.date, m.unit, m.label + " troops"].filter(Boolean).join(" · ");
    item.appendChild(el("span", "tm-popup-row", line));
    item.appendChild(el("span", "tm-popup-rowref", " (row " + m.row + ")"));
    if (m.notes) item.appendChild(el("div", "tm-popup-note", m.notes));
    var link = sourceLink(m.source);
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
  return totalLabel(rows) + " (" + rows.length + " movements)";
}

function ownLabel(m, item) {
  return item.planned && m.plan ? m.plan : m.label; // geo/layers.py writes both
}

