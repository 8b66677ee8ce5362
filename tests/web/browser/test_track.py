"""A villager tracks a parcel in a real browser, on a phone as on a desktop."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import make_engine
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import Depot, User
from tests.web.browser.conftest import Visit

WAYBILL = "73610555582883"


@pytest.fixture(scope="module")
def waybill(site_database: str) -> str:
    """A ZTO parcel registered on the site's database (by the depot's clerk)."""
    engine = make_engine(site_database)
    with Session(engine) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk-zto"))
        depot = session.scalar(select(Depot).where(Depot.code == "TG-ZTO"))
        item = ParcelInput(
            waybill=WAYBILL,
            address="江西省宜春市铜鼓县大塅镇浒村村委会三组12号",
            recipient_name="张三",
            recipient_phone="13812345678",
        )
        Registrar(session, clerk, depot=depot).register([(1, item)])
        session.commit()
    engine.dispose()
    return WAYBILL


def test_a_villager_finds_a_parcel_from_the_start_page(visit: Visit, waybill: str):
    """From the start page to the answer: its status, no name, no phone."""
    visit.go("/")
    visit.page.click("a[href*='/track']")
    visit.check("tracking form")
    visit.page.fill("#waybill", waybill)
    visit.page.click("main form [type=submit]")
    visit.page.wait_for_selector(".answer")
    text = visit.page.inner_text("main")
    assert "已登记" in text and "张三" not in text and "13812345678" not in text
    visit.check("tracking answer")


def test_a_number_too_long_is_refused_beside_the_field(visit: Visit):
    """A number longer than any courier's: the message, the input not repeated."""
    visit.go("/track?waybill=" + "9" * 60)
    assert visit.page.locator("#waybill-problem").is_visible()
    assert "9" * 60 not in visit.page.content()
    visit.check("tracking: number too long")
