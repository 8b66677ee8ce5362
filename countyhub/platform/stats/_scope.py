"""What most figures start from: the parcel events of a period, narrowed to a
township, and the names of the places and couriers their rows are keyed by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.models import (
    Courier,
    Parcel,
    ParcelEvent,
    ServicePoint,
    Township,
    Village,
)
from countyhub.platform.stats.period import StatsQuery

NO_PLACE = "地址未解析"  # a parcel whose address found no village (yet)


def require_stats(actor: object) -> None:
    """Raise Forbidden unless ``actor`` may read the county's figures."""
    require(
        actor,
        Permission.READ_STATS,
        "only the bureau's analysts and the admins read the county's figures",
    )


def in_township(
    query: StatsQuery,
    village: Any = Parcel.village_id,
    point: Any = Parcel.service_point_id,
) -> list[ColumnElement[bool]]:
    """The condition that keeps a parcel of the query's township (none: all).

    A parcel's place is its address's village or, without one (an outbound
    parcel's address is its destination), its service point's village.
    ``village`` and ``point`` are where a row holds them (the rollup's too).
    """
    if query.township is None:
        return []
    villages = select(Village.id).where(Village.township_id == query.township.id)
    points = select(ServicePoint.id).where(ServicePoint.village_id.in_(villages))
    return [
        or_(
            village.in_(villages),
            and_(village.is_(None), point.in_(points)),
        )
    ]


def period_events(
    query: StatsQuery, columns: list[Any], *where: ColumnElement[bool]
) -> Select[Any]:
    """``columns`` of the events in the period joined to their parcels."""
    first, after = query.period.utc_bounds()
    return (
        select(*columns)
        .select_from(ParcelEvent)
        .join(Parcel, Parcel.id == ParcelEvent.parcel_id)
        .where(ParcelEvent.at >= first, ParcelEvent.at < after, *where)
        .where(*in_township(query))
    )


@dataclass(frozen=True)
class Names:
    """Code and name of each courier, township, village and point, by id; and
    each village's township."""

    couriers: dict[int, tuple[str, str]]
    townships: dict[int, tuple[str, str]]
    villages: dict[int, tuple[str, str]]
    village_township: dict[int, int]
    points: dict[int, tuple[str, str]]
    point_village: dict[int, int]

    def village_of(self, village: int | None, point: int | None) -> int | None:
        """A parcel's village: its address's, else its point's."""
        if village is None and point is not None:
            return self.point_village.get(point)
        return village


def load_names(session: Session) -> Names:
    """The county's names (a few hundred rows)."""
    villages = session.execute(
        select(Village.id, Village.code, Village.name, Village.township_id)
    ).all()
    return Names(
        couriers=_by_id(session, Courier),
        townships=_by_id(session, Township),
        villages={row.id: (row.code, row.name) for row in villages},
        village_township={row.id: row.township_id for row in villages},
        points=_by_id(session, ServicePoint),
        point_village={
            row.id: row.village_id
            for row in session.execute(select(ServicePoint.id, ServicePoint.village_id))
        },
    )


def _by_id(
    session: Session, model: type[Courier] | type[Township] | type[ServicePoint]
) -> dict[int, tuple[str, str]]:
    rows = session.execute(select(model.id, model.code, model.name))
    return {row.id: (row.code, row.name) for row in rows}
