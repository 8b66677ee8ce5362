"""The day's free stops routed by the VRP solver, and its routes read back as runs.

The stops become a :class:`~countyhub.routing.vrp.problem.Problem` on the rows
of the day's matrices: drops and pickups in parcels and tenths of a kilogram, a
service time of a base plus a time per parcel, required points required and the
others optional at their prize, and one vehicle type per group of identical
vehicles. :func:`route` solves it and, when the day is over-full, falls back
(see :mod:`countyhub.routing.daily._fallbacks`); each solver route becomes a
:class:`~countyhub.routing.daily.result.PlannedRun` of the group's next vehicle.
"""

from __future__ import annotations

from collections.abc import Sequence

from countyhub.routing.daily._fallbacks import hold_back
from countyhub.routing.daily._stops import KG_SCALE, Stop, tenths
from countyhub.routing.daily.problem import DayProblem, DayVehicle
from countyhub.routing.daily.result import PlannedRun
from countyhub.routing.vrp import Client, Problem, Route, Solution, VehicleType, solve

__all__ = ["MUST_PRIZE", "route"]

# Prize of a required point in the last fallback, where every point is optional:
# far above any detour in a county (metres), so only what cannot fit is left.
MUST_PRIZE = 10_000_000


def route(
    problem: DayProblem,
    stops: list[Stop],
    fleet: Sequence[DayVehicle],
    seconds: float,
    seed: int,
) -> tuple[list[PlannedRun], bool]:
    """Solve; when the day is over-full, fall back. Returns the runs and whether
    every required point was served within every limit."""
    if not stops or not fleet:
        return [], not any(s.required for s in stops)
    groups = _vehicle_groups(fleet)
    solution = solve(_problem(problem, stops, groups), seconds=seconds, seed=seed)
    if solution.feasible:
        return _runs(stops, groups, solution), True
    # Over-full: parcels that may still wait stay at the centre …
    hold_back(problem, stops)
    half = max(seconds / 2, 0.1)
    solution = solve(_problem(problem, stops, groups), seconds=half, seed=seed)
    if not solution.feasible:
        # … and then required points become optional at a prize no detour beats.
        solution = solve(
            _problem(problem, stops, groups, must=True), seconds=half, seed=seed
        )
    return _runs(stops, groups, solution), False


def _vehicle_groups(fleet: Sequence[DayVehicle]) -> list[list[DayVehicle]]:
    """The fleet grouped by capacity and shift: one vehicle type per group."""
    groups: dict[tuple[int, int, int], list[DayVehicle]] = {}
    for v in fleet:
        key = (v.capacity_parcels, tenths(v.capacity_kg), v.shift_seconds)
        groups.setdefault(key, []).append(v)
    return list(groups.values())


def _problem(
    problem: DayProblem,
    stops: list[Stop],
    groups: list[list[DayVehicle]],
    *,
    must: bool = False,
) -> Problem:
    """The solver's problem on the stops' rows of the day's matrices."""
    rows = [0, *(s.index for s in stops)]
    return Problem(
        clients=[_client(problem, s, must) for s in stops],
        vehicle_types=[_vehicle_type(g) for g in groups],
        distances=[[problem.distances[i][j] for j in rows] for i in rows],
        durations=[[problem.durations[i][j] for j in rows] for i in rows],
    )


def _client(problem: DayProblem, s: Stop, must: bool) -> Client:
    """A stop as a client; with ``must``, a required one optional at MUST_PRIZE."""
    base, per = problem.service_base_seconds, problem.service_per_parcel_seconds
    return Client(
        delivery=(len(s.drop), sum(tenths(p.kg) for p in s.drop)),
        pickup=(len(s.collect), sum(tenths(p.kg) for p in s.collect)),
        service_duration=base + per * (len(s.drop) + len(s.collect)),
        required=s.required and not must,
        prize=(MUST_PRIZE + max(s.prize, 0)) if s.required else max(s.prize, 0),
        name=str(s.point.point_id),
    )


def _vehicle_type(group: list[DayVehicle]) -> VehicleType:
    first = group[0]
    return VehicleType(
        num_available=len(group),
        capacity=(first.capacity_parcels, tenths(first.capacity_kg)),
        max_duration=first.shift_seconds,
        name=first.name,
    )


def _runs(
    stops: list[Stop],
    groups: list[list[DayVehicle]],
    solution: Solution,
) -> list[PlannedRun]:
    """Each solver route as the run of its group's next vehicle."""
    taken = [0] * len(groups)
    runs = []
    for r in solution.routes:
        vehicle = groups[r.vehicle_type][taken[r.vehicle_type]]
        taken[r.vehicle_type] += 1
        runs.append(_run(vehicle, [stops[i] for i in r.clients], r))
    return runs


def _run(vehicle: DayVehicle, stops: list[Stop], route: Route) -> PlannedRun:
    planned = tuple(
        s.planned(arrival, load[0], load[1] / KG_SCALE)
        for s, arrival, load in zip(stops, route.arrivals, route.loads, strict=True)
    )
    return PlannedRun(
        vehicle_id=vehicle.vehicle_id,
        stops=planned,
        distance_m=route.distance,
        duration_s=route.duration,
        load_parcels=route.delivery[0],
        load_kg=route.delivery[1] / KG_SCALE,
    )
