"""Parcels over HTTP: register, re-send, batch, read, list in pages, follow, scan."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Role
from countyhub.platform.models import Courier, Parcel, ServicePoint, User
from tests.api.conftest import bearer

ADDRESS = "江西省宜春市铜鼓县大塅镇浒村村委会三组12号"


def parcel(waybill: str = "73610555582883", **extra: object) -> dict:
    return {
        "waybill": waybill,
        "courier": "ZTO",
        "address": ADDRESS,
        "recipient_name": "张三",
        "recipient_phone": "13812345678",
        "weight_kg": 1.5,
        **extra,
    }


def test_register_then_resend(client: FlaskClient, keys: dict[str, str]):
    """201 with a Location for a new parcel; 200 'known' for the same again."""
    auth = bearer(keys["clerk-zto"])
    first = client.post("/api/v1/parcels", json=parcel(), headers=auth)
    assert first.status_code == 201, first.json
    assert first.json["result"] == "new"
    assert first.headers["Location"].endswith(
        f"/api/v1/parcels/{first.json['parcel']['id']}"
    )
    assert first.json["parcel"]["recipient_phone"] == "138****5678"
    again = client.post("/api/v1/parcels", json=parcel(), headers=auth)
    assert (again.status_code, again.json["result"]) == (200, "known")
    changed = client.post("/api/v1/parcels", json=parcel(weight_kg=2.0), headers=auth)
    assert (changed.status_code, changed.json["result"]) == (200, "updated")


def test_resend_after_a_step_is_a_conflict(client: FlaskClient, keys: dict[str, str]):
    """Once received, a re-send with other details is refused with 409."""
    auth = bearer(keys["admin"])
    pid = client.post("/api/v1/parcels", json=parcel(), headers=auth).json["parcel"][
        "id"
    ]
    assert (
        client.post(
            f"/api/v1/parcels/{pid}/scans", json={"to": "received"}, headers=auth
        ).status_code
        == 201
    )
    conflict = client.post("/api/v1/parcels", json=parcel(weight_kg=9.0), headers=auth)
    assert conflict.status_code == 409
    assert conflict.content_type == "application/problem+json"


def test_invalid_fields_are_named(client: FlaskClient, keys: dict[str, str]):
    """A bad body gives 422 problem+json naming each field."""
    response = client.post(
        "/api/v1/parcels",
        json={"waybill": "", "pieces": 0},
        headers=bearer(keys["admin"]),
    )
    assert response.status_code == 422
    body = response.json
    assert body["status"] == 422 and body["request_id"]
    assert {"waybill", "address", "pieces"} <= set(body["errors"]["json"])


def test_bad_waybill_names_the_rule(client: FlaskClient, keys: dict[str, str]):
    """A number that breaks the courier's rule is a 422 naming the waybill field."""
    response = client.post(
        "/api/v1/parcels", json=parcel("12"), headers=bearer(keys["admin"])
    )
    assert response.status_code == 422
    assert "waybill" in response.json["errors"]


def test_batch_reports_each_item(client: FlaskClient, keys: dict[str, str]):
    """A batch answers one result per item and counts them."""
    items = [parcel(f"7361{n:010d}") for n in range(20)] + [parcel("x")]
    response = client.post(
        "/api/v1/parcels/batch",
        json={"items": items},
        headers=bearer(keys["clerk-zto"]),
    )
    assert response.status_code == 200
    assert response.json["counts"] == {"new": 20, "rejected": 1}
    assert response.json["results"][-1]["problems"][0]["column"] == "waybill"


def test_batch_size_is_bounded(client: FlaskClient, keys: dict[str, str]):
    """More than 10,000 items is refused as a whole."""
    items = [parcel(f"7361{n:010d}") for n in range(10_001)]
    response = client.post(
        "/api/v1/parcels/batch", json={"items": items}, headers=bearer(keys["admin"])
    )
    assert response.status_code == 422
    assert "items" in response.json["errors"]["json"]


