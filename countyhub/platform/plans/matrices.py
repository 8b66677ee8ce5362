"""The matrices of the day's plan: the county seat (the centre) and the points.

From the road network of the settings (a GeoJSON or ``.osm`` file, read once per
change of the file) or, without one, geodesic distance times a detour factor at
an average speed (kept in memory for the last few sets of places).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from countyhub.platform.config import Settings
from countyhub.platform.county.gazetteer import require_county
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import ServicePoint
from countyhub.routing import (
    Matrices,
    RoadGraph,
    UnreachablePoint,
    geodesic_matrices,
    matrices,
)


def point_matrices(
    session: Session, points: Sequence[ServicePoint], settings: Settings
) -> Matrices:
    """Distances and times over the centre (the county seat) and the points.
    Raises NoCounty, InvalidInput."""
    county = require_county(session)
    if county.seat_lon is None or county.seat_lat is None:
        raise InvalidInput("the county has no seat coordinates: load the county first")
    where = [(county.seat_lon, county.seat_lat)]
    where += [(p.lon, p.lat) for p in points if p.lon is not None and p.lat is not None]
    if settings.road_network is None:
        return _geodesic(
            tuple(where), settings.detour_factor, settings.average_speed_kmh
        )
    names = ["the centre", *(f"{p.code} {p.name}" for p in points)]
    try:
        return matrices(_road_graph(settings.road_network), where, names=names)
    except UnreachablePoint as error:
        raise InvalidInput(f"on the road network, {error}") from error


@lru_cache(maxsize=4)
def _geodesic(
    where: tuple[tuple[float, float], ...], detour: float, speed_kmh: float
) -> Matrices:
    """Geodesic matrices, kept for the same places: re-planning the day (or the
    next day, with the same points) need not measure them again."""
    return geodesic_matrices(where, detour=detour, speed_kmh=speed_kmh)


def _road_graph(path: Path) -> RoadGraph:
    try:
        return _read_graph(path, path.stat().st_mtime_ns)
    except (OSError, ValueError) as error:
        raise InvalidInput(f"cannot read the road network {path}: {error}") from error


@lru_cache(maxsize=2)
def _read_graph(path: Path, changed: int) -> RoadGraph:
    """The graph of ``path``; read again when the file has ``changed``."""
    if path.suffix.lower() == ".osm":
        return RoadGraph.from_osm(path)
    return RoadGraph.from_geojson(path)
