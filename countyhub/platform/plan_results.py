"""A day's plan after it is made: published (its parcels loaded), then its results.

Publishing a draft moves every parcel to drop from ``sorted`` to ``loaded`` on its
run's vehicle. After the runs the dispatcher records, stop by stop, whether the
run got there, which drop parcels did not reach the point and which outbound
parcels were not taken (:func:`read_results` reads that from a file filled in from
:func:`results_sheet`). Recording writes the parcel events through
:func:`countyhub.platform.scans.record_scan`, the visit log (:class:`PointVisit`),
from which the next day's required points follow, and each stop parcel's
outcome; when every stop is recorded the plan is done. Both steps check
everything before writing anything, and write inside a savepoint: all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.couriers import normalize_waybill
from countyhub.platform._plan_results_read import (
    StopResult,
    read_results,
    results_sheet,
)
from countyhub.platform.db import utcnow
from countyhub.platform.errors import InvalidInput, NotFound, PlanLocked
from countyhub.platform.model import (
    Parcel,
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    PointVisit,
    User,
)
from countyhub.platform.plans import check_planner, whole_plan
from countyhub.platform.scans import record_scan
from countyhub.platform.statuses import Status

__all__ = [
    "RecordSummary",
    "StopResult",
    "publish_plan",
    "read_results",
    "record_results",
    "results_sheet",
]


S = Status
# The steps that bring a stop parcel from its status to the outcome recorded.  A
# status missing here contradicts the outcome (say, an operator scanned arrival
# of a parcel recorded as not delivered).  A parcel already at the outcome's
# place (scanned there by someone else) needs none.
STEPS: dict[str, dict[Status, tuple[Status, ...]]] = {
    "delivered": {S.LOADED: (S.ARRIVED,), S.ARRIVED: (), S.DELIVERED: (),
                  S.RETURNED: ()},
    "not_delivered": {S.LOADED: (S.SORTED,), S.SORTED: (), S.RETURNED: ()},
    "collected": {S.REGISTERED: (S.COLLECTED, S.AT_CENTRE),
                  S.COLLECTED: (S.AT_CENTRE,), S.AT_CENTRE: (), S.HANDED_OVER: ()},
    "not_collected": {S.REGISTERED: ()},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What one call of :func:`record_results` recorded."""

    stops: int  # stops recorded
    visits: int  # rows added to the visit log
    delivered: int  # drop parcels that reached their point
    returned_to_centre: int  # drop parcels back at the centre, not delivered
    collected: int  # outbound parcels taken to the centre
    not_collected: int
    done: bool  # every stop of the plan is now recorded


@dataclass(frozen=True, slots=True)
class _StopWork:
    """A checked result: its stop and, per stop parcel, the outcome and steps."""

    run: PlanRun
    stop: PlanStop
    visited: bool
    items: list[tuple[PlanStopParcel, str, tuple[Status, ...]]]


def publish_plan(session: Session, actor: User, day: dt.date) -> Plan:
    """Publish the draft plan of ``day``: its drop parcels are loaded on its runs.

    Raises Forbidden, NotFound, PlanLocked, InvalidInput (a parcel no longer sorted).
    """
    check_planner(actor, "publishes plans")
    plan = _plan(session, day)
    if plan.status != "draft":
        raise PlanLocked(day, plan.status)
    drops = [(r, s, i) for r, s, i in _stop_parcels(plan) if i.action == "drop"]
    moved = _not_as_planned(drops)
    if moved:
        raise InvalidInput(
            f"{len(moved)} parcel(s) of the plan for {day} are no longer sorted for "
            f"their stop (returned, re-routed or scanned since): "
            f"{', '.join(sorted(moved))}. Make the plan again, then publish it.",
            moved,
        )
    with session.begin_nested():
        for run, _, item in drops:
            context = {"plan": day.isoformat(), "vehicle": run.vehicle.code}
            record_scan(session, actor, item.parcel, Status.LOADED, context=context)
        plan.status, plan.published_at = "published", utcnow()
        plan.published_by_id = actor.id
    return plan


def _not_as_planned(
    drops: list[tuple[PlanRun, PlanStop, PlanStopParcel]],
) -> dict[str, str]:
    """The drop parcels that cannot be loaded as planned, and why."""
    found = {}
    for _, stop, item in drops:
        parcel = item.parcel
        if parcel.status != Status.SORTED:
            found[parcel.waybill_no] = f"is {parcel.status}, no longer sorted"
        elif parcel.service_point_id != stop.service_point_id:
            found[parcel.waybill_no] = "goes to another service point now"
    return found


def record_results(
    session: Session,
    actor: User,
    day: dt.date,
    results: Sequence[StopResult],
    *,
    at: dt.datetime | None = None,
) -> RecordSummary:
    """Record what the runs of ``day`` did at the stops named in ``results``.

    ``at`` (aware) is when the parcel events happened; default now.

    Raises Forbidden, NotFound, PlanLocked (done), InvalidInput (a draft plan, an
    unknown or already recorded stop, a waybill not on the stop, a parcel whose
    status contradicts the result).
    """
    check_planner(actor, "records the results of runs")
    if at is not None and at.tzinfo is None:
        raise InvalidInput("give the time of the results with its time zone")
    plan = _plan(session, day)
    if plan.status == "draft":
        raise InvalidInput(
            f"the plan for {day} is a draft: publish it first, then record its results",
            {"plan": "draft"},
        )
    if plan.status != "published":
        raise PlanLocked(day, plan.status)
    if not results:
        raise InvalidInput(
            "no results given: name at least one stop", {"results": "empty"}
        )
    work = _check(plan, results)
    with session.begin_nested():
        return _write(session, actor, plan, work, at)


