"""Who may do what: the roles, the permissions, and the one table between them.

Every rule of the form "only these roles may …" is read from :data:`GRANTS`, by
the services (:func:`require`), by the API (its route guard) and by the pages,
so that a role's rights change in one place.  What a role sees *within* a right
— a depot clerk its own courier's parcels, a point operator its own point's — is
a scope, kept by the area that owns the rows (``parcels/access.py``,
``intake/imports.py``); those compare against :class:`Role` members too, never
against a role's name written out.

Roles are stored as their value (``user_account.role_code``), so ``Role`` and the
stored text compare equal.
"""

from __future__ import annotations

from enum import StrEnum

from countyhub.platform.errors import Forbidden


class Role(StrEnum):
    """What a user is (the ``role`` table holds their Chinese and English names)."""

    DEPOT_CLERK = "depot_clerk"
    DISPATCHER = "dispatcher"
    POINT_OPERATOR = "point_operator"
    ANALYST = "analyst"
    ADMIN = "admin"


class Permission(StrEnum):
    """A right that one or more roles hold."""

    ADMINISTER = "administer"  # users, API keys, depots, vehicles, points, gazetteer
    REGISTER_PARCELS = "register_parcels"
    UPLOAD_MANIFESTS = "upload_manifests"
    READ_IMPORTS = "read_imports"  # a depot clerk: its own depot's imports
    SEE_ALL_IMPORTS = "see_all_imports"
    SEE_ALL_PARCELS = "see_all_parcels"
    RECORD_STEPS = "record_steps"  # scans; a point operator: arrival and hand-over
    ASSIGN_POINTS = "assign_points"  # an unresolved address to a service point
    SET_CADENCE = "set_cadence"
    MAKE_PLANS = "make_plans"  # make, pin, publish, record, the cycle
    READ_PLANS = "read_plans"
    SEE_OPERATOR_PHONES = "see_operator_phones"
    READ_STATS = "read_stats"  # the county's figures and couriers' statements
    MAKE_REPORTS = "make_reports"  # build, send and audit the province report


P = Permission
_READER = frozenset(
    {P.READ_IMPORTS, P.SEE_ALL_IMPORTS, P.SEE_ALL_PARCELS, P.READ_PLANS}
)

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.DISPATCHER: _READER
    | {
        P.REGISTER_PARCELS,
        P.UPLOAD_MANIFESTS,
        P.RECORD_STEPS,
        P.ASSIGN_POINTS,
        P.SET_CADENCE,
        P.MAKE_PLANS,
    },
    Role.ANALYST: _READER | {P.READ_STATS, P.MAKE_REPORTS},
    Role.DEPOT_CLERK: frozenset(
        {P.REGISTER_PARCELS, P.UPLOAD_MANIFESTS, P.READ_IMPORTS}
    ),
    Role.POINT_OPERATOR: frozenset({P.REGISTER_PARCELS, P.RECORD_STEPS}),
}


def role_of(actor: object) -> Role | None:
    """The actor's role, or None for an unknown or missing one."""
    try:
        return Role(getattr(actor, "role_code", ""))
    except ValueError:
        return None


def can(actor: object, permission: Permission) -> bool:
    """Whether ``actor``'s role holds ``permission``."""
    role = role_of(actor)
    return role is not None and permission in GRANTS[role]


def roles_with(permission: Permission) -> tuple[Role, ...]:
    """The roles that hold ``permission``, in the order of :class:`Role`."""
    return tuple(role for role in Role if permission in GRANTS[role])


def require(actor: object, permission: Permission, refusal: str) -> None:
    """Raise Forbidden(``refusal``) unless ``actor`` holds ``permission``."""
    if not can(actor, permission):
        raise Forbidden(refusal)
