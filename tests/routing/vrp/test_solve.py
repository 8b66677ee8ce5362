"""Tests for countyhub.routing.vrp.solve: the capacitated VRP on PyVRP."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cvrp import best_known, read_problem
from countyhub.routing import Client, Problem, Solution, VehicleType, solve

CVRP = Path(__file__).resolve().parents[4] / "shared" / "bench" / "instances" / "cvrp"
QUICK = 0.2  # seconds per tiny instance


def served(solution: Solution) -> list[int]:
    """Every client index on a route, with repetitions, sorted."""
    return sorted(i for route in solution.routes for i in route.clients)


def ring(
    n: int, *, delivery: tuple[int, ...] = (), service_duration: int = 0
) -> list[Client]:
    """n clients on the eight compass points 100 away from the depot, in turn."""
    points = [(1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1)]
    return [
        Client(
            x=100 * points[i % 8][0],
            y=100 * points[i % 8][1],
            delivery=delivery,
            service_duration=service_duration,
        )
        for i in range(n)
    ]


def test_capacity_is_respected_in_every_dimension_and_each_client_served_once() -> None:
    """Loads stay within parcels and kg capacities; each client is on one route."""
    clients = ring(8, delivery=(3, 40))
    fleet = [VehicleType(num_available=8, capacity=(10, 100))]
    solution = solve(Problem(clients, fleet), seconds=QUICK)
    assert solution.feasible
    assert served(solution) == list(range(8))
    assert solution.unserved == ()
    # kg binds: at most two clients (80 kg) per van, so at least four routes.
    assert len(solution.routes) >= 4
    for route in solution.routes:
        assert route.delivery[0] <= 10 and route.delivery[1] <= 100


def test_pickups_and_deliveries_at_one_stop_respect_the_load_along_the_route() -> None:
    """Load leaving the depot and after every stop stays within capacity."""
    clients = [Client(x=10 * i, y=5, delivery=(4,), pickup=(5,)) for i in range(1, 7)]
    fleet = [VehicleType(num_available=6, capacity=(12,))]
    solution = solve(Problem(clients, fleet), seconds=QUICK)
    assert solution.feasible
    assert served(solution) == list(range(6))
    for route in solution.routes:
        assert route.delivery[0] <= 12
        assert all(load[0] <= 12 for load in route.loads)
        assert route.loads[-1] == route.pickup


def test_optional_clients_with_zero_prize_are_skipped() -> None:
    """An optional client worth nothing is left out and listed as unserved."""
    clients = [
        Client(x=10, y=0, delivery=(1,)),
        Client(x=0, y=10, delivery=(1,)),
        Client(x=500, y=500, delivery=(1,), required=False, prize=0),
        Client(x=-10, y=0, delivery=(1,), required=False, prize=10_000),
    ]
    fleet = [VehicleType(num_available=2, capacity=(10,))]
    solution = solve(Problem(clients, fleet), seconds=QUICK)
    assert solution.feasible
    assert solution.unserved == (2,)
    assert served(solution) == [0, 1, 3]
    assert solution.cost == solution.distance  # the skipped prize is 0


def test_a_shift_length_limit_splits_routes() -> None:
    """A shift too short for two stops forces one route per client."""
    clients = ring(8, service_duration=10)[::2]  # north, south, east, west at 100
    free = [VehicleType(num_available=4, capacity=(10,))]
    short = [VehicleType(num_available=4, capacity=(10,), max_duration=300)]
    assert len(solve(Problem(clients, free), seconds=QUICK).routes) == 1
    solution = solve(Problem(clients, short), seconds=QUICK)
    assert solution.feasible
    assert len(solution.routes) == 4
    assert all(route.duration == 210 for route in solution.routes)
    assert all(route.arrivals == (100,) for route in solution.routes)


def test_an_explicit_distance_matrix_is_used_instead_of_coordinates() -> None:
    """Distances come from the matrix (depot first), whatever the coordinates."""
    matrix = [[0, 5, 50], [50, 0, 5], [5, 50, 0]]  # cheap only as 0 → 1 → 2 → 0
    clients = [Client(delivery=(1,)), Client(delivery=(1,))]
    fleet = [VehicleType(num_available=2, capacity=(5,))]
    solution = solve(Problem(clients, fleet, distances=matrix), seconds=QUICK)
    assert [route.clients for route in solution.routes] == [(0, 1)]
    assert solution.distance == solution.cost == 15


def test_a_time_limit_that_is_not_positive_is_refused() -> None:
    """Zero seconds is a clear error, not an empty solution."""
    fleet = [VehicleType(capacity=(5,))]
    with pytest.raises(ValueError, match="positive"):
        solve(Problem([Client()], fleet), seconds=0)


@pytest.mark.skipif(
    not (CVRP / "X-n101-k25.vrp").exists(),
    reason="needs ../shared/bench/instances/cvrp beside the repository",
)
def test_x_n101_k25_lands_within_five_percent_of_its_best_known_cost() -> None:
    """Two seconds on the smallest X instance come within 5 % of its BKS."""
    path = CVRP / "X-n101-k25.vrp"
    solution = solve(read_problem(path), seconds=2)
    assert solution.feasible
    assert served(solution) == list(range(100))
    assert solution.cost <= 1.05 * best_known(path)
