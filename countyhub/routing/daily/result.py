"""What the daily planner returns: the runs, their stops, and what is left.

A :class:`DailyPlan` holds the day's runs (:class:`PlannedRun`, each with its
ordered :class:`PlannedStop` records, arrival times and loads), the points and
parcels left for another day (:class:`Unserved`, with an
:class:`UnservedReason` and a deadline), and whether every rule of the day
holds. Units: distances in metres, times in seconds, weights in kilograms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from countyhub.routing.daily.problem import PointId, VehicleId

__all__ = ["DailyPlan", "PlannedRun", "PlannedStop", "Unserved", "UnservedReason"]


@dataclass(frozen=True)
class PlannedStop:
    """One stop of a run.

    Attributes
    ----------
    point_id
        The point visited.
    arrival_seconds
        Arrival after the run's departure, in seconds.
    drop, collect
        Parcel ids dropped and collected here.
    load_parcels, load_kg
        On board after the stop.
    required
        Whether the visit was required (else the solver chose it).
    reasons
        Why (values of :class:`countyhub.routing.cadence.Reason`, plus
        ``"pinned"``); for a chosen visit, ``("may_wait",)`` or
        ``("inactive",)``.
    pinned
        Whether the stop is part of a pinned route.
    """

    point_id: PointId
    arrival_seconds: int
    drop: tuple[int | str, ...]
    collect: tuple[int | str, ...]
    load_parcels: int
    load_kg: float
    required: bool
    reasons: tuple[str, ...]
    pinned: bool = False


@dataclass(frozen=True)
class PlannedRun:
    """One vehicle's run from the centre back to the centre.

    Attributes
    ----------
    vehicle_id
        The vehicle.
    stops
        The stops in order.
    distance_m, duration_s
        Length and duration (driving and service).
    load_parcels, load_kg
        On board when leaving the centre.
    pinned
        Whether the dispatcher fixed this route.
    violations
        For a pinned route, the limits it breaks (``"parcels"``, ``"kg"``,
        ``"shift"``); the planner keeps it all the same. Empty otherwise.
    """

    vehicle_id: VehicleId
    stops: tuple[PlannedStop, ...]
    distance_m: int
    duration_s: int
    load_parcels: int
    load_kg: float
    pinned: bool = False
    violations: tuple[str, ...] = ()


class UnservedReason(StrEnum):
    """Why a point or parcels are not served today."""

    WAITS = "waits"  #: optional point not visited; every deadline is later
    NO_ROOM = "no_room"  #: parcels the fleet cannot carry today
    NOT_REACHED = "not_reached"  #: a required point no run could take


@dataclass(frozen=True)
class Unserved:
    """A point, or some of its parcels, left for another day.

    Attributes
    ----------
    point_id
        The point.
    reason
        Why.
    parcel_ids
        The inbound parcels left at the centre (empty when none wait).
    deadline
        The last day a visit keeps the point's rules, or None.
    late
        Whether a rule breaks: the deadline is today or past, or a required
        point is not reached.
    """

    point_id: PointId
    reason: UnservedReason
    parcel_ids: tuple[int | str, ...]
    deadline: date | None
    late: bool


@dataclass(frozen=True)
class DailyPlan:
    """What :func:`~countyhub.routing.daily.plan_day` found.

    Attributes
    ----------
    day
        The day planned.
    runs
        The non-empty runs, pinned ones first.
    unserved
        Points and parcels left for another day, with reasons.
    required
        Points that had to be visited today.
    distance_m
        Total distance of the runs.
    objective
        The solver's objective: distance plus the prizes of optional points
        left unvisited (metres).
    runtime
        Wall-clock seconds spent planning.
    method
        How distances were measured (from
        :attr:`~countyhub.routing.daily.problem.DayProblem.method`).
    feasible
        Whether every required point is visited, every parcel due today
        carried, and every run keeps its vehicle's limits.
    """

    day: date
    runs: tuple[PlannedRun, ...]
    unserved: tuple[Unserved, ...]
    required: tuple[PointId, ...]
    distance_m: int
    objective: int
    runtime: float
    method: str
    feasible: bool

    @property
    def visited(self) -> tuple[PointId, ...]:
        """The points some run visits today."""
        return tuple(stop.point_id for run in self.runs for stop in run.stops)
