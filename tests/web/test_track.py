"""The villager's tracking page: the API's answer as a page, no personal data,
times in Asia/Shanghai, a number too long refused and not echoed, rate-limited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.couriers import MAX_WAYBILL_LENGTH
from countyhub.platform.models import Parcel, ParcelEvent
from tests.api.conftest import bearer

WAYBILL = "73610555582883"
ADDRESS = "江西省宜春市铜鼓县大塅镇浒村村委会三组12号"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def parcel(client: FlaskClient, keys: dict[str, str], session: Session) -> Parcel:
    """A ZTO parcel registered through the API (with a name, phone and address)."""
    body = {
        "waybill": WAYBILL,
        "courier": "ZTO",
        "address": ADDRESS,
        "recipient_name": "张三",
        "recipient_phone": "13812345678",
    }
    made = client.post("/api/v1/parcels", json=body, headers=bearer(keys["clerk-zto"]))
    assert made.status_code == 201, made.json
    return session.scalar(select(Parcel).where(Parcel.waybill_no == WAYBILL))


def _zh(moment: dt.datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M:%S}"


def _en(moment: dt.datetime) -> str:
    clock = f"{moment.hour % 12 or 12}:{moment:%M:%S}\u202f{moment:%p}"
    return f"{moment:%b} {moment.day}, {moment.year}, {clock}"


@pytest.mark.parametrize(
    ("lang", "status", "shown"),
    [("zh-CN", "已登记", _zh), ("en", "registered", _en)],
)
def test_a_parcel_found_shows_its_steps_in_local_time(
    client: FlaskClient,
    session: Session,
    parcel: Parcel,
    lang: str,
    status: str,
    shown: Callable[[dt.datetime], str],
):
    """Courier, status and each step at its Asia/Shanghai time (UTC+8); no name,
    phone or address."""
    registered = session.scalar(
        select(ParcelEvent.at).where(ParcelEvent.parcel_id == parcel.id)
    )
    local = registered.astimezone(SHANGHAI)
    assert local.utcoffset() == dt.timedelta(hours=8)
    client.set_cookie("lang", lang)
    found = client.get(f"/track?waybill={WAYBILL}")
    page = found.get_data(as_text=True)
    assert found.status_code == 200
    assert (
        "中通快递" in page and f'<h2 id="parcel-1" class="answer">{status}</h2>' in page
    )
    assert f'<time datetime="{local.isoformat()}">{shown(local)}</time>' in page
    assert "张三" not in page and "5678" not in page and "三组" not in page


def test_an_unknown_number_says_so(client: FlaskClient):
    """404, a clear message beside the field, the number kept to correct it."""
    client.set_cookie("lang", "en")
    missing = client.get("/track?waybill=70000000000000")
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404
    assert "No parcel has this waybill number." in page
    assert 'value="70000000000000"' in page


@pytest.mark.parametrize(
    "waybill", ["7" * (MAX_WAYBILL_LENGTH + 1), "<img src=x onerror=alert(1)>" * 2]
)
def test_a_number_too_long_is_refused_and_not_echoed(client: FlaskClient, waybill: str):
    """422, the limit beside the field, the input not repeated anywhere."""
    client.set_cookie("lang", "en")
    refused = client.get("/track", query_string={"waybill": waybill})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"at most {MAX_WAYBILL_LENGTH} characters" in page
    assert waybill[:MAX_WAYBILL_LENGTH] not in page and "onerror" not in page


def test_lookups_share_the_apis_tracking_budget(make_app: Callable[..., Flask]):
    """A page lookup and an API lookup spend one budget per address; the next
    page lookup is the 429 page with Retry-After; the empty form costs nothing."""
    client = make_app(COUNTYHUB_RATE_TRACK="2/day").test_client()
    assert client.get("/track").status_code == 200
    assert client.get("/track?waybill=70000000000000").status_code == 404
    assert client.get("/api/v1/track/70000000000000").status_code == 404
    refused = client.get("/track?waybill=70000000000000")
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/track").status_code == 200
    other = client.get(
        "/track?waybill=70000000000000", environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 404  # another address has its own budget


def test_the_start_page_links_to_tracking(client: FlaskClient):
    """A villager finds the tracking page from the start page."""
    assert 'href="/track"' in client.get("/").get_data(as_text=True)
