"""The road graph and the planner (its issue builds it). Pure: no database, no Flask."""

from countyhub.routing.roads import DEFAULT_SPEEDS_KMH as DEFAULT_SPEEDS_KMH
from countyhub.routing.roads import Matrices as Matrices
from countyhub.routing.roads import RoadGraph as RoadGraph
from countyhub.routing.roads import Snap as Snap
from countyhub.routing.roads import UnreachablePoint as UnreachablePoint
from countyhub.routing.roads import geodesic_matrices as geodesic_matrices
from countyhub.routing.roads import matrices as matrices
from countyhub.routing.vrp import Client as Client
from countyhub.routing.vrp import Problem as Problem
from countyhub.routing.vrp import Route as Route
from countyhub.routing.vrp import Solution as Solution
from countyhub.routing.vrp import VehicleType as VehicleType
from countyhub.routing.vrp import solve as solve

__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "Client",
    "Matrices",
    "Problem",
    "RoadGraph",
    "Route",
    "Snap",
    "Solution",
    "UnreachablePoint",
    "VehicleType",
    "geodesic_matrices",
    "matrices",
    "solve",
]
