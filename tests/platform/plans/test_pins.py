"""The dispatcher's pins: visits and fixed routes of a day, and who may set them."""

from __future__ import annotations

import datetime as dt

import pytest
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound, PlanLocked
from countyhub.platform.models import Plan, User, Vehicle
from countyhub.platform.plans.pins import list_pins, pin_route, pin_visit, unpin
from countyhub.platform.plans.schemas import PinOut, PinRouteIn, UnpinArgs

A, B, C, D = "360926100200", "360926100201", "360926100202", "360926100203"
DAY = dt.date(2026, 12, 1)

Pin = tuple[str, str | None, int | None]


def pinned(session: Session, actor: User, day: dt.date = DAY) -> list[Pin]:
    """The day's pins as (point, vehicle, position), in list order."""
    return [
        (p.service_point.code, p.vehicle.code if p.vehicle else None, p.position)
        for p in list_pins(session, actor, day)
    ]


def lock(session: Session, status: str) -> None:
    session.add(
        Plan(
            day=DAY,
            status=status,
            method="given",
            seconds=1.0,
            objective=0,
            distance_m=0,
            runtime=0.0,
            feasible=True,
        )
    )
    session.flush()


def test_pin_a_visit_once(session, dispatcher):
    """A visit is pinned once; pinning it again keeps the same pin."""
    first = pin_visit(session, dispatcher, DAY, A)
    assert pin_visit(session, dispatcher, DAY, A) is first
    assert pinned(session, dispatcher) == [(A, None, None)]
    assert pinned(session, dispatcher, DAY + dt.timedelta(days=1)) == []


def test_pin_a_route_in_order(session, dispatcher):
    """A route's points keep the order given; visits are listed before routes."""
    pin_visit(session, dispatcher, DAY, D)
    pin_route(session, dispatcher, DAY, "VAN-1", [C, A])
    pin_route(session, dispatcher, DAY, "TRI-1", [B])
    assert pinned(session, dispatcher) == [
        (D, None, None),
        (B, "TRI-1", 1),
        (C, "VAN-1", 1),
        (A, "VAN-1", 2),
    ]


def test_pinning_a_route_again_replaces_it(session, admin):
    """The vehicle's new route replaces its old one; a pinned visit joins it."""
    pin_route(session, admin, DAY, "VAN-1", [A, B, C])
    pin_visit(session, admin, DAY, D)
    pin_route(session, admin, DAY, "VAN-1", [D, A])
    assert pinned(session, admin) == [(D, "VAN-1", 1), (A, "VAN-1", 2)]


def test_a_point_is_on_one_route_only(session, dispatcher):
    """A point on one vehicle's route cannot be pinned on another's, nor as a
    separate visit."""
    pin_route(session, dispatcher, DAY, "VAN-1", [A, B])
    with pytest.raises(
        InvalidInput, match=f"{A} is already on the pinned route of vehicle VAN-1"
    ):
        pin_route(session, dispatcher, DAY, "VAN-2", [C, A])
    with pytest.raises(InvalidInput, match="VAN-1"):
        pin_visit(session, dispatcher, DAY, B)
    assert pinned(session, dispatcher) == [(A, "VAN-1", 1), (B, "VAN-1", 2)]


@pytest.mark.parametrize(
    ("codes", "message"),
    [([], "at least one point"), ([A, B, A], f"given twice: {A}")],
)
def test_a_route_needs_distinct_points(session, dispatcher, codes, message):
    with pytest.raises(InvalidInput, match=message):
        pin_route(session, dispatcher, DAY, "VAN-1", codes)


def test_unknown_codes_are_not_found(session, dispatcher):
    with pytest.raises(NotFound, match="service point 999"):
        pin_visit(session, dispatcher, DAY, "999")
    with pytest.raises(NotFound, match="vehicle VAN-99"):
        pin_route(session, dispatcher, DAY, "VAN-99", [A])
    with pytest.raises(NotFound, match="service point 999"):
        pin_route(session, dispatcher, DAY, "VAN-1", [A, "999"])
    assert pinned(session, dispatcher) == []


