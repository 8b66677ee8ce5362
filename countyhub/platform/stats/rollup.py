"""The daily rollup of parcel events that the figures read for whole days, kept
right by refresh-on-read.

:class:`~countyhub.platform.models.StatsDay` counts the events to the statuses
the figures count (:data:`ROLLED`) by local day, target status, the parcel's
direction and its place's township, along one dimension at a time
(:class:`~countyhub.platform.models.stats.Dim`): courier, village, point,
category, consent; the status returns and re-sorts came from; the points
arrivals name; each reception's 48 h promise (kept, late, open: read for the
days whose every reception is past its deadline); each hand-over's dwell in
whole :data:`QUARTER` hours (the percentiles then come within 15 minutes below
the exact ones).  A year is some hundred thousand rows whatever the number of
parcels.  No write path does anything for it: each figure calls :func:`refresh`
first, which re-aggregates every local day touched by events it has not seen
and replaces those days' rows in the caller's transaction (an entrypoint that
does not commit leaves the work to the next read).

Which events it has not seen.  Events are append-only and their ids increase,
so ``seen_id`` (the highest id rolled up) marks the new ones; a late event (an
old ``at``) names an old day, and that day is re-aggregated.  But an id is
given at insert, not at commit: a transaction may commit an id below
``seen_id`` after a refresh ran.  So each refresh also records the *gaps*: the
ids up to the top that no committed event had (:class:`StatsGap`).  Each later
refresh looks them up again; an id that has appeared since is a late commit,
and its day is re-aggregated.  A gap still empty after :data:`MARGIN` is a
rolled-back insert (PostgreSQL never reuses a sequence value) and is
forgotten: a transaction that stays open longer than that with parcel events
written is not seen (the request path and the intake's chunks commit within
seconds).  On the very first refresh the gaps are looked for among the last
:data:`FIRST_WINDOW` ids only (older gaps are old rollbacks).  On SQLite writers
take turns and a rolled-back rowid is reused, so there are no gaps to keep.

Changed parcels.  The rollup keys an event by its parcel's *current* courier,
village, point and category, as the raw queries do.  A parcel's place or
fields change with an event of their own (``assigned``, ``amended``: no
target status); a refresh that meets one re-aggregates every day on which that
parcel has counted events.  So does an arrival or a hand-over, whose parcel's
reception (the promise) and hand-over (the dwell) rows depend on it.  A
change made without an event (a direct UPDATE) is not seen until
:func:`rebuild`; nor is a point moved to another village (the rollup keeps
each event's township and village as they were at its refresh): call
:func:`rebuild` after such a change of the gazetteer.

Two refreshes at once serialise on the state row (``FOR UPDATE`` on
PostgreSQL; SQLite has one writer).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from countyhub.platform.db import LOCAL_TZ, utcnow
from countyhub.platform.models import (
    Parcel,
    ParcelEvent,
    ServicePoint,
    StatsDay,
    StatsGap,
    StatsRefresh,
    Village,
)
from countyhub.platform.models.stats import Dim, Promise
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.stats._sql import local_day, seconds_between
from countyhub.platform.stats.period import StatsQuery

ROLLED = (
    Status.REGISTERED,
    Status.SORTED,
    Status.ARRIVED,
    Status.RECEIVED,
    Status.DELIVERED,
    Status.RETURNED,
    Status.COLLECTED,
)
PROMISE = dt.timedelta(hours=48)  # from the centre to the villager's hands
QUARTER = dt.timedelta(minutes=15)  # the dwell histogram's bucket
MARGIN = dt.timedelta(minutes=10)  # how long a gap may be an open transaction
FIRST_WINDOW = 100_000  # ids below the top where the first refresh seeks gaps
_STATE = 1
_DAY = dt.timedelta(days=1)
_Bounds = tuple[dt.datetime, dt.datetime]
# a parcel's reception row (promise kept) and hand-over row (dwell) depend on
# these later events of the same parcel
_PAIRED = (Status.ARRIVED.value, Status.DELIVERED.value)


def refresh(session: Session, now: dt.datetime | None = None) -> None:
    """Bring the rollup up to the committed events (see the module)."""
    now = now or utcnow()
    top = session.scalar(select(func.max(ParcelEvent.id))) or 0
    seen = session.scalar(select(StatsRefresh.seen_id).where(StatsRefresh.id == _STATE))
    gaps = session.scalars(select(StatsGap.event_id)).all()
    if top == seen and not gaps:
        return  # the common read: nothing new, no lock taken
    state = _state(session, now)
    top = session.scalar(select(func.max(ParcelEvent.id))) or 0
    gaps = session.scalars(select(StatsGap.event_id)).all()
    if state.seen_id == 0:
        rebuild(session)
    else:
        filled = _filled(session, gaps)
        new = ParcelEvent.id > state.seen_id
        events = or_(new, ParcelEvent.id.in_(filled)) if filled else new
        _recompute(session, _dirty_days(session, events))
        session.execute(delete(StatsGap).where(StatsGap.event_id.in_(filled)))
    session.execute(delete(StatsGap).where(StatsGap.seen_at < now - MARGIN))
    low = state.seen_id if state.seen_id else max(0, top - FIRST_WINDOW)
    _record_gaps(session, low, top, now)
    state.seen_id, state.refreshed_at = top, now
    session.flush()


def rebuild(session: Session) -> None:
    """Every day of the rollup again, from all the events."""
    session.execute(delete(StatsDay))
    _insert(session)


def _state(session: Session, now: dt.datetime) -> StatsRefresh:
    query = select(StatsRefresh).where(StatsRefresh.id == _STATE)
    state = session.scalar(
        query.with_for_update().execution_options(populate_existing=True)
    )
    if state is None:
        state = StatsRefresh(id=_STATE, seen_id=0, refreshed_at=now)
        session.add(state)
        session.flush()
    return state


def _filled(session: Session, gaps: Iterable[int]) -> list[int]:
    """The gaps that a late commit has filled since."""
    wanted = list(gaps)
    if not wanted:
        return []
    return list(
        session.scalars(select(ParcelEvent.id).where(ParcelEvent.id.in_(wanted)))
    )


def _dirty_days(session: Session, events: ColumnElement[bool]) -> set[dt.date]:
    """The local days of ``events``, and every day on which a parcel changed by
    one of them (an event without a target status) or handed over by one (its
    reception's promise row) has counted events."""
    day = local_day(ParcelEvent.at)
    days = set(session.scalars(select(day).where(events).distinct()))
    changed = select(ParcelEvent.parcel_id).where(
        events,
        or_(
            ParcelEvent.to_status.is_(None),
            ParcelEvent.to_status.in_(_PAIRED),
        ),
    )
    days.update(
        session.scalars(
            select(day)
            .where(ParcelEvent.parcel_id.in_(changed))
            .where(ParcelEvent.to_status.in_([s.value for s in ROLLED]))
            .distinct()
        )
    )
    return {_as_date(d) for d in days}


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _recompute(session: Session, days: set[dt.date]) -> None:
    for first, last in _runs(sorted(days)):
        session.execute(
            delete(StatsDay).where(StatsDay.day >= first, StatsDay.day <= last)
        )
        start = dt.datetime.combine(first, dt.time(), LOCAL_TZ)
        after = dt.datetime.combine(last + _DAY, dt.time(), LOCAL_TZ)
        _insert(session, (start.astimezone(dt.UTC), after.astimezone(dt.UTC)))


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + _DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _insert(session: Session, bounds: _Bounds | None = None) -> None:
    """The rollup rows of the events at ``bounds`` (from, before; None: all):
    one grouped query, each group then counted along every dimension."""
    place = func.coalesce(Parcel.village_id, ServicePoint.village_id)
    keys = [
        local_day(ParcelEvent.at),
        ParcelEvent.to_status,
        Parcel.direction,
        Village.township_id,
        Parcel.courier_id,
        place,
        Parcel.service_point_id,
        Parcel.category,
        ParcelEvent.details["consent"].as_string(),
        ParcelEvent.from_status,
        ParcelEvent.service_point_id,
    ]
    groups = session.execute(
        select(*keys, func.count())
        .select_from(ParcelEvent)
        .join(Parcel, Parcel.id == ParcelEvent.parcel_id)
        .outerjoin(ServicePoint, ServicePoint.id == Parcel.service_point_id)
        .outerjoin(Village, Village.id == place)
        .where(ParcelEvent.to_status.in_([s.value for s in ROLLED]))
        .where(*_within(ParcelEvent, bounds))
        .group_by(*keys)
    )
    totals: Counter[tuple[Any, ...]] = Counter()
    for (
        day,
        status,
        way,
        township,
        courier,
        village,
        point,
        category,
        kind,
        origin,
        at_point,
        n,
    ) in groups:
        head: tuple[Any, ...] = (_as_date(day), status, way, township)
        if status == Status.ARRIVED:
            totals[(*head, Dim.ARRIVAL, at_point, None)] += n
            continue  # counted for the villages served only
        if status in (Status.RETURNED, Status.SORTED):
            totals[(*head, Dim.ORIGIN, None, origin)] += n
        if status == Status.SORTED:
            continue  # counted for the runs that brought parcels back only
        totals[(*head, Dim.ALL, None, None)] += n
        totals[(*head, Dim.COURIER, courier, None)] += n
        totals[(*head, Dim.VILLAGE, village, None)] += n
        totals[(*head, Dim.POINT, point, None)] += n
        if status == Status.REGISTERED:
            totals[(*head, Dim.CATEGORY, None, category)] += n
        if status == Status.DELIVERED:
            totals[(*head, Dim.CONSENT, None, kind)] += n
    totals.update(_promises(session, bounds))
    totals.update(_dwells(session, bounds))
    rows = [dict(zip(_COLUMNS, (*key, n), strict=True)) for key, n in totals.items()]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(StatsDay), rows[start : start + _BATCH])


