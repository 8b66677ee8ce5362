"""Reference-data services: admin-only writes, unique codes, point rules, masking."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.county import reference, service_points
from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.models import ServicePoint, User, Vehicle
from countyhub.routing.geo import gcj02_to_wgs84

VEHICLE = {
    "code": "TRI-9",
    "name": "电动三轮车9号",
    "kind": "tricycle",
    "capacity_parcels": 60,
    "capacity_kg": 250.0,
}


def test_writes_need_an_admin(session: Session, dispatcher: User, point: ServicePoint):
    """Every write refuses a non-admin before it looks at anything."""
    writes = [
        lambda: reference.create_depot(session, dispatcher, {"courier": "ZTO"}),
        lambda: reference.update_depot(session, dispatcher, 1, {}),
        lambda: reference.create_vehicle(session, dispatcher, VEHICLE),
        lambda: reference.update_vehicle(session, dispatcher, 1, {}),
        lambda: service_points.update_point(session, dispatcher, point.id, {}),
    ]
    for write in writes:
        with pytest.raises(Forbidden, match="only an admin"):
            write()


def test_vehicle_codes_are_unique(session: Session, admin: User):
    """A new vehicle is flushed; a second one with its code names the field."""
    vehicle = reference.create_vehicle(session, admin, VEHICLE)
    assert vehicle.id and vehicle.shift_minutes == 480 and vehicle.active
    with pytest.raises(InvalidInput) as caught:
        reference.create_vehicle(session, admin, {**VEHICLE, "name": "other"})
    assert caught.value.problems == {"code": "already taken"}
    same = reference.update_vehicle(session, admin, vehicle.id, {"code": "TRI-9"})
    assert same is vehicle


def test_unknown_courier_names_the_field(session: Session, admin: User):
    """A depot of an unknown courier is refused; the message lists the known."""
    data = {"courier": "NOPE", "code": "X", "name": "X"}
    with pytest.raises(InvalidInput, match="ZTO") as caught:
        reference.create_depot(session, admin, data)
    assert set(caught.value.problems) == {"courier"}


def test_unknown_ids_are_not_found(session: Session, admin: User):
    """Reading or changing an id that does not exist raises NotFound."""
    with pytest.raises(NotFound, match="no vehicle 999999"):
        reference.update_vehicle(session, admin, 999999, {"active": False})
    with pytest.raises(NotFound, match="no courier XX"):
        reference.find_courier(session, admin, "XX")


def test_point_in_gcj02_is_stored_in_wgs84(
    session: Session, admin: User, point: ServicePoint
):
    """The point is converted, rounded to 7 decimals, and no longer approximate."""
    gcj = (114.3547, 28.5346)
    changes = {"lon": gcj[0], "lat": gcj[1], "crs": "gcj02", "active": False}
    service_points.update_point(session, admin, point.id, changes)
    lon, lat = gcj02_to_wgs84(*gcj)
    assert (point.lon, point.lat) == (round(lon, 7), round(lat, 7))
    assert point.coord_approximate is False and not point.active
    assert point.coord_source == "surveyed (GCJ02)"


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"lon": 114.35, "lat": 28.53}, {"crs"}),
        ({"coord_source": "GPS"}, {"crs"}),
        ({"lat": 28.53, "crs": "wgs84"}, {"lon"}),
        ({"lon": 114.35, "lat": 30.53, "crs": "wgs84"}, {"lon", "lat"}),
    ],
)
def test_point_coordinate_rules(
    session: Session, admin: User, point: ServicePoint, changes: dict, fields: set
):
    """Coordinates need their crs, both halves, and a place near the county."""
    with pytest.raises(InvalidInput) as caught:
        service_points.update_point(session, admin, point.id, changes)
    assert set(caught.value.problems) == fields
    assert point.coord_approximate is True


def test_operator_phone_is_whole_for_admins_only(
    session: Session, admin: User, point_operator: User, point: ServicePoint
):
    """Even the point's own operator sees the phone masked; an admin sees it."""
    service_points.update_point(
        session, admin, point.id, {"operator_phone": "13912345678"}
    )
    assert service_points.view_point(admin, point).operator_phone == "13912345678"
    seen = service_points.view_point(point_operator, point)
    assert seen.operator_phone == "139****5678"
    assert seen.township == point.village.township.code


def test_point_filters_combine(session: Session, admin: User, point: ServicePoint):
    """Township, active and poverty_village narrow the points together."""
    town = point.village.township.code
    service_points.update_point(session, admin, point.id, {"poverty_village": True})
    query = service_points.points_query(admin, township=town, poverty_village=True)
    assert list(session.scalars(query)) == [point]
    query = service_points.points_query(admin, township=town, active=False)
    assert list(session.scalars(query)) == []


def test_vehicle_filters(session: Session, admin: User):
    """Vehicles by kind and by whether they are active."""
    query = reference.vehicles_query(admin, kind="van", active=True)
    vans = list(session.scalars(query))
    all_vans = session.scalars(select(Vehicle).where(Vehicle.kind == "van"))
    assert vans and set(vans) == set(all_vans)
