"""What the day's planner is given: the database read as plain data, then a
:class:`DayProblem`.

The points are the active service points plus any inactive point that has
parcels waiting or is pinned; each with its cadence, its latest visit before the
day (from the visit log), the inbound parcels sorted at the centre for it (their
arrival is the local date they were received) and the outbound parcels waiting
there.  The fleet is the active vehicles; the centre is the county seat.
Distances come from the road network of the settings, or are geodesic times a
detour factor.  The dispatcher's pins of the day become pinned visits and
routes.  The cycle is the latest :class:`RouteCycle`; when there is none, or the
active points or their cadences have changed, a new one is to be made.
Ids in the routing objects are the database ids (int).

:func:`day_inputs` reads, and writes nothing: the new cycle is searched and
stored after it (:mod:`countyhub.platform.plans.plan`); the problem depends on
the cycle (each point's days in it), so :func:`day_problem` builds it, with no
database, from what was read and the cycle followed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from countyhub.platform.config import Settings
from countyhub.platform.county.gazetteer import require_county
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import (
    Parcel,
    ParcelEvent,
    PlanPin,
    PointVisit,
    ServicePoint,
    Vehicle,
)
from countyhub.platform.plans.matrices import point_matrices
from countyhub.platform.plans.stored_cycle import CycleDays, CycleJob, latest_cycle
from countyhub.routing import (
    DayPoint,
    DayProblem,
    DayVehicle,
    Matrices,
    Shipment,
    cycle_day,
)

_NAMES_SHOWN = 10  # points named in a message; the rest are counted


PointId = int | str  # the routing's ids; here always the database's int ids
_ByPoint = dict[int, list[Shipment]]


@dataclass(frozen=True)
class DayFacts:
    """What the database says of the day, the cycle aside: its points (no cycle
    days yet), fleet, matrices and pins."""

    day: dt.date
    points: tuple[DayPoint, ...]
    vehicles: tuple[DayVehicle, ...]
    matrices: Matrices
    pinned_visits: frozenset[PointId]
    pinned_routes: dict[PointId, tuple[PointId, ...]]


@dataclass(frozen=True)
class PlanInputs:
    """The day read, the cycle to follow — the latest stored (``cycle``) or one
    to make (``new_cycle``), or neither without active points — and the time
    left for the day's solver."""

    facts: DayFacts
    cycle: CycleDays | None
    new_cycle: CycleJob | None
    solve_seconds: float


def day_inputs(
    session: Session,
    day: dt.date,
    *,
    seconds: float,
    seed: int = 1,
    settings: Settings,
) -> PlanInputs:
    """Read the day for the planner; writes nothing.

    A new cycle, when needed, takes its share of ``seconds`` from the day's.
    Raises NoCounty, InvalidInput (no county seat, points without coordinates, no
    active vehicle, a pin on an inactive vehicle, an unreadable road network).
    """
    require_county(session)
    inbound, outbound = _waiting(session, day)
    pins = list(session.scalars(select(PlanPin).where(PlanPin.day == day)))
    points = _points(session, {*inbound, *outbound}, pins)
    vehicles = _vehicles(session, pins)
    found = point_matrices(session, points, settings)
    cycle, new_cycle = latest_cycle(
        session, day, points, vehicles, found, seconds=seconds, seed=seed
    )
    last = _last_visits(session, day)
    facts = DayFacts(
        day=day,
        points=tuple(
            DayPoint(
                point_id=p.id,
                cadence_days=p.cadence_days,
                last_visit=last.get(p.id),
                active=p.active,
                inbound=tuple(inbound.get(p.id, ())),
                outbound=tuple(outbound.get(p.id, ())),
                name=f"{p.code} {p.name}",
            )
            for p in points
        ),
        vehicles=tuple(vehicles),
        matrices=found,
        pinned_visits=frozenset(p.service_point_id for p in pins if not p.vehicle_id),
        pinned_routes=_pinned_routes(pins),
    )
    cycle_seconds = new_cycle.seconds if new_cycle else 0.0
    solve = max(seconds - cycle_seconds, min(seconds, 0.5))
    return PlanInputs(facts, cycle, new_cycle, solve)


def day_problem(facts: DayFacts, cycle: CycleDays | None) -> DayProblem:
    """The day's problem: ``facts`` with each active point's days in ``cycle``."""
    days = cycle.days if cycle else {}
    today = cycle_day(cycle.starts_on, facts.day, cycle.length) if cycle else None
    return DayProblem(
        day=facts.day,
        points=[
            replace(p, cycle_days=frozenset(days.get(str(p.point_id), ())))
            if p.active
            else p
            for p in facts.points
        ],
        vehicles=list(facts.vehicles),
        distances=facts.matrices.distance_m,
        durations=facts.matrices.duration_s,
        method=facts.matrices.method,
        cycle_day=today,
        pinned_visits=facts.pinned_visits,
        pinned_routes=facts.pinned_routes,
    )


