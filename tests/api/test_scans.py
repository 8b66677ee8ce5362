"""Hand-over scans over HTTP: a pickup code tried too often locks the parcel."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import Parcel, PickupTry, ServicePoint, User
from countyhub.platform.parcels import pickup
from tests.api.conftest import bearer
from tests.platform.parcels.test_waiting import arrived_at


def _waiting(session: Session, admin: User, point: ServicePoint) -> Parcel:
    parcel = arrived_at(session, admin, point, "73610555582883")
    session.flush()
    return parcel


def _tries(session: Session, parcel: Parcel) -> int:
    count = select(func.count()).where(PickupTry.parcel_id == parcel.id)
    return session.scalar(count) or 0


def test_six_wrong_codes_five_422_then_423(
    client: FlaskClient,
    keys: dict[str, str],
    session: Session,
    admin: User,
    point: ServicePoint,
):
    """Five wrong codes are 422 and kept despite the rollback; the sixth is 423."""
    parcel = _waiting(session, admin, point)
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    step = {"to": "delivered", "pickup_code": wrong, "consent": "picked_up"}
    path, auth = f"/api/v1/parcels/{parcel.id}/scans", bearer(keys["point"])
    answers = [client.post(path, json=step, headers=auth) for _ in range(6)]
    assert [a.status_code for a in answers] == [422] * 5 + [423]
    assert answers[0].json["type"].endswith("/wrong-pickup-code")
    locked = answers[-1]
    assert locked.json["type"].endswith("/pickup-locked")
    assert "locked until" in locked.json["detail"]
    assert 3500 < int(locked.headers["Retry-After"]) <= 3600
    assert _tries(session, parcel) == pickup.MAX_TRIES


def test_a_locked_parcel_refuses_the_right_code(
    client: FlaskClient,
    keys: dict[str, str],
    session: Session,
    admin: User,
    point: ServicePoint,
):
    """Locked: even the right code is 423, and the parcel stays waiting."""
    parcel = _waiting(session, admin, point)
    for _ in range(pickup.MAX_TRIES):
        pickup.add_wrong_code(session, parcel.id, admin.id, parcel.updated_at)
    code, consent = parcel.pickup_code, "picked_up"
    step = {"to": "delivered", "pickup_code": code, "consent": consent}
    answer = client.post(
        f"/api/v1/parcels/{parcel.id}/scans", json=step, headers=bearer(keys["point"])
    )
    assert answer.status_code == 423 and "Retry-After" in answer.headers
    session.refresh(parcel)
    assert parcel.status == "arrived"


def test_a_batch_keeps_its_wrong_codes_and_says_locked(
    client: FlaskClient,
    keys: dict[str, str],
    session: Session,
    admin: User,
    point: ServicePoint,
):
    """The batch answers per item: five wrong codes kept, the sixth PickupLocked."""
    parcel = _waiting(session, admin, point)
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    item = {
        "waybill": parcel.waybill_no,
        "courier": "ZTO",
        "to": "delivered",
        "pickup_code": wrong,
        "consent": "picked_up",
    }
    answer = client.post(
        "/api/v1/scans", json={"items": [item] * 6}, headers=bearer(keys["point"])
    )
    assert answer.status_code == 200
    problems = [r["problem"] for r in answer.json]
    assert problems == ["WrongPickupCode"] * 5 + ["PickupLocked"]
    assert _tries(session, parcel) == pickup.MAX_TRIES


def test_the_openapi_document_states_the_lock(client: FlaskClient):
    """The scan route documents the 423 with its Retry-After header."""
    spec = client.get("/api/v1/openapi.json").json
    single = spec["paths"]["/api/v1/parcels/{parcel_id}/scans"]["post"]
    assert "Retry-After" in single["responses"]["423"]["headers"]
    assert "PickupLocked" in spec["paths"]["/api/v1/scans"]["post"]["description"]
