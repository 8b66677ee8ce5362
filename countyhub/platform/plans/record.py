"""Recording the results of a day's runs: checked first, then written at once.

:func:`check_results` turns each :class:`StopResult` into the work it means (the
stop, and per stop parcel its outcome and the scans that bring it there), or
raises InvalidInput listing every problem.  :func:`write_results` then writes the
parcel events through :func:`countyhub.platform.parcels.scans.record_scan`, each stop
parcel's outcome, the stops and the visit log (:class:`PointVisit`), and marks
the plan done when every stop is recorded.  Used by
:func:`countyhub.platform.plans.results.record_results`, which holds the savepoint.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.couriers import normalize_waybill
from countyhub.platform.db import utcnow
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import (
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    PointVisit,
    User,
)
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.results_file import StopResult
from countyhub.platform.plans.states import PlanState, StopOutcome

S = Status
# The steps that bring a stop parcel from its status to the outcome recorded.  A
# status missing here contradicts the outcome (say, an operator scanned arrival
# of a parcel recorded as not delivered).  A parcel already at the outcome's
# place (scanned there by someone else) needs none.
Out = StopOutcome
STEPS: dict[StopOutcome, dict[Status, tuple[Status, ...]]] = {
    Out.DELIVERED: {S.LOADED: (S.ARRIVED,), S.ARRIVED: (), S.DELIVERED: (),
                  S.RETURNED: ()},
    Out.NOT_DELIVERED: {S.LOADED: (S.SORTED,), S.SORTED: (), S.RETURNED: ()},
    Out.COLLECTED: {S.REGISTERED: (S.COLLECTED, S.AT_CENTRE),
                  S.COLLECTED: (S.AT_CENTRE,), S.AT_CENTRE: (), S.HANDED_OVER: ()},
    Out.NOT_COLLECTED: {S.REGISTERED: ()},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What one call of :func:`.plan_results.record_results` recorded."""

    stops: int  # stops recorded
    visits: int  # rows added to the visit log
    delivered: int  # drop parcels that reached their point
    returned_to_centre: int  # drop parcels back at the centre, not delivered
    collected: int  # outbound parcels taken to the centre
    not_collected: int
    done: bool  # every stop of the plan is now recorded
    km_recorded: int = 0  # runs whose km driven were recorded (set by the caller)


@dataclass(frozen=True, slots=True)
class _StopWork:
    """A checked result: its stop and, per stop parcel, the outcome and steps."""

    run: PlanRun
    stop: PlanStop
    visited: bool
    items: list[tuple[PlanStopParcel, StopOutcome, tuple[Status, ...]]]


def check_results(plan: Plan, results: Sequence[StopResult]) -> list[_StopWork]:
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
        outcome = _outcome(item.action == "drop", done)
        steps = STEPS[outcome].get(Status(item.parcel.status))
        if steps is None:
            problems[f"{where}, {item.parcel.waybill_no}"] = (
                f"the parcel is {item.parcel.status} now: it cannot be recorded "
                f"as {outcome.replace('_', ' ')}"
            )
        items.append((item, outcome, steps or ()))
    return _StopWork(run, stop, result.visited, items)


def _outcome(drop: bool, done: bool) -> StopOutcome:
    if drop:
        return StopOutcome.DELIVERED if done else StopOutcome.NOT_DELIVERED
    return StopOutcome.COLLECTED if done else StopOutcome.NOT_COLLECTED


def write_results(
    session: Session,
    actor: User,
    plan: Plan,
    work: list[_StopWork],
    at: dt.datetime | None,
) -> RecordSummary:
    """Write the checked work: events, outcomes, stops, visits, the plan's state."""
    now, outcomes = utcnow(), Counter[StopOutcome]()
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
        plan.status, plan.done_at = PlanState.DONE, now
    session.flush()
    return RecordSummary(
        stops=len(work),
        visits=visits,
        delivered=outcomes[StopOutcome.DELIVERED],
        returned_to_centre=outcomes[StopOutcome.NOT_DELIVERED],
        collected=outcomes[StopOutcome.COLLECTED],
        not_collected=outcomes[StopOutcome.NOT_COLLECTED],
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
