"""How :func:`countyhub.routing.plan_day` plans: requirements, prizes, fallbacks.

Kept apart from the public data model of :mod:`countyhub.routing.daily`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from countyhub.routing.cadence import (
    PointState,
    Requirement,
    required_today,
    visit_value,
)
from countyhub.routing.daily import (
    DailyPlan,
    DayPoint,
    DayProblem,
    DayVehicle,
    PlannedRun,
    PlannedStop,
    PointId,
    Shipment,
    Unserved,
    UnservedReason,
)
from countyhub.routing.vrp import Client, Problem, Route, Solution, VehicleType, solve

# Kilograms go to the solver in tenths.
KG_SCALE = 10
# Prize of a required point in the last fallback, where every point is optional:
# far above any detour in a county (metres), so only what cannot fit is left.
MUST_PRIZE = 10_000_000


@dataclass
class _Stop:
    """A point as the solver sees it: what to drop and collect, and its terms."""

    point: DayPoint
    index: int  # row in the matrices
    requirement: Requirement
    pinned: bool
    drop: list[Shipment]
    collect: list[Shipment]
    prize: int
    # Parcels held back at the centre when the day is over-full.
    waiting: list[Shipment] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.requirement.required or self.pinned

    def reasons(self) -> tuple[str, ...]:
        reasons = tuple(str(r) for r in self.requirement.reasons)
        if self.pinned and not self.requirement.required:
            return ("pinned",)
        return (*reasons, "pinned") if self.pinned else reasons


def plan(problem: DayProblem, *, seconds: float, seed: int) -> DailyPlan:
    """Plan the day; see :func:`countyhub.routing.plan_day`."""
    started = time.perf_counter()
    _validate(problem)
    stops = _stops(problem)
    fixed_ids = {p for route in problem.pinned_routes.values() for p in route}
    vehicles = {v.vehicle_id: v for v in problem.vehicles}
    pinned_runs = [
        _pinned_run(problem, vehicles[vid], [stops[p] for p in route])
        for vid, route in problem.pinned_routes.items()
    ]
    fleet = [v for v in problem.vehicles if v.vehicle_id not in problem.pinned_routes]
    free = [s for pid, s in stops.items() if pid not in fixed_ids and s.prize >= 0]
    unserved: list[Unserved] = []
    free = _fit(problem, free, fleet, unserved)
    runs, solved_ok = _route(problem, free, fleet, seconds, seed)
    visited = {stop.point_id for run in runs for stop in run.stops}
    objective = sum(run.distance_m for run in runs)
    for stop in free:
        if stop.point.point_id in visited:
            if stop.waiting:
                unserved.append(_no_room(problem, stop, stop.waiting))
        elif stop.required:
            unserved.append(_left_behind(stop))
        else:
            objective += max(stop.prize, 0)
            if stop.drop or stop.collect:
                unserved.append(_waits(stop))
    runs = [*pinned_runs, *runs]
    distance = sum(run.distance_m for run in runs)
    feasible = (
        solved_ok
        and not any(run.violations for run in runs)
        and not any(u.late for u in unserved)
    )
    required = tuple(pid for pid, s in stops.items() if s.required)
    return DailyPlan(
        day=problem.day,
        runs=tuple(runs),
        unserved=tuple(sorted(unserved, key=lambda u: (not u.late, str(u.point_id)))),
        required=required,
        distance_m=distance,
        objective=objective + sum(run.distance_m for run in pinned_runs),
        runtime=time.perf_counter() - started,
        method=problem.method,
        feasible=feasible,
    )


def _validate(problem: DayProblem) -> None:
    size = len(problem.points) + 1
    for label, matrix in (
        ("distances", problem.distances),
        ("durations", problem.durations),
    ):
        if len(matrix) != size or any(len(row) != size for row in matrix):
            raise ValueError(f"{label} must be {size}×{size} (the centre first)")
    ids = [p.point_id for p in problem.points]
    if len(set(ids)) != len(ids):
        raise ValueError("a point appears twice in the day's problem")
    if not problem.vehicles:
        raise ValueError("the day has no vehicle")
    vids = [v.vehicle_id for v in problem.vehicles]
    if len(set(vids)) != len(vids):
        raise ValueError("a vehicle appears twice in the day's fleet")
    for v in problem.vehicles:
        if v.capacity_parcels < 1 or v.capacity_kg <= 0 or v.shift_seconds < 1:
            raise ValueError(
                f"vehicle {v.name or v.vehicle_id}: capacity and shift must be positive"
            )
    known = set(ids)
    for pid in problem.pinned_visits:
        if pid not in known:
            raise ValueError(f"pinned visit to unknown point {pid}")
    seen: set[PointId] = set()
    for vid, route in problem.pinned_routes.items():
        if vid not in vids:
            raise ValueError(f"pinned route for unknown vehicle {vid}")
        if not route:
            raise ValueError(f"pinned route of vehicle {vid} has no stop")
        for pid in route:
            if pid not in known:
                raise ValueError(f"pinned route of vehicle {vid}: unknown point {pid}")
            if pid in seen:
                raise ValueError(f"point {pid} is pinned on two routes or twice")
            seen.add(pid)
    if problem.service_base_seconds < 0 or problem.service_per_parcel_seconds < 0:
        raise ValueError("service times must not be negative")


def _stops(problem: DayProblem) -> dict[PointId, _Stop]:
    """Each point's requirement and prize; prize -1 marks a point not worth a stop."""
    weights = problem.weights
    pinned = problem.pinned_visits | {
        p for route in problem.pinned_routes.values() for p in route
    }
    stops: dict[PointId, _Stop] = {}
    for i, point in enumerate(problem.points, start=1):
        state = PointState(
            point.point_id,
            cadence_days=point.cadence_days,
            last_visit=point.last_visit,
            arrivals=tuple(s.arrival for s in point.inbound if s.arrival is not None),
            outbound_waiting=bool(point.outbound),
            active=point.active,
        )
        requirement = required_today(
            state, problem.day, max_wait_days=problem.max_wait_days
        )
        prize = visit_value(
            state,
            problem.day,
            per_parcel=weights.per_parcel,
            outbound=weights.outbound,
            urgency=weights.urgency,
            max_wait_days=problem.max_wait_days,
        )
        if problem.cycle_day is not None and problem.cycle_day in point.cycle_days:
            prize += weights.cycle if point.active else 0
        is_pinned = point.point_id in pinned
        waiting = point.inbound or point.outbound  # listed if left, never dropped
        if not (requirement.required or is_pinned or prize > 0 or waiting):
            prize = -1
        stops[point.point_id] = _Stop(
            point=point,
            index=i,
            requirement=requirement,
            pinned=is_pinned,
            drop=sorted(point.inbound, key=_oldest_first),
            collect=list(point.outbound),
            prize=prize,
        )
    return stops


