"""The cycle the day's plan starts from: the latest stored, or a new one.

A new cycle is made (and stored) when there is none or the active points or
their cadences have changed; each point's daily parcels are estimated from the
inbound parcels of the last weeks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import Parcel, RouteCycle, ServicePoint, User
from countyhub.routing import CyclePoint, DayVehicle, Matrices, make_cycle

CYCLE_SHARE = 0.4  # of the planning time, when a new cycle must be made
HISTORY_DAYS = 14  # inbound parcels counted to estimate a point's daily parcels
MIN_PARCELS_PER_DAY = 0.5


def latest_cycle(
    session: Session,
    actor: User,
    day: dt.date,
    points: Sequence[ServicePoint],
    vehicles: Sequence[DayVehicle],
    found: Matrices,
    *,
    seconds: float,
    seed: int,
) -> tuple[RouteCycle | None, float]:
    """The latest cycle, or a new one (stored) when the active points or their
    cadences changed; with the seconds given to making it."""
    active = [(index, p) for index, p in enumerate(points, 1) if p.active]
    cadences = {str(p.id): p.cadence_days for _, p in active}
    latest = session.scalar(
        select(RouteCycle).order_by(RouteCycle.made_at.desc(), RouteCycle.id.desc())
    )
    if latest is not None and latest.cadences == cadences:
        return latest, 0.0
    if not cadences:
        return None, 0.0
    share = max(CYCLE_SHARE * seconds, 1.0)
    stored = new_cycle(
        session, actor, day, points, vehicles, found, seconds=share, seed=seed
    )
    return stored, share


def new_cycle(
    session: Session,
    actor: User,
    day: dt.date,
    points: Sequence[ServicePoint],
    vehicles: Sequence[DayVehicle],
    found: Matrices,
    *,
    seconds: float,
    seed: int,
) -> RouteCycle:
    """Make a cycle of the active ``points`` starting on ``day`` and store it.

    ``found`` are the matrices over the centre and ``points`` in order.
    Raises InvalidInput when there is no active point or the cycle cannot be
    made.
    """
    active = [(index, p) for index, p in enumerate(points, 1) if p.active]
    if not active:
        raise InvalidInput("no active service point to place in a cycle")
    cadences = {str(p.id): p.cadence_days for _, p in active}
    rows = [0, *(index for index, _ in active)]  # the centre, then active points
    rates = _parcels_per_day(session, day)
    try:
        cycle = make_cycle(
            [CyclePoint(p.id, p.cadence_days, rates[p.id]) for _, p in active],
            vehicles,
            [[found.distance_m[i][j] for j in rows] for i in rows],
            durations=[[found.duration_s[i][j] for j in rows] for i in rows],
            seconds=seconds,
            seed=seed,
        )
    except ValueError as error:
        raise InvalidInput(f"the cycle of visits cannot be made: {error}") from error
    stored = RouteCycle(
        starts_on=day,
        length=cycle.length,
        days={str(k): sorted(v) for k, v in cycle.days.items()},
        cadences=cadences,
        cost_m=float(cycle.cost_m),
        made_by_id=actor.id,
    )
    session.add(stored)
    session.flush()
    return stored


def _parcels_per_day(session: Session, day: dt.date) -> dict[int, float]:
    """Inbound parcels a day per point over the last weeks; at least a minimum."""
    since = day - dt.timedelta(days=HISTORY_DAYS)
    rows = session.execute(
        select(Parcel.service_point_id, func.count())
        .where(
            Parcel.direction == "inbound",
            Parcel.service_point_id.is_not(None),
            Parcel.registered_at >= dt.datetime.combine(since, dt.time(), LOCAL_TZ),
            Parcel.registered_at < dt.datetime.combine(day, dt.time(), LOCAL_TZ),
        )
        .group_by(Parcel.service_point_id)
    )
    rates: dict[int, float] = defaultdict(lambda: MIN_PARCELS_PER_DAY)
    for point_id, count in rows:
        if point_id is not None:  # as the query asks
            rates[point_id] = max(count / HISTORY_DAYS, MIN_PARCELS_PER_DAY)
    return rates
