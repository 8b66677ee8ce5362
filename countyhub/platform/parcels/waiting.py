"""The parcels waiting at a service point: arrived there, not yet handed over.

The point operator's day starts from this list, oldest arrival first, each with the
whole days it has waited (counted in Asia/Shanghai, the county's calendar: a parcel
that arrived yesterday evening has waited one day this morning).  The list masks
the recipient's name and phone as every list does; the operator sees them whole
only on the parcel's own hand-over page (:func:`~countyhub.platform.parcels.
registry.view_parcel`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Role
from countyhub.platform.db import LOCAL_TZ, utcnow
from countyhub.platform.errors import Forbidden
from countyhub.platform.models import Courier, Parcel, ParcelEvent, User
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.privacy import mask_name, mask_phone


@dataclass(frozen=True, slots=True)
class WaitingParcel:
    """One parcel waiting at the point, masked as a list shows it."""

    id: int
    waybill: str
    courier: str
    recipient_name: str  # masked
    recipient_phone: str  # masked
    pieces: int
    arrived_at: dt.datetime  # in Asia/Shanghai
    days_waiting: int


def waiting_parcels(
    session: Session, actor: User, *, now: dt.datetime | None = None
) -> list[WaitingParcel]:
    """The inbound parcels arrived at ``actor``'s own point, oldest arrival first.

    Raises Forbidden unless ``actor`` operates a service point.
    """
    if actor.role_code != Role.POINT_OPERATOR or actor.service_point_id is None:
        raise Forbidden("the waiting parcels are listed for a service point operator")
    # each parcel's arrival, looked up for the point's parcels only (by the
    # parcel's events index), not grouped over every arrival of the county
    arrived = (
        select(func.max(ParcelEvent.at))
        .where(
            ParcelEvent.parcel_id == Parcel.id,
            ParcelEvent.to_status == Status.ARRIVED.value,
        )
        .correlate(Parcel)
        .scalar_subquery()
        .label("arrived_at")
    )
    rows = session.execute(
        select(Parcel, Courier.name, arrived)
        .join(Courier, Parcel.courier_id == Courier.id)
        .where(
            Parcel.service_point_id == actor.service_point_id,
            Parcel.status == Status.ARRIVED.value,
            Parcel.direction == Direction.INBOUND.value,
        )
        .order_by(arrived, Parcel.id)
    )
    today = (now or utcnow()).astimezone(LOCAL_TZ).date()
    return [_waiting(parcel, courier, at, today) for parcel, courier, at in rows]


def _waiting(
    parcel: Parcel, courier: str, at: dt.datetime, today: dt.date
) -> WaitingParcel:
    local = at.astimezone(LOCAL_TZ)
    return WaitingParcel(
        id=parcel.id,
        waybill=parcel.waybill_no,
        courier=courier,
        recipient_name=mask_name(parcel.recipient_name),
        recipient_phone=mask_phone(parcel.recipient_phone),
        pieces=parcel.pieces,
        arrived_at=local,
        days_waiting=max(0, (today - local.date()).days),
    )
