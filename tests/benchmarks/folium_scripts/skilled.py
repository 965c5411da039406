"""The skilled folium map a benchmark compares troopmap with: one GeoJson layer, one popup.

    python skilled.py MOVEMENTS.csv PLACES.csv OUT.html

What an experienced folium user writes: pandas reads both files, the places are joined in one
step, every movement becomes a straight-line GeoJSON feature in one FeatureCollection, drawn by a
single ``folium.GeoJson`` layer whose ``GeoJsonPopup`` reads the feature properties.
"""

import sys

import folium
import pandas as pd

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def main(movements_csv: str, places_csv: str, out: str) -> None:
    places = pd.read_csv(places_csv, usecols=["name", "lat", "lon"]).set_index("name")
    rows = pd.read_csv(movements_csv, dtype=str, keep_default_na=False)
    rows["troops"] = pd.to_numeric(rows["troops"].str.lstrip("~").replace("", "0"))
    rows["destination"] = rows["destination"].str.split(";")
    rows = rows.explode("destination")
    rows["destination"] = rows["destination"].str.split("=").str[0].str.strip()
    rows = rows[rows["origin"] != ""]
    start = places.loc[rows["origin"], ["lon", "lat"]].to_numpy().round(4).tolist()
    end = places.loc[rows["destination"], ["lon", "lat"]].to_numpy().round(4).tolist()
    actors = {a: COLOURS[i % len(COLOURS)] for i, a in enumerate(rows["actor"].unique())}
    fields = ["actor", "unit", "troops", "origin", "destination", "date", "status", "notes"]
    properties = rows[fields].to_dict("records")
    features = [
        {
            "type": "Feature",
            "properties": p,
            "geometry": {"type": "LineString", "coordinates": [a, b]},
        }
        for p, a, b in zip(properties, start, end, strict=True)
    ]
    fmap = folium.Map(location=[50, 30], zoom_start=5, prefer_canvas=True)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {"color": actors[f["properties"]["actor"]], "weight": 2},
        popup=folium.GeoJsonPopup(fields=fields),
    ).add_to(fmap)
    fmap.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
