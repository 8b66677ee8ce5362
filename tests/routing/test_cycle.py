"""Tests for countyhub.routing.cycle: the points' days in the county's cycle."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countyhub.routing import (
    CyclePoint,
    DayVehicle,
    cycle_day,
    cycle_length,
    make_cycle,
)
from countyhub.routing.cadence import check_visits
from countyhub.routing.cycle import combinations, fitting_length


def test_length_is_the_least_common_multiple_of_the_cadences() -> None:
    assert cycle_length([2, 2, 2]) == 2
    assert cycle_length([1, 2, 4]) == 4
    assert cycle_length([2, 3]) == 6
    assert cycle_length([]) == 1
    with pytest.raises(ValueError, match="at most 28"):
        cycle_length([5, 6, 7])


def test_a_rare_cadence_that_would_lengthen_the_cycle_is_left_out() -> None:
    """Points of 2, 5 and 7 days: a ten-day cycle; the weekly point has no days in
    it (the daily planner keeps its cadence without the cycle's guidance)."""
    assert fitting_length([2, 2, 2, 5, 7]) == 10
    assert fitting_length([2, 2, 3, 3, 4, 5, 7]) == 12
    dist = [[0, 10, 10, 30], [10, 0, 5, 30], [10, 5, 0, 30], [30, 30, 30, 0]]
    points = [CyclePoint("a", 2), CyclePoint("b", 5), CyclePoint("w", 7)]
    cycle = make_cycle(points, [DayVehicle("v", 10, 10, 3600)], dist, seconds=0.5)
    assert cycle.length == 10
    assert cycle.days["w"] == frozenset()
    assert cycle.days["a"] in combinations(2, 10)
    assert cycle.days["b"] in combinations(5, 10)


def test_two_day_default_offers_day_a_day_b_or_both() -> None:
    assert combinations(2, 2) == (frozenset({0}), frozenset({1}), frozenset({0, 1}))
    assert combinations(1, 2) == (frozenset({0, 1}),)


@given(
    cadence=st.integers(1, 4),
    repeat=st.integers(1, 3),
    start=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
)
def test_every_combination_repeated_keeps_its_cadence(cadence, repeat, start) -> None:
    """Visiting on a combination's days, cycle after cycle, breaks no cadence."""
    length = cadence * repeat
    for combo in combinations(cadence, length):
        visits = [
            d
            for d in (
                start.fromordinal(start.toordinal() + k) for k in range(4 * length)
            )
            if cycle_day(start, d, length) in combo
        ]
        end = visits[-1]
        assert check_visits(cadence, visits, visits[0], end) == []


def test_cycle_day_counts_from_the_start_both_ways() -> None:
    start = date(2026, 12, 1)
    assert cycle_day(start, date(2026, 12, 1), 2) == 0
    assert cycle_day(start, date(2026, 12, 4), 2) == 1
    assert cycle_day(start, date(2026, 11, 30), 2) == 1


def test_cycle_splits_two_day_points_by_place() -> None:
    """Two far-apart clusters: each goes on one day, not spread over both."""
    spots = [(0, 10_000 + 100 * i) for i in range(6)] + [
        (10_000 + 100 * i, 0) for i in range(6)
    ]
    places = [(0, 0), *spots]
    dist = [[round(math.dist(a, b)) for b in places] for a in places]
    points = [CyclePoint(i, 2, parcels_per_day=5) for i in range(12)]
    fleet = [DayVehicle("v", 60, 400, 8 * 3600)]  # one cluster a day
    cycle = make_cycle(points, fleet, dist, seconds=1.0)
    assert cycle.length == 2 and cycle.feasible
    assert all(len(cycle.days[i]) == 1 for i in range(12))
    assert len({cycle.days[i] for i in range(6)}) == 1
    assert len({cycle.days[i] for i in range(6, 12)}) == 1
    assert cycle.days[0] != cycle.days[6]


def test_daily_points_are_on_every_day() -> None:
    dist = [[0, 10, 10], [10, 0, 5], [10, 5, 0]]
    points = [CyclePoint("a", 1), CyclePoint("b", 2)]
    cycle = make_cycle(points, [DayVehicle("v", 10, 10, 3600)], dist, seconds=0.3)
    assert cycle.days["a"] == frozenset({0, 1})
    assert cycle.days["b"] in combinations(2, 2)
