"""The day's plan: made by the planner from what the platform knows, kept as a draft.

:func:`make_plan` reads the day (:mod:`countyhub.platform.plans.inputs`), runs
:func:`countyhub.routing.plan_day` and saves its runs, their stops and the
parcels to drop or collect at each, and every point or parcel left for another
day with its reason.  A draft is planned again in place (its runs replaced; the
pins belong to the day and stay); a published or done plan is locked.
Publishing and recording the runs' results is :mod:`countyhub.platform.plans.results`.

The search takes seconds: an entry point that serves others meanwhile takes the
three steps one by one — :func:`prepare_plan` (read, short), :func:`solve_plan`
(no database), :func:`save_plan` (write, short) — and ends its transaction after
the first, so that nobody waits on the planner (on SQLite a transaction holds
the one write lock).  The day's first plan after the points or their cadences
changed needs a new cycle too: it is searched in :func:`solve_plan`, before the
day, and stored by :func:`save_plan` with the plan.  Dispatchers and admins
make plans; they and analysts read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.config import Settings
from countyhub.platform.db import utcnow
from countyhub.platform.errors import (
    InvalidInput,
    NotFound,
    PlanBusy,
    PlanLocked,
)
from countyhub.platform.models import (
    Parcel,
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    ServicePoint,
    User,
)
from countyhub.platform.plans.inputs import PlanInputs, day_inputs, day_problem
from countyhub.platform.plans.states import PlanState
from countyhub.platform.plans.stored_cycle import CycleDays, solve_cycle, store_cycle
from countyhub.routing import (
    Cycle,
    DailyPlan,
    PlannedRun,
    PlannedStop,
    Unserved,
    plan_day,
)

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # days planned


def check_planner(actor: User, what: str = "makes and changes plans") -> None:
    """Raise Forbidden unless ``actor`` may make or change plans and pins;
    ``what`` completes the message."""
    require(actor, Permission.MAKE_PLANS, f"only a dispatcher or an admin {what}")


def check_reader(actor: User) -> None:
    """Raise Forbidden unless ``actor`` may read plans and pins."""
    require(
        actor, Permission.READ_PLANS, "only dispatchers, admins and analysts see plans"
    )


def check_unlocked(session: Session, day: dt.date) -> Plan | None:
    """The day's plan, if any; raise PlanLocked when it is published or done."""
    plan = session.scalar(select(Plan).where(Plan.day == day).with_for_update())
    if plan is not None and plan.status != PlanState.DRAFT:
        raise PlanLocked(day, plan.status)
    return plan


@dataclass(frozen=True)
class PlanJob:
    """A day read and ready to plan: plain data, so the search can run with no
    database transaction open (:func:`solve_plan`); ``inputs.new_cycle`` is the
    cycle to make first, if any."""

    day: dt.date
    seconds: float
    seed: int
    departure: dt.time
    inputs: PlanInputs


@dataclass(frozen=True)
class PlanFound:
    """What :func:`solve_plan` found: the day's runs, and the new cycle they
    follow when the job had to make one (stored by :func:`save_plan`)."""

    daily: DailyPlan
    new_cycle: Cycle | None = None


def make_plan(
    session: Session,
    actor: User,
    day: dt.date,
    *,
    seconds: float | None = None,
    seed: int = 1,
    settings: Settings | None = None,
) -> Plan:
    """Plan ``day`` (again, for a draft) and save it as a draft; flushed.

    One transaction throughout; an entry point that serves others meanwhile
    runs the three steps itself and ends the transaction after the first
    (:func:`prepare_plan`, :func:`solve_plan`, :func:`save_plan`).
    Raises what those raise.
    """
    job = prepare_plan(
        session, actor, day, seconds=seconds, seed=seed, settings=settings
    )
    return save_plan(session, actor, job, solve_plan(job))


