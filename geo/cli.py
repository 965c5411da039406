"""The ``troopmap`` command: parse options, call the pipeline, print. Nothing else.

The commands live in ``geo.commands``; this module gathers them under the ``troopmap`` group.
Heavy libraries (pandas, geopandas, folium) are imported inside the commands so that
``troopmap --help`` answers at once.
"""

from __future__ import annotations

import sys
import warnings

import click

from .commands.check import check, init
from .commands.options import DEFAULT_OUTPUT, reports_errors
from .commands.places import places_command
from .commands.render import embed, render
from .console import no_color, print_problems

__all__ = ["DEFAULT_OUTPUT", "main", "print_problems", "reports_errors"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="troopmap")
@click.pass_context
def main(context: click.Context) -> None:
    """Turn a spreadsheet of force movements into a map you can publish.

    With no CSV, troopmap uses its bundled dataset: the February 2022 reinforcement of NATO's
    eastern flank and Russia's build-up near Ukraine.
    """
    if no_color():
        context.color = False
    if not sys.warnoptions:
        # Libraries' warnings are for programmers; users see troopmap's own words only.
        warnings.simplefilter("ignore")


for command in (render, embed, check, places_command, init):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
