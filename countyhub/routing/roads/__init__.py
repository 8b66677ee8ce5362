"""The road network and the distance and travel-time matrices it gives.

:mod:`.read` reads road lines in WGS84 from a GeoJSON FeatureCollection of
LineString/MultiLineString features or an OpenStreetMap XML extract;
:mod:`.graph` builds the directed :class:`RoadGraph` from them (speeds by road
class, :data:`DEFAULT_SPEEDS_KMH`, or the posted ``maxspeed``) and snaps points
to it; :mod:`.matrices` computes the fastest (or shortest) routes between
points on it with networkx or SciPy (:func:`matrices`), or, without a road
network, estimates them from geodesic distance times a detour factor
(:func:`geodesic_matrices`).

Points are ``(lon, lat)`` in WGS84 degrees throughout. Pure: networkx, SciPy,
geopy; no database.
"""

from countyhub.routing.roads.graph import DEFAULT_SPEEDS_KMH as DEFAULT_SPEEDS_KMH
from countyhub.routing.roads.graph import RoadGraph as RoadGraph
from countyhub.routing.roads.graph import Snap as Snap
from countyhub.routing.roads.matrices import Matrices as Matrices
from countyhub.routing.roads.matrices import UnreachablePoint as UnreachablePoint
from countyhub.routing.roads.matrices import geodesic_matrices as geodesic_matrices
from countyhub.routing.roads.matrices import matrices as matrices
from countyhub.routing.roads.read import RoadLine as RoadLine

__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "Matrices",
    "RoadGraph",
    "RoadLine",
    "Snap",
    "UnreachablePoint",
    "geodesic_matrices",
    "matrices",
]
