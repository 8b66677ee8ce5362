"""A read-only overview of what the platform holds, for the start page and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from countyhub.platform.db import Base
from countyhub.platform.models import (
    County,
    Courier,
    Parcel,
    ServicePoint,
    Township,
    Village,
)
from countyhub.platform.parcels.statuses import LABELS_ZH, Status


@dataclass(frozen=True)
class Overview:
    county: str
    townships: int
    villages: int
    service_points: int
    approximate_points: int
    couriers: list[tuple[str, str, int]]
    statuses: list[tuple[str, str, str, int]]
    parcels: int
    unresolved: int


def overview(session: Session) -> Overview:
    """Counts of places, couriers and parcels (by status and direction)."""

    def count(model: type[Base], *where: ColumnElement[bool]) -> int:
        return (
            session.scalar(select(func.count()).select_from(model).where(*where)) or 0
        )

    county = session.scalar(select(County.name))
    per_courier = session.execute(
        select(Courier.code, Courier.name, func.count(Parcel.id))
        .outerjoin(Parcel, Parcel.courier_id == Courier.id)
        .group_by(Courier.code, Courier.name)
        .order_by(Courier.code)
    ).all()
    per_status = session.execute(
        select(Parcel.direction, Parcel.status, func.count())
        .group_by(Parcel.direction, Parcel.status)
        .order_by(Parcel.direction, Parcel.status)
    ).all()
    return Overview(
        county=county or "",
        townships=count(Township),
        villages=count(Village),
        service_points=count(ServicePoint),
        approximate_points=count(
            ServicePoint, ServicePoint.coord_approximate.is_(True)
        ),
        couriers=list(per_courier),
        statuses=[(d, s, LABELS_ZH[Status(s)], n) for d, s, n in per_status],
        parcels=count(Parcel),
        unresolved=count(Parcel, Parcel.address_state == "unresolved"),
    )
