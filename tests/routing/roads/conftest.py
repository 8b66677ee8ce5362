"""The sample road graph, built once per test module."""

from __future__ import annotations

import pytest

from countyhub.routing import RoadGraph
from tests.routing.roads.helpers import sample_roads


@pytest.fixture(scope="module")
def graph() -> RoadGraph:
    return RoadGraph.from_geojson(sample_roads())
