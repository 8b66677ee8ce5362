"""The demo's history: day by day, in order, in working hours, deterministic."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.demo.clock import HOURS
from countyhub.platform.demo.history import first_day
from countyhub.platform.models import (
    Parcel,
    ParcelEvent,
    Plan,
    PointVisit,
    ServicePoint,
)
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.states import PlanState
from tests.platform.demo.conftest import FIRST, NOW

TODAY = NOW.date()
INTAKE_STEPS = ("registered", "received", "returned", "sorted")


def events(session: Session) -> list[tuple[Parcel, ParcelEvent]]:
    return list(
        session.execute(
            select(Parcel, ParcelEvent)
            .join(ParcelEvent, ParcelEvent.parcel_id == Parcel.id)
            .order_by(Parcel.waybill_no, ParcelEvent.id)
        )
    )


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL_TZ)


def test_the_history_begins_on_the_first_of_last_month():
    """From any day of a month, the history starts on the 1st of the month before."""
    assert first_day(NOW) == dt.date(2026, 2, 1)
    january = dt.datetime(2026, 1, 31, 23, 30, tzinfo=LOCAL_TZ)
    assert first_day(january) == dt.date(2025, 12, 1)
    utc_evening = dt.datetime(2026, 2, 28, 17, tzinfo=dt.UTC)  # 1 March in Tonggu
    assert first_day(utc_evening) == dt.date(2026, 2, 1)


def test_every_past_day_is_planned_run_and_done(demo: Session):
    """Each day from the first to yesterday has a done plan; today has none."""
    plans = dict(demo.execute(select(Plan.day, Plan.status)).all())
    days = [FIRST + dt.timedelta(days=i) for i in range((TODAY - FIRST).days)]
    assert plans == dict.fromkeys(days, PlanState.DONE)


def test_parcels_come_in_every_day_and_today(demo: Session):
    """Parcels are received on every day of the history, today included."""
    received = {
        local(e.at).date() for _, e in events(demo) if e.to_status == "received"
    }
    assert received == {FIRST + dt.timedelta(days=i) for i in range(5)}


def test_each_parcels_events_are_in_time_order_and_never_ahead(demo: Session):
    """A parcel's steps follow one another in time, and none is after now."""
    last: dict[int, dt.datetime] = {}
    for parcel, event in events(demo):
        assert event.at <= NOW
        assert event.at >= last.get(parcel.id, event.at), parcel.waybill_no
        last[parcel.id] = event.at


def test_every_step_happens_in_its_working_hours(demo: Session):
    """Registered 09–22, received 05–06:30, loaded 07:30–08:00, delivered 08–20…"""
    for parcel, event in events(demo):
        start, end = HOURS[Status(event.to_status)]
        assert start <= local(event.at).time() <= end, (
            parcel.waybill_no,
            event.to_status,
            local(event.at),
        )


def test_no_parcel_reaches_a_point_before_its_run_leaves(demo: Session):
    """Arrival and collection come after the plan's departure of that day."""
    departures = {
        plan.day: dt.datetime.combine(plan.day, plan.departure, LOCAL_TZ)
        for plan in demo.scalars(select(Plan))
    }
    seen = 0
    for _, event in events(demo):
        if event.to_status in ("loaded", "arrived", "collected"):
            day = dt.date.fromisoformat(event.details["plan"])
            leaves = departures[day]
            if event.to_status == "loaded":
                assert leaves - dt.timedelta(minutes=30) <= event.at <= leaves
            else:
                assert event.at >= leaves and local(event.at).date() == day
            seen += 1
    assert seen


def test_todays_parcels_are_not_loaded(demo: Session):
    """Today's parcels are sorted at most: today's plan is the dispatcher's."""
    for parcel, event in events(demo):
        eve = local(parcel.registered_at).date() == TODAY - dt.timedelta(days=1)
        if eve and parcel.direction == "inbound":
            assert event.to_status in INTAKE_STEPS


def test_delivered_parcels_carry_consent(demo: Session):
    """Every hand-over records the villager's consent; most parcels are delivered."""
    delivered = [e for _, e in events(demo) if e.to_status == "delivered"]
    assert len(delivered) > 20
    assert all(e.details["consent"] for e in delivered)


def test_active_points_are_visited_every_other_day(demo: Session):
    """Each active point is visited within its cadence from the first day on."""
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for point, day in demo.execute(
        select(PointVisit.service_point_id, PointVisit.visited_on).order_by(
            PointVisit.visited_on
        )
    ):
        visits[point].append(day)
    points = demo.scalars(select(ServicePoint).where(ServicePoint.active)).all()
    assert points
    for point in points:
        days = [FIRST - dt.timedelta(days=1), *visits[point.id], TODAY]
        gaps = [(b - a).days for a, b in pairwise(days)]
        assert max(gaps) <= point.cadence_days, point.code


def test_outbound_parcels_carry_a_category_and_reach_their_courier(demo: Session):
    """Farm products are registered with a category and mostly handed over."""
    outbound = demo.scalars(select(Parcel).where(Parcel.direction == "outbound")).all()
    assert outbound and all(p.category for p in outbound)
    assert any(p.status == "handed_over" for p in outbound)


def test_a_plan_is_made_then_published_then_done_that_day(demo: Session):
    """Made before 07:30, published as loading begins, done after its stops."""
    for plan in demo.scalars(select(Plan)):
        leaves = dt.datetime.combine(plan.day, plan.departure, LOCAL_TZ)
        assert plan.made_at < plan.published_at < leaves < plan.done_at
        assert local(plan.done_at).date() == plan.day
