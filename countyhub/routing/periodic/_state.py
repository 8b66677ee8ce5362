"""The search's working data: the problem's numbers, and a plan being improved.

A :class:`State` holds, per day, the routes (lists of client indices) and, per
client, the index of its chosen combination, with each day's distance. The
:class:`Context` holds what stays fixed during a search: the distances unscaled
(on which insertion deltas and costs are measured) and scaled for PyVRP (rounded
distances, travel times rounded up, so that a route within the shift for PyVRP
is within it here too), demands and service times, the deadline, the random
stream and the cache of day routings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from countyhub.routing.periodic.problem import PeriodicProblem

__all__ = ["EPS", "INF", "Context", "Routes", "State", "day_cost", "make_context"]

Routes = list[list[int]]
INF = float("inf")
EPS = 1e-6


@dataclass
class Context:
    """The problem's numbers, the clock, the random stream and the day cache."""

    problem: PeriodicProblem
    dist: NDArray[np.float64]
    dist_i: NDArray[np.int64]
    dur_i: NDArray[np.int64]
    demand: NDArray[np.int64]
    service: NDArray[np.float64]
    deadline: float
    rng: np.random.Generator
    seed: int
    cache: dict[frozenset[int], tuple[float, Routes]] = field(default_factory=dict)


@dataclass
class State:
    """A cycle plan: routes per day, chosen combination per client, cost per day."""

    routes: list[Routes]
    choice: list[int]
    cost: list[float]

    def copy(self) -> State:
        return State(
            [[list(r) for r in day] for day in self.routes],
            list(self.choice),
            list(self.cost),
        )


def make_context(problem: PeriodicProblem, seconds: float, seed: int) -> Context:
    """The numbers of ``problem``, a deadline ``seconds`` from now, seeded."""
    dist = problem.distance_matrix()
    scale = problem.precision
    return Context(
        problem=problem,
        dist=dist,
        dist_i=np.rint(dist * scale).astype(np.int64),
        dur_i=np.ceil(dist * scale - EPS).astype(np.int64),
        demand=np.array([c.demand for c in problem.clients], dtype=np.int64),
        service=np.array(
            [c.service_duration for c in problem.clients], dtype=np.float64
        ),
        deadline=time.perf_counter() + seconds,
        rng=np.random.default_rng(seed),
        seed=seed,
    )


def _length(ctx: Context, route: list[int]) -> float:
    nodes = [0, *(c + 1 for c in route), 0]
    return float(ctx.dist[nodes[:-1], nodes[1:]].sum())


def day_cost(ctx: Context, routes: Routes) -> float:
    """Distance of a day's routes, unscaled."""
    return sum(_length(ctx, r) for r in routes)
