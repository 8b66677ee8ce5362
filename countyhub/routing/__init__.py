"""The road graph and the planners. Pure: no database, no Flask.

Each planner is a subpackage split as PyVRP splits itself, into a problem, a
solve and a result:

* ``roads/``: the road network read from GeoJSON or OSM (``read``), the
  directed road graph and snapping (``graph``), and the distance and time
  matrices on it, or geodesic without one (``matrices``);
* ``vrp/``: one day's capacitated vehicle routing on PyVRP (``problem``,
  ``solve``, ``result``);
* ``periodic/``: a whole cycle of days, a periodic VRP (``problem``,
  ``search``, ``result``);
* ``daily/``: one day's runs from cadence, parcels, pins and the cycle
  (``problem``, ``solve``, ``result``).

Beside them, ``cadence`` holds the pure rules of which points a day must
visit, ``cycle`` places the points on the days of a repeating cycle (with the
periodic planner), and ``geo`` converts coordinates and measures great-circle
distance. Imports go one way: ``geo`` < ``roads``; ``vrp`` < ``periodic``;
``cadence`` and ``vrp`` < ``daily``; ``daily`` and ``periodic`` < ``cycle``. A
module with a leading underscore is private to its own subpackage.

This module is the public API: import from ``countyhub.routing``.
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
