"""Cadence: how often each active service point was visited, and where the
two-day rule (or the point's own ``cadence_days``) broke.

From the visit log (:class:`PointVisit`, one row per point and day).  A gap is
the number of days between two consecutive visits (visits on the 1st and the
4th: 3 days), listed when its later visit lies in the period (the earlier one
may precede it).  A point's cadence ``c`` holds while no gap exceeds ``c``;
:func:`countyhub.routing.check_visits` finds each run of days that broke it,
and a breach names the day a visit was due and did not come
(``last visit + c``).  A point without any earlier visit is taken as due
``c`` days from the day before the period.  Days are observed up to the end of
the period or yesterday, whichever is earlier: today may still bring its run.
The longest gap counts the gap still open after the last visit too (at least
``observed day + 1 − last visit``).  Visits per week divide the visits by the
period's days up to today.

The visit log holds one row per point and day, so the rows read here are
bounded by points × days (≈ 40 000 for a year of the default county); the rule
itself is the routing's, not written twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import PointVisit, ServicePoint, Township, User, Village
from countyhub.platform.stats._scope import require_stats
from countyhub.platform.stats.period import Period, StatsQuery
from countyhub.routing import check_visits

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Gap:
    """Days between two consecutive visits; ``after`` may precede the period."""

    after: dt.date
    until: dt.date
    days: int


@dataclass(frozen=True)
class Breach:
    """A run of days on which a point went without its due visit."""

    point: str
    name: str
    cadence_days: int
    last_visit: dt.date | None  # None: no visit logged before
    next_visit: dt.date | None  # None: none by the last day observed
    due: dt.date  # the day a visit was due and none came
    days_without: int  # whole days without a visit, as far as observed


@dataclass(frozen=True)
class PointCadence:
    point: str
    name: str
    township: str  # the township's code
    township_name: str
    cadence_days: int
    visits: int
    visits_per_week: float
    gaps: tuple[Gap, ...]
    longest_gap_days: int | None  # None: never visited
    breaches: tuple[Breach, ...]


@dataclass(frozen=True)
class Cadence:
    period: Period
    township: str | None
    observed_until: dt.date  # breaches are judged up to this day
    points: tuple[PointCadence, ...]  # every active point, by code
    visits_per_week_mean: float | None
    visits_per_week_min: float | None
    breaches: tuple[Breach, ...]  # every point's, by due date


@dataclass(frozen=True)
class _Point:
    id: int
    code: str
    name: str
    township: str
    township_name: str
    cadence_days: int


def cadence(session: Session, actor: User, query: StatsQuery) -> Cadence:
    """Visits, gaps and breaches of every active point.  Raises Forbidden
    without READ_STATS."""
    require_stats(actor)
    period = query.period
    counted_until = min(period.end, query.today)
    observed = min(period.end, query.today - _DAY)
    points = _points(session, query)
    visits = _visits(session, period.start, counted_until, [p.id for p in points])
    before = _last_before(session, period.start, [p.id for p in points])
    days = max((counted_until - period.start).days + 1, 1)
    rows = tuple(
        _point(p, visits[p.id], before.get(p.id), period, observed, days)
        for p in points
    )
    rates = [r.visits_per_week for r in rows]
    return Cadence(
        period=period,
        township=query.township.code if query.township else None,
        observed_until=observed,
        points=rows,
        visits_per_week_mean=sum(rates) / len(rates) if rates else None,
        visits_per_week_min=min(rates) if rates else None,
        breaches=tuple(
            sorted(
                (b for r in rows for b in r.breaches), key=lambda b: (b.due, b.point)
            )
        ),
    )


def _point(
    point: _Point,
    visits: list[dt.date],
    before: dt.date | None,
    period: Period,
    observed: dt.date,
    days: int,
) -> PointCadence:
    history = [before, *visits] if before else visits
    gaps = tuple(Gap(a, b, (b - a).days) for a, b in pairwise(history))
    lengths = [g.days for g in gaps]
    if history and history[-1] <= observed:
        lengths.append((observed - history[-1]).days + 1)
    return PointCadence(
        point=point.code,
        name=point.name,
        township=point.township,
        township_name=point.township_name,
        cadence_days=point.cadence_days,
        visits=len(visits),
        visits_per_week=len(visits) * 7 / days,
        gaps=gaps,
        longest_gap_days=max(lengths) if lengths else None,
        breaches=_breaches(point, history, period.start, observed),
    )


def _breaches(
    point: _Point, history: list[dt.date], start: dt.date, observed: dt.date
) -> tuple[Breach, ...]:
    if observed < start:
        return ()
    found = set(history)
    return tuple(
        Breach(
            point=point.code,
            name=point.name,
            cadence_days=point.cadence_days,
            last_visit=gap.start - _DAY if gap.start - _DAY in found else None,
            next_visit=gap.end + _DAY if gap.end + _DAY in found else None,
            due=gap.start - _DAY + dt.timedelta(days=point.cadence_days),
            days_without=gap.days,
        )
        for gap in check_visits(point.cadence_days, history, start, observed)
    )


def _points(session: Session, query: StatsQuery) -> list[_Point]:
    statement = (
        select(
            ServicePoint.id,
            ServicePoint.code,
            ServicePoint.name,
            Township.code,
            Township.name,
            ServicePoint.cadence_days,
        )
        .join(Village, Village.id == ServicePoint.village_id)
        .join(Township, Township.id == Village.township_id)
        .where(ServicePoint.active.is_(True))
        .order_by(ServicePoint.code)
    )
    if query.township is not None:
        statement = statement.where(Township.id == query.township.id)
    return [_Point(*row) for row in session.execute(statement)]


def _visits(
    session: Session, first: dt.date, last: dt.date, points: list[int]
) -> dict[int, list[dt.date]]:
    found: dict[int, list[dt.date]] = defaultdict(list)
    rows = session.execute(
        select(PointVisit.service_point_id, PointVisit.visited_on)
        .where(PointVisit.visited_on >= first, PointVisit.visited_on <= last)
        .where(PointVisit.service_point_id.in_(points))
        .order_by(PointVisit.service_point_id, PointVisit.visited_on)
    )
    for point, day in rows:
        found[point].append(day)
    return found


def _last_before(
    session: Session, first: dt.date, points: list[int]
) -> dict[int, dt.date]:
    rows = session.execute(
        select(PointVisit.service_point_id, func.max(PointVisit.visited_on))
        .where(PointVisit.visited_on < first, PointVisit.service_point_id.in_(points))
        .group_by(PointVisit.service_point_id)
    )
    return {point: day for point, day in rows}
