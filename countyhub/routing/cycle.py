"""The county's cycle: on which days of a repeating cycle each point is visited.

The daily planner keeps every point's cadence day by day; the cycle is what keeps
the days' routes compact. :func:`make_cycle` builds a periodic VRP
(:func:`countyhub.routing.plan_cycle`) over a cycle of :func:`fitting_length` days
(the least common multiple of the cadences: 2 for the county's two-day default)
in which a point of cadence ``c`` may be visited on the days ``k, k + c, k +
2c …`` for one ``k < c``, or on every day, and returns the chosen days per point.
Day ``k`` of the cycle is every date ``starts_on + k + n × length``
(:func:`cycle_day`).

The periodic problem is an approximation of the days to come: one visit carries
the parcels of ``cadence`` days at the point's average rate; the fleet becomes
vehicles of its largest capacity in parcels, as many as the fleet's whole
capacity fills; and, since Cordeau's model has one matrix, times are expressed
in metres at the matrices' average speed, so that the shortest shift and the
service times (a base plus a time per parcel) bound each day's routes. The
daily planner enforces the real limits on the real day.

Pure: no database.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from countyhub.routing.cadence import DEFAULT_CADENCE_DAYS
from countyhub.routing.daily import DayVehicle, PointId
from countyhub.routing.periodic import PeriodicClient, PeriodicProblem, plan_cycle

__all__ = [
    "MAX_CYCLE_DAYS",
    "Cycle",
    "CyclePoint",
    "combinations",
    "cycle_day",
    "cycle_length",
    "fitting_length",
    "make_cycle",
]

MAX_CYCLE_DAYS = 28


@dataclass(frozen=True)
class CyclePoint:
    """A point to place in the cycle.

    Parameters
    ----------
    point_id
        The point's identifier.
    cadence_days
        Longest allowed interval between two visits, in days. Default 2.
    parcels_per_day
        Average parcels a day (inbound and outbound). Default 1.0.
    """

    point_id: PointId
    cadence_days: int = DEFAULT_CADENCE_DAYS
    parcels_per_day: float = 1.0


@dataclass(frozen=True)
class Cycle:
    """A cycle: its length and each point's days in it.

    Attributes
    ----------
    length
        Days in the cycle.
    days
        Per point, its day indices ``0 .. length - 1``.
    cost_m
        Metres driven over one cycle by the periodic plan.
    feasible
        Whether the periodic plan kept its (approximate) capacities.
    """

    length: int
    days: Mapping[PointId, frozenset[int]]
    cost_m: float
    feasible: bool


def cycle_length(cadences: Iterable[int]) -> int:
    """The least common multiple of the cadences (1 for none).

    Raises
    ------
    ValueError
        If a cadence is below 1 or the cycle would exceed
        :data:`MAX_CYCLE_DAYS` days.
    """
    values = list(cadences)
    if any(c < 1 for c in values):
        raise ValueError("cadences must be at least 1 day")
    length = math.lcm(*values) if values else 1
    if length > MAX_CYCLE_DAYS:
        raise ValueError(
            f"cadences {sorted(set(values))} give a cycle of {length} days; "
            f"choose cadences whose cycle is at most {MAX_CYCLE_DAYS} days"
        )
    return length


def fitting_length(cadences: Iterable[int]) -> int:
    """The longest cycle of at most :data:`MAX_CYCLE_DAYS` days that the most
    common cadences divide: cadences are taken from the most to the least common
    while their least common multiple stays within the limit.

    Raises
    ------
    ValueError
        If a cadence is below 1.
    """
    counts = Counter(cadences)
    length = 1
    for cadence, _ in counts.most_common():
        if cadence < 1:
            raise ValueError("cadences must be at least 1 day")
        if math.lcm(length, cadence) <= MAX_CYCLE_DAYS:
            length = math.lcm(length, cadence)
    return length


def combinations(cadence: int, length: int) -> tuple[frozenset[int], ...]:
    """The visit-day combinations of a point of ``cadence`` in a cycle.

    Every ``cadence``-th day from each start ``k < cadence``, then every day
    (for a cadence above 1).

    Raises
    ------
    ValueError
        If ``cadence`` does not divide ``length``.
    """
    if cadence < 1 or length % cadence:
        raise ValueError(f"cadence {cadence} does not divide a cycle of {length}")
    exact = tuple(frozenset(range(k, length, cadence)) for k in range(cadence))
    return exact if cadence == 1 else (*exact, frozenset(range(length)))


def cycle_day(starts_on: date, day: date, length: int) -> int:
    """The index of ``day`` in a cycle of ``length`` days from ``starts_on``."""
    if length < 1:
        raise ValueError("a cycle has at least one day")
    return (day - starts_on).days % length


def make_cycle(
    points: Sequence[CyclePoint],
    vehicles: Sequence[DayVehicle],
    distances: Sequence[Sequence[float]],
    *,
    seconds: float,
    seed: int = 1,
    durations: Sequence[Sequence[float]] | None = None,
    service_base_seconds: int = 300,
    service_per_parcel_seconds: int = 15,
) -> Cycle:
    """Choose each point's days in the cycle at the least distance.

    Parameters
    ----------
    points
        The points, in the order of the matrix (from row 1).
    vehicles
        The fleet; at least one.
    distances
        Metres between the centre (row 0) and the points.
    seconds
        Time budget of the periodic planner (at least 0.1).
    seed
        Seed. Default 1.
    durations
        Seconds between the same places; with them the shifts and service
        times bound the days' routes. Default None: no time limit.
    service_base_seconds, service_per_parcel_seconds
        Service time at a stop, as in :class:`countyhub.routing.DayProblem`.

    Returns
    -------
    Cycle
        Of :func:`fitting_length` days; a point whose cadence does not divide
        it (a rare cadence that would make the cycle longer than
        :data:`MAX_CYCLE_DAYS` days) has no days in it: the daily planner
        keeps its cadence all the same, without the cycle's guidance.

    Raises
    ------
    ValueError
        If there is no vehicle or a cadence is below 1, or as
        :class:`countyhub.routing.PeriodicProblem`.
    """
    if not vehicles:
        raise ValueError("a cycle needs at least one vehicle")
    length = fitting_length(p.cadence_days for p in points)
    placed = [i for i, p in enumerate(points) if length % p.cadence_days == 0]
    if len(placed) < len(points):
        rows = [0, *(i + 1 for i in placed)]
        cycle = make_cycle(
            [points[i] for i in placed],
            vehicles,
            _rows(distances, rows),
            seconds=seconds,
            seed=seed,
            durations=None if durations is None else _rows(durations, rows),
            service_base_seconds=service_base_seconds,
            service_per_parcel_seconds=service_per_parcel_seconds,
        )
        left_out = {p.point_id: frozenset[int]() for p in points}
        return Cycle(length, {**left_out, **cycle.days}, cycle.cost_m, cycle.feasible)
    if not points:
        return Cycle(length, {}, 0.0, True)
    service = (service_base_seconds, service_per_parcel_seconds)
    problem = _periodic_problem(points, vehicles, distances, durations, length, service)
    solution = plan_cycle(problem, seconds=seconds, seed=seed)
    days = {
        p.point_id: combo
        for p, combo in zip(points, solution.combinations, strict=True)
    }
    return Cycle(length, days, solution.cost, solution.feasible)


def _rows(matrix: Sequence[Sequence[float]], rows: list[int]) -> list[list[float]]:
    """The sub-matrix of the given rows and the same columns."""
    return [[matrix[i][j] for j in rows] for i in rows]


def _periodic_problem(
    points: Sequence[CyclePoint],
    vehicles: Sequence[DayVehicle],
    distances: Sequence[Sequence[float]],
    durations: Sequence[Sequence[float]] | None,
    length: int,
    service: tuple[int, int],
) -> PeriodicProblem:
    """The periodic problem that approximates the days to come (see the module)."""
    capacity = max(v.capacity_parcels for v in vehicles)
    fleet = max(1, sum(v.capacity_parcels for v in vehicles) // capacity)
    speed = _metres_per_second(distances, durations)
    demands = [
        min(capacity, math.ceil(p.parcels_per_day * p.cadence_days)) for p in points
    ]
    clients = [
        PeriodicClient(
            demand=demand,
            service_duration=speed * (service[0] + service[1] * demand),
            combinations=combinations(p.cadence_days, length),
            name=str(p.point_id),
        )
        for p, demand in zip(points, demands, strict=True)
    ]
    return PeriodicProblem(
        days=length,
        clients=clients,
        vehicles=fleet,
        capacity=capacity,
        max_duration=(
            speed * min(v.shift_seconds for v in vehicles) if speed else None
        ),
        distances=distances,
        precision=1,
    )


def _metres_per_second(
    distances: Sequence[Sequence[float]], durations: Sequence[Sequence[float]] | None
) -> float:
    """The matrices' average speed; 0 without durations (then no time limit)."""
    if durations is None:
        return 0.0
    metres = sum(map(sum, distances))
    seconds = sum(map(sum, durations))
    return metres / seconds if seconds else 0.0
