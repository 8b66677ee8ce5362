"""Service points as reference data: listed, read, viewed and changed by an admin.

Everyone who is logged in reads them; only an admin changes them.  A point's
coordinates are stored in WGS84 and set with the rules of
:mod:`countyhub.platform.county.points`; its operator's phone is masked for everyone but
admins.  The names here are also importable from
:mod:`countyhub.platform.county.reference`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform.accounts.admin import require_admin
from countyhub.platform.accounts.audit import Action, record_changes, snapshot
from countyhub.platform.accounts.roles import Permission, can
from countyhub.platform.county import points
from countyhub.platform.county.rows import assign, get_row
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import ServicePoint, Township, User, Village
from countyhub.platform.privacy import mask_phone

# The fields a write may set; anything else in its data is ignored.
POINT_FIELDS = (
    "active",
    "poverty_village",
    "operator_name",
    "operator_phone",
    "cadence_days",
)
LOCATION_FIELDS = {"lon", "lat", "crs", "coord_source"}


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
    poverty_village: bool | None  # None: not declared
    operator_name: str
    operator_phone: str
    cadence_days: int


def sees_operator_phone(actor: User) -> bool:
    """Whether ``actor`` sees a service point's operator phone whole."""
    return can(actor, Permission.SEE_OPERATOR_PHONES)


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
    if township or poverty_village is not None:
        query = query.join(ServicePoint.village)
    if township:
        query = query.join(Village.township).where(Township.code == township)
    if active is not None:
        query = query.where(ServicePoint.active == active)
    if poverty_village is not None:  # "not a poverty village": declared so
        query = query.where(Village.poverty.is_(poverty_village))
    return query


def get_point(session: Session, actor: User, point_id: int) -> ServicePoint:
    """The service point with that id.  Raises NotFound."""
    return get_row(session, ServicePoint, "service point", point_id)


def update_point(
    session: Session, actor: User, point_id: int, changes: Mapping[str, Any]
) -> ServicePoint:
    """Change the given fields of a service point; coordinates come with their
    ``crs`` (wgs84 or gcj02).  Raises Forbidden, NotFound, InvalidInput."""
    require_admin(actor, "changes service points")
    point = get_point(session, actor, point_id)
    before = snapshot(point, POINT_FIELDS)
    if changes.keys() & LOCATION_FIELDS:  # recorded as service_point.coordinates
        _locate(session, actor, point, changes)
    assign(point, changes, POINT_FIELDS)
    session.flush()
    after, target = snapshot(point, POINT_FIELDS), ("service_point", point.id)
    record_changes(session, actor, Action.SERVICE_POINT_UPDATE, target, before, after)
    return point


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
