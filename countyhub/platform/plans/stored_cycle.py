"""The cycle the day's plan starts from: the latest stored, or a new one.

A new cycle is made when there is none or the active points or their cadences
have changed; each point's daily parcels are estimated from the inbound parcels
of the last weeks.  Each step stands alone, so that the search holds no
database transaction: :func:`latest_cycle` and :func:`cycle_job` read,
:func:`solve_cycle` searches, :func:`store_cycle` writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import Parcel, RouteCycle, ServicePoint, User
from countyhub.routing import Cycle, CyclePoint, DayVehicle, Matrices, make_cycle

CYCLE_SHARE = 0.4  # of the planning time, when a new cycle must be made
HISTORY_DAYS = 14  # inbound parcels counted to estimate a point's daily parcels
MIN_PARCELS_PER_DAY = 0.5


@dataclass(frozen=True)
class CycleDays:
    """A cycle as the day's planner follows it: plain data, stored or just found
    (``cycle_id`` None until stored).  ``days`` maps a point id (as text, as
    :attr:`RouteCycle.days`) to its day indices in the cycle."""

    cycle_id: int | None
    starts_on: dt.date
    length: int
    days: dict[str, list[int]]

    @classmethod
    def of(cls, stored: RouteCycle) -> CycleDays:
        """The days of a stored cycle."""
        days = {point: list(indices) for point, indices in stored.days.items()}
        return cls(stored.id, stored.starts_on, stored.length, days)

    @classmethod
    def found(cls, job: CycleJob, cycle: Cycle) -> CycleDays:
        """The days of a cycle searched for ``job``, not stored yet."""
        return cls(None, job.day, cycle.length, _stored_days(cycle))


def latest_cycle(
    session: Session,
    day: dt.date,
    points: Sequence[ServicePoint],
    vehicles: Sequence[DayVehicle],
    found: Matrices,
    *,
    seconds: float,
    seed: int,
) -> tuple[CycleDays | None, CycleJob | None]:
    """The latest cycle when it fits the active points and their cadences; else
    the job of making a new one, given a share of ``seconds``; neither when no
    point is active.  Reads only."""
    cadences = {str(p.id): p.cadence_days for p in points if p.active}
    latest = session.scalar(
        select(RouteCycle).order_by(RouteCycle.made_at.desc(), RouteCycle.id.desc())
    )
    if latest is not None and latest.cadences == cadences:
        return CycleDays.of(latest), None
    if not cadences:
        return None, None
    share = max(CYCLE_SHARE * seconds, 1.0)
    job = cycle_job(session, day, points, vehicles, found, seconds=share, seed=seed)
    return None, job


@dataclass(frozen=True)
class CycleJob:
    """The points and fleet to place in a cycle: plain data, so the search runs
    with no database transaction open (:func:`solve_cycle`)."""

    day: dt.date
    points: tuple[CyclePoint, ...]
    vehicles: tuple[DayVehicle, ...]
    distances: list[list[int]]
    durations: list[list[int]]
    cadences: dict[str, int]
    seconds: float
    seed: int


def cycle_job(
    session: Session,
    day: dt.date,
    points: Sequence[ServicePoint],
    vehicles: Sequence[DayVehicle],
    found: Matrices,
    *,
    seconds: float,
    seed: int,
) -> CycleJob:
    """What the cycle's search needs, read.  Raises InvalidInput (no active point)."""
    active = [(index, p) for index, p in enumerate(points, 1) if p.active]
    if not active:
        raise InvalidInput("no active service point to place in a cycle")
    rows = [0, *(index for index, _ in active)]  # the centre, then active points
    rates = _parcels_per_day(session, day)
    return CycleJob(
        day=day,
        points=tuple(CyclePoint(p.id, p.cadence_days, rates[p.id]) for _, p in active),
        vehicles=tuple(vehicles),
        distances=[[found.distance_m[i][j] for j in rows] for i in rows],
        durations=[[found.duration_s[i][j] for j in rows] for i in rows],
        cadences={str(p.id): p.cadence_days for _, p in active},
        seconds=seconds,
        seed=seed,
    )


def solve_cycle(job: CycleJob) -> Cycle:
    """Search the cycle: no database.  Raises InvalidInput."""
    try:
        return make_cycle(
            list(job.points),
            list(job.vehicles),
            job.distances,
            durations=job.durations,
            seconds=job.seconds,
            seed=job.seed,
        )
    except ValueError as error:
        raise InvalidInput(f"the cycle of visits cannot be made: {error}") from error


def store_cycle(
    session: Session, actor: User, job: CycleJob, cycle: Cycle
) -> RouteCycle:
    """Store the cycle found for ``job``; flushed."""
    stored = RouteCycle(
        starts_on=job.day,
        length=cycle.length,
        days=_stored_days(cycle),
        cadences=job.cadences,
        cost_m=float(cycle.cost_m),
        made_by_id=actor.id,
    )
    session.add(stored)
    session.flush()
    return stored


def _stored_days(cycle: Cycle) -> dict[str, list[int]]:
    return {str(point): sorted(days) for point, days in cycle.days.items()}


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
