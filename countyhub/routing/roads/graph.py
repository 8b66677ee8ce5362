"""The road graph: networkx built from road lines, and snapping points to it.

A :class:`RoadGraph` is a directed networkx graph whose nodes are the lines'
vertices, rounded to 1e-5 degree (about 1 m) so that lines drawn to the same
junction meet; its arcs carry the haversine length in metres and the travel
time at the road class's speed (:data:`DEFAULT_SPEEDS_KMH`, overridable) or the
posted ``maxspeed``, and the packed weights the path search runs on. One-way
roads get one arc; others one each way. :meth:`RoadGraph.snap` finds each
point's nearest road node.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from countyhub.routing.geo import haversine_m
from countyhub.routing.roads._paths import pack
from countyhub.routing.roads.read import RoadLine, read_geojson_lines, read_osm_lines

__all__ = ["DEFAULT_SPEEDS_KMH", "Point", "RoadGraph", "Snap"]

Point = tuple[float, float]

#: Average speeds (km/h) of a delivery van by OSM road class on hilly rural
#: roads: well below the design speeds of China's highway grades (JTG B01-2014:
#: expressway 80-120, grade II 60-80, grade III 30-40, grade IV 20-30) to allow
#: for bends, villages and traffic. ``*_link`` roads take their class's speed;
#: an unknown class takes ``unclassified``'s.
DEFAULT_SPEEDS_KMH: Mapping[str, float] = {
    "motorway": 90.0,
    "trunk": 60.0,
    "primary": 50.0,
    "secondary": 40.0,
    "tertiary": 30.0,
    "unclassified": 25.0,
    "residential": 15.0,
    "service": 10.0,
    "track": 10.0,
}
_FALLBACK_CLASS = "unclassified"
_DECIMALS = 5  # node rounding: 1e-5 degree ≈ 1.1 m north-south
_EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Snap:
    """Where a point joins the road graph.

    Attributes
    ----------
    node : int
        The nearest road node.
    lon, lat : float
        The node's position, WGS84 degrees.
    distance_m : float
        Haversine distance from the point to the node, metres.
    """

    node: int
    lon: float
    lat: float
    distance_m: float


class RoadGraph:
    """A directed road graph: networkx nodes ``0 .. n-1`` with ``lon``/``lat``.

    Arcs carry ``length_m`` (metres), ``time_s`` (seconds) and ``highway``.
    Build it with :meth:`from_geojson`, :meth:`from_osm` or :meth:`from_lines`.

    Parameters
    ----------
    graph : networkx.DiGraph
        The graph, as the constructors make it.
    """

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        lonlat = [(d["lon"], d["lat"]) for _, d in sorted(graph.nodes(data=True))]
        self._lonlat = np.asarray(lonlat, dtype=np.float64).reshape(-1, 2)
        self._cos = math.cos(math.radians(float(np.mean(self._lonlat[:, 1]))))
        self._tree = cKDTree(self._project(self._lonlat)) if len(lonlat) else None

    @classmethod
    def from_geojson(
        cls,
        source: Mapping[str, Any] | str | os.PathLike[str],
        *,
        speeds: Mapping[str, float] | None = None,
    ) -> RoadGraph:
        """Build the graph from a GeoJSON FeatureCollection of road lines.

        Parameters
        ----------
        source : mapping or path
            The parsed FeatureCollection, or the path of a UTF-8 ``.geojson``
            file. LineString and MultiLineString features in WGS84 are read;
            their properties may give ``highway`` (or Geofabrik's ``fclass``;
            default ``"unclassified"``), ``maxspeed`` (km/h) and ``oneway``
            (``yes``/``-1``/``no``, or Geofabrik's ``F``/``T``/``B``).
        speeds : mapping, optional
            Speeds in km/h by road class, overriding
            :data:`DEFAULT_SPEEDS_KMH` for the classes given. Default None.
        """
        return cls.from_lines(read_geojson_lines(source, _FALLBACK_CLASS), speeds)

    @classmethod
    def from_osm(
        cls, path: str | os.PathLike[str], *, speeds: Mapping[str, float] | None = None
    ) -> RoadGraph:
        """Build the graph from an OpenStreetMap XML extract (``.osm``).

        Ways tagged ``highway`` are read with their ``maxspeed`` and
        ``oneway`` tags; no network access. `speeds` as in
        :meth:`from_geojson`.
        """
        return cls.from_lines(read_osm_lines(path), speeds)

    @classmethod
    def from_lines(
        cls, lines: Iterable[RoadLine], speeds: Mapping[str, float] | None = None
    ) -> RoadGraph:
        """Build the graph from road lines (see :meth:`from_geojson`)."""
        table = {**DEFAULT_SPEEDS_KMH, **(speeds or {})}
        graph = nx.DiGraph()
        ids: dict[tuple[int, int], int] = {}
        for line in lines:
            kmh = line.maxspeed_kmh or _class_speed(table, line.highway)
            nodes = [_node(graph, ids, lon, lat) for lon, lat in line.coords]
            for a, b in itertools.pairwise(nodes):
                if a != b:
                    _add_segment(graph, a, b, line, kmh)
        return cls(graph)

    def snap(self, points: Sequence[Point]) -> list[Snap]:
        """Return, for each ``(lon, lat)`` point, its nearest road node.

        Nearness is measured on a local equirectangular projection (exact
        enough across a county); the reported distance is haversine.

        Raises
        ------
        ValueError
            If the graph has no node.
        """
        if self._tree is None:
            raise ValueError("the road graph is empty: no node to snap to")
        xy = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        _, found = self._tree.query(self._project(xy))
        return [self._snap(p, int(k)) for p, k in zip(points, found, strict=True)]

    def _snap(self, point: Point, node: int) -> Snap:
        lon, lat = (float(c) for c in self._lonlat[node])
        return Snap(node, lon, lat, haversine_m(point[0], point[1], lon, lat))

    def _project(self, lonlat: np.ndarray) -> np.ndarray:
        scale = math.radians(1.0) * _EARTH_RADIUS_M
        return np.column_stack((lonlat[:, 0] * self._cos, lonlat[:, 1])) * scale


def _class_speed(table: Mapping[str, float], highway: str) -> float:
    base = highway.removesuffix("_link")
    return table.get(base, table[_FALLBACK_CLASS])


def _node(
    graph: nx.DiGraph, ids: dict[tuple[int, int], int], lon: float, lat: float
) -> int:
    key = (round(lon * 10**_DECIMALS), round(lat * 10**_DECIMALS))
    if key not in ids:
        ids[key] = len(ids)
        graph.add_node(ids[key], lon=key[0] / 10**_DECIMALS, lat=key[1] / 10**_DECIMALS)
    return ids[key]


def _add_segment(graph: nx.DiGraph, a: int, b: int, line: RoadLine, kmh: float) -> None:
    na, nb = graph.nodes[a], graph.nodes[b]
    length = haversine_m(na["lon"], na["lat"], nb["lon"], nb["lat"])
    time = length / (kmh / 3.6)
    arcs = {1: [(a, b)], -1: [(b, a)]}.get(line.oneway, [(a, b), (b, a)])
    for u, v in arcs:
        old = graph.get_edge_data(u, v)
        if old is None or time < old["time_s"]:  # parallel roads: keep the faster
            graph.add_edge(
                u,
                v,
                length_m=length,
                time_s=time,
                highway=line.highway,
                w_time=pack(length, time, "time"),
                w_distance=pack(length, time, "distance"),
            )
