"""Tests for countyhub.routing.roads.matrices: routes by road, or geodesic."""

from __future__ import annotations

import itertools

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
from tests.routing.roads.helpers import (
    BLOCK_NE,
    BLOCK_SE,
    CENTRE,
    ISLAND,
    VILLAGE,
    road_feature,
)


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


@st.composite
def _network(draw: st.DrawFn) -> tuple[RoadGraph, list[tuple[float, float]]]:
    """A connected random road network in a 5 km box and a few points."""
    n = draw(st.integers(2, 12))
    coord = st.tuples(st.floats(114.40, 114.45), st.floats(28.48, 28.52))
    nodes = draw(st.lists(coord, min_size=n, max_size=n))
    road = st.sampled_from(["primary", "tertiary", "residential", "track"])
    features = [  # a spanning tree of two-way roads keeps it strongly connected
        road_feature([nodes[draw(st.integers(0, i - 1))], nodes[i]], highway=draw(road))
        for i in range(1, n)
    ]
    for _ in range(draw(st.integers(0, n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        features.append(
            road_feature(
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
