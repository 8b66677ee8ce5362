"""Reference data: couriers, depots, townships, villages, service points, vehicles.

Everyone who is logged in reads them; only an admin changes depots, vehicles and
service points.  Couriers come from the registry and townships and villages from
the gazetteer loader, so they are read-only here.  Service points live in
:mod:`countyhub.platform.county.service_points`; their names are importable from here
too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform.accounts.admin import require_admin
from countyhub.platform.accounts.audit import Action, record_changes, snapshot
from countyhub.platform.county.rows import assign, get_row
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import (
    County,
    Courier,
    Depot,
    Township,
    User,
    Vehicle,
    Village,
)

VEHICLE_KINDS = ("van", "truck", "tricycle", "motorcycle", "car")
# The model keeps no source for a township's point: it is the seat, as loaded.
TOWNSHIP_COORD_SOURCE = "township seat from the gazetteer (source not stored)"
# The fields a write may set; anything else in its data is ignored.
DEPOT_FIELDS = ("code", "name", "address")
VEHICLE_FIELDS = (
    "code",
    "name",
    "kind",
    "capacity_parcels",
    "capacity_kg",
    "shift_minutes",
    "active",
)
Coded = TypeVar("Coded", Depot, Vehicle)
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def county_name(session: Session) -> str:
    """The loaded county's name, for everyone, even before login ("" before one
    is loaded)."""
    return session.scalar(select(County.name).order_by(County.id).limit(1)) or ""


def couriers_query(actor: User) -> Select[Any]:
    """Every courier (unordered)."""
    return select(Courier)


def depots_query(actor: User, courier: str | None = None) -> Select[Any]:
    """The depots, of one courier (by code) if given (unordered)."""
    query = select(Depot).options(joinedload(Depot.courier))
    if courier:
        query = query.join(Courier).where(Courier.code == courier.upper())
    return query


def townships_query(actor: User) -> Select[Any]:
    """Every township of the county (unordered)."""
    return select(Township)


def villages_query(actor: User, township: str | None = None) -> Select[Any]:
    """The villages, of one township (by code) if given (unordered)."""
    query = select(Village).options(joinedload(Village.township))
    if township:
        query = query.join(Village.township).where(Township.code == township)
    return query


def vehicles_query(
    actor: User, active: bool | None = None, kind: str | None = None
) -> Select[Any]:
    """The vehicles, narrowed by whichever filter is given (unordered)."""
    query = select(Vehicle)
    if active is not None:
        query = query.where(Vehicle.active == active)
    if kind:
        query = query.where(Vehicle.kind == kind)
    return query


def get_courier(session: Session, actor: User, courier_id: int) -> Courier:
    """The courier with that id.  Raises NotFound."""
    return get_row(session, Courier, "courier", courier_id)


def find_courier(session: Session, actor: User, code: str) -> Courier:
    """The courier with that code (any case).  Raises NotFound."""
    if not code.isprintable():  # not a code; and PostgreSQL refuses a NUL
        raise NotFound("courier", repr(code))
    courier = session.scalar(select(Courier).where(Courier.code == code.upper()))
    if courier is None:
        raise NotFound("courier", code)
    return courier


def get_depot(session: Session, actor: User, depot_id: int) -> Depot:
    """The depot with that id.  Raises NotFound."""
    return get_row(session, Depot, "depot", depot_id)


def find_depot(session: Session, actor: User, key: str) -> Depot:
    """The depot whose code is ``key``, or else whose id it is.  Raises NotFound."""
    if not key.isprintable():  # no code; and PostgreSQL refuses a NUL
        raise NotFound("depot", f"with code or id {key!r}")
    match = Depot.code == key
    if key.isascii() and key.isdigit() and int(key) <= MAX_ID:
        match = or_(match, Depot.id == int(key))
    query = select(Depot).where(match).order_by(Depot.code != key).limit(1)
    depot = session.scalar(query)  # a code that looks like an id comes first
    if depot is None:
        raise NotFound("depot", f"with code or id {key!r}")
    return depot


def get_township(session: Session, actor: User, township_id: int) -> Township:
    """The township with that id.  Raises NotFound."""
    return get_row(session, Township, "township", township_id)


def get_village(session: Session, actor: User, village_id: int) -> Village:
    """The village with that id.  Raises NotFound."""
    return get_row(session, Village, "village", village_id)


def get_vehicle(session: Session, actor: User, vehicle_id: int) -> Vehicle:
    """The vehicle with that id.  Raises NotFound."""
    return get_row(session, Vehicle, "vehicle", vehicle_id)


def create_depot(session: Session, actor: User, data: Mapping[str, Any]) -> Depot:
    """Add a courier's depot.  Raises Forbidden, InvalidInput."""
    require_admin(actor, "adds depots")
    depot = Depot(courier=_courier_named(session, data["courier"]))
    _store(session, depot, data, DEPOT_FIELDS, "depot")
    return _audited(session, actor, Action.DEPOT_CREATE, depot, {})


