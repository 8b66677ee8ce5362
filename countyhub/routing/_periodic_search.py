"""Internals of the cycle planner: insertion, day routing and the search.

A state holds, per day, the routes (lists of client indices) and, per client,
the index of its chosen combination. Insertion deltas and costs are measured on
the unscaled distances; PyVRP sees distances rounded and travel times rounded
up (so a route within the shift for PyVRP is within it here too).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from countyhub.routing._periodic_check import day_plan, is_feasible
from countyhub.routing.periodic import CycleSolution, PeriodicProblem
from countyhub.routing.vrp import Client, Problem, VehicleType, solve

Routes = list[list[int]]
_INF = float("inf")
_EPS = 1e-6


@dataclass
class _Ctx:
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
class _State:
    routes: list[Routes]
    choice: list[int]
    cost: list[float]

    def copy(self) -> _State:
        return _State(
            [[list(r) for r in day] for day in self.routes],
            list(self.choice),
            list(self.cost),
        )


def _context(problem: PeriodicProblem, seconds: float, seed: int) -> _Ctx:
    dist = problem.distance_matrix()
    scale = problem.precision
    return _Ctx(
        problem=problem,
        dist=dist,
        dist_i=np.rint(dist * scale).astype(np.int64),
        dur_i=np.ceil(dist * scale - _EPS).astype(np.int64),
        demand=np.array([c.demand for c in problem.clients], dtype=np.int64),
        service=np.array(
            [c.service_duration for c in problem.clients], dtype=np.float64
        ),
        deadline=time.perf_counter() + seconds,
        rng=np.random.default_rng(seed),
        seed=seed,
    )


def _length(ctx: _Ctx, route: list[int]) -> float:
    nodes = [0, *(c + 1 for c in route), 0]
    return float(ctx.dist[nodes[:-1], nodes[1:]].sum())


def _day_cost(ctx: _Ctx, routes: Routes) -> float:
    return sum(_length(ctx, r) for r in routes)


def _insertion(ctx: _Ctx, routes: Routes, c: int) -> tuple[float, int, int]:
    """Cheapest feasible insertion of client c: (delta, route, position)."""
    p, node = ctx.problem, c + 1
    limit = _INF if p.max_duration is None else p.max_duration + _EPS
    best = (_INF, -1, -1)
    for r, route in enumerate(routes):
        if int(ctx.demand[route].sum()) + ctx.demand[c] > p.capacity:
            continue
        nodes = np.array([0, *(i + 1 for i in route), 0])
        a, b = nodes[:-1], nodes[1:]
        deltas = ctx.dist[a, node] + ctx.dist[node, b] - ctx.dist[a, b]
        used = ctx.dist[a, b].sum() + ctx.service[route].sum() + ctx.service[c]
        deltas = np.where(used + deltas <= limit, deltas, _INF)
        pos = int(np.argmin(deltas))
        if deltas[pos] < best[0]:
            best = (float(deltas[pos]), r, pos)
    fresh = 2 * ctx.dist[0, node]
    if (
        len(routes) < p.vehicles
        and fresh < best[0]
        and ctx.demand[c] <= p.capacity
        and fresh + ctx.service[c] <= limit
    ):
        best = (float(fresh), len(routes), 0)
    return best


def _insert(ctx: _Ctx, state: _State, c: int, noise: float) -> bool:
    """Give client c its cheapest combination and insert it on those days."""
    combos = ctx.problem.clients[c].combinations
    options = []
    for k, combo in enumerate(combos):
        moves = {d: _insertion(ctx, state.routes[d], c) for d in combo}
        total = sum(m[0] for m in moves.values())
        if total < _INF:
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


def _remove(ctx: _Ctx, state: _State, c: int) -> None:
    for d in ctx.problem.clients[c].combinations[state.choice[c]]:
        day = state.routes[d]
        for route in day:
            if c in route:
                route.remove(c)
        state.routes[d] = [r for r in day if r]
        state.cost[d] = _day_cost(ctx, state.routes[d])


def _route_day(
    ctx: _Ctx, clients: list[int], seconds: float, vehicles: int = 0
) -> Routes | None:
    """Route one day's clients with PyVRP; None if it found nothing feasible."""
    if not clients:
        return []
    p, scale = ctx.problem, ctx.problem.precision
    idx = [0, *(c + 1 for c in clients)]
    sub = np.ix_(idx, idx)
    model_clients = [
        Client(
            delivery=(int(ctx.demand[c]),),
            service_duration=int(np.ceil(ctx.service[c] * scale - _EPS)),
        )
        for c in clients
    ]
    fleet = VehicleType(
        num_available=vehicles or p.vehicles,
        capacity=(p.capacity,),
        max_duration=None
        if p.max_duration is None
        else int(np.floor(p.max_duration * scale + _EPS)),
    )
    problem = Problem(
        model_clients,
        [fleet],
        distances=ctx.dist_i[sub].tolist(),
        durations=ctx.dur_i[sub].tolist(),
    )
    seed = int(ctx.rng.integers(1, 2**31 - 1))
    solution = solve(problem, seconds=max(seconds, 0.01), seed=seed)
    if not solution.feasible or solution.unserved:
        return None
    return [[clients[i] for i in r.clients] for r in solution.routes]


