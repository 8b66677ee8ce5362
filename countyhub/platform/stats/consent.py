"""Consent: hand-overs with the villager's consent on file, and without.

Since 2024 a courier may neither sign for a villager nor leave a parcel at a
station without consent.  A hand-over (event to ``delivered``) records how the
villager consented in its details (``consent``: one of
:data:`countyhub.platform.parcels.scans.CONSENT`); one without such a value —
older or imported history — counts as without.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import Session

from countyhub.platform.models import ParcelEvent, StatsDay, User
from countyhub.platform.models.stats import Dim
from countyhub.platform.parcels.scans import CONSENT
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.stats._scope import period_events, require_stats
from countyhub.platform.stats.period import Period, StatsQuery
from countyhub.platform.stats.rollup import period_days, refresh


@dataclass(frozen=True)
class ConsentKind:
    consent: str  # a value of CONSENT
    handovers: int


@dataclass(frozen=True)
class Consent:
    period: Period
    township: str | None
    handovers: int
    with_consent: int
    without_consent: int
    by_kind: tuple[ConsentKind, ...]  # every kind of CONSENT, in its order


def consent(
    session: Session, actor: User, query: StatsQuery, *, raw: bool = False
) -> Consent:
    """Hand-overs of the period by consent, from the daily rollup (``raw``: from
    the events).  Raises Forbidden without READ_STATS."""
    require_stats(actor)
    if raw:
        kind = ParcelEvent.details["consent"].as_string()
        statement = period_events(
            query, [kind, func.count()], ParcelEvent.to_status == Status.DELIVERED.value
        ).group_by(kind)
    else:
        refresh(session)
        statement = period_days(
            query,
            [StatsDay.tag, func.sum(StatsDay.events)],
            StatsDay.to_status == Status.DELIVERED.value,
            StatsDay.dim == Dim.CONSENT.value,
        ).group_by(StatsDay.tag)
    rows = session.execute(statement).all()
    found = {value: int(n) for value, n in rows}
    kinds = tuple(ConsentKind(k, found.get(k, 0)) for k in CONSENT)
    total = sum(found.values())
    given = sum(k.handovers for k in kinds)
    return Consent(
        period=query.period,
        township=query.township.code if query.township else None,
        handovers=total,
        with_consent=given,
        without_consent=total - given,
        by_kind=kinds,
    )
