"""Service level: how fast inbound parcels reach the villager, and what went wrong.

* Within 48 h: of the inbound parcels received at the county centre in the
  period, those handed to the villager (event to ``delivered``) at most 48 h
  after their arrival at the centre (event to ``received``).  The share is
  taken over the parcels whose outcome is known at ``now``: handed over, or past
  their deadline (a parcel received an hour ago is not late yet).  A parcel
  returned or still waiting after its deadline counts as not within 48 h.
* Dwell at the point: from arrival at the point (``arrived``) to the hand-over,
  for the parcels handed over in the period; median and 90th percentile in
  seconds (linear interpolation, see ``_sql.percentiles``).  From the daily
  rollup they are those of the dwells rounded down to the quarter hour
  (``rollup.QUARTER``): each at most 15 minutes below the exact one (``raw``),
  and equal to it when every dwell is a whole quarter hour.
* Returns in the period (event to ``returned``), from the point (the villager
  did not take it: refused or never came; the data does not tell which) or from
  the centre (before any delivery); parcels a run brought back undelivered
  (``loaded`` → ``sorted``); parcels registered in the period whose address is
  still unresolved.
* Overdue now: inbound parcels not yet handed over nor returned whose 48 h
  deadline has passed at ``now`` (whatever the period), by where they wait.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.models import Parcel, ParcelEvent, StatsDay, User
from countyhub.platform.models.stats import Dim, Promise
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.stats._scope import in_township, period_events, require_stats
from countyhub.platform.stats._sql import (
    histogram_percentiles,
    percentiles,
    seconds_between,
)
from countyhub.platform.stats.period import Period, StatsQuery
from countyhub.platform.stats.rollup import PROMISE, QUARTER, period_days, refresh

WAITING = (Status.RECEIVED, Status.SORTED, Status.LOADED, Status.ARRIVED)
_INBOUND = Parcel.direction == Direction.INBOUND.value


@dataclass(frozen=True)
class Returns:
    total: int
    from_point: int  # after arrival at the point: not taken by the villager
    from_centre: int  # before any delivery


@dataclass(frozen=True)
class Waiting:
    status: str
    parcels: int


@dataclass(frozen=True)
class ServiceLevel:
    period: Period
    township: str | None
    received: int  # inbound parcels received at the centre in the period
    due: int  # of them: handed over, or past their deadline at ``now``
    within_48h: int  # of them: handed over within 48 h of their reception
    share_within_48h: float | None  # within_48h / due; None: nothing due yet
    handed_over: int  # hand-overs in the period (the dwell's parcels)
    dwell_median_s: float | None  # arrival at the point → hand-over, seconds
    dwell_p90_s: float | None
    returns: Returns
    brought_back: int  # taken out on a run and brought back undelivered
    unresolved: int  # registered in the period, address still unresolved
    overdue: int  # waiting past the 48 h deadline at ``now``
    overdue_by_status: tuple[Waiting, ...]


def service_level(
    session: Session, actor: User, query: StatsQuery, *, raw: bool = False
) -> ServiceLevel:
    """The service level of the period; the 48 h promise of whole days past
    their deadline from the daily rollup (``raw``: all from the events).
    Raises Forbidden without READ_STATS."""
    require_stats(actor)
    if raw:
        received, due, within = _promise(session, query)
        handed_over, (median, p90) = percentiles(session, _dwell(query), (0.5, 0.9))
        returns, brought_back = _returns(session, query), _brought_back(session, query)
    else:
        refresh(session)
        received, due, within = _rolled_promise(session, query)
        handed_over, (median, p90) = histogram_percentiles(
            _rolled(session, query, Status.DELIVERED, Dim.DWELL, StatsDay.ref_id),
            QUARTER.total_seconds(),
            (0.5, 0.9),
        )
        returns, brought_back = _rolled_returns(session, query)
    waiting = _overdue(session, query)
    return ServiceLevel(
        period=query.period,
        township=query.township.code if query.township else None,
        received=received,
        due=due,
        within_48h=within,
        share_within_48h=within / due if due else None,
        handed_over=handed_over,
        dwell_median_s=median,
        dwell_p90_s=p90,
        returns=returns,
        brought_back=brought_back,
        unresolved=_unresolved(session, query),
        overdue=sum(w.parcels for w in waiting),
        overdue_by_status=waiting,
    )


def _rolled(
    session: Session, query: StatsQuery, status: Status, dim: Dim, column: Any
) -> dict[Any, int]:
    """The rollup's counts of the period along ``dim``, by ``column``."""
    rows = session.execute(
        period_days(
            query,
            [column, func.sum(StatsDay.events)],
            StatsDay.to_status == status.value,
            StatsDay.dim == dim.value,
        ).group_by(column)
    )
    return {found: int(n) for found, n in rows}