def _promises(session: Session, bounds: _Bounds | None) -> Counter[Any]:
    """Receptions of inbound parcels by township and :class:`Promise` kept."""
    got, gave = aliased(ParcelEvent), aliased(ParcelEvent)
    place = func.coalesce(Parcel.village_id, ServicePoint.village_id)
    limit = int(PROMISE.total_seconds())
    outcome = case(
        (gave.id.is_(None), Promise.OPEN.value),
        (seconds_between(got.at, gave.at) <= limit, Promise.WITHIN.value),
        else_=Promise.LATE.value,
    )
    keys = [local_day(got.at), Village.township_id, outcome]
    rows = session.execute(
        select(*keys, func.count())
        .select_from(got)
        .join(Parcel, Parcel.id == got.parcel_id)
        .outerjoin(ServicePoint, ServicePoint.id == Parcel.service_point_id)
        .outerjoin(Village, Village.id == place)
        .outerjoin(
            gave,
            and_(
                gave.parcel_id == got.parcel_id,
                gave.to_status == Status.DELIVERED.value,
            ),
        )
        .where(got.to_status == Status.RECEIVED.value)
        .where(Parcel.direction == Direction.INBOUND.value)
        .where(*_within(got, bounds))
        .group_by(*keys)
    )
    found: Counter[Any] = Counter()
    for row in rows:
        key = (_as_date(row[0]), Status.RECEIVED, Direction.INBOUND, row[1])
        found[(*key, Dim.PROMISE, None, row[2])] += row[3]
    return found


