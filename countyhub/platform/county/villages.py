"""Villages as reference data: listed by township and poverty flag, flagged by an admin.

The gazetteer loader (:mod:`countyhub.platform.county.gazetteer`) makes the villages;
everyone who is logged in reads them.  Whether a village is a poverty village
(贫困村) comes from the ``poverty`` column of ``villages.csv`` or from an admin's
edit here, which an empty cell of a later load leaves standing.  None means "not
declared", which the coverage figures report as such rather than as "not poor".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform.accounts.admin import require_admin
from countyhub.platform.accounts.audit import Action, record_changes, snapshot
from countyhub.platform.county.rows import assign, get_row
from countyhub.platform.models import Township, User, Village

# The fields a write may set; anything else in its data is ignored.
VILLAGE_FIELDS = ("poverty",)


def villages_query(
    actor: User, township: str | None = None, poverty: bool | None = None
) -> Select[Any]:
    """The villages, of one township (by code) and of one poverty flag if given
    (False: declared not poor; the undeclared match neither) (unordered)."""
    query = select(Village).options(joinedload(Village.township))
    if township:
        query = query.join(Village.township).where(Township.code == township)
    if poverty is not None:
        query = query.where(Village.poverty.is_(poverty))
    return query


def update_village(
    session: Session, actor: User, village_id: int, changes: Mapping[str, Any]
) -> Village:
    """Change the given fields of a village (its poverty flag; None: not declared),
    recorded in the audit trail.  Raises Forbidden, NotFound."""
    require_admin(actor, "changes villages")
    village = get_row(session, Village, "village", village_id)
    before = snapshot(village, VILLAGE_FIELDS)
    assign(village, changes, VILLAGE_FIELDS)
    session.flush()
    after, target = snapshot(village, VILLAGE_FIELDS), ("village", village.id)
    record_changes(session, actor, Action.VILLAGE_UPDATE, target, before, after)
    return village
