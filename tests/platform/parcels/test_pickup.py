"""The hand-over lock: too many wrong pickup codes for a parcel lock it a while."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.db import utcnow
from countyhub.platform.errors import PickupLocked, WrongPickupCode
from countyhub.platform.models import Parcel, PickupTry, User
from countyhub.platform.parcels import pickup
from countyhub.platform.parcels.scans import ScanRequest, record_scan, record_scans
from countyhub.platform.parcels.statuses import Status
from tests.platform.parcels.test_scans import new_parcel, to_point

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def parcel(session: Session, admin: User) -> Parcel:
    """A parcel waiting at its point for the villager."""
    found = new_parcel(session, admin)
    to_point(session, admin, found)
    return found


def _wrong(parcel: Parcel) -> str:
    return "000000" if parcel.pickup_code != "000000" else "111111"


def _tries(session: Session, parcel: Parcel, admin: User, start: dt.datetime) -> None:
    for n in range(pickup.MAX_TRIES):
        pickup.add_wrong_code(session, parcel.id, admin.id, start + n * MINUTE)


def test_five_wrong_codes_lock_until_the_oldest_leaves_the_window(
    session: Session, admin: User, parcel: Parcel
):
    """Four tries leave it open; the fifth locks it until the first is an hour old."""
    for n in range(pickup.MAX_TRIES - 1):
        pickup.add_wrong_code(session, parcel.id, admin.id, T0 + n * MINUTE)
    assert pickup.locked_until(session, parcel.id, T0 + 5 * MINUTE) is None
    pickup.add_wrong_code(session, parcel.id, admin.id, T0 + 4 * MINUTE)
    now = T0 + 5 * MINUTE
    assert pickup.locked_until(session, parcel.id, now) == T0 + pickup.WINDOW
    with pytest.raises(PickupLocked) as locked:
        pickup.check_open(session, parcel.id, now)
    assert locked.value.until == T0 + pickup.WINDOW
    assert "locked until 2026-03-01 17:00:00" in str(locked.value)  # Asia/Shanghai


def test_the_window_passing_unlocks(session: Session, admin: User, parcel: Parcel):
    """Once the oldest counted try is an hour old, the hand-over is open again."""
    _tries(session, parcel, admin, T0)
    assert pickup.locked_until(session, parcel.id, T0 + pickup.WINDOW - MINUTE)
    assert pickup.locked_until(session, parcel.id, T0 + pickup.WINDOW) is None
    pickup.check_open(session, parcel.id, T0 + pickup.WINDOW + MINUTE)


def test_the_newest_five_tries_set_the_end(
    session: Session, admin: User, parcel: Parcel
):
    """With six tries in the window, the lock lasts until the second is an hour old."""
    _tries(session, parcel, admin, T0)
    pickup.add_wrong_code(session, parcel.id, admin.id, T0 + 5 * MINUTE)
    now = T0 + 6 * MINUTE
    assert pickup.locked_until(session, parcel.id, now) == T0 + MINUTE + pickup.WINDOW


def test_tries_on_another_parcel_do_not_count(
    session: Session, admin: User, parcel: Parcel
):
    """Another parcel's wrong codes leave this one's hand-over open."""
    other = new_parcel(session, admin, "73610555580001")
    _tries(session, other, admin, T0)
    assert pickup.locked_until(session, other.id, T0 + 5 * MINUTE) is not None
    assert pickup.locked_until(session, parcel.id, T0 + 5 * MINUTE) is None


def test_a_locked_parcel_refuses_even_the_right_code(
    session: Session, admin: User, parcel: Parcel
):
    """Locked: the right code is refused with PickupLocked; the parcel waits."""
    _tries(session, parcel, admin, utcnow() - 10 * MINUTE)
    for code in (parcel.pickup_code, _wrong(parcel)):
        with pytest.raises(PickupLocked):
            record_scan(
                session,
                admin,
                parcel,
                Status.DELIVERED,
                pickup_code=code,
                consent="picked_up",
            )
    assert parcel.status == "arrived"


def test_a_wrong_code_names_its_parcel_and_is_not_kept_by_the_service(
    session: Session, admin: User, parcel: Parcel
):
    """record_scan raises WrongPickupCode with the parcel's id and writes no try."""
    with pytest.raises(WrongPickupCode) as wrong:
        record_scan(
            session,
            admin,
            parcel,
            Status.DELIVERED,
            pickup_code=_wrong(parcel),
            consent="picked_up",
        )
    assert wrong.value.parcel_id == parcel.id
    assert session.scalar(select(func.count()).select_from(PickupTry)) == 0


def test_note_wrong_code_commits_on_its_own(
    session: Session, admin: User, parcel: Parcel
):
    """note_wrong_code keeps the try in a committed transaction of its own."""
    sessions = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint"
    )
    pickup.note_wrong_code(sessions, parcel.id, admin.id, T0)
    kept = session.scalars(select(PickupTry).where(PickupTry.parcel_id == parcel.id))
    assert [(t.at, t.actor_id) for t in kept] == [(T0, admin.id)]


def test_a_batch_counts_its_own_wrong_codes(
    session: Session, admin: User, parcel: Parcel
):
    """Six wrong codes in one batch: five WrongPickupCode, then PickupLocked."""
    scan = ScanRequest(
        parcel.waybill_no,
        "delivered",
        courier="ZTO",
        pickup_code=_wrong(parcel),
        consent="picked_up",
    )
    results = record_scans(session, admin, [scan] * (pickup.MAX_TRIES + 1))
    assert [r.problem for r in results] == ["WrongPickupCode"] * 5 + ["PickupLocked"]
    count = select(func.count()).where(PickupTry.parcel_id == parcel.id)
    assert session.scalar(count) == pickup.MAX_TRIES