def _dwells(session: Session, bounds: _Bounds | None) -> Counter[Any]:
    """Hand-overs by township and dwell at the point in whole :data:`QUARTER`s."""
    came = aliased(ParcelEvent)
    place = func.coalesce(Parcel.village_id, ServicePoint.village_id)
    quarter = seconds_between(came.at, ParcelEvent.at) / int(QUARTER.total_seconds())
    keys = [local_day(ParcelEvent.at), Village.township_id, quarter]
    rows = session.execute(
        select(*keys, func.count())
        .select_from(ParcelEvent)
        .join(Parcel, Parcel.id == ParcelEvent.parcel_id)
        .outerjoin(ServicePoint, ServicePoint.id == Parcel.service_point_id)
        .outerjoin(Village, Village.id == place)
        .join(
            came,
            and_(
                came.parcel_id == ParcelEvent.parcel_id,
                came.to_status == Status.ARRIVED.value,
            ),
        )
        .where(ParcelEvent.to_status == Status.DELIVERED.value)
        .where(*_within(ParcelEvent, bounds))
        .group_by(*keys)
    )
    found: Counter[Any] = Counter()
    for day, township, quarter, n in (tuple(row) for row in rows):
        key = (_as_date(day), Status.DELIVERED, Direction.INBOUND, township)
        found[(*key, Dim.DWELL, int(quarter), None)] += int(n)
    return found


def _within(event: Any, bounds: _Bounds | None) -> list[ColumnElement[bool]]:
    if bounds is None:
        return []
    return [event.at >= bounds[0], event.at < bounds[1]]


_COLUMNS = ("day", "to_status", "direction", "township_id", "dim", "ref_id", "tag",
            "events")  # fmt: skip
_BATCH = 20_000


def _record_gaps(session: Session, low: int, top: int, now: dt.datetime) -> None:
    """Keep the ids in (low, top] that no visible event has."""
    if top <= low:
        return
    present = session.scalar(
        select(func.count())
        .select_from(ParcelEvent)
        .where(ParcelEvent.id > low, ParcelEvent.id <= top)
    )
    if present == top - low:
        return
    ids = set(
        session.scalars(
            select(ParcelEvent.id).where(ParcelEvent.id > low, ParcelEvent.id <= top)
        )
    )
    known = set(session.scalars(select(StatsGap.event_id)))
    missing = [i for i in range(low + 1, top + 1) if i not in ids and i not in known]
    if missing:
        session.execute(
            insert(StatsGap), [{"event_id": i, "seen_at": now} for i in missing]
        )


def period_days(
    query: StatsQuery, columns: list[Any], *where: ColumnElement[bool]
) -> Select[Any]:
    """``columns`` of the rollup's rows of the period (whole local days, as every
    period is) and of the query's township."""
    period = query.period
    township = query.township
    return select(*columns).where(
        StatsDay.day >= period.start,
        StatsDay.day <= period.end,
        *where,
        *([StatsDay.township_id == township.id] if township else []),
    )
