"""The parcels waiting at a service point: own point only, oldest first, days
waiting in Asia/Shanghai, masked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import Forbidden
from countyhub.platform.models import Parcel, ServicePoint, User
from countyhub.platform.parcels.registry import assign_point
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.parcels.waiting import waiting_parcels
from tests.platform.parcels.test_scans import new_parcel, to_point

UTC = dt.UTC


def arrived_at(
    session: Session,
    admin: User,
    point: ServicePoint,
    waybill: str,
    at: dt.datetime | None = None,
) -> Parcel:
    """A parcel that reached ``point`` at ``at`` (UTC, not before now; default now)."""
    parcel = new_parcel(session, admin, waybill)
    assign_point(session, admin, parcel, point.code)
    for status in (Status.RECEIVED, Status.SORTED, Status.LOADED):
        record_scan(session, admin, parcel, status)
    record_scan(session, admin, parcel, Status.ARRIVED, at=at)
    return parcel


def test_oldest_arrival_first_with_days_waiting(
    session: Session, admin: User, point_operator: User, point: ServicePoint
):
    """The earlier arrival first; days counted on Shanghai's calendar (00:30 there,
    two calendar days later, is two days though under 48 hours)."""
    first = dt.datetime.now(UTC) + dt.timedelta(seconds=1)
    early = arrived_at(session, admin, point, "73610555582890", first)
    second = first + dt.timedelta(minutes=1)
    late = arrived_at(session, admin, point, "73610555582883", second)
    day = first.astimezone(LOCAL_TZ).date() + dt.timedelta(days=2)
    now = dt.datetime.combine(day, dt.time(0, 30), LOCAL_TZ)
    found = waiting_parcels(session, point_operator, now=now)
    assert [(w.id, w.days_waiting) for w in found] == [(early.id, 2), (late.id, 2)]
    assert found[0].arrived_at == first and found[
        0
    ].arrived_at.utcoffset() == dt.timedelta(hours=8)
    assert waiting_parcels(session, point_operator, now=second)[0].days_waiting == 0


def test_masked_and_only_what_still_waits(
    session: Session, admin: User, point_operator: User, point: ServicePoint
):
    """Names and phones masked; no handed-over parcel, no other point's."""
    mine = arrived_at(session, admin, point, "73610555582883")
    gone = arrived_at(session, admin, point, "73610555582890")
    record_scan(
        session,
        admin,
        gone,
        Status.DELIVERED,
        pickup_code=gone.pickup_code,
        consent="picked_up",
    )
    elsewhere = new_parcel(session, admin, "73610555582906")
    to_point(session, admin, elsewhere)
    assert elsewhere.service_point_id != point.id
    found = waiting_parcels(session, point_operator)
    assert [w.id for w in found] == [mine.id]
    assert (found[0].recipient_name, found[0].recipient_phone) == ("张*", "138****5678")


def test_only_for_a_point_operator(session: Session, admin: User, zto_clerk: User):
    """Anyone without a service point of their own is refused."""
    for user in (admin, zto_clerk):
        with pytest.raises(Forbidden):
            waiting_parcels(session, user)
