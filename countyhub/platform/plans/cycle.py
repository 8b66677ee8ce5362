"""The county's cycle of visits, on demand: made with a longer search, and read.

:func:`countyhub.platform.plans.plan.make_plan` makes a cycle by itself when none fits
the active points, with a share of the day's planning time (about 2 s by
default). A longer search gives a better cycle, and the cycle sets how far the
runs drive every day (``python -m bench.cadence``: a 10 s cycle drives about 1 %
more than a 60 s one), so the dispatcher may make it anew with more time, for
example after points or cadences changed: ``countyhub plan cycle --seconds 60``.
Plans made afterwards follow the new cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.config import Settings
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import RouteCycle, ServicePoint, User
from countyhub.platform.plans.inputs import fleet_and_places
from countyhub.platform.plans.plan import check_planner, check_reader
from countyhub.platform.plans.stored_cycle import (
    CycleJob,
    cycle_job,
    solve_cycle,
    store_cycle,
)
from countyhub.routing import Cycle

MAX_CYCLE_SECONDS = 600.0


def make_route_cycle(
    session: Session,
    actor: User,
    *,
    seconds: float,
    seed: int = 1,
    starts_on: dt.date | None = None,
    settings: Settings | None = None,
) -> RouteCycle:
    """Make the cycle of the active points anew and store it; flushed.

    One transaction throughout; an entry point that serves others meanwhile runs
    :func:`prepare_route_cycle`, :func:`solve_cycle` and :func:`save_route_cycle`
    itself and ends the transaction after the first.  Raises what those raise.
    """
    job = prepare_route_cycle(
        session,
        actor,
        seconds=seconds,
        seed=seed,
        starts_on=starts_on,
        settings=settings,
    )
    return save_route_cycle(session, actor, job, solve_cycle(job))


def prepare_route_cycle(
    session: Session,
    actor: User,
    *,
    seconds: float,
    seed: int = 1,
    starts_on: dt.date | None = None,
    settings: Settings | None = None,
) -> CycleJob:
    """Read the active points and the fleet for a new cycle.

    ``starts_on`` (default: today, Asia/Shanghai) is day 0 of the cycle.
    Raises Forbidden, InvalidInput (a time out of 0.5–600 s, no active point or
    vehicle, points without coordinates).
    """
    check_planner(actor, "makes the cycle of visits")
    if not 0.5 <= seconds <= MAX_CYCLE_SECONDS:
        raise InvalidInput(
            f"a cycle takes 0.5 to {MAX_CYCLE_SECONDS:g} s to make, not {seconds:g}",
            {"seconds": "out of range"},
        )
    settings = settings or Settings.from_env()
    day = starts_on or dt.datetime.now(LOCAL_TZ).date()
    points, vehicles, found = fleet_and_places(session, settings)
    return cycle_job(session, day, points, vehicles, found, seconds=seconds, seed=seed)


def save_route_cycle(
    session: Session, actor: User, job: CycleJob, cycle: Cycle
) -> RouteCycle:
    """Store the cycle searched for ``job``; flushed.  Raises Forbidden."""
    check_planner(actor, "makes the cycle of visits")
    return store_cycle(session, actor, job, cycle)


def current_cycle(session: Session, actor: User) -> RouteCycle:
    """The cycle plans follow now (the latest made).  Raises Forbidden, NotFound."""
    check_reader(actor)
    cycle = session.scalar(
        select(RouteCycle).order_by(RouteCycle.made_at.desc(), RouteCycle.id.desc())
    )
    if cycle is None:
        raise NotFound("cycle", "yet: make a plan, or the cycle (plan cycle)")
    return cycle


def describe_cycle(session: Session, cycle: RouteCycle) -> dict[str, Any]:
    """The cycle as :class:`~countyhub.platform.plans.cycle_schemas.CycleOut` shows."""
    ids = [int(k) for k in cycle.days]
    points = session.scalars(
        select(ServicePoint).where(ServicePoint.id.in_(ids)).order_by(ServicePoint.code)
    )
    placed = [(p, sorted(cycle.days[str(p.id)])) for p in points]
    return {
        "starts_on": cycle.starts_on,
        "length": cycle.length,
        "made_at": cycle.made_at,
        "distance_km": round(cycle.cost_m / 1000, 1),
        "days": [
            {"day": d, "points": sum(d in days for _, days in placed)}
            for d in range(cycle.length)
        ],
        "points": [
            {
                "point": p.code,
                "point_name": p.name,
                "cadence_days": p.cadence_days,
                "days": days,
            }
            for p, days in placed
        ],
    }
