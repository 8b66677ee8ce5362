"""Today's run to a point; a parcel received at the centre with its point and run."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, IllegalTransition, NotFound
from countyhub.platform.models import Parcel, ParcelEvent, ServicePoint, User
from countyhub.platform.plans.results import publish_plan
from countyhub.platform.plans.today import local_today, receive_parcel, todays_run
from tests.platform.parcels.test_scans import new_parcel
from tests.platform.plans.test_results import CHENGNAN, HUCUN, make_plan

DAY = dt.date(2026, 5, 4)
# Hucun is the second stop of VAN-1 in the test plan; Chengnan the first of TRI-1.
LAYOUT = {"VAN-1": [(CHENGNAN, [], []), (HUCUN, [], [])]}
OTHER = {"TRI-1": [(HUCUN, [], [])]}


def point(session: Session, code: str) -> ServicePoint:
    return session.scalar(select(ServicePoint).where(ServicePoint.code == code))


def test_the_draft_plans_run_stopping_at_the_point(
    session: Session, admin: User, dispatcher: User
):
    """The vehicle whose run stops there, the stop's place and time, the draft."""
    plan = make_plan(session, admin, DAY, LAYOUT)
    plan.runs[0].stops[1].arrival_seconds = 5400
    run = todays_run(session, dispatcher, point(session, HUCUN).id, day=DAY)
    assert run is not None
    assert (run.vehicle, run.stop, run.plan_state) == ("VAN-1", 2, "draft")
    assert run.arrival == "09:30"  # the plan leaves at 08:00


def test_the_published_plans_run(session: Session, admin: User, dispatcher: User):
    """Once the day's plan is published, its run is the answer."""
    make_plan(session, admin, DAY, OTHER)
    publish_plan(session, dispatcher, DAY)
    run = todays_run(session, dispatcher, point(session, HUCUN).id, day=DAY)
    assert run is not None and (run.vehicle, run.plan_state) == ("TRI-1", "published")


def test_no_run_on_another_day_or_to_another_point(
    session: Session, admin: User, dispatcher: User
):
    """None for a day without a plan and for a point no run stops at."""
    make_plan(session, admin, DAY, OTHER)
    hucun = point(session, HUCUN).id
    assert todays_run(session, dispatcher, hucun, day=DAY + dt.timedelta(1)) is None
    assert todays_run(session, dispatcher, point(session, CHENGNAN).id, day=DAY) is None


def test_a_done_plans_runs_take_nothing_more(
    session: Session, admin: User, dispatcher: User
):
    """The runs of a done plan are back: no run."""
    plan = make_plan(session, admin, DAY, OTHER)
    plan.status = "done"
    assert todays_run(session, dispatcher, point(session, HUCUN).id, day=DAY) is None


def test_only_plan_readers_ask(session: Session, point_operator: User):
    """A point operator does not read plans: Forbidden."""
    with pytest.raises(Forbidden):
        todays_run(session, point_operator, point(session, HUCUN).id)


def test_a_parcel_received_with_its_point_and_todays_run(
    session: Session, admin: User, dispatcher: User
):
    """The arrival is recorded; the answer names the point and today's vehicle."""
    make_plan(session, admin, local_today(), OTHER)
    parcel = new_parcel(session, admin)  # resolves to Hucun
    arrival = receive_parcel(session, dispatcher, parcel.waybill_no.lower())
    assert parcel.status == "received" and arrival.status == "received"
    assert arrival.service_point.startswith(HUCUN)
    assert arrival.run is not None and arrival.run.vehicle == "TRI-1"
    event = session.scalar(
        select(ParcelEvent).where(
            ParcelEvent.parcel_id == parcel.id, ParcelEvent.to_status == "received"
        )
    )
    assert event is not None and event.actor_id == dispatcher.id


def test_a_parcel_received_without_a_run_today(
    session: Session, admin: User, dispatcher: User
):
    """No plan today: received, its point named, no run."""
    parcel = new_parcel(session, admin)
    arrival = receive_parcel(session, dispatcher, parcel.waybill_no)
    assert arrival.run is None and arrival.service_point.startswith(HUCUN)


def test_an_unresolved_parcel_is_received_without_a_point(
    session: Session, admin: User, dispatcher: User
):
    """It has arrived, so the arrival counts; the answer has no point to name."""
    parcel = new_parcel(session, admin, address="铜鼓县某某地方")
    arrival = receive_parcel(session, dispatcher, parcel.waybill_no)
    assert (arrival.service_point, arrival.run, parcel.status) == ("", None, "received")


def test_unknown_and_twice_received_are_refused(
    session: Session, admin: User, dispatcher: User
):
    """An unknown number: NotFound; a second scan: IllegalTransition, naming the
    status the parcel is in."""
    parcel = new_parcel(session, admin)
    with pytest.raises(NotFound):
        receive_parcel(session, dispatcher, "73610555589999")
    receive_parcel(session, dispatcher, parcel.waybill_no)
    with pytest.raises(IllegalTransition) as refused:
        receive_parcel(session, dispatcher, parcel.waybill_no)
    assert refused.value.current == "received"


def test_a_point_operator_receives_nothing(
    session: Session, admin: User, point_operator: User
):
    """The centre's step is refused before anything changes."""
    parcel = new_parcel(session, admin)
    with pytest.raises(Forbidden):
        receive_parcel(session, point_operator, parcel.waybill_no)
    assert session.get(Parcel, parcel.id).status == "registered"
