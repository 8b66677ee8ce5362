"""A cycle to plan: its days, its clients with their allowed visit days, the fleet.

Over a cycle of ``days`` days, every client (a village service point) must be
visited on the days of exactly one of its allowed *combinations* of visit days
(for the county's two-day default: day 0, day 1, or both), and every day is
routed with the same fleet of ``vehicles`` vehicles of one capacity. Units are
the caller's: distances and route durations in one unit (travel time equals
distance, as in Cordeau's instances), demand in parcels. Coordinates and
matrices may be fractional; :attr:`PeriodicProblem.precision` scales them to
integers for the solver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["PeriodicClient", "PeriodicProblem"]


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
