"""A parcel's step taken in the request, for the API and the pages alike: a wrong
pickup code is kept although the request that gave it is rolled back.

Every answer of 400 or more rolls the request's transaction back
(:mod:`~countyhub.edge.transaction`), and a wrong code is one; so the try is
written in a short transaction of its own on :func:`side_bind`, after
:func:`commit_so_far` has ended the request's.  That commits nothing of the step:
:func:`~countyhub.platform.parcels.scans.record_scan` checks everything before it
changes anything, so only what the request wrote before the step (its API key's
last use, say) is committed early.  Too many wrong codes lock the parcel's
hand-over (:mod:`countyhub.platform.parcels.pickup`).
"""

from __future__ import annotations

from typing import Any

from countyhub.edge.transaction import commit_so_far, db_session, side_bind
from countyhub.platform.db import utcnow
from countyhub.platform.errors import WrongPickupCode
from countyhub.platform.models import Parcel, ParcelEvent, User
from countyhub.platform.parcels import pickup, scans
from countyhub.platform.parcels.statuses import Status


def record_scan(
    user: User, parcel: Parcel, target: Status, **options: Any
) -> ParcelEvent:
    """:func:`~countyhub.platform.parcels.scans.record_scan` in the request's
    session; a wrong pickup code is kept before it is raised.

    Raises what record_scan raises.
    """
    actor_id = user.id
    try:
        return scans.record_scan(db_session(), user, parcel, target, **options)
    except WrongPickupCode as wrong:
        commit_so_far()
        pickup.note_wrong_code(side_bind(), wrong.parcel_id, actor_id, utcnow())
        raise
