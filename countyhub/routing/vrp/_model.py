"""Translation of a :class:`~countyhub.routing.vrp.problem.Problem` into a PyVRP model.

Kept apart from the solve so that PyVRP's model-building API (which changed in
PyVRP 0.14, hence the pin) touches one small module: the depot and clients as
locations, the fleet as vehicle types, and every edge with its distance and
duration.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pyvrp import Location, Model

from countyhub.routing.vrp.problem import Problem

__all__ = ["build_model", "distance_matrix", "duration_matrix"]

# PyVRP's own default for "no shift limit".
_UNLIMITED = int(np.iinfo(np.int64).max)


def distance_matrix(problem: Problem) -> NDArray[np.int64]:
    """Return the distances, depot first: the given matrix or rounded Euclidean."""
    if problem.distances is not None:
        return np.asarray(problem.distances, dtype=np.int64)
    xy = np.array(
        [problem.depot, *((c.x, c.y) for c in problem.clients)], dtype=np.float64
    )
    diff = xy[:, None, :] - xy[None, :, :]
    # CVRPLIB convention: Euclidean distance rounded to the nearest integer.
    return np.rint(np.hypot(diff[..., 0], diff[..., 1])).astype(np.int64)


def duration_matrix(
    problem: Problem, distances: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Return the travel times: the given matrix, or else the distances."""
    if problem.durations is None:
        return distances
    return np.asarray(problem.durations, dtype=np.int64)


def _padded(amounts: tuple[int, ...], dims: int) -> list[int]:
    return [*amounts, *([0] * (dims - len(amounts)))]


def build_model(problem: Problem) -> Model:
    """Build the PyVRP model: one depot, the clients, the fleet and every edge."""
    dims = problem.dimensions
    model = Model()
    depot_loc = model.add_location(x=problem.depot[0], y=problem.depot[1])
    model.add_depot(depot_loc, name="depot")
    locations = [depot_loc, *_add_clients(model, problem, dims)]
    _add_fleet(model, problem, dims)
    _add_edges(model, problem, locations)
    return model


def _add_clients(model: Model, problem: Problem, dims: int) -> list[Location]:
    """Add each client at a location of its own; return the locations in order."""
    locations = []
    for i, client in enumerate(problem.clients):
        loc = model.add_location(x=client.x, y=client.y)
        locations.append(loc)
        model.add_client(
            loc,
            delivery=_padded(client.delivery, dims),
            pickup=_padded(client.pickup, dims),
            service_duration=client.service_duration,
            prize=client.prize,
            required=client.required,
            name=client.name or str(i),
        )
    return locations


def _add_fleet(model: Model, problem: Problem, dims: int) -> None:
    for vehicle in problem.vehicle_types:
        model.add_vehicle_type(
            num_available=vehicle.num_available,
            capacity=_padded(vehicle.capacity, dims),
            fixed_cost=vehicle.fixed_cost,
            shift_duration=(
                _UNLIMITED if vehicle.max_duration is None else vehicle.max_duration
            ),
            name=vehicle.name,
        )


def _add_edges(model: Model, problem: Problem, locations: list[Location]) -> None:
    """Add every ordered pair of locations with its distance and duration."""
    dist = distance_matrix(problem)
    dur = duration_matrix(problem, dist).tolist()
    for i, frm in enumerate(locations):
        for j, (to, d) in enumerate(zip(locations, dist[i].tolist(), strict=True)):
            model.add_edge(frm, to, distance=d, duration=dur[i][j])
