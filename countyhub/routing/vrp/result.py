"""What a solve returns: each vehicle's :class:`Route` and the :class:`Solution`.

Indices refer to the :class:`~countyhub.routing.vrp.problem.Problem` solved:
clients by their position in ``Problem.clients``, vehicle types by theirs in
``Problem.vehicle_types``. Distances, durations and loads are in the problem's
units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Route", "Solution"]


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
    """What :func:`~countyhub.routing.vrp.solve` found.

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