def prepare_plan(
    session: Session,
    actor: User,
    day: dt.date,
    *,
    seconds: float | None = None,
    seed: int = 1,
    settings: Settings | None = None,
) -> PlanJob:
    """Read ``day`` for the planner; writes nothing, searches nothing (when no
    cycle fits, the job carries the making of a new one).

    ``seconds`` defaults to the settings' ``plan_seconds``.  Raises Forbidden,
    PlanLocked, InvalidInput.
    """
    check_planner(actor)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"cannot plan {day}: plan a day from {FIRST_DAY} to {LAST_DAY}",
            {"day": "out of range"},
        )
    settings = settings or Settings.from_env()
    seconds = settings.plan_seconds if seconds is None else seconds
    if not seconds > 0:
        raise InvalidInput("seconds must be positive", {"seconds": "not positive"})
    check_unlocked(session, day)
    inputs = day_inputs(session, day, seconds=seconds, seed=seed, settings=settings)
    return PlanJob(day, seconds, seed, settings.plan_departure, inputs)


def solve_plan(job: PlanJob) -> PlanFound:
    """Search the new cycle, if the job needs one, then the day's runs by the
    cycle: no database.  Raises InvalidInput."""
    cycle, new_cycle = job.inputs.cycle, None
    if job.inputs.new_cycle is not None:
        new_cycle = solve_cycle(job.inputs.new_cycle)
        cycle = CycleDays.found(job.inputs.new_cycle, new_cycle)
    problem = day_problem(job.inputs.facts, cycle)
    try:
        daily = plan_day(problem, seconds=job.inputs.solve_seconds, seed=job.seed)
    except ValueError as error:
        raise InvalidInput(f"the day cannot be planned: {error}") from error
    return PlanFound(daily, new_cycle)


def save_plan(session: Session, actor: User, job: PlanJob, found: PlanFound) -> Plan:
    """Save ``found`` as the day's draft (its runs replaced), with its new cycle if
    it made one; flushed.

    The new cycle is stored even when another request stored one meanwhile (a
    plan of another day, or the cycle made on demand), and is then the latest:
    the plan must name the cycle its runs were searched by, and the next plans
    follow the same; to follow another, make the cycle again.  Raises
    Forbidden, PlanLocked (published meanwhile), and PlanBusy when another
    request made the day's first plan while this one was planning.
    """
    check_planner(actor)
    plan = check_unlocked(session, job.day)
    cycle_id = _cycle_id(session, actor, job, found)
    fresh = plan is None
    if plan is None:
        plan = Plan(day=job.day, status=PlanState.DRAFT)
    else:
        plan.runs.clear()
        session.flush()  # the old runs go before the new take their places
    _fill(session, plan, found.daily, seconds=job.seconds, seed=job.seed)
    plan.cycle_id, plan.departure = cycle_id, job.departure
    plan.made_at, plan.made_by_id = utcnow(), actor.id
    if not fresh:
        session.flush()
        return plan
    try:  # another request may have made the day's first plan meanwhile
        with session.begin_nested():
            session.add(plan)
            session.flush()
    except IntegrityError as error:
        raise PlanBusy(job.day) from error
    return plan


def _cycle_id(
    session: Session, actor: User, job: PlanJob, found: PlanFound
) -> int | None:
    """The id of the cycle the plan follows: the new one, stored now, or the one
    read."""
    made, read = job.inputs.new_cycle, job.inputs.cycle
    if made is not None and found.new_cycle is not None:
        return store_cycle(session, actor, made, found.new_cycle).id
    return read.cycle_id if read is not None else None


def _fill(
    session: Session, plan: Plan, result: DailyPlan, *, seconds: float, seed: int
) -> None:
    plan.method, plan.seconds, plan.seed = result.method, seconds, seed
    plan.objective, plan.distance_m = int(result.objective), int(result.distance_m)
    plan.runtime, plan.feasible = float(result.runtime), bool(result.feasible)
    plan.required = [int(p) for p in result.required]
    plan.unserved = _unserved(session, result.unserved)
    plan.runs = [_run(position, run) for position, run in enumerate(result.runs, 1)]


