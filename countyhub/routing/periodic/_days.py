"""Routing one day of the cycle with PyVRP, and keeping the better routing.

A day's clients become a :class:`~countyhub.routing.vrp.problem.Problem` on the
scaled distances (travel times rounded up, service times rounded up and the
shift rounded down, so that PyVRP's routes keep the limits unscaled too), solved
with a seed drawn from the search's random stream. Day routings are cached by
their set of clients.
"""

from __future__ import annotations

import numpy as np

from countyhub.routing.periodic._state import EPS, Context, Routes, State, day_cost
from countyhub.routing.vrp import Client, Problem, VehicleType, solve

__all__ = ["reroute", "route_day", "short_time"]


def route_day(
    ctx: Context, clients: list[int], seconds: float, vehicles: int = 0
) -> Routes | None:
    """Route one day's clients with PyVRP; None if it found nothing feasible."""
    if not clients:
        return []
    problem = _day_problem(ctx, clients, vehicles)
    seed = int(ctx.rng.integers(1, 2**31 - 1))
    solution = solve(problem, seconds=max(seconds, 0.01), seed=seed)
    if not solution.feasible or solution.unserved:
        return None
    return [[clients[i] for i in r.clients] for r in solution.routes]


def _day_problem(ctx: Context, clients: list[int], vehicles: int) -> Problem:
    """The day as PyVRP sees it: scaled integers, ``vehicles`` or the fleet."""
    p, scale = ctx.problem, ctx.problem.precision
    idx = [0, *(c + 1 for c in clients)]
    sub = np.ix_(idx, idx)
    model_clients = [
        Client(
            delivery=(int(ctx.demand[c]),),
            service_duration=int(np.ceil(ctx.service[c] * scale - EPS)),
        )
        for c in clients
    ]
    fleet = VehicleType(
        num_available=vehicles or p.vehicles,
        capacity=(p.capacity,),
        max_duration=None
        if p.max_duration is None
        else int(np.floor(p.max_duration * scale + EPS)),
    )
    return Problem(
        model_clients,
        [fleet],
        distances=ctx.dist_i[sub].tolist(),
        durations=ctx.dur_i[sub].tolist(),
    )


def reroute(ctx: Context, state: State, d: int, seconds: float) -> None:
    """Improve day d with PyVRP (or the cache) and keep the better routing."""
    key = frozenset(c for r in state.routes[d] for c in r)
    cached = ctx.cache.get(key)
    if cached is None or seconds >= 1.0:
        routes = route_day(ctx, sorted(key), seconds)
        if routes is not None:
            cost = day_cost(ctx, routes)
            if cached is None or cost < cached[0]:
                cached = (cost, routes)
    if cached is not None and cached[0] < state.cost[d] - EPS:
        state.routes[d] = [list(r) for r in cached[1]]
        state.cost[d] = cached[0]
    ctx.cache[key] = (state.cost[d], [list(r) for r in state.routes[d]])


def short_time(state: State, d: int) -> float:
    """Short PyVRP time for day d: 0.05 s plus 3 ms per client."""
    return 0.05 + 0.003 * sum(len(r) for r in state.routes[d])
