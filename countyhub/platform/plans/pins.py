"""The dispatcher's pins of a day: visits the planner must make, routes it must keep.

A pin without a vehicle makes a point required that day; the pins of one
vehicle, in order, are a route the planner keeps as it is
(:class:`countyhub.routing.DayProblem`).  A point is pinned once a day: on at
most one route, or as a visit.  Pins belong to the day, not to a plan, so a
draft planned again keeps them; once the day's plan is published or done they
can no longer change.  Dispatchers and admins pin; analysts read the pins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from countyhub.platform.county.gazetteer import require_county
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import PlanPin, ServicePoint, User, Vehicle
from countyhub.platform.plans.plan import check_planner, check_reader, check_unlocked

MAX_ROUTE = 200  # stops of one pinned route


def pin_visit(session: Session, actor: User, day: dt.date, point_code: str) -> PlanPin:
    """Require a visit to the point on ``day``; a pin already there is kept.

    Raises Forbidden, PlanLocked, NotFound, InvalidInput (the point is on a
    pinned route already).
    """
    check_planner(actor)
    check_unlocked(session, day)
    point = _point(session, point_code)
    pin = _pin_of(session, day, point)
    if pin is not None and pin.vehicle is not None:
        raise InvalidInput(
            f"point {point.code} is already on the pinned route of vehicle "
            f"{pin.vehicle.code}, so it is visited; unpin it there first",
            {"point": "pinned on a route"},
        )
    if pin is None:
        pin = PlanPin(day=day, service_point=point, created_by_id=actor.id)
        session.add(pin)
        session.flush()
    return pin


def pin_route(
    session: Session,
    actor: User,
    day: dt.date,
    vehicle_code: str,
    point_codes: Sequence[str],
) -> list[PlanPin]:
    """Fix the vehicle's route on ``day`` to the points in this order, replacing
    its pinned route; a pinned visit to one of them becomes a stop of it.

    Raises Forbidden, PlanLocked, NotFound, InvalidInput (an empty route, a
    point twice, a point on another vehicle's route, an inactive vehicle).
    """
    check_planner(actor)
    check_unlocked(session, day)
    vehicle = _vehicle(session, vehicle_code)
    points = _route_points(session, point_codes)
    for point in points:
        pin = _pin_of(session, day, point)
        if pin is not None and pin.vehicle_id not in (None, vehicle.id):
            assert pin.vehicle is not None
            raise InvalidInput(
                f"point {point.code} is already on the pinned route of vehicle "
                f"{pin.vehicle.code}; a point is on one route only (unpin it there "
                "first)",
                {"points": f"{point.code} pinned on {pin.vehicle.code}"},
            )
        if pin is not None and pin.vehicle_id is None:
            session.delete(pin)
    for pin in _pins(session, day, vehicle=vehicle):
        session.delete(pin)
    session.flush()  # the old pins go before the new take their places
    route = [
        PlanPin(
            day=day,
            service_point=point,
            vehicle=vehicle,
            position=position,
            created_by_id=actor.id,
        )
        for position, point in enumerate(points, 1)
    ]
    session.add_all(route)
    session.flush()
    return route


def unpin(
    session: Session,
    actor: User,
    day: dt.date,
    *,
    point_code: str | None = None,
    vehicle_code: str | None = None,
) -> int:
    """Remove a point's pin (a visit, or a stop of a route), a vehicle's whole
    route, or, given both, that point from that vehicle's route; returns how
    many pins were removed.

    Raises Forbidden, PlanLocked, NotFound (an unknown code, nothing pinned),
    InvalidInput (neither named).
    """
    check_planner(actor)
    if point_code is None and vehicle_code is None:
        raise InvalidInput("name the point or the vehicle to unpin")
    check_unlocked(session, day)
    vehicle = _vehicle(session, vehicle_code, active=False) if vehicle_code else None
    if point_code is None:
        gone = _pins(session, day, vehicle=vehicle)
    else:
        pin = _pin_of(session, day, _point(session, point_code))
        other = vehicle is not None and pin is not None and pin.vehicle != vehicle
        gone = [] if pin is None or other else [pin]
    if not gone:
        raise NotFound("pin", _label(day, point_code, vehicle_code))
    route = gone[0].vehicle if point_code is not None else None
    for pin in gone:
        session.delete(pin)
    session.flush()
    if route is not None:  # close the gap the stop left
        for position, pin in enumerate(_pins(session, day, vehicle=route), 1):
            pin.position = position
        session.flush()
    return len(gone)


def list_pins(session: Session, actor: User, day: dt.date) -> list[PlanPin]:
    """The pins of ``day``: visits by point code, then routes by vehicle code and
    position.  Raises Forbidden."""
    check_reader(actor)
    pins = session.scalars(
        select(PlanPin)
        .where(PlanPin.day == day)
        .options(selectinload(PlanPin.service_point), selectinload(PlanPin.vehicle))
    ).all()
    return sorted(
        pins,
        key=lambda p: (
            p.vehicle is not None,
            p.vehicle.code if p.vehicle else "",
            p.position or 0,
            p.service_point.code,
        ),
    )


def _label(day: dt.date, point: str | None, vehicle: str | None) -> str:
    if point and vehicle:
        return f"on {day} for point {point} on vehicle {vehicle}"
    return f"on {day} for point {point}" if point else f"on {day} for vehicle {vehicle}"


def _point(session: Session, code: str) -> ServicePoint:
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == code))
    if point is None:
        require_county(session)  # no county at all is the thing to say
        raise NotFound("service point", code)
    return point


def _vehicle(session: Session, code: str, *, active: bool = True) -> Vehicle:
    vehicle = session.scalar(select(Vehicle).where(Vehicle.code == code))
    if vehicle is None:
        raise NotFound("vehicle", code)
    if active and not vehicle.active:
        raise InvalidInput(
            f"vehicle {code} is not active; activate it before pinning its route",
            {"vehicle": "not active"},
        )
    return vehicle


def _route_points(session: Session, codes: Sequence[str]) -> list[ServicePoint]:
    if not codes:
        raise InvalidInput(
            "a pinned route needs at least one point; to free the vehicle, unpin "
            "its route",
            {"points": "empty"},
        )
    if len(codes) > MAX_ROUTE:
        raise InvalidInput(
            f"a pinned route has at most {MAX_ROUTE} points", {"points": "too many"}
        )
    twice = sorted({code for code in codes if list(codes).count(code) > 1})
    if twice:
        raise InvalidInput(
            f"a pinned route visits each point once; given twice: {', '.join(twice)}",
            {"points": "duplicates"},
        )
    return [_point(session, code) for code in codes]


def _pin_of(session: Session, day: dt.date, point: ServicePoint) -> PlanPin | None:
    return session.scalar(
        select(PlanPin).where(PlanPin.day == day, PlanPin.service_point_id == point.id)
    )


def _pins(session: Session, day: dt.date, *, vehicle: Vehicle | None) -> list[PlanPin]:
    """The pins of the vehicle's route on ``day``, in order (all routes' pins when
    no vehicle)."""
    query = select(PlanPin).where(PlanPin.day == day, PlanPin.vehicle_id.is_not(None))
    if vehicle is not None:
        query = query.where(PlanPin.vehicle_id == vehicle.id)
    return list(session.scalars(query.order_by(PlanPin.position)))
