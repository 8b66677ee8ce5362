"""Who may do what: every cell of the access matrix, through the API.

Two 中通 parcels: P waits for the operator's own point, E for another point.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.models import ServicePoint, User
from tests.api.conftest import bearer

ROLES = ["admin", "dispatcher", "analyst", "clerk-zto", "clerk-yto", "point", None]
#          role:      list sees  get P  get E  register  scan E  phone of P whole
MATRIX = {
    "admin":      ({"P", "E"}, 200, 200, 201, 201, False),
    "dispatcher": ({"P", "E"}, 200, 200, 201, 201, False),
    "analyst":    ({"P", "E"}, 200, 200, 403, 403, False),
    "clerk-zto":  ({"P", "E"}, 200, 200, 201, 403, False),
    "clerk-yto":  (set(),      404, 404, 403, 404, None),
    "point":      ({"P"},      200, 404, 403, 404, True),
    None:         (None,       401, 401, 401, 401, None),
}  # fmt: skip


@pytest.fixture
def parcels(client: FlaskClient, keys: dict[str, str], session: Session) -> dict:
    """P at the point of the 'point' key's operator, E elsewhere; both 中通."""
    operator = session.scalar(
        select(User).where(User.role_code == "point_operator").order_by(User.username)
    )
    point = session.get(ServicePoint, operator.service_point_id)
    where = point.village.township.name + point.village.name
    made = {}
    for name, waybill, address in (
        ("P", "73610555582883", where),
        ("E", "75352218881013", "铜鼓县大塅镇浒村"),
    ):
        body = {
            "waybill": waybill,
            "courier": "ZTO",
            "address": address,
            "recipient_name": "张三",
            "recipient_phone": "13812345678",
        }
        response = client.post(
            "/api/v1/parcels", json=body, headers=bearer(keys["admin"])
        )
        made[name] = response.json["parcel"]["id"]
    return made


def auth(keys: dict[str, str], role: str | None) -> dict:
    return bearer(keys[role]) if role else {}


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_the_scope(client, keys, parcels, role):
    """The list holds exactly the parcels the role may see (401 without a key)."""
    response = client.get(
        "/api/v1/parcels?limit=500&courier=ZTO", headers=auth(keys, role)
    )
    expected = MATRIX[role][0]
    if expected is None:
        assert response.status_code == 401
        return
    ids = {p["id"] for p in response.json["items"]}
    assert {n for n, pid in parcels.items() if pid in ids} == expected


@pytest.mark.parametrize("role", ROLES)
def test_reading_one_parcel(client, keys, parcels, role):
    """Outside one's scope a parcel does not exist (404); without a key, 401."""
    for name, column in (("P", 1), ("E", 2)):
        response = client.get(
            f"/api/v1/parcels/{parcels[name]}", headers=auth(keys, role)
        )
        assert response.status_code == MATRIX[role][column], name
        events = client.get(
            f"/api/v1/parcels/{parcels[name]}/events", headers=auth(keys, role)
        )
        assert events.status_code == MATRIX[role][column], name


@pytest.mark.parametrize("role", ROLES)
def test_registering(client, keys, role):
    """Depots, the dispatcher and admins register 中通 parcels; no one else."""
    body = {"waybill": "78673256637951", "courier": "ZTO", "address": "棋坪镇棋坪村"}
    response = client.post("/api/v1/parcels", json=body, headers=auth(keys, role))
    assert response.status_code == MATRIX[role][3]


@pytest.mark.parametrize("role", ROLES)
def test_scanning(client, keys, parcels, role):
    """Only the centre's roles take a centre step; others get 403 or 404."""
    response = client.post(
        f"/api/v1/parcels/{parcels['E']}/scans",
        json={"to": "received"},
        headers=auth(keys, role),
    )
    assert response.status_code == MATRIX[role][4]


@pytest.mark.parametrize("role", ROLES)
def test_phone_numbers_whole_only_for_the_point(client, keys, parcels, role):
    """Only the operator of the parcel's point reads the phone number whole."""
    response = client.get(f"/api/v1/parcels/{parcels['P']}", headers=auth(keys, role))
    whole = MATRIX[role][5]
    if whole is None:
        assert response.status_code in (401, 404)
        return
    expected = "13812345678" if whole else "138****5678"
    assert response.json["recipient_phone"] == expected


def test_the_sweep_sees_whole_numbers(client, keys, parcels):
    """The personal-data sweep records bodies: the operator's whole number is in it."""
    from tests.api.conftest import SEEN

    client.get(f"/api/v1/parcels/{parcels['P']}", headers=auth(keys, "point"))
    assert any(
        role == "point_operator" and "13812345678" in body for role, _, body in SEEN
    )
    assert not any(
        role != "point_operator" and "13812345678" in body for role, _, body in SEEN
    )
