"""Planning a day: requirements and prizes, pins, the solve, and what is left.

:func:`plan_day` checks the problem, gives every point its terms for today
(required or optional at a prize), keeps the pinned routes as given, trims what
no vehicle can carry, routes the other points with the VRP solver (falling back
when the day is over-full), and lists every point and parcel left behind with
its reason and deadline.
"""

from __future__ import annotations

import time

from countyhub.routing.daily._fallbacks import fit
from countyhub.routing.daily._pins import pinned_run
from countyhub.routing.daily._routes import route
from countyhub.routing.daily._stops import Stop, make_stops
from countyhub.routing.daily._unserved import left_behind, no_room, waits
from countyhub.routing.daily._validate import validate
from countyhub.routing.daily.problem import DayProblem, PointId
from countyhub.routing.daily.result import DailyPlan, PlannedRun, Unserved

__all__ = ["plan_day"]


def plan_day(problem: DayProblem, *, seconds: float, seed: int = 1) -> DailyPlan:
    """Plan the day's runs; see :mod:`countyhub.routing.daily`.

    Parameters
    ----------
    problem
        The day.
    seconds
        Time limit of the solver, in seconds (the whole call takes a little
        more; an over-full day may take up to twice this).
    seed
        Seed of the solver. Default 1.

    Returns
    -------
    DailyPlan

    Raises
    ------
    ValueError
        If ``seconds`` is not positive, or as :class:`DayProblem`.
    """
    if seconds <= 0:
        raise ValueError("seconds must be positive")
    started = time.perf_counter()
    validate(problem)
    stops = make_stops(problem)
    pinned_runs = _pinned_runs(problem, stops)
    fleet = [v for v in problem.vehicles if v.vehicle_id not in problem.pinned_routes]
    unserved: list[Unserved] = []
    free = fit(problem, _free(problem, stops), fleet, unserved)
    runs, solved_ok = route(problem, free, fleet, seconds, seed)
    objective = _settle(problem, free, runs, unserved)
    every = [*pinned_runs, *runs]
    return DailyPlan(
        day=problem.day,
        runs=tuple(every),
        unserved=tuple(sorted(unserved, key=lambda u: (not u.late, str(u.point_id)))),
        required=tuple(pid for pid, s in stops.items() if s.required),
        distance_m=sum(run.distance_m for run in every),
        objective=objective + sum(run.distance_m for run in pinned_runs),
        runtime=time.perf_counter() - started,
        method=problem.method,
        feasible=solved_ok
        and not any(run.violations for run in every)
        and not any(u.late for u in unserved),
    )


def _pinned_runs(problem: DayProblem, stops: dict[PointId, Stop]) -> list[PlannedRun]:
    """The dispatcher's routes as given, in the order of the pins."""
    vehicles = {v.vehicle_id: v for v in problem.vehicles}
    return [
        pinned_run(problem, vehicles[vid], [stops[p] for p in route])
        for vid, route in problem.pinned_routes.items()
    ]


def _free(problem: DayProblem, stops: dict[PointId, Stop]) -> list[Stop]:
    """The stops for the solver: off every pinned route and worth a stop."""
    fixed_ids = {p for route in problem.pinned_routes.values() for p in route}
    return [s for pid, s in stops.items() if pid not in fixed_ids and s.prize >= 0]


def _settle(
    problem: DayProblem,
    free: list[Stop],
    runs: list[PlannedRun],
    unserved: list[Unserved],
) -> int:
    """Name in ``unserved`` what the solver's runs leave; return their objective:
    distance plus the prizes of the optional stops not visited."""
    visited = {stop.point_id for run in runs for stop in run.stops}
    objective = sum(run.distance_m for run in runs)
    for stop in free:
        if stop.point.point_id in visited:
            if stop.waiting:
                unserved.append(no_room(problem, stop, stop.waiting))
        elif stop.required:
            unserved.append(left_behind(stop))
        else:
            objective += max(stop.prize, 0)
            if stop.drop or stop.collect:
                unserved.append(waits(stop))
    return objective
