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

from countyhub.platform.accounts.roles import Permission, Role, can, role_of
from countyhub.platform.models import Parcel


class ParcelScope(Protocol):
    courier_id: int
    service_point_id: int | None


def actor_courier_id(actor: object) -> int | None:
    """The courier a depot clerk works for, or None for other roles."""
    depot = getattr(actor, "depot", None)
    return depot.courier_id if depot is not None else None


def can_see(actor: object, parcel: ParcelScope) -> bool:
    """Whether ``actor`` may read ``parcel``."""
    role = role_of(actor)
    if can(actor, Permission.SEE_ALL_PARCELS):
        return True
    if role == Role.DEPOT_CLERK:
        return actor_courier_id(actor) == parcel.courier_id
    if role == Role.POINT_OPERATOR:
        return getattr(actor, "service_point_id", None) == parcel.service_point_id
    return False


def can_change(actor: object, parcel: ParcelScope) -> bool:
    """Whether ``actor`` may record a step of ``parcel`` or amend it."""
    writes = can(actor, Permission.REGISTER_PARCELS) or can(
        actor, Permission.RECORD_STEPS
    )
    return writes and can_see(actor, parcel)


def sees_personal_data(actor: object, parcel: ParcelScope) -> bool:
    """Whether ``actor`` needs ``parcel``'s recipient name and phone whole."""
    return (
        role_of(actor) == Role.POINT_OPERATOR
        and getattr(actor, "service_point_id", None) == parcel.service_point_id
    )


def visible_parcels(actor: object) -> ColumnElement[bool] | None:
    """A WHERE clause for the parcels ``actor`` may read; None: all of them."""
    role = role_of(actor)
    if can(actor, Permission.SEE_ALL_PARCELS):
        return None
    if role == Role.DEPOT_CLERK:
        return Parcel.courier_id == actor_courier_id(actor)
    if role == Role.POINT_OPERATOR:
        return Parcel.service_point_id == getattr(actor, "service_point_id", None)
    return false()
