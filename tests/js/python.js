// The project's own Python, for the unit tests to compare the page's script with: the venv
// the test command makes (.venv), else $PYTHON or python3 with the package importable.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function interpreter() {
  if (process.env.PYTHON) return process.env.PYTHON;
  const venv = path.join(ROOT, ".venv", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

/* Runs Python `code` (which prints JSON) in the repository, with `input` as JSON on its stdin;
 * returns what it printed, parsed. */
export function python(code, input = null) {
  const out = execFileSync(interpreter(), ["-c", code], {
    cwd: ROOT, input: JSON.stringify(input), encoding: "utf-8", maxBuffer: 1 << 28,
  });
  return JSON.parse(out);
}
