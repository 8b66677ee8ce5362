"""Cheapest insertion: a client on the days of its cheapest combination.

Insertion keeps each day's capacity, shift and number of vehicles: a client
goes into the existing route and position that lengthen the day least, or onto
a fresh route when one is free and that is cheaper. A small random noise on a
combination's cost lets repeated repairs explore.
"""

from __future__ import annotations

import numpy as np

from countyhub.routing.periodic._state import EPS, INF, Context, Routes, State, day_cost

__all__ = ["insert", "remove"]


def _cheapest(ctx: Context, routes: Routes, c: int) -> tuple[float, int, int]:
    """Cheapest feasible insertion of client c: (delta, route, position)."""
    p, node = ctx.problem, c + 1
    limit = INF if p.max_duration is None else p.max_duration + EPS
    best = (INF, -1, -1)
    for r, route in enumerate(routes):
        if int(ctx.demand[route].sum()) + ctx.demand[c] > p.capacity:
            continue
        delta, pos = _best_position(ctx, route, c, limit)
        if delta < best[0]:
            best = (delta, r, pos)
    fresh = 2 * ctx.dist[0, node]
    if (
        len(routes) < p.vehicles
        and fresh < best[0]
        and ctx.demand[c] <= p.capacity
        and fresh + ctx.service[c] <= limit
    ):
        best = (float(fresh), len(routes), 0)
    return best


def _best_position(
    ctx: Context, route: list[int], c: int, limit: float
) -> tuple[float, int]:
    """Least detour of client c in ``route`` within the shift: (delta, position)."""
    node = c + 1
    nodes = np.array([0, *(i + 1 for i in route), 0])
    a, b = nodes[:-1], nodes[1:]
    deltas = ctx.dist[a, node] + ctx.dist[node, b] - ctx.dist[a, b]
    used = ctx.dist[a, b].sum() + ctx.service[route].sum() + ctx.service[c]
    deltas = np.where(used + deltas <= limit, deltas, INF)
    pos = int(np.argmin(deltas))
    return float(deltas[pos]), pos


def insert(ctx: Context, state: State, c: int, noise: float) -> bool:
    """Give client c its cheapest combination and insert it on those days."""
    combos = ctx.problem.clients[c].combinations
    options = []
    for k, combo in enumerate(combos):
        moves = {d: _cheapest(ctx, state.routes[d], c) for d in combo}
        total = sum(m[0] for m in moves.values())
        if total < INF:
            options.append((total * (1 + noise * ctx.rng.random()), k, moves))
    if not options:
        return False
    _, k, moves = min(options, key=lambda o: o[0])
    state.choice[c] = k
    for d, (delta, r, pos) in moves.items():
        if r == len(state.routes[d]):
            state.routes[d].append([])
        state.routes[d][r].insert(pos, c)
        state.cost[d] += delta
    return True


def remove(ctx: Context, state: State, c: int) -> None:
    """Take client c off every day of its chosen combination."""
    for d in ctx.problem.clients[c].combinations[state.choice[c]]:
        day = state.routes[d]
        for route in day:
            if c in route:
                route.remove(c)
        state.routes[d] = [r for r in day if r]
        state.cost[d] = day_cost(ctx, state.routes[d])