def _oldest_first(shipment: Shipment) -> tuple[date, str]:
    return (shipment.arrival or date.min, str(shipment.parcel_id))


def _fit(
    problem: DayProblem,
    stops: list[_Stop],
    fleet: Sequence[DayVehicle],
    unserved: list[Unserved],
) -> list[_Stop]:
    """Trim what no single vehicle can carry; the rest waits, named in ``unserved``."""
    if not fleet:
        return stops
    most = max(v.capacity_parcels for v in fleet)
    heaviest = max(int(v.capacity_kg * KG_SCALE) for v in fleet)
    for stop in stops:
        for attr in ("drop", "collect"):
            shipments: list[Shipment] = getattr(stop, attr)
            kept, count, weight = [], 0, 0
            for s in shipments:
                kg = _tenths(s.kg)
                if count + 1 > most or weight + kg > heaviest:
                    break
                kept.append(s)
                count, weight = count + 1, weight + kg
            left = shipments[len(kept) :]
            if left:
                unserved.append(_no_room(problem, stop, left))
            setattr(stop, attr, kept)
    return stops


def _tenths(kg: float) -> int:
    return max(0, round(kg * KG_SCALE))


def _route(
    problem: DayProblem,
    stops: list[_Stop],
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
    for stop in stops:
        due = [s for s in stop.drop if _due(problem, s)]
        stop.waiting = [s for s in stop.drop if not _due(problem, s)]
        stop.drop = due
        stop.prize = max(0, stop.prize - problem.weights.per_parcel * len(stop.waiting))
    half = max(seconds / 2, 0.1)
    solution = solve(_problem(problem, stops, groups), seconds=half, seed=seed)
    if not solution.feasible:
        # … and then required points become optional at a prize no detour beats.
        solution = solve(
            _problem(problem, stops, groups, must=True), seconds=half, seed=seed
        )
    return _runs(stops, groups, solution), False


def _due(problem: DayProblem, shipment: Shipment) -> bool:
    """Whether an inbound parcel's last day is today (or has passed)."""
    if shipment.arrival is None:
        return False
    return shipment.arrival + timedelta(days=problem.max_wait_days) <= problem.day


def _vehicle_groups(fleet: Sequence[DayVehicle]) -> list[list[DayVehicle]]:
    groups: dict[tuple[int, int, int], list[DayVehicle]] = {}
    for v in fleet:
        key = (v.capacity_parcels, _tenths(v.capacity_kg), v.shift_seconds)
        groups.setdefault(key, []).append(v)
    return list(groups.values())


def _problem(
    problem: DayProblem,
    stops: list[_Stop],
    groups: list[list[DayVehicle]],
    *,
    must: bool = False,
) -> Problem:
    rows = [0, *(s.index for s in stops)]
    base, per = problem.service_base_seconds, problem.service_per_parcel_seconds
    clients = [
        Client(
            delivery=(len(s.drop), sum(_tenths(p.kg) for p in s.drop)),
            pickup=(len(s.collect), sum(_tenths(p.kg) for p in s.collect)),
            service_duration=base + per * (len(s.drop) + len(s.collect)),
            required=s.required and not must,
            prize=(MUST_PRIZE + max(s.prize, 0)) if s.required else max(s.prize, 0),
            name=str(s.point.point_id),
        )
        for s in stops
    ]
    types = [
        VehicleType(
            num_available=len(g),
            capacity=(g[0].capacity_parcels, _tenths(g[0].capacity_kg)),
            max_duration=g[0].shift_seconds,
            name=g[0].name,
        )
        for g in groups
    ]
    return Problem(
        clients=clients,
        vehicle_types=types,
        distances=[[problem.distances[i][j] for j in rows] for i in rows],
        durations=[[problem.durations[i][j] for j in rows] for i in rows],
    )


def _runs(
    stops: list[_Stop],
    groups: list[list[DayVehicle]],
    solution: Solution,
) -> list[PlannedRun]:
    taken = [0] * len(groups)
    runs = []
    for route in solution.routes:
        vehicle = groups[route.vehicle_type][taken[route.vehicle_type]]
        taken[route.vehicle_type] += 1
        runs.append(_run(vehicle, [stops[i] for i in route.clients], route))
    return runs


def _run(vehicle: DayVehicle, stops: list[_Stop], route: Route) -> PlannedRun:
    planned = tuple(
        PlannedStop(
            point_id=s.point.point_id,
            arrival_seconds=arrival,
            drop=tuple(p.parcel_id for p in s.drop),
            collect=tuple(p.parcel_id for p in s.collect),
            load_parcels=load[0],
            load_kg=load[1] / KG_SCALE,
            required=s.required,
            reasons=s.reasons(),
        )
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


def _pinned_run(
    problem: DayProblem, vehicle: DayVehicle, stops: list[_Stop]
) -> PlannedRun:
    """A dispatcher's route as given, timed and loaded on the same matrices."""
    base, per = problem.service_base_seconds, problem.service_per_parcel_seconds
    parcels = sum(len(s.drop) for s in stops)
    tenths = sum(_tenths(p.kg) for s in stops for p in s.drop)
    clock = distance = prev = 0
    peak_parcels, peak_tenths = parcels, tenths
    planned = []
    for s in stops:
        distance += problem.distances[prev][s.index]
        clock += problem.durations[prev][s.index]
        arrival = clock
        clock += base + per * (len(s.drop) + len(s.collect))
        parcels += len(s.collect) - len(s.drop)
        tenths += sum(_tenths(p.kg) for p in s.collect) - sum(
            _tenths(p.kg) for p in s.drop
        )
        peak_parcels, peak_tenths = max(peak_parcels, parcels), max(peak_tenths, tenths)
        planned.append(
            PlannedStop(
                point_id=s.point.point_id,
                arrival_seconds=arrival,
                drop=tuple(p.parcel_id for p in s.drop),
                collect=tuple(p.parcel_id for p in s.collect),
                load_parcels=parcels,
                load_kg=tenths / KG_SCALE,
                required=s.required,
                reasons=s.reasons(),
                pinned=True,
            )
        )
        prev = s.index
    distance += problem.distances[prev][0]
    clock += problem.durations[prev][0]
    violations = []
    if peak_parcels > vehicle.capacity_parcels:
        violations.append("parcels")
    if peak_tenths > _tenths(vehicle.capacity_kg):
        violations.append("kg")
    if clock > vehicle.shift_seconds:
        violations.append("shift")
    first = planned[0] if planned else None
    return PlannedRun(
        vehicle_id=vehicle.vehicle_id,
        stops=tuple(planned),
        distance_m=distance,
        duration_s=clock,
        load_parcels=sum(len(s.drop) for s in stops),
        load_kg=sum(_tenths(p.kg) for s in stops for p in s.drop) / KG_SCALE,
        pinned=True,
        violations=tuple(violations) if first else (),
    )


def _no_room(problem: DayProblem, stop: _Stop, left: Sequence[Shipment]) -> Unserved:
    """Parcels the fleet cannot carry today; late if one of them is due."""
    return Unserved(
        point_id=stop.point.point_id,
        reason=UnservedReason.NO_ROOM,
        parcel_ids=tuple(s.parcel_id for s in left),
        deadline=stop.requirement.deadline,
        late=any(_due(problem, s) for s in left),
    )


def _left_behind(stop: _Stop) -> Unserved:
    """A required point no run could take, with every parcel it was to get."""
    return Unserved(
        point_id=stop.point.point_id,
        reason=UnservedReason.NOT_REACHED,
        parcel_ids=tuple(
            p.parcel_id for p in [*stop.drop, *stop.waiting, *stop.collect]
        ),
        deadline=stop.requirement.deadline,
        late=True,
    )


def _waits(stop: _Stop) -> Unserved:
    """An optional point left for another day, with its parcels."""
    return Unserved(
        point_id=stop.point.point_id,
        reason=UnservedReason.WAITS,
        parcel_ids=tuple(p.parcel_id for p in [*stop.drop, *stop.collect]),
        deadline=stop.requirement.deadline,
        late=False,
    )
