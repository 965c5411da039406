"""The commands of ``troopmap``, one module per group: each parses its options, calls the
library and prints. ``geo.cli`` gathers them under the ``troopmap`` group.

Heavy libraries (pandas, geopandas, folium) are imported inside the commands so that
``troopmap --help`` answers at once.
"""
