"""A past day of the demo: its plan made, loaded, run and recorded, then the
villagers' hand-overs and the couriers' pick-ups.

The plan is made by :func:`~countyhub.platform.plans.plan.make_plan` and its
results recorded stop by stop by
:func:`~countyhub.platform.plans.results.record_results`, each at the stop's
planned arrival.  Loading is the one step taken here rather than by
:func:`~countyhub.platform.plans.results.publish_plan`: that records the loading
now, and a past day's parcels were loaded that morning; so each drop parcel is
scanned ``loaded`` at its time with the context publishing gives, and the plan
marked published.  The plan's own times (made, published, recorded, done) are
set to the day's too.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.demo.clock import between, later
from countyhub.platform.models import Parcel, Plan, PlanStop, PointVisit, User
from countyhub.platform.parcels.scans import CONSENT, record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.plan import make_plan
from countyhub.platform.plans.results import record_results
from countyhub.platform.plans.results_file import StopResult
from countyhub.platform.plans.states import PlanState

NOT_DELIVERED = 0.02  # drop parcels that came back on the van (damaged, refused)
NOT_COLLECTED = 0.03  # outbound parcels not ready when the run came
RETURNED = 0.03  # parcels never picked up at the point, returned to the courier
CONSENT_WEIGHTS = (85, 12, 3)  # picked up in person, at the station, agreed method


def run_day(
    session: Session,
    actor: User,
    day: dt.date,
    *,
    seed: int,
    now: dt.datetime,
    seconds: float,
) -> Plan:
    """Plan ``day``, load and run it, record every stop, and take each parcel
    that reached a point or the centre on to its next steps (none after
    ``now``).  Raises what the services raise."""
    rng = random.Random(f"{seed}:{day.isoformat()}:runs")
    plan = make_plan(session, actor, day, seconds=seconds, seed=seed)
    leave = dt.datetime.combine(day, plan.departure, LOCAL_TZ).astimezone(dt.UTC)
    plan.made_at = between(rng, day, 7, 7.25)  # before it is published, 07:30
    _load(session, actor, rng, plan, leave)
    arrived, collected = [], []
    stops = _record_stops(session, actor, rng, plan, leave)
    for stop, when in stops:
        for item in stop.parcels:
            parcel = item.parcel
            if parcel.status == Status.ARRIVED:
                arrived.append((parcel, when))
            elif parcel.status == Status.AT_CENTRE:
                collected.append((parcel, when))
    if not stops:  # nothing to record: done as published
        plan.status = PlanState.DONE
    plan.done_at = max(when for _, when in stops) if stops else leave
    _visits_recorded(session, plan, plan.done_at)
    for parcel, when in arrived:
        _hand_over_or_return(session, actor, parcel, when, seed=seed, now=now)
    for parcel, when in collected:
        _to_courier(session, actor, rng, parcel, when, now)
    return plan


def _load(
    session: Session,
    actor: User,
    rng: random.Random,
    plan: Plan,
    leave: dt.datetime,
) -> None:
    """Each run's drop parcels loaded from 07:30 until it leaves; the plan
    published as loading begins."""
    plan.status, plan.published_by_id = PlanState.PUBLISHED, actor.id
    plan.published_at = leave - dt.timedelta(minutes=30)
    for run in plan.runs:
        context = {"plan": plan.day.isoformat(), "vehicle": run.vehicle.code}
        loaded = leave - dt.timedelta(minutes=rng.randint(20, 30))
        for stop in sorted(run.stops, key=lambda s: -s.position):  # last stop first
            for item in (i for i in stop.parcels if i.action == "drop"):
                loaded = min(loaded + dt.timedelta(seconds=20), leave)
                record_scan(
                    session, actor, item.parcel, Status.LOADED, at=loaded,
                    context=context,
                )  # fmt: skip


def _record_stops(
    session: Session,
    actor: User,
    rng: random.Random,
    plan: Plan,
    leave: dt.datetime,
) -> list[tuple[PlanStop, dt.datetime]]:
    """Every stop's results, each at its planned arrival, in the order of
    arrival; returns the stops and their times.  The stops with no parcel
    (a visit the cadence asks for) write no parcel event, so they are recorded
    in one call: recording takes a while per call."""
    stops = [
        (stop, leave + dt.timedelta(seconds=stop.arrival_seconds))
        for run in plan.runs
        for stop in run.stops
    ]
    stops.sort(key=lambda found: (found[1], found[0].run_id, found[0].position))
    empty = [_result(rng, stop) for stop, _ in stops if not stop.parcels]
    if empty:
        record_results(session, actor, plan.day, empty, at=leave)
    for stop, when in stops:
        if stop.parcels:
            record_results(session, actor, plan.day, [_result(rng, stop)], at=when)
        stop.recorded_at = when
    return stops


def _result(rng: random.Random, stop: PlanStop) -> StopResult:
    """The stop visited, a few of its parcels not delivered or not collected."""
    missed: dict[str, list[str]] = {"drop": [], "collect": []}
    for item in stop.parcels:
        share = NOT_DELIVERED if item.action == "drop" else NOT_COLLECTED
        if rng.random() < share:
            missed[item.action].append(item.parcel.waybill_no)
    return StopResult(
        stop.run.vehicle.code,
        stop.service_point.code,
        True,
        tuple(missed["drop"]),
        tuple(missed["collect"]),
    )


def _visits_recorded(session: Session, plan: Plan, done: dt.datetime) -> None:
    """The visit log's entries of the plan, recorded when the plan was done."""
    visits = session.scalars(select(PointVisit).where(PointVisit.plan_id == plan.id))
    for visit in visits:
        visit.recorded_at = done


def _hand_over_or_return(
    session: Session,
    actor: User,
    parcel: Parcel,
    arrived: dt.datetime,
    *,
    seed: int,
    now: dt.datetime,
) -> None:
    """Picked up by the villager that day or the next, with consent on file;
    a few never picked up, returned to the courier after three days."""
    rng = random.Random(f"{seed}:{parcel.waybill_no}:handover")
    if rng.random() < RETURNED:
        day = arrived.astimezone(LOCAL_TZ).date() + dt.timedelta(days=3)
        when, status = between(rng, day, 9, 16), Status.RETURNED
    else:
        when, status = later(rng, arrived, 8, 20), Status.DELIVERED
    if when > now:
        return
    consent = rng.choices(CONSENT, CONSENT_WEIGHTS)[0]
    record_scan(
        session, actor, parcel, status, at=when,
        pickup_code=parcel.pickup_code if status is Status.DELIVERED else None,
        consent=consent if status is Status.DELIVERED else None,
    )  # fmt: skip


def _to_courier(
    session: Session,
    actor: User,
    rng: random.Random,
    parcel: Parcel,
    collected: dt.datetime,
    now: dt.datetime,
) -> None:
    """Farm products brought to the centre go to their courier that evening."""
    day = collected.astimezone(LOCAL_TZ).date()
    when = max(between(rng, day, 17.5, 18.75), collected + dt.timedelta(minutes=15))
    if when <= now:
        record_scan(session, actor, parcel, Status.HANDED_OVER, at=when)
