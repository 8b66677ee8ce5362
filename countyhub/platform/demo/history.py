"""The demo's history: day by day from the first of last month to today.

Each day the depots hand over the parcels registered the evening before, the
centre receives and sorts them in the early morning, the day's plan is made
and run (:mod:`countyhub.platform.demo.runs`) and each run's km driven recorded,
and villagers send farm products out from the points.  Today's parcels are
handed over and, as far as the clock has come, received and sorted; today's
plan is left to the caller (the demo command plans today as a draft).  Every
step goes through the real services at a time of
:mod:`countyhub.platform.demo.clock`, and none is later than ``now``.

Each day and purpose draws from a random generator of its own, seeded by the
seed and the day: the parcels and their intake are the same for a seed
whatever the planner found; the runs follow the planner, whose search is
limited by time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.demo.clock import between
from countyhub.platform.demo.parcels import hand_over, point_places, send_out
from countyhub.platform.demo.runs import run_day
from countyhub.platform.models import Depot, Parcel, Plan, ServicePoint, User
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans.km import MAX_KM
from countyhub.platform.plans.results import record_run_km

DAY = dt.timedelta(days=1)
OUTBOUND_SHARE = 0.1  # outbound parcels per inbound one
KM_FACTOR = (0.97, 1.12)  # km driven per km planned: detours, roadworks, fuel


@dataclass(frozen=True)
class History:
    """What the history made: its days, and its inbound parcels by address."""

    first: dt.date
    days: int  # days run, before today
    resolved: int
    unresolved: int


def first_day(now: dt.datetime) -> dt.date:
    """The first day of the calendar month before ``now``'s (local)."""
    this_month = now.astimezone(LOCAL_TZ).date().replace(day=1)
    return (this_month - DAY).replace(day=1)


def make_history(
    session: Session,
    actor: User,
    *,
    parcels: int,
    seed: int,
    now: dt.datetime,
    first: dt.date,
    seconds: float,
) -> History:
    """About ``parcels`` inbound parcels spread over the days from ``first`` to
    today, moved along their life; each past day planned and run (``seconds``
    of search a day).  Raises what the services raise."""
    today = now.astimezone(LOCAL_TZ).date()
    days = [first + DAY * i for i in range((today - first).days + 1)]
    per_day = parcels / len(days)
    resolved, unresolved = 0, 0
    for day in days:
        got = _intake(session, actor, day, per_day=per_day, seed=seed, now=now)
        resolved, unresolved = resolved + got[0], unresolved + got[1]
        if day < today:
            plan = run_day(session, actor, day, seed=seed, now=now, seconds=seconds)
            _record_km(session, actor, plan, seed=seed)
    return History(first, len(days) - 1, resolved, unresolved)


def _record_km(session: Session, actor: User, plan: Plan, *, seed: int) -> None:
    """Each run's km driven as its driver read them: the planned km times a
    factor within :data:`KM_FACTOR`, to 0.1 km, recorded when the plan was done."""
    rng = random.Random(f"{seed}:{plan.day.isoformat()}:km")
    for run in plan.runs:
        km = round(run.distance_m / 1000 * rng.uniform(*KM_FACTOR), 1)
        if 0 < km <= MAX_KM:
            record_run_km(session, actor, plan.day, run.vehicle.code, km)
            run.km_recorded_at = plan.done_at


def _intake(
    session: Session,
    actor: User,
    day: dt.date,
    *,
    per_day: float,
    seed: int,
    now: dt.datetime,
) -> tuple[int, int]:
    """The parcels that come in for ``day``: handed over the evening before,
    received and sorted in the morning; farm products registered at the points
    the day before.  Returns the inbound parcels resolved and not."""
    rng = random.Random(f"{seed}:{day.isoformat()}:intake")
    eve = day - DAY
    depots = list(session.scalars(select(Depot).order_by(Depot.id)))
    places = point_places(session)
    count = round(per_day * rng.uniform(0.8, 1.2))
    shares = Counter(rng.choice(depots).id for _ in range(count))
    new = []
    for depot in depots:
        if shares[depot.id]:
            when = between(rng, eve, 14, 21.5)
            new += hand_over(session, actor, rng, depot, shares[depot.id], places, when)
    codes = list(session.scalars(select(ServicePoint.code).where(ServicePoint.active)))
    out = rng.sample(sorted(codes), min(len(codes), round(count * OUTBOUND_SHARE)))
    send_out(session, actor, rng, out, between(rng, eve, 9, 18))
    ids = [o.parcel_id for o in new if o.parcel_id is not None]
    for parcel in session.scalars(select(Parcel).where(Parcel.id.in_(ids))):
        _receive(session, actor, rng, parcel, day, now)
    return sum(1 for o in new if o.resolved), sum(1 for o in new if not o.resolved)


def _receive(
    session: Session,
    actor: User,
    rng: random.Random,
    parcel: Parcel,
    day: dt.date,
    now: dt.datetime,
) -> None:
    """Received 05:00–06:30, then sorted by 07:30; a parcel with no point is
    returned to its courier in the late morning."""
    received = between(rng, day, 5, 6.5)
    steps = [(Status.RECEIVED, received)]
    if parcel.service_point_id is None:
        steps.append((Status.RETURNED, between(rng, day, 10, 12)))
    else:
        sorted_at = received + dt.timedelta(minutes=rng.randint(10, 55))
        steps.append((Status.SORTED, sorted_at))
    for status, when in steps:
        if when > now:
            return
        record_scan(session, actor, parcel, status, at=when)
