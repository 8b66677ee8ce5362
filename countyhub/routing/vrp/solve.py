"""Solving a routing problem with PyVRP's hybrid genetic search.

:func:`solve` builds the PyVRP model of a
:class:`~countyhub.routing.vrp.problem.Problem`, runs the search for a time
limit with a seed (which make a run repeatable on one machine) and reads the
best solution back as a :class:`~countyhub.routing.vrp.result.Solution`:
ordered routes with their distance, duration and loads, the unserved clients,
the objective and whether every constraint holds.

Pure: PyVRP and numpy only; no database.
"""

from __future__ import annotations

import warnings

import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

from countyhub.routing.vrp._model import build_model
from countyhub.routing.vrp.problem import Problem
from countyhub.routing.vrp.result import Route, Solution

__all__ = ["solve"]


def solve(problem: Problem, *, seconds: float, seed: int = 1) -> Solution:
    """Route the fleet to serve the clients at the least cost.

    Parameters
    ----------
    problem
        The instance to solve.
    seconds
        Time limit, in seconds of wall-clock time; the solver uses all of it.
    seed
        Seed of the solver's random number generator. Default 1. The same
        seed and time limit give the same result only up to the iterations
        that fit in the time on the machine.

    Returns
    -------
    Solution
        The best solution found; check :attr:`Solution.feasible`, since an
        over-constrained problem yields the least-violating solution.

    Raises
    ------
    ValueError
        If ``seconds`` is not positive.
    """
    if seconds <= 0:
        raise ValueError("seconds must be positive")
    model = build_model(problem)
    with warnings.catch_warnings():
        # An over-full day warns that no feasible solution was found; the
        # Solution says so (feasible=False) and the caller decides.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = model.solve(
            MaxRuntime(seconds), seed=seed, collect_stats=False, display=False
        )
    return _solution(problem, result)


def _solution(problem: Problem, result: pyvrp.Result) -> Solution:
    """Read PyVRP's best solution: its routes, cost and unserved clients."""
    best = result.best
    routes = tuple(_route(problem, r) for r in best.routes())
    served = {i for route in routes for i in route.clients}
    return Solution(
        routes=routes,
        cost=best.distance_cost()
        + best.duration_cost()
        + best.fixed_vehicle_cost()
        + best.uncollected_prizes(),
        distance=best.distance(),
        unserved=tuple(i for i in range(len(problem.clients)) if i not in served),
        feasible=best.is_feasible(),
        runtime=result.runtime,
        iterations=result.num_iterations,
    )


def _route(problem: Problem, route: pyvrp.Route) -> Route:
    """Read one PyVRP route: its clients in order, their times and the load."""
    visits = [a for a in route.schedule() if a.type == pyvrp.ActivityType.CLIENT]
    clients = tuple(a.idx for a in visits)
    return Route(
        vehicle_type=route.vehicle_type(),
        clients=clients,
        distance=route.distance(),
        duration=route.duration(),
        delivery=tuple(route.delivery()),
        pickup=tuple(route.pickup()),
        arrivals=tuple(a.start_time - route.start_time() for a in visits),
        loads=_loads(problem, clients, route.delivery()),
    )


def _loads(
    problem: Problem, clients: tuple[int, ...], leaving: list[int]
) -> tuple[tuple[int, ...], ...]:
    """The load on board after each client, from the load leaving the depot."""
    dims = problem.dimensions
    load = list(leaving)
    loads = []
    for i in clients:
        client = problem.clients[i]
        for d in range(dims):
            drop = client.delivery[d] if d < len(client.delivery) else 0
            take = client.pickup[d] if d < len(client.pickup) else 0
            load[d] += take - drop
        loads.append(tuple(load))
    return tuple(loads)
