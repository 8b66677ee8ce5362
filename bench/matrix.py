"""Time of the road-graph matrices on a synthetic county road grid.

    python -m bench.matrix [--points 1000] [--edges 100000] [--seed 1]
                           [--engine scipy|networkx|both]

Lays a seeded, jittered square grid of about EDGES two-way road segments over
Tonggu's extent (lon 114.08-114.73, lat 28.38-28.83): every tenth row and
column a secondary road, every fifth a tertiary, the rest unclassified. Draws
POINTS random points in the same box (the first is the depot), snaps them,
and computes the fastest-route matrices. Prints the graph's size and the
seconds for building, snapping and the matrices (issue 5's target: under 10 s
for 1,000 points on 100,000 edges).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Iterator

import numpy as np

from countyhub.routing.roads import RoadGraph, RoadLine, matrices

LON = (114.08, 114.73)
LAT = (28.38, 28.83)


def grid_lines(edges: int, rng: np.random.Generator) -> Iterator[RoadLine]:
    """Yield the rows and columns of a k × k grid with about `edges` segments."""
    k = max(2, round(math.sqrt(edges / 2)))
    step_lon, step_lat = (LON[1] - LON[0]) / (k - 1), (LAT[1] - LAT[0]) / (k - 1)
    lon = (
        LON[0] + np.arange(k)[None, :] * step_lon + rng.normal(0, step_lon / 8, (k, k))
    )
    lat = (
        LAT[0] + np.arange(k)[:, None] * step_lat + rng.normal(0, step_lat / 8, (k, k))
    )
    for i in range(k):
        road = _road_class(i)
        yield RoadLine(list(zip(lon[i], lat[i], strict=True)), road, None, 0)
        yield RoadLine(list(zip(lon[:, i], lat[:, i], strict=True)), road, None, 0)


def _road_class(i: int) -> str:
    if i % 10 == 0:
        return "secondary"
    return "tertiary" if i % 5 == 0 else "unclassified"


def main(argv: list[str] | None = None) -> None:
    """Build, snap, compute and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--engine", choices=["scipy", "networkx", "both"], default="scipy"
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    start = time.perf_counter()
    graph = RoadGraph.from_lines(grid_lines(args.edges, rng))
    built = time.perf_counter()
    points = list(
        zip(rng.uniform(*LON, args.points), rng.uniform(*LAT, args.points), strict=True)
    )
    snaps = graph.snap(points)
    snapped = time.perf_counter()
    g = graph.graph
    print(
        f"segments {g.number_of_edges() // 2}  arcs {g.number_of_edges()}  "
        f"nodes {g.number_of_nodes()}  points {len(points)}"
    )
    print(
        f"build {built - start:.2f} s  snap {snapped - built:.3f} s  "
        f"(max snap {max(s.distance_m for s in snaps):.0f} m)"
    )
    engines = ["scipy", "networkx"] if args.engine == "both" else [args.engine]
    for engine in engines:
        t0 = time.perf_counter()
        result = matrices(graph, points, engine=engine)
        seconds = time.perf_counter() - t0
        d = np.asarray(result.distance_m)
        print(
            f"matrices ({engine}) {seconds:.2f} s  "
            f"mean distance {d.mean() / 1000:.1f} km  target < 10 s: "
            f"{'met' if seconds < 10 else 'missed'}"
        )


if __name__ == "__main__":
    main()
