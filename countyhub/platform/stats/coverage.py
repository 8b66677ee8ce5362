"""Coverage: how much of the county the delivery reached in the period.

* Villages: administrative villages (行政村, ``Village.kind`` in
  :data:`ADMINISTRATIVE_VILLAGES`, the province report's ``kind=village``) served
  at least once in the period, over all of them.  Urban communities (居委会,
  ``community``) and the statistical placeholders (``*_like``) are not
  administrative villages and count in neither.  A village is served when its
  service point is in the visit log on a day of the period, or a parcel arrived
  at that point (event to ``arrived``) in it.
* Poverty villages (贫困村): the same over the administrative villages flagged
  ``poverty``; when no village of the county has the flag set either way, the
  list is not declared and the figure is None, never 0 %.
* Townships (乡镇: ``Township.kind`` in :data:`TOWNSHIPS`, the province
  report's "÷ 9" for the default county; forest farms and the industrial park
  are not counted) with an active service point, over all of them.
* Service points: active, and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, select, union
from sqlalchemy.orm import Session

from countyhub.platform.models import (
    ParcelEvent,
    PointVisit,
    ServicePoint,
    StatsDay,
    Township,
    User,
    Village,
)
from countyhub.platform.models.stats import Dim
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.stats._scope import require_stats
from countyhub.platform.stats.period import Period, StatsQuery
from countyhub.platform.stats.rollup import refresh

ADMINISTRATIVE_VILLAGES = ("village",)
TOWNSHIPS = ("town", "township")


@dataclass(frozen=True)
class Share:
    count: int
    total: int
    share: float | None  # count / total; None when total is 0


@dataclass(frozen=True)
class Coverage:
    period: Period
    township: str | None
    villages: Share  # administrative villages served
    poverty_declared: bool  # some village of the county has the flag set
    poverty_villages: Share | None  # None: not declared
    townships: Share  # townships with an active service point
    points_active: int
    points_total: int


def coverage(
    session: Session, actor: User, query: StatsQuery, *, raw: bool = False
) -> Coverage:
    """The period's coverage, the arrivals at the points from the daily rollup
    (``raw``: from the events).  Raises Forbidden without READ_STATS."""
    require_stats(actor)
    if not raw:
        refresh(session)
    served = _served_villages(query, raw)
    villages = [Village.kind.in_(ADMINISTRATIVE_VILLAGES), *_village_scope(query)]
    declared = bool(
        session.scalar(select(exists().where(Village.poverty.is_not(None))))
    )
    poor = [*villages, Village.poverty.is_(True)]
    return Coverage(
        period=query.period,
        township=query.township.code if query.township else None,
        villages=_share(session, served, villages),
        poverty_declared=declared,
        poverty_villages=_share(session, served, poor) if declared else None,
        townships=_townships(session, query),
        points_active=_points(session, query, ServicePoint.active.is_(True)),
        points_total=_points(session, query),
    )


def _village_scope(query: StatsQuery) -> list[ColumnElement[bool]]:
    if query.township is None:
        return []
    return [Village.township_id == query.township.id]


def _served_villages(query: StatsQuery, raw: bool) -> Select[Any]:
    """The villages whose point was visited, or received a parcel, in the period."""
    first, after = query.period.utc_bounds()
    period = query.period
    arrivals = (
        select(ParcelEvent.service_point_id).where(
            ParcelEvent.to_status == Status.ARRIVED.value,
            ParcelEvent.at >= first,
            ParcelEvent.at < after,
        )
        if raw
        else select(StatsDay.ref_id).where(
            StatsDay.to_status == Status.ARRIVED.value,
            StatsDay.dim == Dim.ARRIVAL.value,
            StatsDay.day >= period.start,
            StatsDay.day <= period.end,
        )
    )
    points = union(
        select(PointVisit.service_point_id).where(
            PointVisit.visited_on >= period.start,
            PointVisit.visited_on <= period.end,
        ),
        arrivals,
    ).subquery()
    return select(ServicePoint.village_id).where(
        ServicePoint.id.in_(select(points.c[0]))
    )


def _share(
    session: Session,
    served: Select[Any],
    where: list[ColumnElement[bool]],
) -> Share:
    total, count = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Village.id.in_(served), 1), else_=0)), 0),
        ).where(*where)
    ).one()
    return Share(int(count), int(total), count / total if total else None)


def _townships(session: Session, query: StatsQuery) -> Share:
    with_point = exists().where(
        ServicePoint.active.is_(True),
        ServicePoint.village_id == Village.id,
        Village.township_id == Township.id,
    )
    where: list[ColumnElement[bool]] = [Township.kind.in_(TOWNSHIPS)]
    if query.township is not None:
        where.append(Township.id == query.township.id)
    total, count = session.execute(
        select(func.count(), func.coalesce(func.sum(case((with_point, 1), else_=0)), 0))
        .select_from(Township)
        .where(*where)
    ).one()
    return Share(int(count), int(total), count / total if total else None)


def _points(session: Session, query: StatsQuery, *where: ColumnElement[bool]) -> int:
    statement = select(func.count()).select_from(ServicePoint).where(*where)
    if query.township is not None:
        statement = statement.join(Village, Village.id == ServicePoint.village_id)
        statement = statement.where(Village.township_id == query.township.id)
    return int(session.scalar(statement) or 0)
