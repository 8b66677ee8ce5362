"""The road graph and the planner. Pure: no database, no Flask.

``roads`` turns a road network (or geodesic distance) into matrices, ``vrp`` routes
one day's vehicles on PyVRP, ``periodic`` plans a whole cycle of days (a
periodic VRP), ``cadence`` says which points a day must visit, ``cycle`` places
the points on the days of a repeating cycle, and ``daily`` plans one day's runs
from all that.
"""

from countyhub.routing.cadence import Gap as Gap
from countyhub.routing.cadence import PointState as PointState
from countyhub.routing.cadence import Requirement as Requirement
from countyhub.routing.cadence import check_visits as check_visits
from countyhub.routing.cadence import deadline as deadline
from countyhub.routing.cadence import required_today as required_today
from countyhub.routing.cadence import visit_value as visit_value
from countyhub.routing.cycle import Cycle as Cycle
from countyhub.routing.cycle import CyclePoint as CyclePoint
from countyhub.routing.cycle import cycle_day as cycle_day
from countyhub.routing.cycle import cycle_length as cycle_length
from countyhub.routing.cycle import make_cycle as make_cycle
from countyhub.routing.daily import DailyPlan as DailyPlan
from countyhub.routing.daily import DayPoint as DayPoint
from countyhub.routing.daily import DayProblem as DayProblem
from countyhub.routing.daily import DayVehicle as DayVehicle
from countyhub.routing.daily import PlannedRun as PlannedRun
from countyhub.routing.daily import PlannedStop as PlannedStop
from countyhub.routing.daily import Shipment as Shipment
from countyhub.routing.daily import Unserved as Unserved
from countyhub.routing.daily import UnservedReason as UnservedReason
from countyhub.routing.daily import VisitWeights as VisitWeights
from countyhub.routing.daily import plan_day as plan_day
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
    "Cycle",
    "CyclePoint",
    "CycleSolution",
    "DailyPlan",
    "DayPlan",
    "DayPoint",
    "DayProblem",
    "DayVehicle",
    "Gap",
    "Matrices",
    "PeriodicClient",
    "PeriodicProblem",
    "PlannedRun",
    "PlannedStop",
    "PointState",
    "Problem",
    "Requirement",
    "RoadGraph",
    "Route",
    "Shipment",
    "Snap",
    "Solution",
    "UnreachablePoint",
    "Unserved",
    "UnservedReason",
    "VehicleType",
    "VisitWeights",
    "check_visits",
    "cycle_day",
    "cycle_length",
    "deadline",
    "geodesic_matrices",
    "make_cycle",
    "matrices",
    "plan_cycle",
    "plan_day",
    "required_today",
    "solve",
    "visit_value",
]
