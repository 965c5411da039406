/* troopmap shapes: the shapes the page's data carries (geo/render/page_shapes.py encodes them),
 * decoded. A shape's polygons are separated by ";", a polygon's rings (outer first) by a space,
 * each ring in the Encoded Polyline Algorithm Format (lat, then lon), its closing point left out;
 * an open line is sent the same way, as a ring that is not closed again. */

/* Each point of one encoded ring, in order: visit(lon, lat), in degrees (``factor`` is
 * 10 to the power of the digits the ring was encoded with). */
export function eachPoint(ring, factor, visit) {
  var lat = 0, lon = 0, i = 0;
  while (i < ring.length) {
    for (var axis = 0; axis < 2; axis++) {
      var shift = 0, value = 0, byte;
      do {
        byte = ring.charCodeAt(i++) - 63;
        value |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20);
      var delta = value & 1 ? ~(value >> 1) : value >> 1;
      if (axis === 0) lat += delta; else lon += delta;
    }
    visit(lon / factor, lat / factor);
  }
}

/* One shape → its polygons, each a list of rings, each a list of [lon, lat]. */
export function decodeShape(shape, digits) {
  var factor = Math.pow(10, digits);
  return shape.split(";").filter(Boolean).map(function (polygon) {
    return polygon.split(" ").filter(Boolean).map(function (ring) {
      var points = [];
      eachPoint(ring, factor, function (lon, lat) { points.push([lon, lat]); });
      return points;
    });
  });
}
