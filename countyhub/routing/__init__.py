"""The road graph and the planner. Pure: no database, no Flask.

``roads`` turns a road network (or geodesic distance) into matrices, ``vrp`` routes
one day's vehicles on PyVRP, ``periodic`` plans a whole cycle of days (a
periodic VRP), ``cadence`` says which points a day must visit.
"""

from countyhub.routing.cadence import Gap as Gap
from countyhub.routing.cadence import PointState as PointState
from countyhub.routing.cadence import Requirement as Requirement
from countyhub.routing.cadence import check_visits as check_visits
from countyhub.routing.cadence import deadline as deadline
from countyhub.routing.cadence import required_today as required_today
from countyhub.routing.cadence import visit_value as visit_value
from countyhub.routing.periodic import CycleSolution as CycleSolution
from countyhub.routing.periodic import DayPlan as DayPlan
from countyhub.routing.periodic import PeriodicClient as PeriodicClient
from countyhub.routing.periodic import PeriodicProblem as PeriodicProblem
from countyhub.routing.periodic import plan_cycle as plan_cycle
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
    "CycleSolution",
    "DayPlan",
    "Gap",
    "Matrices",
    "PeriodicClient",
    "PeriodicProblem",
    "PointState",
    "Problem",
    "Requirement",
    "RoadGraph",
    "Route",
    "Snap",
    "Solution",
    "UnreachablePoint",
    "VehicleType",
    "check_visits",
    "deadline",
    "geodesic_matrices",
    "matrices",
    "plan_cycle",
    "required_today",
    "solve",
    "visit_value",
]
