/* troopmap: draws a map page from its compact data (made by geo/render/pagedata.py).
 *
 * Small maps draw flows as Leaflet vector layers (vector.js), large ones on one canvas
 * (canvas.js). Extensions (timeline, unit symbols, keyboard navigation: the page's other
 * scripts) work through the view draw() returns (view.js), whichever way the map was drawn,
 * and through what this module puts in window.troopmap.
 *
 * Every text from the user's CSV reaches the page through textContent or an escaped string,
 * never as HTML. Links are written only for http(s) addresses.
 */

import * as geometry from "./geometry.js";
import { escapeHtml, el } from "./dom.js";
import { draw, extend } from "./draw.js";
import { countries } from "./basemap.js";
import { context } from "./context.js";
import { container, rootOf, panelsOver, panelRoom, panelSide } from "./frame.js";
import { INTERNALS } from "./leaflet.js";
import { canvasPainter } from "./canvas.js";
import { say, sayCount, number, longDay, statusWord } from "./words.js";

// A page may load this script more than once (the same fragment pasted twice): the maps
// already drawn stay listed.
var before = window.troopmap || {}, drawnBefore = before.views || [];
window.troopmap = {
  draw: draw, countries: countries, context: context, extend: extend, escapeHtml: escapeHtml, el: el,
  geometry: geometry, views: drawnBefore, rootOf: rootOf, container: container, panelsOver: panelsOver,
  panelRoom: panelRoom, panelSide: panelSide, leafletInternals: INTERNALS,
  say: say, sayCount: sayCount, number: number, longDay: longDay, statusWord: statusWord,
  // a script joined without the canvas modules keeps those of a script before it
  canvasPainter: canvasPainter || before.canvasPainter,
};
