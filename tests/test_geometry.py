"""Pure geometry: arcs, forks, arrowheads, antimeridian."""

from __future__ import annotations

import pytest
from shapely import LineString, MultiLineString

from geo.geometry import (
    arc_between,
    arrowhead,
    bends_for,
    fork,
    great_circle,
    split_at_antimeridian,
)

BERLIN, BUCHAREST = (13.4, 52.5), (26.1, 44.4)


def test_arc_starts_and_ends_at_the_places():
    arc = arc_between(BERLIN, BUCHAREST)
    assert arc.coords[0] == BERLIN
    assert arc.coords[-1] == BUCHAREST


def test_opposite_flows_bow_to_opposite_sides():
    there = arc_between(BERLIN, BUCHAREST)
    back = arc_between(BUCHAREST, BERLIN)
    assert (
        there.interpolate(0.5, normalized=True).distance(back.interpolate(0.5, normalized=True))
        > 0.5
    )


def test_parallel_flows_get_different_bends():
    assert bends_for([(BERLIN, BUCHAREST), (BERLIN, BUCHAREST), (BUCHAREST, BERLIN)]) == (
        pytest.approx([0.16, 0.30, 0.16])
    )


def test_the_fan_stops_widening_after_six_flows():
    bends = bends_for([(BERLIN, BUCHAREST)] * 9)
    assert bends[:6] == pytest.approx([0.16, 0.30, 0.44, 0.58, 0.72, 0.86])
    assert bends[6:] == pytest.approx([0.86] * 3)


def test_arc_across_the_antimeridian_stays_continuous():
    line = great_circle((170.0, 60.0), (-170.0, 60.0), 20)
    steps = abs(line[1:, 0] - line[:-1, 0])
    assert steps.max() < 5  # no jump across the map
    split = split_at_antimeridian(LineString(line))
    assert isinstance(split, MultiLineString)
    assert all(-180 <= x <= 180 for part in split.geoms for x, _ in part.coords)


def test_fork_splits_before_the_destinations():
    trunk, branches = fork((-97.5, 39.5), [(10.4, 51.1), (19.4, 52.1)])
    split = trunk.coords[-1]
    assert len(branches) == 2
    assert all(b.coords[0][1] == split[1] for b in branches)
    assert [b.coords[-1] for b in branches] == [(10.4, 51.1), (19.4, 52.1)]
    assert 0 < split[0] < 10.4  # over western Europe, not in mid-Atlantic


def test_arrowhead_tip_is_the_line_end():
    arc = arc_between(BERLIN, BUCHAREST)
    head = arrowhead(arc, length=0.5, width=0.4)
    assert head.exterior.coords[0] == BUCHAREST
    assert head.area > 0
