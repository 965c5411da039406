"""The naive folium map a benchmark compares troopmap with: one PolyLine and popup per movement.

    python naive.py MOVEMENTS.csv PLACES.csv OUT.html

What a careful beginner writes from folium's quickstart: read the CSV, look each place up in a
dict, add one ``folium.PolyLine`` (straight, with an HTML popup) per movement and destination,
a ``CircleMarker`` per stationed force, and save.
"""

import csv
import html
import sys

import folium

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def main(movements_csv: str, places_csv: str, out: str) -> None:
    with open(places_csv, encoding="utf-8") as handle:
        places = {
            row["name"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)
        }
    with open(movements_csv, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    colours: dict[str, str] = {}
    fmap = folium.Map(location=[50, 30], zoom_start=5)
    for row in rows:
        colour = colours.setdefault(row["actor"], COLOURS[len(colours) % len(COLOURS)])
        troops = row["troops"].lstrip("~") or "0"
        popup = (
            f"<b>{html.escape(row['actor'])}</b> {html.escape(row['unit'])}<br>"
            f"{int(troops):,} troops<br>{html.escape(row['origin'])} → "
            f"{html.escape(row['destination'])}<br>{row['date']} · {row['status']}<br>"
            f"{html.escape(row['notes'])}"
        )
        for destination in row["destination"].split(";"):
            target = places[destination.split("=")[0].strip()]
            if row["origin"]:
                folium.PolyLine(
                    [places[row["origin"]], target],
                    color=colour,
                    weight=2 + int(troops) ** 0.5 / 20,
                    popup=folium.Popup(popup, max_width=300),
                ).add_to(fmap)
            else:
                folium.CircleMarker(
                    target,
                    radius=4 + int(troops) ** 0.5 / 10,
                    color=colour,
                    popup=folium.Popup(popup, max_width=300),
                ).add_to(fmap)
    fmap.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
