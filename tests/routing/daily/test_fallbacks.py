"""Tests for the daily planner on an over-full day: what waits, what is not reached."""

from __future__ import annotations

from countyhub.routing import DayPoint, Shipment, UnservedReason, plan_day
from tests.routing.daily.helpers import (
    DAY,
    TWO_DAYS_AGO,
    YESTERDAY,
    parcels,
    problem,
    stops_of,
    van,
)


def test_parcels_beyond_any_vehicle_are_named_and_late_ones_flagged() -> None:
    """Thirty parcels, twenty places: the oldest go, the rest are listed."""
    old = parcels(0, 10, arrival=TWO_DAYS_AGO)
    new = tuple(Shipment(f"new-{k}", 1.0, DAY) for k in range(20))
    points = [DayPoint(0, last_visit=YESTERDAY, inbound=(*new, *old))]
    plan = plan_day(problem(points, vehicles=[van("tri", parcels=20)]), seconds=0.3)
    stop = stops_of(plan)[0]
    assert set(stop.drop) >= {s.parcel_id for s in old}
    (left,) = plan.unserved
    assert left.reason is UnservedReason.NO_ROOM and len(left.parcel_ids) == 10
    assert not left.late  # the oldest, due today, went; those left arrived today
    assert plan.feasible


def test_fleet_too_small_names_the_points_it_cannot_reach() -> None:
    """A 1-hour shift cannot reach every required point: the plan says which."""
    points = [DayPoint(i, last_visit=TWO_DAYS_AGO) for i in range(12)]
    plan = plan_day(problem(points, vehicles=[van("v", hours=1)]), seconds=0.5)
    assert not plan.feasible
    left = {u.point_id for u in plan.unserved}
    assert left and all(u.reason is UnservedReason.NOT_REACHED for u in plan.unserved)
    assert left.isdisjoint(plan.visited) and left | set(plan.visited) == set(range(12))
    assert all(run.duration_s <= 3600 for run in plan.runs)
