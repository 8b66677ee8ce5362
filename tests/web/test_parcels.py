"""The depot's parcel pages: register one (the courier's rule beside the field),
list and search the depot's parcels masked, one parcel with its timeline."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.models import Parcel, ParcelEvent, User
from tests.web.conftest import form_token, log_in

WAYBILL = "73610555582883"
ADDRESS = "江西省宜春市铜鼓县大塅镇浒村村委会三组12号"
GOOD = {
    "waybill": WAYBILL,
    "address": ADDRESS,
    "recipient_name": "张三",
    "recipient_phone": "13812345678",
    "weight_kg": "1.5",
    "pieces": "1",
}


def register(browser: FlaskClient, **fields: str):
    """Post the register form as a browser does (with its token)."""
    token = form_token(browser, "/depot/parcels/new")
    return browser.post(
        "/depot/parcels/new", data={**GOOD, **fields, "csrf_token": token}
    )


@pytest.fixture
def clerk(client: FlaskClient) -> FlaskClient:
    """The ZTO depot's clerk, logged in, reading English."""
    client.set_cookie("lang", "en")
    log_in(client, "clerk-zto")
    return client


@pytest.fixture
def parcel(clerk: FlaskClient, session: Session) -> Parcel:
    """A parcel registered through the form."""
    assert register(clerk).status_code == 303
    return session.scalar(select(Parcel).where(Parcel.waybill_no == WAYBILL))


def test_registering_leads_to_the_parcels_page(clerk: FlaskClient, session: Session):
    """A good form: 303 to the parcel's page, which says it is registered."""
    made = register(clerk)
    assert made.status_code == 303
    shown = clerk.get(made.headers["Location"]).get_data(as_text=True)
    assert "Registered." in shown and WAYBILL in shown
    parcel = session.scalar(select(Parcel).where(Parcel.waybill_no == WAYBILL))
    assert parcel.courier.code == "ZTO" and parcel.weight_kg == 1.5


def test_a_resent_parcel_is_recognised(clerk: FlaskClient, parcel: Parcel):
    """The same parcel again: its page says it was registered already."""
    again = register(clerk)
    assert again.headers["Location"].endswith(f"/{parcel.id}?result=known")
    page = clerk.get(again.headers["Location"]).get_data(as_text=True)
    assert "registered already with the same details" in page


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("waybill", "12", "not a 中通快递 number"),
        ("weight_kg", "heavy", "Not a valid number."),
        ("address", "", "Missing data for required field."),
    ],
)
def test_a_bad_field_is_redisplayed_with_its_problem_beside_it(
    clerk: FlaskClient, session: Session, field: str, value: str, says: str
):
    """422, the form again with the entries kept and the problem under the field."""
    refused = register(clerk, **{field: value})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    beside = re.search(rf'<p class="problem" id="{field}-problem">([^<]*)</p>', page)
    assert beside and says in beside.group(1)
    assert 'value="张三"' in page
    assert session.scalar(select(Parcel).where(Parcel.waybill_no == value)) is None


def test_the_number_is_checked_as_typed(clerk: FlaskClient):
    """The JSON check gives the courier's rule: a good number is ok, a short one
    is not, with the reason."""
    good = clerk.get(f"/depot/parcels/check?waybill={WAYBILL}").json
    bad = clerk.get("/depot/parcels/check?waybill=12").json
    assert good == {"ok": True, "message": ""}
    assert bad["ok"] is False and "中通快递" in bad["message"]


def test_an_admin_chooses_the_depot(client: FlaskClient, session: Session):
    """Without a depot the admin is asked for one; with one, the depot's courier."""
    client.set_cookie("lang", "en")
    log_in(client, "admin")
    refused = register(client)
    assert refused.status_code == 422
    assert '<p class="problem" id="depot-problem">Choose the depot' in (
        refused.get_data(as_text=True)
    )
    assert register(client, depot="TG-ZTO").status_code == 303


