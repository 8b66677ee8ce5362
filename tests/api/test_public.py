"""Public disclosure: no login, the county's monthly aggregates from the newest
report of the month, nothing per person, parcel or point."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.models import Parcel, ServicePoint, User
from countyhub.platform.reports.content import build_report
from tests.platform.stats.conftest import NOW, History, build

MONTHLY = "/api/v1/public/monthly"


@pytest.fixture
def published(session: Session, analyst: User, admin: User) -> History:
    """October 2026 built and stored (version 1)."""
    history = build(session, admin)
    build_report(session, analyst, "2026-10", deliver=False, now=NOW)
    session.flush()
    return history


def test_months_and_figures_without_login(client: FlaskClient, published: History):
    """Anyone may list the months and read one month's aggregates."""
    months = client.get("/api/v1/public/months")
    assert months.status_code == 200
    assert months.json == {"months": ["2026-10"]}
    response = client.get(f"{MONTHLY}?month=2026-10")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["county"] == {"code": "360926", "name": "铜鼓县"}
    assert (body["month"], body["version"]) == ("2026-10", 1)
    assert body["volumes"] == {
        "inbound_received": 9,
        "inbound_delivered": 6,
        "outbound_registered": 3,
    }
    assert body["cadence"]["points"] == 3
    assert set(body) == {
        "county",
        "month",
        "version",
        "volumes",
        "coverage",
        "cadence",
        "service_level",
    }


def test_nothing_personal_or_per_parcel(
    client: FlaskClient, session: Session, published: History
):
    """No waybill, address, name, pickup code or point code goes out."""
    text = client.get(f"{MONTHLY}?month=2026-10").get_data(as_text=True)
    for parcel in session.scalars(select(Parcel)):
        for value in (parcel.waybill_no, parcel.address, parcel.pickup_code):
            assert not value or value not in text
    for point in published.points.values():
        assert point.code not in text and point.name not in text
    assert session.scalar(select(ServicePoint.id)) is not None


def test_a_month_without_a_report_is_404(client: FlaskClient, published: History):
    response = client.get(f"{MONTHLY}?month=2026-09")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "2026-09" in response.json["detail"]


@pytest.mark.parametrize(
    "month",
    [
        dt.datetime.now(LOCAL_TZ).strftime("%Y-%m"),
        f"{dt.datetime.now(LOCAL_TZ).year + 1}-01",
    ],
)
def test_a_month_not_closed_is_422(client: FlaskClient, month: str):
    response = client.get(f"{MONTHLY}?month={month}")
    assert response.status_code == 422
    assert "not closed yet" in response.json["detail"]


@pytest.mark.parametrize("query", ["", "?month=2026-13", "?month=1999-01"])
def test_a_missing_or_malformed_month_is_422(client: FlaskClient, query: str):
    response = client.get(MONTHLY + query)
    assert response.status_code == 422
    assert "month" in response.json["errors"]["query"]


def test_rate_limited_per_address(make_app):  # type: ignore[no-untyped-def]
    """Past the public endpoints' budget (as tight as tracking's), an anonymous
    caller gets 429; the general per-address budget is far larger."""
    app: Flask = make_app(
        COUNTYHUB_RATE_TRACK="2/day", COUNTYHUB_RATE_PER_ADDRESS="1000/day"
    )
    client = app.test_client()
    answers = [client.get("/api/v1/public/months").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
