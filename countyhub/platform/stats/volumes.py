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
village, point and category): what reaches Python is bounded by the county's
size and the period's days, not by its parcels.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, null
from sqlalchemy.orm import Session

from countyhub.platform.models import Parcel, ParcelEvent, User
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


def volumes(session: Session, actor: User, query: StatsQuery) -> Volumes:
    """The three flows of the period.  Raises Forbidden without READ_STATS."""
    require_stats(actor)
    names = load_names(session)
    inbound = Parcel.direction == Direction.INBOUND.value
    return Volumes(
        period=query.period,
        township=query.township.code if query.township else None,
        inbound=_flow(
            session,
            query,
            names,
            ParcelEvent.to_status == Status.RECEIVED.value,
            inbound,
        ),
        delivered=_flow(
            session,
            query,
            names,
            ParcelEvent.to_status == Status.DELIVERED.value,
            inbound,
        ),
        outbound=_flow(
            session,
            query,
            names,
            ParcelEvent.to_status == Status.REGISTERED.value,
            Parcel.direction == Direction.OUTBOUND.value,
            categories=True,
        ),
    )


def _flow(
    session: Session,
    query: StatsQuery,
    names: Names,
    *where: ColumnElement[bool],
    categories: bool = False,
) -> Flow:
    day = local_day(ParcelEvent.at)
    per_day: dict[dt.date, int] = {
        found: int(n)
        for found, n in session.execute(
            period_events(query, [day, func.count()], *where).group_by(day)
        )
    }
    category = Parcel.category if categories else null()
    keys = [Parcel.courier_id, Parcel.village_id, Parcel.service_point_id, category]
    groups: list[tuple[Any, ...]] = [
        tuple(row)
        for row in session.execute(
            period_events(query, [*keys, func.count()], *where)
            .group_by(*keys[:3])
            .group_by(*([category] if categories else []))
        )
    ]
    days = [DayCount(d, int(per_day.get(d, 0))) for d in query.period.dates()]
    township = names.village_township.get

    def place(row: tuple[Any, ...]) -> int | None:
        return names.village_of(row[1], row[2])

    return Flow(
        total=sum(d.parcels for d in days),
        by_day=tuple(days),
        by_week=_spans(days, _iso_week),
        by_month=_spans(days, lambda d: d.strftime("%Y-%m")),
        by_courier=_counts(groups, lambda r: r[0], names.couriers.get, ""),
        by_township=_counts(
            groups, lambda r: township(place(r) or 0), names.townships.get, NO_PLACE
        ),
        by_village=_counts(groups, place, names.villages.get, NO_PLACE),
        by_point=_counts(groups, lambda r: r[2], names.points.get, NO_PLACE),
        by_category=(
            _counts(groups, lambda r: r[3], lambda c: (c, c), NOT_GIVEN)
            if categories
            else ()
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
    groups: Iterable[tuple[Any, ...]],
    key: Callable[[tuple[Any, ...]], Any],
    label: Callable[[Any], tuple[str, str] | None],
    missing: str,
) -> tuple[Count, ...]:
    """The groups' counts summed by ``key`` (None: not known, named ``missing``),
    each named by ``label``; most parcels first."""
    totals: Counter[Any] = Counter()
    for row in groups:
        totals[key(row)] += int(row[-1])
    rows = []
    for found, parcels in totals.items():
        code, name = (label(found) if found is not None else None) or (None, missing)
        rows.append(Count(code, name, parcels))
    return tuple(sorted(rows, key=lambda c: (-c.parcels, c.code or "\uffff")))
