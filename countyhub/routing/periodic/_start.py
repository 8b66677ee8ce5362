"""The search's starting plans: cheapest insertion, or one pooled CVRP.

:func:`initial` inserts the clients, most constrained and farthest first, each
with the combination whose days offer the cheapest feasible insertion, and then
routes every day. :func:`pooled`, when every client may be visited on a single
day, solves one CVRP with every day's vehicles and deals its routes to the days.
"""

from __future__ import annotations

from countyhub.routing.periodic._days import reroute, route_day, short_time
from countyhub.routing.periodic._insertion import insert
from countyhub.routing.periodic._state import Context, State, day_cost

__all__ = ["initial", "pooled"]


def initial(ctx: Context) -> State:
    """Insert clients, most constrained and farthest first, then route days."""
    p = ctx.problem
    state = State([[] for _ in range(p.days)], [0] * len(p.clients), [0.0] * p.days)
    order = sorted(
        range(len(p.clients)),
        key=lambda c: (
            len(p.clients[c].combinations),
            -min(len(k) for k in p.clients[c].combinations),
            -ctx.dist[0, c + 1],
        ),
    )
    for c in order:
        if not insert(ctx, state, c, 0.0):  # over-constrained: an extra route
            for d in p.clients[c].combinations[0]:
                state.routes[d].append([c])
    state.cost = [day_cost(ctx, day) for day in state.routes]
    for d in range(p.days):
        reroute(ctx, state, d, 2 * short_time(state, d))
    return state


def pooled(ctx: Context, seconds: float) -> State | None:
    """When every client may be visited once: one CVRP with every day's vehicles.

    Each client is visited on one day of its single-day combinations (a
    two-day-cadence point's "day A" or "day B"). The CVRP's routes are then
    given to days that all their clients allow, at most ``vehicles`` a day,
    most constrained route first, which splits the clients by place; None if a
    client has no single-day combination or the routes do not fit the days.
    """
    p = ctx.problem
    singles = [{min(k) for k in c.combinations if len(k) == 1} for c in p.clients]
    if not all(singles):
        return None
    everyone = list(range(len(p.clients)))
    routes = route_day(ctx, everyone, seconds, p.vehicles * p.days)
    if routes is None:
        return None
    allowed = [set.intersection(*(singles[c] for c in r)) for r in routes]
    state = State([[] for _ in range(p.days)], [0] * len(p.clients), [0.0] * p.days)
    for i in sorted(range(len(routes)), key=lambda i: len(allowed[i])):
        free = [d for d in sorted(allowed[i]) if len(state.routes[d]) < p.vehicles]
        if not free:
            return None
        day = min(free, key=lambda d: len(state.routes[d]))
        state.routes[day].append(routes[i])
        for c in routes[i]:
            state.choice[c] = p.clients[c].combinations.index(frozenset({day}))
    state.cost = [day_cost(ctx, day) for day in state.routes]
    return state
