"""Tests for countyhub.routing.periodic: the cycle planner (periodic VRP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.pvrp import check, decode_combination, read_problem
from countyhub.routing.periodic import PeriodicClient, PeriodicProblem, plan_cycle

PVRP = Path(__file__).resolve().parents[3] / "shared" / "bench" / "instances" / "pvrp"
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


def test_invalid_combinations_are_refused() -> None:
    """A combination naming a day outside the cycle is a clear error."""
    bad = PeriodicClient(combinations=(frozenset({2}),))
    with pytest.raises(ValueError, match=r"outside days 0\.\.1"):
        PeriodicProblem(days=2, clients=[bad], vehicles=1, capacity=1)


def test_decode_combination_reads_day_one_as_the_leftmost_bit() -> None:
    """Cordeau's codes: 2 of 2 days is day 1, 1 is day 2, 15 of 4 is all."""
    assert decode_combination(2, 2) == DAY_A
    assert decode_combination(1, 2) == DAY_B
    assert decode_combination(3, 2) == BOTH
    assert decode_combination(15, 4) == frozenset(range(4))
    assert decode_combination(10, 4) == frozenset({0, 2})


@pytest.mark.skipif(
    not (PVRP / "p01.txt").exists(), reason="../shared/bench/instances not beside repo"
)
def test_reader_decodes_p01() -> None:
    """p01: 51 clients over 2 days, 3 vans of 160; the depot twin only on day 1."""
    problem = read_problem(PVRP / "p01.txt")
    assert (problem.days, problem.vehicles, problem.capacity) == (2, 3, 160)
    assert len(problem.clients) == 51 and problem.max_duration is None
    assert set(problem.clients[0].combinations) == {DAY_A, DAY_B}
    assert problem.clients[0].demand == 7
    assert problem.clients[50].combinations == (DAY_A,)
    assert problem.clients[50].demand == 160
