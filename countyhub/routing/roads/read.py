"""Readers of road lines: GeoJSON FeatureCollections and OpenStreetMap XML.

Both readers yield :class:`RoadLine` records (WGS84 vertices, road class, speed
limit, direction) that :class:`~countyhub.routing.roads.graph.RoadGraph` turns
into a graph; a caller with roads of its own (a benchmark's synthetic grid, say)
builds the records itself.

Pure: standard library only; no network access.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

__all__ = ["RoadLine", "read_geojson_lines", "read_osm_lines"]

# Values of ``oneway`` meaning "only along the line" / "only against it".
# OSM uses yes/true/1 and -1/reverse; Geofabrik's road layers use F/T/B.
_FORWARD = {"yes", "true", "1", "f"}
_BACKWARD = {"-1", "reverse", "t"}


class RoadLine(NamedTuple):
    """One road line as read from a file.

    Attributes
    ----------
    coords : list of (float, float)
        Vertices as ``(lon, lat)`` in WGS84 degrees, in drawing order.
    highway : str
        Road class (OSM ``highway`` value, e.g. ``"tertiary"``).
    maxspeed_kmh : float or None
        Posted speed in km/h, or None when absent or unreadable.
    oneway : int
        1 when the road runs only along the vertex order, -1 only against it,
        0 both ways.
    """

    coords: list[tuple[float, float]]
    highway: str
    maxspeed_kmh: float | None
    oneway: int


def parse_oneway(value: object) -> int:
    """Return 1, -1 or 0 for an OSM/Geofabrik ``oneway`` value (absent → 0)."""
    if value is True:
        return 1
    text = str(value).strip().lower() if value is not None else ""
    if text in _FORWARD:
        return 1
    return -1 if text in _BACKWARD else 0


def parse_maxspeed(value: object) -> float | None:
    """Return a speed in km/h from ``60``, ``"60"``, ``"60 km/h"``, ``"40 mph"``."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().lower()
    number = text.split()[0] if text.split() else ""
    try:
        speed = float(number.removesuffix("km/h").removesuffix("mph"))
    except ValueError:
        return None
    if "mph" in text:
        speed *= 1.609344
    return speed if speed > 0 else None  # Geofabrik writes 0 for "unknown"


def _line(coords: list[Any], props: Mapping[str, Any], default_class: str) -> RoadLine:
    highway = props.get("highway") or props.get("fclass") or default_class
    return RoadLine(
        coords=[(float(c[0]), float(c[1])) for c in coords],
        highway=str(highway),
        maxspeed_kmh=parse_maxspeed(props.get("maxspeed")),
        oneway=parse_oneway(props.get("oneway")),
    )


def read_geojson_lines(
    source: Mapping[str, Any] | str | os.PathLike[str], default_class: str
) -> Iterator[RoadLine]:
    """Yield the road lines of a GeoJSON FeatureCollection.

    LineString and MultiLineString features are read; other geometries are
    skipped. The class is the ``highway`` property (or Geofabrik's ``fclass``),
    else `default_class`.
    """
    data = source if isinstance(source, Mapping) else _load_json(source)
    for feature in data.get("features", []):
        geometry = feature.get("geometry") or {}
        props = feature.get("properties") or {}
        if geometry.get("type") == "LineString":
            yield _line(geometry["coordinates"], props, default_class)
        elif geometry.get("type") == "MultiLineString":
            for part in geometry["coordinates"]:
                yield _line(part, props, default_class)


def _load_json(path: str | os.PathLike[str]) -> Mapping[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: Mapping[str, Any] = json.load(f)
    return data


def read_osm_lines(path: str | os.PathLike[str]) -> Iterator[RoadLine]:
    """Yield the ways tagged ``highway`` of an OSM XML file (``.osm``).

    Nodes come before ways in OSM XML, so one streaming pass suffices. Ways
    referring to nodes absent from the extract lose those vertices.
    """
    nodes: dict[str, tuple[float, float]] = {}
    for _, elem in ET.iterparse(path, events=("end",)):
        if elem.tag == "node":
            nodes[elem.attrib["id"]] = (
                float(elem.attrib["lon"]),
                float(elem.attrib["lat"]),
            )
        elif elem.tag == "way":
            tags = {t.attrib["k"]: t.attrib["v"] for t in elem.iter("tag")}
            refs = [nd.attrib["ref"] for nd in elem.iter("nd")]
            coords = [nodes[r] for r in refs if r in nodes]
            if "highway" in tags and len(coords) >= 2:
                yield _line(coords, tags, "unclassified")
        if elem.tag in ("node", "way", "relation"):
            elem.clear()  # keep memory flat on large extracts
