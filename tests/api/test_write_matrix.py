"""The write side of the access matrix: every writing route, every role.

The routes are read from the app's own URL map, so a new writing route fails
:func:`test_every_writing_route_is_in_the_table` until :data:`NEEDS` says which
permission it takes; the roles allowed come from the one permission table
(``roles_with``).  An allowed role is neither 401 nor 403; any other gets 403 and
nothing is written; a request without a key gets 401.  Registration requests are
in the role's lane (a clerk's own courier, an operator's own point), so that an
allowed role passes the service's scope checks too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, Role, roles_with
from countyhub.platform.db import Base
from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import Depot, ServicePoint, User, Vehicle
from tests.api.conftest import bearer

P = Permission
EVERYONE = None  # a route anyone may call, even without a key
WRITING = {"POST", "PUT", "PATCH", "DELETE"}

# (method, endpoint) -> the permission it takes
NEEDS: dict[tuple[str, str], Permission | None] = {
    ("POST", "users.LoginSession"): EVERYONE,  # log in
    ("DELETE", "users.LoginSession"): EVERYONE,  # log out
    ("POST", "users.UserCollection"): P.ADMINISTER,
    ("PATCH", "users.UserItem"): P.ADMINISTER,
    ("PUT", "users.UserPassword"): P.ADMINISTER,  # anyone may set their own
    ("POST", "users.ApiKeyCollection"): P.ADMINISTER,
    ("DELETE", "users.ApiKeyItem"): P.ADMINISTER,
    ("POST", "reference.DepotCollection"): P.ADMINISTER,
    ("PATCH", "reference.DepotItem"): P.ADMINISTER,
    ("PATCH", "reference.PointItem"): P.ADMINISTER,
    ("PATCH", "reference.VillageItem"): P.ADMINISTER,
    ("POST", "reference.VehicleCollection"): P.ADMINISTER,
    ("PATCH", "reference.VehicleItem"): P.ADMINISTER,
    ("POST", "parcels.ParcelCollection"): P.REGISTER_PARCELS,
    ("POST", "parcels.ParcelBatch"): P.REGISTER_PARCELS,
    ("POST", "manifests.ManifestCollection"): P.UPLOAD_MANIFESTS,
    ("POST", "parcels.ParcelScans"): P.RECORD_STEPS,
    ("POST", "scans.ScanBatch"): P.RECORD_STEPS,
    ("POST", "plans.PlanCollection"): P.MAKE_PLANS,
    ("POST", "plans.PlanCycle"): P.MAKE_PLANS,
    ("POST", "plans.PlanPublish"): P.MAKE_PLANS,
    ("POST", "plans.PlanResults"): P.MAKE_PLANS,
    ("POST", "plans.PlanResultsFile"): P.MAKE_PLANS,
    ("POST", "plans.DayPins"): P.MAKE_PLANS,
    ("DELETE", "plans.DayPin"): P.MAKE_PLANS,
    ("PUT", "plans.DayRoute"): P.MAKE_PLANS,
    ("DELETE", "plans.DayRoute"): P.MAKE_PLANS,
    ("PUT", "plans.RunKm"): P.MAKE_PLANS,
    ("POST", "reports.ReportCollection"): P.MAKE_REPORTS,
}

KEYS = ["admin", "dispatcher", "analyst", "clerk-zto", "clerk-yto", "point", None]
COURIER = {"clerk-yto": "YTO"}  # the courier each key registers (others: 中通)
WAYBILL = {"ZTO": "78673256637951", "YTO": "YT1676021696729"}
INVALID = {"no_such_field": 1}  # a body every schema refuses (422), writing nothing
DAY = "2030-01-07"


def writing_routes(app: Flask) -> set[tuple[str, str]]:
    """(method, endpoint) of every route under /api/v1 that writes."""
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in (rule.methods or set()) & WRITING
    }


def test_every_writing_route_is_in_the_table(app: Flask):
    """The table names exactly the app's writing routes: none forgotten, none stale."""
    assert writing_routes(app) == set(NEEDS)


@pytest.fixture
def world(session: Session, admin: User) -> dict[str, Any]:
    """A 中通 and a 圆通 parcel at the operator's point, and ids to put in paths."""
    operator = session.scalar(
        select(User)
        .where(User.role_code == Role.POINT_OPERATOR)
        .order_by(User.username)
    )
    point = session.get(ServicePoint, operator.service_point_id)
    where = point.village.township.name + point.village.name
    parcels = {
        courier: register_parcel(
            session,
            admin,
            ParcelInput(waybill=number, address=where, courier=courier),
        ).parcel_id
        for courier, number in (("ZTO", "73610555582883"), ("YTO", "YT7512476539584"))
    }
    session.flush()
    return {
        "point": point.code,
        "parcels": parcels,
        "waybills": {"ZTO": "73610555582883", "YTO": "YT7512476539584"},
        "user_id": admin.id,
        "depot_id": session.scalar(select(Depot.id).order_by(Depot.id)),
        "vehicle_id": session.scalar(select(Vehicle.id).order_by(Vehicle.id)),
        "vehicle": session.scalar(select(Vehicle.code).order_by(Vehicle.code)),
    }


