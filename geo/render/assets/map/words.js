/* troopmap words: every word the page's scripts write comes from data.words, made by
 * geo/render/pagewords.py in the map's language (its gettext catalog), with the numbers and
 * dates in the locale's form (Babel's CLDR data). Nothing here holds a word of any language. */

var DAY_MS = 86400000;

/* Text with its {fields} filled in; a field's value (CSV text) is never read as a template. */
function fill(text, fields) {
  return String(text).replace(/\{(\w+)\}/g, function (all, name) {
    return fields && Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : all;
  });
}

export function say(words, key, fields) {
  return fill(words.w[key], fields);
}

/* The form of a message for `count` (the language's plural rule, as a table of the last two
 * digits: words.plural), with {count} written as a number of the language. */
export function sayCount(words, key, count, fields) {
  var table = words.plural, forms = words.p[key];
  var form = table[count < table.length ? count : 100 + (count % 100)] || 0;
  var all = { count: number(words, count) };
  for (var name in fields || {}) all[name] = fields[name];
  return fill(forms[Math.min(form, forms.length - 1)], all);
}

/* 30000 → "30,000", "30 000", "30.000": digits grouped by three with the locale's symbol. */
export function number(words, n) {
  var digits = String(Math.round(Math.abs(n)));
  var grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, words.group);
  return (n < 0 ? "-" : "") + grouped;
}

/* A day (days since 1970-01-01) as the locale writes a long date: "2 лютого 2022 р.". */
export function longDay(words, dayNumber) {
  var d = new Date(dayNumber * DAY_MS), pattern = words.date;
  return pattern.parts.map(function (part) {
    if (part === "d") return String(d.getUTCDate());
    if (part === "M") return pattern.months[d.getUTCMonth()];
    if (part === "y") return String(d.getUTCFullYear());
    return part;
  }).join("");
}

export function statusWord(words, status) {
  return words.status[status] || status;
}