def fleet_and_places(
    session: Session, settings: Settings
) -> tuple[list[ServicePoint], list[DayVehicle], Matrices]:
    """The active points, the active fleet and the matrices over the centre and
    the points: what a cycle is made of.  Raises NoCounty, InvalidInput as
    :func:`day_inputs`."""
    require_county(session)
    points = _points(session, set(), [])
    return points, _vehicles(session, []), point_matrices(session, points, settings)


def _waiting(session: Session, day: dt.date) -> tuple[_ByPoint, _ByPoint]:
    """Inbound parcels sorted for a point, each arriving the local day it was
    received; outbound parcels registered at a point."""
    received = and_(
        ParcelEvent.parcel_id == Parcel.id, ParcelEvent.to_status == "received"
    )
    columns = (Parcel.id, Parcel.service_point_id, Parcel.weight_kg)
    rows = session.execute(
        select(
            *columns, Parcel.direction, Parcel.registered_at, func.max(ParcelEvent.at)
        )
        .outerjoin(ParcelEvent, received)
        .where(
            Parcel.service_point_id.is_not(None),
            or_(
                and_(Parcel.direction == "inbound", Parcel.status == "sorted"),
                and_(Parcel.direction == "outbound", Parcel.status == "registered"),
            ),
        )
        .group_by(*columns, Parcel.direction, Parcel.registered_at)
        .order_by(Parcel.id)
    )
    inbound: _ByPoint = defaultdict(list)
    outbound: _ByPoint = defaultdict(list)
    for parcel_id, point_id, kg, direction, registered_at, received_at in rows:
        assert point_id is not None  # as the query asks
        kg = kg if kg is not None else 1.0
        if direction == "outbound":
            outbound[point_id].append(Shipment(parcel_id, kg))
            continue
        arrival = (received_at or registered_at).astimezone(LOCAL_TZ).date()
        # A parcel on the shelf is there on the day planned, whatever its record.
        inbound[point_id].append(Shipment(parcel_id, kg, min(arrival, day)))
    return inbound, outbound


def _points(
    session: Session, with_parcels: set[int], pins: Sequence[PlanPin]
) -> list[ServicePoint]:
    """Active points, and inactive ones with parcels or pins, by code."""
    wanted = with_parcels | {pin.service_point_id for pin in pins}
    points = list(
        session.scalars(
            select(ServicePoint)
            .where(or_(ServicePoint.active, ServicePoint.id.in_(wanted)))
            .order_by(ServicePoint.code)
        )
    )
    lost = [f"{p.code} {p.name}" for p in points if p.lon is None or p.lat is None]
    if lost:
        more = f" and {len(lost) - _NAMES_SHOWN} more" if lost[_NAMES_SHOWN:] else ""
        raise InvalidInput(
            f"{len(lost)} service point(s) to plan have no coordinates: "
            f"{', '.join(lost[:_NAMES_SHOWN])}{more}; enter their coordinates, "
            "or deactivate the points",
            {"points": ", ".join(lost)},
        )
    return points


def _vehicles(session: Session, pins: Sequence[PlanPin]) -> list[DayVehicle]:
    vehicles = list(
        session.scalars(select(Vehicle).where(Vehicle.active).order_by(Vehicle.code))
    )
    if not vehicles:
        raise InvalidInput("no active vehicle: add a vehicle, or activate one")
    active = {v.id for v in vehicles}
    for pin in pins:
        if pin.vehicle is not None and pin.vehicle_id not in active:
            raise InvalidInput(
                f"vehicle {pin.vehicle.code} has a pinned route but is not active; "
                "activate it or unpin its route",
                {"vehicle": pin.vehicle.code},
            )
    return [
        DayVehicle(
            vehicle_id=v.id,
            capacity_parcels=v.capacity_parcels,
            capacity_kg=v.capacity_kg,
            shift_seconds=v.shift_minutes * 60,
            name=f"{v.code} {v.name}",
        )
        for v in vehicles
    ]


def _pinned_routes(pins: Sequence[PlanPin]) -> dict[PointId, tuple[PointId, ...]]:
    routes: dict[PointId, list[PointId]] = defaultdict(list)
    for pin in sorted(pins, key=lambda pin: pin.position or 0):
        if pin.vehicle_id is not None:
            routes[pin.vehicle_id].append(pin.service_point_id)
    return {vehicle: tuple(route) for vehicle, route in routes.items()}


def _last_visits(session: Session, day: dt.date) -> dict[int, dt.date]:
    rows = session.execute(
        select(PointVisit.service_point_id, func.max(PointVisit.visited_on))
        .where(PointVisit.visited_on < day)
        .group_by(PointVisit.service_point_id)
    )
    return {point_id: visited for point_id, visited in rows}
