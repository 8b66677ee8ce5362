"""What the cycle planner returns: each day's routes and the whole cycle's plan.

Client indices refer to :attr:`PeriodicProblem.clients
<countyhub.routing.periodic.problem.PeriodicProblem.clients>`; distances and
durations are measured on the problem's unscaled values.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CycleSolution", "DayPlan"]


@dataclass(frozen=True)
class DayPlan:
    """The routes of one day of the cycle.

    Attributes
    ----------
    day
        Day index, ``0 .. days - 1``.
    routes
        Each vehicle's client indices in visiting order (non-empty routes).
    distance
        Total distance of the day's routes, in distance units.
    loads
        Parcels carried on each route.
    durations
        Duration of each route (travel plus service), in duration units.
    """

    day: int
    routes: tuple[tuple[int, ...], ...]
    distance: float
    loads: tuple[int, ...]
    durations: tuple[float, ...]


@dataclass(frozen=True)
class CycleSolution:
    """What :func:`~countyhub.routing.periodic.plan_cycle` found.

    Attributes
    ----------
    days
        One :class:`DayPlan` per day of the cycle, in order.
    combinations
        Per client, the chosen visit days (one of its allowed combinations).
    cost
        Total distance over the cycle, in distance units.
    feasible
        Whether every client is visited on exactly the days of one allowed
        combination, once per day, and every route keeps the capacity, the
        maximum duration and the number of vehicles.
    runtime
        Wall-clock seconds spent.
    iterations
        Improvement moves tried by the large-neighbourhood search.
    """

    days: tuple[DayPlan, ...]
    combinations: tuple[frozenset[int], ...]
    cost: float
    feasible: bool
    runtime: float
    iterations: int
