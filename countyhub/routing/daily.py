"""The daily planner: today's runs that keep every cadence and every deadline.

Each morning the dispatcher plans the day from what the platform knows: every
service point with its cadence, its last visit, the inbound parcels sorted at the
centre for it (with their arrival day) and the outbound parcels waiting there; the
fleet; the distance and travel-time matrices; the cycle (which days of the cycle
each point belongs to); and the dispatcher's pins. :func:`plan_day` decides

* which points **must** be visited (:func:`countyhub.routing.required_today`:
  never visited, cadence due, a parcel's deadline today, or pinned);
* which **may** be visited: every other active point, or inactive point with
  parcels, is an optional stop whose prize is
  :func:`countyhub.routing.visit_value` (parcels waiting, outbound to collect,
  a deadline coming) plus a bonus when today is one of its cycle days, so
  that visits stay on the cycle that makes the days' routes compact; the
  solver visits it when the prize outweighs the detour;
* the **routes**: capacitated vehicle routing with drops and pickups at one
  stop, capacity in parcels and kilograms, one vehicle type per kind of
  vehicle, a shift counting driving and a service time per stop (a base time
  plus a time per parcel), solved by :func:`countyhub.routing.solve`.

Pinned routes are kept as given (their points and vehicles are taken out of
the solver's problem, their loads and times computed on the same matrices);
pinned visits are required. When the fleet cannot carry everything, parcels
that may still wait are left for tomorrow first, then required points are
dropped in the solver's order of least prize; every parcel and point left
behind is listed in :attr:`DailyPlan.unserved` with its reason and deadline,
never dropped silently.

Units: distances in metres, times in seconds, weights in kilograms (kept to
0.1 kg for the solver). Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from countyhub.routing.cadence import DEFAULT_CADENCE_DAYS, MAX_WAIT_DAYS

__all__ = [
    "DailyPlan",
    "DayPoint",
    "DayProblem",
    "DayVehicle",
    "PlannedRun",
    "PlannedStop",
    "Shipment",
    "Unserved",
    "UnservedReason",
    "VisitWeights",
    "plan_day",
]

PointId = int | str
VehicleId = int | str
Matrix = Sequence[Sequence[int]]


@dataclass(frozen=True)
class Shipment:
    """A parcel to drop at a point or to collect from it.

    Parameters
    ----------
    parcel_id
        The parcel's identifier.
    kg
        Weight in kilograms; at least 0. Default 1.0.
    arrival
        For an inbound parcel, the day it became available at the centre
        (sorted by that day's cut-off); its deadline is ``arrival +
        max_wait_days``. None for an outbound parcel. Default None.
    """

    parcel_id: int | str
    kg: float = 1.0
    arrival: date | None = None


@dataclass(frozen=True)
class DayPoint:
    """One service point as known on the morning of the day planned.

    Parameters
    ----------
    point_id
        The point's identifier.
    cadence_days
        Longest allowed interval between two visits, in days. Default 2.
    last_visit
        Day of the latest visit, or None if never visited. Default None.
    active
        Whether the point is in service. Default True.
    inbound
        Parcels sorted at the centre for this point, each with its arrival.
    outbound
        Parcels waiting at the point to be collected.
    cycle_days
        The point's days in the cycle (indices ``0 .. length - 1``); empty
        when there is no cycle. Default empty.
    name
        Label used in messages. Default empty.
    """

    point_id: PointId
    cadence_days: int = DEFAULT_CADENCE_DAYS
    last_visit: date | None = None
    active: bool = True
    inbound: tuple[Shipment, ...] = ()
    outbound: tuple[Shipment, ...] = ()
    cycle_days: frozenset[int] = frozenset()
    name: str = ""


@dataclass(frozen=True)
class DayVehicle:
    """A vehicle available today.

    Parameters
    ----------
    vehicle_id
        The vehicle's identifier.
    capacity_parcels
        Parcels it carries at once; at least 1.
    capacity_kg
        Kilograms it carries at once; above 0.
    shift_seconds
        Longest run (driving plus stops), in seconds; at least 1.
    name
        Label used in messages. Default empty.
    """

    vehicle_id: VehicleId
    capacity_parcels: int
    capacity_kg: float
    shift_seconds: int
    name: str = ""


@dataclass(frozen=True)
class VisitWeights:
    """How an optional visit is priced, in metres of detour it is worth.

    ``per_parcel``, ``outbound`` and ``urgency`` are the weights of
    :func:`countyhub.routing.visit_value`; ``cycle`` is added on the point's
    cycle days. Defaults were chosen with ``python -m bench.cadence`` (60
    days, seed 1): 278 km a day, 54.0 % of visiting every point every day, and
    a mean wait of 0.40 days against 0.50 under a fixed A/B alternation.
    """

    per_parcel: int = 100
    outbound: int = 300
    urgency: int = 0
    cycle: int = 6_000


@dataclass(frozen=True)
class DayProblem:
    """Everything :func:`plan_day` needs.

    Parameters
    ----------
    day
        The day planned.
    points
        The service points; the matrices index them from 1 in this order.
    vehicles
        Today's fleet; at least one vehicle (pinned ones included).
    distances, durations
        Square matrices in metres and seconds over the centre (row 0) and
        the points in order.
    method
        How the matrices were made (``"road graph"``, ``"geodesic × 1.3"``
        …), reported with the plan. Default ``"given"``.
    cycle_day
        Today's index in the cycle, or None without a cycle. Default None.
    pinned_visits
        Points the dispatcher requires today. Default none.
    pinned_routes
        Per vehicle, the points of a route the dispatcher fixed, in order.
        Default none.
    service_base_seconds, service_per_parcel_seconds
        Service time at a stop: a base plus a time per parcel dropped or
        collected. Defaults 300 and 15.
    max_wait_days
        Days a parcel may wait after its arrival. Default 2.
    weights
        Prices of optional visits. Default :class:`VisitWeights`.

    Raises
    ------
    ValueError
        On a wrong matrix shape, duplicate point or vehicle, a pin naming an
        unknown point or vehicle, a point pinned on two routes, or a value
        out of range (each message names the culprit).
    """

    day: date
    points: Sequence[DayPoint]
    vehicles: Sequence[DayVehicle]
    distances: Matrix
    durations: Matrix
    method: str = "given"
    cycle_day: int | None = None
    pinned_visits: frozenset[PointId] = frozenset()
    pinned_routes: Mapping[VehicleId, tuple[PointId, ...]] = field(default_factory=dict)
    service_base_seconds: int = 300
    service_per_parcel_seconds: int = 15
    max_wait_days: int = MAX_WAIT_DAYS
    weights: VisitWeights = field(default_factory=VisitWeights)


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
    """What :func:`plan_day` found.

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
        How distances were measured (from :attr:`DayProblem.method`).
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


def plan_day(problem: DayProblem, *, seconds: float, seed: int = 1) -> DailyPlan:
    """Plan the day's runs; see the module's description.

    Parameters
    ----------
    problem
        The day.
    seconds
        Time limit of the solver, in seconds (the whole call takes a little
        more; an over-full day may take up to twice this).
    seed
        Seed of the solver. Default 1.

    Returns
    -------
    DailyPlan

    Raises
    ------
    ValueError
        If ``seconds`` is not positive, or as :class:`DayProblem`.
    """
    from countyhub.routing._daily_solve import plan

    if seconds <= 0:
        raise ValueError("seconds must be positive")
    return plan(problem, seconds=seconds, seed=seed)
