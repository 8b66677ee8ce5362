"""The registry of parcels: find, list, show with their timeline, assign a point.

Parcels enter it through :mod:`countyhub.platform.intake`; what a reader sees of
them is scoped by :mod:`countyhub.platform.parcels.access` and masked by
:mod:`countyhub.platform.privacy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.db import LOCAL_TZ, utcnow
from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.models import (
    Courier,
    Parcel,
    ParcelEvent,
    ServicePoint,
    User,
)
from countyhub.platform.parcels import access
from countyhub.platform.parcels.statuses import LABELS_ZH, Status
from countyhub.platform.privacy import mask_name, mask_phone


def find_parcel(
    session: Session, actor: User, waybill: str, courier: str | None = None
) -> Parcel:
    """The parcel with that waybill number.  Raises NotFound, InvalidInput."""
    found = parcels_by_waybill(session, [waybill])
    return pick_parcel(found, actor, waybill, courier)


def parcels_by_waybill(
    session: Session, waybills: Iterable[str]
) -> dict[str, list[Parcel]]:
    """The parcels of these waybill numbers (any courier), with their couriers, by
    normalised number: one query.  Numbers that no parcel can have are skipped."""
    wanted = {_normal(w) for w in waybills if w.isprintable()}  # NUL breaks SQL
    found: dict[str, list[Parcel]] = {}
    if wanted:
        query = (
            select(Parcel)
            .where(Parcel.waybill_no.in_(sorted(wanted)))
            .options(joinedload(Parcel.courier))
            .order_by(Parcel.id)
        )
        for parcel in session.scalars(query):
            found.setdefault(parcel.waybill_no, []).append(parcel)
    return found


def pick_parcel(
    found: Mapping[str, Sequence[Parcel]],
    actor: User,
    waybill: str,
    courier: str | None = None,
) -> Parcel:
    """The one parcel of ``found`` (:func:`parcels_by_waybill`) with that number
    (and courier) that ``actor`` may see.  Raises NotFound, InvalidInput."""
    if not (waybill + (courier or "")).isprintable():
        raise NotFound("parcel", waybill.encode("unicode_escape").decode())
    candidates = found.get(_normal(waybill), ())
    if courier:
        candidates = [p for p in candidates if p.courier.code == courier.upper()]
    visible = [p for p in candidates if access.can_see(actor, p)]
    if not visible:
        raise NotFound("parcel", waybill)
    if len(visible) > 1:
        codes = ", ".join(sorted(p.courier.code for p in visible))
        raise InvalidInput(
            f"waybill {waybill} is registered by several couriers "
            f"({codes}): name the courier",
            {"courier": "required"},
        )
    return visible[0]


def _normal(waybill: str) -> str:
    return waybill.strip().upper()


def timeline(session: Session, actor: User, parcel: Parcel) -> list[ParcelEvent]:
    """The parcel's events, oldest first.  Raises Forbidden."""
    if not access.can_see(actor, parcel):
        raise Forbidden("this parcel is outside your scope")
    return list(
        session.scalars(
            select(ParcelEvent)
            .where(ParcelEvent.parcel_id == parcel.id)
            .order_by(ParcelEvent.at, ParcelEvent.id)
        )
    )


@dataclass(frozen=True, slots=True)
class ParcelView:
    """A parcel as a given user may see it (personal data masked unless needed)."""

    id: int
    waybill: str
    courier: str
    direction: str
    status: str
    status_zh: str
    recipient_name: str
    recipient_phone: str
    address: str
    address_state: str
    service_point: str
    approximate_point: bool | None
    weight_kg: float | None
    pieces: int
    category: str | None  # a code of parcels.categories; None: not given
    registered_at: dt.datetime  # in Asia/Shanghai


