"""Today's run to a service point, and the answer to a parcel scanned in at the centre.

The sorting centre sorts each parcel that arrives to the vehicle that will take
it to its point today: the run of the day's plan that stops there — of the plan
once it is published, else of its draft (a day has one plan; a done plan's runs
are back, so nothing more rides on them).  :func:`receive_parcel` records the
arrival as the API's scan with ``to: received`` does (the courier found from the
number when none is named) and answers with the parcel's point and that run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.models import Plan, PlanRun, PlanStop, User
from countyhub.platform.parcels.registry import find_parcel
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.plan import check_reader
from countyhub.platform.plans.schemas import clock
from countyhub.platform.plans.states import PlanState

RIDING = (PlanState.PUBLISHED, PlanState.DRAFT)  # plans whose runs are still to go


@dataclass(frozen=True, slots=True)
class TodaysRun:
    """The run that takes parcels to a point on a day."""

    day: dt.date
    plan_state: str  # PlanState: draft or published
    vehicle: str  # the vehicle's code
    vehicle_name: str
    stop: int  # the point's place among the run's stops, from 1
    arrival: str  # local time HH:MM (+1 on a later day), as the plan shows it


@dataclass(frozen=True, slots=True)
class Arrival:
    """A parcel received at the centre: where it goes and what takes it there."""

    waybill: str
    courier: str  # the courier's name
    status: str  # after the scan: received
    service_point: str  # "code name"; "" when its address found no point
    run: TodaysRun | None  # None: no point, or no run to it today


def local_today() -> dt.date:
    """Today's date in Asia/Shanghai."""
    return dt.datetime.now(LOCAL_TZ).date()


def todays_run(
    session: Session, actor: User, point_id: int, *, day: dt.date | None = None
) -> TodaysRun | None:
    """The run of ``day``'s plan (default: today) that stops at the point, or
    None.  Raises Forbidden."""
    check_reader(actor)
    day = day or local_today()
    query = (
        select(PlanStop, PlanRun, Plan)
        .join(PlanRun, PlanStop.run_id == PlanRun.id)
        .join(Plan, PlanRun.plan_id == Plan.id)
        .where(
            Plan.day == day,
            Plan.status.in_([state.value for state in RIDING]),
            PlanStop.service_point_id == point_id,
        )
        .options(joinedload(PlanRun.vehicle))
        .order_by(PlanRun.position, PlanStop.position)
        .limit(1)
    )
    found = session.execute(query).first()
    if found is None:
        return None
    stop, run, plan = found
    return TodaysRun(
        day=day,
        plan_state=plan.status,
        vehicle=run.vehicle.code,
        vehicle_name=run.vehicle.name,
        stop=stop.position + 1,
        arrival=clock(plan.departure, stop.arrival_seconds),
    )


def receive_parcel(
    session: Session,
    actor: User,
    waybill: str,
    *,
    courier: str | None = None,
    day: dt.date | None = None,
) -> Arrival:
    """Record the parcel's arrival at the centre; its point and ``day``'s run to it
    (default: today); flushed.

    Raises NotFound (no such waybill in the actor's view), InvalidInput (several
    couriers share the number and none is named), IllegalTransition (received
    already, or further on), Forbidden — before anything is changed.
    """
    check_reader(actor)  # the answer names the run: refused before the step
    parcel = find_parcel(session, actor, waybill, courier)
    event = record_scan(session, actor, parcel, Status.RECEIVED)
    point = parcel.service_point
    run = None
    if point is not None:
        run = todays_run(session, actor, point.id, day=day)
    return Arrival(
        waybill=parcel.waybill_no,
        courier=parcel.courier.name,
        status=event.to_status or Status.RECEIVED.value,
        service_point=f"{point.code} {point.name}" if point else "",
        run=run,
    )
