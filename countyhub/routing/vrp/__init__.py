"""Capacitated vehicle routing with pickups, deliveries, shifts and prizes.

The planner's engine, split as PyVRP splits itself: :mod:`.problem` holds the
data model (:class:`Client`, :class:`VehicleType`, :class:`Problem`),
:mod:`.solve` builds the PyVRP model and runs the search (:func:`solve`), and
:mod:`.result` holds what comes back (:class:`Route`, :class:`Solution`).
Integers in the caller's units throughout; see :mod:`.problem`.

Pure: PyVRP and numpy only; no database.
"""

from countyhub.routing.vrp.problem import Client as Client
from countyhub.routing.vrp.problem import Problem as Problem
from countyhub.routing.vrp.problem import VehicleType as VehicleType
from countyhub.routing.vrp.result import Route as Route
from countyhub.routing.vrp.result import Solution as Solution
from countyhub.routing.vrp.solve import solve as solve

__all__ = ["Client", "Problem", "Route", "Solution", "VehicleType", "solve"]
