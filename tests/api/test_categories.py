"""Outbound parcels' product categories over HTTP: register, refuse, batch, read."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.models import Parcel, User
from tests.api.conftest import bearer

FARM = "浙江省杭州市西湖区文三路1号"
NUMBERS = ("73610555582883", "75352218881013", "78673256637951")


def farm(waybill: str = NUMBERS[0], **extra: object) -> dict:
    """An outbound parcel, as the point operator (key ``point``) sends it."""
    return {
        "waybill": waybill,
        "courier": "ZTO",
        "address": FARM,
        "direction": "outbound",
        **extra,
    }


def test_an_outbound_parcel_with_its_category(
    client: FlaskClient, keys: dict[str, str]
):
    """201; the parcel shows its category when registered and when read again."""
    auth = bearer(keys["point"])
    created = client.post("/api/v1/parcels", json=farm(category="tea"), headers=auth)
    assert created.status_code == 201, created.json
    assert created.json["parcel"]["category"] == "tea"
    again = client.get(created.headers["Location"], headers=auth)
    assert again.json["category"] == "tea"
    listed = client.get("/api/v1/parcels?direction=outbound", headers=auth).json
    assert [p["category"] for p in listed["items"]] == ["tea"]


def test_without_a_category_the_parcel_has_none(
    client: FlaskClient, keys: dict[str, str]
):
    """Left out or null: no category (null in the view)."""
    auth = bearer(keys["point"])
    for waybill, extra in ((NUMBERS[0], {}), (NUMBERS[1], {"category": None})):
        created = client.post(
            "/api/v1/parcels", json=farm(waybill, **extra), headers=auth
        )
        assert created.status_code == 201, created.json
        assert created.json["parcel"]["category"] is None


def test_an_inbound_parcel_with_a_category_is_422(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """Only outbound parcels carry one: 422 naming the field, nothing written."""
    body = farm(category="fruit", direction="inbound", address="铜鼓县大塅镇浒村")
    response = client.post("/api/v1/parcels", json=body, headers=bearer(keys["admin"]))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "only an outbound parcel" in response.json["errors"]["category"]
    found = session.scalar(select(Parcel).where(Parcel.waybill_no == NUMBERS[0]))
    assert found is None


def test_a_category_off_the_list_is_422_by_the_schema(
    client: FlaskClient, keys: dict[str, str]
):
    """The API takes the codes only (the OpenAPI document lists them)."""
    auth = bearer(keys["point"])
    for given in ("水果", "durian", ""):
        response = client.post(
            "/api/v1/parcels", json=farm(category=given), headers=auth
        )
        assert response.status_code == 422, given
        assert "category" in response.json["errors"]["json"]
    spec = client.get("/api/v1/openapi.json").json
    field = spec["components"]["schemas"]["ParcelIn"]["properties"]["category"]
    assert "tea" in field["enum"] and "茶叶" in field["description"]


def test_a_batch_answers_each_items_category(
    client: FlaskClient, keys: dict[str, str], session: Session, point_operator: User
):
    """A dispatcher's batch: the outbound item keeps its category, the inbound one
    with a category is rejected naming the field."""
    code = point_operator.service_point.code
    items = [
        farm(NUMBERS[0], category="fungi", service_point=code),
        farm(NUMBERS[1], category="fungi", direction="inbound"),
    ]
    response = client.post(
        "/api/v1/parcels/batch",
        json={"items": items},
        headers=bearer(keys["dispatcher"]),
    )
    assert response.status_code == 200, response.json
    assert response.json["counts"] == {"new": 1, "rejected": 1}
    rejected = response.json["results"][1]["problems"]
    assert [p["column"] for p in rejected] == ["category"]
    parcel = session.get(Parcel, response.json["results"][0]["parcel_id"])
    assert parcel.category == "fungi"