def _reroute(ctx: _Ctx, state: _State, d: int, seconds: float) -> None:
    """Improve day d with PyVRP (or the cache) and keep the better routing."""
    key = frozenset(c for r in state.routes[d] for c in r)
    cached = ctx.cache.get(key)
    if cached is None or seconds >= 1.0:
        routes = _route_day(ctx, sorted(key), seconds)
        if routes is not None:
            cost = _day_cost(ctx, routes)
            if cached is None or cost < cached[0]:
                cached = (cost, routes)
    if cached is not None and cached[0] < state.cost[d] - _EPS:
        state.routes[d] = [list(r) for r in cached[1]]
        state.cost[d] = cached[0]
    ctx.cache[key] = (state.cost[d], [list(r) for r in state.routes[d]])


def _short(ctx: _Ctx, state: _State, d: int) -> float:
    """Short PyVRP time for day d: 0.05 s plus 3 ms per client."""
    return 0.05 + 0.003 * sum(len(r) for r in state.routes[d])


def _initial(ctx: _Ctx) -> _State:
    """Insert clients, most constrained and farthest first, then route days."""
    p = ctx.problem
    state = _State([[] for _ in range(p.days)], [0] * len(p.clients), [0.0] * p.days)
    order = sorted(
        range(len(p.clients)),
        key=lambda c: (
            len(p.clients[c].combinations),
            -min(len(k) for k in p.clients[c].combinations),
            -ctx.dist[0, c + 1],
        ),
    )
    for c in order:
        if not _insert(ctx, state, c, 0.0):  # over-constrained: an extra route
            for d in p.clients[c].combinations[0]:
                state.routes[d].append([c])
    state.cost = [_day_cost(ctx, day) for day in state.routes]
    for d in range(p.days):
        _reroute(ctx, state, d, 2 * _short(ctx, state, d))
    return state


def _pooled(ctx: _Ctx, seconds: float) -> _State | None:
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
    routes = _route_day(ctx, everyone, seconds, p.vehicles * p.days)
    if routes is None:
        return None
    allowed = [set.intersection(*(singles[c] for c in r)) for r in routes]
    state = _State([[] for _ in range(p.days)], [0] * len(p.clients), [0.0] * p.days)
    for i in sorted(range(len(routes)), key=lambda i: len(allowed[i])):
        free = [d for d in sorted(allowed[i]) if len(state.routes[d]) < p.vehicles]
        if not free:
            return None
        day = min(free, key=lambda d: len(state.routes[d]))
        state.routes[day].append(routes[i])
        for c in routes[i]:
            state.choice[c] = p.clients[c].combinations.index(frozenset({day}))
    state.cost = [_day_cost(ctx, day) for day in state.routes]
    return state


def _destroy_set(ctx: _Ctx) -> list[int]:
    """A random flexible client and its nearest flexible neighbours."""
    clients = ctx.problem.clients
    flexible = [c for c in range(len(clients)) if len(clients[c].combinations) > 1]
    if not flexible:
        return []
    size = int(ctx.rng.integers(2, max(3, min(12, len(flexible) // 6)) + 1))
    first = int(ctx.rng.choice(flexible))
    near = sorted(flexible, key=lambda c: ctx.dist[first + 1, c + 1])
    return near[:size]


def _lns_step(ctx: _Ctx, state: _State) -> _State:
    """One destroy-and-repair move; return the better of old and new state."""
    trial = state.copy()
    removed = _destroy_set(ctx)
    if not removed:
        return state
    for c in removed:
        _remove(ctx, trial, c)
    for c in (int(i) for i in ctx.rng.permutation(removed)):
        if not _insert(ctx, trial, c, 0.2):
            return state
    changed = [
        d
        for d in range(ctx.problem.days)
        if {c for r in trial.routes[d] for c in r}
        != {c for r in state.routes[d] for c in r}
    ]
    before = sum(state.cost[d] for d in changed)
    if sum(trial.cost[d] for d in changed) > 1.05 * before:
        return state
    for d in changed:
        _reroute(ctx, trial, d, _short(ctx, trial, d))
    return trial if sum(trial.cost) < sum(state.cost) - _EPS else state


def search(problem: PeriodicProblem, *, seconds: float, seed: int) -> CycleSolution:
    """Run the planner described in :func:`countyhub.routing.plan_cycle`."""
    start = time.perf_counter()
    ctx = _context(problem, seconds, seed)
    state = _initial(ctx)
    pooled = _pooled(ctx, 0.3 * seconds)
    if pooled is not None and sum(pooled.cost) < sum(state.cost):
        state = pooled
    improve_until = start + 0.8 * seconds
    iterations = 0
    while time.perf_counter() < improve_until:
        state = _lns_step(ctx, state)
        iterations += 1
    for d in range(problem.days):
        left = ctx.deadline - time.perf_counter()
        _reroute(ctx, state, d, max(left / (problem.days - d), 0.05))
    chosen = tuple(
        problem.clients[c].combinations[k] for c, k in enumerate(state.choice)
    )
    plans = tuple(day_plan(problem, ctx.dist, d, r) for d, r in enumerate(state.routes))
    return CycleSolution(
        days=plans,
        combinations=chosen,
        cost=float(sum(p.distance for p in plans)),
        feasible=is_feasible(problem, plans, chosen),
        runtime=time.perf_counter() - start,
        iterations=iterations,
    )
