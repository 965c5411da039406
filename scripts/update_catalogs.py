"""Extract the words troopmap writes on its maps into ``geo/locale/troopmap.pot`` (the English
catalog) and bring each language's catalog (``geo/locale/<code>.po``) in step with it.

Messages are marked in the code as ``words("...")``, ``words.plural("...", "...", n)``,
``N_("...")`` (a word defined in one place, translated where used) and
``N_plural("...", "...")``. Run after changing a message, then translate the new entries
(``msgstr ""``) of each ``.po`` file::

    python scripts/update_catalogs.py

The output is deterministic: no dates, messages in the order the code first uses them, line
numbers left out (so a change elsewhere in a file does not touch the catalogs).
``tests/test_language.py`` checks that the catalogs are in step with the code and complete.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "geo" / "locale"
KEYWORDS = {"words": None, "plural": (1, 2), "N_": None, "N_plural": (1, 2)}
FIXED_DATE = datetime(2022, 2, 2, tzinfo=timezone.utc)  # the catalogs carry no clock time
HEADER = "Words troopmap writes on its maps. Translations are checked by tests/test_language.py."


def extract() -> Catalog:
    """The English catalog: every message marked in ``geo/``."""
    catalog = Catalog(
        project="troopmap",
        version="",
        copyright_holder="troopmap",
        header_comment=f"# {HEADER}",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )
    found = extract_from_dir(
        str(ROOT / "geo"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    )
    for filename, _line, message, _comments, _context in sorted(
        found, key=lambda item: (item[0], item[1])
    ):
        if catalog.get(message if isinstance(message, str) else message[0]) is None:
            catalog.add(message, locations=[(f"geo/{filename}", None)])
    return catalog


def as_text(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
    return out.getvalue().decode("utf-8")


def updated(code: str, template: Catalog) -> str:
    """The catalog of ``code`` with the template's messages: translations kept, new messages
    empty, messages no longer used dropped."""
    path = LOCALE / f"{code}.po"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    catalog = read_po(io.StringIO(text), locale=code) if text else Catalog(locale=code)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.project, catalog.version = "troopmap", ""
    catalog.header_comment = f"# {HEADER}"
    catalog.fuzzy = False
    return as_text(catalog)


def main() -> int:
    from geo.language import LANGUAGES

    template = extract()
    (LOCALE / "troopmap.pot").write_text(as_text(template), encoding="utf-8")
    for code in LANGUAGES:
        if code != "en":
            (LOCALE / f"{code}.po").write_text(updated(code, template), encoding="utf-8")
    print(f"{len(template)} messages; catalogs: {', '.join(LANGUAGES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