def _run(position: int, run: PlannedRun) -> PlanRun:
    return PlanRun(
        position=position,
        vehicle_id=int(run.vehicle_id),
        distance_m=run.distance_m,
        duration_s=run.duration_s,
        load_parcels=run.load_parcels,
        load_kg=run.load_kg,
        pinned=run.pinned,
        violations=list(run.violations),
        stops=[_stop(index, stop) for index, stop in enumerate(run.stops, 1)],
    )


def _stop(position: int, stop: PlannedStop) -> PlanStop:
    parcels = [PlanStopParcel(parcel_id=int(p), action="drop") for p in stop.drop]
    parcels += [
        PlanStopParcel(parcel_id=int(p), action="collect") for p in stop.collect
    ]
    return PlanStop(
        position=position,
        service_point_id=int(stop.point_id),
        arrival_seconds=stop.arrival_seconds,
        load_parcels=stop.load_parcels,
        load_kg=stop.load_kg,
        required=stop.required,
        reasons=list(stop.reasons),
        pinned=stop.pinned,
        parcels=parcels,
    )


def _unserved(session: Session, left: tuple[Unserved, ...]) -> list[dict[str, Any]]:
    """What is left for another day, as JSON; with codes, names and waybills so
    that the plan reads without looking them up."""
    points = {int(u.point_id) for u in left}
    parcels = {int(p) for u in left for p in u.parcel_ids}
    names = {
        p.id: (p.code, p.name)
        for p in session.scalars(
            select(ServicePoint).where(ServicePoint.id.in_(points))
        )
    }
    waybills: dict[int, str] = {
        parcel_id: waybill
        for parcel_id, waybill in session.execute(
            select(Parcel.id, Parcel.waybill_no).where(Parcel.id.in_(parcels))
        )
    }
    return [
        {
            "point_id": int(u.point_id),
            "point": names[int(u.point_id)][0],
            "name": names[int(u.point_id)][1],
            "reason": str(u.reason),
            "parcel_ids": [int(p) for p in u.parcel_ids],
            "waybills": [waybills[int(p)] for p in u.parcel_ids],
            "deadline": u.deadline.isoformat() if u.deadline else None,
            "late": bool(u.late),
        }
        for u in left
    ]


def get_plan(session: Session, actor: User, day: dt.date) -> Plan:
    """The plan of ``day``, its runs, stops and parcels loaded.  Raises NotFound,
    Forbidden."""
    check_reader(actor)
    plan = session.scalar(whole_plan(day))
    if plan is None:
        raise NotFound("plan", day)
    return plan


def find_plan(session: Session, actor: User, day: dt.date) -> Plan | None:
    """The plan of ``day`` as :func:`get_plan` gives it, or None when the day has
    none yet.  Raises Forbidden."""
    check_reader(actor)
    return session.scalar(whole_plan(day))


def whole_plan(day: dt.date) -> Select[Plan]:
    """The query of ``day``'s plan with its runs, vehicles, stops, points and
    stop parcels loaded."""
    stops = selectinload(Plan.runs).selectinload(PlanRun.stops)
    return (
        select(Plan)
        .where(Plan.day == day)
        .options(
            selectinload(Plan.runs).selectinload(PlanRun.vehicle),
            stops.selectinload(PlanStop.service_point),
            stops.selectinload(PlanStop.parcels).selectinload(PlanStopParcel.parcel),
        )
    )


def plans_query(actor: User, *, status: str | None = None) -> Select[Any]:
    """The plans, newest day first; only those of ``status`` if given.  Raises
    Forbidden, InvalidInput (an unknown status)."""
    check_reader(actor)
    query = select(Plan).options(selectinload(Plan.runs)).order_by(Plan.day.desc())
    if status is None:
        return query
    if status not in set(PlanState):
        raise InvalidInput(
            f"a plan's status is one of {', '.join(PlanState)}, not {status!r}",
            {"status": "unknown"},
        )
    return query.where(Plan.status == status)
