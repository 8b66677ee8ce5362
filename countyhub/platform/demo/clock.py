"""The demo's working day: when each step of a parcel's life may happen.

Times are local (Asia/Shanghai).  Depots hand parcels over in the afternoon or
evening before; the centre receives them from 05:00 and has them sorted by
07:30; the runs are loaded from 07:30 and leave at the plan's departure;
villagers collect their parcels from 07:00 to 20:00; the couriers take the
outbound parcels at the centre in the evening.  :data:`HOURS` is the window of
each step, which the demo's tests hold every event to.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.parcels.statuses import Status

S = Status
# Local hours (from, to) of each step; arrivals follow the run's planned stops.
HOURS: dict[Status, tuple[dt.time, dt.time]] = {
    S.REGISTERED: (dt.time(9), dt.time(22)),
    S.RECEIVED: (dt.time(5), dt.time(6, 30)),
    S.SORTED: (dt.time(5), dt.time(17)),  # by 07:30, or when a run brings it back
    S.LOADED: (dt.time(7, 30), dt.time(8)),
    S.ARRIVED: (dt.time(8), dt.time(17)),
    S.DELIVERED: (dt.time(8), dt.time(20)),
    S.RETURNED: (dt.time(9), dt.time(17)),
    S.COLLECTED: (dt.time(8), dt.time(17)),
    S.AT_CENTRE: (dt.time(8), dt.time(17)),
    S.HANDED_OVER: (dt.time(17, 30), dt.time(19)),
}


def at(day: dt.date, hours: float) -> dt.datetime:
    """``hours`` after local midnight of ``day``, in UTC."""
    midnight = dt.datetime.combine(day, dt.time(), LOCAL_TZ)
    return (midnight + dt.timedelta(hours=hours)).astimezone(dt.UTC)


def between(rng: random.Random, day: dt.date, start: float, end: float) -> dt.datetime:
    """A random whole minute from ``start`` to ``end`` hours of ``day``, in UTC."""
    return at(day, rng.randint(math.ceil(start * 60), math.floor(end * 60)) / 60)


def later(
    rng: random.Random, after: dt.datetime, start: float, end: float
) -> dt.datetime:
    """A time in the working window ``start``–``end`` (hours) after ``after``:
    later the same day, else the next day's window."""
    day = after.astimezone(LOCAL_TZ).date()
    earliest = after + dt.timedelta(minutes=rng.randint(15, 90))
    if earliest <= at(day, end - 0.5):
        floor = max(earliest, at(day, start))
        hours = (floor - at(day, 0)).total_seconds() / 3600
        return between(rng, day, hours, end)
    return between(rng, day + dt.timedelta(days=1), start, end)
