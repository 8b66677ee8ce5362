"""The road graph and the planner (its issue builds it). Pure: no database, no Flask."""

from countyhub.routing.vrp import Client as Client
from countyhub.routing.vrp import Problem as Problem
from countyhub.routing.vrp import Route as Route
from countyhub.routing.vrp import Solution as Solution
from countyhub.routing.vrp import VehicleType as VehicleType
from countyhub.routing.vrp import solve as solve

__all__ = ["Client", "Problem", "Route", "Solution", "VehicleType", "solve"]
