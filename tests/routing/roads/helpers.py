"""What the road tests share: a few roads near Tonggu's county seat."""

from __future__ import annotations

from typing import Any

# Near Tonggu's county seat: a tertiary road west to east, a village branch,
# a one-way street with a two-way way back round a block, and a detached road.
CENTRE = (114.40, 28.50)
VILLAGE = (114.41, 28.52)
BLOCK_SE = (114.43, 28.50)
BLOCK_NE = (114.43, 28.51)
ISLAND = (114.46, 28.55)


def road_feature(coords: list[tuple[float, float]], **props: Any) -> dict[str, Any]:
    """A GeoJSON LineString feature with the given properties."""
    geometry = {"type": "LineString", "coordinates": [list(c) for c in coords]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def sample_roads() -> dict[str, Any]:
    """The roads described above, plus a point feature the reader skips."""
    main = [(114.40, 28.50), (114.41, 28.50), (114.42, 28.50), (114.43, 28.50)]
    return {
        "type": "FeatureCollection",
        "features": [
            road_feature(main, highway="tertiary"),
            road_feature(
                [(114.41, 28.50), (114.41, 28.51), VILLAGE], highway="unclassified"
            ),
            road_feature([BLOCK_SE, BLOCK_NE], highway="residential", oneway="yes"),
            road_feature(
                [BLOCK_NE, (114.42, 28.51), (114.42, 28.50)], highway="residential"
            ),
            road_feature([(114.45, 28.55), ISLAND], highway="track"),
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}},
        ],
    }
