"""Villages as reference data: the poverty flag, set by an admin, audited, filtered."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.audit import Action
from countyhub.platform.county.villages import update_village, villages_query
from countyhub.platform.errors import Forbidden, NotFound
from countyhub.platform.models import AuditEntry, ServicePoint, User, Village


def first_village(session: Session) -> Village:
    return session.scalars(select(Village).order_by(Village.id)).first()


def test_an_admin_sets_the_flag_and_the_trail_keeps_it(session: Session, admin: User):
    """The flag goes to true, then back to not declared; one entry per change."""
    village = first_village(session)
    update_village(session, admin, village.id, {"poverty": True})
    update_village(session, admin, village.id, {"poverty": None})
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == Action.VILLAGE_UPDATE)
        .order_by(AuditEntry.id)
    ).all()
    assert [e.changes for e in entries] == [
        {"poverty": [None, True]},
        {"poverty": [True, None]},
    ]
    assert {(e.actor_id, e.target_kind, e.target_id) for e in entries} == {
        (admin.id, "village", str(village.id))
    }
    assert village.poverty is None


@pytest.mark.parametrize(
    "who", ["dispatcher", "analyst", "zto_clerk", "point_operator"]
)
def test_only_an_admin_sets_it(
    session: Session, request: pytest.FixtureRequest, who: str
):
    """Everyone else is refused, and nothing changes."""
    village = first_village(session)
    with pytest.raises(Forbidden, match="only an admin changes villages"):
        update_village(
            session, request.getfixturevalue(who), village.id, {"poverty": True}
        )
    assert village.poverty is None


def test_an_unknown_village_is_not_found(session: Session, admin: User):
    """An id no village has."""
    with pytest.raises(NotFound):
        update_village(session, admin, 10**6, {"poverty": True})


def test_the_point_and_its_village_share_the_flag(session: Session, admin: User):
    """A point's poverty_village reads its village's flag; the filter finds it."""
    village = session.scalar(select(Village).where(Village.code == "360926105204"))
    point = session.scalar(select(ServicePoint).where(ServicePoint.village == village))
    update_village(session, admin, village.id, {"poverty": False})
    assert point.poverty_village is False
    found = session.scalars(villages_query(admin, poverty=False)).all()
    assert found == [village]
    assert session.scalars(villages_query(admin, poverty=True)).all() == []
