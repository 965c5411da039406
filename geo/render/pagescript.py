"""The page's own script, joined from the ES modules in ``assets/map/`` into one classic script.

Each file there is an ES module: Node imports it as it is (the unit tests under ``tests/js``)
and ESLint checks its imports and exports. The page gets them without a bundler: each module
becomes a function run once, in the order of ``MODULES`` (a module imports only from those
before it), which returns an object of its exports; ``import { a, b } from "./x.js";`` becomes
``var a = x.a, b = x.b;`` and ``import * as x from "./x.js";`` becomes ``var x = <x's
object>;``. Only these forms are allowed (one import a line, ``export`` only in front of a
``function`` or ``var`` declaration), so that the join stays a few text substitutions that give
the same bytes for the same files, and each module keeps its own scope.

The modules of ``CANVAS_MODULES`` draw large maps on one canvas; a page whose map is drawn as
vector layers (600 flows or fewer: ``pagedata.CANVAS_ABOVE``) is joined without them, which
every small page would otherwise carry. A module left out becomes an empty object: what is
imported from it is ``undefined`` (``draw.js`` looks for the canvas painter of another script
of the page, a fragment pasted beside a large map's, before it gives up).
"""

from __future__ import annotations

import re
from importlib import resources

MODULES = (
    "dom",
    "geometry",
    "model",
    "words",
    "popups",
    "leaflet",
    "shapes",
    "areas",
    "vector",
    "curves",
    "plan",
    "marks",
    "hit",
    "canvas",
    "basemap",
    "context",
    "frame",
    "view",
    "draw",
    "main",
)  # each after the modules it imports; main.js (window.troopmap) last
CANVAS_MODULES = ("curves", "plan", "marks", "hit", "canvas")  # only for maps on a canvas

_IMPORT = re.compile(
    r'^import (?:\{ (?P<names>[\w$, ]+) \}|\* as (?P<all>\w+)) from "\./(?P<module>\w+)\.js";$',
    re.M,
)
_EXPORT = re.compile(r"^export (?P<kind>function|var) (?P<name>[\w$]+)", re.M)


class ModuleFormError(ValueError):
    """A module of ``assets/map`` uses an import or export the join does not handle."""


def module_source(name: str) -> str:
    return (resources.files("geo.render") / "assets" / "map" / f"{name}.js").read_text(
        encoding="utf-8"
    )


def joined_script(canvas: bool = True) -> str:
    """The modules of ``MODULES`` as one script (not yet minified); without ``canvas``, those
    of ``CANVAS_MODULES`` left out."""
    parts = ["(function () {", '"use strict";']
    done: set[str] = set()
    for name in MODULES:
        if canvas or name not in CANVAS_MODULES:
            parts.append(_as_function(name, module_source(name), done))
        else:
            parts.append(f"var module_{name} = {{}};")
        done.add(name)
    parts.append("})();")
    return "\n".join(parts) + "\n"


def _as_function(name: str, source: str, done: set[str]) -> str:
    def imported(match: re.Match[str]) -> str:
        module = match["module"]
        if module not in done:
            raise ModuleFormError(f"{name}.js imports {module}.js, which MODULES puts after it")
        if match["all"]:
            return f"var {match['all']} = module_{module};"
        names = [n.strip() for n in match["names"].split(",")]
        return "var " + ", ".join(f"{n} = module_{module}.{n}" for n in names) + ";"

    body = _IMPORT.sub(imported, source)
    exports = [m["name"] for m in _EXPORT.finditer(body)]
    body = _EXPORT.sub(r"\g<kind> \g<name>", body)
    if re.search(r"^\s*(import|export)\b", body, re.M):
        raise ModuleFormError(f"{name}.js: an import or export the join does not handle")
    returned = ", ".join(f"{n}: {n}" for n in exports)
    return f"var module_{name} = (function () {{\n{body}return {{ {returned} }};\n}})();"
