"""Tests for countyhub.routing.daily.solve: the day's runs from cadence and parcels."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from countyhub.routing import DayPoint, Shipment, UnservedReason, VisitWeights, plan_day
from tests.routing.daily.helpers import (
    DAY,
    TWO_DAYS_AGO,
    YESTERDAY,
    parcels,
    problem,
    stops_of,
)


def test_required_points_follow_cadence_and_optional_ones_may_wait() -> None:
    """Visited two days ago: required; visited yesterday with nothing: skipped."""
    points = [
        DayPoint(0, last_visit=TWO_DAYS_AGO),
        DayPoint(1, last_visit=YESTERDAY),
        DayPoint(2, last_visit=None),
        DayPoint(3, last_visit=YESTERDAY, cadence_days=1),
    ]
    plan = plan_day(problem(points), seconds=0.3)
    assert plan.feasible
    assert set(plan.required) == {0, 2, 3}
    assert set(plan.visited) == {0, 2, 3}
    reasons = {pid: s.reasons for pid, s in stops_of(plan).items()}
    assert reasons[0] == ("cadence",)
    assert reasons[2] == ("never_visited",)


def test_every_waiting_parcel_is_dropped_and_outbound_collected() -> None:
    points = [
        DayPoint(0, last_visit=TWO_DAYS_AGO, inbound=parcels(0, 5)),
        DayPoint(1, last_visit=TWO_DAYS_AGO, outbound=(Shipment("out-1", 10.0),)),
    ]
    plan = plan_day(problem(points), seconds=0.3)
    stops = stops_of(plan)
    assert set(stops[0].drop) == {f"p0-{k}" for k in range(5)}
    assert stops[1].collect == ("out-1",)
    for run in plan.runs:
        load = run.load_parcels
        for stop in run.stops:
            load += len(stop.collect) - len(stop.drop)
            assert stop.load_parcels == load
        assert all(a.arrival_seconds < b.arrival_seconds for a, b in _pairs(run.stops))


def _pairs(stops):
    return itertools.pairwise(stops)


def test_optional_point_is_visited_when_its_prize_beats_the_detour() -> None:
    """Next door to a required stop, parcels waiting make a visit worth it."""
    points = [
        DayPoint(0, last_visit=TWO_DAYS_AGO),
        DayPoint(1, last_visit=YESTERDAY, inbound=parcels(1, 8)),
        DayPoint(11, last_visit=YESTERDAY),
    ]
    weights = VisitWeights(per_parcel=1_000, outbound=0, urgency=0, cycle=0)
    plan = plan_day(problem(points, weights=weights), seconds=0.3)
    assert 1 in plan.visited and 11 not in plan.visited


def test_optional_point_left_is_listed_with_its_parcels() -> None:
    points = [
        DayPoint(0, last_visit=TWO_DAYS_AGO),
        DayPoint(1, last_visit=YESTERDAY, inbound=parcels(1, 1)),
    ]
    weights = VisitWeights(per_parcel=1, outbound=0, urgency=0, cycle=0)
    plan = plan_day(problem(points, weights=weights), seconds=0.3)
    (left,) = plan.unserved
    assert left.point_id == 1 and left.reason is UnservedReason.WAITS
    assert left.parcel_ids == ("p1-0",) and not left.late
    assert left.deadline == DAY + timedelta(days=1)


def test_cycle_bonus_keeps_a_point_on_its_cycle_day() -> None:
    """Visited yesterday off its cycle: today, its cycle day, it is visited."""
    points = [
        DayPoint(0, last_visit=TWO_DAYS_AGO, cycle_days=frozenset({1})),
        DayPoint(1, last_visit=YESTERDAY, cycle_days=frozenset({1})),
        DayPoint(2, last_visit=YESTERDAY, cycle_days=frozenset({0})),
    ]
    plan = plan_day(problem(points, cycle_day=1), seconds=0.3)
    assert set(plan.visited) == {0, 1}


@st.composite
def days(draw):
    n = draw(st.integers(1, 8))
    points = []
    for i in range(n):
        last = draw(st.sampled_from([None, YESTERDAY, TWO_DAYS_AGO]))
        inbound = tuple(
            Shipment(f"p{i}-{k}", draw(st.sampled_from([0.5, 2.0, 9.0])), arrival)
            for k, arrival in enumerate(
                draw(
                    st.lists(
                        st.sampled_from([DAY, YESTERDAY, TWO_DAYS_AGO]), max_size=6
                    )
                )
            )
        )
        outbound = tuple(
            Shipment(f"o{i}-{k}", 3.0) for k in range(draw(st.integers(0, 2)))
        )
        points.append(DayPoint(i, last_visit=last, inbound=inbound, outbound=outbound))
    return points


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=days())
def test_every_required_point_and_due_parcel_is_served_when_the_fleet_suffices(points):
    plan = plan_day(problem(points), seconds=0.1)
    assert plan.feasible
    assert set(plan.required) <= set(plan.visited)
    dropped = [p for run in plan.runs for s in run.stops for p in s.drop]
    assert len(dropped) == len(set(dropped))
    stops = stops_of(plan)
    for point in points:
        due = {s.parcel_id for s in point.inbound if s.arrival <= TWO_DAYS_AGO}
        if due:
            assert due <= set(stops[point.point_id].drop)
    left = {p for u in plan.unserved for p in u.parcel_ids}
    every = {s.parcel_id for p in points for s in (*p.inbound, *p.outbound)}
    carried = set(dropped) | {
        p for run in plan.runs for s in run.stops for p in s.collect
    }
    assert carried | left == every and not carried & left
    for run in plan.runs:
        assert max((s.load_parcels for s in run.stops), default=0) <= 100
        assert run.load_parcels <= 100


def test_parcels_of_a_point_worth_no_detour_are_still_listed() -> None:
    """With every visit weight 0, an optional point's parcels wait, named."""
    points = [
        DayPoint(0, last_visit=TWO_DAYS_AGO),
        DayPoint(1, last_visit=YESTERDAY, inbound=parcels(1, 2)),
    ]
    plan = plan_day(problem(points, weights=VisitWeights(0, 0, 0, 0)), seconds=0.3)
    assert set(plan.visited) == {0}
    (left,) = plan.unserved
    assert left.reason is UnservedReason.WAITS and len(left.parcel_ids) == 2
