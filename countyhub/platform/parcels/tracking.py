"""Public tracking: a villager looks a parcel up by its waybill number.

No login, so no personal data at all: no name, no phone, no address; only the
courier, the steps, where they happened and the service point to collect it at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from countyhub.couriers import MAX_WAYBILL_LENGTH, normalize_waybill
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import Parcel, ParcelEvent
from countyhub.platform.parcels.statuses import LABELS_ZH, Status

PLACE_ZH = {
    "depot": "快递网点",
    "centre": "县分拣中心",
    "vehicle": "配送车辆",
    "point": "村级服务点",
}


@dataclass(frozen=True, slots=True)
class TrackedStep:
    at: dt.datetime
    status: str
    status_zh: str
    place: str


@dataclass(frozen=True, slots=True)
class TrackedParcel:
    courier: str
    waybill: str
    direction: str
    status: str
    status_zh: str
    service_point: str
    steps: list[TrackedStep]


def track(session: Session, waybill: str) -> list[TrackedParcel]:
    """Every parcel with that number (couriers' numbers may coincide).

    Raises InvalidInput (longer than any courier's number), NotFound.
    """
    number = normalize_waybill(waybill)
    if len(number) > MAX_WAYBILL_LENGTH:  # not looked for, and not repeated back
        raise InvalidInput(
            f"a waybill number has at most {MAX_WAYBILL_LENGTH} characters",
            {"waybill": "too long"},
        )
    if not number.isprintable():  # no such number, and NUL is refused by PostgreSQL
        raise NotFound("parcel with waybill", number.encode("unicode_escape").decode())
    parcels = session.scalars(
        select(Parcel)
        .where(Parcel.waybill_no == number)
        .order_by(Parcel.id)
        .options(joinedload(Parcel.courier), joinedload(Parcel.service_point))
    ).all()
    if not parcels:
        raise NotFound("parcel with waybill", number)
    return [_tracked(session, p) for p in parcels]


def _tracked(session: Session, parcel: Parcel) -> TrackedParcel:
    events = session.scalars(
        select(ParcelEvent)
        .where(ParcelEvent.parcel_id == parcel.id, ParcelEvent.to_status.is_not(None))
        .order_by(ParcelEvent.at, ParcelEvent.id)
    )
    point = parcel.service_point
    return TrackedParcel(
        courier=parcel.courier.name,
        waybill=parcel.waybill_no,
        direction=parcel.direction,
        status=parcel.status,
        status_zh=LABELS_ZH[Status(parcel.status)],
        service_point=point.name if point else "",
        steps=[
            TrackedStep(
                e.at.astimezone(LOCAL_TZ),
                e.to_status or "",
                LABELS_ZH[Status(str(e.to_status))],
                _place(e),
            )
            for e in events
        ],
    )


def _place(event: ParcelEvent) -> str:
    if event.place == "point" and event.service_point is not None:
        return event.service_point.name
    return PLACE_ZH.get(event.place, event.place)