def test_a_point_operator_may_not_open_the_form(
    client: FlaskClient, point_operator: User
):
    """The depot's form is for depot clerks and admins: 403 page."""
    log_in(client, point_operator.username)
    assert client.get("/depot/parcels/new").status_code == 403


def test_the_list_shows_the_depots_parcels_masked(clerk: FlaskClient, parcel: Parcel):
    """Each row links to its parcel; name and phone masked as the API masks them."""
    page = clerk.get("/depot/parcels").get_data(as_text=True)
    assert f'href="/depot/parcels/{parcel.id}"' in page
    assert "张*" in page and "138****5678" in page
    assert "张三" not in page and "13812345678" not in page


def test_the_list_is_searched_and_paged(
    clerk: FlaskClient, parcel: Parcel, session: Session
):
    """By number, status, village and days; newest first by default, one page of
    50 then a link to the next; a bad date is refused beside its field."""
    found = clerk.get(f"/depot/parcels?waybill={WAYBILL}&status=registered")
    assert f"/depot/parcels/{parcel.id}" in found.get_data(as_text=True)
    for missing in ("status=delivered", "day_from=2999-01-01", "village=nowhere"):
        page = clerk.get(f"/depot/parcels?{missing}").get_data(as_text=True)
        assert f"/depot/parcels/{parcel.id}" not in page and 'id="none"' in page
    bad = clerk.get("/depot/parcels?day_to=yesterday")
    assert bad.status_code == 422
    assert 'id="day_to-problem"' in bad.get_data(as_text=True)
    numbers = [WAYBILL, *(f"7361055558{n:04d}" for n in range(55))]
    for number in numbers[1:]:
        register(clerk, waybill=number)
    mine = set(session.scalars(select(Parcel.id).where(Parcel.waybill_no.in_(numbers))))
    seen: list[int] = []
    url: str | None = "/depot/parcels"
    while url:
        page = clerk.get(url).get_data(as_text=True)
        links = [int(i) for i in re.findall(r'href="/depot/parcels/(\d+)"', page)]
        following = re.search(r'rel="next" href="([^"]+)"', page)
        assert len(links) == 50 if following else len(links) <= 50
        seen += links
        url = following.group(1).replace("&amp;", "&") if following else None
    assert seen == sorted(set(seen), reverse=True)  # newest first, none twice
    assert mine <= set(seen) and len(mine) == 56


def test_another_depots_parcel_is_not_found(
    client: FlaskClient, clerk: FlaskClient, parcel: Parcel, app
):
    """The YTO clerk neither opens the ZTO parcel (404) nor lists it."""
    other = app.test_client()
    log_in(other, "clerk-yto")
    assert other.get(f"/depot/parcels/{parcel.id}").status_code == 404
    assert f"/depot/parcels/{parcel.id}" not in other.get("/depot/parcels").get_data(
        as_text=True
    )


def test_one_parcel_with_its_timeline_in_shanghai_time(
    clerk: FlaskClient, parcel: Parcel, session: Session
):
    """Masked fields, and each event at its UTC+8 time with its status and place
    named in the reader's language."""
    at = session.scalar(
        select(ParcelEvent.at).where(ParcelEvent.parcel_id == parcel.id)
    )
    page = clerk.get(f"/depot/parcels/{parcel.id}").get_data(as_text=True)
    assert '<dd id="recipient">张*</dd>' in page
    assert '<dd id="phone">138****5678</dd>' in page
    local = at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f'<time datetime="{local.isoformat()}">' in page
    assert '<span class="status">registered</span>' in page
    assert '<span class="place">courier depot</span>' in page
    clerk.set_cookie("lang", "zh-CN")
    zh = clerk.get(f"/depot/parcels/{parcel.id}").get_data(as_text=True)
    assert '<span class="status">已登记</span>' in zh


def test_a_logged_out_reader_is_sent_to_the_login(client: FlaskClient):
    """The depot's pages need a login: to the login page and back."""
    answer = client.get("/depot/parcels")
    assert answer.status_code in (302, 303)
    assert "/login" in answer.headers["Location"]
