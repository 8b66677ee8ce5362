"""The service point operator's pages: the waiting parcels, the hand-over and the
return of one, an outbound parcel; own point only, masked but on the hand-over page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import (
    Parcel,
    ParcelEvent,
    PickupTry,
    ServicePoint,
    User,
)
from countyhub.platform.parcels import pickup
from tests.platform.parcels.test_scans import new_parcel, to_point
from tests.platform.parcels.test_waiting import arrived_at
from tests.web.conftest import form_token, log_in

PHONE = "13812345678"


@pytest.fixture
def operator(client: FlaskClient, point_operator: User) -> FlaskClient:
    """The point's operator logged in, reading English."""
    client.set_cookie("lang", "en")
    assert log_in(client, point_operator.username).status_code == 302
    return client


@pytest.fixture
def waiting(session: Session, admin: User, point: ServicePoint) -> Parcel:
    """A parcel arrived at the operator's point."""
    return arrived_at(session, admin, point, "73610555582883")


def _post(browser: FlaskClient, path: str, page: str, **data: str):
    return browser.post(path, data={**data, "csrf_token": form_token(browser, page)})


def test_the_operator_lands_on_the_waiting_parcels(
    client: FlaskClient, point_operator: User
):
    """After the login the operator's start page is the point's waiting list."""
    answer = log_in(client, point_operator.username)
    assert answer.headers["Location"] == "/point/parcels"


def test_waiting_parcels_are_listed_masked(operator: FlaskClient, waiting: Parcel):
    """The list shows the parcel, its days waiting, the phone masked only."""
    page = operator.get("/point/parcels").get_data(as_text=True)
    assert waiting.waybill_no in page and "0 days" in page
    assert "138****5678" in page and PHONE not in page and "张三" not in page


def test_the_hand_over_page_shows_the_phone_whole(
    operator: FlaskClient, waiting: Parcel
):
    """Only the parcel's own hand-over page shows the name and phone whole."""
    page = operator.get(f"/point/parcels/{waiting.id}").get_data(as_text=True)
    assert PHONE in page and "张三" in page and 'id="handover"' in page


def test_another_points_parcel_is_not_found(
    operator: FlaskClient, session: Session, admin: User
):
    """A parcel waiting at another point is a 404, as in the API."""
    other = new_parcel(session, admin, "73610555582906")
    to_point(session, admin, other)
    assert operator.get(f"/point/parcels/{other.id}").status_code == 404
    path = f"/point/parcels/{other.id}/handover"
    answer = _post(operator, path, "/point/parcels", pickup_code=other.pickup_code)
    assert answer.status_code == 404 and other.status == "arrived"


