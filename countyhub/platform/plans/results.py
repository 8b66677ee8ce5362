"""A day's plan after it is made: published (its parcels loaded), then its results.

Publishing a draft moves every parcel to drop from ``sorted`` to ``loaded`` on its
run's vehicle. After the runs the dispatcher records, stop by stop, whether the
run got there, which drop parcels did not reach the point and which outbound
parcels were not taken (:func:`read_results` reads that from a file filled in from
:func:`results_sheet`). Recording writes the parcel events through
:func:`countyhub.platform.parcels.scans.record_scan`, the visit log
(:class:`PointVisit`),
from which the next day's required points follow, and each stop parcel's
outcome; when every stop is recorded the plan is done. Both steps check
everything before writing anything, and write inside a savepoint: all or nothing.
The results are checked and written by :mod:`countyhub.platform.plans.record`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import utcnow
from countyhub.platform.errors import InvalidInput, NotFound, PlanLocked
from countyhub.platform.models import (
    Parcel,
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    User,
)
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.plan import check_planner, whole_plan
from countyhub.platform.plans.record import RecordSummary, check_results, write_results
from countyhub.platform.plans.results_file import StopResult
from countyhub.platform.plans.states import PlanState


def publish_plan(session: Session, actor: User, day: dt.date) -> Plan:
    """Publish the draft plan of ``day``: its drop parcels are loaded on its runs.

    Raises Forbidden, NotFound, PlanLocked, InvalidInput (a parcel no longer sorted).
    """
    check_planner(actor, "publishes plans")
    plan = _plan(session, day)
    if plan.status != PlanState.DRAFT:
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
        plan.status, plan.published_at = PlanState.PUBLISHED, utcnow()
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
    if plan.status == PlanState.DRAFT:
        raise InvalidInput(
            f"the plan for {day} is a draft: publish it first, then record its results",
            {"plan": PlanState.DRAFT},
        )
    if plan.status != PlanState.PUBLISHED:
        raise PlanLocked(day, plan.status)
    if not results:
        raise InvalidInput(
            "no results given: name at least one stop", {"results": "empty"}
        )
    work = check_results(plan, results)
    with session.begin_nested():
        return write_results(session, actor, plan, work, at)


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
