"""Tests for countyhub.routing.roads: road graph, snapping and matrices."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyhub.routing import (
    Matrices,
    RoadGraph,
    UnreachablePoint,
    geodesic_matrices,
    matrices,
)
from countyhub.routing.geo import haversine_m

# Near Tonggu's county seat: a tertiary road west to east, a village branch,
# a one-way street with a two-way way back round a block, and a detached road.
CENTRE = (114.40, 28.50)
VILLAGE = (114.41, 28.52)
BLOCK_SE = (114.43, 28.50)
BLOCK_NE = (114.43, 28.51)
ISLAND = (114.46, 28.55)


def _line(coords: list[tuple[float, float]], **props: Any) -> dict[str, Any]:
    geometry = {"type": "LineString", "coordinates": [list(c) for c in coords]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _roads() -> dict[str, Any]:
    main = [(114.40, 28.50), (114.41, 28.50), (114.42, 28.50), (114.43, 28.50)]
    return {
        "type": "FeatureCollection",
        "features": [
            _line(main, highway="tertiary"),
            _line([(114.41, 28.50), (114.41, 28.51), VILLAGE], highway="unclassified"),
            _line([BLOCK_SE, BLOCK_NE], highway="residential", oneway="yes"),
            _line([BLOCK_NE, (114.42, 28.51), (114.42, 28.50)], highway="residential"),
            _line([(114.45, 28.55), ISLAND], highway="track"),
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}},
        ],
    }


@pytest.fixture(scope="module")
def graph() -> RoadGraph:
    return RoadGraph.from_geojson(_roads())


def test_graph_merges_shared_vertices(graph: RoadGraph) -> None:
    """Lines drawn to the same junction share one node; one-way gets one arc."""
    assert graph.graph.number_of_nodes() == 10
    # 3 + 2 + 2 two-way segments and 1 detached, twice each; 1 one-way arc.
    assert graph.graph.number_of_edges() == 2 * 8 + 1


def test_road_distances_at_least_straight_line(graph: RoadGraph) -> None:
    """Along roads is never shorter than the great circle; the diagonal is zero."""
    points = [CENTRE, VILLAGE, BLOCK_SE, BLOCK_NE, (114.415, 28.502)]
    result = matrices(graph, points)
    assert result.method == "road graph"
    for i, j in itertools.product(range(len(points)), repeat=2):
        straight = haversine_m(*points[i], *points[j])
        assert result.distance_m[i][j] >= straight - 1
        assert (result.distance_m[i][j] == 0) == (i == j)


def test_one_way_is_respected(graph: RoadGraph) -> None:
    """Against the one-way street the route goes round the block."""
    d = matrices(graph, [BLOCK_SE, BLOCK_NE]).distance_m
    assert d[0][1] == pytest.approx(1112, abs=5)
    assert d[1][0] == pytest.approx(980 + 1112 + 980, abs=15)


def test_speeds_per_class_change_durations() -> None:
    """Doubling the tertiary speed halves the time along it, not the distance."""
    slow = matrices(RoadGraph.from_geojson(_roads()), [CENTRE, BLOCK_SE])
    fast = matrices(
        RoadGraph.from_geojson(_roads(), speeds={"tertiary": 60}), [CENTRE, BLOCK_SE]
    )
    assert fast.distance_m == slow.distance_m
    assert fast.duration_s[0][1] == pytest.approx(slow.duration_s[0][1] / 2, abs=1)
    assert slow.duration_s[0][1] == pytest.approx(
        slow.distance_m[0][1] / (30 / 3.6), abs=1
    )


def test_maxspeed_overrides_class_speed() -> None:
    """A posted maxspeed (km/h) sets the speed of its road."""
    roads = _roads()
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


def test_unreachable_point_is_named(graph: RoadGraph) -> None:
    """A point on a detached road raises UnreachablePoint naming that point."""
    with pytest.raises(UnreachablePoint, match="孤岛村") as info:
        matrices(graph, [CENTRE, VILLAGE, ISLAND], names=["中心", "大塅村", "孤岛村"])
    assert info.value.index == 2
    assert isinstance(info.value, ValueError)


def test_engines_and_route_choice_agree(graph: RoadGraph) -> None:
    """networkx and SciPy give the same matrices; the shortest is never longer."""
    points = [CENTRE, VILLAGE, BLOCK_SE, BLOCK_NE]
    by_scipy = matrices(graph, points)
    assert matrices(graph, points, engine="networkx") == by_scipy
    shortest = matrices(graph, points, route_by="distance")
    assert np.all(np.array(shortest.distance_m) <= np.array(by_scipy.distance_m))
    assert np.all(np.array(shortest.duration_s) >= np.array(by_scipy.duration_s))


def test_geodesic_fallback_symmetric_and_longer_than_haversine() -> None:
    """The fallback is symmetric, ≥ haversine, timed at the average speed."""
    points = [CENTRE, VILLAGE, BLOCK_SE, ISLAND]
    result = geodesic_matrices(points)
    assert result.method == "geodesic × 1.3"
    d = np.array(result.distance_m)
    assert np.array_equal(d, d.T) and np.all(np.diag(d) == 0)
    for i, j in itertools.combinations(range(len(points)), 2):
        assert d[i, j] >= haversine_m(*points[i], *points[j])
        assert result.duration_s[i][j] == pytest.approx(d[i, j] / (30 / 3.6), abs=1)


def test_osm_reader_matches_geojson(tmp_path: Path) -> None:
    """An .osm extract gives the graph its GeoJSON twin gives."""
    osm = tmp_path / "roads.osm"
    osm.write_text(
        """<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">
        <node id="1" lon="114.40" lat="28.50"/><node id="2" lon="114.41" lat="28.50"/>
        <node id="3" lon="114.41" lat="28.51"/><node id="4" lon="114.42" lat="28.51"/>
        <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
          <tag k="highway" v="tertiary"/><tag k="maxspeed" v="40"/></way>
        <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="track"/>
          <tag k="oneway" v="-1"/></way>
        <way id="12"><nd ref="1"/><nd ref="4"/><tag k="building" v="yes"/></way>
        </osm>""",
        encoding="utf-8",
    )
    twin = {
        "type": "FeatureCollection",
        "features": [
            _line(
                [(114.40, 28.50), (114.41, 28.50), (114.41, 28.51)],
                highway="tertiary",
                maxspeed=40,
            ),
            _line([(114.41, 28.51), (114.42, 28.51)], highway="track", oneway="-1"),
        ],
    }
    graph = RoadGraph.from_osm(osm).graph
    twin_arcs = RoadGraph.from_geojson(twin).graph.edges(data="time_s")
    assert sorted(graph.edges(data="time_s")) == sorted(twin_arcs)
    assert graph.has_edge(3, 2) and not graph.has_edge(2, 3)  # oneway=-1


def test_geojson_file_is_read(tmp_path: Path, graph: RoadGraph) -> None:
    """A path to a .geojson file reads like the parsed collection."""
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(_roads()), encoding="utf-8")
    assert (
        RoadGraph.from_geojson(path).graph.number_of_edges()
        == graph.graph.number_of_edges()
    )


@st.composite
def _network(draw: st.DrawFn) -> tuple[RoadGraph, list[tuple[float, float]]]:
    """A connected random road network in a 5 km box and a few points."""
    n = draw(st.integers(2, 12))
    coord = st.tuples(st.floats(114.40, 114.45), st.floats(28.48, 28.52))
    nodes = draw(st.lists(coord, min_size=n, max_size=n))
    road = st.sampled_from(["primary", "tertiary", "residential", "track"])
    features = [  # a spanning tree of two-way roads keeps it strongly connected
        _line([nodes[draw(st.integers(0, i - 1))], nodes[i]], highway=draw(road))
        for i in range(1, n)
    ]
    for _ in range(draw(st.integers(0, n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        features.append(
            _line(
                [nodes[a], nodes[b]],
                highway=draw(road),
                oneway=draw(st.sampled_from(["yes", "no", "-1"])),
            )
        )
    points = draw(st.lists(coord, min_size=1, max_size=6))
    return RoadGraph.from_geojson(
        {"type": "FeatureCollection", "features": features}
    ), points


def _triangle_holds(m: list[list[int]]) -> bool:
    a = np.array(m)
    via = a[:, :, None] + a[None, :, :]  # via[i, j, k] = a[i, j] + a[j, k]
    return bool(np.all(a[:, None, :] <= via + 1))  # +1: rounding to integers


@settings(max_examples=60, deadline=None)
@given(_network())
def test_matrices_are_metric_on_random_networks(
    case: tuple[RoadGraph, list[tuple[float, float]]],
) -> None:
    """On connected networks the chosen criterion obeys the triangle inequality."""
    graph, points = case
    fastest = matrices(graph, points)
    shortest = matrices(graph, points, route_by="distance")
    assert isinstance(fastest, Matrices)
    assert _triangle_holds(fastest.duration_s) and _triangle_holds(shortest.distance_m)
    for m in (fastest.distance_m, fastest.duration_s, shortest.distance_m):
        assert all(m[i][i] == 0 for i in range(len(points)))
