"""The day to plan: the service points, their parcels, the fleet and the pins.

A :class:`DayProblem` is what the platform knows on the morning of the day
planned: every service point (:class:`DayPoint`) with its cadence, its last
visit, the inbound parcels sorted at the centre for it (with their arrival day)
and the outbound parcels waiting there (:class:`Shipment`); the fleet
(:class:`DayVehicle`); the distance and travel-time matrices; the cycle (which
days of the cycle each point belongs to); the dispatcher's pins; and the prices
of optional visits (:class:`VisitWeights`).

Units: distances in metres, times in seconds, weights in kilograms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from countyhub.routing.cadence import DEFAULT_CADENCE_DAYS, MAX_WAIT_DAYS

__all__ = [
    "DayPoint",
    "DayProblem",
    "DayVehicle",
    "Matrix",
    "PointId",
    "Shipment",
    "VehicleId",
    "VisitWeights",
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
    """Everything :func:`~countyhub.routing.daily.plan_day` needs.

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
