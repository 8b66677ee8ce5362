"""The dispatcher's pinned routes, kept as given.

A pinned route's points and vehicle are taken out of the solver's problem; the
run is timed and loaded on the same matrices and service times as the solver's
runs, and the limits it breaks (parcels, kilograms, shift) are reported with it
rather than changing it.
"""

from __future__ import annotations

from countyhub.routing.daily._stops import KG_SCALE, Stop, tenths
from countyhub.routing.daily.problem import DayProblem, DayVehicle
from countyhub.routing.daily.result import PlannedRun, PlannedStop

__all__ = ["pinned_run"]


def pinned_run(
    problem: DayProblem, vehicle: DayVehicle, stops: list[Stop]
) -> PlannedRun:
    """A dispatcher's route as given, timed and loaded on the same matrices."""
    planned, distance, clock, peaks = _drive(problem, stops)
    violations = _violations(vehicle, peaks, clock)
    return PlannedRun(
        vehicle_id=vehicle.vehicle_id,
        stops=tuple(planned),
        distance_m=distance,
        duration_s=clock,
        load_parcels=sum(len(s.drop) for s in stops),
        load_kg=sum(tenths(p.kg) for s in stops for p in s.drop) / KG_SCALE,
        pinned=True,
        violations=tuple(violations) if planned else (),
    )


def _drive(
    problem: DayProblem, stops: list[Stop]
) -> tuple[list[PlannedStop], int, int, tuple[int, int]]:
    """Drive the route: its stops, distance, duration and peak load (parcels,
    tenths of kg)."""
    base, per = problem.service_base_seconds, problem.service_per_parcel_seconds
    parcels = sum(len(s.drop) for s in stops)
    load = sum(tenths(p.kg) for s in stops for p in s.drop)
    clock = distance = prev = 0
    peak_parcels, peak_tenths = parcels, load
    planned = []
    for s in stops:
        distance += problem.distances[prev][s.index]
        clock += problem.durations[prev][s.index]
        arrival = clock
        clock += base + per * (len(s.drop) + len(s.collect))
        parcels += len(s.collect) - len(s.drop)
        load += sum(tenths(p.kg) for p in s.collect) - sum(tenths(p.kg) for p in s.drop)
        peak_parcels, peak_tenths = max(peak_parcels, parcels), max(peak_tenths, load)
        planned.append(s.planned(arrival, parcels, load / KG_SCALE, pinned=True))
        prev = s.index
    distance += problem.distances[prev][0]
    clock += problem.durations[prev][0]
    return planned, distance, clock, (peak_parcels, peak_tenths)


def _violations(vehicle: DayVehicle, peaks: tuple[int, int], clock: int) -> list[str]:
    """The vehicle's limits the run breaks: ``"parcels"``, ``"kg"``, ``"shift"``."""
    violations = []
    if peaks[0] > vehicle.capacity_parcels:
        violations.append("parcels")
    if peaks[1] > tenths(vehicle.capacity_kg):
        violations.append("kg")
    if clock > vehicle.shift_seconds:
        violations.append("shift")
    return violations
