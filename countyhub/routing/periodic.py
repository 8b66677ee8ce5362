"""The cycle planner: a periodic vehicle routing problem (PVRP).

Over a cycle of ``days`` days, every client (a village service point) must be
visited on the days of exactly one of its allowed *combinations* of visit days
(for the county's two-day default: day 0, day 1, or both), and every day is
routed with the same fleet. :func:`plan_cycle` chooses a combination per client
and routes each day so that the cycle's total distance is least.

Units are the caller's: distances and route durations in one unit (travel time
equals distance, as in Cordeau's instances), demand in parcels. Coordinates and
matrices may be fractional; PyVRP works on integers, so they are scaled by
:attr:`PeriodicProblem.precision` for the solver and the result is measured on
the unscaled values.

Pure: numpy and :func:`countyhub.routing.vrp.solve` only; no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CycleSolution",
    "DayPlan",
    "PeriodicClient",
    "PeriodicProblem",
    "plan_cycle",
]


@dataclass(frozen=True)
class PeriodicClient:
    """A point to visit on the days of one of its allowed combinations.

    Parameters
    ----------
    x, y
        Coordinates, used when the problem has no distance matrix. Default 0.
    demand
        Parcels dropped at each visit. Default 0.
    service_duration
        Time spent at each visit, in duration units (counts toward a route's
        duration). Default 0.
    combinations
        The allowed visit-day combinations, each a frozenset of day indices
        ``0 .. days - 1``; at least one. Default none (invalid in a problem).
    name
        Free-form label. Default empty.
    """

    x: float = 0.0
    y: float = 0.0
    demand: int = 0
    service_duration: float = 0.0
    combinations: tuple[frozenset[int], ...] = ()
    name: str = ""


@dataclass(frozen=True)
class PeriodicProblem:
    """A cycle to plan: the days, the clients and each day's fleet.

    Parameters
    ----------
    days
        Length of the cycle, in days (at least 1).
    clients
        The clients; routes and combinations refer to them by index.
    vehicles
        Vehicles available on each day (at least 1).
    capacity
        Capacity of each vehicle, in parcels.
    max_duration
        Longest route (travel plus service), in duration units. Default
        None (unlimited).
    depot
        Coordinates of the depot. Default ``(0, 0)``.
    distances
        Optional square matrix of distances (and travel times), the depot
        first (row 0) and then the clients in order. Default None: Euclidean
        distances between the coordinates, unrounded.
    precision
        Factor by which distances and durations are scaled to integers for
        PyVRP. Default 1000 (three decimals).

    Raises
    ------
    ValueError
        If a count is not positive, a matrix has the wrong shape, or a client
        has no combination or one with a day outside the cycle.
    """

    days: int
    clients: Sequence[PeriodicClient]
    vehicles: int
    capacity: int
    max_duration: float | None = None
    depot: tuple[float, float] = (0.0, 0.0)
    distances: Sequence[Sequence[float]] | None = None
    precision: int = 1000

    def __post_init__(self) -> None:
        if self.days < 1 or self.vehicles < 1 or self.precision < 1:
            raise ValueError("days, vehicles and precision must be positive")
        size = len(self.clients) + 1
        if self.distances is not None and (
            len(self.distances) != size or any(len(r) != size for r in self.distances)
        ):
            raise ValueError(f"distances must be {size}×{size} (depot first)")
        for i, client in enumerate(self.clients):
            if not client.combinations:
                raise ValueError(f"client {i} has no allowed combination")
            for combo in client.combinations:
                if not combo or not combo <= set(range(self.days)):
                    raise ValueError(
                        f"client {i}: combination {sorted(combo)} is empty or "
                        f"outside days 0..{self.days - 1}"
                    )

    def distance_matrix(self) -> NDArray[np.float64]:
        """Return the distances, depot first: the given matrix or Euclidean."""
        if self.distances is not None:
            return np.asarray(self.distances, dtype=np.float64)
        xy = np.array(
            [self.depot, *((c.x, c.y) for c in self.clients)], dtype=np.float64
        )
        diff = xy[:, None, :] - xy[None, :, :]
        return np.hypot(diff[..., 0], diff[..., 1])


@dataclass(frozen=True)
class DayPlan:
    """The routes of one day of the cycle.

    Attributes
    ----------
    day
        Day index, ``0 .. days - 1``.
    routes
        Each vehicle's client indices in visiting order (non-empty routes).
    distance
        Total distance of the day's routes, in distance units.
    loads
        Parcels carried on each route.
    durations
        Duration of each route (travel plus service), in duration units.
    """

    day: int
    routes: tuple[tuple[int, ...], ...]
    distance: float
    loads: tuple[int, ...]
    durations: tuple[float, ...]


@dataclass(frozen=True)
class CycleSolution:
    """What :func:`plan_cycle` found.

    Attributes
    ----------
    days
        One :class:`DayPlan` per day of the cycle, in order.
    combinations
        Per client, the chosen visit days (one of its allowed combinations).
    cost
        Total distance over the cycle, in distance units.
    feasible
        Whether every client is visited on exactly the days of one allowed
        combination, once per day, and every route keeps the capacity, the
        maximum duration and the number of vehicles.
    runtime
        Wall-clock seconds spent.
    iterations
        Improvement moves tried by the large-neighbourhood search.
    """

    days: tuple[DayPlan, ...]
    combinations: tuple[frozenset[int], ...]
    cost: float
    feasible: bool
    runtime: float
    iterations: int


def plan_cycle(
    problem: PeriodicProblem, *, seconds: float, seed: int = 1
) -> CycleSolution:
    """Choose a visit-day combination per client and route every day.

    Approach, a simple large-neighbourhood search over the combinations:

    1. *Initial assignment*: clients in order of fewest combinations, most
       visits and farthest from the depot are inserted, each with the
       combination whose days offer the cheapest feasible insertion (the
       capacity, shift and vehicle count of each day's growing routes keep
       the days' loads balanced, and the cheapest insertion puts a client on
       the days where its neighbours are). Each day is then routed with
       :func:`countyhub.routing.solve`.
    2. *Improvement*, until about 80 % of the time: remove a few related
       clients (a random one and its nearest neighbours), re-insert each with
       its cheapest combination (slightly randomised), re-solve only the days
       whose clients changed with short PyVRP runs, and keep the change if
       the cycle's distance fell. Day routings are cached by client set.
    3. *Final*: each day is solved again with its share of the remaining time
       and the better routing of the day is kept.

    Parameters
    ----------
    problem
        The cycle to plan.
    seconds
        Time budget, in seconds of wall-clock time (at least 0.1); the
        planner uses about all of it.
    seed
        Seed of the random choices and of the solver. Default 1.

    Returns
    -------
    CycleSolution
        The best plan found; check :attr:`CycleSolution.feasible`.

    Raises
    ------
    ValueError
        If ``seconds`` is below 0.1.
    """
    from countyhub.routing._periodic_search import search

    if seconds < 0.1:
        raise ValueError("seconds must be at least 0.1")
    return search(problem, seconds=seconds, seed=seed)
