"""Shortest paths between chosen nodes of a road graph, by networkx or SciPy.

A matrix needs, for each pair, the distance *and* the duration of one route.
Rather than two searches per source, each arc carries one integer weight that
packs both: the criterion the route is chosen by in the high bits and the other
quantity in the low :data:`SHIFT` bits. Sums of such integers are exact in a
float64 while below 2**53, so one Dijkstra gives the best route by the first
criterion (ties broken by the second) and the other quantity along that same
route. Units: decimetres and centiseconds, so the low field holds up to
2**26 dm (6,710 km) or 2**26 cs (186 h) and the high field 2**27 of either.

Two engines give the same numbers: ``"networkx"`` (one
``single_source_dijkstra_path_length`` per source, the reference) and
``"scipy"`` (``scipy.sparse.csgraph.dijkstra`` over a CSR matrix, compiled,
about 25 times faster; the default).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

__all__ = ["SHIFT", "Engine", "RouteBy", "pack", "path_weights", "unpack"]

RouteBy = Literal["time", "distance"]
Engine = Literal["scipy", "networkx"]

SHIFT = 26
_LOW = (1 << SHIFT) - 1
_HIGH_LIMIT = float(1 << 53)
_DM_PER_M = 10.0
_CS_PER_S = 100.0
# Sources per SciPy call: bounds the dense block to chunk × nodes float64s.
_CHUNK = 64


def pack(length_m: float, time_s: float, route_by: RouteBy) -> int:
    """Return the packed integer weight of one arc (at least 1)."""
    dm, cs = round(length_m * _DM_PER_M), round(time_s * _CS_PER_S)
    high, low = (cs, dm) if route_by == "time" else (dm, cs)
    return max(1, (high << SHIFT) + low)  # SciPy reads a zero as "no arc"


def unpack(
    packed: NDArray[np.float64], route_by: RouteBy
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Split packed path weights into metres and seconds (inf stays inf).

    Raises
    ------
    OverflowError
        If a path is too long for the packing to be exact.
    """
    finite = np.isfinite(packed)
    if np.any(packed[finite] >= _HIGH_LIMIT):
        raise OverflowError("a route is too long for exact packed weights")
    ints = np.where(finite, packed, 0).astype(np.int64)
    high, low = (ints >> SHIFT).astype(float), (ints & _LOW).astype(float)
    dm, cs = (low, high) if route_by == "time" else (high, low)
    inf = np.where(finite, 0.0, np.inf)
    return dm / _DM_PER_M + inf, cs / _CS_PER_S + inf


def path_weights(
    graph: nx.DiGraph,
    nodes: Sequence[int],
    weight: str,
    engine: Engine = "scipy",
) -> NDArray[np.float64]:
    """Return the packed shortest-path weights between `nodes`, inf if none.

    Row ``i``, column ``j`` is the weight from ``nodes[i]`` to ``nodes[j]``.
    Graph nodes must be the integers ``0 .. n-1``.
    """
    unique = sorted(set(nodes))
    if engine == "networkx":
        block = _networkx(graph, unique, weight)
    else:
        block = _scipy(graph, unique, weight)
    where = {node: k for k, node in enumerate(unique)}
    pick = np.array([where[n] for n in nodes], dtype=np.int64)
    return block[np.ix_(pick, pick)]


def _networkx(graph: nx.DiGraph, nodes: list[int], weight: str) -> NDArray[np.float64]:
    out = np.full((len(nodes), len(nodes)), np.inf)
    for i, source in enumerate(nodes):
        reached = nx.single_source_dijkstra_path_length(graph, source, weight=weight)
        out[i] = [reached.get(t, np.inf) for t in nodes]
    return out


def _scipy(graph: nx.DiGraph, nodes: list[int], weight: str) -> NDArray[np.float64]:
    csr = _csr(graph, weight)
    targets = np.asarray(nodes, dtype=np.int64)
    blocks = [
        dijkstra(csr, directed=True, indices=targets[i : i + _CHUNK])[:, targets]
        for i in range(0, len(targets), _CHUNK)
    ]
    return np.vstack(blocks) if blocks else np.zeros((0, 0))


def _csr(graph: nx.DiGraph, weight: str) -> sp.csr_array:
    n = graph.number_of_nodes()
    if not graph.number_of_edges():
        return sp.csr_array((n, n), dtype=np.float64)
    u, v, w = zip(*graph.edges(data=weight), strict=True)
    return sp.csr_array(
        (np.asarray(w, dtype=np.float64), (np.asarray(u), np.asarray(v))),
        shape=(n, n),
    )
