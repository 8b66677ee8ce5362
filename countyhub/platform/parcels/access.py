"""Who may see and change which parcels, and who sees personal data whole.

Pure rules on a user and a parcel's courier, depot and service point:

=============== ==================================== ======================
role            sees / changes                       personal data whole
=============== ==================================== ======================
admin           every parcel                         no
dispatcher      every parcel                         no
analyst         reads every parcel, changes none     no
depot_clerk     its depot's courier's parcels        no
point_operator  its service point's parcels          yes, its point's only
=============== ==================================== ======================
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, false


class ParcelScope(Protocol):
    courier_id: int
    service_point_id: int | None


def actor_courier_id(actor: object) -> int | None:
    """The courier a depot clerk works for, or None for other roles."""
    depot = getattr(actor, "depot", None)
    return depot.courier_id if depot is not None else None


def can_see(actor: object, parcel: ParcelScope) -> bool:
    """Whether ``actor`` may read ``parcel``."""
    role = getattr(actor, "role_code", "")
    if role in ("admin", "dispatcher", "analyst"):
        return True
    if role == "depot_clerk":
        return actor_courier_id(actor) == parcel.courier_id
    if role == "point_operator":
        return getattr(actor, "service_point_id", None) == parcel.service_point_id
    return False


def can_change(actor: object, parcel: ParcelScope) -> bool:
    """Whether ``actor`` may record a step of ``parcel`` or amend it."""
    return getattr(actor, "role_code", "") != "analyst" and can_see(actor, parcel)


def sees_personal_data(actor: object, parcel: ParcelScope) -> bool:
    """Whether ``actor`` needs ``parcel``'s recipient name and phone whole."""
    return (
        getattr(actor, "role_code", "") == "point_operator"
        and getattr(actor, "service_point_id", None) == parcel.service_point_id
    )


def visible_parcels(actor: object) -> ColumnElement[bool] | None:
    """A WHERE clause for the parcels ``actor`` may read; None: all of them."""
    from countyhub.platform.models import Parcel

    role = getattr(actor, "role_code", "")
    if role in ("admin", "dispatcher", "analyst"):
        return None
    if role == "depot_clerk":
        return Parcel.courier_id == actor_courier_id(actor)
    if role == "point_operator":
        return Parcel.service_point_id == getattr(actor, "service_point_id", None)
    return false()