def _plan(session: Session, day: dt.date) -> Plan:
    """The plan of ``day`` with its runs, stops and parcels, all locked: a
    concurrent publish, record or scan waits for this transaction."""
    plan = session.scalar(whole_plan(day).with_for_update())
    if plan is None:
        raise NotFound("plan", day)
    ids = [item.parcel_id for _, _, item in _stop_parcels(plan)]
    session.scalars(  # the parcels' statuses, read again under a lock
        select(Parcel)
        .where(Parcel.id.in_(ids))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return plan


def _stop_parcels(plan: Plan) -> list[tuple[PlanRun, PlanStop, PlanStopParcel]]:
    runs = plan.runs
    return [(r, s, item) for r in runs for s in r.stops for item in s.parcels]


def _check(plan: Plan, results: Sequence[StopResult]) -> list[_StopWork]:
    """Each result as the work it means; InvalidInput listing every problem."""
    stops = {
        (_code(run.vehicle.code), _code(stop.service_point.code)): (run, stop)
        for run in plan.runs
        for stop in run.stops
    }
    problems: dict[str, str] = {}
    seen: dict[tuple[str, str], str] = {}
    work = []
    for number, result in enumerate(results, 1):
        where = f"row {result.row}" if result.row is not None else f"result {number}"
        key = (_code(result.vehicle), _code(result.point))
        found = stops.get(key)
        if found is None:
            problems[where] = (
                f"vehicle {result.vehicle} has no stop at point {result.point} in "
                f"the plan for {plan.day}"
            )
        elif key in seen:
            problems[where] = f"the same stop as {seen[key]}"
        elif found[1].recorded_at is not None:
            problems[where] = (
                f"the stop of vehicle {result.vehicle} at point {result.point} is "
                "already recorded"
            )
        else:
            seen[key] = where
            work.append(_stop_work(*found, result, where, problems))
    if problems:
        listed = "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise InvalidInput(f"nothing was recorded: {listed}{more}", problems)
    return work


def _code(text: str) -> str:
    return text.strip().upper()


def _stop_work(
    run: PlanRun,
    stop: PlanStop,
    result: StopResult,
    where: str,
    problems: dict[str, str],
) -> _StopWork:
    """The outcome and steps of each parcel of ``stop``; problems added."""
    missed = {
        "drop": {normalize_waybill(w) for w in result.not_delivered} - {""},
        "collect": {normalize_waybill(w) for w in result.not_collected} - {""},
    }
    for action, column in (("drop", "not_delivered"), ("collect", "not_collected")):
        on_stop = {i.parcel.waybill_no for i in stop.parcels if i.action == action}
        if stray := sorted(missed[action] - on_stop):
            problems[f"{where}, {column}"] = (
                f"not a parcel to {action} at this stop: {', '.join(stray)}"
            )
    items = []
    for item in stop.parcels:
        done = result.visited and item.parcel.waybill_no not in missed[item.action]
        outcome = ("" if done else "not_") + (
            "delivered" if item.action == "drop" else "collected"
        )
        steps = STEPS[outcome].get(Status(item.parcel.status))
        if steps is None:
            problems[f"{where}, {item.parcel.waybill_no}"] = (
                f"the parcel is {item.parcel.status} now: it cannot be recorded "
                f"as {outcome.replace('_', ' ')}"
            )
        items.append((item, outcome, steps or ()))
    return _StopWork(run, stop, result.visited, items)


def _write(
    session: Session,
    actor: User,
    plan: Plan,
    work: list[_StopWork],
    at: dt.datetime | None,
) -> RecordSummary:
    """Write the checked work: events, outcomes, stops, visits, the plan's state."""
    now, outcomes = utcnow(), Counter[str]()
    for job in work:
        vehicle, point = job.run.vehicle.code, job.stop.service_point.code
        context = {"plan": plan.day.isoformat(), "vehicle": vehicle, "point": point}
        for item, outcome, steps in job.items:
            for status in steps:
                record_scan(session, actor, item.parcel, status, at=at, context=context)
            item.outcome = outcome
            outcomes[outcome] += 1
        job.stop.visited, job.stop.recorded_at = job.visited, now
    visits = _log_visits(session, actor, plan, work, now)
    done = all(s.recorded_at is not None for r in plan.runs for s in r.stops)
    if done:
        plan.status, plan.done_at = "done", now
    session.flush()
    return RecordSummary(
        stops=len(work),
        visits=visits,
        delivered=outcomes["delivered"],
        returned_to_centre=outcomes["not_delivered"],
        collected=outcomes["collected"],
        not_collected=outcomes["not_collected"],
        done=done,
    )


def _log_visits(
    session: Session, actor: User, plan: Plan, work: list[_StopWork], now: dt.datetime
) -> int:
    """Add the visited points to the visit log, unless there for the day already."""
    new: dict[int, int] = {}  # point -> vehicle of the first run reporting it
    for job in (job for job in work if job.visited):
        new.setdefault(job.stop.service_point_id, job.run.vehicle_id)
    logged = session.scalars(
        select(PointVisit.service_point_id).where(
            PointVisit.visited_on == plan.day, PointVisit.service_point_id.in_(new)
        )
    )
    for point_id in logged:
        del new[point_id]
    session.add_all(
        PointVisit(service_point_id=point, visited_on=plan.day, plan_id=plan.id,
                   vehicle_id=vehicle, recorded_at=now, recorded_by_id=actor.id)
        for point, vehicle in new.items()
    )  # fmt: skip
    return len(new)
