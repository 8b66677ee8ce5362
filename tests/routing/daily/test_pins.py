"""Tests for the daily planner's pins: routes kept as given, visits required."""

from __future__ import annotations

import itertools

from countyhub.routing import DayPoint, plan_day
from tests.routing.daily.helpers import (
    SPOTS,
    TWO_DAYS_AGO,
    matrices,
    parcels,
    problem,
    van,
)


def test_pinned_route_is_kept_as_given_and_the_rest_planned_around() -> None:
    points = [
        DayPoint(i, last_visit=TWO_DAYS_AGO, inbound=parcels(i, 3)) for i in range(8)
    ]
    pinned = (5, 0, 3)
    plan = plan_day(
        problem(points, pinned_routes={"v1": pinned}, pinned_visits=frozenset({7})),
        seconds=0.3,
    )
    first, *others = plan.runs
    assert first.vehicle_id == "v1" and first.pinned
    assert tuple(s.point_id for s in first.stops) == pinned
    assert all(s.pinned for s in first.stops) and not first.violations
    assert all(run.vehicle_id == "v2" for run in others)
    assert sorted(plan.visited) == list(range(8))
    dist, _dur = matrices(SPOTS[:8])
    rows = [0, 6, 1, 4, 0]
    assert first.distance_m == sum(dist[a][b] for a, b in itertools.pairwise(rows))


def test_pinned_route_over_capacity_is_kept_with_its_violation() -> None:
    points = [DayPoint(0, last_visit=TWO_DAYS_AGO, inbound=parcels(0, 30))]
    plan = plan_day(
        problem(points, vehicles=[van("tri", parcels=20)], pinned_routes={"tri": (0,)}),
        seconds=0.3,
    )
    assert plan.runs[0].violations == ("parcels",)
    assert not plan.feasible
