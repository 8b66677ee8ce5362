"""The lock on a parcel's hand-over when its pickup code is tried too often.

A pickup code has six digits; without a limit, anyone at a point's counter could
try them all.  Each wrong code is kept (:class:`~countyhub.platform.models.
PickupTry`); at :data:`MAX_TRIES` within :data:`WINDOW` the parcel's hand-over is
locked until the oldest of those tries leaves the window.  A right code clears
nothing: only time does.  Two wrong codes given at the very same moment may both
be counted past the limit; the lock then lasts a little longer, which is harmless.

A wrong code refuses the request that gave it, and the request's transaction is
rolled back; :func:`note_wrong_code` therefore keeps the try in a short
transaction of its own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.errors import PickupLocked
from countyhub.platform.models import PickupTry

MAX_TRIES = 5
WINDOW = dt.timedelta(hours=1)


def locked_until(
    session: Session, parcel_id: int, now: dt.datetime
) -> dt.datetime | None:
    """When the parcel's hand-over opens again, or None if it is open at ``now``."""
    recent = session.scalars(
        select(PickupTry.at)
        .where(PickupTry.parcel_id == parcel_id, PickupTry.at > now - WINDOW)
        .order_by(PickupTry.at.desc())
        .limit(MAX_TRIES)
    ).all()
    if len(recent) < MAX_TRIES:
        return None
    return recent[-1] + WINDOW


def check_open(session: Session, parcel_id: int, now: dt.datetime) -> None:
    """Raise PickupLocked while the parcel's hand-over is locked at ``now``."""
    until = locked_until(session, parcel_id, now)
    if until is not None:
        raise PickupLocked(parcel_id, until)


def add_wrong_code(
    session: Session, parcel_id: int, actor_id: int | None, at: dt.datetime
) -> PickupTry:
    """Keep a wrong code given for the parcel at ``at``, in ``session``; flushed."""
    wrong = PickupTry(parcel_id=parcel_id, actor_id=actor_id, at=at)
    session.add(wrong)
    session.flush()
    return wrong


def note_wrong_code(
    sessions: sessionmaker[Session],
    parcel_id: int,
    actor_id: int | None,
    at: dt.datetime,
) -> None:
    """Keep a wrong code in a committed transaction of its own (from ``sessions``),
    so that it outlives the refused request's rollback."""
    with sessions.begin() as session:
        add_wrong_code(session, parcel_id, actor_id, at)
