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

The km each run drove (:mod:`countyhub.platform.plans.km`) are recorded with the
results or alone (:func:`record_run_km`), for a published or a done plan: a
later reading replaces the earlier one, and the run keeps who gave it and when.
"""

from __future__ import annotations

import dataclasses
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
from countyhub.platform.plans.km import RunKm, km_problem
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
    runs: Sequence[RunKm] = (),
    at: dt.datetime | None = None,
) -> RecordSummary:
    """Record what the runs of ``day`` did at the stops named in ``results``, and
    the km driven given in ``runs`` or on the results' rows.

    ``at`` (aware) is when the parcel events happened; default now.  Km alone
    may be given for a done plan too.

    Raises Forbidden, NotFound, PlanLocked (stops of a done plan), InvalidInput
    (a draft plan, nothing given, an unknown or already recorded stop, a waybill
    not on the stop, a parcel whose status contradicts the result, a vehicle
    without a run, km out of bounds).
    """
    check_planner(actor, "records the results of runs")
    if at is not None and at.tzinfo is None:
        raise InvalidInput("give the time of the results with its time zone")
    plan = _plan(session, day)
    _check_ran(plan, "its results")
    runs = [*runs, *_km_on_rows(results)]
    if not results and not runs:
        raise InvalidInput(
            "no results given: name at least one stop or a run's km",
            {"results": "empty"},
        )
    if results and plan.status != PlanState.PUBLISHED:
        raise PlanLocked(day, plan.status)
    driven = _runs_driven(plan, runs)
    work = check_results(plan, results) if results else []
    with session.begin_nested():
        if work:
            summary = write_results(session, actor, plan, work, at)
        else:
            summary = RecordSummary(0, 0, 0, 0, 0, 0, plan.status == PlanState.DONE)
        for run, km in driven:
            _set_km(run, actor, km)
        session.flush()
    return dataclasses.replace(summary, km_recorded=len(driven))


def record_run_km(
    session: Session, actor: User, day: dt.date, vehicle_code: str, km: float
) -> PlanRun:
    """Record the km the run of ``vehicle_code`` drove on ``day`` (a correction
    replaces the earlier reading).

    Raises Forbidden, NotFound (no plan, or no run of the vehicle in it),
    InvalidInput (km not more than 0 and at most MAX_KM, a draft plan).
    """
    check_planner(actor, "records the km of runs")
    problem = km_problem(km)
    if problem is not None:
        raise InvalidInput(f"km {problem}", {"km": problem})
    plan = _plan(session, day)
    _check_ran(plan, "the km its runs drove")
    run = _run_of(plan, vehicle_code)
    if run is None:
        raise NotFound("run", f"of vehicle {vehicle_code} in the plan for {day}")
    _set_km(run, actor, km)
    session.flush()
    return run


def _check_ran(plan: Plan, what: str) -> None:
    """A draft has not run: InvalidInput saying to publish it first."""
    if plan.status == PlanState.DRAFT:
        raise InvalidInput(
            f"the plan for {plan.day} is a draft: publish it first, then record {what}",
            {"plan": PlanState.DRAFT},
        )


def _km_on_rows(results: Sequence[StopResult]) -> list[RunKm]:
    """The km given on the results' rows, once per vehicle and value."""
    given = {(r.vehicle.strip().upper(), r.km): r for r in results if r.km is not None}
    return [RunKm(r.vehicle, r.km, r.row) for r in given.values() if r.km is not None]


def _runs_driven(plan: Plan, runs: Sequence[RunKm]) -> list[tuple[PlanRun, float]]:
    """Each run named in ``runs`` with its km; InvalidInput listing every problem."""
    problems: dict[str, str] = {}
    found: dict[int, tuple[PlanRun, float]] = {}
    for number, given in enumerate(runs, 1):
        where = f"row {given.row}, km" if given.row is not None else f"runs {number}"
        run, why = _run_of(plan, given.vehicle), km_problem(given.km)
        if why is not None:
            problems[where] = f"km {why}"
        elif run is None:
            problems[where] = (
                f"vehicle {given.vehicle} has no run in the plan for {plan.day}"
            )
        elif run.id in found and found[run.id][1] != given.km:
            problems[where] = f"another km for vehicle {given.vehicle}"
        else:
            found[run.id] = (run, given.km)
    if problems:
        listed = "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:5])
        raise InvalidInput(f"nothing was recorded: {listed}", problems)
    return list(found.values())


def _run_of(plan: Plan, vehicle_code: str) -> PlanRun | None:
    code = vehicle_code.strip().upper()
    return next((r for r in plan.runs if r.vehicle.code.upper() == code), None)


def _set_km(run: PlanRun, actor: User, km: float) -> None:
    run.km_recorded, run.km_recorded_at = km, utcnow()
    run.km_recorded_by_id = actor.id


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
