/* troopmap areas: a force stationed in an area (a province, a breakaway region, a places file's
 * polygon) is drawn as the area, outlined and hatched in the actor's colour, with its figure
 * inside at the area's point (data.areas and stations.area, geo/render/pagedata.py). */

import { decodeShape } from "./shapes.js";

// The hatch (addHatch): lines 2 px wide every 7 px, over a fill of the colour at 0.12 so the
// area reads as one piece.
var SVG = "http://www.w3.org/2000/svg";

/* The areas of the page's data as Leaflet latlngs ([polygon][ring][latlng]), or none. */
export function decodeAreas(data) {
  if (!data.areas) return [];
  return data.areas.shapes.map(function (shape) {
    return decodeShape(shape, data.areas.digits).map(function (polygon) {
      return polygon.map(function (ring) {
        return ring.map(function (p) { return [p[1], p[0]]; });
      });
    });
  });
}

/* The id of the hatch pattern of one colour on one map (a page may hold several maps). */
export function hatchId(map, colour) {
  return "tm-hatch-" + (map.getContainer().id || "map") + "-" + colour.replace(/[^0-9a-zA-Z]/g, "");
}

/* Put the hatch pattern of `colour` into the SVG `svg` (once): diagonal lines over a faint fill. */
export function addHatch(svg, id, colour) {
  if (!svg || svg.querySelector("#" + id)) return;
  var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(SVG, "defs"), svg.firstChild);
  defs.insertAdjacentHTML("beforeend", '<pattern id="' + id + '" class="tm-hatch" patternUnits="userSpaceOnUse" ' +
    'width="7" height="7" patternTransform="rotate(45)"><rect width="7" height="7" fill="' + colour +
    '" fill-opacity="0.12"/><line x1="0" y1="0" x2="0" y2="7" stroke="' + colour + '" stroke-width="2"/></pattern>');
}

/* The Leaflet layers of a force stationed in an area: the area (answers the pointer with the
 * force's popup) and, at the area's point, an anchor without a mark that carries the label. */
export function areaLayers(map, renderer, station, latlngs, dashed) {
  var id = hatchId(map, station.colour);
  var area = L.polygon(latlngs, {
    renderer: renderer, color: station.colour, weight: 2, dashArray: dashed ? "5 4" : null,
    fillColor: "url(#" + id + ")", fillOpacity: 1, className: "tm-area",
  });
  area.on("add", function () { addHatch(renderer._container, id, station.colour); });
  var anchor = L.circleMarker([station.at[1], station.at[0]], {
    renderer: renderer, radius: 0, stroke: false, fill: false, interactive: false,
  });
  return { area: area, anchor: anchor };
}