def test_pages_follow_cursors(client: FlaskClient, keys: dict[str, str]):
    """Pages of 7 walk every parcel once, with Link headers, in id order."""
    auth = bearer(keys["clerk-zto"])
    items = [parcel(f"7362{n:010d}") for n in range(17)]
    client.post("/api/v1/parcels/batch", json={"items": items}, headers=auth)
    seen, url = [], "/api/v1/parcels?limit=7&courier=ZTO"
    while url:
        page = client.get(url, headers=auth)
        assert page.status_code == 200
        seen += [p["id"] for p in page.json["items"]]
        url = page.json["next"]
        if url:
            assert page.headers["Link"] == f'<{url}>; rel="next"'
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 17


def test_a_forged_cursor_is_refused(client: FlaskClient, keys: dict[str, str]):
    """A cursor this API did not give out is a 422 saying what to do."""
    response = client.get("/api/v1/parcels?cursor=!!!", headers=bearer(keys["admin"]))
    assert response.status_code == 422


def test_page_size_is_bounded(client: FlaskClient, keys: dict[str, str]):
    """limit above 500 is refused."""
    response = client.get("/api/v1/parcels?limit=501", headers=bearer(keys["admin"]))
    assert response.status_code == 422
    assert "limit" in response.json["errors"]["query"]


def test_steps_events_and_illegal_step(client: FlaskClient, keys: dict[str, str]):
    """Scans move the parcel, the events show them, an illegal step is 409."""
    auth = bearer(keys["dispatcher"])
    pid = client.post("/api/v1/parcels", json=parcel(), headers=auth).json["parcel"][
        "id"
    ]
    for status in ("received", "sorted"):
        assert (
            client.post(
                f"/api/v1/parcels/{pid}/scans", json={"to": status}, headers=auth
            ).status_code
            == 201
        )
    illegal = client.post(
        f"/api/v1/parcels/{pid}/scans", json={"to": "delivered"}, headers=auth
    )
    assert (
        illegal.status_code == 409 and "next allowed: loaded" in illegal.json["detail"]
    )
    events = client.get(f"/api/v1/parcels/{pid}/events", headers=auth).json
    assert [e["to_status"] for e in events] == ["registered", "received", "sorted"]


def test_batch_scans_succeed_or_fail_each(client: FlaskClient, keys: dict[str, str]):
    """A scanner's batch: good steps are taken, bad ones say why."""
    auth = bearer(keys["dispatcher"])
    client.post("/api/v1/parcels", json=parcel(), headers=auth)
    scans = [
        {"waybill": "73610555582883", "to": "received"},
        {"waybill": "73610555582883", "to": "delivered"},
        {"waybill": "70000000000000", "to": "received"},
    ]
    results = client.post("/api/v1/scans", json={"items": scans}, headers=auth).json
    assert [r["ok"] for r in results] == [True, False, False]
    assert results[1]["problem"] == "IllegalTransition"
    assert results[2]["problem"] == "NotFound"


def test_by_waybill(client: FlaskClient, keys: dict[str, str]):
    """A parcel is found by its courier's code and waybill number."""
    auth = bearer(keys["admin"])
    client.post("/api/v1/parcels", json=parcel(), headers=auth)
    found = client.get("/api/v1/parcels/by-waybill/ZTO/73610555582883", headers=auth)
    assert found.status_code == 200 and found.json["courier"] == "中通快递"


def test_public_tracking_shows_no_personal_data(
    client: FlaskClient, keys: dict[str, str]
):
    """Anyone may track a waybill; the answer has no name, phone or address."""
    client.post("/api/v1/parcels", json=parcel(), headers=bearer(keys["admin"]))
    response = client.get("/api/v1/track/73610555582883")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "张" not in text and "5678" not in text and "三组" not in text
    assert response.json[0]["steps"][0]["status"] == "registered"
    assert client.get("/api/v1/track/70000000000000").status_code == 404


