"""The sorting centre's pages: scan-in (form and background JSON) answering with the
point and today's run or why not, and unresolved addresses assigned by hand."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.models import Parcel, ParcelEvent, User
from countyhub.platform.plans.today import local_today
from tests.platform.parcels.test_scans import new_parcel
from tests.platform.plans.test_results import HUCUN, make_plan
from tests.web.conftest import form_token, log_in

UNKNOWN = "73610555589999"
NOWHERE = "铜鼓县某某地方"


@pytest.fixture
def dispatcher_client(client: FlaskClient) -> FlaskClient:
    """The dispatcher logged in, reading English."""
    client.set_cookie("lang", "en")
    assert log_in(client, "dispatcher").status_code == 302
    return client


def scan(browser: FlaskClient, waybill: str, path: str = "/centre/scan", **more: str):
    token = form_token(browser, "/centre/scan")
    return browser.post(path, data={"waybill": waybill, "csrf_token": token, **more})


def fresh(session: Session, parcel: Parcel) -> Parcel:
    """The parcel as the app's requests left it."""
    session.refresh(parcel)
    return parcel


def received(session: Session, parcel: Parcel) -> int:
    return len(
        session.scalars(
            select(ParcelEvent).where(
                ParcelEvent.parcel_id == parcel.id,
                ParcelEvent.to_status == "received",
            )
        ).all()
    )


def test_the_dispatcher_lands_on_scan_in(client: FlaskClient):
    """After the login, the scan-in page with its field focused."""
    answer = log_in(client, "dispatcher")
    assert answer.headers["Location"] == "/centre/scan"
    page = client.get("/centre/scan").get_data(as_text=True)
    assert 'id="waybill"' in page and "autofocus" in page
    assert "centre.js" in page and 'name="csrf_token"' in page


