// The page writes its numbers, dates and plurals itself (geo/render/assets/map/words.js) from the
// data geo/render/pagewords.py gives it: they must be what Python (Babel, gettext) writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sayCount, number, longDay } from "../../geo/render/assets/map/words.js";
import { python } from "./python.js";

const COUNTS = [0, 1, 2, 3, 4, 5, 10, 11, 12, 14, 21, 22, 25, 100, 101, 102, 111, 1000, 1001, 12345];
const DAYS = ["2022-02-02", "2022-12-31", "2024-02-29", "1999-07-14"];

const PYTHON_WORDS = `
import json, sys
from datetime import date
from geo.language import LANGUAGES, speaking
from geo.render.pagewords import page_words
counts, days = json.load(sys.stdin)
out = {}
for code in LANGUAGES:
    with speaking(code) as words:
        out[code] = {
            "data": page_words(),
            "plurals": [words.plural("({count} movement)", "({count} movements)", n) for n in counts],
            "numbers": [words.number(n) for n in counts],
            "dates": [words.long_date(date.fromisoformat(d)) for d in days],
        }
print(json.dumps(out))
`;

const DAY_MS = 86400000;

test("plurals, numbers and long dates are the ones Python writes, in every language", () => {
  const expected = python(PYTHON_WORDS, [COUNTS, DAYS]);
  for (const [code, want] of Object.entries(expected)) {
    const words = want.data;
    assert.deepEqual(COUNTS.map((n) => sayCount(words, "groupLabel", n)), want.plurals, code);
    assert.deepEqual(COUNTS.map((n) => number(words, n)), want.numbers, code);
    const days = DAYS.map((d) => longDay(words, Math.round(Date.parse(d + "T00:00:00Z") / DAY_MS)));
    assert.deepEqual(days, want.dates, code);
  }
});
