"""The distance and travel-time matrices of the day's plan, by road or geodesic.

:func:`matrices` snaps each point (the depot first) to its nearest road node
and runs one Dijkstra per point; the distance and duration of a pair belong to
the same route, the fastest by default (``route_by="distance"`` for the
shortest). The snapping legs count at both ends at a slow access speed. Without
a road network, :func:`geodesic_matrices` gives geodesic distance times a
detour factor. Either returns :class:`Matrices`, whose ``method`` says which.

Points are ``(lon, lat)`` in WGS84 degrees; metres and seconds, rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from geopy.distance import geodesic

from countyhub.routing.roads._paths import Engine, RouteBy, path_weights, unpack
from countyhub.routing.roads.graph import Point, RoadGraph, Snap

__all__ = ["Matrices", "UnreachablePoint", "geodesic_matrices", "matrices"]


class UnreachablePoint(ValueError):
    """A point that cannot be reached on the road graph, or cannot leave it.

    Attributes
    ----------
    index : int
        Index of the point in the list given (0 is the depot).
    name : str
        The point's name, or ``"point <index>"`` when none was given.
    """

    def __init__(self, index: int, name: str, other: str) -> None:
        super().__init__(
            f"{name} is not connected to {other} on the road graph (a separate "
            "piece of road, or one-way roads that lead only one way)"
        )
        self.index = index
        self.name = name


@dataclass(frozen=True)
class Matrices:
    """Travel distances and times between points, the depot first.

    Attributes
    ----------
    distance_m : list of list of int
        ``distance_m[i][j]``: metres from point ``i`` to point ``j``.
    duration_s : list of list of int
        Seconds for the same trip.
    method : str
        ``"road graph"`` or ``"geodesic × <detour>"``.
    snaps : tuple of Snap
        Where each point joined the road graph; empty for geodesic matrices.
    """

    distance_m: list[list[int]]
    duration_s: list[list[int]]
    method: str
    snaps: tuple[Snap, ...] = field(default=())


def matrices(
    graph: RoadGraph,
    points: Sequence[Point],
    *,
    names: Sequence[str] | None = None,
    route_by: RouteBy = "time",
    access_speed_kmh: float = 10.0,
    engine: Engine = "scipy",
) -> Matrices:
    """Compute distance and time matrices on the road graph, the depot first.

    Parameters
    ----------
    graph : RoadGraph
        The road network.
    points : sequence of (float, float)
        ``(lon, lat)`` in WGS84 degrees; the depot is ``points[0]``.
    names : sequence of str, optional
        Names of the points, for error messages. Default None (indices).
    route_by : {"time", "distance"}
        Which route joins two points: the fastest (default) or the shortest.
        Both matrices describe that same route.
    access_speed_kmh : float
        Speed on the leg between a point and its road node, counted at both
        ends, in km/h. Default 10.
    engine : {"scipy", "networkx"}
        Dijkstra implementation; same results. Default ``"scipy"`` (compiled).

    Returns
    -------
    Matrices
        Integer metres and seconds, rounded; method ``"road graph"``.

    Raises
    ------
    UnreachablePoint
        If some point cannot reach another, or be reached from it.
    """
    snaps = graph.snap(points)
    weight = "w_time" if route_by == "time" else "w_distance"
    packed = path_weights(graph.graph, [s.node for s in snaps], weight, engine)
    _check_reachable(packed, names)
    length, time = unpack(packed, route_by)
    access = np.array([s.distance_m for s in snaps])
    ends = access[:, None] + access[None, :]
    np.fill_diagonal(ends, 0.0)  # staying put needs no access legs
    return Matrices(
        distance_m=_rounded(length + ends),
        duration_s=_rounded(time + ends / (access_speed_kmh / 3.6)),
        method="road graph",
        snaps=tuple(snaps),
    )


def _check_reachable(packed: np.ndarray, names: Sequence[str] | None) -> None:
    missing = ~np.isfinite(packed)
    if not missing.any():
        return
    # Blame the point with the most broken pairs, the depot last: usually the
    # stray one.
    broken = missing.sum(axis=0) + missing.sum(axis=1)
    bad = len(broken) - 1 - int(np.argmax(broken[::-1]))
    other = int(np.argmax(missing[bad] | missing[:, bad]))
    label = (lambda k: names[k]) if names else (lambda k: f"point {k}")
    raise UnreachablePoint(bad, label(bad), label(other))


def _rounded(values: np.ndarray) -> list[list[int]]:
    rounded: list[list[int]] = np.rint(values).astype(np.int64).tolist()
    return rounded


def geodesic_matrices(
    points: Sequence[Point], *, detour: float = 1.3, speed_kmh: float = 30.0
) -> Matrices:
    """Estimate the matrices without a road network, the depot first.

    Parameters
    ----------
    points : sequence of (float, float)
        ``(lon, lat)`` in WGS84 degrees; the depot is ``points[0]``.
    detour : float
        Road distance over geodesic (WGS84 ellipsoid) distance. Default 1.3.
    speed_kmh : float
        Average speed on that road distance, km/h. Default 30.

    Returns
    -------
    Matrices
        Symmetric integer metres and seconds; method ``"geodesic × <detour>"``.
    """
    n = len(points)
    road = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            (lon1, lat1), (lon2, lat2) = points[i], points[j]
            road[i, j] = road[j, i] = geodesic((lat1, lon1), (lat2, lon2)).m * detour
    return Matrices(
        distance_m=_rounded(road),
        duration_s=_rounded(road / (speed_kmh / 3.6)),
        method=f"geodesic × {detour:g}",
    )