def test_openapi_and_local_docs(client: FlaskClient):
    """The OpenAPI 3.1 document is served, and the docs load no asset from a CDN."""
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    assert "webhooks" in spec  # filled as outbound messages are built
    assert "/api/v1/parcels/batch" in spec["paths"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    with client.get("/api/v1/docs/assets/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200


def test_unauthenticated_and_unknown_keys(client: FlaskClient):
    """No key: 401 with WWW-Authenticate; an unknown key: 401 too."""
    response = client.get("/api/v1/parcels")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"]
    assert client.get("/api/v1/parcels", headers=bearer("ch_x_y")).status_code == 401


def test_an_unexpected_error_carries_a_request_id_and_no_trace(app, client, caplog):
    """A crash answers 500 problem+json with the request id, logged, no stack trace."""

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/boom", "boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in tests
    response = client.get("/api/v1/boom", headers={"X-Request-Id": "req-42"})
    assert response.status_code == 500
    assert response.json["request_id"] == "req-42"
    assert "secret internals" not in response.get_data(as_text=True)
    assert "req-42" in caplog.text and "secret internals" in caplog.text


def test_a_race_for_a_unique_code_is_a_conflict(app, client, caplog):
    """The database's unique rule, broken by a second insert, answers 409."""

    def race() -> None:
        session = db_session()
        session.add(Courier(code="ZTO", name="the same code again"))
        session.flush()

    app.add_url_rule("/api/v1/race", "race", race)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/v1/race", headers={"X-Request-Id": "req-7"})
    assert response.status_code == 409, response.get_data(as_text=True)
    assert response.json["type"].endswith("/conflict")
    assert response.json["request_id"] == "req-7"
    assert "lost a race" in caplog.text


def _points(session: Session) -> tuple[str, str]:
    """The 'point' key's operator's service point code, and another point's."""
    own = session.scalar(
        select(User)
        .where(User.role_code == Role.POINT_OPERATOR)
        .order_by(User.username)
    ).service_point
    other = session.scalar(
        select(ServicePoint.code)
        .where(ServicePoint.id != own.id)
        .order_by(ServicePoint.code)
    )
    return own.code, other


def _outbound(point: str, waybill: str = "73610555582883") -> dict:
    return parcel(waybill, direction="outbound", service_point=point)


def _parcel_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Parcel))


def test_a_point_registers_at_another_point_403_before_writing(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """One outbound parcel at another point: 403 naming the rule, nothing written."""
    own, other = _points(session)
    before = _parcel_count(session)
    auth = bearer(keys["point"])
    response = client.post("/api/v1/parcels", json=_outbound(other), headers=auth)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert f"at its own service point ({own}) only" in response.json["detail"]
    assert _parcel_count(session) == before
    mine = client.post("/api/v1/parcels", json=_outbound(own), headers=auth)
    assert mine.status_code == 201, mine.json


def test_a_batch_with_a_row_at_another_point_is_403_and_writes_nothing(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """A batch of a good row and one at another point: 403 naming row 2, no rows."""
    own, other = _points(session)
    before = _parcel_count(session)
    items = [_outbound(own), _outbound(other, "75352218881013")]
    response = client.post(
        "/api/v1/parcels/batch", json={"items": items}, headers=bearer(keys["point"])
    )
    assert response.status_code == 403
    assert "(row 2)" in response.json["detail"]
    assert _parcel_count(session) == before


def test_a_clerks_batch_naming_another_courier_is_403(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """A 中通 clerk's batch with a 圆通 item: 403 naming the rule, nothing written."""
    before = _parcel_count(session)
    items = [parcel(), parcel("YT1676021696729", courier="YTO")]
    response = client.post(
        "/api/v1/parcels/batch",
        json={"items": items},
        headers=bearer(keys["clerk-zto"]),
    )
    assert response.status_code == 403
    assert "registers only 中通快递's parcels" in response.json["detail"]
    assert _parcel_count(session) == before
