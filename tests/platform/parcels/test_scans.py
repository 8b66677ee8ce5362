"""The life cycle through scans: legal steps, pickup codes, consent, who may scan."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from countyhub.platform.errors import (
    Forbidden,
    IllegalTransition,
    InvalidInput,
    WrongPickupCode,
)
from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.models import Parcel, ParcelEvent, ServicePoint, User
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import TRANSITIONS, Direction, Status
from tests.platform.intake.test_registration import zto

INBOUND_PATH = [Status.RECEIVED, Status.SORTED, Status.LOADED, Status.ARRIVED]


def new_parcel(
    session: Session, actor: User, waybill: str = "73610555582883", **changes: object
) -> Parcel:
    return session.get(
        Parcel, register_parcel(session, actor, zto(waybill, **changes)).parcel_id
    )


def to_point(session: Session, actor: User, parcel: Parcel) -> None:
    for status in INBOUND_PATH:
        record_scan(session, actor, parcel, status)


def test_full_inbound_life(session: Session, admin: User):
    """registered → received → sorted → loaded → arrived → delivered, one event each."""
    parcel = new_parcel(session, admin)
    to_point(session, admin, parcel)
    assert parcel.pickup_code and len(parcel.pickup_code) == 6
    record_scan(
        session,
        admin,
        parcel,
        Status.DELIVERED,
        pickup_code=parcel.pickup_code,
        consent="picked_up",
    )
    steps = session.scalars(
        select(ParcelEvent.to_status)
        .where(ParcelEvent.parcel_id == parcel.id)
        .order_by(ParcelEvent.id)
    ).all()
    assert steps == [
        "registered",
        "received",
        "sorted",
        "loaded",
        "arrived",
        "delivered",
    ]


def test_illegal_step_is_refused(session: Session, admin: User):
    """A registered parcel cannot be delivered; the error names what is allowed."""
    parcel = new_parcel(session, admin)
    with pytest.raises(IllegalTransition, match="next allowed: received"):
        record_scan(session, admin, parcel, Status.DELIVERED)
    assert parcel.status == "registered"


def test_hand_over_needs_the_right_pickup_code(session: Session, admin: User):
    """A wrong pickup code is refused; the parcel stays waiting."""
    parcel = new_parcel(session, admin)
    to_point(session, admin, parcel)
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    with pytest.raises(WrongPickupCode):
        record_scan(
            session,
            admin,
            parcel,
            Status.DELIVERED,
            pickup_code=wrong,
            consent="picked_up",
        )
    assert parcel.status == "arrived"


def test_hand_over_records_consent(session: Session, admin: User):
    """Handing over without saying how the villager consented is refused."""
    parcel = new_parcel(session, admin)
    to_point(session, admin, parcel)
    with pytest.raises(InvalidInput, match="consent"):
        record_scan(
            session, admin, parcel, Status.DELIVERED, pickup_code=parcel.pickup_code
        )


def test_pickup_codes_unique_among_waiting_parcels(session: Session, admin: User):
    """Parcels waiting at one point never share a pickup code."""
    waybills = [f"7361055558{n:04d}" for n in range(30)]
    parcels = [new_parcel(session, admin, w) for w in waybills]
    for parcel in parcels:
        to_point(session, admin, parcel)
    codes = [p.pickup_code for p in parcels]
    assert len(set(codes)) == len(codes)


def test_unresolved_parcel_cannot_be_sorted(session: Session, admin: User):
    """Sorting needs a service point; an unresolved parcel must be assigned first."""
    parcel = new_parcel(session, admin, address="铜鼓县某某地方")
    record_scan(session, admin, parcel, Status.RECEIVED)
    with pytest.raises(InvalidInput, match="assign"):
        record_scan(session, admin, parcel, Status.SORTED)


def test_point_operator_scans_only_its_own_point(
    session: Session, admin: User, point_operator: User
):
    """An operator cannot touch another point's parcel, nor take centre steps."""
    parcel = new_parcel(session, admin)
    assert parcel.service_point_id != point_operator.service_point_id
    to_point(session, admin, parcel)
    with pytest.raises(Forbidden):
        record_scan(session, point_operator, parcel, Status.RETURNED)


def test_analyst_cannot_scan(session: Session, admin: User, analyst: User):
    """The bureau analyst reads but changes nothing."""
    parcel = new_parcel(session, admin)
    with pytest.raises(Forbidden):
        record_scan(session, analyst, parcel, Status.RECEIVED)


def test_history_cannot_be_rewritten(session: Session, admin: User):
    """The database refuses to update or delete a parcel event."""
    parcel = new_parcel(session, admin)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(
            update(ParcelEvent)
            .where(ParcelEvent.parcel_id == parcel.id)
            .values(kind="forged")
        )


ALL = list(Status)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.sampled_from(ALL), max_size=8))
def test_any_sequence_of_scans_follows_the_machine(
    session: Session, admin: User, steps: list[Status]
):
    """Random scans: legal ones move the parcel, illegal ones change nothing."""
    with session.begin_nested() as savepoint:
        parcel = new_parcel(session, admin)
        expected = Status.REGISTERED
        for target in steps:
            legal = target in TRANSITIONS[Direction.INBOUND][expected]
            try:
                record_scan(
                    session,
                    admin,
                    parcel,
                    target,
                    pickup_code=parcel.pickup_code,
                    consent="picked_up",
                )
            except IllegalTransition:
                assert not legal
            else:
                assert legal
                expected = target
            assert parcel.status == expected
        events = session.scalars(
            select(ParcelEvent.to_status)
            .where(ParcelEvent.parcel_id == parcel.id)
            .order_by(ParcelEvent.id)
        ).all()
        assert events[-1] == expected.value
        savepoint.rollback()


def test_outbound_life(session: Session, admin: User, point_operator: User):
    """Farm products: registered at the point → collected → at centre → handed over."""
    out = register_parcel(
        session, point_operator, zto(direction="outbound", address="上海市浦东新区")
    )
    parcel = session.get(Parcel, out.parcel_id)
    for status in (Status.COLLECTED, Status.AT_CENTRE, Status.HANDED_OVER):
        record_scan(session, admin, parcel, status)
    assert parcel.status == "handed_over"
    point = session.get(ServicePoint, point_operator.service_point_id)
    assert parcel.service_point == point


@given(
    minutes=st.integers(min_value=-10 * 24 * 60, max_value=10 * 24 * 60),
    skew=st.integers(min_value=0, max_value=60),
)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_a_steps_time_follows_the_last_step_and_not_the_future(
    session: Session, admin: User, minutes: int, skew: int
):
    """A step's own time is refused before the previous step or beyond the skew."""
    with session.begin_nested() as savepoint:
        parcel = new_parcel(session, admin)
        previous = session.scalar(
            select(ParcelEvent.at).where(ParcelEvent.parcel_id == parcel.id)
        )
        now = dt.datetime.now(dt.UTC)
        at = now + dt.timedelta(minutes=minutes)
        margin = dt.timedelta(seconds=5)  # the clock moves while the test runs
        ahead = dt.timedelta(minutes=skew)
        allowed = previous + margin <= at <= now + ahead - margin
        refused = at < previous - margin or at > now + ahead + margin
        try:
            event = record_scan(
                session, admin, parcel, Status.RECEIVED, at=at, skew=ahead
            )
        except InvalidInput as error:
            assert not allowed, error
            assert parcel.status == Status.REGISTERED  # nothing written
        else:
            assert not refused
            assert event.at == at
        savepoint.rollback()