def parcel_body(key: str | None, world: dict[str, Any]) -> dict[str, Any]:
    """A parcel in the key's lane: an operator's outbound one at its own point."""
    courier = COURIER.get(key or "", "ZTO")
    body = {"waybill": WAYBILL[courier], "courier": courier, "address": "棋坪镇棋坪村"}
    if key == "point":
        body.update(direction="outbound", service_point=world["point"])
    return body


def manifest(key: str | None) -> dict[str, Any]:
    courier = COURIER.get(key or "", "ZTO")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["运单号", "快递公司", "地址"])
    writer.writerow([WAYBILL[courier], courier, "棋坪镇棋坪村"])
    return {"file": (io.BytesIO(text.getvalue().encode()), "m.csv")}


def scan(key: str | None, world: dict[str, Any]) -> dict[str, Any]:
    """A step the key's role takes: a point's arrival, the centre's reception."""
    courier = COURIER.get(key or "", "ZTO")
    target = "arrived" if key == "point" else "received"
    return {"waybill": world["waybills"][courier], "courier": courier, "to": target}


Request = tuple[dict[str, Any], dict[str, Any]]  # path values, keyword arguments
REQUESTS: dict[str, Callable[[str | None, dict[str, Any]], Request]] = {
    "parcels.ParcelCollection": lambda k, w: ({}, {"json": parcel_body(k, w)}),
    "parcels.ParcelBatch": lambda k, w: ({}, {"json": {"items": [parcel_body(k, w)]}}),
    "manifests.ManifestCollection": lambda k, w: (
        {},
        {"data": manifest(k), "content_type": "multipart/form-data"},
    ),
    "parcels.ParcelScans": lambda k, w: (
        {"parcel_id": w["parcels"][COURIER.get(k or "", "ZTO")]},
        {"json": {"to": scan(k, w)["to"]}},
    ),
    "scans.ScanBatch": lambda k, w: ({}, {"json": {"items": [scan(k, w)]}}),
}


def path_values(world: dict[str, Any]) -> dict[str, Any]:
    """Values for every path argument: real rows where there are some."""
    return {
        "user_id": world["user_id"],
        "key_id": 2147483647,
        "depot_id": world["depot_id"],
        "vehicle_id": world["vehicle_id"],
        "point_id": 1,
        "village_id": 1,
        "parcel_id": world["parcels"]["ZTO"],
        "day": DAY,
        "point": world["point"],
        "vehicle": world["vehicle"],
    }


def rows(session: Session) -> dict[str, int]:
    """Rows in every table."""
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def role_of(session: Session, key: str) -> Role:
    if key == "point":
        return Role.POINT_OPERATOR
    return Role(session.scalar(select(User.role_code).where(User.username == key)))


def send(
    client: FlaskClient,
    app: Flask,
    method: str,
    endpoint: str,
    key: str | None,
    keys: dict[str, str],
    world: dict[str, Any],
):
    values, kwargs = REQUESTS.get(endpoint, lambda k, w: ({}, {"json": INVALID}))(
        key, world
    )
    (rule,) = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    wanted = {**path_values(world), **values}
    with app.test_request_context():
        path = app.url_map.bind("localhost").build(
            endpoint, {a: wanted[a] for a in rule.arguments}
        )
    headers = bearer(keys[key]) if key else {}
    return client.open(path, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(("method", "endpoint"), sorted(NEEDS))
def test_a_role_may_write_or_gets_403(
    app: Flask,
    client: FlaskClient,
    session: Session,
    keys: dict[str, str],
    world: dict[str, Any],
    method: str,
    endpoint: str,
    key: str | None,
):
    """Allowed by the permission table: not 401/403; else 403 and nothing written;
    without a key 401 (but for logging in and out)."""
    needed = NEEDS[(method, endpoint)]
    before = rows(session)
    response = send(client, app, method, endpoint, key, keys, world)
    if needed is EVERYONE:
        assert response.status_code not in (401, 403), response.get_data(as_text=True)
    elif key is None:
        assert response.status_code == 401
        assert rows(session) == before
    elif role_of(session, key) in roles_with(needed):
        assert response.status_code not in (401, 403), response.get_data(as_text=True)
    else:
        assert response.status_code == 403, response.get_data(as_text=True)
        assert response.mimetype == "application/problem+json"
        assert rows(session) == before
