/* troopmap geometry: geo/geometry.py in the browser. The page carries each flow as two points
 * and a bend; its curve is computed here with the formulas of geo/geometry.py, so it is the
 * curve of the static map and of the GIS files (tests/js/geometry.test.js compares them). */

var RAD = Math.PI / 180;
var MAX_LAT = 85.0511287798; // Leaflet's spherical Mercator limit

function clamp(x, low, high) { return x < low ? low : x > high ? high : x; }

/* n points along the shorter great circle from a to b ([lon, lat] in degrees), longitudes
 * unwrapped past ±180° (geometry.great_circle). */
export function greatCircle(a, b, n) {
  var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
  var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa), pz = Math.sin(la);
  var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob), qz = Math.sin(lb);
  var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
  var same = omega < 1e-9, divisor = same ? 1 : Math.sin(omega);
  var points = new Array(n), shift = 0, previous = 0;
  for (var i = 0; i < n; i++) {
    var t = n > 1 ? i / (n - 1) : 0;
    var u = same ? 1 - t : Math.sin(omega * (1 - t)), v = same ? t : Math.sin(omega * t);
    var x = (u * px + v * qx) / divisor, y = (u * py + v * qy) / divisor, z = (u * pz + v * qz) / divisor;
    var lon = Math.atan2(y, x) / RAD, lat = Math.atan2(z, Math.hypot(x, y)) / RAD;
    if (i > 0 && Math.abs(lon - previous) > 180) shift -= 360 * Math.round((lon - previous) / 360);
    previous = lon;
    points[i] = [lon + shift, lat];
  }
  var turn = 360 * Math.round((a[0] - points[0][0]) / 360);
  if (turn) points.forEach(function (p) { p[0] += turn; });
  return points;
}

/* The middle of a path pushed sideways, to the right of travel for bend > 0 (geometry._bow). */
export function bow(points, bend) {
  var n = points.length;
  if (n < 3) return points;
  var mean = 0;
  for (var i = 0; i < n; i++) mean += points[i][1];
  var scale = Math.cos(clamp(mean / n, -80, 80) * RAD);
  var x0 = points[0][0] * scale, y0 = points[0][1];
  var dx = points[n - 1][0] * scale - x0, dy = points[n - 1][1] - y0;
  var length = Math.hypot(dx, dy);
  if (bend === 0 || length === 0) return points;
  var rx = dy / length, ry = -dx / length, reach = bend * length * 4;
  return points.map(function (p, j) {
    var t = j / (n - 1), push = reach * t * (1 - t) / 2;
    return [(p[0] * scale + push * rx) / scale, clamp(p[1] + push * ry, -89.9, 89.9)];
  });
}

/* geometry.arc_between: the great circle from a to b, bowed by bend; n points. */
export function arc(a, b, bend, n) {
  return bow(greatCircle(a, b, n || 48), bend);
}

/* [lon, lat] → Leaflet's EPSG:3857 pixel coordinates at zoom 0 (the world is 256 px wide). */
export function project(point) {
  var lat = clamp(point[1], -MAX_LAT, MAX_LAT) * RAD;
  return [256 * (point[0] / 360 + 0.5), 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI))];
}

/* The arc as quadratic Bézier pieces in zoom-0 pixels, written into out[at ...]:
 * x0, y0, c1x, c1y, x1, y1, ... Each piece passes through three points of the exact curve
 * (its ends and its middle); with a piece per 3° of arc the drawing stays within a quarter
 * pixel of the curve at zoom 9. Returns how many numbers it wrote (or, without `out`, a new
 * array of them). The same computation as arc(…, samples), without an array per point: a
 * map may have a hundred thousand flows. `samples` (48, or 24 for a fork's branch) is the
 * number of points the Python geometry gives the arc: the bow's scale depends on their
 * mean latitude. */