def _rolled_returns(session: Session, query: StatsQuery) -> tuple[Returns, int]:
    """Returns by origin and the parcels brought back, from the rollup."""
    origin = _rolled(session, query, Status.RETURNED, Dim.ORIGIN, StatsDay.tag)
    total, from_point = sum(origin.values()), origin.get(Status.ARRIVED.value, 0)
    resorted = _rolled(session, query, Status.SORTED, Dim.ORIGIN, StatsDay.tag)
    return Returns(total, from_point, total - from_point), resorted.get(
        Status.LOADED.value, 0
    )


def _brought_back(session: Session, query: StatsQuery) -> int:
    return _count(
        session,
        period_events(
            query,
            [func.count()],
            ParcelEvent.from_status == Status.LOADED.value,
            ParcelEvent.to_status == Status.SORTED.value,
        ),
    )


def _rolled_promise(session: Session, query: StatsQuery) -> tuple[int, int, int]:
    """As :func:`_promise`: the days whose every reception is past its deadline
    at ``now`` from the rollup, the (two or three) later days from the events."""
    period = query.period
    settled = (query.now - PROMISE).astimezone(LOCAL_TZ).date() - dt.timedelta(1)
    received = due = within = 0
    if period.start <= settled:
        rolled = replace(query, period=Period(period.start, min(period.end, settled)))
        kept: dict[str | None, int] = {
            tag: int(n)
            for tag, n in session.execute(
                period_days(
                    rolled,
                    [StatsDay.tag, func.sum(StatsDay.events)],
                    StatsDay.to_status == Status.RECEIVED.value,
                    StatsDay.dim == Dim.PROMISE.value,
                ).group_by(StatsDay.tag)
            )
        }
        received = due = sum(kept.values())
        within = int(kept.get(Promise.WITHIN.value, 0))
    if period.end > settled:
        rest = replace(
            query,
            period=Period(max(period.start, settled + dt.timedelta(1)), period.end),
        )
        more = _promise(session, rest)
        received, due, within = received + more[0], due + more[1], within + more[2]
    return received, due, within


def _promise(session: Session, query: StatsQuery) -> tuple[int, int, int]:
    """Parcels received in the period; due; handed over within 48 h."""
    got, gave = aliased(ParcelEvent), aliased(ParcelEvent)
    first, after = query.period.utc_bounds()
    on_time = seconds_between(got.at, gave.at) <= int(PROMISE.total_seconds())
    due = or_(gave.id.is_not(None), got.at <= query.now - PROMISE)
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((due, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(gave.id.is_not(None), on_time), 1))), 0),
        )
        .select_from(got)
        .join(Parcel, Parcel.id == got.parcel_id)
        .outerjoin(
            gave,
            and_(
                gave.parcel_id == got.parcel_id,
                gave.to_status == Status.DELIVERED.value,
            ),
        )
        .where(got.to_status == Status.RECEIVED.value, _INBOUND)
        .where(got.at >= first, got.at < after, *in_township(query))
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def _dwell(query: StatsQuery) -> Select[Any]:
    """Seconds from arrival to hand-over of each parcel handed over."""
    came = aliased(ParcelEvent)
    return period_events(
        query,
        [seconds_between(came.at, ParcelEvent.at).label("dwell")],
        ParcelEvent.to_status == Status.DELIVERED.value,
    ).join(
        came,
        and_(
            came.parcel_id == ParcelEvent.parcel_id,
            came.to_status == Status.ARRIVED.value,
        ),
    )


def _returns(session: Session, query: StatsQuery) -> Returns:
    rows = session.execute(
        period_events(
            query,
            [ParcelEvent.from_status, func.count()],
            ParcelEvent.to_status == Status.RETURNED.value,
        ).group_by(ParcelEvent.from_status)
    ).all()
    by_origin = {origin: int(n) for origin, n in rows}
    from_point = by_origin.get(Status.ARRIVED.value, 0)
    total = sum(by_origin.values())
    return Returns(total, from_point, total - from_point)


def _unresolved(session: Session, query: StatsQuery) -> int:
    first, after = query.period.utc_bounds()
    return _count(
        session,
        select(func.count())
        .select_from(Parcel)
        .where(Parcel.registered_at >= first, Parcel.registered_at < after)
        .where(Parcel.address_state == "unresolved", *in_township(query)),
    )


def _overdue(session: Session, query: StatsQuery) -> tuple[Waiting, ...]:
    got = aliased(ParcelEvent)
    rows = session.execute(
        select(Parcel.status, func.count())
        .select_from(Parcel)
        .join(
            got,
            and_(got.parcel_id == Parcel.id, got.to_status == Status.RECEIVED.value),
        )
        .where(_INBOUND, Parcel.status.in_([s.value for s in WAITING]))
        .where(got.at < query.now - PROMISE, *in_township(query))
        .group_by(Parcel.status)
    ).all()
    found = {status: int(n) for status, n in rows}
    return tuple(Waiting(s.value, found[s.value]) for s in WAITING if s.value in found)


def _count(session: Session, statement: Select[Any]) -> int:
    return int(session.scalar(statement) or 0)
