"""Reference data: couriers, depots, townships, villages, service points, vehicles.

Everyone who is logged in reads them; only an admin changes depots, vehicles and
service points.  Couriers come from the registry and townships and villages from
the gazetteer loader, so they are read-only here.  A service point's coordinates
are stored in WGS84 and set with the rules of :mod:`countyhub.platform.points`;
its operator's phone is masked for everyone but admins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform import points
from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.model import (
    Base,
    Courier,
    Depot,
    ServicePoint,
    Township,
    User,
    Vehicle,
    Village,
)
from countyhub.platform.privacy import mask_phone

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
POINT_FIELDS = (
    "active",
    "poverty_village",
    "operator_name",
    "operator_phone",
    "cadence_days",
)
LOCATION_FIELDS = {"lon", "lat", "crs", "coord_source"}
M = TypeVar("M", bound=Base)
Coded = TypeVar("Coded", Depot, Vehicle)


@dataclass(frozen=True, slots=True)
class PointView:
    """A service point as a given user may see it (operator phone masked)."""

    id: int
    code: str
    name: str
    village: str
    village_name: str
    township: str
    township_name: str
    lon: float | None  # WGS84
    lat: float | None
    approximate: bool
    coord_source: str
    active: bool
    poverty_village: bool
    operator_name: str
    operator_phone: str
    cadence_days: int


def sees_operator_phone(actor: User) -> bool:
    """Whether ``actor`` sees a service point's operator phone whole."""
    return actor.role_code == "admin"


def view_point(actor: User, point: ServicePoint) -> PointView:
    """The point for ``actor``'s eyes: the operator phone masked unless admin."""
    village, phone = point.village, point.operator_phone
    return PointView(
        id=point.id,
        code=point.code,
        name=point.name,
        village=village.code,
        village_name=village.name,
        township=village.township.code,
        township_name=village.township.name,
        lon=point.lon,
        lat=point.lat,
        approximate=point.coord_approximate,
        coord_source=point.coord_source,
        active=point.active,
        poverty_village=point.poverty_village,
        operator_name=point.operator_name,
        operator_phone=phone if sees_operator_phone(actor) else mask_phone(phone),
        cadence_days=point.cadence_days,
    )


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


def points_query(
    actor: User,
    township: str | None = None,
    active: bool | None = None,
    poverty_village: bool | None = None,
) -> Select[Any]:
    """The service points, narrowed by whichever filter is given (unordered)."""
    query = select(ServicePoint).options(
        joinedload(ServicePoint.village).joinedload(Village.township)
    )
    if township:
        query = query.join(ServicePoint.village).join(Village.township)
        query = query.where(Township.code == township)
    for column, value in (
        (ServicePoint.active, active),
        (ServicePoint.poverty_village, poverty_village),
    ):
        if value is not None:
            query = query.where(column == value)
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


def _get(session: Session, model: type[M], kind: str, key: int) -> M:
    row = session.get(model, key)
    if row is None:
        raise NotFound(kind, key)
    return row


def get_courier(session: Session, actor: User, courier_id: int) -> Courier:
    """The courier with that id.  Raises NotFound."""
    return _get(session, Courier, "courier", courier_id)


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
    return _get(session, Depot, "depot", depot_id)


def get_township(session: Session, actor: User, township_id: int) -> Township:
    """The township with that id.  Raises NotFound."""
    return _get(session, Township, "township", township_id)


def get_village(session: Session, actor: User, village_id: int) -> Village:
    """The village with that id.  Raises NotFound."""
    return _get(session, Village, "village", village_id)


def get_point(session: Session, actor: User, point_id: int) -> ServicePoint:
    """The service point with that id.  Raises NotFound."""
    return _get(session, ServicePoint, "service point", point_id)


def get_vehicle(session: Session, actor: User, vehicle_id: int) -> Vehicle:
    """The vehicle with that id.  Raises NotFound."""
    return _get(session, Vehicle, "vehicle", vehicle_id)


def create_depot(session: Session, actor: User, data: Mapping[str, Any]) -> Depot:
    """Add a courier's depot.  Raises Forbidden, InvalidInput."""
    _require_admin(actor, "adds depots")
    depot = Depot(courier=_courier_named(session, data["courier"]))
    return _store(session, depot, data, DEPOT_FIELDS, "depot")


def update_depot(
    session: Session, actor: User, depot_id: int, changes: Mapping[str, Any]
) -> Depot:
    """Change a depot's given fields.  Raises Forbidden, NotFound, InvalidInput."""
    _require_admin(actor, "changes depots")
    depot = get_depot(session, actor, depot_id)
    if "courier" in changes:
        depot.courier = _courier_named(session, changes["courier"])
    return _store(session, depot, changes, DEPOT_FIELDS, "depot")


def create_vehicle(session: Session, actor: User, data: Mapping[str, Any]) -> Vehicle:
    """Add a vehicle to the fleet.  Raises Forbidden, InvalidInput."""
    _require_admin(actor, "adds vehicles")
    return _store(session, Vehicle(), data, VEHICLE_FIELDS, "vehicle")


def update_vehicle(
    session: Session, actor: User, vehicle_id: int, changes: Mapping[str, Any]
) -> Vehicle:
    """Change a vehicle's given fields.  Raises Forbidden, NotFound, InvalidInput."""
    _require_admin(actor, "changes vehicles")
    vehicle = get_vehicle(session, actor, vehicle_id)
    return _store(session, vehicle, changes, VEHICLE_FIELDS, "vehicle")


def update_point(
    session: Session, actor: User, point_id: int, changes: Mapping[str, Any]
) -> ServicePoint:
    """Change the given fields of a service point; coordinates come with their
    ``crs`` (wgs84 or gcj02).  Raises Forbidden, NotFound, InvalidInput."""
    _require_admin(actor, "changes service points")
    point = get_point(session, actor, point_id)
    if changes.keys() & LOCATION_FIELDS:
        _locate(session, actor, point, changes)
    _assign(point, changes, POINT_FIELDS)
    session.flush()
    return point


def _require_admin(actor: User, what: str) -> None:
    if actor.role_code != "admin":
        raise Forbidden(f"only an admin {what}")


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
    _assign(row, data, names)
    session.add(row)
    session.flush()
    return row


def _assign(row: object, data: Mapping[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in data:
            setattr(row, name, data[name])


def _locate(
    session: Session, actor: User, point: ServicePoint, changes: Mapping[str, Any]
) -> None:
    """Set surveyed coordinates by the rules of the points file upload."""
    crs = changes.get("crs")
    if crs not in points.CRS:
        raise InvalidInput(
            "say which system the coordinates are in: wgs84 or gcj02",
            {"crs": "required with coordinates: wgs84 or gcj02"},
        )
    missing = [name for name in ("lon", "lat") if changes.get(name) is None]
    if missing:
        raise InvalidInput(
            "lon and lat are given together", {n: "required" for n in missing}
        )
    row = {"code": point.code, "source": changes.get("coord_source", "")}
    row |= {"lon": str(changes["lon"]), "lat": str(changes["lat"])}
    try:  # as one row of a points file: same bounds, conversion, seat distance
        points.apply_surveyed_points(session, actor, [points._parse(row, crs)])
    except (ValueError, InvalidInput) as exc:
        raise InvalidInput(str(exc), {"lon": str(exc), "lat": str(exc)}) from None
