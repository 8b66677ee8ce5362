"""Measuring and checking a cycle plan on the unscaled distances.

The search works on routes as lists of client indices; :func:`day_plan` turns a
day's routes into a :class:`~countyhub.routing.periodic.result.DayPlan` (its
distance, loads and durations) and :func:`is_feasible` checks the whole cycle
against the problem's combinations, capacity, shift and fleet.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from countyhub.routing.periodic.problem import PeriodicProblem
from countyhub.routing.periodic.result import DayPlan

__all__ = ["day_plan", "is_feasible"]

_TOLERANCE = 1e-6


def day_plan(
    problem: PeriodicProblem,
    dist: NDArray[np.float64],
    day: int,
    routes: Sequence[Sequence[int]],
) -> DayPlan:
    """Measure one day's routes: distance, loads and durations."""
    lengths, loads, durations = [], [], []
    for route in routes:
        nodes = [0, *(c + 1 for c in route), 0]
        length = float(dist[nodes[:-1], nodes[1:]].sum())
        service = sum(problem.clients[c].service_duration for c in route)
        lengths.append(length)
        loads.append(sum(problem.clients[c].demand for c in route))
        durations.append(length + service)
    return DayPlan(
        day=day,
        routes=tuple(tuple(r) for r in routes if r),
        distance=float(sum(lengths)),
        loads=tuple(loads),
        durations=tuple(durations),
    )


def is_feasible(
    problem: PeriodicProblem,
    plans: Sequence[DayPlan],
    chosen: Sequence[frozenset[int]],
) -> bool:
    """Whether visits match an allowed combination and every route fits."""
    limit = problem.max_duration
    for plan in plans:
        if len(plan.routes) > problem.vehicles:
            return False
        if any(load > problem.capacity for load in plan.loads):
            return False
        if limit is not None and any(t > limit + _TOLERANCE for t in plan.durations):
            return False
    visits: list[list[int]] = [[] for _ in problem.clients]
    for plan in plans:
        for route in plan.routes:
            for c in route:
                visits[c].append(plan.day)
    return all(
        sorted(days) == sorted(combo) and combo in problem.clients[c].combinations
        for c, (days, combo) in enumerate(zip(visits, chosen, strict=True))
    )
