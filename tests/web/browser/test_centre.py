"""The sorting centre in a real browser: parcels scanned in as a USB scanner types
them, and an unresolved address given its point."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import make_engine
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import Depot, Parcel, User
from tests.web.browser.conftest import Visit

KNOWN = ["73610555580001", "73610555580002", "73610555580003"]
UNRESOLVED = "73610555580004"
UNKNOWN = "73610555589999"
HUCUN = "360926105204"
# Records the pitch of every tone the page plays (Web Audio oscillators).
TONES = """
window.tones = [];
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.tones.push(this.frequency.value);
  return start.apply(this, args);
};
"""


@pytest.fixture(scope="module")
def registered(site_database: str) -> str:
    """Four ZTO parcels on the site's database, the last one's address unresolved."""
    engine = make_engine(site_database)
    with Session(engine) as session:
        clerk = session.scalar(select(User).where(User.username == "clerk-zto"))
        depot = session.scalar(select(Depot).where(Depot.code == "TG-ZTO"))
        items = [
            ParcelInput(waybill=w, address="江西省宜春市铜鼓县大塅镇浒村村委会三组")
            for w in KNOWN
        ]
        items.append(ParcelInput(waybill=UNRESOLVED, address="铜鼓县某某地方"))
        Registrar(session, clerk, depot=depot).register(list(enumerate(items, 1)))
        session.commit()
    engine.dispose()
    return site_database


def parcels(url: str) -> dict[str, Parcel]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = session.scalars(select(Parcel).where(Parcel.waybill_no.like("7361%")))
        rows = {p.waybill_no: p for p in found}
    engine.dispose()
    return rows


def test_five_scans_typed_quickly_are_all_answered(visit: Visit, registered: str):
    """Typed and Entered one after another: five answers, four received, one
    unknown, each with its tone; then the unresolved one is assigned its point."""
    visit.page.add_init_script(TONES)
    visit.log_in("dispatcher")
    visit.page.wait_for_selector("#waybill:focus")
    visit.check("scan-in")
    for waybill in [KNOWN[0], UNKNOWN, KNOWN[1], UNRESOLVED, KNOWN[2]]:
        visit.page.keyboard.type(waybill)
        visit.page.keyboard.press("Enter")
    answers = visit.page.locator("#answers .scan-answer:not(.sending)")
    answers.nth(4).wait_for()
    assert answers.count() == 5
    assert visit.page.locator("#answers .scan-answer.good").count() == 3
    texts = answers.all_inner_texts()  # newest on top
    assert [t.split()[1] for t in texts] == [
        KNOWN[2], UNRESOLVED, KNOWN[1], UNKNOWN, KNOWN[0]
    ]  # fmt: skip
    high, low = 1320, 220  # received; a problem (and longer)
    assert visit.page.evaluate("window.tones") == [high, low, high, low, high]
    visit.check("scan-in: five answers")
    stored = parcels(registered)
    assert sorted(w for w, p in stored.items() if p.status == "received") == sorted(
        [*KNOWN, UNRESOLVED]
    )

    visit.page.click("#answers a[href$='/centre/unresolved']")
    visit.check("unresolved addresses")
    field = visit.page.locator("input[name=point]")
    assert field.count() == 1
    field.fill(HUCUN)
    visit.page.click(".unresolved form [type=submit]")
    visit.page.wait_for_selector(".done")
    visit.check("unresolved: assigned")
    assert parcels(registered)[UNRESOLVED].address_state == "assigned"
