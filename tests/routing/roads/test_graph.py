"""Tests for countyhub.routing.roads.graph: merging lines, speeds and snapping."""

from __future__ import annotations

import pytest

from countyhub.routing import RoadGraph, matrices
from tests.routing.roads.helpers import BLOCK_SE, CENTRE, sample_roads


def test_graph_merges_shared_vertices(graph: RoadGraph) -> None:
    """Lines drawn to the same junction share one node; one-way gets one arc."""
    assert graph.graph.number_of_nodes() == 10
    # 3 + 2 + 2 two-way segments and 1 detached, twice each; 1 one-way arc.
    assert graph.graph.number_of_edges() == 2 * 8 + 1


def test_speeds_per_class_change_durations() -> None:
    """Doubling the tertiary speed halves the time along it, not the distance."""
    slow = matrices(RoadGraph.from_geojson(sample_roads()), [CENTRE, BLOCK_SE])
    fast = matrices(
        RoadGraph.from_geojson(sample_roads(), speeds={"tertiary": 60}),
        [CENTRE, BLOCK_SE],
    )
    assert fast.distance_m == slow.distance_m
    assert fast.duration_s[0][1] == pytest.approx(slow.duration_s[0][1] / 2, abs=1)
    assert slow.duration_s[0][1] == pytest.approx(
        slow.distance_m[0][1] / (30 / 3.6), abs=1
    )


def test_maxspeed_overrides_class_speed() -> None:
    """A posted maxspeed (km/h) sets the speed of its road."""
    roads = sample_roads()
    roads["features"][0]["properties"]["maxspeed"] = "60"
    result = matrices(RoadGraph.from_geojson(roads), [CENTRE, BLOCK_SE])
    assert result.duration_s[0][1] == pytest.approx(
        result.distance_m[0][1] / (60 / 3.6), abs=1
    )


def test_snap_reports_distance_and_access_legs_count(graph: RoadGraph) -> None:
    """An off-road point snaps to the nearest node; its leg counts at 10 km/h."""
    off_road = (114.41, 28.5009)  # 100 m north of the junction
    (snap,) = graph.snap([off_road])
    assert (snap.lon, snap.lat) == (114.41, 28.50)
    assert snap.distance_m == pytest.approx(100, abs=1)
    on, off = (
        matrices(graph, [CENTRE, (114.41, 28.50)]),
        matrices(graph, [CENTRE, off_road]),
    )
    assert off.distance_m[0][1] - on.distance_m[0][1] == pytest.approx(100, abs=1)
    assert off.duration_s[0][1] - on.duration_s[0][1] == pytest.approx(36, abs=1)
