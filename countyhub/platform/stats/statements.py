"""Per-courier statements (对账单): what the county's operator did for each
courier in the period, and what it is owed for it.

Per courier: inbound parcels handed to the villager (events to ``delivered``),
returned (to ``returned``), and outbound parcels collected from the points (to
``collected``).  Each of them is one parcel handled, charged ``fee`` yuan
(``COUNTYHUB_FEE_PER_PARCEL``); amounts are Decimal, rounded half up to the
fen.  Every courier has a statement, with zeros when nothing happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import Courier, Parcel, ParcelEvent, StatsDay, User
from countyhub.platform.models.stats import Dim
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.stats._scope import period_events, require_stats
from countyhub.platform.stats.period import Period, StatsQuery
from countyhub.platform.stats.rollup import period_days, refresh

FEN = Decimal("0.01")
BILLED = (Status.DELIVERED, Status.RETURNED, Status.COLLECTED)


@dataclass(frozen=True)
class CourierStatement:
    courier: str  # its code
    name: str
    delivered: int
    returned: int
    collected: int
    parcels: int  # the three together
    fee_per_parcel: Decimal  # yuan
    amount: Decimal  # yuan, to the fen


@dataclass(frozen=True)
class Statements:
    period: Period
    township: str | None
    fee_per_parcel: Decimal
    couriers: tuple[CourierStatement, ...]  # every courier, by code
    parcels: int
    amount: Decimal


def statements(
    session: Session,
    actor: User,
    query: StatsQuery,
    *,
    fee: Decimal,
    raw: bool = False,
) -> Statements:
    """Each courier's statement of the period at ``fee`` yuan a parcel, from the
    daily rollup (``raw``: from the events).  Raises Forbidden without
    READ_STATS."""
    require_stats(actor)
    counts = _raw_counts(session, query) if raw else _rolled_counts(session, query)
    couriers = session.execute(
        select(Courier.id, Courier.code, Courier.name).order_by(Courier.code)
    ).all()
    lines = tuple(
        _line(code, name, *counts.get(cid, [0, 0, 0]), fee=fee)
        for cid, code, name in couriers
    )
    return Statements(
        period=query.period,
        township=query.township.code if query.township else None,
        fee_per_parcel=fee,
        couriers=lines,
        parcels=sum(line.parcels for line in lines),
        amount=sum((line.amount for line in lines), Decimal("0.00")),
    )


def _raw_counts(session: Session, query: StatsQuery) -> dict[int, list[int]]:
    """Per courier id: its parcels delivered, returned and collected."""
    sums = [
        func.coalesce(func.sum(case((ParcelEvent.to_status == s.value, 1))), 0)
        for s in BILLED
    ]
    rows = session.execute(
        period_events(
            query,
            [Parcel.courier_id, *sums],
            ParcelEvent.to_status.in_([s.value for s in BILLED]),
        ).group_by(Parcel.courier_id)
    ).all()
    return {row[0]: [int(n) for n in row[1:]] for row in rows}


def _rolled_counts(session: Session, query: StatsQuery) -> dict[int, list[int]]:
    refresh(session)
    sums = [
        func.coalesce(
            func.sum(case((StatsDay.to_status == s.value, StatsDay.events))), 0
        )
        for s in BILLED
    ]
    rows = session.execute(
        period_days(
            query,
            [StatsDay.ref_id, *sums],
            StatsDay.to_status.in_([s.value for s in BILLED]),
            StatsDay.dim == Dim.COURIER.value,
        ).group_by(StatsDay.ref_id)
    ).all()
    return {row[0]: [int(n) for n in row[1:]] for row in rows}


def _line(
    code: str, name: str, delivered: int, returned: int, collected: int, *, fee: Decimal
) -> CourierStatement:
    parcels = delivered + returned + collected
    return CourierStatement(
        courier=code,
        name=name,
        delivered=delivered,
        returned=returned,
        collected=collected,
        parcels=parcels,
        fee_per_parcel=fee,
        amount=(fee * parcels).quantize(FEN, rounding=ROUND_HALF_UP),
    )