def test_hand_over_with_the_code_and_consent(
    operator: FlaskClient, session: Session, waiting: Parcel
):
    """The right code: delivered, the consent recorded, back to the list with it."""
    page = f"/point/parcels/{waiting.id}"
    answer = _post(
        operator,
        page + "/handover",
        page,
        pickup_code=waiting.pickup_code,
        consent="consented_station",
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/point/parcels?done={waiting.id}"
    session.refresh(waiting)
    assert waiting.status == "delivered"
    event = session.scalars(
        select(ParcelEvent)
        .where(ParcelEvent.parcel_id == waiting.id)
        .order_by(ParcelEvent.id.desc())
    ).first()
    assert event.details["consent"] == "consented_station"
    shown = operator.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Parcel {waiting.waybill_no}: collected by the recipient." in shown


def test_a_wrong_code_is_said_beside_the_field(
    operator: FlaskClient, session: Session, waiting: Parcel
):
    """A wrong code: 422, the message beside the code, the parcel still waiting."""
    wrong = "000000" if waiting.pickup_code != "000000" else "111111"
    page = f"/point/parcels/{waiting.id}"
    answer = _post(
        operator, page + "/handover", page, pickup_code=wrong, consent="picked_up"
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    problem = re.search(r'id="pickup_code-problem"[^>]*>([^<]+)<', text)
    assert problem and "not the parcel&#39;s pickup code" in problem.group(1)
    session.refresh(waiting)
    assert waiting.status == "arrived"


def test_a_code_tried_too_often_locks_the_hand_over(
    operator: FlaskClient, session: Session, waiting: Parcel
):
    """Five wrong codes are kept; then even the right one is refused, the lock
    and its end said beside the code."""
    wrong = "000000" if waiting.pickup_code != "000000" else "111111"
    page = f"/point/parcels/{waiting.id}"
    for code in [wrong] * pickup.MAX_TRIES + [waiting.pickup_code]:
        answer = _post(
            operator, page + "/handover", page, pickup_code=code, consent="picked_up"
        )
    assert answer.status_code == 423
    text = answer.get_data(as_text=True)
    problem = re.search(r'id="pickup_code-problem"[^>]*>([^<]+)<', text)
    assert problem and "locked until" in problem.group(1)
    tries = select(func.count()).where(PickupTry.parcel_id == waiting.id)
    assert session.scalar(tries) == pickup.MAX_TRIES
    session.refresh(waiting)
    assert waiting.status == "arrived"


def test_a_missing_consent_is_said_beside_it(operator: FlaskClient, waiting: Parcel):
    """No consent chosen: 422 and the message beside the choice."""
    page = f"/point/parcels/{waiting.id}"
    answer = _post(operator, page + "/handover", page, pickup_code=waiting.pickup_code)
    assert answer.status_code == 422
    assert 'id="consent-problem"' in answer.get_data(as_text=True)


def test_a_return_records_its_reason(
    operator: FlaskClient, session: Session, waiting: Parcel
):
    """Sent back with a reason: returned, the reason on the event."""
    page = f"/point/parcels/{waiting.id}"
    answer = _post(operator, page + "/return", page, note="Refused by the recipient")
    assert answer.status_code == 303
    session.refresh(waiting)
    assert waiting.status == "returned"
    event = session.scalars(
        select(ParcelEvent)
        .where(ParcelEvent.parcel_id == waiting.id)
        .order_by(ParcelEvent.id.desc())
    ).first()
    assert event.details["note"] == "Refused by the recipient"


def test_a_return_needs_a_reason(operator: FlaskClient, waiting: Parcel):
    """No reason: 422, said beside the field; the parcel still waits."""
    page = f"/point/parcels/{waiting.id}"
    answer = _post(operator, page + "/return", page, note="  ")
    assert answer.status_code == 422 and waiting.status == "arrived"
    assert 'id="note-problem"' in answer.get_data(as_text=True)


def test_an_outbound_parcel_is_registered_at_the_own_point(
    operator: FlaskClient, session: Session, point: ServicePoint
):
    """Courier, number, recipient, weight and category: registered at the point."""
    answer = _post(
        operator,
        "/point/outbound",
        "/point/outbound",
        courier="ZTO",
        waybill="73610555582883",
        recipient_name="李四",
        recipient_phone="13900001111",
        address="上海市浦东新区世纪大道100号",
        weight_kg="2.5",
        pieces="1",
        category="tea",
    )
    assert answer.status_code == 303
    made = session.scalar(select(Parcel).where(Parcel.waybill_no == "73610555582883"))
    assert (made.direction, made.service_point_id, made.category) == (
        "outbound",
        point.id,
        "tea",
    )
    shown = operator.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Registered: parcel 73610555582883" in shown


def test_a_bad_outbound_parcel_is_said_beside_its_fields(
    operator: FlaskClient, session: Session
):
    """A number the courier's rule refuses and no address: 422, each beside its
    field, nothing registered."""
    answer = _post(
        operator,
        "/point/outbound",
        "/point/outbound",
        courier="ZTO",
        waybill="12",
        category="tea",
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="address-problem"' in text
    assert session.scalar(select(Parcel).where(Parcel.waybill_no == "12")) is None
    again = _post(
        operator,
        "/point/outbound",
        "/point/outbound",
        courier="ZTO",
        waybill="12",
        address="上海市浦东新区世纪大道100号",
    )
    assert again.status_code == 422
    assert 'id="waybill-problem"' in again.get_data(as_text=True)


def test_a_clerk_gets_the_403_page(client: FlaskClient, zto_clerk: User):
    """The point's pages are refused to a depot clerk, as a page."""
    log_in(client, zto_clerk.username)
    for path in ("/point/parcels", "/point/outbound"):
        answer = client.get(path)
        assert answer.status_code == 403 and "<html" in answer.get_data(as_text=True)