def test_a_scan_names_the_point_and_todays_run(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """Received; the answer names the point and today's vehicle in large type, and
    the field is ready for the next scan."""
    make_plan(session, admin, local_today(), {"TRI-1": [(HUCUN, [], [])]})
    parcel = new_parcel(session, admin)
    answer = scan(dispatcher_client, parcel.waybill_no)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert (
        fresh(session, parcel).status == "received" and received(session, parcel) == 1
    )
    assert 'class="scan-answer good"' in page and HUCUN in page
    assert "TRI-1" in page and "stop 1" in page and "still a draft" in page
    assert "autofocus" in page and 'value="' + parcel.waybill_no not in page


def test_no_run_today_is_said(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """Without a plan today: received, and "No run today"."""
    parcel = new_parcel(session, admin)
    page = scan(dispatcher_client, parcel.waybill_no).get_data(as_text=True)
    assert "No run today" in page and fresh(session, parcel).status == "received"


def test_an_unknown_waybill_is_a_problem(dispatcher_client: FlaskClient):
    """404, the problem in large type."""
    answer = scan(dispatcher_client, UNKNOWN)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert 'class="scan-answer bad"' in page and "Unknown waybill" in page


def test_a_second_scan_is_the_wrong_status(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """Received already: 409, the status named, no second event."""
    parcel = new_parcel(session, admin)
    scan(dispatcher_client, parcel.waybill_no)
    answer = scan(dispatcher_client, parcel.waybill_no)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Wrong status" in page
    assert "at the county sorting centre" in page and received(session, parcel) == 1


def test_an_unresolved_address_is_received_and_sent_to_the_list(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """It arrived (recorded), but has no point: a problem, with a link to assign."""
    parcel = new_parcel(session, admin, address=NOWHERE)
    page = scan(dispatcher_client, parcel.waybill_no).get_data(as_text=True)
    assert fresh(session, parcel).status == "received"
    assert 'class="scan-answer bad"' in page and "No service point" in page
    assert 'href="/centre/unresolved"' in page


def test_no_number_or_one_too_long_is_refused(dispatcher_client: FlaskClient):
    """422 and what to do; the input not echoed."""
    for waybill in ("", "9" * 81):
        answer = scan(dispatcher_client, waybill)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and "at most 80 characters" in page
        assert "9" * 81 not in page


def test_the_json_scan_answers_with_the_same_item(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """The background scan: ok and the answer's HTML; a problem: not ok."""
    parcel = new_parcel(session, admin)
    token = form_token(dispatcher_client, "/centre/scan")
    good = dispatcher_client.post(
        "/centre/scan.json",
        data={"waybill": parcel.waybill_no},
        headers={"X-CSRFToken": token},
    )
    assert good.status_code == 200 and good.json["ok"] is True
    assert good.json["html"].startswith("<li") and HUCUN in good.json["html"]
    bad = dispatcher_client.post(
        "/centre/scan.json", data={"waybill": UNKNOWN}, headers={"X-CSRFToken": token}
    )
    assert bad.status_code == 404 and bad.json["ok"] is False
    assert fresh(session, parcel).status == "received"


def test_the_json_scan_needs_its_csrf_header(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """Without the token: refused (400), nothing recorded."""
    parcel = new_parcel(session, admin)
    refused = dispatcher_client.post(
        "/centre/scan.json", data={"waybill": parcel.waybill_no}
    )
    assert refused.status_code == 400 and received(session, parcel) == 0


def test_the_courier_may_be_named(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """A courier chosen that is not the parcel's: unknown; its own: received."""
    parcel = new_parcel(session, admin)
    assert scan(dispatcher_client, parcel.waybill_no, courier="YTO").status_code == 404
    assert scan(dispatcher_client, parcel.waybill_no, courier="ZTO").status_code == 200


def test_unresolved_parcels_are_listed_masked(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """Each with its address, the name masked as the API masks it, and a field."""
    parcel = new_parcel(session, admin, address=NOWHERE)
    page = dispatcher_client.get("/centre/unresolved").get_data(as_text=True)
    assert parcel.waybill_no in page and NOWHERE in page
    assert "张三" not in page and "张*" in page
    assert f'action="/centre/unresolved/{parcel.id}"' in page
    assert 'list="points"' in page and f'<option value="{HUCUN}">' in page


def test_a_point_assigned_by_its_code(
    dispatcher_client: FlaskClient, session: Session, admin: User
):
    """The parcel gets the point; back on the list, which says so."""
    parcel = new_parcel(session, admin, address=NOWHERE)
    token = form_token(dispatcher_client, "/centre/unresolved")
    done = dispatcher_client.post(
        f"/centre/unresolved/{parcel.id}",
        data={"point": f" {HUCUN} ", "csrf_token": token},
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert (
        fresh(session, parcel).service_point.code == HUCUN
        and parcel.address_state == "assigned"
    )
    assert "now goes to" in page and f'id="parcel-{parcel.id}"' not in page


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Enter the service point"), ("360926999999", "No service point has")],
)
def test_a_bad_code_is_shown_beside_its_field(
    dispatcher_client: FlaskClient,
    session: Session,
    admin: User,
    code: str,
    message: str,
):
    """422, the message beside that parcel's field, the code kept, nothing changed."""
    parcel = new_parcel(session, admin, address=NOWHERE)
    token = form_token(dispatcher_client, "/centre/unresolved")
    answer = dispatcher_client.post(
        f"/centre/unresolved/{parcel.id}", data={"point": code, "csrf_token": token}
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and message in page
    assert f'id="point-{parcel.id}-problem"' in page and f'value="{code}"' in page
    assert fresh(session, parcel).service_point_id is None


@pytest.mark.parametrize("username", ["clerk-zto", "point", "analyst"])
@pytest.mark.parametrize("path", ["/centre/scan", "/centre/unresolved"])
def test_other_roles_get_403_pages(
    client: FlaskClient, point_operator: User, username: str, path: str
):
    """A clerk, a point operator or an analyst: the 403 page."""
    log_in(client, point_operator.username if username == "point" else username)
    answer = client.get(path)
    assert answer.status_code == 403 and "<html" in answer.get_data(as_text=True)


def test_a_reader_not_logged_in_is_sent_to_log_in(client: FlaskClient):
    """To the login page, and back afterwards."""
    answer = client.get("/centre/scan")
    assert answer.status_code == 302 and "/login?next=/centre/scan" in answer.location
