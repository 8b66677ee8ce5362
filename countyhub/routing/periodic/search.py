"""The cycle planner's search: a large-neighbourhood search over combinations.

:func:`plan_cycle` starts from the better of a cheapest-insertion plan and a
pooled CVRP, improves it by destroying a few related clients and repairing each
with its cheapest combination until about 80 % of the time, and spends the rest
re-solving each day. Insertion deltas and costs are measured on the unscaled
distances; PyVRP sees them scaled by :attr:`PeriodicProblem.precision
<countyhub.routing.periodic.problem.PeriodicProblem.precision>`.

Pure: numpy and :func:`countyhub.routing.vrp.solve` only; no database.
"""

from __future__ import annotations

import time

from countyhub.routing.periodic._check import day_plan, is_feasible
from countyhub.routing.periodic._days import reroute, short_time
from countyhub.routing.periodic._insertion import insert, remove
from countyhub.routing.periodic._start import initial, pooled
from countyhub.routing.periodic._state import EPS, Context, State, make_context
from countyhub.routing.periodic.problem import PeriodicProblem
from countyhub.routing.periodic.result import CycleSolution

__all__ = ["plan_cycle"]


def plan_cycle(
    problem: PeriodicProblem, *, seconds: float, seed: int = 1
) -> CycleSolution:
    """Choose a visit-day combination per client and route every day.

    Approach, a simple large-neighbourhood search over the combinations:

    1. *Initial assignment*: clients in order of fewest combinations, most
       visits and farthest from the depot are inserted, each with the
       combination whose days offer the cheapest feasible insertion (the
       capacity, shift and vehicle count of each day's growing routes keep
       the days' loads balanced, and the cheapest insertion puts a client on
       the days where its neighbours are). Each day is then routed with
       :func:`countyhub.routing.vrp.solve`.
    2. *Improvement*, until about 80 % of the time: remove a few related
       clients (a random one and its nearest neighbours), re-insert each with
       its cheapest combination (slightly randomised), re-solve only the days
       whose clients changed with short PyVRP runs, and keep the change if
       the cycle's distance fell. Day routings are cached by client set.
    3. *Final*: each day is solved again with its share of the remaining time
       and the better routing of the day is kept.

    Parameters
    ----------
    problem
        The cycle to plan.
    seconds
        Time budget, in seconds of wall-clock time (at least 0.1); the
        planner uses about all of it.
    seed
        Seed of the random choices and of the solver. Default 1.

    Returns
    -------
    CycleSolution
        The best plan found; check :attr:`CycleSolution.feasible`.

    Raises
    ------
    ValueError
        If ``seconds`` is below 0.1.
    """
    if seconds < 0.1:
        raise ValueError("seconds must be at least 0.1")
    start = time.perf_counter()
    ctx = make_context(problem, seconds, seed)
    state = initial(ctx)
    pooled_state = pooled(ctx, 0.3 * seconds)
    if pooled_state is not None and sum(pooled_state.cost) < sum(state.cost):
        state = pooled_state
    state, iterations = _improve(ctx, state, until=start + 0.8 * seconds)
    _finish(ctx, state)
    return _solution(ctx, state, start, iterations)


def _improve(ctx: Context, state: State, *, until: float) -> tuple[State, int]:
    """Destroy-and-repair moves until ``until``; the state and the moves tried."""
    iterations = 0
    while time.perf_counter() < until:
        state = _lns_step(ctx, state)
        iterations += 1
    return state, iterations


def _lns_step(ctx: Context, state: State) -> State:
    """One destroy-and-repair move; return the better of old and new state."""
    trial = state.copy()
    removed = _destroy_set(ctx)
    if not removed:
        return state
    for c in removed:
        remove(ctx, trial, c)
    for c in (int(i) for i in ctx.rng.permutation(removed)):
        if not insert(ctx, trial, c, 0.2):
            return state
    changed = _changed_days(ctx, trial, state)
    before = sum(state.cost[d] for d in changed)
    if sum(trial.cost[d] for d in changed) > 1.05 * before:
        return state
    for d in changed:
        reroute(ctx, trial, d, short_time(trial, d))
    return trial if sum(trial.cost) < sum(state.cost) - EPS else state


def _destroy_set(ctx: Context) -> list[int]:
    """A random flexible client and its nearest flexible neighbours."""
    clients = ctx.problem.clients
    flexible = [c for c in range(len(clients)) if len(clients[c].combinations) > 1]
    if not flexible:
        return []
    size = int(ctx.rng.integers(2, max(3, min(12, len(flexible) // 6)) + 1))
    first = int(ctx.rng.choice(flexible))
    near = sorted(flexible, key=lambda c: ctx.dist[first + 1, c + 1])
    return near[:size]


def _changed_days(ctx: Context, trial: State, state: State) -> list[int]:
    """The days whose set of clients differs between two states."""
    return [
        d
        for d in range(ctx.problem.days)
        if {c for r in trial.routes[d] for c in r}
        != {c for r in state.routes[d] for c in r}
    ]


def _finish(ctx: Context, state: State) -> None:
    """Re-solve each day with its share of the time left."""
    days = ctx.problem.days
    for d in range(days):
        left = ctx.deadline - time.perf_counter()
        reroute(ctx, state, d, max(left / (days - d), 0.05))


def _solution(
    ctx: Context, state: State, start: float, iterations: int
) -> CycleSolution:
    """Measure the final state on the unscaled distances and check it."""
    problem = ctx.problem
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
