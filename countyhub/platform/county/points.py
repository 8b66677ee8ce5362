"""Surveyed service-point coordinates, uploaded by an admin to replace approximate ones.

The file is a CSV (UTF-8 or GB18030) with the columns ``code,lon,lat`` and an
optional ``source``; ``code`` is the service point's (= its village's 12-digit
statistical) code.  Coordinates are in WGS84, or GCJ-02 (what AMap and Tencent maps
show) when the caller says so; GCJ-02 is converted to WGS84 before it is stored.
The file is taken whole or not at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.audit import Action, record_changes, snapshot
from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.county.gazetteer import require_county
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import ServicePoint, User
from countyhub.routing.geo import gcj02_to_wgs84, haversine_m

CRS = ("wgs84", "gcj02")
MAX_DISTANCE_FROM_SEAT_M = 100_000
COORD_FIELDS = ("lon", "lat", "coord_approximate", "coord_source")
COORDINATES, CADENCE = Action.SERVICE_POINT_COORDINATES, Action.SERVICE_POINT_CADENCE


@dataclass(frozen=True, slots=True)
class PointUpdate:
    code: str
    lon: float
    lat: float
    source: str


def read_points_file(path: Path, crs: str) -> list[PointUpdate]:
    """Parse the file; every bad row is named in one InvalidInput (with the file and
    its row, as is a line that is no CSV at all)."""
    if crs not in CRS:
        raise InvalidInput(f"unknown coordinate system {crs!r}: use wgs84 or gcj02")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    # newline="": a line may end in CR alone, as old spreadsheets write them
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(path.name, reader, crs)
    except csv.Error as exc:
        raise InvalidInput(
            f"{path.name} row {reader.line_num}: not a CSV row ({exc}); "
            "is a quote left open?"
        ) from None


def _read_rows(name: str, reader: csv.DictReader[str], crs: str) -> list[PointUpdate]:
    if not reader.fieldnames or not {"code", "lon", "lat"} <= set(reader.fieldnames):
        raise InvalidInput(
            f"{name}: the header must name code, lon and lat "
            f"(found: {', '.join(reader.fieldnames or []) or 'nothing'})"
        )
    updates, errors = [], []
    for number, row in enumerate(reader, start=2):
        try:
            updates.append(_parse(row, crs))
        except ValueError as exc:
            errors.append(f"{name} row {number}: {exc}")
    if errors:
        raise InvalidInput("; ".join(errors[:20]))
    return updates


def _parse(row: dict[str, str], crs: str) -> PointUpdate:
    code = (row.get("code") or "").strip()
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except (TypeError, ValueError):
        raise ValueError(
            f"lon/lat {row.get('lon')!r}, {row.get('lat')!r} are not decimal degrees"
        ) from None
    if not (73 <= lon <= 136 and 3 <= lat <= 54):
        raise ValueError(
            f"{lon}, {lat} is not in China (lon 73–136, lat 3–54); "
            "are lon and lat swapped?"
        )
    if crs == "gcj02":
        lon, lat = gcj02_to_wgs84(lon, lat)
    source = (row.get("source") or "").strip() or f"surveyed ({crs.upper()})"
    return PointUpdate(code, lon, lat, source)


def list_points(session: Session) -> list[ServicePoint]:
    """Every service point by code, with its coordinates and how they were found.
    Raises NoCounty."""
    require_county(session)
    return list(session.scalars(select(ServicePoint).order_by(ServicePoint.code)))


def apply_surveyed_points(
    session: Session, actor: User, updates: list[PointUpdate]
) -> int:
    """Store surveyed coordinates.  Raises Forbidden, InvalidInput, NoCounty."""
    require(
        actor, Permission.ADMINISTER, "only an admin changes service-point coordinates"
    )
    points = {p.code: p for p in session.scalars(select(ServicePoint))}
    county = require_county(session)
    errors = [f"no service point {u.code}" for u in updates if u.code not in points]
    if county.seat_lon is not None and county.seat_lat is not None:
        errors += [
            f"{u.code}: {u.lon:.5f}, {u.lat:.5f} is more than 100 km from "
            f"the county seat"
            for u in updates
            if haversine_m(u.lon, u.lat, county.seat_lon, county.seat_lat)
            > MAX_DISTANCE_FROM_SEAT_M
        ]
    if errors:
        raise InvalidInput("; ".join(errors[:20]))
    for u in updates:
        point = points[u.code]
        before = snapshot(point, COORD_FIELDS)
        point.lon, point.lat = round(u.lon, 7), round(u.lat, 7)
        point.coord_approximate, point.coord_source = False, u.source
        after, target = snapshot(point, COORD_FIELDS), ("service_point", point.id)
        record_changes(session, actor, COORDINATES, target, before, after)
    session.flush()
    return len(updates)


MAX_CADENCE_DAYS = 7


def set_cadence(
    session: Session, actor: User, codes: list[str], days: int
) -> list[ServicePoint]:
    """Give the points of ``codes`` a cadence of ``days`` (1 daily … 7 weekly).

    The planner keeps it from the next plan on; a cadence that no longer fits the
    stored cycle makes the next plan draw a new one.  Raises Forbidden (not an
    admin or a dispatcher), NotFound (an unknown code), InvalidInput, NoCounty.
    """
    require(
        actor,
        Permission.SET_CADENCE,
        "only an admin or a dispatcher sets how often points are visited",
    )
    require_county(session)
    if not 1 <= days <= MAX_CADENCE_DAYS:
        raise InvalidInput(
            f"a cadence is 1 to {MAX_CADENCE_DAYS} days, not {days}",
            {"days": "out of range"},
        )
    wanted = {code.strip().upper() for code in codes if code.strip()}
    points = list(
        session.scalars(select(ServicePoint).where(ServicePoint.code.in_(wanted)))
    )
    missing = sorted(wanted - {p.code for p in points})
    if missing:
        raise NotFound("service point", ", ".join(missing))
    for point in points:
        before = point.cadence_days
        point.cadence_days = days
        change = {"cadence_days": before}, {"cadence_days": days}
        record_changes(session, actor, CADENCE, ("service_point", point.id), *change)
    session.flush()
    return sorted(points, key=lambda p: p.code)
