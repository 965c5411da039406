"""A desk publishes the same map in several languages: every word troopmap writes follows
``--lang`` (or ``lang`` in the style file); the CSV's own text stays as written."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import page_data_of

from geo.language import LANGUAGES, catalog_text, speaking, words_for
from scripts.update_catalogs import as_text, extract

OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]
FIELD = re.compile(r"\{(\w+)\}")


def catalog(code: str) -> Any:
    return read_po(io.StringIO(catalog_text(f"{code}.po")), locale=code)


def test_the_english_catalog_is_in_step_with_the_code() -> None:
    """Run ``python scripts/update_catalogs.py`` (then translate) if this fails."""
    assert as_text(extract()) == catalog_text("troopmap.pot")


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_message_is_translated_with_the_same_fields(code: str) -> None:
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    found = catalog(code)
    translated = {}
    for message in found:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(forms), f"{code}: {key!r} is not translated"
        source = set(FIELD.findall(key))
        for form in forms:
            # A plural form for one or two may spell the number out ("تحركان"): {count} aside.
            assert set(FIELD.findall(form)) - {"count"} == source - {"count"}, (code, key, form)
        translated[key] = forms
    assert set(translated) == english


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_a_catalog_compiles_to_the_same_bytes_every_time(code: str) -> None:
    def compiled() -> bytes:
        out = io.BytesIO()
        write_mo(out, catalog(code))
        return out.getvalue()

    assert compiled() == compiled()


def test_country_names_are_in_step_with_natural_earth() -> None:
    """``datasets/country-names.json`` is made by ``python scripts/derive_countries.py
    --names-only``: re-derive it if this fails."""
    from geo.paths import bundled
    from scripts.derive_countries import derive_names

    assert derive_names() == bundled("country-names.json").read_bytes()


def test_dates_numbers_and_countries_take_the_locales_form() -> None:
    from datetime import date

    uk, de, ar, en = (words_for(code) for code in ("uk", "de", "ar", "en"))
    assert uk.long_date(date(2022, 2, 2)) == "2 лютого 2022\u202fр."
    assert de.long_date(date(2022, 2, 2)) == "2. Februar 2022"
    assert en.long_date(date(2022, 2, 2)) == "2 February 2022"
    assert uk.number(30000) == "30\xa0000" and de.number(30000) == "30.000"
    assert en.number(30000) == "30,000"
    assert uk.country("UKR", "Ukraine") == "Україна" and ar.country("BLR", "Belarus") == "بيلاروسيا"
    assert ar.direction == "rtl" and uk.direction == "ltr"
    assert uk.plural("{count} movement", "{count} movements", 3) == "3 переміщення"
    assert uk.plural("{count} movement", "{count} movements", 5) == "5 переміщень"


def test_a_language_troopmap_has_no_words_for_is_a_usage_error(invoke: Any, tmp_path: Path) -> None:
    result = invoke("render", "--lang", "tlh", "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 2
    assert '"tlh" is not a language troopmap writes maps in.' in result.stderr
    assert "ar, de, es, fr, pl, ru, uk" in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_the_summary_is_written_in_the_language_and_the_csv_text_is_not() -> None:
    from geo import pipeline

    style = pipeline.style_for(None, lang="uk")
    layers = pipeline.layers_for(None, style=style)
    assert layers.summary.startswith("4 переміщення, повідомлено 2 лютого 2022\u202fр.: ")
    assert "United States: 1\xa0000 військових, Germany → Romania (наказано)" in layers.summary
    assert "розподіл не повідомлено" in layers.summary
    assert "Russia → Belarus (заявлено), 10–20 лют. 2022\u202fр." in layers.summary
    assert layers.title == "United States і Russia: переміщення військ"
    with speaking("en"):
        assert pipeline.layers_for(None).title == "United States and Russia: troop movements"


def test_the_style_file_sets_the_language(render: Any, tmp_path: Path) -> None:
    style = tmp_path / "troopmap.toml"
    style.write_text('lang = "ar"\n', encoding="utf-8")
    page = tmp_path / "map.html"
    render("--style", str(style), "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert page_data_of(page)["words"]["dir"] == "rtl"
    # The command line wins over the file.
    render("--style", str(style), "--lang", "de", "-o", str(page))
    assert '<html lang="de">' in page.read_text(encoding="utf-8")


def test_a_style_file_naming_an_unknown_language_is_an_error(invoke: Any, tmp_path: Path) -> None:
    style = tmp_path / "troopmap.toml"
    style.write_text('lang = "xx"\n', encoding="utf-8")
    result = invoke("render", "--style", str(style), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert '"xx" is not a language troopmap writes maps in.' in result.stderr
