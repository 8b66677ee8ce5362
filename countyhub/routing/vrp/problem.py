"""A routing problem: one depot, its clients with their amounts, and a fleet.

A :class:`Problem` is one depot (the county sorting centre) and its clients (the
village service points to visit), each with a delivery amount (parcels to drop)
and a pickup amount (parcels to collect) in one or more capacity dimensions, for
example parcels and kilograms, a service time, and, for optional clients, a
prize. The fleet is a list of :class:`VehicleType` (count, capacity per
dimension, maximum route duration). Travel distances come from integer
coordinates (Euclidean, rounded to the nearest integer as in CVRPLIB) or from an
explicit matrix; travel times from an explicit matrix or else equal to the
distances.

Units are the caller's: distances in one unit (metres, say), durations in one
unit (seconds, say) that service times and shift lengths share, and amounts in
the unit of their dimension. All are integers, as PyVRP requires.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Client", "Matrix", "Problem", "VehicleType"]

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
