// ESLint for the page's own scripts (geo/render/assets) and their unit tests (tests/js).
// The modules of geo/render/assets/map are ES modules, joined into the page's one script by
// geo/render/pagescript.py; the other assets are classic scripts, each in its own function.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["geo/render/assets/map/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "module",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    files: ["geo/render/assets/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    files: ["tests/js/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