def view_parcel(actor: User, parcel: Parcel) -> ParcelView:
    """The parcel for ``actor``'s eyes: masked unless the role needs it whole."""
    whole = access.sees_personal_data(actor, parcel)
    point = parcel.service_point
    return ParcelView(
        id=parcel.id,
        waybill=parcel.waybill_no,
        courier=parcel.courier.name,
        direction=parcel.direction,
        status=parcel.status,
        status_zh=LABELS_ZH[Status(parcel.status)],
        recipient_name=parcel.recipient_name
        if whole
        else mask_name(parcel.recipient_name),
        recipient_phone=(
            parcel.recipient_phone if whole else mask_phone(parcel.recipient_phone)
        ),
        address=parcel.address,
        address_state=parcel.address_state,
        service_point=f"{point.code} {point.name}" if point else "",
        approximate_point=point.coord_approximate if point else None,
        weight_kg=parcel.weight_kg,
        pieces=parcel.pieces,
        category=parcel.category,
        registered_at=parcel.registered_at.astimezone(LOCAL_TZ),
    )


def assign_point(
    session: Session, actor: User, parcel: Parcel, point_code: str
) -> ParcelEvent:
    """Give an unresolved parcel its point by hand.  Raises Forbidden, NotFound."""
    require(
        actor,
        Permission.ASSIGN_POINTS,
        "only a dispatcher or an admin assigns service points",
    )
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == point_code))
    if point is None:
        raise NotFound("service point", point_code)
    if parcel.status not in (Status.REGISTERED, Status.RECEIVED, Status.SORTED):
        raise InvalidInput(f"the parcel is already {parcel.status}; its point is fixed")
    parcel.service_point, parcel.village_id = point, point.village_id
    parcel.address_state, parcel.updated_at = "assigned", utcnow()
    event = ParcelEvent(
        parcel_id=parcel.id,
        kind="assigned",
        at=utcnow(),
        actor=actor,
        place="centre",
        service_point=point,
        details={"service_point": point.code},
    )
    session.add(event)
    session.flush()
    return event


def unresolved_parcels(session: Session, actor: User, limit: int = 100) -> list[Parcel]:
    """Parcels whose address found no service point, oldest first."""
    query = (
        select(Parcel)
        .where(Parcel.address_state == "unresolved")
        .order_by(Parcel.registered_at, Parcel.id)
        .limit(limit)
    )
    return [p for p in session.scalars(query) if access.can_see(actor, p)]


@dataclass(frozen=True, slots=True)
class ParcelFilter:
    """What a list of parcels may be narrowed to (all optional)."""

    waybill: str | None = None  # as typed; compared normalised
    courier: str | None = None
    status: str | None = None
    service_point: str | None = None
    direction: str | None = None
    registered_from: dt.datetime | None = None
    registered_to: dt.datetime | None = None
    address_state: str | None = None


def parcels_query(actor: User, where: ParcelFilter) -> Select[Any]:
    """The parcels ``actor`` may see that match ``where`` (unordered), with what
    :func:`view_parcel` shows of their courier and point loaded in one query each
    (not one per parcel)."""
    query = select(Parcel).options(
        selectinload(Parcel.courier), selectinload(Parcel.service_point)
    )
    scope = access.visible_parcels(actor)
    if scope is not None:
        query = query.where(scope)
    if where.courier:
        query = query.join(Courier, Parcel.courier_id == Courier.id).where(
            Courier.code == where.courier.upper()
        )
    if where.waybill:
        query = query.where(Parcel.waybill_no == _normal(where.waybill))
    if where.service_point:
        query = query.join(
            ServicePoint, Parcel.service_point_id == ServicePoint.id
        ).where(ServicePoint.code == where.service_point)
    for column, value in (
        (Parcel.status, where.status),
        (Parcel.direction, where.direction),
        (Parcel.address_state, where.address_state),
    ):
        if value:
            query = query.where(column == value)
    if where.registered_from:
        query = query.where(Parcel.registered_at >= where.registered_from)
    if where.registered_to:
        query = query.where(Parcel.registered_at < where.registered_to)
    return query


def get_parcel(session: Session, actor: User, parcel_id: int) -> Parcel:
    """The parcel with that id, if ``actor`` may see it.  Raises NotFound."""
    parcel = session.get(
        Parcel, parcel_id, options=[joinedload(Parcel.service_point)]
    )  # what view_parcel shows, in the same query
    if parcel is None or not access.can_see(actor, parcel):
        raise NotFound("parcel", parcel_id)  # outside one's scope: existence hidden
    return parcel
