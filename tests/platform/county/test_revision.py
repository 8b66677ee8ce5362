"""The county's revision: replaced by any change to its places, and the gazetteer
built under it follows (no address is resolved against an older county)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.county.gazetteer import load_gazetteer, require_county
from countyhub.platform.models import Courier, ServicePoint, Township, Village


def revision(session: Session) -> str:
    session.flush()
    return require_county(session).revision


def test_a_renamed_village_is_resolved_by_its_new_name(session: Session):
    """Before the rename the new name resolves nowhere; after it, to the village."""
    village = session.scalars(select(Village).order_by(Village.id)).first()
    township = village.township
    address = f"江西省宜春市铜鼓县{township.name}新起名村12号"
    before, old = load_gazetteer(session), revision(session)
    assert before.resolve(address).village_id != village.id
    village.name = "新起名村委会"
    assert revision(session) != old
    after = load_gazetteer(session)
    assert after is not before
    assert after.resolve(address).village_id == village.id


def test_every_kind_of_place_counts_and_nothing_else_does(session: Session):
    """A township's, a point's change, a new village: each a new revision; a
    courier's rename or a flush with no change keeps it (and the same gazetteer)."""
    seen = [revision(session)]
    gazetteer = load_gazetteer(session)
    session.scalars(select(Courier)).first().name = "改名快递"
    session.add(session.scalars(select(Village)).first())  # unchanged
    assert revision(session) == seen[-1]
    assert load_gazetteer(session) is gazetteer
    township = session.scalars(select(Township)).first()
    township.lon = (township.lon or 114.0) + 0.001
    seen.append(revision(session))
    session.scalars(select(ServicePoint)).first().code = "TG-NEW-CODE"
    seen.append(revision(session))
    session.add(
        Village(code="360926999999", name="新村", kind="村委会", township=township)
    )
    seen.append(revision(session))
    assert len(set(seen)) == 4