def test_an_inactive_vehicle_gets_no_route(session, dispatcher):
    session.scalar(select(Vehicle).where(Vehicle.code == "TRI-2")).active = False
    with pytest.raises(InvalidInput, match="TRI-2 is not active"):
        pin_route(session, dispatcher, DAY, "TRI-2", [A])


def test_unpin_a_stop_closes_the_gap(session, dispatcher):
    """Unpinning a route's stop renumbers the rest."""
    pin_route(session, dispatcher, DAY, "VAN-1", [A, B, C])
    assert unpin(session, dispatcher, DAY, point_code=B) == 1
    assert pinned(session, dispatcher) == [(A, "VAN-1", 1), (C, "VAN-1", 2)]


def test_unpin_a_route_or_a_visit(session, dispatcher):
    pin_route(session, dispatcher, DAY, "VAN-1", [A, B])
    pin_visit(session, dispatcher, DAY, C)
    assert unpin(session, dispatcher, DAY, vehicle_code="VAN-1") == 2
    assert unpin(session, dispatcher, DAY, point_code=C) == 1
    assert pinned(session, dispatcher) == []


def test_unpin_a_point_of_a_named_route(session, dispatcher):
    """Given both, the point must be on that vehicle's route."""
    pin_route(session, dispatcher, DAY, "VAN-1", [A, B])
    with pytest.raises(NotFound, match="pin"):
        unpin(session, dispatcher, DAY, point_code=A, vehicle_code="VAN-2")
    assert unpin(session, dispatcher, DAY, point_code=A, vehicle_code="VAN-1") == 1
    assert pinned(session, dispatcher) == [(B, "VAN-1", 1)]


def test_unpin_needs_something_pinned(session, dispatcher):
    with pytest.raises(NotFound, match=f"point {A}"):
        unpin(session, dispatcher, DAY, point_code=A)
    with pytest.raises(InvalidInput, match="name the point or the vehicle"):
        unpin(session, dispatcher, DAY)


@pytest.mark.parametrize("status", ["published", "done"])
def test_a_locked_day_keeps_its_pins(session, dispatcher, status):
    """Once the day's plan is published or done, pins no longer change."""
    pin_visit(session, dispatcher, DAY, A)
    lock(session, status)
    with pytest.raises(PlanLocked, match=status):
        pin_visit(session, dispatcher, DAY, B)
    with pytest.raises(PlanLocked):
        pin_route(session, dispatcher, DAY, "VAN-1", [B])
    with pytest.raises(PlanLocked):
        unpin(session, dispatcher, DAY, point_code=A)
    assert pinned(session, dispatcher) == [(A, None, None)]


def test_a_draft_day_takes_pins(session, dispatcher):
    lock(session, "draft")
    assert pin_visit(session, dispatcher, DAY, A).position is None


def test_who_pins(session, analyst, zto_clerk, point_operator, dispatcher):
    """Analysts read pins but do not set them; clerks and operators do neither."""
    pin_visit(session, dispatcher, DAY, A)
    assert pinned(session, analyst) == [(A, None, None)]
    for who in (analyst, zto_clerk, point_operator):
        with pytest.raises(Forbidden):
            pin_visit(session, who, DAY, B)
        with pytest.raises(Forbidden):
            pin_route(session, who, DAY, "VAN-1", [B])
        with pytest.raises(Forbidden):
            unpin(session, who, DAY, point_code=A)
    for who in (zto_clerk, point_operator):
        with pytest.raises(Forbidden):
            list_pins(session, who, DAY)


def test_pin_schemas(session, dispatcher):
    """PinOut names codes; inputs refuse an empty route and an empty unpin."""
    pin_route(session, dispatcher, DAY, "VAN-1", [A])
    out = PinOut(many=True).dump(list_pins(session, dispatcher, DAY))
    assert out == [
        {
            "day": DAY.isoformat(),
            "point": A,
            "point_name": out[0]["point_name"],
            "vehicle": "VAN-1",
            "position": 1,
        }
    ]
    assert PinRouteIn().load({"vehicle": "VAN-1", "points": [A, B]})["points"] == [A, B]
    with pytest.raises(ValidationError):
        PinRouteIn().load({"vehicle": "VAN-1", "points": []})
    with pytest.raises(ValidationError, match="name the point or the vehicle"):
        UnpinArgs().load({})
