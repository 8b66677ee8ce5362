"""The daily planner: today's runs that keep every cadence and every deadline.

Each morning the dispatcher plans the day from what the platform knows: every
service point with its cadence, its last visit, the inbound parcels sorted at the
centre for it (with their arrival day) and the outbound parcels waiting there; the
fleet; the distance and travel-time matrices; the cycle (which days of the cycle
each point belongs to); and the dispatcher's pins. :func:`plan_day` decides

* which points **must** be visited (:func:`countyhub.routing.required_today`:
  never visited, cadence due, a parcel's deadline today, or pinned);
* which **may** be visited: every other active point, or inactive point with
  parcels, is an optional stop whose prize is
  :func:`countyhub.routing.visit_value` (parcels waiting, outbound to collect,
  a deadline coming) plus a bonus when today is one of its cycle days, so
  that visits stay on the cycle that makes the days' routes compact; the
  solver visits it when the prize outweighs the detour;
* the **routes**: capacitated vehicle routing with drops and pickups at one
  stop, capacity in parcels and kilograms, one vehicle type per kind of
  vehicle, a shift counting driving and a service time per stop (a base time
  plus a time per parcel), solved by :func:`countyhub.routing.solve`.

Pinned routes are kept as given (their points and vehicles are taken out of
the solver's problem, their loads and times computed on the same matrices);
pinned visits are required. When the fleet cannot carry everything, parcels
that may still wait are left for tomorrow first, then required points are
dropped in the solver's order of least prize; every parcel and point left
behind is listed in :attr:`DailyPlan.unserved` with its reason and deadline,
never dropped silently.

The package is a problem, a solve and a result: :mod:`.problem` holds the day
(:class:`DayProblem` and its parts), :mod:`.solve` plans it (:func:`plan_day`,
with its private steps: validation, each point's terms, pins, fallbacks, the
solver's routes, what is left), :mod:`.result` holds the plan
(:class:`DailyPlan` and its parts).

Units: distances in metres, times in seconds, weights in kilograms (kept to
0.1 kg for the solver). Pure: no database.
"""

from countyhub.routing.daily.problem import DayPoint as DayPoint
from countyhub.routing.daily.problem import DayProblem as DayProblem
from countyhub.routing.daily.problem import DayVehicle as DayVehicle
from countyhub.routing.daily.problem import PointId as PointId
from countyhub.routing.daily.problem import Shipment as Shipment
from countyhub.routing.daily.problem import VehicleId as VehicleId
from countyhub.routing.daily.problem import VisitWeights as VisitWeights
from countyhub.routing.daily.result import DailyPlan as DailyPlan
from countyhub.routing.daily.result import PlannedRun as PlannedRun
from countyhub.routing.daily.result import PlannedStop as PlannedStop
from countyhub.routing.daily.result import Unserved as Unserved
from countyhub.routing.daily.result import UnservedReason as UnservedReason
from countyhub.routing.daily.solve import plan_day as plan_day

__all__ = [
    "DailyPlan",
    "DayPoint",
    "DayProblem",
    "DayVehicle",
    "PlannedRun",
    "PlannedStop",
    "PointId",
    "Shipment",
    "Unserved",
    "UnservedReason",
    "VehicleId",
    "VisitWeights",
    "plan_day",
]
