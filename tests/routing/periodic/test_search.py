"""Tests for countyhub.routing.periodic.search: the cycle planner (periodic VRP)."""

from __future__ import annotations

import pytest

from bench.pvrp import check
from countyhub.routing import PeriodicClient, PeriodicProblem, plan_cycle

DAY_A, DAY_B, BOTH = frozenset({0}), frozenset({1}), frozenset({0, 1})


def tiny() -> PeriodicProblem:
    """Eight clients over two days: two must come daily, one only on day B."""
    spots = [(10, 0), (12, 3), (-10, 1), (-11, -2), (0, 10), (2, 12), (0, -10), (3, -9)]
    clients = [
        PeriodicClient(x=x, y=y, demand=4, combinations=(DAY_A, DAY_B))
        for x, y in spots
    ]
    clients[0] = PeriodicClient(x=10, y=0, demand=4, combinations=(BOTH,))
    clients[4] = PeriodicClient(x=0, y=10, demand=4, combinations=(BOTH,))
    clients[7] = PeriodicClient(x=3, y=-9, demand=4, combinations=(DAY_B,))
    return PeriodicProblem(days=2, clients=clients, vehicles=2, capacity=12)


def test_each_client_gets_an_allowed_combination_and_capacity_holds() -> None:
    """Visits match the chosen, allowed combination; loads within capacity."""
    problem = tiny()
    solution = plan_cycle(problem, seconds=1.0, seed=3)
    assert solution.feasible
    for c, combo in enumerate(solution.combinations):
        assert combo in problem.clients[c].combinations
        days = {p.day for p in solution.days for r in p.routes if c in r}
        assert days == combo
    assert solution.combinations[7] == DAY_B
    for plan in solution.days:
        assert len(plan.routes) <= problem.vehicles
        assert all(load <= problem.capacity for load in plan.loads)
    cost, ok = check(problem, solution)
    assert ok and cost == pytest.approx(solution.cost)


def test_max_duration_with_service_times_is_kept() -> None:
    """A shift limit that binds splits the day; every route stays within it."""
    clients = [
        PeriodicClient(
            x=10 * (i % 3), y=10, service_duration=5.0, combinations=(DAY_A, DAY_B)
        )
        for i in range(6)
    ]
    problem = PeriodicProblem(
        days=2, clients=clients, vehicles=3, capacity=100, max_duration=60.0
    )
    solution = plan_cycle(problem, seconds=0.5)
    assert solution.feasible
    assert all(t <= 60.0 for p in solution.days for t in p.durations)
