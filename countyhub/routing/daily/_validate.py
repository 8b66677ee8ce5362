"""Checking a day's problem before planning it, naming the culprit of an error.

The checks run in a fixed order (matrices, points, fleet, pins, service times)
so that a problem with several faults always reports the same one first.
"""

from __future__ import annotations

from countyhub.routing.daily.problem import DayProblem, PointId

__all__ = ["validate"]


def validate(problem: DayProblem) -> None:
    """Raise ValueError on the first fault of ``problem`` (see DayProblem)."""
    _check_matrices(problem)
    _check_points_and_fleet(problem)
    _check_pins(problem)
    if problem.service_base_seconds < 0 or problem.service_per_parcel_seconds < 0:
        raise ValueError("service times must not be negative")


def _check_matrices(problem: DayProblem) -> None:
    size = len(problem.points) + 1
    for label, matrix in (
        ("distances", problem.distances),
        ("durations", problem.durations),
    ):
        if len(matrix) != size or any(len(row) != size for row in matrix):
            raise ValueError(f"{label} must be {size}×{size} (the centre first)")


def _check_points_and_fleet(problem: DayProblem) -> None:
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


def _check_pins(problem: DayProblem) -> None:
    known = {p.point_id for p in problem.points}
    for pid in problem.pinned_visits:
        if pid not in known:
            raise ValueError(f"pinned visit to unknown point {pid}")
    vids = [v.vehicle_id for v in problem.vehicles]
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
