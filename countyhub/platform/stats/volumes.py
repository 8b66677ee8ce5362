"""Volumes: how many parcels came in, were handed over and went out, by day, ISO
week and month, and by courier, township, village, service point and (outbound)
product category.

Three flows, each counted from the parcel events of the period:

* ``inbound`` (下行): inbound parcels received at the county centre (the event
  to ``received``);
* ``delivered``: inbound parcels handed to the villager (the event to
  ``delivered``);
* ``outbound`` (农产品上行): outbound parcels registered at a village point (the
  event to ``registered``; only registration has it), also by product
  category (``Parcel.category``; not given: 未分类).

A parcel's village (and so its township) is its address's
(``Parcel.village_id``) or, without one (an outbound parcel's address is its
destination), its service point's; a parcel with neither is shown as
地址未解析 (code None).  Two grouped queries a flow (by local day; by courier,
village, point and category) over the daily rollup
(:mod:`countyhub.platform.stats.rollup`), or with ``raw`` over the events
themselves (the same numbers; the tests compare them): what reaches Python is
bounded by the county's size and the period's days, not by its parcels.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, null
from sqlalchemy.orm import Session

from countyhub.platform.models import Parcel, ParcelEvent, StatsDay, User
from countyhub.platform.models.stats import Dim
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.stats._scope import (
    NO_PLACE,
    Names,
    load_names,
    period_events,
    require_stats,
)
from countyhub.platform.stats._sql import local_day
from countyhub.platform.stats.period import Period, StatsQuery
from countyhub.platform.stats.rollup import period_days, refresh

NOT_GIVEN = "未分类"  # an outbound parcel registered without a product category


@dataclass(frozen=True)
class Count:
    """Parcels of one courier, place or category; ``code`` None: not known."""

    code: str | None
    name: str
    parcels: int


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    parcels: int


@dataclass(frozen=True)
class SpanCount:
    """Parcels of an ISO week (``2026-W40``) or a month (``2026-10``); ``first``
    and ``last`` are its days inside the period."""

    label: str
    first: dt.date
    last: dt.date
    parcels: int


@dataclass(frozen=True)
class Flow:
    total: int
    by_day: tuple[DayCount, ...]  # every day of the period, none left out
    by_week: tuple[SpanCount, ...]
    by_month: tuple[SpanCount, ...]
    by_courier: tuple[Count, ...]  # these: only those with parcels, most first
    by_township: tuple[Count, ...]
    by_village: tuple[Count, ...]
    by_point: tuple[Count, ...]
    by_category: tuple[Count, ...]  # outbound only; empty for the others


@dataclass(frozen=True)
class Volumes:
    period: Period
    township: str | None  # the township's code, when narrowed to one
    inbound: Flow
    delivered: Flow
    outbound: Flow


def volumes(
    session: Session, actor: User, query: StatsQuery, *, raw: bool = False
) -> Volumes:
    """The three flows of the period, from the daily rollup (``raw``: from the
    events themselves; the same numbers, slower).  Raises Forbidden without
    READ_STATS."""
    require_stats(actor)
    names = load_names(session)
    if raw:
        count: Callable[..., _Counted] = _raw_counts
    else:
        refresh(session)
        count = _rolled_counts
    inbound, outbound = Direction.INBOUND.value, Direction.OUTBOUND.value
    return Volumes(
        period=query.period,
        township=query.township.code if query.township else None,
        inbound=_flow(
            query, names, count(session, query, Status.RECEIVED, inbound, names)
        ),
        delivered=_flow(
            query, names, count(session, query, Status.DELIVERED, inbound, names)
        ),
        outbound=_flow(
            query,
            names,
            count(session, query, Status.REGISTERED, outbound, names, categories=True),
            categories=True,
        ),
    )


@dataclass(frozen=True)
class _Counted:
    """A flow's parcels by local day, courier, village (None: not known),
    point and category."""

    per_day: dict[dt.date, int]
    courier: dict[Any, int]
    village: dict[Any, int]
    point: dict[Any, int]
    category: dict[Any, int]


def _raw_counts(
    session: Session,
    query: StatsQuery,
    status: Status,
    direction: str,
    names: Names,
    *,
    categories: bool = False,
) -> _Counted:
    where = (ParcelEvent.to_status == status.value, Parcel.direction == direction)
    day = local_day(ParcelEvent.at)
    per_day = session.execute(
        period_events(query, [day, func.count()], *where).group_by(day)
    )
    category = Parcel.category if categories else null()
    keys = [Parcel.courier_id, Parcel.village_id, Parcel.service_point_id, category]
    groups = [
        tuple(r)
        for r in session.execute(
            period_events(query, [*keys, func.count()], *where)
            .group_by(*keys[:3])
            .group_by(*([category] if categories else []))
        )
    ]
    return _Counted(
        {_date(d): int(n) for d, n in per_day},
        _sum(groups, lambda r: r[0]),
        _sum(groups, lambda r: names.village_of(r[1], r[2])),
        _sum(groups, lambda r: r[2]),
        _sum(groups, lambda r: r[3]) if categories else {},
    )


def _sum(
    groups: Iterable[tuple[Any, ...]], key: Callable[[tuple[Any, ...]], Any]
) -> dict[Any, int]:
    totals: Counter[Any] = Counter()
    for row in groups:
        totals[key(row)] += int(row[-1])
    return dict(totals)


def _rolled_counts(
    session: Session,
    query: StatsQuery,
    status: Status,
    direction: str,
    names: Names,
    *,
    categories: bool = False,
) -> _Counted:
    where = (StatsDay.to_status == status.value, StatsDay.direction == direction)
    parcels = func.sum(StatsDay.events)

    def by(dim: Dim, column: Any) -> dict[Any, int]:
        rows = session.execute(
            period_days(
                query, [column, parcels], StatsDay.dim == dim.value, *where
            ).group_by(column)
        )
        return {found: int(n) for found, n in rows}

    per_day = by(Dim.ALL, StatsDay.day)
    return _Counted(
        {_date(d): n for d, n in per_day.items()},
        by(Dim.COURIER, StatsDay.ref_id),
        by(Dim.VILLAGE, StatsDay.ref_id),
        by(Dim.POINT, StatsDay.ref_id),
        by(Dim.CATEGORY, StatsDay.tag) if categories else {},
    )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _flow(
    query: StatsQuery, names: Names, counted: _Counted, *, categories: bool = False
) -> Flow:
    days = [DayCount(d, counted.per_day.get(d, 0)) for d in query.period.dates()]
    by_township: Counter[Any] = Counter()
    for village, n in counted.village.items():
        by_township[names.village_township.get(village or 0)] += n
    return Flow(
        total=sum(d.parcels for d in days),
        by_day=tuple(days),
        by_week=_spans(days, _iso_week),
        by_month=_spans(days, lambda d: d.strftime("%Y-%m")),
        by_courier=_counts(counted.courier, names.couriers.get, ""),
        by_township=_counts(dict(by_township), names.townships.get, NO_PLACE),
        by_village=_counts(counted.village, names.villages.get, NO_PLACE),
        by_point=_counts(counted.point, names.points.get, NO_PLACE),
        by_category=(
            _counts(counted.category, lambda c: (c, c), NOT_GIVEN) if categories else ()
        ),
    )


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _spans(
    days: list[DayCount], label: Callable[[dt.date], str]
) -> tuple[SpanCount, ...]:
    spans: list[SpanCount] = []
    for day in days:
        name = label(day.day)
        if spans and spans[-1].label == name:
            last = spans[-1]
            spans[-1] = SpanCount(name, last.first, day.day, last.parcels + day.parcels)
        else:
            spans.append(SpanCount(name, day.day, day.day, day.parcels))
    return tuple(spans)


def _counts(
    totals: dict[Any, int],
    label: Callable[[Any], tuple[str, str] | None],
    missing: str,
) -> tuple[Count, ...]:
    """The counts (key None: not known, named ``missing``), each named by
    ``label``; most parcels first."""
    rows = []
    for found, parcels in totals.items():
        if not parcels:
            continue
        code, name = (label(found) if found is not None else None) or (None, missing)
        rows.append(Count(code, name, parcels))
    return tuple(sorted(rows, key=lambda c: (-c.parcels, c.code or "\uffff")))