export function pieces(a, b, bend, out, at, samples, mean) {
  var n = 2 * pieceCount(a, b) + 1;
  if (out === undefined) {
    var own = new Float64Array(2 * n);
    pieces(a, b, bend, own, 0, samples);
    return own;
  }
  if (mean === undefined) mean = bend === 0 ? 0 : meanLatitude(a, b, samples || 48);
  var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
  var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa), pz = Math.sin(la);
  var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob), qz = Math.sin(lb);
  var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
  var same = omega < 1e-9, divisor = same ? 1 : Math.sin(omega);
  var shift = 0, previous = 0, i, t, sines = sinesOf(same ? 0 : omega, n), inverse = 1 / divisor;
  for (i = 0; i < n; i++) { // the great circle, unwrapped, into out as lon, lat
    t = i / (n - 1);
    // sin(ω(1 - t)) is sin(ω t) of the point as far from the other end
    var u = same ? 1 - t : sines[n - 1 - i], v = same ? t : sines[i];
    var x = (u * px + v * qx) * inverse, y = (u * py + v * qy) * inverse, z = (u * pz + v * qz) * inverse;
    var lon = Math.atan2(y, x) / RAD;
    if (i > 0 && Math.abs(lon - previous) > 180) shift -= 360 * Math.round((lon - previous) / 360);
    previous = lon;
    out[at + 2 * i] = lon + shift;
    out[at + 2 * i + 1] = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD;
  }

  var turn = 360 * Math.round((a[0] - out[at]) / 360);
  var scale = Math.cos(clamp(mean, -80, 80) * RAD);
  var x0 = (out[at] + turn) * scale, y0 = out[at + 1];
  var dx = (out[at + 2 * n - 2] + turn) * scale - x0, dy = out[at + 2 * n - 1] - y0;
  var length = Math.hypot(dx, dy), bowed = bend !== 0 && length !== 0;
  var rx = bowed ? dy / length : 0, ry = bowed ? -dx / length : 0, reach = bend * length * 4;
  for (i = 0; i < n; i++) { // the bow, then Leaflet's spherical Mercator at zoom 0
    t = i / (n - 1);
    var push = bowed ? reach * t * (1 - t) / 2 : 0;
    var lonI = out[at + 2 * i] + turn, latI = out[at + 2 * i + 1];
    if (bowed) { lonI = (lonI * scale + push * rx) / scale; latI = clamp(latI + push * ry, -89.9, 89.9); }
    var phi = clamp(latI, -MAX_LAT, MAX_LAT) * RAD;
    out[at + 2 * i] = 256 * (lonI / 360 + 0.5);
    out[at + 2 * i + 1] = 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI));
  }
  for (i = 1; i < n; i += 2) { // each middle sample → the control point that passes through it
    var j = at + 2 * i;
    out[j] = 2 * out[j] - (out[j - 2] + out[j + 2]) / 2;
    out[j + 1] = 2 * out[j + 1] - (out[j - 1] + out[j + 3]) / 2;
  }
  return 2 * n;
}

/* The mean latitude of the n points of the great circle from a to b: the bow's scale in
 * geometry._bow. (asin of the height, as the points are on the unit sphere; the sines of
 * the way there are the sines of the way back, in reverse.) */
export function meanLatitude(a, b, n) {
  var la = a[1] * RAD, oa = a[0] * RAD, lb = b[1] * RAD, ob = b[0] * RAD;
  var pz = Math.sin(la), qz = Math.sin(lb);
  var px = Math.cos(la) * Math.cos(oa), py = Math.cos(la) * Math.sin(oa);
  var qx = Math.cos(lb) * Math.cos(ob), qy = Math.cos(lb) * Math.sin(ob);
  var omega = Math.acos(clamp(px * qx + py * qy + pz * qz, -1, 1));
  var sum = 0, i;
  if (omega < 1e-9) {
    for (i = 0; i < n; i++) {
      var t = i / (n - 1), lx = (1 - t) * px + t * qx, ly = (1 - t) * py + t * qy, lz = (1 - t) * pz + t * qz;
      sum += Math.atan2(lz, Math.hypot(lx, ly));
    }
    return sum / n / RAD;
  }
  var sines = sinesOf(omega, n), divisor = Math.sin(omega);
  for (i = 0; i < n; i++) sum += Math.asin(clamp((sines[n - 1 - i] * pz + sines[i] * qz) / divisor, -1, 1));
  return sum / n / RAD;
}

/* sin(ω i/(n-1)) for i < n, in a buffer the next call overwrites (a canvas map asks for them
 * twice for each of tens of thousands of curves). */
var scratch = new Float64Array(129);
function sinesOf(omega, n) {
  if (scratch.length < n) scratch = new Float64Array(n);
  for (var i = 0; i < n; i++) scratch[i] = Math.sin(omega * (i / (n - 1)));
  return scratch;
}

/* How many numbers pieces() writes for a flow from a to b. */
export function piecesSize(a, b) {
  return 2 * (2 * pieceCount(a, b) + 1);
}

/* A piece per 3° of arc, more where Mercator stretches the map (far from the equator). */
function pieceCount(a, b) {
  var la = a[1] * RAD, lb = b[1] * RAD, dl = (b[0] - a[0]) * RAD;
  var cosine = Math.sin(la) * Math.sin(lb) + Math.cos(la) * Math.cos(lb) * Math.cos(dl);
  var degrees = Math.acos(clamp(cosine, -1, 1)) / RAD;
  var stretch = 1 / Math.cos(Math.min(75, Math.max(Math.abs(a[1]), Math.abs(b[1]))) * RAD);
  return clamp(Math.ceil(degrees * stretch / 3), 1, 64);
}

