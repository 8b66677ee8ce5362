"""Tests for countyhub.routing.roads.read: GeoJSON files and OSM extracts."""

from __future__ import annotations

import json
from pathlib import Path

from countyhub.routing import RoadGraph
from tests.routing.roads.helpers import road_feature, sample_roads


def test_osm_reader_matches_geojson(tmp_path: Path) -> None:
    """An .osm extract gives the graph its GeoJSON twin gives."""
    osm = tmp_path / "roads.osm"
    osm.write_text(
        """<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">
        <node id="1" lon="114.40" lat="28.50"/><node id="2" lon="114.41" lat="28.50"/>
        <node id="3" lon="114.41" lat="28.51"/><node id="4" lon="114.42" lat="28.51"/>
        <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
          <tag k="highway" v="tertiary"/><tag k="maxspeed" v="40"/></way>
        <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="track"/>
          <tag k="oneway" v="-1"/></way>
        <way id="12"><nd ref="1"/><nd ref="4"/><tag k="building" v="yes"/></way>
        </osm>""",
        encoding="utf-8",
    )
    twin = {
        "type": "FeatureCollection",
        "features": [
            road_feature(
                [(114.40, 28.50), (114.41, 28.50), (114.41, 28.51)],
                highway="tertiary",
                maxspeed=40,
            ),
            road_feature(
                [(114.41, 28.51), (114.42, 28.51)], highway="track", oneway="-1"
            ),
        ],
    }
    graph = RoadGraph.from_osm(osm).graph
    twin_arcs = RoadGraph.from_geojson(twin).graph.edges(data="time_s")
    assert sorted(graph.edges(data="time_s")) == sorted(twin_arcs)
    assert graph.has_edge(3, 2) and not graph.has_edge(2, 3)  # oneway=-1


def test_geojson_file_is_read(tmp_path: Path, graph: RoadGraph) -> None:
    """A path to a .geojson file reads like the parsed collection."""
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(sample_roads()), encoding="utf-8")
    assert (
        RoadGraph.from_geojson(path).graph.number_of_edges()
        == graph.graph.number_of_edges()
    )