def update_depot(
    session: Session, actor: User, depot_id: int, changes: Mapping[str, Any]
) -> Depot:
    """Change a depot's given fields.  Raises Forbidden, NotFound, InvalidInput."""
    require_admin(actor, "changes depots")
    depot = get_depot(session, actor, depot_id)
    before = _facts(depot)
    if "courier" in changes:
        depot.courier = _courier_named(session, changes["courier"])
    _store(session, depot, changes, DEPOT_FIELDS, "depot")
    return _audited(session, actor, Action.DEPOT_UPDATE, depot, before)


def create_vehicle(session: Session, actor: User, data: Mapping[str, Any]) -> Vehicle:
    """Add a vehicle to the fleet.  Raises Forbidden, InvalidInput."""
    require_admin(actor, "adds vehicles")
    vehicle = _store(session, Vehicle(), data, VEHICLE_FIELDS, "vehicle")
    return _audited(session, actor, Action.VEHICLE_CREATE, vehicle, {})


def update_vehicle(
    session: Session, actor: User, vehicle_id: int, changes: Mapping[str, Any]
) -> Vehicle:
    """Change a vehicle's given fields.  Raises Forbidden, NotFound, InvalidInput."""
    require_admin(actor, "changes vehicles")
    vehicle = get_vehicle(session, actor, vehicle_id)
    before = _facts(vehicle)
    _store(session, vehicle, changes, VEHICLE_FIELDS, "vehicle")
    return _audited(session, actor, Action.VEHICLE_UPDATE, vehicle, before)


def _facts(row: Depot | Vehicle) -> dict[str, Any]:
    if isinstance(row, Depot):
        return {"courier": row.courier.code, **snapshot(row, DEPOT_FIELDS)}
    return snapshot(row, VEHICLE_FIELDS)


def _audited(
    session: Session, actor: User, action: Action, row: Coded, before: dict[str, Any]
) -> Coded:
    """``row``, its change from ``before`` recorded in the audit trail."""
    kind = "depot" if isinstance(row, Depot) else "vehicle"
    record_changes(session, actor, action, (kind, row.id), before, _facts(row))
    return row


def _courier_named(session: Session, code: str) -> Courier:
    courier = session.scalar(select(Courier).where(Courier.code == code.upper()))
    if courier is None:
        known = ", ".join(session.scalars(select(Courier.code).order_by(Courier.code)))
        message = f"no courier {code!r} (couriers: {known})"
        raise InvalidInput(message, {"courier": "unknown courier"})
    return courier


def _store(
    session: Session,
    row: Coded,
    data: Mapping[str, Any],
    names: tuple[str, ...],
    kind: str,
) -> Coded:
    """Give ``row`` the named fields of ``data`` (its code unique), add, flush."""
    code = data.get("code")
    if code is not None:
        model = type(row)
        other = session.scalar(select(model).where(model.code == code))
        if other is not None and other is not row:
            message = f"the {kind} code {code!r} is taken"
            raise InvalidInput(message, {"code": "already taken"})
    assign(row, data, names)
    session.add(row)
    session.flush()
    return row
