"""A village point operator on a phone: sees a waiting parcel, hands it over with
its pickup code, registers an outbound parcel."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import make_engine
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import Depot, Parcel, User
from countyhub.platform.parcels.registry import assign_point
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from tests.web.browser.conftest import Visit

WAYBILL = "73610555582890"


@pytest.fixture(scope="module")
def arrived(site_database: str) -> tuple[str, str]:
    """A ZTO parcel arrived at a point (registered by the depot's clerk, moved on
    by the admin): its operator's name and the pickup code."""
    engine = make_engine(site_database)
    with Session(engine) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk-zto"))
        admin = session.scalar(select(User).where(User.username == "admin"))
        operator = session.scalar(
            select(User)
            .where(User.role_code == "point_operator")
            .order_by(User.username)
        )
        depot = session.scalar(select(Depot).where(Depot.code == "TG-ZTO"))
        item = ParcelInput(
            waybill=WAYBILL,
            address="江西省宜春市铜鼓县大塅镇浒村村委会三组12号",
            recipient_name="张三",
            recipient_phone="13812345678",
        )
        outcome = Registrar(session, clerk, depot=depot).register([(1, item)])[0]
        parcel = session.get(Parcel, outcome.parcel_id)
        assign_point(session, admin, parcel, operator.service_point.code)
        for status in (Status.RECEIVED, Status.SORTED, Status.LOADED, Status.ARRIVED):
            record_scan(session, admin, parcel, status)
        found = (operator.username, parcel.pickup_code)
        session.commit()
    engine.dispose()
    return found


def test_an_operator_hands_a_parcel_over_and_sends_farm_products(
    visit: Visit, arrived: tuple[str, str]
):
    """Log in, the waiting parcel, its hand-over by code, an outbound parcel."""
    username, code = arrived
    visit.page.set_viewport_size({"width": 360, "height": 740})
    visit.log_in(username)
    visit.page.wait_for_selector("#waiting")
    assert WAYBILL in visit.page.inner_text("#waiting")
    visit.check("waiting parcels")
    visit.page.click(f"text={WAYBILL}")
    visit.page.wait_for_selector("#handover")
    assert "13812345678" in visit.page.inner_text("#phone")
    visit.check("hand-over page")
    visit.page.fill("#pickup_code", code)
    visit.page.click("#handover [type=submit]")
    visit.page.wait_for_selector("#done")
    assert WAYBILL in visit.page.inner_text("#done")
    visit.check("handed over")
    visit.go("/point/outbound")
    visit.page.select_option("#courier", "ZTO")
    visit.page.fill("#waybill", "73610555582906")
    visit.page.select_option("#category", "tea")
    visit.page.fill("#address", "上海市浦东新区世纪大道100号")
    visit.page.fill("#weight_kg", "2.5")
    visit.page.click("#outbound [type=submit]")
    visit.page.wait_for_selector("#done")
    assert "73610555582906" in visit.page.inner_text("#done")
    visit.check("outbound registered")
