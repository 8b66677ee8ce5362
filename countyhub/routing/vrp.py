"""Capacitated vehicle routing with pickups, deliveries, shifts and prizes.

A :class:`Problem` is one depot (the county sorting centre) and its clients (the
village service points to visit), each with a delivery amount (parcels to drop)
and a pickup amount (parcels to collect) in one or more capacity dimensions, for
example parcels and kilograms, a service time, and, for optional clients, a
prize. The fleet is a list of :class:`VehicleType` (count, capacity per
dimension, maximum route duration). Travel distances come from integer
coordinates (Euclidean, rounded to the nearest integer as in CVRPLIB) or from an
explicit matrix; travel times from an explicit matrix or else equal to the
distances.

:func:`solve` hands the problem to PyVRP's hybrid genetic search (a time limit
and a seed make a run repeatable on one machine) and returns a
:class:`Solution`: ordered routes with their distance, duration and loads, the
unserved clients, the objective and whether every constraint holds.

Units are the caller's: distances in one unit (metres, say), durations in one
unit (seconds, say) that service times and shift lengths share, and amounts in
the unit of their dimension. All are integers, as PyVRP requires.

Pure: PyVRP and numpy only; no database.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

from countyhub.routing._pyvrp import build_model

__all__ = ["Client", "Problem", "Route", "Solution", "VehicleType", "solve"]

Matrix = Sequence[Sequence[int]]


@dataclass(frozen=True)
class Client:
    """A stop to serve: a village service point.

    Parameters
    ----------
    x, y
        Integer coordinates, used when the problem has no distance matrix.
        Default 0.
    delivery
        Amount to drop here, per capacity dimension (e.g. ``(parcels, kg)``).
        Missing trailing dimensions count as 0. Default none.
    pickup
        Amount to collect here and bring back to the depot, per dimension.
        Default none.
    service_duration
        Time spent at the stop, in duration units. Default 0.
    required
        Whether the client must be served. Default True.
    prize
        Reward for serving an optional client, in distance units; an
        optional client is served only if its prize outweighs the detour.
        Default 0.
    name
        Free-form label. Default empty.
    """

    x: int = 0
    y: int = 0
    delivery: tuple[int, ...] = ()
    pickup: tuple[int, ...] = ()
    service_duration: int = 0
    required: bool = True
    prize: int = 0
    name: str = ""


@dataclass(frozen=True)
class VehicleType:
    """A kind of vehicle in the fleet (van, tricycle …).

    Parameters
    ----------
    num_available
        How many vehicles of this type can run. Default 1.
    capacity
        Capacity per dimension, in the same order as the clients' amounts.
        Default none (no capacity dimensions).
    max_duration
        Longest route (shift), in duration units, counting travel and
        service. Default None (unlimited).
    fixed_cost
        Cost of using one vehicle of this type, in distance units. Default 0.
    name
        Free-form label. Default empty.
    """

    num_available: int = 1
    capacity: tuple[int, ...] = ()
    max_duration: int | None = None
    fixed_cost: int = 0
    name: str = ""


@dataclass(frozen=True)
class Problem:
    """A routing problem: one depot, its clients and a fleet.

    Parameters
    ----------
    clients
        The clients; a route refers to them by index into this sequence.
    vehicle_types
        The fleet; at least one type.
    depot
        Integer coordinates of the depot. Default ``(0, 0)``.
    distances
        Optional square matrix of travel distances over the locations, the
        depot first (row 0) and then the clients in order. Default None:
        rounded Euclidean distances between the coordinates.
    durations
        Optional matrix of travel times, shaped as ``distances``. Default
        None: travel time equals distance.

    Raises
    ------
    ValueError
        If there is no vehicle type, a matrix has the wrong shape, an amount
        has more dimensions than the vehicles' capacities, or a value is
        negative.
    """

    clients: Sequence[Client]
    vehicle_types: Sequence[VehicleType]
    depot: tuple[int, int] = (0, 0)
    distances: Matrix | None = None
    durations: Matrix | None = None

    def __post_init__(self) -> None:
        if not self.vehicle_types:
            raise ValueError("a problem needs at least one vehicle type")
        size = len(self.clients) + 1
        for label, matrix in (
            ("distances", self.distances),
            ("durations", self.durations),
        ):
            if matrix is not None and (
                len(matrix) != size or any(len(row) != size for row in matrix)
            ):
                raise ValueError(f"{label} must be {size}×{size} (depot first)")
        dims = self.dimensions
        for i, client in enumerate(self.clients):
            amounts = (*client.delivery, *client.pickup)
            if len(client.delivery) > dims or len(client.pickup) > dims:
                raise ValueError(f"client {i} has more amount dimensions than {dims}")
            if min(amounts, default=0) < 0 or client.service_duration < 0:
                raise ValueError(f"client {i} has a negative amount or service time")

    @property
    def dimensions(self) -> int:
        """Number of capacity dimensions (the longest vehicle capacity)."""
        return max(len(v.capacity) for v in self.vehicle_types)


@dataclass(frozen=True)
class Route:
    """One vehicle's run from the depot back to the depot.

    Attributes
    ----------
    vehicle_type
        Index of the vehicle type in :attr:`Problem.vehicle_types`.
    clients
        Client indices in visiting order.
    distance
        Route distance, in distance units.
    duration
        Route duration (travel, service and waiting), in duration units.
    delivery, pickup
        Totals per capacity dimension.
    arrivals
        Start of service at each client, in duration units after the
        route's start.
    loads
        Load on board per dimension after each client; the load leaving
        the depot is :attr:`delivery`.
    """

    vehicle_type: int
    clients: tuple[int, ...]
    distance: int
    duration: int
    delivery: tuple[int, ...]
    pickup: tuple[int, ...]
    arrivals: tuple[int, ...] = field(default=())
    loads: tuple[tuple[int, ...], ...] = field(default=())


@dataclass(frozen=True)
class Solution:
    """What :func:`solve` found.

    Attributes
    ----------
    routes
        The non-empty routes.
    cost
        The objective: distance, plus fixed vehicle costs, plus the prizes
        of optional clients left unserved.
    distance
        Total distance of all routes, in distance units.
    unserved
        Indices of clients on no route, ascending.
    feasible
        Whether every required client is served and every capacity and
        shift limit holds.
    runtime
        Wall-clock seconds the solver ran.
    iterations
        Solver iterations performed.
    """

    routes: tuple[Route, ...]
    cost: int
    distance: int
    unserved: tuple[int, ...]
    feasible: bool
    runtime: float
    iterations: int


def solve(problem: Problem, *, seconds: float, seed: int = 1) -> Solution:
    """Route the fleet to serve the clients at the least cost.

    Parameters
    ----------
    problem
        The instance to solve.
    seconds
        Time limit, in seconds of wall-clock time; the solver uses all of it.
    seed
        Seed of the solver's random number generator. Default 1. The same
        seed and time limit give the same result only up to the iterations
        that fit in the time on the machine.

    Returns
    -------
    Solution
        The best solution found; check :attr:`Solution.feasible`, since an
        over-constrained problem yields the least-violating solution.

    Raises
    ------
    ValueError
        If ``seconds`` is not positive.
    """
    if seconds <= 0:
        raise ValueError("seconds must be positive")
    model = build_model(problem)
    with warnings.catch_warnings():
        # An over-full day warns that no feasible solution was found; the
        # Solution says so (feasible=False) and the caller decides.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = model.solve(
            MaxRuntime(seconds), seed=seed, collect_stats=False, display=False
        )
    best = result.best
    routes = tuple(_route(problem, r) for r in best.routes())
    served = {i for route in routes for i in route.clients}
    return Solution(
        routes=routes,
        cost=best.distance_cost()
        + best.duration_cost()
        + best.fixed_vehicle_cost()
        + best.uncollected_prizes(),
        distance=best.distance(),
        unserved=tuple(i for i in range(len(problem.clients)) if i not in served),
        feasible=best.is_feasible(),
        runtime=result.runtime,
        iterations=result.num_iterations,
    )


def _route(problem: Problem, route: pyvrp.Route) -> Route:
    """Read one PyVRP route: its clients in order, their times and the load."""
    visits = [a for a in route.schedule() if a.type == pyvrp.ActivityType.CLIENT]
    clients = tuple(a.idx for a in visits)
    dims = problem.dimensions
    load = list(route.delivery())
    loads = []
    for i in clients:
        client = problem.clients[i]
        for d in range(dims):
            drop = client.delivery[d] if d < len(client.delivery) else 0
            take = client.pickup[d] if d < len(client.pickup) else 0
            load[d] += take - drop
        loads.append(tuple(load))
    return Route(
        vehicle_type=route.vehicle_type(),
        clients=clients,
        distance=route.distance(),
        duration=route.duration(),
        delivery=tuple(route.delivery()),
        pickup=tuple(route.pickup()),
        arrivals=tuple(a.start_time - route.start_time() for a in visits),
        loads=tuple(loads),
    )
